//! TDesktop's local encryption (Telegram/SourceFiles/storage/
//! details/storage_file_utilities.cpp: `CreateLocalKey`, `DecryptLocal`;
//! mtproto/mtproto_auth_key.cpp: `prepareAES_oldmtp`).
//!
//! - The passcode key: PBKDF2-HMAC-SHA512 of `SHA-512(salt ‖ passcode ‖ salt)`
//!   with the 32-byte salt, 100 000 iterations, or 1 when there is no
//!   passcode, 256 bytes long.
//! - An encrypted block is `msg_key` (16 bytes) then AES-256-IGE ciphertext,
//!   with key and IV derived from a 256-byte key and `msg_key` by MTProto 1.0's
//!   KDF (core.telegram.org/mtproto/description_v1, "Defining AES Key and IV",
//!   in the server-to-client direction, x = 8). The plaintext starts with its
//!   own length (u32 LE, counting those 4 bytes), is padded to 16 bytes, and
//!   `msg_key` is the first 16 bytes of its SHA-1: a wrong key fails there.
//!
//! Invariants: keys live in zeroed-on-drop buffers ([`LocalKey`]); a failed
//! check says only that it failed.

use hearth_crypto::hash::sha1;
use sha2::{Digest, Sha512};
use zeroize::Zeroizing;

pub const SALT_LEN: usize = 32;
pub const KEY_LEN: usize = 256;
const STRONG_ITERATIONS: u32 = 100_000;

/// A 256-byte key of TDesktop's local storage (the passcode key or the local key).
pub struct LocalKey(Zeroizing<[u8; KEY_LEN]>);

impl LocalKey {
    pub fn from_bytes(bytes: &[u8; KEY_LEN]) -> Self {
        LocalKey(Zeroizing::new(*bytes))
    }

    /// The key protecting the local key, from the passcode (empty for none).
    pub fn from_passcode(salt: &[u8; SALT_LEN], passcode: &[u8]) -> Self {
        let mut hash = Sha512::new();
        hash.update(salt);
        hash.update(passcode);
        hash.update(salt);
        let mut password = Zeroizing::new([0u8; 64]);
        password.copy_from_slice(&hash.finalize());
        let iterations = if passcode.is_empty() {
            1
        } else {
            STRONG_ITERATIONS
        };
        let mut key = Zeroizing::new([0u8; KEY_LEN]);
        pbkdf2::pbkdf2_hmac::<Sha512>(password.as_slice(), salt, iterations, key.as_mut_slice());
        LocalKey(key)
    }

    /// MTProto 1.0's AES key and IV for `msg_key`, x = 8.
    fn aes_key_iv(&self, msg_key: &[u8; 16]) -> (Zeroizing<[u8; 32]>, Zeroizing<[u8; 32]>) {
        let k = &self.0;
        let a = Zeroizing::new(sha1(&[msg_key, &k[8..40]]));
        let b = Zeroizing::new(sha1(&[&k[40..56], msg_key, &k[56..72]]));
        let c = Zeroizing::new(sha1(&[&k[72..104], msg_key]));
        let d = Zeroizing::new(sha1(&[msg_key, &k[104..136]]));
        let mut key = Zeroizing::new([0u8; 32]);
        key[..8].copy_from_slice(&a[..8]);
        key[8..20].copy_from_slice(&b[8..20]);
        key[20..].copy_from_slice(&c[4..16]);
        let mut iv = Zeroizing::new([0u8; 32]);
        iv[..12].copy_from_slice(&a[8..20]);
        iv[12..20].copy_from_slice(&b[..8]);
        iv[20..24].copy_from_slice(&c[16..20]);
        iv[24..].copy_from_slice(&d[..8]);
        (key, iv)
    }

    /// The plaintext of an encrypted block (without its length prefix and
    /// padding).
    pub fn decrypt(&self, encrypted: &[u8]) -> Result<Zeroizing<Vec<u8>>, DecryptError> {
        if encrypted.len() <= 16 || !encrypted.len().is_multiple_of(16) {
            return Err(DecryptError::Size(encrypted.len()));
        }
        let (msg_key, body) = encrypted.split_at(16);
        let msg_key: &[u8; 16] = msg_key.try_into().expect("split at 16");
        let (key, iv) = self.aes_key_iv(msg_key);
        let mut plain = Zeroizing::new(body.to_vec());
        hearth_crypto::decrypt_ige(&mut plain, &key, &iv)
            .map_err(|_| DecryptError::Size(encrypted.len()))?;
        if sha1(&[&plain])[..16] != msg_key[..] {
            return Err(DecryptError::WrongKey);
        }
        let len = u32::from_le_bytes([plain[0], plain[1], plain[2], plain[3]]) as usize;
        // As TDesktop: the length covers itself, and padding is under 16 bytes.
        if len < 4 || len > plain.len() || len + 16 <= plain.len() {
            return Err(DecryptError::Length);
        }
        Ok(Zeroizing::new(plain[4..len].to_vec()))
    }

    /// The block [`Self::decrypt`] reads, for the tests' independent writer.
    #[cfg(any(test, feature = "test-util"))]
    pub fn encrypt(&self, data: &[u8]) -> Vec<u8> {
        let mut plain = ((data.len() + 4) as u32).to_le_bytes().to_vec();
        plain.extend(data);
        while !plain.len().is_multiple_of(16) {
            plain.push(0x5a);
        }
        let msg_key: [u8; 16] = sha1(&[&plain])[..16].try_into().unwrap();
        let (key, iv) = self.aes_key_iv(&msg_key);
        hearth_crypto::encrypt_ige(&mut plain, &key, &iv).unwrap();
        [msg_key.to_vec(), plain].concat()
    }

    #[cfg(any(test, feature = "test-util"))]
    pub fn as_bytes(&self) -> &[u8; KEY_LEN] {
        &self.0
    }
}

#[derive(Debug, PartialEq, Eq)]
pub enum DecryptError {
    Size(usize),
    /// The `msg_key` check failed: another key encrypted it, or it changed.
    WrongKey,
    Length,
}

impl DecryptError {
    pub fn describe(&self) -> String {
        match self {
            DecryptError::Size(n) => {
                format!("an encrypted block is {n} bytes, not a multiple of 16 above 16")
            }
            DecryptError::WrongKey => "an encrypted block fails its check".into(),
            DecryptError::Length => "an encrypted block states a wrong length".into(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_refuses_another_key() {
        let key = LocalKey::from_bytes(&[7; KEY_LEN]);
        for len in [0, 1, 12, 13, 100] {
            let data: Vec<u8> = (0..len as u8).collect();
            let block = key.encrypt(&data);
            assert_eq!(block.len() % 16, 0);
            assert_eq!(key.decrypt(&block).unwrap().as_slice(), &data[..]);
        }
        let other = LocalKey::from_bytes(&[8; KEY_LEN]);
        assert_eq!(
            other.decrypt(&key.encrypt(b"x")).unwrap_err(),
            DecryptError::WrongKey
        );
        assert_eq!(key.decrypt(&[0; 16]).unwrap_err(), DecryptError::Size(16));
        assert_eq!(key.decrypt(&[0; 33]).unwrap_err(), DecryptError::Size(33));
    }

    #[test]
    fn passcode_changes_the_key() {
        let salt = [1; SALT_LEN];
        let none = LocalKey::from_passcode(&salt, b"");
        assert_eq!(
            none.as_bytes(),
            LocalKey::from_passcode(&salt, b"").as_bytes()
        );
        assert_ne!(
            none.as_bytes(),
            LocalKey::from_passcode(&[2; SALT_LEN], b"").as_bytes()
        );
    }
}
