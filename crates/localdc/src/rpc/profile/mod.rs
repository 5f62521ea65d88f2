//! The account's own profile: `account.updateProfile`,
//! `account.checkUsername` and `account.updateUsername`
//! (core.telegram.org/method/account.updateProfile,
//! core.telegram.org/method/account.checkUsername,
//! core.telegram.org/method/account.updateUsername).
//!
//! Rules as Telegram applies them:
//! * a first name is 1–64 characters after trimming (`FIRSTNAME_INVALID`),
//!   a last name at most 64 (`LASTNAME_INVALID`), the bio at most 70
//!   (`ABOUT_TOO_LONG`); an absent field keeps its value;
//! * a username is 5–32 characters of `a-z`, `0-9` and `_`, starts with a
//!   letter, neither ends with `_` nor holds `__` (`USERNAME_INVALID`); one
//!   held by another user, a bot or a channel is `USERNAME_OCCUPIED`;
//!   setting the current one is `USERNAME_NOT_MODIFIED`; an empty one
//!   removes it.
//!
//! After a change of name or username, `updateUserName` (with the
//! `usernames` vector, core.telegram.org/constructor/updateUserName) is
//! pushed as `updateShort` to every other session of the account and to
//! every session of the users who saved it as a contact. Changes land in
//! the `users` state struct, which [`crate::persist`] snapshots.

use hearth_tl::{enums, functions as f, types, Identifiable, Serializable};

use crate::rpc::ctx::{decode, RpcCtx, RpcError};
use crate::state::unix_now;
use crate::users::{tl_user, User};

/// Longest first or last name, in characters.
pub const NAME_MAX: usize = 64;
/// Longest bio, in characters.
pub const ABOUT_MAX: usize = 70;

/// Answers the methods of this module; `None` for any other constructor.
pub fn dispatch(ctx: &mut RpcCtx<'_>, id: u32, body: &[u8]) -> Option<Result<Vec<u8>, RpcError>> {
    Some(match id {
        f::account::UpdateProfile::CONSTRUCTOR_ID => {
            decode(body).and_then(|r| update_profile(ctx, r))
        }
        f::account::CheckUsername::CONSTRUCTOR_ID => {
            decode(body).and_then(|r| check_username(ctx, r))
        }
        f::account::UpdateUsername::CONSTRUCTOR_ID => {
            decode(body).and_then(|r| update_username(ctx, r))
        }
        _ => return None,
    })
}

/// Telegram's username shape (see the module docs).
pub fn valid_username(name: &str) -> bool {
    crate::usernames::valid_username(name) && !name.contains("__")
}

/// Whether `name` belongs to a user other than `me` or to a channel.
fn occupied(ctx: &RpcCtx<'_>, me: i64, name: &str) -> bool {
    ctx.state
        .users()
        .find_username(name)
        .is_some_and(|u| u.id != me)
        || ctx.state.channels().find_username(name).is_some()
}

/// The caller's user as it sees itself (`self` flag set).
fn own_user(ctx: &RpcCtx<'_>, me: i64) -> Result<enums::User, RpcError> {
    let users = ctx.state.users();
    let u = users.get(me).ok_or_else(|| {
        RpcError::internal(format!("signed-in user {me} is not in the user table"))
    })?;
    Ok(tl_user(u, Some(me)))
}

/// `account.updateProfile` → the updated `user`.
pub fn update_profile(
    ctx: &mut RpcCtx<'_>,
    req: f::account::UpdateProfile,
) -> Result<Vec<u8>, RpcError> {
    let me = ctx.require_user()?;
    let first = req.first_name.as_deref().map(str::trim);
    if first.is_some_and(|n| n.is_empty() || n.chars().count() > NAME_MAX) {
        return Err(RpcError::bad_request("FIRSTNAME_INVALID"));
    }
    let last = req.last_name.as_deref().map(str::trim);
    if last.is_some_and(|n| n.chars().count() > NAME_MAX) {
        return Err(RpcError::bad_request("LASTNAME_INVALID"));
    }
    if req
        .about
        .as_deref()
        .is_some_and(|a| a.chars().count() > ABOUT_MAX)
    {
        return Err(RpcError::bad_request("ABOUT_TOO_LONG"));
    }
    let renamed = {
        let mut users = ctx.state.users();
        let u = users.get_mut(me).ok_or_else(|| {
            RpcError::internal(format!("signed-in user {me} is not in the user table"))
        })?;
        let before = (u.first_name.clone(), u.last_name.clone());
        if let Some(n) = first {
            u.first_name = n.to_owned();
        }
        if let Some(n) = last {
            u.last_name = n.to_owned();
        }
        if let Some(a) = &req.about {
            u.about = a.clone();
        }
        before != (u.first_name.clone(), u.last_name.clone())
    };
    if renamed {
        announce_name(ctx, me);
    }
    Ok(own_user(ctx, me)?.to_bytes())
}

/// `account.checkUsername` → `boolTrue` when `username` is free (or the
/// caller's own), `boolFalse` when taken; `USERNAME_INVALID` for a bad shape.
pub fn check_username(
    ctx: &mut RpcCtx<'_>,
    req: f::account::CheckUsername,
) -> Result<Vec<u8>, RpcError> {
    let me = ctx.require_user()?;
    if !valid_username(&req.username) {
        return Err(RpcError::bad_request("USERNAME_INVALID"));
    }
    Ok((!occupied(ctx, me, &req.username)).to_bytes())
}

/// `account.updateUsername` → the updated `user`.
pub fn update_username(
    ctx: &mut RpcCtx<'_>,
    req: f::account::UpdateUsername,
) -> Result<Vec<u8>, RpcError> {
    let me = ctx.require_user()?;
    let new = (!req.username.is_empty()).then(|| req.username.clone());
    let current = ctx.state.users().get(me).and_then(|u| u.username.clone());
    if current == new {
        return Err(RpcError::bad_request("USERNAME_NOT_MODIFIED"));
    }
    if let Some(name) = &new {
        if !valid_username(name) {
            return Err(RpcError::bad_request("USERNAME_INVALID"));
        }
        if occupied(ctx, me, name) {
            return Err(RpcError::bad_request("USERNAME_OCCUPIED"));
        }
    }
    if let Some(u) = ctx.state.users().get_mut(me) {
        u.username = new;
    }
    announce_name(ctx, me);
    Ok(own_user(ctx, me)?.to_bytes())
}

/// `updateUserName` for `u` as `viewer` sees it: the name the viewer saved
/// it under, if any, and its username (editable only for the user itself).
fn update_user_name(u: &User, viewer: i64) -> enums::Update {
    let saved = u
        .contact_of
        .get(&viewer)
        .filter(|n| !n.first_name.is_empty());
    let (first_name, last_name) = match saved {
        Some(n) => (n.first_name.clone(), n.last_name.clone()),
        None => (u.first_name.clone(), u.last_name.clone()),
    };
    let usernames = u
        .username
        .iter()
        .map(|name| {
            enums::Username::Username(types::Username {
                editable: viewer == u.id,
                active: true,
                username: name.clone(),
            })
        })
        .collect();
    enums::Update::UpdateUserName(types::UpdateUserName {
        user_id: u.id,
        first_name,
        last_name,
        usernames,
    })
}

/// Pushes `updateUserName` for `me` to its other sessions and to the
/// users who saved it as a contact.
fn announce_name(ctx: &RpcCtx<'_>, me: i64) {
    let date = unix_now() as i32;
    let origin = (ctx.key_id, ctx.session_id);
    let pushes: Vec<(i64, Vec<u8>)> = {
        let users = ctx.state.users();
        let Some(u) = users.get(me) else {
            return;
        };
        std::iter::once(me)
            .chain(u.contact_of.keys().copied().filter(|v| *v != me))
            .map(|viewer| {
                let short = crate::rpc::tl::short(update_user_name(u, viewer), date);
                (viewer, short.to_bytes())
            })
            .collect()
    };
    for (viewer, body) in pushes {
        ctx.state.push_to_user(viewer, origin, &body);
    }
}

#[cfg(test)]
mod tests;
