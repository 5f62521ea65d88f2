//! `auth.bindTempAuthKey` (core.telegram.org/method/auth.bindTempAuthKey): binds the
//! temporary key a request arrives on to a permanent key, for perfect forward secrecy.
//!
//! `encrypted_message` is `bind_auth_key_inner` sent as an MTProto 1.0 message
//! under the permanent key, with the same msg_id as the binding request.

use super::ctx::{RpcCtx, RpcError};
use crate::state::unix_now;
use hearth_mtproto::pfs::decrypt_binding;
use hearth_tl::{functions, Serializable};

fn invalid() -> RpcError {
    RpcError::bad_request("ENCRYPTED_MESSAGE_INVALID")
}

pub fn bind_temp_auth_key(
    ctx: &mut RpcCtx<'_>,
    req: functions::auth::BindTempAuthKey,
) -> Result<Vec<u8>, RpcError> {
    let perm_id = req.perm_auth_key_id as u64;
    let (nonce, expires_at, encrypted) = (req.nonce, req.expires_at, &req.encrypted_message);
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
    let inner = decrypt_binding(&perm.key, encrypted, ctx.msg_id).map_err(|_| invalid())?;
    let ok = inner.nonce == nonce
        && inner.temp_auth_key_id as u64 == ctx.key_id
        && inner.perm_auth_key_id as u64 == perm_id
        && inner.temp_session_id == ctx.session_id
        && inner.expires_at == expires_at;
    if !ok {
        return Err(invalid());
    }
    ctx.state.store().bind(ctx.key_id, perm_id)?;
    Ok(true.to_bytes())
}
