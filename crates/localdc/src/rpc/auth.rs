//! `auth.*` sign-in methods with Telegram's test-number rule
//! (core.telegram.org/api/auth#test-accounts): `99966XYYYY` lives on DC X and
//! its code is X repeated five times. A phone is served only by its home DC;
//! elsewhere the answer is `303 PHONE_MIGRATE_X`.

use super::{RpcCtx, RpcError};
use crate::state::PendingCode;
use crate::tl::{Reader, Writer};
use crate::users::write_user;
use crate::world::test_phone_dc;

pub const SEND_CODE: u32 = 0xa677244f;
pub const SIGN_IN: u32 = 0x8d52a951;
pub const SIGN_UP: u32 = 0xaac7b717;
pub const LOG_OUT: u32 = 0x3e72ba19;

fn normalize_phone(raw: &str) -> Result<String, RpcError> {
    let digits: String = raw
        .chars()
        .filter(|c| !matches!(c, '+' | ' ' | '-' | '(' | ')'))
        .collect();
    if digits.len() < 5 || digits.len() > 20 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(RpcError::bad_request("PHONE_NUMBER_INVALID"));
    }
    Ok(digits)
}

/// The DC a phone number must sign in on.
fn home_dc(ctx: &RpcCtx<'_>, phone: &str) -> i32 {
    if let Some(u) = ctx.state.users().by_phone(phone) {
        return u.dc;
    }
    test_phone_dc(phone).unwrap_or(2)
}

fn check_dc(ctx: &RpcCtx<'_>, phone: &str) -> Result<(), RpcError> {
    let home = home_dc(ctx, phone);
    if ctx.dc_id.abs() % 10000 != home {
        return Err(RpcError::new(303, format!("PHONE_MIGRATE_{home}")));
    }
    Ok(())
}

/// `auth.sendCode` → `auth.sentCode` with an in-app code of five digits.
pub fn send_code(ctx: &mut RpcCtx<'_>, r: &mut Reader<'_>) -> Result<Vec<u8>, RpcError> {
    let phone = normalize_phone(&r.string()?)?;
    let api_id = r.int()?;
    let api_hash = r.string()?;
    if api_id <= 0 || api_hash.is_empty() {
        return Err(RpcError::bad_request("API_ID_INVALID"));
    }
    check_dc(ctx, &phone)?;
    let code = match test_phone_dc(&phone) {
        Some(dc) => dc.to_string().repeat(5),
        None => {
            let n = u64::from_le_bytes(ctx.state.derive("code")) % 100_000;
            format!("{n:05}")
        }
    };
    let hash: String = ctx
        .state
        .derive("phone_code_hash")
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    ctx.state.codes().insert(
        phone,
        PendingCode {
            phone_code_hash: hash.clone(),
            code,
        },
    );
    let mut w = Writer::new();
    w.id(0x5e002502).int(0).id(0x3dbb5986).int(5).string(&hash);
    Ok(w.finish())
}

fn authorization(ctx: &RpcCtx<'_>, user_id: i64) -> Result<Vec<u8>, RpcError> {
    // Resolve the key before taking the store lock: perm_key_id() reads the store.
    let perm = ctx.perm_key_id();
    ctx.state.store().set_user(perm, Some(user_id))?;
    let users = ctx.state.users();
    let user = users
        .get(user_id)
        .ok_or_else(|| RpcError::internal("user vanished"))?;
    let mut w = Writer::new();
    w.id(0x2ea2c0d4).int(0);
    write_user(&mut w, user, Some(user_id));
    Ok(w.finish())
}

fn check_code(
    ctx: &RpcCtx<'_>,
    phone: &str,
    hash: &str,
    code: Option<&str>,
) -> Result<(), RpcError> {
    let codes = ctx.state.codes();
    let pending = codes
        .get(phone)
        .ok_or_else(|| RpcError::bad_request("PHONE_CODE_EXPIRED"))?;
    if hash.is_empty() {
        return Err(RpcError::bad_request("PHONE_CODE_HASH_EMPTY"));
    }
    if pending.phone_code_hash != hash {
        return Err(RpcError::bad_request("PHONE_CODE_EXPIRED"));
    }
    match code {
        None | Some("") => Err(RpcError::bad_request("PHONE_CODE_EMPTY")),
        Some(c) if c != pending.code => Err(RpcError::bad_request("PHONE_CODE_INVALID")),
        Some(_) => Ok(()),
    }
}

/// `auth.signIn`: the code, then either the user, `auth.authorizationSignUpRequired`
/// for an unregistered number, or `401 SESSION_PASSWORD_NEEDED` for 2FA accounts.
pub fn sign_in(ctx: &mut RpcCtx<'_>, r: &mut Reader<'_>) -> Result<Vec<u8>, RpcError> {
    let flags = r.int()?;
    let phone = normalize_phone(&r.string()?)?;
    let hash = r.string()?;
    let code = if flags & 1 != 0 {
        Some(r.string()?)
    } else {
        None
    };
    check_dc(ctx, &phone)?;
    check_code(ctx, &phone, &hash, code.as_deref())?;
    let user = ctx
        .state
        .users()
        .by_phone(&phone)
        .map(|u| (u.id, u.password.is_some()));
    match user {
        None => {
            let mut w = Writer::new();
            w.id(0x44747e9a).int(0);
            Ok(w.finish())
        }
        Some((_, true)) => Err(RpcError::new(401, "SESSION_PASSWORD_NEEDED")),
        Some((id, false)) => {
            ctx.state.codes().remove(&phone);
            authorization(ctx, id)
        }
    }
}

/// `auth.signUp`: registers the number after a verified code.
pub fn sign_up(ctx: &mut RpcCtx<'_>, r: &mut Reader<'_>) -> Result<Vec<u8>, RpcError> {
    let _flags = r.int()?;
    let phone = normalize_phone(&r.string()?)?;
    let hash = r.string()?;
    let first = r.string()?;
    let last = r.string()?;
    check_dc(ctx, &phone)?;
    {
        let codes = ctx.state.codes();
        match codes.get(&phone) {
            Some(p) if p.phone_code_hash == hash => {}
            _ => return Err(RpcError::bad_request("PHONE_CODE_EXPIRED")),
        }
    }
    if ctx.state.users().by_phone(&phone).is_some() {
        return Err(RpcError::bad_request("PHONE_NUMBER_OCCUPIED"));
    }
    let first = first.trim();
    if first.is_empty() || first.chars().count() > 64 {
        return Err(RpcError::bad_request("FIRSTNAME_INVALID"));
    }
    if last.chars().count() > 64 {
        return Err(RpcError::bad_request("LASTNAME_INVALID"));
    }
    let dc = ctx.dc_id.abs() % 10000;
    let secret = *ctx.state.secret();
    let user = ctx
        .state
        .users()
        .sign_up(&secret, &phone, first, last.trim(), dc);
    ctx.state.codes().remove(&phone);
    authorization(ctx, user.id)
}

/// `auth.logOut` → `auth.loggedOut`; the key stays valid but signed out.
pub fn log_out(ctx: &mut RpcCtx<'_>) -> Result<Vec<u8>, RpcError> {
    ctx.require_user()?;
    let perm = ctx.perm_key_id();
    ctx.state.store().set_user(perm, None)?;
    let mut w = Writer::new();
    w.id(0xc3a2835f).int(0);
    Ok(w.finish())
}
