//! MTProto 2.0 message encryption (core.telegram.org/mtproto/description#defining-aes-key-and-initialization-vector).
//!
//! `msg_key = SHA256(auth_key[88+x..120+x] + plaintext)[8..24]`, and the AES-IGE key
//! and IV come from `SHA256(msg_key + auth_key[x..x+36])` and
//! `SHA256(auth_key[40+x..76+x] + msg_key)`; `x = 0` for client-to-server, `x = 8`
//! for server-to-client.

use zeroize::{Zeroize, ZeroizeOnDrop};

use super::{ige_decrypt, ige_encrypt, sha1, sha256, CryptoError};

/// A 2048-bit auth key. Never printed; zeroized on drop.
#[derive(Clone, Zeroize, ZeroizeOnDrop)]
pub struct AuthKey {
    key: [u8; 256],
}

impl std::fmt::Debug for AuthKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "AuthKey {{ id: {:#018x} }}", self.id())
    }
}

impl AuthKey {
    pub fn new(key: [u8; 256]) -> Self {
        Self { key }
    }
    pub fn bytes(&self) -> &[u8; 256] {
        &self.key
    }
    /// `auth_key_id`: the lower 64 bits of SHA1(auth_key).
    pub fn id(&self) -> u64 {
        let h = sha1(&[&self.key]);
        let mut b = [0u8; 8];
        b.copy_from_slice(&h[12..20]);
        u64::from_le_bytes(b)
    }
    /// The higher 64 bits of SHA1(auth_key), used in `new_nonce_hash`.
    pub fn aux_hash(&self) -> [u8; 8] {
        let h = sha1(&[&self.key]);
        let mut b = [0u8; 8];
        b.copy_from_slice(&h[..8]);
        b
    }
}

/// Which way a message travels; selects `x` in the key derivation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    Client,
    Server,
}

impl Side {
    fn x(self) -> usize {
        match self {
            Side::Client => 0,
            Side::Server => 8,
        }
    }
}

fn key_iv(key: &AuthKey, msg_key: &[u8; 16], x: usize) -> ([u8; 32], [u8; 32]) {
    let k = key.bytes();
    let a = sha256(&[msg_key, &k[x..x + 36]]);
    let b = sha256(&[&k[40 + x..76 + x], msg_key]);
    let mut aes_key = [0u8; 32];
    aes_key[..8].copy_from_slice(&a[..8]);
    aes_key[8..24].copy_from_slice(&b[8..24]);
    aes_key[24..].copy_from_slice(&a[24..32]);
    let mut aes_iv = [0u8; 32];
    aes_iv[..8].copy_from_slice(&b[..8]);
    aes_iv[8..24].copy_from_slice(&a[8..24]);
    aes_iv[24..].copy_from_slice(&b[24..32]);
    (aes_key, aes_iv)
}

fn msg_key(key: &AuthKey, plaintext: &[u8], x: usize) -> [u8; 16] {
    let large = sha256(&[&key.bytes()[88 + x..120 + x], plaintext]);
    let mut out = [0u8; 16];
    out.copy_from_slice(&large[8..24]);
    out
}

/// Encrypts a padded plaintext (length a multiple of 16) sent by `from`:
/// returns `auth_key_id + msg_key + encrypted_data`.
pub fn encrypt(key: &AuthKey, from: Side, plaintext: &[u8]) -> Result<Vec<u8>, CryptoError> {
    let x = from.x();
    let mk = msg_key(key, plaintext, x);
    let (k, iv) = key_iv(key, &mk, x);
    let mut data = plaintext.to_vec();
    ige_encrypt(&mut data, &k, &iv)?;
    let mut out = Vec::with_capacity(24 + data.len());
    out.extend_from_slice(&key.id().to_le_bytes());
    out.extend_from_slice(&mk);
    out.extend_from_slice(&data);
    Ok(out)
}

/// Errors in a received encrypted message.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum DecryptError {
    #[error("encrypted message too short or not block aligned ({0} bytes)")]
    Length(usize),
    #[error("msg_key does not match the decrypted message")]
    MsgKey,
}

/// Decrypts `encrypted_data` (after `auth_key_id`) sent by `from` and checks its msg_key.
/// `packet` starts with the 16-byte msg_key. Trailing bytes past the last whole
/// block (padded intermediate transport padding) are ignored.
pub fn decrypt(key: &AuthKey, from: Side, packet: &[u8]) -> Result<Vec<u8>, DecryptError> {
    if packet.len() < 16 + 32 {
        return Err(DecryptError::Length(packet.len()));
    }
    let x = from.x();
    let mut mk = [0u8; 16];
    mk.copy_from_slice(&packet[..16]);
    let body = &packet[16..];
    let body = &body[..body.len() - body.len() % 16];
    let (k, iv) = key_iv(key, &mk, x);
    let mut data = body.to_vec();
    ige_decrypt(&mut data, &k, &iv).map_err(|_| DecryptError::Length(packet.len()))?;
    let expected = msg_key(key, &data, x);
    // Comparing msg_key in constant time is not needed: a mismatch is answered
    // by dropping the message, as Telegram does, revealing nothing about the key.
    if expected != mk {
        return Err(DecryptError::MsgKey);
    }
    Ok(data)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_side_decrypts_what_the_other_encrypted_and_tampering_fails() {
        let key = AuthKey::new(std::array::from_fn(|i| (i * 7) as u8));
        let plain: Vec<u8> = (0..64u8).collect();
        let packet = encrypt(&key, Side::Client, &plain).unwrap();
        assert_eq!(&packet[..8], &key.id().to_le_bytes());
        assert_eq!(decrypt(&key, Side::Client, &packet[8..]).unwrap(), plain);
        assert_eq!(
            decrypt(&key, Side::Server, &packet[8..]),
            Err(DecryptError::MsgKey)
        );
        let mut bad = packet.clone();
        bad[30] ^= 1;
        assert_eq!(
            decrypt(&key, Side::Client, &bad[8..]),
            Err(DecryptError::MsgKey)
        );
        assert!(!format!("{key:?}").contains("7, 14"));
    }
}

/// MTProto 1.0 AES key and IV (core.telegram.org/mtproto/description_v1), used
/// only by `auth.bindTempAuthKey`'s `encrypted_message`, client-to-server (x = 0).
fn key_iv_v1(key: &AuthKey, msg_key: &[u8; 16], x: usize) -> ([u8; 32], [u8; 32]) {
    let k = key.bytes();
    let a = sha1(&[msg_key, &k[x..x + 32]]);
    let b = sha1(&[&k[32 + x..48 + x], msg_key, &k[48 + x..64 + x]]);
    let c = sha1(&[&k[64 + x..96 + x], msg_key]);
    let d = sha1(&[msg_key, &k[96 + x..128 + x]]);
    let mut aes_key = [0u8; 32];
    aes_key[..8].copy_from_slice(&a[..8]);
    aes_key[8..20].copy_from_slice(&b[8..20]);
    aes_key[20..].copy_from_slice(&c[4..16]);
    let mut aes_iv = [0u8; 32];
    aes_iv[..12].copy_from_slice(&a[8..20]);
    aes_iv[12..20].copy_from_slice(&b[..8]);
    aes_iv[20..24].copy_from_slice(&c[16..20]);
    aes_iv[24..].copy_from_slice(&d[..8]);
    (aes_key, aes_iv)
}

/// Decrypts an MTProto 1.0 message (`msg_key + encrypted_data`) and checks its
/// msg_key, which covers the plaintext up to the end of the message body.
pub fn decrypt_v1(key: &AuthKey, packet: &[u8]) -> Result<Vec<u8>, DecryptError> {
    if packet.len() < 16 + 32 || (packet.len() - 16) % 16 != 0 {
        return Err(DecryptError::Length(packet.len()));
    }
    let mut mk = [0u8; 16];
    mk.copy_from_slice(&packet[..16]);
    let (k, iv) = key_iv_v1(key, &mk, 0);
    let mut data = packet[16..].to_vec();
    ige_decrypt(&mut data, &k, &iv).map_err(|_| DecryptError::Length(packet.len()))?;
    let len = u32::from_le_bytes([data[28], data[29], data[30], data[31]]) as usize;
    let end = 32usize
        .checked_add(len)
        .filter(|e| *e <= data.len())
        .ok_or(DecryptError::Length(len))?;
    if sha1(&[&data[..end]])[4..20] != mk {
        return Err(DecryptError::MsgKey);
    }
    Ok(data)
}

/// Encrypts an MTProto 1.0 message (the client's side of `auth.bindTempAuthKey`):
/// returns `auth_key_id + msg_key + encrypted_data`. `plaintext` is unpadded.
pub fn encrypt_v1(key: &AuthKey, plaintext: &[u8], padding: &[u8]) -> Result<Vec<u8>, CryptoError> {
    let h = sha1(&[plaintext]);
    let mut mk = [0u8; 16];
    mk.copy_from_slice(&h[4..20]);
    let (k, iv) = key_iv_v1(key, &mk, 0);
    let mut data = plaintext.to_vec();
    let pad = (16 - data.len() % 16) % 16;
    data.extend_from_slice(&padding[..pad.min(padding.len())]);
    ige_encrypt(&mut data, &k, &iv)?;
    let mut out = key.id().to_le_bytes().to_vec();
    out.extend_from_slice(&mk);
    out.extend_from_slice(&data);
    Ok(out)
}
