//! `auth.*` sign-in methods with Telegram's test-number rule
//! (core.telegram.org/api/auth#test-accounts): `99966XYYYY` lives on DC X and
//! its code is X repeated five times. A phone is served only by its home DC;
//! elsewhere the answer is `303 PHONE_MIGRATE_X`. `auth.sentCode` names SMS
//! as the resend channel after [`RESEND_AFTER_SECS`]; `auth.resendCode`
//! answers it. As on Telegram, a code for an account signed in elsewhere is
//! also delivered as a message from the service account 777000 ("Login code:
//! 12345. …") in the account's chat with it, pushed to every online session
//! (`sentCodeTypeApp`: "the code was sent through the Telegram app").

use hearth_tl::{enums, functions, types, Serializable};

use super::ctx::{RpcCtx, RpcError};
use crate::rpc::tl::authorization;
use crate::state::PendingCode;
use crate::world::test_phone_dc;

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
pub fn send_code(
    ctx: &mut RpcCtx<'_>,
    req: functions::auth::SendCode,
) -> Result<Vec<u8>, RpcError> {
    let phone = normalize_phone(&req.phone_number)?;
    if req.api_id <= 0 || req.api_hash.is_empty() {
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
    let owner = ctx.state.users().by_phone(&phone).map(|u| u.id);
    ctx.state.codes().insert(
        phone,
        PendingCode {
            phone_code_hash: hash.clone(),
            code: code.clone(),
        },
    );
    // Pending first: a session reading the message may sign in at once. Only an
    // account signed in somewhere gets the message (Telegram texts the others).
    let signed_in = owner.filter(|&id| {
        ctx.state
            .store()
            .authorizations(id)
            .is_ok_and(|rows| !rows.is_empty())
    });
    if let Some(owner) = signed_in {
        deliver_code(ctx, owner, &code);
    }
    Ok(types::auth::SentCode {
        type_: enums::auth::SentCodeType::SentCodeTypeApp(types::auth::SentCodeTypeApp {
            length: 5,
        }),
        phone_code_hash: hash,
        next_type: Some(enums::auth::CodeType::CodeTypeSms),
        timeout: Some(RESEND_AFTER_SECS),
    }
    .to_bytes())
}

/// The login code as Telegram words it, from 777000 to `owner`, pushed as
/// `updateNewMessage` (with both users, so a client that never met 777000
/// can show it) to every online session of `owner`.
fn deliver_code(ctx: &mut RpcCtx<'_>, owner: i64, code: &str) {
    let secret = *ctx.state.secret();
    let service = ctx.state.users().service_account(&secret);
    let text = format!(
        "Login code: {code}. Do not give this code to anyone, even if they say they are from \
         Telegram!\n\nThis code can be used to log in to your Telegram account. We never ask \
         it for anything else.\n\nIf you didn't request this code by trying to log in on \
         another device, simply ignore this message."
    );
    let date = crate::state::unix_now() as i32;
    let (_, received) = ctx
        .state
        .mailboxes()
        .send(service, owner, &text, date, None);
    let Some(received) = received else { return };
    let updates = types::Updates {
        updates: vec![enums::Update::UpdateNewMessage(types::UpdateNewMessage {
            message: Box::new(super::tl::tl_message(&received)),
            pts: received.pts,
            pts_count: 1,
        })],
        users: super::tl::tl_users(ctx, owner, [owner, service]),
        chats: Vec::new(),
        date,
        seq: 0,
    };
    crate::seq::push_updates(ctx.state, owner, (ctx.key_id, ctx.session_id), updates);
}

/// Seconds `auth.sentCode` asks the client to wait before `auth.resendCode`.
pub const RESEND_AFTER_SECS: i32 = 60;

/// `auth.resendCode`: the pending code again, "by SMS" (a test number's
/// code stays its DC digit five times), with the same `phone_code_hash`;
/// `PHONE_CODE_EXPIRED` when no code is pending under that hash.
pub fn resend_code(
    ctx: &mut RpcCtx<'_>,
    req: functions::auth::ResendCode,
) -> Result<Vec<u8>, RpcError> {
    let phone = normalize_phone(&req.phone_number)?;
    check_dc(ctx, &phone)?;
    if req.phone_code_hash.is_empty() {
        return Err(RpcError::bad_request("PHONE_CODE_HASH_EMPTY"));
    }
    let codes = ctx.state.codes();
    match codes.get(&phone) {
        Some(p) if p.phone_code_hash == req.phone_code_hash => {}
        _ => return Err(RpcError::bad_request("PHONE_CODE_EXPIRED")),
    }
    Ok(types::auth::SentCode {
        type_: enums::auth::SentCodeType::SentCodeTypeSms(types::auth::SentCodeTypeSms {
            length: 5,
        }),
        phone_code_hash: req.phone_code_hash,
        next_type: None,
        timeout: None,
    }
    .to_bytes())
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
pub fn sign_in(ctx: &mut RpcCtx<'_>, req: functions::auth::SignIn) -> Result<Vec<u8>, RpcError> {
    let phone = normalize_phone(&req.phone_number)?;
    let hash = req.phone_code_hash;
    let code = req.phone_code;
    check_dc(ctx, &phone)?;
    check_code(ctx, &phone, &hash, code.as_deref())?;
    let user = ctx
        .state
        .users()
        .by_phone(&phone)
        .map(|u| (u.id, u.password.is_some()));
    match user {
        None => Ok(types::auth::AuthorizationSignUpRequired {
            terms_of_service: None,
        }
        .to_bytes()),
        Some((id, true)) => {
            ctx.state.codes().remove(&phone);
            let perm = ctx.perm_key_id();
            ctx.state.srp().password_needed(perm, id);
            Err(RpcError::new(401, "SESSION_PASSWORD_NEEDED"))
        }
        Some((id, false)) => {
            ctx.state.codes().remove(&phone);
            authorization(ctx, id)
        }
    }
}

/// `auth.signUp`: registers the number after a verified code.
pub fn sign_up(ctx: &mut RpcCtx<'_>, req: functions::auth::SignUp) -> Result<Vec<u8>, RpcError> {
    let phone = normalize_phone(&req.phone_number)?;
    let hash = req.phone_code_hash;
    let (first, last) = (req.first_name, req.last_name);
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
    // Accounts that imported this number (contacts.importContacts) now have
    // the new user as a contact, as Telegram's synced phone books do.
    let importers = ctx.state.phone_book().registered(&phone);
    for (owner, name) in importers.into_iter().flatten() {
        ctx.state.users().add_contact(owner, user.id, name);
        ctx.state.mailboxes().meet(owner, user.id);
    }
    authorization(ctx, user.id)
}

/// `auth.logOut` → `auth.loggedOut`; the key stays valid but signed out.
pub fn log_out(ctx: &mut RpcCtx<'_>) -> Result<Vec<u8>, RpcError> {
    ctx.require_user()?;
    let perm = ctx.perm_key_id();
    ctx.state.store().sign_out(perm)?;
    Ok(types::auth::LoggedOut {
        future_auth_token: None,
    }
    .to_bytes())
}

/// `auth.importBotAuthorization`: a world bot's token signs the bot in on its
/// DC (`303 USER_MIGRATE_X` elsewhere); any other token is
/// `ACCESS_TOKEN_INVALID`.
pub fn import_bot_authorization(
    ctx: &mut RpcCtx<'_>,
    req: functions::auth::ImportBotAuthorization,
) -> Result<Vec<u8>, RpcError> {
    if req.api_id <= 0 || req.api_hash.is_empty() {
        return Err(RpcError::bad_request("API_ID_INVALID"));
    }
    let bot = ctx
        .state
        .world
        .bots
        .iter()
        .find(|b| b.token == req.bot_auth_token)
        .map(|b| (b.user_id(), b.dc));
    let Some((Some(id), dc)) = bot else {
        return Err(RpcError::bad_request("ACCESS_TOKEN_INVALID"));
    };
    if ctx.dc_id.abs() % 10000 != dc {
        return Err(RpcError::new(303, format!("USER_MIGRATE_{dc}")));
    }
    authorization(ctx, id)
}
