//! Messaging: `contacts.resolveUsername`, `messages.sendMessage`
//! (Saved Messages, other users, basic groups), `messages.getDialogs`,
//! `messages.getHistory`, and the updates they push
//! (core.telegram.org/api/updates): a private message is answered with
//! `updateShortSentMessage` (one to Saved Messages with a full `updates`,
//! as Telegram does), the sender's other sessions get `updates` with
//! `updateNewMessage`, the recipient's sessions `updateShortMessage`, each
//! with the `pts` of the box it lands in. Basic groups: see [`super::chats`].

use hearth_tl::{enums, functions, types, Serializable};

use super::entities::{chats_of, tl_peer, users_met};
use super::{RpcCtx, RpcError};
use crate::chats::Membership;
use crate::mailbox::{Peer, StoredMessage};
use crate::state::unix_now;
use crate::users::tl_user;

fn peer_user(id: i64) -> enums::Peer {
    enums::Peer::PeerUser(types::PeerUser { user_id: id })
}

/// The user behind an input peer, if `me` may address it: itself, or a user
/// it has met with the right access_hash; anything else is `PEER_ID_INVALID`.
pub fn resolve_peer(ctx: &RpcCtx<'_>, me: i64, peer: &enums::InputPeer) -> Result<i64, RpcError> {
    let invalid = || RpcError::bad_request("PEER_ID_INVALID");
    match peer {
        enums::InputPeer::InputPeerSelf => Ok(me),
        enums::InputPeer::InputPeerUser(p) => {
            let known = ctx
                .state
                .users()
                .get(p.user_id)
                .is_some_and(|u| u.access_hash_for(me) == p.access_hash);
            if known && ctx.state.mailboxes().has_met(me, p.user_id) {
                Ok(p.user_id)
            } else {
                Err(invalid())
            }
        }
        _ => Err(invalid()),
    }
}

/// The dialog behind an input peer, if `me` may address it: users as in
/// [`resolve_peer`], a basic group `me` is or was in; a group it never was
/// in is `CHAT_ID_INVALID`.
pub fn resolve_input_peer(
    ctx: &RpcCtx<'_>,
    me: i64,
    peer: &enums::InputPeer,
) -> Result<Peer, RpcError> {
    match peer {
        enums::InputPeer::InputPeerChat(c) => {
            let chats = ctx.state.chats();
            match chats.get(c.chat_id).map(|chat| chat.membership(me)) {
                None | Some(Membership::Stranger) => Err(RpcError::bad_request("CHAT_ID_INVALID")),
                Some(_) => Ok(Peer::Chat(c.chat_id)),
            }
        }
        other => resolve_peer(ctx, me, other).map(Peer::User),
    }
}

/// A stored message as `message#...` for its box owner, with its media.
pub fn tl_message_with(ctx: &RpcCtx<'_>, m: &StoredMessage) -> enums::Message {
    tl_message_for(ctx, m, ctx.user_id().unwrap_or_default())
}

/// [`tl_message_with`] for the box of `viewer` (the media's access hashes
/// are per viewer), for copies pushed to other accounts.
pub fn tl_message_for(ctx: &RpcCtx<'_>, m: &StoredMessage, viewer: i64) -> enums::Message {
    let mut msg = tl_message(m);
    if let (enums::Message::Message(inner), Some(doc)) = (&mut msg, m.document) {
        inner.media = super::media::tl_media_for(ctx, doc, viewer).map(Box::new);
    }
    msg
}

/// A stored message as `message#...` for its box owner, without media.
pub fn tl_message(m: &StoredMessage) -> enums::Message {
    if let Some(action) = &m.action {
        return super::entities::tl_service(m, action);
    }
    let mut msg = types::Message {
        from_id: Some(peer_user(m.from)),
        edit_date: m.edit_date,
        ..text_message(m.id, m.out, tl_peer(m.peer), m.date, &m.text)
    };
    super::message_extra::apply(&mut msg, m);
    enums::Message::Message(msg)
}

/// A text `message` with every optional field unset and every flag off:
/// the base the box and channel renderings fill in.
pub fn text_message(
    id: i32,
    out: bool,
    peer_id: enums::Peer,
    date: i32,
    text: &str,
) -> types::Message {
    types::Message {
        out,
        mentioned: false,
        media_unread: false,
        silent: false,
        post: false,
        from_scheduled: false,
        legacy: false,
        edit_hide: false,
        pinned: false,
        noforwards: false,
        invert_media: false,
        offline: false,
        video_processing_pending: false,
        paid_suggested_post_stars: false,
        paid_suggested_post_ton: false,
        id,
        from_id: None,
        from_boosts_applied: None,
        from_rank: None,
        peer_id,
        saved_peer_id: None,
        fwd_from: None,
        via_bot_id: None,
        via_business_bot_id: None,
        guestchat_via_from: None,
        reply_to: None,
        date,
        message: text.to_owned(),
        media: None,
        reply_markup: None,
        entities: None,
        views: None,
        forwards: None,
        replies: None,
        edit_date: None,
        post_author: None,
        grouped_id: None,
        reactions: None,
        restriction_reason: None,
        ttl_period: None,
        quick_reply_shortcut_id: None,
        effect: None,
        factcheck: None,
        report_delivery_until_date: None,
        paid_message_stars: None,
        suggested_post: None,
        schedule_repeat_period: None,
        summary_from_language: None,
        rich_message: None,
    }
}

/// `user` objects for `ids` as `viewer` sees them.
pub fn tl_users(
    ctx: &RpcCtx<'_>,
    viewer: i64,
    ids: impl IntoIterator<Item = i64>,
) -> Vec<enums::User> {
    let users = ctx.state.users();
    let mut seen = std::collections::BTreeSet::new();
    ids.into_iter()
        .filter(|id| seen.insert(*id))
        .filter_map(|id| users.get(id).map(|u| tl_user(u, Some(viewer))))
        .collect()
}

/// `contacts.resolveUsername` → `contacts.resolvedPeer`; the user is met.
pub fn resolve_username(
    ctx: &mut RpcCtx<'_>,
    req: functions::contacts::ResolveUsername,
) -> Result<Vec<u8>, RpcError> {
    if let Some(r) = super::channel_messages::resolve_username(ctx, &req.username)? {
        return Ok(r);
    }
    let me = ctx.require_user()?;
    let name = req.username.trim_start_matches('@').to_ascii_lowercase();
    let found = ctx
        .state
        .users()
        .find_username(&name)
        .map(|u| u.id)
        .ok_or_else(|| RpcError::bad_request("USERNAME_NOT_OCCUPIED"))?;
    ctx.state.mailboxes().meet(me, found);
    Ok(types::contacts::ResolvedPeer {
        peer: peer_user(found),
        chats: Vec::new(),
        users: tl_users(ctx, me, [found]),
    }
    .to_bytes())
}

/// `messages.sendMessage` to oneself (Saved Messages) or another user.
pub fn send_message(
    ctx: &mut RpcCtx<'_>,
    req: functions::messages::SendMessage,
) -> Result<Vec<u8>, RpcError> {
    if let enums::InputPeer::InputPeerChannel(p) = &req.peer {
        return super::channel_messages::send_message(ctx, p, &req.message, req.random_id);
    }
    let me = ctx.require_user()?;
    let to = resolve_input_peer(ctx, me, &req.peer)?;
    check_text(&req.message)?;
    // A chat's random_ids are kept apart from a user's with the same id.
    let scope = match to {
        Peer::User(u) => u,
        Peer::Chat(c) => -c,
    };
    if !ctx.state.random_ids().claim(me, scope, req.random_id) {
        return Err(crate::random_ids::duplicate());
    }
    let extra = super::message_extra::Sent {
        reply_to: super::message_extra::reply_to_id(req.reply_to.as_ref()),
        entities: req.entities.as_deref(),
        fwd_from: None,
    };
    let to = match to {
        Peer::User(u) => u,
        Peer::Chat(chat) => return super::chats::send_to_chat(ctx, me, chat, &req.message, &extra),
    };
    let date = unix_now() as i32;
    let (sent, received) = ctx.state.mailboxes().send(me, to, &req.message, date, None);
    let mut copies: Vec<(i64, StoredMessage)> = std::iter::once((me, sent))
        .chain(received.map(|r| (to, r)))
        .collect();
    super::message_extra::annotate(ctx, me, &mut copies, &extra);
    let mut copies = copies.into_iter().map(|(_, m)| m);
    let (sent, received) = match copies.next() {
        Some(sent) => (sent, copies.next()),
        None => return Err(RpcError::internal("a sent message has no copy")),
    };
    let origin = (ctx.key_id, ctx.session_id);
    if to == me {
        return Ok(saved_message_answer(ctx, me, &sent, req.random_id, date));
    }
    let mine = types::Updates {
        updates: vec![enums::Update::UpdateNewMessage(types::UpdateNewMessage {
            message: Box::new(tl_message(&sent)),
            pts: sent.pts,
            pts_count: 1,
        })],
        users: tl_users(ctx, me, [me, to]),
        chats: Vec::new(),
        date,
        seq: 0,
    };
    // The sending session is answered with updateShortSentMessage (no seq).
    crate::seq::push_unsequenced(ctx.state, me, origin, mine);
    if let Some(r) = received {
        let theirs = types::UpdateShortMessage {
            out: false,
            mentioned: r.extra.mentioned,
            media_unread: false,
            silent: false,
            id: r.id,
            user_id: me,
            message: r.text.clone(),
            pts: r.pts,
            pts_count: 1,
            date,
            fwd_from: super::message_extra::fwd_header(&r).map(Box::new),
            via_bot_id: None,
            reply_to: super::message_extra::reply_header(&r),
            entities: super::message_extra::entities(&r),
            ttl_period: None,
        };
        ctx.state.push_to_user(to, origin, &theirs.to_bytes());
    }
    Ok(short_sent(&sent, date))
}

/// A message to Saved Messages, answered as Telegram does: a full `updates`
/// (`updateMessageID` with the request's `random_id`, then
/// `updateNewMessage`) under the account's next `seq`, which the account's
/// other sessions get too (without `updateMessageID`). Clients depend on it:
/// Pyrogram and its forks read `updateShortSentMessage` only for a peer with
/// a `user_id` or `chat_id` (`send_message` resolves `inputPeerSelf` and
/// fails on it), and Telethon's `_get_response_message` pairs the message
/// with its request through `updateMessageID`.
fn saved_message_answer(
    ctx: &RpcCtx<'_>,
    me: i64,
    sent: &StoredMessage,
    random_id: i64,
    date: i32,
) -> Vec<u8> {
    let new_message = enums::Update::UpdateNewMessage(types::UpdateNewMessage {
        message: Box::new(tl_message(sent)),
        pts: sent.pts,
        pts_count: 1,
    });
    let pushed = crate::seq::push_updates(
        ctx.state,
        me,
        (ctx.key_id, ctx.session_id),
        types::Updates {
            updates: vec![new_message],
            users: tl_users(ctx, me, [me]),
            chats: Vec::new(),
            date,
            seq: 0,
        },
    );
    let mut answer = pushed;
    answer.updates.insert(
        0,
        enums::Update::UpdateMessageId(types::UpdateMessageId {
            id: sent.id,
            random_id,
        }),
    );
    enums::Updates::Updates(answer).to_bytes()
}

/// `updateShortSentMessage`: how a text message to a user or a basic group
/// is answered (the client builds the message from its request).
pub fn short_sent(sent: &StoredMessage, date: i32) -> Vec<u8> {
    types::UpdateShortSentMessage {
        out: true,
        id: sent.id,
        pts: sent.pts,
        pts_count: 1,
        date,
        media: None,
        entities: None,
        ttl_period: None,
    }
    .to_bytes()
}

/// Telegram's rules for a message text: not blank, at most 4096 characters.
pub fn check_text(text: &str) -> Result<(), RpcError> {
    if text.trim().is_empty() {
        return Err(RpcError::bad_request("MESSAGE_EMPTY"));
    }
    if text.chars().count() > 4096 {
        return Err(RpcError::bad_request("MESSAGE_TOO_LONG"));
    }
    Ok(())
}

pub(crate) fn default_notify_settings() -> Box<enums::PeerNotifySettings> {
    Box::new(enums::PeerNotifySettings::PeerNotifySettings(
        types::PeerNotifySettings {
            show_previews: None,
            silent: None,
            mute_until: None,
            ios_sound: None,
            android_sound: None,
            other_sound: None,
            stories_muted: None,
            stories_hide_sender: None,
            stories_ios_sound: None,
            stories_android_sound: None,
            stories_other_sound: None,
        },
    ))
}

/// `messages.getHistory` → `messages.messages`, newest first, the window of
/// [`super::offsets`] (`offset_id`, `add_offset` either way); `messages.messagesSlice` with the dialog's
/// message `count` when it holds more than the answer.
pub fn get_history(
    ctx: &mut RpcCtx<'_>,
    req: functions::messages::GetHistory,
) -> Result<Vec<u8>, RpcError> {
    if let enums::InputPeer::InputPeerChannel(p) = &req.peer {
        return super::channel_messages::get_history(ctx, p, &req);
    }
    let me = ctx.require_user()?;
    let peer = resolve_input_peer(ctx, me, &req.peer)?;
    let limit = req.limit.clamp(1, 100) as usize;
    let (messages, count): (Vec<StoredMessage>, usize) = ctx
        .state
        .mailboxes()
        .get(me)
        .map(|b| {
            let matching: Vec<&StoredMessage> = b
                .messages
                .iter()
                .rev()
                .filter(|m| m.peer == peer)
                .filter(|m| req.max_id <= 0 || m.id < req.max_id)
                .filter(|m| m.id > req.min_id)
                .collect();
            let page =
                super::offsets::window(matching, |m| m.id, req.offset_id, req.add_offset, limit)
                    .into_iter()
                    .cloned()
                    .collect();
            (page, b.messages.iter().filter(|m| m.peer == peer).count())
        })
        .unwrap_or_default();
    let peer_user = match peer {
        Peer::User(u) => Some(u),
        Peer::Chat(_) => None,
    };
    let users = users_met(
        ctx,
        me,
        [me].into_iter()
            .chain(peer_user)
            .chain(messages.iter().flat_map(super::entities::users_of)),
    );
    let chats = chats_of(ctx, me, [peer]);
    let tl: Vec<enums::Message> = messages.iter().map(|m| tl_message_with(ctx, m)).collect();
    Ok(messages_page(tl, chats, users, count, None))
}

/// A page of messages: `messages.messages` when it holds all `count`
/// matches, else `messages.messagesSlice` with the total (and `next_rate`
/// for a global search).
pub fn messages_page(
    messages: Vec<enums::Message>,
    chats: Vec<enums::Chat>,
    users: Vec<enums::User>,
    count: usize,
    next_rate: Option<i32>,
) -> Vec<u8> {
    if count <= messages.len() {
        return types::messages::Messages {
            messages,
            topics: Vec::new(),
            chats,
            users,
        }
        .to_bytes();
    }
    types::messages::MessagesSlice {
        inexact: false,
        count: count as i32,
        next_rate,
        offset_id_offset: None,
        search_flood: None,
        messages,
        topics: Vec::new(),
        chats,
        users,
    }
    .to_bytes()
}
