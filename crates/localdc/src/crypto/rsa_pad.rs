//! RSA_PAD, the padding of `req_DH_params.encrypted_data`
//! (core.telegram.org/mtproto/auth_key#presenting-proof-of-work-server-authentication).
//!
//! The client pads `p_q_inner_data` to 192 bytes, reverses it, appends
//! SHA256(temp_key + data_with_padding), AES-256-IGE-encrypts that with `temp_key`
//! and a zero IV, prefixes `temp_key XOR SHA256(aes_encrypted)` and raises the
//! 256-byte result to `e` mod `n`. The server undoes each step and checks the hash.

use num_bigint::BigUint;

use super::{ige_decrypt, ige_encrypt, sha256, CryptoError};

/// What `req_DH_params.encrypted_data` held.
#[derive(Debug, PartialEq, Eq)]
pub enum Decrypted {
    /// RSA_PAD: `data_with_padding` (192 bytes), already integrity-checked.
    Pad(Vec<u8>),
    /// The older scheme Telegram still accepts (and Telethon 1.x sends):
    /// `SHA1(data) + data + padding` in 255 bytes. The hash covers `data` only,
    /// whose length is known once it is parsed, so the caller checks it.
    Legacy { sha1: [u8; 20], rest: Vec<u8> },
}

/// Decrypts `encrypted_data`: RSA_PAD first, the older SHA-1 scheme otherwise.
pub fn decrypt_any(ciphertext: &[u8], n: &BigUint, d: &BigUint) -> Result<Decrypted, CryptoError> {
    match decrypt(ciphertext, n, d) {
        Ok(data) => Ok(Decrypted::Pad(data)),
        Err(CryptoError::RsaPadHash) => {
            let m = BigUint::from_bytes_be(ciphertext)
                .modpow(d, n)
                .to_bytes_be();
            if m.len() > 255 || m.len() < 21 + 4 {
                return Err(CryptoError::RsaPadHash);
            }
            let mut block = vec![0u8; 255 - m.len()];
            block.extend_from_slice(&m);
            let mut sha1 = [0u8; 20];
            sha1.copy_from_slice(&block[..20]);
            Ok(Decrypted::Legacy {
                sha1,
                rest: block[20..].to_vec(),
            })
        }
        Err(e) => Err(e),
    }
}

/// Undoes RSA_PAD with the private exponent; returns `data_with_padding` (192 bytes).
///
/// Raw modular exponentiation on `num-bigint` is not constant-time; acceptable in
/// an emulator that only ever serves loopback test traffic.
pub fn decrypt(ciphertext: &[u8], n: &BigUint, d: &BigUint) -> Result<Vec<u8>, CryptoError> {
    let c = BigUint::from_bytes_be(ciphertext);
    if &c >= n {
        return Err(CryptoError::RsaRange);
    }
    let m = c.modpow(d, n).to_bytes_be();
    if m.len() > 256 {
        return Err(CryptoError::RsaRange);
    }
    let mut block = vec![0u8; 256 - m.len()];
    block.extend_from_slice(&m);
    let (key_xor, aes_encrypted) = block.split_at(32);
    let h = sha256(&[aes_encrypted]);
    let mut temp_key = [0u8; 32];
    for i in 0..32 {
        temp_key[i] = key_xor[i] ^ h[i];
    }
    let mut data_with_hash = aes_encrypted.to_vec();
    ige_decrypt(&mut data_with_hash, &temp_key, &[0u8; 32])?;
    let (reversed, hash) = data_with_hash.split_at(192);
    let mut data = reversed.to_vec();
    data.reverse();
    if sha256(&[&temp_key, &data]) != hash {
        return Err(CryptoError::RsaPadHash);
    }
    Ok(data)
}

/// Applies RSA_PAD for the public key `(n, e)`; the client's side, used by test clients.
/// `data` must be at most 144 bytes.
pub fn encrypt(data: &[u8], n: &BigUint, e: &BigUint) -> Result<Vec<u8>, CryptoError> {
    if data.len() > 144 {
        return Err(CryptoError::RsaRange);
    }
    let mut padded = data.to_vec();
    padded.extend_from_slice(&super::random::<192>()[..192 - data.len()]);
    loop {
        let temp_key: [u8; 32] = super::random();
        let mut with_hash: Vec<u8> = padded.iter().rev().copied().collect();
        with_hash.extend_from_slice(&sha256(&[&temp_key, &padded]));
        ige_encrypt(&mut with_hash, &temp_key, &[0u8; 32])?;
        let h = sha256(&[&with_hash]);
        let mut block: Vec<u8> = temp_key.iter().zip(h).map(|(a, b)| a ^ b).collect();
        block.extend_from_slice(&with_hash);
        let m = BigUint::from_bytes_be(&block);
        if &m < n {
            let c = m.modpow(e, n).to_bytes_be();
            let mut out = vec![0u8; 256 - c.len()];
            out.extend_from_slice(&c);
            return Ok(out);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::crypto::sha1;
    use crate::keys::ServerKey;

    fn key() -> ServerKey {
        ServerKey::from_pem(
            include_str!("../../tests/fixtures/test_rsa_private_key.pem"),
            "fixture",
        )
        .unwrap()
    }

    #[test]
    fn rsa_pad_round_trips_and_rejects_tampering() {
        let k = key();
        let data = b"p_q_inner_data stand-in".to_vec();
        let enc = encrypt(&data, k.n(), k.e()).unwrap();
        let out = decrypt(&enc, k.n(), k.d()).unwrap();
        assert_eq!(&out[..data.len()], &data[..]);
        let mut bad = enc.clone();
        bad[100] ^= 1;
        assert!(decrypt(&bad, k.n(), k.d()).is_err());
    }

    #[test]
    fn legacy_sha1_scheme_is_recognised() {
        let k = key();
        let data = b"legacy inner data".to_vec();
        let mut block = sha1(&[&data]).to_vec();
        block.extend_from_slice(&data);
        block.resize(255, 0x5a);
        let c = BigUint::from_bytes_be(&block)
            .modpow(k.e(), k.n())
            .to_bytes_be();
        match decrypt_any(&c, k.n(), k.d()).unwrap() {
            Decrypted::Legacy { sha1: h, rest } => {
                assert_eq!(h, sha1(&[&data]));
                assert_eq!(&rest[..data.len()], &data[..]);
            }
            other => panic!("expected the legacy scheme, got {other:?}"),
        }
    }
}
