//! QR code login (core.telegram.org/api/qr-login).
//!
//! 1. The new client calls `auth.exportLoginToken` and shows the token as
//!    `tg://login?token=…`; each call answers a new `auth.loginToken` valid
//!    for 30 s.
//! 2. A signed-in client of the account calls `auth.acceptLoginToken`, gets
//!    the new session's `authorization`, and the exporting session is pushed
//!    `updateShort { updateLoginToken }`.
//! 3. The new client calls `auth.exportLoginToken` again and gets
//!    `auth.loginTokenSuccess`, or `auth.loginTokenMigrateTo { dc_id, token }`
//!    when the account lives on another DC; there it calls
//!    `auth.importLoginToken { token }` for `auth.loginTokenSuccess`.
//!    Accounts with two-step verification get 401 `SESSION_PASSWORD_NEEDED`
//!    at this step and finish with `auth.checkPassword`.
//!
//! Errors, as listed on Telegram's method pages: `AUTH_TOKEN_EXPIRED`,
//! `AUTH_TOKEN_ALREADY_ACCEPTED` (accepted or used before), and for a token
//! that is unknown or not one of this step `AUTH_TOKEN_INVALIDX` from
//! `auth.acceptLoginToken` and `AUTH_TOKEN_INVALID` from
//! `auth.importLoginToken`; a bot accepting is `BOT_METHOD_INVALID`.
//! `except_ids` is read but not acted on.

use hearth_tl::{enums, functions, types, Deserializable, Identifiable, Serializable};

use super::ctx::{decode, RpcCtx, RpcError};
use crate::login_tokens::{QrState, QrToken, TokenError};
use crate::state::unix_now;

/// Answers the methods of this module; `None` for any other constructor.
pub fn dispatch(ctx: &mut RpcCtx<'_>, id: u32, body: &[u8]) -> Option<Result<Vec<u8>, RpcError>> {
    use functions as f;
    Some(match id {
        f::auth::ExportLoginToken::CONSTRUCTOR_ID => {
            decode(body).and_then(|r| export_login_token(ctx, r))
        }
        f::auth::ImportLoginToken::CONSTRUCTOR_ID => {
            decode(body).and_then(|r| import_login_token(ctx, r))
        }
        f::auth::AcceptLoginToken::CONSTRUCTOR_ID => {
            decode(body).and_then(|r| accept_login_token(ctx, r))
        }
        _ => return None,
    })
}

fn token_error(e: TokenError) -> RpcError {
    RpcError::bad_request(e.to_string())
}

/// Signs this key in as `user_id` (authorization `hash`) and answers
/// `auth.loginTokenSuccess`, or `SESSION_PASSWORD_NEEDED` for a 2FA account.
fn complete(ctx: &RpcCtx<'_>, user_id: i64, hash: i64) -> Result<Vec<u8>, RpcError> {
    let has_password = ctx
        .state
        .users()
        .get(user_id)
        .is_some_and(|u| u.password.is_some());
    if has_password {
        let perm = ctx.perm_key_id();
        ctx.state.srp().password_needed(perm, user_id);
        return Err(RpcError::new(401, "SESSION_PASSWORD_NEEDED"));
    }
    let auth = crate::rpc::tl::authorization_with_hash(ctx, user_id, Some(hash))?;
    let authorization =
        enums::auth::Authorization::from_bytes(&auth).map_err(RpcError::internal)?;
    Ok(types::auth::LoginTokenSuccess { authorization }.to_bytes())
}

/// `auth.loginTokenMigrateTo` for `state` (a `MigrateTo`), or its completion here.
fn migrate_or_complete(
    ctx: &RpcCtx<'_>,
    token: Vec<u8>,
    state: QrState,
) -> Result<Vec<u8>, RpcError> {
    let here = ctx.dc_id.abs() % 10000;
    match state {
        QrState::MigrateTo { user_id, dc, hash } if dc == here => complete(ctx, user_id, hash),
        QrState::MigrateTo { dc, .. } => {
            Ok(types::auth::LoginTokenMigrateTo { dc_id: dc, token }.to_bytes())
        }
        _ => Err(token_error(TokenError::Invalid)),
    }
}

/// `auth.exportLoginToken`: completes an accepted token of this key, else
/// a new `auth.loginToken`.
pub fn export_login_token(
    ctx: &mut RpcCtx<'_>,
    req: functions::auth::ExportLoginToken,
) -> Result<Vec<u8>, RpcError> {
    if req.api_id <= 0 || req.api_hash.is_empty() {
        return Err(RpcError::bad_request("API_ID_INVALID"));
    }
    let perm = ctx.perm_key_id();
    let now = unix_now();
    let accepted = ctx.state.login_tokens().take_accepted(perm);
    if let Some((
        _,
        QrToken {
            state: QrState::Accepted { user_id, hash },
            ..
        },
    )) = accepted
    {
        let home = ctx.state.users().get(user_id).map_or(2, |u| u.dc);
        if home == ctx.dc_id.abs() % 10000 {
            return complete(ctx, user_id, hash);
        }
        let token: [u8; 32] = rand::random();
        let state = QrState::MigrateTo {
            user_id,
            dc: home,
            hash,
        };
        ctx.state.login_tokens().migrate(&token, perm, state, now);
        return migrate_or_complete(ctx, token.to_vec(), state);
    }
    let token: [u8; 32] = rand::random();
    let expires = ctx.state.login_tokens().export_qr(
        &token,
        QrToken {
            perm_key: perm,
            key_id: ctx.key_id,
            session_id: ctx.session_id,
            expires: 0,
            state: QrState::Waiting,
        },
        now,
    );
    Ok(types::auth::LoginToken {
        expires: expires as i32,
        token: token.to_vec(),
    }
    .to_bytes())
}

/// `auth.importLoginToken` with a migration token, on the account's DC.
pub fn import_login_token(
    ctx: &mut RpcCtx<'_>,
    req: functions::auth::ImportLoginToken,
) -> Result<Vec<u8>, RpcError> {
    let here = ctx.dc_id.abs() % 10000;
    let state = ctx
        .state
        .login_tokens()
        .import(&req.token, here, unix_now())
        .map_err(token_error)?;
    migrate_or_complete(ctx, req.token, state)
}

/// `auth.acceptLoginToken` by a signed-in user: the `authorization` the
/// exporting client will get (`password_pending` for a 2FA account); its
/// session is pushed `updateLoginToken`.
pub fn accept_login_token(
    ctx: &mut RpcCtx<'_>,
    req: functions::auth::AcceptLoginToken,
) -> Result<Vec<u8>, RpcError> {
    let me = crate::rpc::tl::require_human(ctx)?;
    let hash = crate::rpc::tl::new_hash();
    let now = unix_now();
    let token = ctx
        .state
        .login_tokens()
        .accept(&req.token, me, hash, now)
        .map_err(|e| match e {
            // auth.acceptLoginToken's own name for an unknown token.
            TokenError::Invalid => RpcError::bad_request("AUTH_TOKEN_INVALIDX"),
            other => token_error(other),
        })?;
    let update = types::UpdateShort {
        update: Box::new(enums::Update::UpdateLoginToken),
        date: now as i32,
    };
    ctx.state
        .push_to_session(token.key_id, token.session_id, &update.to_bytes());
    let mut row = ctx
        .state
        .store()
        .authorization(token.perm_key)?
        .ok_or_else(|| RpcError::internal("exporting key vanished"))?;
    row.hash = hash;
    row.date_created = now;
    row.date_active = now;
    let enums::Authorization::Authorization(mut granted) =
        crate::rpc::tl::tl_authorization(&ctx.state.world, &row, false);
    // The new session of a 2FA account still has to pass the password.
    granted.password_pending = ctx
        .state
        .users()
        .get(me)
        .is_some_and(|u| u.password.is_some());
    Ok(granted.to_bytes())
}
