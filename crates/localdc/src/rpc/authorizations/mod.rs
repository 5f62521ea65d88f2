//! Authorizations: one per signed-in permanent key
//! (core.telegram.org/api/auth, core.telegram.org/method/account.getAuthorizations).
//!
//! * `initConnection` is recorded on the request's permanent key (device,
//!   system, app, languages) and marks it active;
//! * every sign-in gives the key a fresh random nonzero `hash`, which
//!   `account.getAuthorizations` shows for every authorization but the
//!   caller's own (whose `hash` is 0 and `current` flag set);
//! * `account.resetAuthorization` and `auth.resetAuthorizations` sign the
//!   ended keys out: their next user-only call (and that of any temporary key
//!   bound to them) answers 401 `AUTH_KEY_UNREGISTERED`. Telegram pushes
//!   nothing to an ended session; it learns from that error;
//! * an authorization's `app_name` is the title the world registers for
//!   its `api_id` (`[[app]]`, [`crate::world_apps`]), as Telegram names the
//!   app registered behind an `api_id`;
//! * only users manage sessions: bots get 400 `BOT_METHOD_INVALID`;
//! * `auth.exportAuthorization` / `auth.importAuthorization`
//!   (core.telegram.org/method/auth.exportAuthorization) carry a sign-in to
//!   another DC with single-use bytes ([`crate::login_tokens`]).

use hearth_tl::{functions, types, Identifiable, RawQuery, Serializable};

use crate::rpc::ctx::{decode, RpcCtx, RpcError};
use crate::rpc::tl::{require_human, tl_authorization};
use crate::store::ClientInfo;

/// Days after which Telegram ends inactive sessions unless changed
/// (`account.authorizations.authorization_ttl_days`).
pub const AUTHORIZATION_TTL_DAYS: i32 = 180;
/// `auth.resetAuthorizations` needs the current authorization to be this old
/// (`FRESH_RESET_AUTHORISATION_FORBIDDEN` otherwise).
pub const FRESH_RESET_SECS: i64 = 24 * 3600;

/// Answers the methods of this module; `None` for any other constructor.
pub fn dispatch(ctx: &mut RpcCtx<'_>, id: u32, body: &[u8]) -> Option<Result<Vec<u8>, RpcError>> {
    use functions as f;
    Some(match id {
        f::auth::ExportAuthorization::CONSTRUCTOR_ID => {
            decode(body).and_then(|r| export_authorization(ctx, r))
        }
        f::auth::ImportAuthorization::CONSTRUCTOR_ID => {
            decode(body).and_then(|r| import_authorization(ctx, r))
        }
        f::account::GetAuthorizations::CONSTRUCTOR_ID => get_authorizations(ctx),
        f::account::ResetAuthorization::CONSTRUCTOR_ID => {
            decode(body).and_then(|r| reset_authorization(ctx, r))
        }
        f::auth::ResetAuthorizations::CONSTRUCTOR_ID => reset_authorizations(ctx),
        _ => return None,
    })
}

/// Records what `initConnection` says about the client on the permanent key.
pub fn record_init_connection(
    ctx: &RpcCtx<'_>,
    q: &functions::InitConnection<RawQuery>,
) -> Result<(), RpcError> {
    let info = ClientInfo {
        api_id: q.api_id,
        device_model: q.device_model.clone(),
        system_version: q.system_version.clone(),
        app_version: q.app_version.clone(),
        system_lang_code: q.system_lang_code.clone(),
        lang_code: q.lang_code.clone(),
    };
    let perm = ctx.perm_key_id();
    let now = crate::state::unix_now();
    ctx.state.store().set_client_info(perm, &info, now)?;
    Ok(())
}

/// `account.getAuthorizations` → `account.authorizations`, the caller's
/// authorization first.
pub fn get_authorizations(ctx: &mut RpcCtx<'_>) -> Result<Vec<u8>, RpcError> {
    let me = require_human(ctx)?;
    let perm = ctx.perm_key_id();
    let mut rows = ctx.state.store().authorizations(me)?;
    // As Telegram lists them: the current session first, then the most
    // recently active.
    rows.sort_by_key(|r| (r.key_id != perm, std::cmp::Reverse(r.date_active)));
    Ok(types::account::Authorizations {
        authorization_ttl_days: AUTHORIZATION_TTL_DAYS,
        authorizations: rows
            .iter()
            .map(|r| tl_authorization(&ctx.state.world, r, r.key_id == perm))
            .collect(),
    }
    .to_bytes())
}

/// `account.resetAuthorization`: ends another authorization of the caller's
/// account; `HASH_INVALID` for 0, the caller's own or an unknown hash.
pub fn reset_authorization(
    ctx: &mut RpcCtx<'_>,
    req: functions::account::ResetAuthorization,
) -> Result<Vec<u8>, RpcError> {
    let me = require_human(ctx)?;
    let perm = ctx.perm_key_id();
    let store = ctx.state.store();
    let target = store
        .authorizations(me)?
        .into_iter()
        .find(|r| req.hash != 0 && r.hash == req.hash && r.key_id != perm)
        .ok_or_else(|| RpcError::bad_request("HASH_INVALID"))?;
    store.sign_out(target.key_id)?;
    tracing::info!(user = me, "authorization reset");
    Ok(true.to_bytes())
}

/// `auth.resetAuthorizations`: ends every authorization but the caller's,
/// once the caller's is at least a day old (406
/// `FRESH_RESET_AUTHORISATION_FORBIDDEN` before, as Telegram).
pub fn reset_authorizations(ctx: &mut RpcCtx<'_>) -> Result<Vec<u8>, RpcError> {
    let me = require_human(ctx)?;
    let perm = ctx.perm_key_id();
    let now = crate::state::unix_now();
    let store = ctx.state.store();
    let rows = store.authorizations(me)?;
    let fresh = rows
        .iter()
        .find(|r| r.key_id == perm)
        .is_none_or(|r| now - r.date_created < FRESH_RESET_SECS);
    if fresh {
        return Err(RpcError::new(406, "FRESH_RESET_AUTHORISATION_FORBIDDEN"));
    }
    for r in rows.iter().filter(|r| r.key_id != perm) {
        store.sign_out(r.key_id)?;
    }
    Ok(true.to_bytes())
}

/// `auth.exportAuthorization { dc_id }`: single-use bytes that sign the
/// caller's user in on DC `dc_id`; `DC_ID_INVALID` for an unknown DC or
/// this one.
pub fn export_authorization(
    ctx: &mut RpcCtx<'_>,
    req: functions::auth::ExportAuthorization,
) -> Result<Vec<u8>, RpcError> {
    let me = ctx.require_user()?;
    let here = ctx.dc_id.abs() % 10000;
    if req.dc_id == here || ctx.state.endpoint(req.dc_id).is_none() {
        return Err(RpcError::bad_request("DC_ID_INVALID"));
    }
    let bytes: [u8; 128] = rand::random();
    let now = crate::state::unix_now();
    ctx.state
        .login_tokens()
        .export_auth(&bytes, me, req.dc_id, now);
    Ok(types::auth::ExportedAuthorization {
        id: me,
        bytes: bytes.to_vec(),
    }
    .to_bytes())
}

/// `auth.importAuthorization { id, bytes }` on the target DC: signs this key
/// in; `AUTH_BYTES_INVALID` for bytes that are unknown, used, expired, of
/// another user or for another DC.
pub fn import_authorization(
    ctx: &mut RpcCtx<'_>,
    req: functions::auth::ImportAuthorization,
) -> Result<Vec<u8>, RpcError> {
    let here = ctx.dc_id.abs() % 10000;
    let now = crate::state::unix_now();
    let user = ctx
        .state
        .login_tokens()
        .import_auth(&req.bytes, req.id, here, now)
        .ok_or_else(|| RpcError::bad_request("AUTH_BYTES_INVALID"))?;
    crate::rpc::tl::authorization(ctx, user)
}

#[cfg(test)]
mod tests;
