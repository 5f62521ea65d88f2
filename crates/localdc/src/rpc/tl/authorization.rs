//! Signing a key in and the objects that describe it
//! (core.telegram.org/api/auth): `auth.authorization` answers, the
//! authorization rows behind them and `authorization` objects.

use hearth_tl::{enums, types, Serializable};

use crate::rpc::ctx::{RpcCtx, RpcError};
use crate::store::AuthorizationRow;
use crate::users::tl_user;
use crate::world::World;

/// Signs `user_id` in on this request's permanent key and answers with
/// `auth.authorization`.
pub fn authorization(ctx: &RpcCtx<'_>, user_id: i64) -> Result<Vec<u8>, RpcError> {
    authorization_with_hash(ctx, user_id, None)
}

/// [`authorization`] whose new authorization is named `hash` (a fresh random
/// one for `None`; see [`crate::rpc::authorizations`]).
pub fn authorization_with_hash(
    ctx: &RpcCtx<'_>,
    user_id: i64,
    hash: Option<i64>,
) -> Result<Vec<u8>, RpcError> {
    // Resolve the key before taking the store lock: perm_key_id() reads the store.
    let perm = ctx.perm_key_id();
    sign_in_key(ctx, perm, user_id, hash)?;
    let users = ctx.state.users();
    let user = users
        .get(user_id)
        .ok_or_else(|| RpcError::internal("user vanished"))?;
    Ok(types::auth::Authorization {
        setup_password_required: false,
        otherwise_relogin_days: None,
        tmp_sessions: None,
        future_auth_token: None,
        user: Box::new(tl_user(user, Some(user_id))),
    }
    .to_bytes())
}

/// The signed-in user of a method only users (not bots) may call: 401
/// `AUTH_KEY_UNREGISTERED` signed out, 400 `BOT_METHOD_INVALID` for a bot.
pub fn require_human(ctx: &RpcCtx<'_>) -> Result<i64, RpcError> {
    let me = ctx.require_user()?;
    if ctx.state.users().get(me).is_some_and(|u| u.bot) {
        return Err(RpcError::bad_request("BOT_METHOD_INVALID"));
    }
    Ok(me)
}

/// A fresh random nonzero authorization hash.
pub fn new_hash() -> i64 {
    loop {
        let h: i64 = rand::random();
        if h != 0 {
            return h;
        }
    }
}

/// Signs permanent key `perm` in as `user_id`, a new authorization named
/// `hash` (a fresh one for `None`).
pub fn sign_in_key(
    ctx: &RpcCtx<'_>,
    perm: u64,
    user_id: i64,
    hash: Option<i64>,
) -> Result<(), RpcError> {
    let hash = hash.unwrap_or_else(new_hash);
    let now = crate::state::unix_now();
    ctx.state.store().sign_in(perm, user_id, hash, now)?;
    Ok(())
}

/// `authorization#ad01d61d` for a stored row; `app_name` is the title the
/// world registers for the row's `api_id` ([`crate::world_apps`]).
pub fn tl_authorization(
    world: &World,
    row: &AuthorizationRow,
    current: bool,
) -> enums::Authorization {
    let i = &row.info;
    enums::Authorization::Authorization(types::Authorization {
        current,
        official_app: false,
        password_pending: false,
        encrypted_requests_disabled: false,
        call_requests_disabled: false,
        unconfirmed: false,
        hash: if current { 0 } else { row.hash },
        device_model: i.device_model.clone(),
        platform: String::new(),
        system_version: i.system_version.clone(),
        api_id: i.api_id,
        app_name: crate::world_apps::app_name(&world.apps, i.api_id),
        app_version: i.app_version.clone(),
        date_created: row.date_created as i32,
        date_active: row.date_active as i32,
        ip: "127.0.0.1".into(),
        country: "Local network".into(),
        region: String::new(),
    })
}
