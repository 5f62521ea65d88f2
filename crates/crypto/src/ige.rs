//! AES-256-IGE (Infinite Garble Extension), the block mode of MTProto 2.0
//! message encryption and of the auth-key exchange
//! (core.telegram.org/mtproto/description, "Defining AES Key and IV";
//! core.telegram.org/mtproto/auth_key).
//!
//! The 32-byte IV is laid out as Telegram and OpenSSL use it: the first 16
//! bytes play the "previous ciphertext block" and the last 16 bytes the
//! "previous plaintext block" for the first block. The chaining comes from
//! RustCrypto's `ige` crate over `aes`; IGE is inherently serial (each block
//! depends on the previous one in both directions), so its speed is bound by
//! the latency of one AES-NI block operation. `aes` 0.8 is used rather than
//! 0.9: measured on this project's AVX-512/VAES machine both run IGE at the
//! same ~1 GB/s (serial chaining cannot use VAES), while 0.9 adds a large
//! per-call cost that makes short CTR calls (transport frames) 4-7x slower.

use ::ige::cipher::{
    generic_array::GenericArray, inout::InOutBuf, typenum::U16, BlockCipher, BlockDecryptMut,
    BlockEncryptMut, InnerIvInit, KeyInit,
};

/// Failure of an IGE operation.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum IgeError {
    /// IGE has no padding of its own: callers pad to the block size first.
    #[error("AES-IGE input is {len} bytes, not a multiple of the 16-byte block size")]
    NotBlockAligned { len: usize },
}

fn blocks(data: &mut [u8]) -> Result<InOutBuf<'_, '_, GenericArray<u8, U16>>, IgeError> {
    let len = data.len();
    let (blocks, tail) = InOutBuf::from(data).into_chunks::<U16>();
    if tail.is_empty() {
        Ok(blocks)
    } else {
        Err(IgeError::NotBlockAligned { len })
    }
}

fn encrypt_with<C>(cipher: C, data: &mut [u8], iv: &[u8; 32]) -> Result<(), IgeError>
where
    C: BlockEncryptMut + BlockCipher<BlockSize = U16>,
{
    let blocks = blocks(data)?;
    let mut mode = ::ige::Encryptor::<C>::inner_iv_init(cipher, GenericArray::from_slice(iv));
    mode.encrypt_blocks_inout_mut(blocks);
    Ok(())
}

fn decrypt_with<C>(cipher: C, data: &mut [u8], iv: &[u8; 32]) -> Result<(), IgeError>
where
    C: BlockDecryptMut + BlockCipher<BlockSize = U16>,
{
    let blocks = blocks(data)?;
    let mut mode = ::ige::Decryptor::<C>::inner_iv_init(cipher, GenericArray::from_slice(iv));
    mode.decrypt_blocks_inout_mut(blocks);
    Ok(())
}

/// Encrypts `data` in place with AES-256-IGE.
///
/// `data.len()` must be a multiple of 16, otherwise nothing is changed and
/// [`IgeError::NotBlockAligned`] is returned.
pub fn encrypt_ige(data: &mut [u8], key: &[u8; 32], iv: &[u8; 32]) -> Result<(), IgeError> {
    encrypt_with(aes::Aes256Enc::new(key.into()), data, iv)
}

/// Decrypts `data` in place with AES-256-IGE.
///
/// `data.len()` must be a multiple of 16, otherwise nothing is changed and
/// [`IgeError::NotBlockAligned`] is returned.
pub fn decrypt_ige(data: &mut [u8], key: &[u8; 32], iv: &[u8; 32]) -> Result<(), IgeError> {
    decrypt_with(aes::Aes256Dec::new(key.into()), data, iv)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn unhex(s: &str) -> Vec<u8> {
        hex::decode(s).unwrap()
    }

    /// OpenSSL `test/igetest.c`, `ige_test_vectors` (AES-128 keys): they
    /// exercise the same generic chaining code as the AES-256 entry points.
    #[test]
    fn openssl_vector_0_encrypt() {
        let key: [u8; 16] = unhex("000102030405060708090a0b0c0d0e0f")
            .try_into()
            .unwrap();
        let iv: [u8; 32] = (0u8..32).collect::<Vec<_>>().try_into().unwrap();
        let mut data = vec![0u8; 32];
        encrypt_with(aes::Aes128::new(&key.into()), &mut data, &iv).unwrap();
        assert_eq!(
            hex::encode(&data),
            "1a8519a6557be652e9da8e43da4ef4453cf456b4ca488aa383c79c98b34797cb"
        );
        decrypt_with(aes::Aes128::new(&key.into()), &mut data, &iv).unwrap();
        assert_eq!(data, vec![0u8; 32]);
    }

    #[test]
    fn openssl_vector_1_decrypt() {
        let key: [u8; 16] = b"This is an imple".to_owned();
        let iv: [u8; 32] = b"mentation of IGE mode for OpenSS".to_owned();
        let mut data = unhex("4c2e204c6574277320686f70652042656e20676f74206974207269676874210a");
        decrypt_with(aes::Aes128::new(&key.into()), &mut data, &iv).unwrap();
        assert_eq!(
            hex::encode(&data),
            "99706487a1cde613bc6de0b6f24b1c7aa448c8b9c3403e3467a8cad89340f53b"
        );
        encrypt_with(aes::Aes128::new(&key.into()), &mut data, &iv).unwrap();
        assert_eq!(data, b"L. Let's hope Ben got it right!\n");
    }

    /// Straight transcription of the IGE definition over raw AES-256 block
    /// operations, as an independent reference for the 256-bit entry points:
    /// c_i = E(p_i ^ c_{i-1}) ^ p_{i-1}, with c_0 = iv[..16], p_0 = iv[16..].
    fn reference_encrypt(data: &[u8], key: &[u8; 32], iv: &[u8; 32]) -> Vec<u8> {
        use ::ige::cipher::BlockEncrypt;
        let aes = aes::Aes256::new(key.into());
        let mut prev_c: [u8; 16] = iv[..16].try_into().unwrap();
        let mut prev_p: [u8; 16] = iv[16..].try_into().unwrap();
        let mut out = Vec::new();
        for p in data.chunks(16) {
            let mut b = GenericArray::<u8, U16>::default();
            for i in 0..16 {
                b[i] = p[i] ^ prev_c[i];
            }
            aes.encrypt_block(&mut b);
            for i in 0..16 {
                b[i] ^= prev_p[i];
            }
            prev_p = p.try_into().unwrap();
            prev_c = b.into();
            out.extend_from_slice(&prev_c);
        }
        out
    }

    #[test]
    fn aes256_matches_reference_and_round_trips() {
        let key: [u8; 32] = core::array::from_fn(|i| (i * 7 + 3) as u8);
        let iv: [u8; 32] = core::array::from_fn(|i| (255 - i * 5) as u8);
        let plain: Vec<u8> = (0..4096u32).map(|i| (i * 13 % 256) as u8).collect();
        let mut data = plain.clone();
        encrypt_ige(&mut data, &key, &iv).unwrap();
        assert_eq!(data, reference_encrypt(&plain, &key, &iv));
        decrypt_ige(&mut data, &key, &iv).unwrap();
        assert_eq!(data, plain);
    }

    /// Published AES-256-IGE vectors from grammers' `verify_ige_encryption`
    /// and `verify_ige_decryption` tests: key = iv = data = 00 01 .. 1f.
    #[test]
    fn published_aes256_vectors() {
        let k: [u8; 32] = core::array::from_fn(|i| i as u8);
        let mut data = k.to_vec();
        encrypt_ige(&mut data, &k, &k).unwrap();
        assert_eq!(
            hex::encode(&data),
            "e28112a53e5c89c7b1ea8071c133699fd4e86b26c4bac9fc5af1ab8ce27a44a4"
        );
        let mut data = k.to_vec();
        decrypt_ige(&mut data, &k, &k).unwrap();
        assert_eq!(
            hex::encode(&data),
            "e5777afacd7b2c16f7ac40cae61ef603fee6098fb8a8860ab9ee672cd7e5bacc"
        );
    }

    #[test]
    fn empty_input_is_a_no_op() {
        let mut data: [u8; 0] = [];
        encrypt_ige(&mut data, &[1; 32], &[2; 32]).unwrap();
        decrypt_ige(&mut data, &[1; 32], &[2; 32]).unwrap();
    }

    #[test]
    fn unaligned_input_is_rejected_untouched() {
        for len in [1usize, 15, 17, 31, 100] {
            let mut data = vec![9u8; len];
            assert_eq!(
                encrypt_ige(&mut data, &[1; 32], &[2; 32]),
                Err(IgeError::NotBlockAligned { len })
            );
            assert_eq!(
                decrypt_ige(&mut data, &[1; 32], &[2; 32]),
                Err(IgeError::NotBlockAligned { len })
            );
            assert_eq!(data, vec![9u8; len]);
        }
    }

    #[test]
    fn garbling_propagates_forward_only() {
        let key = [5u8; 32];
        let iv = [6u8; 32];
        let plain = vec![0x42u8; 1024];
        let mut data = plain.clone();
        encrypt_ige(&mut data, &key, &iv).unwrap();
        data[512] ^= 1;
        decrypt_ige(&mut data, &key, &iv).unwrap();
        assert_eq!(data[..512], plain[..512]);
        let same = data[512..]
            .iter()
            .zip(&plain[512..])
            .filter(|(a, b)| a == b)
            .count();
        assert!(same < 32, "{same} bytes survived a flipped ciphertext bit");
    }
}
