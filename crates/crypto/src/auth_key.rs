//! The 2048-bit MTProto authorization key
//! (core.telegram.org/mtproto/auth_key, core.telegram.org/mtproto/description,
//! "Authorization Key" and "Server Salt").
//!
//! Invariants: the key bytes never appear in `Debug` output and are
//! overwritten with zeros when the value is dropped.

use subtle::ConstantTimeEq;
use zeroize::{Zeroize, ZeroizeOnDrop};

use crate::hash::sha1;

/// Length of an authorization key in bytes.
pub const AUTH_KEY_LEN: usize = 256;

/// A key that is not exactly 256 bytes long.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("an MTProto auth key is 256 bytes, got {len}; the stored key is corrupt, log in again")]
pub struct AuthKeyLengthError {
    pub len: usize,
}

/// A 256-byte authorization key with its SHA-1 derived identifiers cached.
#[derive(Clone, Zeroize, ZeroizeOnDrop)]
pub struct AuthKey {
    data: [u8; AUTH_KEY_LEN],
    /// Public: derived by SHA-1 and sent in every encrypted message.
    #[zeroize(skip)]
    key_id: [u8; 8],
    /// Derived from the key; used only in `new_nonce_hash` values.
    aux_hash: [u8; 8],
}

impl AuthKey {
    /// Wraps 256 raw key bytes (as produced by the DH exchange, or loaded
    /// from the keyring).
    pub fn from_bytes(data: [u8; AUTH_KEY_LEN]) -> Self {
        let hash = sha1(&[&data]);
        let mut aux_hash = [0u8; 8];
        let mut key_id = [0u8; 8];
        aux_hash.copy_from_slice(&hash[..8]);
        key_id.copy_from_slice(&hash[12..]);
        Self {
            data,
            key_id,
            aux_hash,
        }
    }

    /// Copies a key from a slice, which must be exactly 256 bytes.
    pub fn from_slice(data: &[u8]) -> Result<Self, AuthKeyLengthError> {
        let arr: [u8; AUTH_KEY_LEN] = data
            .try_into()
            .map_err(|_| AuthKeyLengthError { len: data.len() })?;
        Ok(Self::from_bytes(arr))
    }

    /// The raw key, for persisting it (to the OS keyring) and for key
    /// derivation. Never log it.
    pub fn as_bytes(&self) -> &[u8; AUTH_KEY_LEN] {
        &self.data
    }

    /// `auth_key_id`: the 64 lower-order bits of SHA1(auth_key), i.e. bytes
    /// 12..20 of the hash, read little-endian as they appear on the wire.
    pub fn key_id(&self) -> u64 {
        u64::from_le_bytes(self.key_id)
    }

    /// `auth_key_id` as the 8 bytes that prefix every encrypted message.
    pub fn key_id_bytes(&self) -> [u8; 8] {
        self.key_id
    }

    /// `auth_key_aux_hash`: the 64 higher-order bits of SHA1(auth_key)
    /// (bytes 0..8), read little-endian.
    pub fn aux_hash(&self) -> u64 {
        u64::from_le_bytes(self.aux_hash)
    }

    /// `new_nonce_hash1/2/3` of `dh_gen_ok`/`dh_gen_retry`/`dh_gen_fail`: the
    /// 128 lower-order bits of SHA1(new_nonce + [number] + auth_key_aux_hash)
    /// (core.telegram.org/mtproto/auth_key, step 9), as int128 wire bytes.
    pub fn new_nonce_hash(&self, new_nonce: &[u8; 32], number: u8) -> [u8; 16] {
        let h = sha1(&[new_nonce, &[number], &self.aux_hash]);
        let mut out = [0u8; 16];
        out.copy_from_slice(&h[4..]);
        out
    }
}

impl PartialEq for AuthKey {
    /// Constant-time comparison of the key bytes.
    fn eq(&self, other: &Self) -> bool {
        self.data.ct_eq(&other.data).into()
    }
}

impl Eq for AuthKey {}

impl std::fmt::Debug for AuthKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "AuthKey {{ key_id: {:#018x}, .. }}", self.key_id())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> AuthKey {
        AuthKey::from_bytes(core::array::from_fn(|i| i as u8))
    }

    #[test]
    fn ids_come_from_sha1_halves() {
        let key = sample();
        let h = sha1(&[key.as_bytes()]);
        assert_eq!(key.key_id_bytes(), h[12..20]);
        assert_eq!(
            key.key_id(),
            u64::from_le_bytes(h[12..20].try_into().unwrap())
        );
        assert_eq!(
            key.aux_hash(),
            u64::from_le_bytes(h[..8].try_into().unwrap())
        );
    }

    #[test]
    fn known_key_id() {
        // SHA1(00 01 .. ff) = 4916d6bdb7f78e6803698cab32d1586ea457dfc8.
        let key = sample();
        assert_eq!(hex::encode(key.key_id_bytes()), "32d1586ea457dfc8");
        assert_eq!(
            key.aux_hash(),
            u64::from_le_bytes(*b"\x49\x16\xd6\xbd\xb7\xf7\x8e\x68")
        );
    }

    #[test]
    fn debug_never_shows_key_bytes() {
        let key = AuthKey::from_bytes([0xab; 256]);
        let shown = format!("{key:?} {key:#?}");
        assert!(!shown.to_lowercase().contains("abab"), "{shown}");
        assert!(!shown.contains("171"), "{shown}");
        assert!(shown.contains("key_id"));
    }

    #[test]
    fn from_slice_checks_length() {
        assert_eq!(
            AuthKey::from_slice(&[0; 255]).unwrap_err(),
            AuthKeyLengthError { len: 255 }
        );
        assert!(AuthKey::from_slice(&[0; 257]).is_err());
        assert_eq!(
            AuthKey::from_slice(&[7; 256]).unwrap(),
            AuthKey::from_bytes([7; 256])
        );
        assert_ne!(AuthKey::from_bytes([7; 256]), AuthKey::from_bytes([8; 256]));
    }

    #[test]
    fn zeroize_clears_the_key() {
        let mut key = AuthKey::from_bytes([0x5a; 256]);
        key.zeroize();
        assert_eq!(key.as_bytes(), &[0u8; 256]);
    }

    #[test]
    fn new_nonce_hash_is_low_128_bits_of_sha1() {
        let key = sample();
        let nonce = [3u8; 32];
        let aux = key.aux_hash().to_le_bytes();
        let h = sha1(&[&nonce, &[1], &aux]);
        assert_eq!(key.new_nonce_hash(&nonce, 1), h[4..20]);
        assert_ne!(key.new_nonce_hash(&nonce, 1), key.new_nonce_hash(&nonce, 2));
    }
}
