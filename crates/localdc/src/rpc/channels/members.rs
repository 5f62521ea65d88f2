//! Joining and leaving channels (core.telegram.org/method/channels.joinChannel,
//! core.telegram.org/method/channels.leaveChannel) and the service messages
//! membership changes post in supergroups.

use hearth_tl::{enums, functions as f, types, Serializable};

use super::messages as cm;

use crate::channels::Action;
use crate::rpc::ctx::{RpcCtx, RpcError};
use crate::rpc::tl::{
    input_channel, met_users, require_human, tl_channel, tl_channel_message, with, Need,
};
use crate::state::unix_now;

/// The most channels and supergroups one account may be in
/// (`CHANNELS_TOO_MUCH` beyond), as on Telegram for non-premium accounts.
pub const MAX_CHANNELS_PER_ACCOUNT: usize = 500;

/// `CHANNELS_TOO_MUCH` when `me` is already in the most channels allowed.
pub(super) fn room_for_one_more(ctx: &RpcCtx<'_>, me: i64) -> Result<(), RpcError> {
    if ctx.state.channels().of_member(me).count() >= MAX_CHANNELS_PER_ACCOUNT {
        return Err(RpcError::bad_request("CHANNELS_TOO_MUCH"));
    }
    Ok(())
}

/// `channels.joinChannel` → `messages.chatInviteJoinResultOk` (layer 229).
/// Only public channels can be joined this way; joining a supergroup posts
/// `messageActionChatAddUser` to its members.
pub(super) fn join(
    ctx: &mut RpcCtx<'_>,
    req: f::channels::JoinChannel,
) -> Result<Vec<u8>, RpcError> {
    let me = require_human(ctx)?;
    let id = input_channel(ctx, me, &req.channel, Need::Met)?;
    if !with(ctx, id, |ch| ch.is_member(me))? {
        room_for_one_more(ctx, me)?;
    }
    let date = unix_now() as i32;
    with(ctx, id, |ch| {
        if ch.is_member(me) {
            return Err(RpcError::bad_request("USER_ALREADY_PARTICIPANT"));
        }
        if !ch.is_public() {
            return Err(RpcError::bad_request("CHANNEL_PRIVATE"));
        }
        ch.members.insert(me, date);
        Ok(())
    })??;
    let action = Action::AddUser(vec![me]);
    let updates = membership_changed(ctx, me, id, date, action, &[me])?;
    Ok(types::messages::ChatInviteJoinResultOk {
        updates: Box::new(enums::Updates::Updates(updates)),
    }
    .to_bytes())
}

/// `channels.leaveChannel` → `updates` with `updateChannel`; the creator
/// cannot leave (`USER_CREATOR`).
pub(super) fn leave(
    ctx: &mut RpcCtx<'_>,
    req: f::channels::LeaveChannel,
) -> Result<Vec<u8>, RpcError> {
    let me = ctx.require_user()?;
    let id = input_channel(ctx, me, &req.channel, Need::Met)?;
    with(ctx, id, |ch| {
        if !ch.is_member(me) {
            return Err(RpcError::bad_request("USER_NOT_PARTICIPANT"));
        }
        if ch.creator == me {
            return Err(RpcError::bad_request("USER_CREATOR"));
        }
        ch.members.remove(&me);
        ch.admins.remove(&me);
        Ok(())
    })??;
    // A channel once met stays met: later requests see CHANNEL_PRIVATE, not CHANNEL_INVALID.
    ctx.state.channels().meet(me, id);
    let date = unix_now() as i32;
    let updates = membership_changed(ctx, me, id, date, Action::DeleteUser(me), &[me])?;
    Ok(updates.to_bytes())
}

/// After `subjects` joined, left or were added to channel `id` by `me`: in
/// a supergroup a service message from `me` is posted to the members (and
/// `me`); the subjects' sessions (but the request's own) get
/// `updateChannel`. Returns `me`'s answer.
pub(super) fn membership_changed(
    ctx: &RpcCtx<'_>,
    me: i64,
    id: i64,
    date: i32,
    action: Action,
    subjects: &[i64],
) -> Result<types::Updates, RpcError> {
    let origin = (ctx.key_id, ctx.session_id);
    // The subjects learn about the channel before any message in it.
    for &subject in subjects {
        let notice = types::Updates {
            updates: vec![enums::Update::UpdateChannel(types::UpdateChannel {
                channel_id: id,
            })],
            users: Vec::new(),
            chats: vec![with(ctx, id, |ch| tl_channel(ch, subject))?],
            date,
            seq: 0,
        };
        ctx.state.push_to_user(subject, origin, &notice.to_bytes());
    }
    let mut mine = vec![enums::Update::UpdateChannel(types::UpdateChannel {
        channel_id: id,
    })];
    if with(ctx, id, |ch| ch.megagroup)? {
        mine.push(post_service(ctx, me, id, date, action)?);
    }
    let chat = with(ctx, id, |ch| tl_channel(ch, me))?;
    Ok(types::Updates {
        updates: mine,
        users: met_users(ctx, me, std::iter::once(me).chain(subjects.iter().copied())),
        chats: vec![chat],
        date,
        seq: 0,
    })
}

/// Posts a service message from `me` in channel `id`, pushes it to every
/// member (and `me`) but the request's session, and returns `me`'s
/// `updateNewChannelMessage`.
pub(super) fn post_service(
    ctx: &RpcCtx<'_>,
    me: i64,
    id: i64,
    date: i32,
    action: Action,
) -> Result<enums::Update, RpcError> {
    let posted = with(ctx, id, |ch| ch.post(me, "", date, Some(action), true))?;
    let mut audience = with(ctx, id, |ch| ch.members.keys().copied().collect::<Vec<_>>())?;
    if !audience.contains(&me) {
        audience.push(me);
    }
    cm::push_new_message(ctx, id, &posted, &audience, (ctx.key_id, ctx.session_id))?;
    let message = with(ctx, id, |ch| tl_channel_message(ctx, ch, &posted, me))?;
    Ok(enums::Update::UpdateNewChannelMessage(
        types::UpdateNewChannelMessage {
            message: Box::new(message),
            pts: posted.pts,
            pts_count: 1,
        },
    ))
}
