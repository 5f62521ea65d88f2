//! AES-256-CTR with a 128-bit big-endian counter.
//!
//! Used by the obfuscated transports (core.telegram.org/mtproto/mtproto-transports,
//! "Transport obfuscation"), MTProxy and CDN file decryption
//! (core.telegram.org/cdn).
//!
//! Backed by RustCrypto `ctr` 0.9 over `aes` 0.8, which detects AES-NI at run
//! time and encrypts 8 counter blocks per pipelined batch. Measured on an
//! AVX-512/VAES machine, this beat `ctr` 0.10 over `aes` 0.9 (whose VAES path
//! only pays off on large single calls): ~8.2 vs ~6.7 GB/s on 1 MiB, and
//! ~5 vs ~1.1 GB/s when fed 100-byte pieces as a transport does. A
//! hand-written counter loop over `aes` 0.9's VAES batches reached only
//! ~8.3 GB/s on 1 MiB and suffered the same per-call cost, so the library is
//! kept.

use ::ctr::cipher::{KeyIvInit, StreamCipher};

/// AES-256 in CTR mode with a 128-bit big-endian counter (wrapping at
/// 2^128). Stateful: successive calls continue the same keystream, at any
/// byte granularity.
#[derive(Clone)]
pub struct Aes256Ctr(::ctr::Ctr128BE<aes::Aes256>);

impl Aes256Ctr {
    /// Creates a cipher whose first counter block is `iv`.
    pub fn new(key: &[u8; 32], iv: &[u8; 16]) -> Self {
        Self(::ctr::Ctr128BE::<aes::Aes256>::new(key.into(), iv.into()))
    }

    /// XORs the next `data.len()` keystream bytes into `data`, in place.
    pub fn apply_keystream(&mut self, data: &mut [u8]) {
        self.0.apply_keystream(data);
    }
}

impl std::fmt::Debug for Aes256Ctr {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Aes256Ctr { .. }")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn unhex(s: &str) -> Vec<u8> {
        hex::decode(s).unwrap()
    }

    /// NIST SP 800-38A, F.5.5 CTR-AES256.Encrypt.
    #[test]
    fn nist_sp800_38a_ctr_aes256() {
        let key: [u8; 32] =
            unhex("603deb1015ca71be2b73aef0857d77811f352c073b6108d72d9810a30914dff4")
                .try_into()
                .unwrap();
        let iv: [u8; 16] = unhex("f0f1f2f3f4f5f6f7f8f9fafbfcfdfeff")
            .try_into()
            .unwrap();
        let mut data = unhex(concat!(
            "6bc1bee22e409f96e93d7e117393172a",
            "ae2d8a571e03ac9c9eb76fac45af8e51",
            "30c81c46a35ce411e5fbc1191a0a52ef",
            "f69f2445df4f9b17ad2b417be66c3710"
        ));
        let expected = unhex(concat!(
            "601ec313775789a5b7a7f504bbf3d228",
            "f443e3ca4d62b59aca84e990cacaf5c5",
            "2b0930daa23de94ce87017ba2d84988d",
            "dfc9c58db67aada613c2dd08457941a6"
        ));
        // Split across calls to check that the keystream state carries over.
        let mut c = Aes256Ctr::new(&key, &iv);
        let (a, b) = data.split_at_mut(7);
        c.apply_keystream(a);
        c.apply_keystream(b);
        assert_eq!(data, expected);
    }

    #[test]
    fn long_buffer_round_trips_and_matches_chunked() {
        let key = [7u8; 32];
        let iv = [0xffu8; 16]; // counter wraps around 2^128
        let plain: Vec<u8> = (0..100_003u32).map(|i| (i * 31 % 251) as u8).collect();
        let mut whole = plain.clone();
        Aes256Ctr::new(&key, &iv).apply_keystream(&mut whole);
        let mut chunked = plain.clone();
        let mut c = Aes256Ctr::new(&key, &iv);
        for chunk in chunked.chunks_mut(1000 + 3) {
            c.apply_keystream(chunk);
        }
        assert_eq!(whole, chunked);
        assert_ne!(whole, plain);
        Aes256Ctr::new(&key, &iv).apply_keystream(&mut whole);
        assert_eq!(whole, plain);
    }
}
