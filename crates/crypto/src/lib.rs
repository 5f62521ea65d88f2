//! Hearth's MTProto cryptography (skeleton; being built).

mod ctr_mode {
    use aes::cipher::{KeyIvInit, StreamCipher};

    /// AES-256 in CTR mode with a 128-bit big-endian counter, as obfuscated2,
    /// MTProxy and CDN downloads use it. Stateful: successive calls continue
    /// the same keystream.
    pub struct Aes256Ctr(ctr::Ctr128BE<aes::Aes256>);

    impl Aes256Ctr {
        pub fn new(key: &[u8; 32], iv: &[u8; 16]) -> Self {
            Self(ctr::Ctr128BE::<aes::Aes256>::new(key.into(), iv.into()))
        }

        /// XORs the next `data.len()` keystream bytes into `data`, in place.
        pub fn apply_keystream(&mut self, data: &mut [u8]) {
            self.0.apply_keystream(data);
        }
    }
}

pub use ctr_mode::Aes256Ctr;
