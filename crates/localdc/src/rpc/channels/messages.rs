//! Channel messages (text and uploaded documents) through the `messages.*`
//! methods, and pushing them (core.telegram.org/api/updates#channel-pts).
//!
//! A new channel message is pushed to every online session of every member
//! as `updates` with `updateNewChannelMessage { pts, pts_count: 1 }` carrying
//! the channel's `pts` and the channel in `chats`; the sender's request is
//! answered with `updates` too, with `updateMessageID` first, as Telegram
//! answers `messages.sendMessage` in a channel.

use hearth_tl::{enums, functions as f, types, Serializable};

use crate::channels::ChannelMessage;
use crate::rpc::ctx::{RpcCtx, RpcError};
use crate::rpc::tl::{
    channel_messages_answer, check, message_users, met_users, peer_channel, tl_channel,
    tl_channel_message, with, Need,
};
use crate::state::unix_now;

/// Sends `build(member, channel as member sees it)` to every online session
/// of every one of `members`, except `origin`.
pub fn push_each(
    ctx: &RpcCtx<'_>,
    id: i64,
    members: &[i64],
    origin: (u64, i64),
    build: impl Fn(i64, enums::Chat) -> Vec<u8>,
) -> Result<(), RpcError> {
    for &m in members {
        let chat = with(ctx, id, |ch| tl_channel(ch, m))?;
        ctx.state.push_to_user(m, origin, &build(m, chat));
    }
    Ok(())
}

/// Pushes `msg` (already in channel `id`) to `audience` as
/// `updateNewChannelMessage`.
pub fn push_new_message(
    ctx: &RpcCtx<'_>,
    id: i64,
    msg: &ChannelMessage,
    audience: &[i64],
    origin: (u64, i64),
) -> Result<(), RpcError> {
    let user_ids = message_users([msg]);
    for &viewer in audience {
        let (chat, message) = with(ctx, id, |ch| {
            (
                tl_channel(ch, viewer),
                tl_channel_message(ctx, ch, msg, viewer),
            )
        })?;
        let body = types::Updates {
            updates: vec![new_message_update(message, msg.pts)],
            users: met_users(ctx, viewer, user_ids.iter().copied()),
            chats: vec![chat],
            date: msg.date,
            seq: 0,
        };
        ctx.state.push_to_user(viewer, origin, &body.to_bytes());
    }
    Ok(())
}

fn new_message_update(message: enums::Message, pts: i32) -> enums::Update {
    enums::Update::UpdateNewChannelMessage(types::UpdateNewChannelMessage {
        message: Box::new(message),
        pts,
        pts_count: 1,
    })
}

/// `messages.sendMessage` to a channel.
/// Broadcast channels take posts from the creator and admins only,
/// supergroups from every member; others get `CHAT_WRITE_FORBIDDEN`.
pub fn send_message(
    ctx: &mut RpcCtx<'_>,
    peer: &types::InputPeerChannel,
    text: &str,
    random_id: i64,
) -> Result<Vec<u8>, RpcError> {
    let me = ctx.require_user()?;
    check(ctx, me, peer.channel_id, peer.access_hash, Need::Read)?;
    if text.trim().is_empty() {
        return Err(RpcError::bad_request("MESSAGE_EMPTY"));
    }
    if text.chars().count() > 4096 {
        return Err(RpcError::bad_request("MESSAGE_TOO_LONG"));
    }
    if !with(ctx, peer.channel_id, |ch| ch.can_post(me))? {
        return Err(RpcError::bad_request("CHAT_WRITE_FORBIDDEN"));
    }
    claim_random_id(ctx, me, peer.channel_id, random_id)?;
    post(ctx, me, peer.channel_id, text, None, random_id)
}

/// `messages.sendMedia` to a channel with an uploaded or existing photo or
/// document ([`crate::rpc::upload`]), under the rules of [`send_message`]; the
/// file lives on this DC like one sent to a private chat.
pub fn send_media(
    ctx: &mut RpcCtx<'_>,
    peer: &types::InputPeerChannel,
    req: f::messages::SendMedia,
) -> Result<Vec<u8>, RpcError> {
    let me = ctx.require_user()?;
    check(ctx, me, peer.channel_id, peer.access_hash, Need::Read)?;
    if !with(ctx, peer.channel_id, |ch| ch.can_post(me))? {
        return Err(RpcError::bad_request("CHAT_WRITE_FORBIDDEN"));
    }
    if req.message.chars().count() > 1024 {
        return Err(RpcError::bad_request("MEDIA_CAPTION_TOO_LONG"));
    }
    // Claimed once the media is valid, so a retry after a bad upload works.
    let media = crate::rpc::input_media::store_media(ctx, me, req.media)?;
    claim_random_id(ctx, me, peer.channel_id, req.random_id)?;
    post(
        ctx,
        me,
        peer.channel_id,
        &req.message,
        Some(media),
        req.random_id,
    )
}

/// Claims `random_id` for a message from `me` to channel `id`
/// ([`crate::random_ids`]); a repeat is `500 RANDOM_ID_DUPLICATE`.
pub fn claim_random_id(ctx: &RpcCtx<'_>, me: i64, id: i64, random_id: i64) -> Result<(), RpcError> {
    // Kept apart from users (positive) and basic groups (-id) by the same
    // offset the Bot API gives channel ids.
    let scope = -1_000_000_000_000 - id;
    if ctx.state.random_ids().claim(me, scope, random_id) {
        Ok(())
    } else {
        Err(crate::random_ids::duplicate())
    }
}

/// Posts a checked message to channel `id`, pushes it to the members and
/// builds the sender's answer: `updates` with `updateMessageID` first.
fn post(
    ctx: &RpcCtx<'_>,
    me: i64,
    id: i64,
    text: &str,
    document: Option<i64>,
    random_id: i64,
) -> Result<Vec<u8>, RpcError> {
    let date = unix_now() as i32;
    let (posted, members) = with(ctx, id, |ch| {
        if !ch.can_post(me) {
            return Err(RpcError::bad_request("CHAT_WRITE_FORBIDDEN"));
        }
        let posted = match document {
            Some(d) => ch.post_media(me, text, date, d, true),
            None => ch.post(me, text, date, None, true),
        };
        Ok((posted, ch.members.keys().copied().collect::<Vec<_>>()))
    })??;
    let origin = (ctx.key_id, ctx.session_id);
    push_new_message(ctx, id, &posted, &members, origin)?;
    let (chat, message) = with(ctx, id, |ch| {
        (tl_channel(ch, me), tl_channel_message(ctx, ch, &posted, me))
    })?;
    Ok(types::Updates {
        updates: vec![
            enums::Update::UpdateMessageId(types::UpdateMessageId {
                id: posted.id,
                random_id,
            }),
            new_message_update(message, posted.pts),
        ],
        users: met_users(ctx, me, [me]),
        chats: vec![chat],
        date,
        seq: 0,
    }
    .to_bytes())
}

/// `messages.getHistory` of a channel → `messages.channelMessages`, newest
/// first, below `offset_id`/`max_id` and above `min_id` when given.
pub fn get_history(
    ctx: &mut RpcCtx<'_>,
    peer: &types::InputPeerChannel,
    req: &f::messages::GetHistory,
) -> Result<Vec<u8>, RpcError> {
    let me = ctx.require_user()?;
    let id = peer.channel_id;
    check(ctx, me, id, peer.access_hash, Need::Read)?;
    let limit = req.limit.clamp(1, 100) as usize;
    let (messages, senders, chat, pts, count) = with(ctx, id, |ch| {
        let matching: Vec<&ChannelMessage> = ch
            .messages
            .values()
            .rev()
            .filter(|m| req.max_id <= 0 || m.id < req.max_id)
            .filter(|m| m.id > req.min_id)
            .collect();
        let picked =
            crate::rpc::offsets::window(matching, |m| m.id, req.offset_id, req.add_offset, limit);
        (
            picked
                .iter()
                .map(|m| tl_channel_message(ctx, ch, m, me))
                .collect::<Vec<_>>(),
            message_users(picked.iter().copied()),
            tl_channel(ch, me),
            ch.pts,
            ch.messages.len() as i32,
        )
    })?;
    Ok(channel_messages_answer(
        ctx, me, messages, senders, chat, pts, count,
    ))
}

/// `contacts.resolveUsername` of a public channel: `contacts.resolvedPeer`
/// with `peerChannel` and the channel in `chats`; the account has now met
/// it. `None` when no channel has this username.
pub fn resolve_username(ctx: &RpcCtx<'_>, username: &str) -> Result<Option<Vec<u8>>, RpcError> {
    let me = ctx.require_user()?;
    let name = username.trim_start_matches('@');
    let chat = {
        let mut all = ctx.state.channels();
        let Some(id) = all.find_username(name).map(|c| c.id) else {
            return Ok(None);
        };
        all.meet(me, id);
        all.get(id).map(|ch| (id, tl_channel(ch, me)))
    };
    Ok(chat.map(|(id, chat)| {
        types::contacts::ResolvedPeer {
            peer: peer_channel(id),
            chats: vec![chat],
            users: Vec::new(),
        }
        .to_bytes()
    }))
}
