//! Changes to a channel besides new messages and deletions
//! (core.telegram.org/api/channel, /api/updates#channel-pts):
//! `messages.editMessage` of a channel message, read receipts for authors
//! (`updateReadChannelOutbox`) and `channels.deleteChannel`.
//!
//! An edit takes one `pts` of the channel's box; every online session of
//! every member but the editing one gets `updates` with
//! `updateEditChannelMessage`, the editor gets the same object as its answer
//! and `updates.getChannelDifference` replays it in `other_updates`.

use std::collections::BTreeSet;

use hearth_tl::{enums, functions as f, types, Identifiable, Serializable};

use super::messages::push_each;

use crate::rpc::ctx::{decode, RpcCtx, RpcError};
use crate::rpc::tl::{
    check, input_channel, message_users, met_users, tl_channel, tl_channel_message, with, Need,
};
use crate::state::unix_now;

/// Answers `channels.deleteChannel`; `None` for any other method.
pub fn dispatch(ctx: &mut RpcCtx<'_>, id: u32, body: &[u8]) -> Option<Result<Vec<u8>, RpcError>> {
    match id {
        f::channels::DeleteChannel::CONSTRUCTOR_ID => {
            Some(decode(body).and_then(|q| delete_channel(ctx, q)))
        }
        _ => None,
    }
}

/// Who may edit message `m` of `ch`: in a broadcast channel the creator and
/// admins (they edit every post), in a supergroup only its author, who must
/// still be a member (core.telegram.org/method/messages.editMessage).
fn may_edit(ch: &crate::channels::Channel, m: &crate::channels::ChannelMessage, me: i64) -> bool {
    if ch.broadcast() {
        ch.is_admin(me)
    } else {
        m.from == me && ch.is_member(me)
    }
}

/// `messages.editMessage` with an `inputPeerChannel`: errors in Telegram's
/// order: `MEDIA_INVALID` (localdc edits text only), `MESSAGE_ID_INVALID`
/// (no such message, or a service message), 403 `MESSAGE_AUTHOR_REQUIRED`,
/// the text rules, `MESSAGE_NOT_MODIFIED`, then the 48-hour limit
/// (`MESSAGE_EDIT_TIME_EXPIRED`), which broadcast posts do not have.
pub fn edit_message(
    ctx: &mut RpcCtx<'_>,
    peer: &types::InputPeerChannel,
    req: f::messages::EditMessage,
) -> Result<Vec<u8>, RpcError> {
    let me = ctx.require_user()?;
    let id = peer.channel_id;
    check(ctx, me, id, peer.access_hash, Need::Read)?;
    if req.media.is_some() {
        return Err(RpcError::bad_request("MEDIA_INVALID"));
    }
    let (original, broadcast, allowed) = with(ctx, id, |ch| {
        let m = ch.messages.get(&req.id).filter(|m| m.action.is_none());
        (
            m.cloned(),
            ch.broadcast(),
            m.is_some_and(|m| may_edit(ch, m, me)),
        )
    })?;
    let original = original.ok_or_else(|| RpcError::bad_request("MESSAGE_ID_INVALID"))?;
    if !allowed {
        return Err(RpcError::new(403, "MESSAGE_AUTHOR_REQUIRED"));
    }
    let text = req.message.clone().unwrap_or_else(|| original.text.clone());
    if original.document.is_none() {
        crate::rpc::tl::check_text(&text)?;
    } else if text.chars().count() > 1024 {
        return Err(RpcError::bad_request("MEDIA_CAPTION_TOO_LONG"));
    }
    if text == original.text {
        return Err(RpcError::bad_request("MESSAGE_NOT_MODIFIED"));
    }
    let now = unix_now();
    if !broadcast && now - i64::from(original.date) > crate::rpc::tl::EDIT_TIME_LIMIT {
        return Err(RpcError::bad_request("MESSAGE_EDIT_TIME_EXPIRED"));
    }
    let date = now as i32;
    let (edited, pts, members) = with(ctx, id, |ch| {
        let edited = ch.edit(req.id, &text, date);
        (
            edited,
            ch.pts,
            ch.members.keys().copied().collect::<Vec<_>>(),
        )
    })?;
    let edited = edited.ok_or_else(|| RpcError::bad_request("MESSAGE_ID_INVALID"))?;
    let users = message_users([&edited]);
    let build = |viewer: i64, chat: enums::Chat| -> Result<types::Updates, RpcError> {
        let message = with(ctx, id, |ch| tl_channel_message(ctx, ch, &edited, viewer))?;
        Ok(types::Updates {
            updates: vec![enums::Update::UpdateEditChannelMessage(
                types::UpdateEditChannelMessage {
                    message: Box::new(message),
                    pts,
                    pts_count: 1,
                },
            )],
            users: met_users(ctx, viewer, users.iter().copied()),
            chats: vec![chat],
            date,
            seq: 0,
        })
    };
    let origin = (ctx.key_id, ctx.session_id);
    for &m in &members {
        let chat = with(ctx, id, |ch| tl_channel(ch, m))?;
        ctx.state
            .push_to_user(m, origin, &build(m, chat)?.to_bytes());
    }
    let chat = with(ctx, id, |ch| tl_channel(ch, me))?;
    Ok(build(me, chat)?.to_bytes())
}

/// After `reader` moved its read mark in channel `id` from `before` to
/// `after`: each other author of a message in between gets
/// `updateReadChannelOutbox` with the new mark on all its sessions.
pub fn push_read_outbox(
    ctx: &RpcCtx<'_>,
    id: i64,
    reader: i64,
    before: i32,
    after: i32,
) -> Result<(), RpcError> {
    if after <= before {
        return Ok(());
    }
    let authors: BTreeSet<i64> = with(ctx, id, |ch| {
        ch.messages
            .range(before + 1..=after)
            .filter(|(_, m)| m.action.is_none() && m.from != reader)
            .map(|(_, m)| m.from)
            .filter(|a| ch.is_member(*a))
            .collect()
    })?;
    let authors: Vec<i64> = authors.into_iter().collect();
    let date = unix_now() as i32;
    let update = enums::Update::UpdateReadChannelOutbox(types::UpdateReadChannelOutbox {
        channel_id: id,
        max_id: after,
    });
    push_each(
        ctx,
        id,
        &authors,
        (ctx.key_id, ctx.session_id),
        |_, chat| {
            types::Updates {
                updates: vec![update.clone()],
                users: Vec::new(),
                chats: vec![chat],
                date,
                seq: 0,
            }
            .to_bytes()
        },
    )
}

/// `channels.deleteChannel`: only the creator (`CHAT_ADMIN_REQUIRED`
/// otherwise). Every member's sessions get `updates` with `updateChannel`
/// and the channel as `channelForbidden`; the creator is answered with the
/// same. Afterwards the channel is `CHANNEL_INVALID` to every method that
/// reads it and gone from the dialogs.
fn delete_channel(
    ctx: &mut RpcCtx<'_>,
    req: f::channels::DeleteChannel,
) -> Result<Vec<u8>, RpcError> {
    let me = ctx.require_user()?;
    let id = input_channel(ctx, me, &req.channel, Need::Read)?;
    if with(ctx, id, |ch| ch.creator != me)? {
        return Err(RpcError::bad_request("CHAT_ADMIN_REQUIRED"));
    }
    let members = ctx.state.channels().delete_channel(id);
    let date = unix_now() as i32;
    let build = |chat: enums::Chat| {
        types::Updates {
            updates: vec![enums::Update::UpdateChannel(types::UpdateChannel {
                channel_id: id,
            })],
            users: Vec::new(),
            chats: vec![chat],
            date,
            seq: 0,
        }
        .to_bytes()
    };
    push_each(
        ctx,
        id,
        &members,
        (ctx.key_id, ctx.session_id),
        |_, chat| build(chat),
    )?;
    Ok(build(with(ctx, id, |ch| tl_channel(ch, me))?))
}
