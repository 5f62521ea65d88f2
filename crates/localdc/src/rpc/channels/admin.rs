//! Managing a channel: `channels.checkUsername`/`updateUsername` (making it
//! public or private), `channels.inviteToChannel`, `channels.editTitle` and
//! `channels.editAdmin` (core.telegram.org/method/channels.updateUsername,
//! core.telegram.org/method/channels.inviteToChannel,
//! core.telegram.org/method/channels.editTitle,
//! core.telegram.org/method/channels.editAdmin).

use hearth_tl::{enums, functions as f, types, Serializable};

use super::members::{membership_changed, post_service};

use crate::channels::Action;
use crate::rpc::ctx::{RpcCtx, RpcError};
use crate::rpc::tl::{input_channel, met_users, require_human, tl_channel, with, Need};
use crate::state::unix_now;
use crate::usernames::valid_username;

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
    let me = require_human(ctx)?;
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
    let me = require_human(ctx)?;
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
    super::messages::push_each(
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
    let me = require_human(ctx)?;
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
        let user = input_user(ctx, me, input)?;
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

/// A user `me` may name in a request: itself, or a user it met with the
/// hash it was given; anything else is `USER_ID_INVALID`.
fn input_user(ctx: &RpcCtx<'_>, me: i64, input: &enums::InputUser) -> Result<i64, RpcError> {
    let invalid = || RpcError::bad_request("USER_ID_INVALID");
    match input {
        enums::InputUser::InputUserSelf => Ok(me),
        enums::InputUser::InputUser(u) => {
            let known = ctx
                .state
                .users()
                .get(u.user_id)
                .is_some_and(|x| x.access_hash_for(me) == u.access_hash);
            if known && ctx.state.mailboxes().has_met(me, u.user_id) {
                Ok(u.user_id)
            } else {
                Err(invalid())
            }
        }
        _ => Err(invalid()),
    }
}

/// `channels.editTitle` → `updates` with the `messageActionChatEditTitle`
/// service message, pushed to the members. Admins only
/// (`CHAT_ADMIN_REQUIRED`); an empty title is `CHAT_TITLE_EMPTY`, the
/// current one `CHAT_NOT_MODIFIED`.
pub fn edit_title(ctx: &mut RpcCtx<'_>, req: f::channels::EditTitle) -> Result<Vec<u8>, RpcError> {
    let me = ctx.require_user()?;
    let id = input_channel(ctx, me, &req.channel, Need::Read)?;
    let title = req.title.trim().to_owned();
    if title.is_empty() {
        return Err(RpcError::bad_request("CHAT_TITLE_EMPTY"));
    }
    with(ctx, id, |ch| {
        if !ch.is_member(me) || !ch.is_admin(me) {
            return Err(RpcError::bad_request("CHAT_ADMIN_REQUIRED"));
        }
        if ch.title == title {
            return Err(RpcError::bad_request("CHAT_NOT_MODIFIED"));
        }
        ch.title = title.clone();
        Ok(())
    })??;
    let date = unix_now() as i32;
    let update = post_service(ctx, me, id, date, Action::EditTitle { title })?;
    Ok(types::Updates {
        updates: vec![update],
        users: met_users(ctx, me, [me]),
        chats: vec![with(ctx, id, |ch| tl_channel(ch, me))?],
        date,
        seq: 0,
    }
    .to_bytes())
}

/// `channels.editAdmin` → `updates` with `updateChannel`: the creator makes
/// a member an admin (any right set) or a plain member again (no right
/// set). Admins here hold one fixed set of rights (posting, deleting,
/// inviting, ... but not adding admins). Only the creator promotes
/// (`CHAT_ADMIN_REQUIRED`); the creator's own rights are fixed
/// (`USER_CREATOR`); non-members are `USER_NOT_PARTICIPANT`. The user
/// concerned is sent `updateChannel`.
pub fn edit_admin(ctx: &mut RpcCtx<'_>, req: f::channels::EditAdmin) -> Result<Vec<u8>, RpcError> {
    let me = require_human(ctx)?;
    let id = input_channel(ctx, me, &req.channel, Need::Read)?;
    let user = input_user(ctx, me, &req.user_id)?;
    let enums::ChatAdminRights::ChatAdminRights(r) = &req.admin_rights;
    let any = r.change_info
        || r.post_messages
        || r.edit_messages
        || r.delete_messages
        || r.ban_users
        || r.invite_users
        || r.pin_messages
        || r.add_admins
        || r.anonymous
        || r.manage_call
        || r.other
        || r.manage_topics
        || r.post_stories
        || r.edit_stories
        || r.delete_stories
        || r.manage_direct_messages
        || r.manage_ranks
        || r.manage_linked_peers
        || r.manage_welcome_messages;
    with(ctx, id, |ch| {
        if ch.creator != me {
            return Err(RpcError::bad_request("CHAT_ADMIN_REQUIRED"));
        }
        if user == ch.creator {
            return Err(RpcError::bad_request("USER_CREATOR"));
        }
        if !ch.is_member(user) {
            return Err(RpcError::bad_request("USER_NOT_PARTICIPANT"));
        }
        if any {
            ch.admins.insert(user);
        } else {
            ch.admins.remove(&user);
        }
        Ok(())
    })??;
    let date = unix_now() as i32;
    let notice = |viewer: i64| -> Result<types::Updates, RpcError> {
        Ok(types::Updates {
            updates: vec![enums::Update::UpdateChannel(types::UpdateChannel {
                channel_id: id,
            })],
            users: met_users(ctx, viewer, [user]),
            chats: vec![with(ctx, id, |ch| tl_channel(ch, viewer))?],
            date,
            seq: 0,
        })
    };
    ctx.state.push_to_user(
        user,
        (ctx.key_id, ctx.session_id),
        &notice(user)?.to_bytes(),
    );
    Ok(notice(me)?.to_bytes())
}
