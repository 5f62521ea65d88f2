//! `channels.*` methods (core.telegram.org/api/channel, /method/channels.*):
//! create, look up, join and leave channels and supergroups, list their
//! participants, fetch, read and delete their messages.
//!
//! Access rules (core.telegram.org/api/peers#access-hash): a channel the
//! account has not met, or a wrong `access_hash`, is `400 CHANNEL_INVALID`;
//! a private channel the account is no member of is `400 CHANNEL_PRIVATE`
//! (checked by [`crate::rpc::tl::peers`]).
//!
//! The methods live in submodules: [`admin`] (usernames, invites, titles,
//! admins), [`members`] (join, leave), [`messages`] (posting, history,
//! usernames, the pushes of new posts), [`edit`] (editing, deleting, read
//! marks, `deleteChannel`), [`search`] and [`difference`]
//! (`updates.getChannelDifference`); the channel objects themselves are
//! built in [`crate::rpc::tl::channel`].

pub mod admin;
pub mod difference;
pub mod edit;
pub mod members;
pub mod messages;
pub mod search;

use hearth_tl::{enums, functions as f, types, Identifiable, Serializable};

use self::messages as cm;
use crate::rpc::ctx::{decode, RpcCtx, RpcError};
use crate::rpc::tl::{
    input_channel, met_users, peer_channel, require_human, tl_channel, tl_channel_message, with,
    Need,
};
use crate::state::unix_now;

/// Answers the `channels.*` methods and `updates.getChannelDifference`.
pub fn dispatch(ctx: &mut RpcCtx<'_>, id: u32, body: &[u8]) -> Option<Result<Vec<u8>, RpcError>> {
    Some(match id {
        f::channels::CreateChannel::CONSTRUCTOR_ID => decode(body).and_then(|q| create(ctx, q)),
        f::channels::GetChannels::CONSTRUCTOR_ID => decode(body).and_then(|q| get_channels(ctx, q)),
        f::channels::GetFullChannel::CONSTRUCTOR_ID => {
            decode(body).and_then(|q| get_full_channel(ctx, q))
        }
        f::channels::GetParticipants::CONSTRUCTOR_ID => {
            decode(body).and_then(|q| super::participants::get_participants(ctx, q))
        }
        f::channels::GetParticipant::CONSTRUCTOR_ID => {
            decode(body).and_then(|q| super::participants::get_participant(ctx, q))
        }
        f::channels::GetMessages::CONSTRUCTOR_ID => decode(body).and_then(|q| get_messages(ctx, q)),
        f::channels::JoinChannel::CONSTRUCTOR_ID => {
            decode(body).and_then(|q| self::members::join(ctx, q))
        }
        f::channels::LeaveChannel::CONSTRUCTOR_ID => {
            decode(body).and_then(|q| self::members::leave(ctx, q))
        }
        f::channels::ReadHistory::CONSTRUCTOR_ID => decode(body).and_then(|q| read_history(ctx, q)),
        f::channels::DeleteMessages::CONSTRUCTOR_ID => {
            decode(body).and_then(|q| delete_messages(ctx, q))
        }
        f::channels::CheckUsername::CONSTRUCTOR_ID => {
            decode(body).and_then(|q| self::admin::check_username(ctx, q))
        }
        f::channels::UpdateUsername::CONSTRUCTOR_ID => {
            decode(body).and_then(|q| self::admin::update_username(ctx, q))
        }
        f::channels::InviteToChannel::CONSTRUCTOR_ID => {
            decode(body).and_then(|q| self::admin::invite(ctx, q))
        }
        f::channels::EditTitle::CONSTRUCTOR_ID => {
            decode(body).and_then(|q| self::admin::edit_title(ctx, q))
        }
        f::channels::EditAdmin::CONSTRUCTOR_ID => {
            decode(body).and_then(|q| self::admin::edit_admin(ctx, q))
        }
        f::updates::GetChannelDifference::CONSTRUCTOR_ID => {
            decode(body).and_then(|q| self::difference::get_channel_difference(ctx, q))
        }
        _ => return None,
    })
}

/// `channels.createChannel` → `updates` with `updateChannel` and the
/// `messageActionChannelCreate` service message as `updateNewChannelMessage`.
fn create(ctx: &mut RpcCtx<'_>, req: f::channels::CreateChannel) -> Result<Vec<u8>, RpcError> {
    let me = require_human(ctx)?;
    self::members::room_for_one_more(ctx, me)?;
    if req.title.trim().is_empty() {
        return Err(RpcError::bad_request("CHAT_TITLE_EMPTY"));
    }
    if req.about.chars().count() > 255 {
        return Err(RpcError::bad_request("CHAT_ABOUT_TOO_LONG"));
    }
    let date = unix_now() as i32;
    let id =
        ctx.state
            .channels()
            .create(me, req.title.trim(), &req.about, req.megagroup, date, true);
    let (chat, message, pts) = with(ctx, id, |ch| {
        let m = ch.top().cloned();
        (
            tl_channel(ch, me),
            m.map(|m| tl_channel_message(ctx, ch, &m, me)),
            ch.pts,
        )
    })?;
    let mut updates = vec![enums::Update::UpdateChannel(types::UpdateChannel {
        channel_id: id,
    })];
    if let Some(message) = message {
        updates.push(enums::Update::UpdateNewChannelMessage(
            types::UpdateNewChannelMessage {
                message: Box::new(message),
                pts,
                pts_count: 1,
            },
        ));
    }
    let answer = types::Updates {
        updates,
        users: met_users(ctx, me, [me]),
        chats: vec![chat],
        date,
        seq: 0,
    }
    .to_bytes();
    ctx.state
        .push_to_user(me, (ctx.key_id, ctx.session_id), &answer);
    Ok(answer)
}

/// `channels.getChannels` → `messages.chats`; every channel must pass the
/// access check.
fn get_channels(ctx: &mut RpcCtx<'_>, req: f::channels::GetChannels) -> Result<Vec<u8>, RpcError> {
    let me = ctx.require_user()?;
    if req.id.len() > 200 {
        return Err(RpcError::bad_request("LIMIT_INVALID"));
    }
    let mut chats = Vec::new();
    for input in &req.id {
        let id = input_channel(ctx, me, input, Need::Seen)?;
        chats.push(with(ctx, id, |ch| tl_channel(ch, me))?);
    }
    Ok(types::messages::Chats { chats }.to_bytes())
}

/// `channels.getFullChannel` → `messages.chatFull` with `channelFull`.
fn get_full_channel(
    ctx: &mut RpcCtx<'_>,
    req: f::channels::GetFullChannel,
) -> Result<Vec<u8>, RpcError> {
    let me = ctx.require_user()?;
    let id = input_channel(ctx, me, &req.channel, Need::Read)?;
    let (full, chat) = with(ctx, id, |ch| {
        (crate::rpc::tl::full_channel(ch, me), tl_channel(ch, me))
    })?;
    Ok(types::messages::ChatFull {
        full_chat: Box::new(full),
        chats: vec![chat],
        users: Vec::new(),
    }
    .to_bytes())
}

/// `channels.getMessages` → `messages.channelMessages`; ids that do not
/// exist come back as `messageEmpty`.
fn get_messages(ctx: &mut RpcCtx<'_>, req: f::channels::GetMessages) -> Result<Vec<u8>, RpcError> {
    let me = ctx.require_user()?;
    let id = input_channel(ctx, me, &req.channel, Need::Read)?;
    let (messages, senders, chat, pts) = with(ctx, id, |ch| {
        let mut out = Vec::new();
        let mut senders = Vec::new();
        for input in &req.id {
            let wanted = match input {
                enums::InputMessage::InputMessageId(m) => m.id,
                _ => 0,
            };
            match ch.messages.get(&wanted) {
                Some(m) => {
                    senders.extend(crate::rpc::tl::message_users([m]));
                    out.push(tl_channel_message(ctx, ch, m, me));
                }
                None => out.push(enums::Message::MessageEmpty(types::MessageEmpty {
                    id: wanted,
                    peer_id: Some(peer_channel(ch.id)),
                })),
            }
        }
        (out, senders, tl_channel(ch, me), ch.pts)
    })?;
    Ok(types::messages::ChannelMessages {
        inexact: false,
        pts,
        count: messages.len() as i32,
        offset_id_offset: None,
        messages,
        topics: Vec::new(),
        chats: vec![chat],
        users: met_users(ctx, me, senders),
    }
    .to_bytes())
}

/// `channels.readHistory` → `boolTrue`; the reader's other sessions get
/// `updateReadChannelInbox`, the authors of newly read messages
/// `updateReadChannelOutbox`.
fn read_history(ctx: &mut RpcCtx<'_>, req: f::channels::ReadHistory) -> Result<Vec<u8>, RpcError> {
    let me = ctx.require_user()?;
    let id = input_channel(ctx, me, &req.channel, Need::Read)?;
    let read = with(ctx, id, |ch| {
        ch.is_member(me).then(|| {
            let before = ch.read_max(me);
            let max_id = ch.read(me, req.max_id);
            (before, max_id, ch.unread_count(me), ch.pts)
        })
    })?;
    if let Some((before, max_id, still_unread_count, pts)) = read {
        self::edit::push_read_outbox(ctx, id, me, before, max_id)?;
        let update = types::Updates {
            updates: vec![enums::Update::UpdateReadChannelInbox(
                types::UpdateReadChannelInbox {
                    folder_id: None,
                    channel_id: id,
                    max_id,
                    still_unread_count,
                    pts,
                },
            )],
            users: Vec::new(),
            chats: vec![with(ctx, id, |ch| tl_channel(ch, me))?],
            date: unix_now() as i32,
            seq: 0,
        };
        ctx.state
            .push_to_user(me, (ctx.key_id, ctx.session_id), &update.to_bytes());
    }
    Ok(true.to_bytes())
}

/// `channels.deleteMessages` → `messages.affectedMessages` with the
/// channel's `pts`; members get `updateDeleteChannelMessages`. Admins delete
/// any message, supergroup members their own (`MESSAGE_DELETE_FORBIDDEN`).
fn delete_messages(
    ctx: &mut RpcCtx<'_>,
    req: f::channels::DeleteMessages,
) -> Result<Vec<u8>, RpcError> {
    let me = ctx.require_user()?;
    let id = input_channel(ctx, me, &req.channel, Need::Read)?;
    if req.id.len() > 100 {
        return Err(RpcError::bad_request("LIMIT_INVALID"));
    }
    let (gone, pts, members) = with(ctx, id, |ch| {
        let allowed = req.id.iter().all(|mid| {
            ch.messages.get(mid).is_none_or(|m| {
                ch.is_admin(me) || (ch.megagroup && m.from == me && m.action.is_none())
            })
        });
        if !allowed || !ch.is_member(me) {
            return Err(RpcError::bad_request("MESSAGE_DELETE_FORBIDDEN"));
        }
        let gone = ch.delete(&req.id);
        Ok((gone, ch.pts, ch.members.keys().copied().collect::<Vec<_>>()))
    })??;
    if !gone.is_empty() {
        let update = types::Updates {
            updates: vec![enums::Update::UpdateDeleteChannelMessages(
                types::UpdateDeleteChannelMessages {
                    channel_id: id,
                    messages: gone.clone(),
                    pts,
                    pts_count: gone.len() as i32,
                },
            )],
            users: Vec::new(),
            chats: Vec::new(),
            date: unix_now() as i32,
            seq: 0,
        };
        cm::push_each(
            ctx,
            id,
            &members,
            (ctx.key_id, ctx.session_id),
            |_, chat| {
                let mut u = update.clone();
                u.chats = vec![chat];
                u.to_bytes()
            },
        )?;
    }
    Ok(types::messages::AffectedMessages {
        pts,
        pts_count: gone.len() as i32,
    }
    .to_bytes())
}
