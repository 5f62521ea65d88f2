//! Methods on stored messages of private chats and basic groups:
//! `messages.getMessages`, `messages.editMessage`, `messages.deleteMessages`
//! and `messages.readHistory` (core.telegram.org/method/messages.*).
//!
//! Each change takes one `pts` (a deletion of N messages N) in every box it
//! touches and is pushed to that box's sessions, except the session that
//! asked, which gets it in the answer (core.telegram.org/api/updates):
//! edits as `updates` with `updateEditMessage`, deletions and read marks as
//! `updateShort` with `updateDeleteMessages` / `updateReadHistoryInbox` /
//! `updateReadHistoryOutbox`.

use std::collections::BTreeMap;

use hearth_tl::{enums, functions, types, Identifiable, Serializable};

use super::ctx::{RpcCtx, RpcError};
use crate::mailbox::{Peer, StoredMessage};
use crate::rpc::tl::{
    check_text, deleted_update, entities_of, resolve_input_peer, short, tl_message,
    tl_message_with, tl_peer, updates_for, EDIT_TIME_LIMIT,
};
use crate::state::unix_now;

/// Answers the message methods above; `None` for any other method.
pub fn dispatch(ctx: &mut RpcCtx<'_>, id: u32, body: &[u8]) -> Option<Result<Vec<u8>, RpcError>> {
    use super::ctx::run;
    use functions::messages as m;
    Some(match id {
        m::GetMessages::CONSTRUCTOR_ID => run(ctx, body, get_messages),
        m::EditMessage::CONSTRUCTOR_ID => run(ctx, body, edit_message),
        m::DeleteMessages::CONSTRUCTOR_ID => run(ctx, body, delete_messages),
        m::ReadHistory::CONSTRUCTOR_ID => run(ctx, body, read_history),
        _ => return None,
    })
}

fn edit_expired(sent: i32, now: i64, saved_messages: bool) -> bool {
    !saved_messages && now - i64::from(sent) > EDIT_TIME_LIMIT
}

fn affected(pts: i32, pts_count: i32) -> Vec<u8> {
    types::messages::AffectedMessages { pts, pts_count }.to_bytes()
}

fn current_pts(ctx: &RpcCtx<'_>, me: i64) -> i32 {
    ctx.state.mailboxes().get(me).map_or(1, |b| b.pts)
}

/// `messages.getMessages`: messages of the caller's box by id, in request
/// order; ids not there come back as `messageEmpty`.
pub fn get_messages(
    ctx: &mut RpcCtx<'_>,
    req: functions::messages::GetMessages,
) -> Result<Vec<u8>, RpcError> {
    let me = ctx.require_user()?;
    if req.id.len() > 200 {
        return Err(RpcError::bad_request("LIMIT_INVALID"));
    }
    let found: Vec<Result<StoredMessage, i32>> = {
        let boxes = ctx.state.mailboxes();
        let b = boxes.get(me);
        req.id
            .iter()
            .map(|input| {
                let id = match input {
                    enums::InputMessage::InputMessageId(m) => m.id,
                    enums::InputMessage::InputMessageReplyTo(m) => return Err(m.id),
                    _ => return Err(0),
                };
                b.and_then(|b| b.message(id)).cloned().ok_or(id)
            })
            .collect()
    };
    let stored: Vec<StoredMessage> = found.iter().filter_map(|r| r.clone().ok()).collect();
    let (users, chats) = entities_of(ctx, me, &stored);
    let messages = found
        .iter()
        .map(|r| match r {
            Ok(m) => tl_message_with(ctx, m),
            Err(id) => enums::Message::MessageEmpty(types::MessageEmpty {
                id: *id,
                peer_id: None,
            }),
        })
        .collect();
    Ok(types::messages::Messages {
        messages,
        topics: Vec::new(),
        chats,
        users,
    }
    .to_bytes())
}

/// A basic group `me` has left cannot be written to.
fn require_writable(ctx: &RpcCtx<'_>, me: i64, peer: Peer) -> Result<(), RpcError> {
    match peer {
        Peer::Chat(c) if !ctx.state.chats().get(c).is_some_and(|c| c.is_member(me)) => {
            Err(RpcError::new(403, "CHAT_WRITE_FORBIDDEN"))
        }
        _ => Ok(()),
    }
}

/// `messages.editMessage` of one's own message: every copy is edited with
/// `edit_date`, one `pts` in each box.
pub fn edit_message(
    ctx: &mut RpcCtx<'_>,
    req: functions::messages::EditMessage,
) -> Result<Vec<u8>, RpcError> {
    if let enums::InputPeer::InputPeerChannel(p) = &req.peer {
        let p = p.clone();
        return super::channels::edit::edit_message(ctx, &p, req);
    }
    let me = ctx.require_user()?;
    let peer = resolve_input_peer(ctx, me, &req.peer)?;
    require_writable(ctx, me, peer)?;
    if req.media.is_some() {
        return Err(RpcError::bad_request("MEDIA_INVALID"));
    }
    let original = ctx
        .state
        .mailboxes()
        .get(me)
        .and_then(|b| b.message(req.id))
        .filter(|m| m.peer == peer && m.action.is_none())
        .cloned()
        .ok_or_else(|| RpcError::bad_request("MESSAGE_ID_INVALID"))?;
    if !original.out {
        return Err(RpcError::new(403, "MESSAGE_AUTHOR_REQUIRED"));
    }
    let text = req.message.clone().unwrap_or_else(|| original.text.clone());
    if original.document.is_none() {
        check_text(&text)?;
    } else if text.chars().count() > 1024 {
        return Err(RpcError::bad_request("MEDIA_CAPTION_TOO_LONG"));
    }
    if text == original.text {
        return Err(RpcError::bad_request("MESSAGE_NOT_MODIFIED"));
    }
    let now = unix_now();
    if edit_expired(original.date, now, peer == Peer::User(me)) {
        return Err(RpcError::bad_request("MESSAGE_EDIT_TIME_EXPIRED"));
    }
    let date = now as i32;
    let edited: Vec<(i64, StoredMessage, i32)> = {
        let mut boxes = ctx.state.mailboxes();
        boxes
            .copies(original.origin)
            .into_iter()
            .filter_map(|(user, id)| {
                let (m, pts) = boxes.get_mut(user).edit(id, &text, date)?;
                Some((user, m, pts))
            })
            .collect()
    };
    let edited = match &req.entities {
        Some(entities) => {
            let mut copies: Vec<(i64, StoredMessage)> =
                edited.iter().map(|(u, m, _)| (*u, m.clone())).collect();
            crate::rpc::tl::replace_entities(ctx, me, &mut copies, entities);
            copies
                .into_iter()
                .zip(edited.iter().map(|(_, _, pts)| *pts))
                .map(|((u, m), pts)| (u, m, pts))
                .collect()
        }
        None => edited,
    };
    let origin = (ctx.key_id, ctx.session_id);
    let mut answer = None;
    for (user, m, pts) in &edited {
        let update = enums::Update::UpdateEditMessage(types::UpdateEditMessage {
            message: Box::new(if *user == me {
                tl_message_with(ctx, m)
            } else {
                tl_message(m)
            }),
            pts: *pts,
            pts_count: 1,
        });
        let updates = updates_for(ctx, *user, vec![update], std::slice::from_ref(m), date);
        let updates = crate::seq::push_updates(ctx.state, *user, origin, updates);
        if *user == me {
            answer = Some(updates);
        }
    }
    answer
        .map(|u| u.to_bytes())
        .ok_or_else(|| RpcError::internal("edited message has no copy in its own box"))
}

/// `messages.deleteMessages`: the caller's copies; with `revoke`, also the
/// other boxes' copies of private messages and of one's own group messages
/// (the group's creator may revoke any). Ids not in the box are ignored.
pub fn delete_messages(
    ctx: &mut RpcCtx<'_>,
    req: functions::messages::DeleteMessages,
) -> Result<Vec<u8>, RpcError> {
    let me = ctx.require_user()?;
    let mine: Vec<StoredMessage> = ctx
        .state
        .mailboxes()
        .get(me)
        .map(|b| {
            req.id
                .iter()
                .filter_map(|id| b.message(*id).cloned())
                .collect()
        })
        .unwrap_or_default();
    let mut targets: BTreeMap<i64, Vec<i32>> = BTreeMap::new();
    targets.insert(me, mine.iter().map(|m| m.id).collect());
    if req.revoke {
        let chats = ctx.state.chats();
        let revocable: Vec<u64> = mine
            .iter()
            .filter(|m| match m.peer {
                Peer::User(_) => true,
                Peer::Chat(c) => m.out || chats.get(c).is_some_and(|c| c.creator == me),
            })
            .map(|m| m.origin)
            .collect();
        drop(chats);
        let boxes = ctx.state.mailboxes();
        for origin in revocable {
            for (user, id) in boxes.copies(origin) {
                if user != me {
                    targets.entry(user).or_default().push(id);
                }
            }
        }
    }
    let results: Vec<(i64, Vec<i32>, i32)> = {
        let mut boxes = ctx.state.mailboxes();
        targets
            .into_iter()
            .filter_map(|(user, ids)| {
                let (gone, pts) = boxes.get_mut(user).delete(&ids)?;
                Some((user, gone, pts))
            })
            .collect()
    };
    let date = unix_now() as i32;
    let origin = (ctx.key_id, ctx.session_id);
    let mut answer = affected(current_pts(ctx, me), 0);
    for (user, ids, pts) in results {
        let count = ids.len() as i32;
        let body = short(deleted_update(ids, pts), date).to_bytes();
        ctx.state.push_to_user(user, origin, &body);
        if user == me {
            answer = affected(pts, count);
        }
    }
    Ok(answer)
}

/// `messages.readHistory`: the caller's inbox mark moves up to `max_id`
/// (0: the latest message); each sender of a newly read message sees its
/// outbox mark move to its own copy's id.
pub fn read_history(
    ctx: &mut RpcCtx<'_>,
    req: functions::messages::ReadHistory,
) -> Result<Vec<u8>, RpcError> {
    let me = ctx.require_user()?;
    let peer = resolve_input_peer(ctx, me, &req.peer)?;
    let read = ctx
        .state
        .mailboxes()
        .get_mut(me)
        .read_inbox(peer, req.max_id);
    let Some(read) = read else {
        return Ok(affected(current_pts(ctx, me), 0));
    };
    let date = unix_now() as i32;
    let origin = (ctx.key_id, ctx.session_id);
    let inbox = enums::Update::UpdateReadHistoryInbox(types::UpdateReadHistoryInbox {
        folder_id: None,
        peer: tl_peer(peer),
        top_msg_id: None,
        max_id: read.max_id,
        still_unread_count: read.still_unread,
        pts: read.pts,
        pts_count: 1,
    });
    ctx.state
        .push_to_user(me, origin, &short(inbox, date).to_bytes());
    // For each sender, the highest id of its own copies that are now read.
    let outboxes: Vec<(i64, Peer, i32, i32)> = {
        let mut boxes = ctx.state.mailboxes();
        let mut highest: BTreeMap<i64, i32> = BTreeMap::new();
        for m in &read.newly_read {
            if let Some(id) = boxes.copy_in(m.from, m.origin) {
                let h = highest.entry(m.from).or_default();
                *h = (*h).max(id);
            }
        }
        highest
            .into_iter()
            .filter(|(sender, _)| *sender != me)
            .filter_map(|(sender, max_id)| {
                let theirs = match peer {
                    Peer::User(_) => Peer::User(me),
                    chat => chat,
                };
                let pts = boxes.get_mut(sender).read_outbox(theirs, max_id)?;
                Some((sender, theirs, max_id, pts))
            })
            .collect()
    };
    for (sender, theirs, max_id, pts) in outboxes {
        let update = enums::Update::UpdateReadHistoryOutbox(types::UpdateReadHistoryOutbox {
            peer: tl_peer(theirs),
            max_id,
            pts,
            pts_count: 1,
        });
        ctx.state
            .push_to_user(sender, origin, &short(update, date).to_bytes());
    }
    Ok(affected(read.pts, 1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edits_expire_after_48_hours_except_in_saved_messages() {
        let sent = 1_000_000;
        let now = i64::from(sent) + EDIT_TIME_LIMIT;
        assert!(!edit_expired(sent, now, false));
        assert!(edit_expired(sent, now + 1, false));
        assert!(!edit_expired(sent, now + 1, true));
    }
}
