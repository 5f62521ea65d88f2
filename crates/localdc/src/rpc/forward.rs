//! `messages.forwardMessages` (core.telegram.org/method/messages.forwardMessages)
//! between private chats and basic groups: each forwarded message is a new
//! message in the destination (text, entities, document) with a
//! `messageFwdHeader` naming the original author and date (the first
//! author's when a forward is forwarded again).
//!
//! The caller is answered with one `updates`: an `updateMessageID` per
//! `random_id`, then the new messages' `updateNewMessage` in id order; the
//! caller's other sessions and the recipients get them pushed with their
//! own ids and `pts`. Each `random_id` is claimed once (`RANDOM_ID_DUPLICATE`).
//! Channels as source or destination are not emulated (`PEER_ID_INVALID`).

use hearth_tl::{enums, functions, types, Identifiable, Serializable};

use super::ctx::{run, RpcCtx, RpcError};
use crate::mailbox::{Peer, StoredMessage};
use crate::rpc::tl::{annotate, entities, resolve_input_peer, updates_for, Sent};
use crate::state::unix_now;

/// Answers `messages.forwardMessages`; `None` for any other method.
pub fn dispatch(ctx: &mut RpcCtx<'_>, id: u32, body: &[u8]) -> Option<Result<Vec<u8>, RpcError>> {
    match id {
        functions::messages::ForwardMessages::CONSTRUCTOR_ID => {
            Some(run(ctx, body, forward_messages))
        }
        _ => None,
    }
}

fn new_message(ctx: &RpcCtx<'_>, m: &StoredMessage, viewer: i64) -> enums::Update {
    enums::Update::UpdateNewMessage(types::UpdateNewMessage {
        message: Box::new(crate::rpc::tl::tl_message_for(ctx, m, viewer)),
        pts: m.pts,
        pts_count: 1,
    })
}

/// Stores one forwarded copy of `m` in `to`, pushes it to everyone but
/// the caller's session, and returns the caller's copy.
fn forward_one(
    ctx: &RpcCtx<'_>,
    me: i64,
    to: Peer,
    m: &StoredMessage,
    date: i32,
) -> Result<StoredMessage, RpcError> {
    let origin = (ctx.key_id, ctx.session_id);
    let kept = entities(m);
    let sent = Sent {
        reply_to: None,
        entities: kept.as_deref(),
        fwd_from: Some(m.extra.fwd_from.unwrap_or((m.from, m.date))),
    };
    let mut copies: Vec<(i64, StoredMessage)> = match to {
        Peer::User(user) => {
            let (mine, theirs) = ctx
                .state
                .mailboxes()
                .send(me, user, &m.text, date, m.document);
            std::iter::once((me, mine))
                .chain(theirs.map(|t| (user, t)))
                .collect()
        }
        Peer::Chat(chat) => {
            let members = {
                let chats = ctx.state.chats();
                let c = chats
                    .get(chat)
                    .filter(|c| c.is_member(me))
                    .ok_or_else(|| RpcError::new(403, "CHAT_WRITE_FORBIDDEN"))?;
                c.member_ids()
            };
            let content = (m.text.as_str(), None, m.document);
            ctx.state
                .mailboxes()
                .post_media_to_chat(me, chat, &members, content, date, true)
        }
    };
    annotate(ctx, me, &mut copies, &sent);
    let mut mine = None;
    for (user, copy) in copies {
        let updates = updates_for(
            ctx,
            user,
            vec![new_message(ctx, &copy, user)],
            std::slice::from_ref(&copy),
            date,
        );
        if user == me {
            crate::seq::push_unsequenced(ctx.state, me, origin, updates);
            mine = Some(copy);
        } else {
            crate::seq::push_updates(ctx.state, user, origin, updates);
        }
    }
    mine.ok_or_else(|| RpcError::internal("a forwarded message has no copy in its sender's box"))
}

/// `messages.forwardMessages` → `updates`.
fn forward_messages(
    ctx: &mut RpcCtx<'_>,
    req: functions::messages::ForwardMessages,
) -> Result<Vec<u8>, RpcError> {
    let me = ctx.require_user()?;
    let channel = |p: &enums::InputPeer| matches!(p, enums::InputPeer::InputPeerChannel(_));
    if channel(&req.from_peer) || channel(&req.to_peer) {
        return Err(RpcError::bad_request("PEER_ID_INVALID"));
    }
    if req.id.is_empty() || req.id.len() > 100 {
        return Err(RpcError::bad_request("MESSAGE_IDS_EMPTY"));
    }
    if req.id.len() != req.random_id.len() {
        return Err(RpcError::bad_request("RANDOM_ID_INVALID"));
    }
    let from = resolve_input_peer(ctx, me, &req.from_peer)?;
    let to = resolve_input_peer(ctx, me, &req.to_peer)?;
    let originals: Vec<StoredMessage> = {
        let boxes = ctx.state.mailboxes();
        let b = boxes.get(me);
        req.id
            .iter()
            .map(|id| {
                b.and_then(|b| b.message(*id))
                    .filter(|m| m.peer == from && m.action.is_none())
                    .cloned()
                    .ok_or_else(|| RpcError::bad_request("MESSAGE_ID_INVALID"))
            })
            .collect::<Result<_, _>>()?
    };
    let scope = match to {
        Peer::User(u) => u,
        Peer::Chat(c) => -c,
    };
    {
        let mut ids = ctx.state.random_ids();
        for r in &req.random_id {
            if !ids.claim(me, scope, *r) {
                return Err(crate::random_ids::duplicate());
            }
        }
    }
    let date = unix_now() as i32;
    let mut id_updates = Vec::new();
    let mut new_updates = Vec::new();
    let mut mine = Vec::new();
    for (m, random_id) in originals.iter().zip(&req.random_id) {
        let copy = forward_one(ctx, me, to, m, date)?;
        id_updates.push(enums::Update::UpdateMessageId(types::UpdateMessageId {
            id: copy.id,
            random_id: *random_id,
        }));
        new_updates.push(new_message(ctx, &copy, me));
        mine.push(copy);
    }
    id_updates.extend(new_updates);
    Ok(updates_for(ctx, me, id_updates, &mine, date).to_bytes())
}
