//! `messages.getDialogs` (core.telegram.org/method/messages.getDialogs,
//! /api/offsets): one list of the account's dialogs — private chats and basic
//! groups from its box (with the box's read marks and unread counts) and the
//! channels it is a member of — newest top message first.
//!
//! Paging follows what clients send for the next page: the last dialog's
//! `offset_peer` (the page starts after it), or else `offset_date` (older
//! top messages; at an equal date, box dialogs whose top message id is below
//! `offset_id`), or else `offset_id` alone (box dialogs whose top message is
//! older; ids in one box grow with time). More dialogs than returned make a
//! `messages.dialogsSlice` with the total `count`. Pinned dialogs
//! ([`super::pins`]) come first, the last pinned on top; unread mentions
//! count incoming unread messages that mention the account.

use hearth_tl::{enums, functions, types, Serializable};

use super::ctx::{RpcCtx, RpcError};
use crate::mailbox::{ReadMarks, StoredMessage};
use crate::rpc::tl::{
    channel_dialogs, default_notify_settings, entities_of, met_users, tl_message_with, tl_peer,
    ChannelDialog,
};

/// A box dialog: its top message, read marks, unread count and unread
/// mentions.
type Boxed = (StoredMessage, ReadMarks, i32, i32);

enum Entry {
    Boxed(Box<Boxed>),
    Channel(Box<ChannelDialog>),
}

impl Entry {
    fn date(&self) -> i32 {
        match self {
            Entry::Boxed(b) => b.0.date,
            Entry::Channel(c) => c.date,
        }
    }

    fn peer(&self) -> enums::Peer {
        match self {
            Entry::Boxed(b) => tl_peer(b.0.peer),
            Entry::Channel(c) => c.peer.clone(),
        }
    }

    /// Whether the entry comes after the client's offset.
    fn after_offset(&self, req: &functions::messages::GetDialogs) -> bool {
        let boxed_below = |id: i32| match self {
            Entry::Boxed(b) => b.0.id < id,
            Entry::Channel(_) => false,
        };
        if req.offset_date > 0 {
            let date = self.date();
            date < req.offset_date
                || (date == req.offset_date && req.offset_id > 0 && boxed_below(req.offset_id))
        } else {
            req.offset_id <= 0 || boxed_below(req.offset_id)
        }
    }
}

/// The peer an `offset_peer` names, if any (a position, so no access check).
fn offset_peer(me: i64, peer: &enums::InputPeer) -> Option<enums::Peer> {
    use enums::InputPeer as P;
    Some(match peer {
        P::InputPeerSelf => enums::Peer::PeerUser(types::PeerUser { user_id: me }),
        P::InputPeerUser(u) => enums::Peer::PeerUser(types::PeerUser { user_id: u.user_id }),
        P::InputPeerChat(c) => enums::Peer::PeerChat(types::PeerChat { chat_id: c.chat_id }),
        P::InputPeerChannel(c) => enums::Peer::PeerChannel(types::PeerChannel {
            channel_id: c.channel_id,
        }),
        _ => return None,
    })
}

fn box_dialog((m, marks, unread, mentions): &Boxed, pinned: bool) -> enums::Dialog {
    enums::Dialog::Dialog(types::Dialog {
        pinned,
        unread_mark: false,
        view_forum_as_messages: false,
        peer: tl_peer(m.peer),
        top_message: m.id,
        read_inbox_max_id: marks.inbox,
        read_outbox_max_id: marks.outbox,
        unread_count: *unread,
        unread_mentions_count: *mentions,
        unread_reactions_count: 0,
        unread_poll_votes_count: 0,
        notify_settings: default_notify_settings(),
        pts: None,
        draft: None,
        folder_id: None,
        ttl_period: None,
    })
}

/// `messages.getDialogs` → `messages.dialogs` or `messages.dialogsSlice`.
pub fn get_dialogs(
    ctx: &mut RpcCtx<'_>,
    req: functions::messages::GetDialogs,
) -> Result<Vec<u8>, RpcError> {
    let me = ctx.require_user()?;
    let limit = req.limit.clamp(1, 100) as usize;
    let mut entries: Vec<Entry> = ctx
        .state
        .mailboxes()
        .get(me)
        .map(|b| {
            b.dialogs()
                .into_iter()
                .map(|m| {
                    Entry::Boxed(Box::new((
                        m.clone(),
                        b.marks(m.peer),
                        b.unread_count(m.peer),
                        b.unread_mentions(m.peer),
                    )))
                })
                .collect()
        })
        .unwrap_or_default();
    entries.extend(
        channel_dialogs(ctx, me)
            .into_iter()
            .map(|c| Entry::Channel(Box::new(c))),
    );
    // Stable: at equal dates box dialogs keep their order and come first.
    entries.sort_by_key(|e| std::cmp::Reverse(e.date()));
    // Pinned dialogs first, the last pinned on top (or left out).
    let pins = super::pins::pinned_peers(ctx, me);
    let pin_of = |e: &Entry| pins.iter().position(|p| *p == e.peer());
    if req.exclude_pinned {
        entries.retain(|e| pin_of(e).is_none());
    }
    entries.sort_by_key(|e| pin_of(e).unwrap_or(usize::MAX));
    let total = entries.len();
    let after = offset_peer(me, &req.offset_peer)
        .and_then(|peer| entries.iter().position(|e| e.peer() == peer));
    let page: Vec<Entry> = match after {
        Some(i) => entries.into_iter().skip(i + 1).take(limit).collect(),
        None => entries
            .into_iter()
            .filter(|e| e.after_offset(&req))
            .take(limit)
            .collect(),
    };
    let mut dialogs = Vec::with_capacity(page.len());
    let mut boxed = Vec::new();
    let mut messages = Vec::new();
    let mut channel_chats = Vec::new();
    let mut senders = Vec::new();
    for e in page {
        match e {
            Entry::Boxed(b) => {
                let pinned = pins.contains(&tl_peer(b.0.peer));
                dialogs.push(box_dialog(&b, pinned));
                boxed.push(b.0);
            }
            Entry::Channel(c) => {
                let mut dialog = c.dialog;
                if let enums::Dialog::Dialog(d) = &mut dialog {
                    d.pinned = pins.contains(&c.peer);
                }
                dialogs.push(dialog);
                messages.extend(c.top);
                channel_chats.push(c.chat);
                senders.extend(c.senders);
            }
        }
    }
    let (mut users, mut chats) = entities_of(ctx, me, &boxed);
    messages.extend(boxed.iter().map(|m| tl_message_with(ctx, m)));
    chats.extend(channel_chats);
    for u in met_users(ctx, me, senders) {
        if !users.contains(&u) {
            users.push(u);
        }
    }
    if dialogs.len() < total {
        return Ok(types::messages::DialogsSlice {
            count: total as i32,
            dialogs,
            messages,
            chats,
            users,
        }
        .to_bytes());
    }
    Ok(types::messages::Dialogs {
        dialogs,
        messages,
        chats,
        users,
    }
    .to_bytes())
}
