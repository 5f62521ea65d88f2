//! `auth.bindTempAuthKey` (core.telegram.org/method/auth.bindTempAuthKey): binds the
//! temporary key a request arrives on to a permanent key, for perfect forward secrecy.
//!
//! `encrypted_message` is `bind_auth_key_inner` sent as an MTProto 1.0 message
//! under the permanent key, with the same msg_id as the binding request.

use super::{RpcCtx, RpcError};
use crate::crypto::message::decrypt_v1;
use crate::state::unix_now;
use crate::tl::{Reader, Writer};

pub const BIND_TEMP_AUTH_KEY: u32 = 0xcdd42a05;
const BIND_AUTH_KEY_INNER: u32 = 0x75a3f765;

fn invalid() -> RpcError {
    RpcError::bad_request("ENCRYPTED_MESSAGE_INVALID")
}

pub fn bind_temp_auth_key(ctx: &mut RpcCtx<'_>, r: &mut Reader<'_>) -> Result<Vec<u8>, RpcError> {
    let perm_id = r.long()? as u64;
    let nonce = r.long()?;
    let expires_at = r.int()?;
    let encrypted = r.bytes()?;
    let now = unix_now();
    let temp = ctx
        .state
        .auth_key(ctx.key_id, now)
        .ok_or_else(|| RpcError::new(401, "AUTH_KEY_UNREGISTERED"))?;
    if temp.expires_at.is_none() {
        return Err(RpcError::bad_request("TEMP_AUTH_KEY_EMPTY"));
    }
    if temp.perm_key_id.is_some_and(|p| p != perm_id) {
        return Err(RpcError::bad_request("TEMP_AUTH_KEY_ALREADY_BOUND"));
    }
    let perm = ctx
        .state
        .auth_key(perm_id, now)
        .filter(|k| k.expires_at.is_none())
        .ok_or_else(|| RpcError::bad_request("PERM_AUTH_KEY_EMPTY"))?;
    if encrypted.len() < 8 || encrypted[..8] != perm_id.to_le_bytes() {
        return Err(invalid());
    }
    let plain = decrypt_v1(&perm.key, &encrypted[8..]).map_err(|_| invalid())?;
    let mut m = Reader::new(&plain);
    m.raw(16)?; // random salt and session id
    if m.long()? != ctx.msg_id || m.int()? != 0 {
        return Err(invalid());
    }
    m.int()?;
    m.expect(BIND_AUTH_KEY_INNER, "bind_auth_key_inner")
        .map_err(|_| invalid())?;
    let ok = m.long()? == nonce
        && m.long()? as u64 == ctx.key_id
        && m.long()? as u64 == perm_id
        && m.long()? == ctx.session_id
        && m.int()? == expires_at;
    if !ok {
        return Err(invalid());
    }
    ctx.state.store().bind(ctx.key_id, perm_id)?;
    let mut w = Writer::new();
    w.bool(true);
    Ok(w.finish())
}
