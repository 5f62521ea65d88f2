//! The server's side of MTProto's cryptography, on RustCrypto primitives.
//!
//! `hearth-crypto` will provide these for both sides; localdc keeps this small
//! server-side set (AES-256-IGE, RSA_PAD decryption, MTProto 2.0 message keys)
//! until it lands, then delegates.

pub mod message;
pub mod primes;
pub mod rsa_pad;

use aes::Aes256;
use ige::cipher::{BlockModeDecrypt, BlockModeEncrypt, KeyIvInit};
use sha1::Digest;

/// Telegram's 2048-bit safe DH prime (core.telegram.org/mtproto/auth_key, g = 3).
/// Clients such as Pyrogram refuse any other prime, so the server always sends this one.
pub const TELEGRAM_DH_PRIME_HEX: &str = "C71CAEB9C6B1C9048E6C522F70F13F73980D40238E3E21C14934D037563D930F48198A0AA7C14058229493D22530F4DBFA336F6E0AC925139543AED44CCE7C3720FD51F69458705AC68CD4FE6B6B13ABDC9746512969328454F18FAF8C595F642477FE96BB2A941D5BCD1D4AC8CC49880708FA9B378E3C4F3A9060BEE67CF9A4A4A695811051907E162753B56B0F6B410DBA74D8A84B2A14B3144E0EF1284754FD17ED950D5965B4B9DD46582DB1178D169C6BC465B0D6FF9CA3928FEF5B9AE4E418FC15E83EBEA0F87FA9FF5EED70050DED2849F47BF959D956850CE929851F0D8115F635B105EE2E4E15D04B2454BF6F4FADF034B10403119CD8E3B92FCC5B";

/// The DH generator localdc uses with [`TELEGRAM_DH_PRIME_HEX`].
pub const DH_G: u32 = 3;

/// Telegram's DH prime as a big integer.
pub fn dh_prime() -> num_bigint::BigUint {
    // The constant is valid hex; parsing it cannot fail.
    num_bigint::BigUint::parse_bytes(TELEGRAM_DH_PRIME_HEX.as_bytes(), 16).unwrap_or_default()
}

pub fn sha1(parts: &[&[u8]]) -> [u8; 20] {
    let mut h = sha1::Sha1::new();
    for p in parts {
        h.update(p);
    }
    h.finalize().into()
}

pub fn sha256(parts: &[&[u8]]) -> [u8; 32] {
    let mut h = sha2::Sha256::new();
    for p in parts {
        h.update(p);
    }
    h.finalize().into()
}

/// Errors from block encryption.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum CryptoError {
    #[error("AES-IGE data of {0} bytes is not a multiple of 16")]
    NotBlockAligned(usize),
    #[error("RSA_PAD payload failed its integrity check")]
    RsaPadHash,
    #[error("RSA ciphertext is not smaller than the modulus")]
    RsaRange,
}

fn ige_key_iv(key: &[u8; 32], iv: &[u8; 32]) -> ([u8; 32], [u8; 32]) {
    (*key, *iv)
}

/// AES-256-IGE encryption in place (core.telegram.org/mtproto/description#defining-aes-key-and-initialization-vector).
pub fn ige_encrypt(data: &mut [u8], key: &[u8; 32], iv: &[u8; 32]) -> Result<(), CryptoError> {
    if data.len() % 16 != 0 {
        return Err(CryptoError::NotBlockAligned(data.len()));
    }
    let (k, i) = ige_key_iv(key, iv);
    let mut enc = ige::Encryptor::<Aes256>::new(&k.into(), &i.into());
    for chunk in data.chunks_exact_mut(16) {
        let mut block = [0u8; 16];
        block.copy_from_slice(chunk);
        let mut block = block.into();
        enc.encrypt_block(&mut block);
        chunk.copy_from_slice(&block);
    }
    Ok(())
}

/// AES-256-IGE decryption in place.
pub fn ige_decrypt(data: &mut [u8], key: &[u8; 32], iv: &[u8; 32]) -> Result<(), CryptoError> {
    if data.len() % 16 != 0 {
        return Err(CryptoError::NotBlockAligned(data.len()));
    }
    let (k, i) = ige_key_iv(key, iv);
    let mut dec = ige::Decryptor::<Aes256>::new(&k.into(), &i.into());
    for chunk in data.chunks_exact_mut(16) {
        let mut block = [0u8; 16];
        block.copy_from_slice(chunk);
        let mut block = block.into();
        dec.decrypt_block(&mut block);
        chunk.copy_from_slice(&block);
    }
    Ok(())
}

/// Fills a fresh array with random bytes from the OS-seeded thread RNG.
pub fn random<const N: usize>() -> [u8; N] {
    let mut out = [0u8; N];
    rand::fill(&mut out[..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ige_round_trips_and_rejects_unaligned() {
        let key = [7u8; 32];
        let iv = [9u8; 32];
        let mut data: Vec<u8> = (0..64u8).collect();
        ige_encrypt(&mut data, &key, &iv).unwrap();
        assert_ne!(data, (0..64u8).collect::<Vec<_>>());
        ige_decrypt(&mut data, &key, &iv).unwrap();
        assert_eq!(data, (0..64u8).collect::<Vec<_>>());
        assert_eq!(
            ige_encrypt(&mut [0u8; 15], &key, &iv),
            Err(CryptoError::NotBlockAligned(15))
        );
    }

    #[test]
    fn dh_prime_is_2048_bits_and_suits_g3() {
        let p = dh_prime();
        assert_eq!(p.bits(), 2048);
        // g = 3 generates the order-q subgroup iff p mod 12 == 5 or 11 (p mod 3 == 2).
        assert_eq!((&p % 3u32), num_bigint::BigUint::from(2u32));
    }
}
