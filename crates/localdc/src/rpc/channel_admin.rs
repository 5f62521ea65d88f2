//! Managing a channel: `channels.checkUsername`/`updateUsername` (making it
//! public or private) and `channels.inviteToChannel`
//! (core.telegram.org/method/channels.updateUsername,
//! core.telegram.org/method/channels.inviteToChannel).

use hearth_tl::{enums, functions as f, types, Serializable};

use super::channels::{input_channel, membership_changed, require_person, with, Need};
use super::{RpcCtx, RpcError};
use crate::channels::{valid_username, Action};
use crate::state::unix_now;

/// Whether `name` is taken by a user, a bot or another channel than `id`.
fn occupied(ctx: &RpcCtx<'_>, id: i64, name: &str) -> bool {
    ctx.state.users().find_username(name).is_some()
        || ctx
            .state
            .channels()
            .find_username(name)
            .is_some_and(|c| c.id != id)
}

/// `channels.checkUsername` → `boolTrue` when `username` is valid and free
/// for the channel; `USERNAME_INVALID` / `USERNAME_OCCUPIED` otherwise.
pub fn check_username(
    ctx: &mut RpcCtx<'_>,
    req: f::channels::CheckUsername,
) -> Result<Vec<u8>, RpcError> {
    let me = require_person(ctx)?;
    let id = input_channel(ctx, me, &req.channel, Need::Read)?;
    if !valid_username(&req.username) {
        return Err(RpcError::bad_request("USERNAME_INVALID"));
    }
    if occupied(ctx, id, &req.username) {
        return Err(RpcError::bad_request("USERNAME_OCCUPIED"));
    }
    Ok(true.to_bytes())
}

/// `channels.updateUsername`: the creator makes the channel public under
/// `username`, or private with an empty one; the members are sent
/// `updateChannel`. Setting the current value is `USERNAME_NOT_MODIFIED`.
pub fn update_username(
    ctx: &mut RpcCtx<'_>,
    req: f::channels::UpdateUsername,
) -> Result<Vec<u8>, RpcError> {
    let me = require_person(ctx)?;
    let id = input_channel(ctx, me, &req.channel, Need::Read)?;
    let new = (!req.username.is_empty()).then(|| req.username.clone());
    let (creator, current) = with(ctx, id, |ch| (ch.creator, ch.username.clone()))?;
    if creator != me {
        return Err(RpcError::bad_request("CHAT_ADMIN_REQUIRED"));
    }
    let same = match (&current, &new) {
        (Some(a), Some(b)) => a.eq_ignore_ascii_case(b),
        (None, None) => true,
        _ => false,
    };
    if same {
        return Err(RpcError::bad_request("USERNAME_NOT_MODIFIED"));
    }
    if let Some(name) = &new {
        if !valid_username(name) {
            return Err(RpcError::bad_request("USERNAME_INVALID"));
        }
        if occupied(ctx, id, name) {
            return Err(RpcError::bad_request("USERNAME_OCCUPIED"));
        }
    }
    let members = with(ctx, id, |ch| {
        ch.username = new;
        ch.members.keys().copied().collect::<Vec<_>>()
    })?;
    super::channel_messages::push_each(
        ctx,
        id,
        &members,
        (ctx.key_id, ctx.session_id),
        |_, chat| {
            types::Updates {
                updates: vec![enums::Update::UpdateChannel(types::UpdateChannel {
                    channel_id: id,
                })],
                users: Vec::new(),
                chats: vec![chat],
                date: unix_now() as i32,
                seq: 0,
            }
            .to_bytes()
        },
    )?;
    Ok(true.to_bytes())
}

/// `channels.inviteToChannel` → `messages.invitedUsers`. Admins invite to
/// any channel, members to supergroups (`CHAT_ADMIN_REQUIRED` otherwise);
/// every invitee must be a user the inviter met with the right hash
/// (`USER_ID_INVALID`). Existing members are skipped; if nobody is left,
/// `USER_ALREADY_PARTICIPANT`. In a supergroup the invite posts
/// `messageActionChatAddUser`.
pub fn invite(
    ctx: &mut RpcCtx<'_>,
    req: f::channels::InviteToChannel,
) -> Result<Vec<u8>, RpcError> {
    let me = require_person(ctx)?;
    let id = input_channel(ctx, me, &req.channel, Need::Read)?;
    if req.users.is_empty() {
        return Err(RpcError::bad_request("USERS_TOO_FEW"));
    }
    if req.users.len() > 200 {
        return Err(RpcError::bad_request("USERS_TOO_MUCH"));
    }
    let allowed = with(ctx, id, |ch| {
        ch.is_admin(me) || (ch.megagroup && ch.is_member(me))
    })?;
    if !allowed {
        return Err(RpcError::bad_request("CHAT_ADMIN_REQUIRED"));
    }
    let mut invitees = Vec::new();
    for input in &req.users {
        let user = match input {
            enums::InputUser::InputUser(u) => {
                let known = ctx
                    .state
                    .users()
                    .get(u.user_id)
                    .is_some_and(|x| x.access_hash_for(me) == u.access_hash);
                if !known || !ctx.state.mailboxes().has_met(me, u.user_id) {
                    return Err(RpcError::bad_request("USER_ID_INVALID"));
                }
                u.user_id
            }
            enums::InputUser::InputUserSelf => me,
            _ => return Err(RpcError::bad_request("USER_ID_INVALID")),
        };
        if !invitees.contains(&user) {
            invitees.push(user);
        }
    }
    let date = unix_now() as i32;
    let added = with(ctx, id, |ch| {
        invitees.retain(|u| !ch.is_member(*u));
        for u in &invitees {
            ch.members.insert(*u, date);
        }
        invitees.clone()
    })?;
    if added.is_empty() {
        return Err(RpcError::bad_request("USER_ALREADY_PARTICIPANT"));
    }
    let updates = membership_changed(ctx, me, id, date, Action::AddUser(added.clone()), &added)?;
    Ok(types::messages::InvitedUsers {
        updates: Box::new(enums::Updates::Updates(updates)),
        missing_invitees: Vec::new(),
    }
    .to_bytes())
}
