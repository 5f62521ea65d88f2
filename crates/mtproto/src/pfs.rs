//! Perfect forward secrecy: binding a temporary auth key to the permanent one
//! (core.telegram.org/api/pfs, core.telegram.org/method/auth.bindTempAuthKey).
//!
//! The client creates a temporary key ([`crate::auth::KeyParams::temporary`]),
//! opens a session on it and, as that session's first request, sends
//! `auth.bindTempAuthKey perm_auth_key_id nonce expires_at encrypted_message`
//! where `encrypted_message` is `bind_auth_key_inner` encrypted with the
//! *permanent* key using MTProto **v1** (SHA-1 msg_key and key derivation):
//! plaintext = random:int128 (in place of salt and session_id) | msg_id |
//! seqno = 0 | length = 40 | bind_auth_key_inner | padding to 16 bytes, where
//! msg_id is the msg_id of the very message carrying the request. The
//! [`crate::Session`] builds it at send time for that reason
//! ([`crate::Session::bind_temp_auth_key`]).
//!
//! The v1 derivation is written out here: it exists only for this message and
//! no library implements it.

use hearth_crypto::hash::sha1;
use hearth_crypto::ige::{decrypt_ige, encrypt_ige};
use hearth_crypto::AuthKey;
use rand_core::CryptoRng;
use zeroize::Zeroizing;

use crate::error::DecodeError;
use crate::wire::{Reader, Writer};

pub const BIND_AUTH_KEY_INNER: u32 = 0x75a3f765;
pub const AUTH_BIND_TEMP_AUTH_KEY: u32 = 0xcdd42a05;

/// `bind_auth_key_inner`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BindAuthKeyInner {
    pub nonce: i64,
    pub temp_auth_key_id: i64,
    pub perm_auth_key_id: i64,
    pub temp_session_id: i64,
    pub expires_at: i32,
}

impl BindAuthKeyInner {
    pub fn encode(&self) -> Vec<u8> {
        let mut b = Vec::with_capacity(40);
        b.put_u32(BIND_AUTH_KEY_INNER);
        b.put_i64(self.nonce);
        b.put_i64(self.temp_auth_key_id);
        b.put_i64(self.perm_auth_key_id);
        b.put_i64(self.temp_session_id);
        b.put_i32(self.expires_at);
        b
    }

    pub fn decode(body: &[u8]) -> Result<Self, DecodeError> {
        let mut r = Reader::new(body);
        let id = r.u32()?;
        if id != BIND_AUTH_KEY_INNER {
            return Err(DecodeError::UnexpectedConstructor(id));
        }
        Ok(Self {
            nonce: r.i64()?,
            temp_auth_key_id: r.i64()?,
            perm_auth_key_id: r.i64()?,
            temp_session_id: r.i64()?,
            expires_at: r.i32()?,
        })
    }
}

/// MTProto v1 aes_key/aes_iv for client→server (x = 0)
/// (core.telegram.org/mtproto/description_v1).
fn v1_key_iv(key: &AuthKey, msg_key: &[u8; 16]) -> (Zeroizing<[u8; 32]>, Zeroizing<[u8; 32]>) {
    let k = key.as_bytes();
    let a = sha1(&[msg_key, &k[0..32]]);
    let b = sha1(&[&k[32..48], msg_key, &k[48..64]]);
    let c = sha1(&[&k[64..96], msg_key]);
    let d = sha1(&[msg_key, &k[96..128]]);
    let mut aes_key = Zeroizing::new([0u8; 32]);
    aes_key[..8].copy_from_slice(&a[..8]);
    aes_key[8..20].copy_from_slice(&b[8..20]);
    aes_key[20..].copy_from_slice(&c[4..16]);
    let mut aes_iv = Zeroizing::new([0u8; 32]);
    aes_iv[..12].copy_from_slice(&a[8..20]);
    aes_iv[12..20].copy_from_slice(&b[..8]);
    aes_iv[20..24].copy_from_slice(&c[16..20]);
    aes_iv[24..].copy_from_slice(&d[..8]);
    (aes_key, aes_iv)
}

/// `encrypted_message` for `auth.bindTempAuthKey`: `inner` encrypted with
/// `perm_key` (MTProto v1), with `msg_id` the id of the message that will
/// carry the request.
pub fn encrypt_binding(
    perm_key: &AuthKey,
    inner: &BindAuthKeyInner,
    msg_id: i64,
    rng: &mut (impl CryptoRng + ?Sized),
) -> Vec<u8> {
    let data = inner.encode();
    let mut plain = Zeroizing::new(Vec::with_capacity(96));
    plain.resize(16, 0);
    rng.fill_bytes(&mut plain[..16]);
    plain.put_i64(msg_id);
    plain.put_i32(0);
    plain.put_i32(data.len() as i32);
    plain.extend_from_slice(&data);
    let h = sha1(&[&plain]);
    let mut msg_key = [0u8; 16];
    msg_key.copy_from_slice(&h[4..]);
    let pad = (16 - plain.len() % 16) % 16;
    let start = plain.len();
    plain.resize(start + pad, 0);
    rng.fill_bytes(&mut plain[start..]);
    let (k, iv) = v1_key_iv(perm_key, &msg_key);
    let mut out = Vec::with_capacity(24 + plain.len());
    out.extend_from_slice(&perm_key.key_id_bytes());
    out.extend_from_slice(&msg_key);
    let at = out.len();
    out.extend_from_slice(&plain);
    // Cannot fail: the plaintext is padded to 16 bytes above.
    let _ = encrypt_ige(&mut out[at..], &k, &iv);
    out
}

/// Why a binding message was refused (server side).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BindError {
    #[error("binding message is malformed or encrypted with another key")]
    Malformed,
    #[error("binding message msg_key does not match")]
    MsgKey,
    #[error("binding message msg_id {got:#x} is not the request's msg_id {expected:#x}")]
    MsgId { got: i64, expected: i64 },
    #[error(transparent)]
    Decode(#[from] DecodeError),
}

/// Server side: decrypts `encrypted_message` with `perm_key` and checks msg_key,
/// seqno = 0 and that its msg_id is `request_msg_id`. The caller then checks
/// the inner fields against the request (perm_auth_key_id, nonce, expires_at,
/// temp key id and session).
pub fn decrypt_binding(
    perm_key: &AuthKey,
    encrypted: &[u8],
    request_msg_id: i64,
) -> Result<BindAuthKeyInner, BindError> {
    if encrypted.len() < 24 + 80
        || encrypted.len() % 16 != 8
        || encrypted[..8] != perm_key.key_id_bytes()
    {
        return Err(BindError::Malformed);
    }
    let mut msg_key = [0u8; 16];
    msg_key.copy_from_slice(&encrypted[8..24]);
    let (k, iv) = v1_key_iv(perm_key, &msg_key);
    let mut plain = Zeroizing::new(encrypted[24..].to_vec());
    decrypt_ige(&mut plain, &k, &iv).map_err(|_| BindError::Malformed)?;
    let mut r = Reader::new(&plain);
    r.take(16)?;
    let msg_id = r.i64()?;
    let seqno = r.i32()?;
    let len = r.i32()?;
    if seqno != 0 || len != 40 {
        return Err(BindError::Malformed);
    }
    let h = sha1(&[&plain[..32 + 40]]);
    if h[4..] != msg_key {
        return Err(BindError::MsgKey);
    }
    if msg_id != request_msg_id {
        return Err(BindError::MsgId {
            got: msg_id,
            expected: request_msg_id,
        });
    }
    Ok(BindAuthKeyInner::decode(r.take(40)?)?)
}

/// The `auth.bindTempAuthKey` request body.
pub fn bind_request(perm_key: &AuthKey, nonce: i64, expires_at: i32, encrypted: &[u8]) -> Vec<u8> {
    let mut b = Vec::with_capacity(24 + encrypted.len() + 4);
    b.put_u32(AUTH_BIND_TEMP_AUTH_KEY);
    b.put_i64(perm_key.key_id() as i64);
    b.put_i64(nonce);
    b.put_i32(expires_at);
    b.put_bytes(encrypted);
    b
}

#[cfg(test)]
#[path = "pfs_tests.rs"]
mod tests;
