//! Messaging: `contacts.resolveUsername`, `messages.sendMessage`
//! (Saved Messages, other users, basic groups), `messages.getDialogs`,
//! `messages.getHistory`, and the updates they push
//! (core.telegram.org/api/updates): a private message is answered with
//! `updateShortSentMessage` (one to Saved Messages with a full `updates`,
//! as Telegram does), the sender's other sessions get `updates` with
//! `updateNewMessage`, the recipient's sessions `updateShortMessage`, each
//! with the `pts` of the box it lands in. Basic groups: see [`super::chats`].

use hearth_tl::{enums, functions, types, Serializable};

use super::ctx::{RpcCtx, RpcError};
use crate::mailbox::{Peer, StoredMessage};
use crate::rpc::tl::{
    chats_of, check_text, messages_page, peer_user, resolve_input_peer, short_sent, tl_message,
    tl_message_with, tl_users, users_met,
};
use crate::state::unix_now;

/// `contacts.resolveUsername` → `contacts.resolvedPeer`; the user is met.
pub fn resolve_username(
    ctx: &mut RpcCtx<'_>,
    req: functions::contacts::ResolveUsername,
) -> Result<Vec<u8>, RpcError> {
    if let Some(r) = super::channels::messages::resolve_username(ctx, &req.username)? {
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
        return super::channels::messages::send_message(ctx, p, &req.message, req.random_id);
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
    let extra = crate::rpc::tl::Sent {
        reply_to: crate::rpc::tl::reply_to_id(req.reply_to.as_ref()),
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
    crate::rpc::tl::annotate(ctx, me, &mut copies, &extra);
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
            fwd_from: crate::rpc::tl::fwd_header(&r).map(Box::new),
            via_bot_id: None,
            reply_to: crate::rpc::tl::reply_header(&r),
            entities: crate::rpc::tl::entities(&r),
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

/// `messages.getHistory` → `messages.messages`, newest first, the window of
/// [`super::offsets`] (`offset_id`, `add_offset` either way); `messages.messagesSlice` with the dialog's
/// message `count` when it holds more than the answer.
pub fn get_history(
    ctx: &mut RpcCtx<'_>,
    req: functions::messages::GetHistory,
) -> Result<Vec<u8>, RpcError> {
    if let enums::InputPeer::InputPeerChannel(p) = &req.peer {
        return super::channels::messages::get_history(ctx, p, &req);
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
            .chain(messages.iter().flat_map(crate::rpc::tl::users_of)),
    );
    let chats = chats_of(ctx, me, [peer]);
    let tl: Vec<enums::Message> = messages.iter().map(|m| tl_message_with(ctx, m)).collect();
    Ok(messages_page(tl, chats, users, count, None))
}
