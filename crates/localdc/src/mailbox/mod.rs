//! Messages per account, with Telegram's numbering
//! (core.telegram.org/api/updates): each account has its own message ids
//! and its own `pts`. Private chats and basic groups (core.telegram.org/api/channel
//! "basic groups") both live in the members' own boxes: a message sent to a
//! basic group is one copy per member, each with that box's id and `pts`.
//! Every change to a box that Telegram numbers with `pts` (a new message, an
//! edit, a deletion of N messages, a read mark) advances it by its
//! `pts_count` and is kept as an [`Event`], so `updates.getDifference` can
//! replay them in `pts` order. The world's `[[private_chat]]` and `[[group]]`
//! messages are history: they fill the boxes at start-up without producing
//! updates, and count as read.
//!
//! Also who has met whom: a user's `access_hash` is only accepted from an
//! account that has seen the user (a shared chat, `contacts.resolveUsername`,
//! a user object in an answer); anything else is `PEER_ID_INVALID`, as on
//! Telegram (core.telegram.org/api/peers#access-hash).

use std::collections::{BTreeSet, HashMap};

use serde::{Deserialize, Serialize};

use crate::world::World;

/// The other side of a dialog as a box sees it. Supergroups and channels
/// have boxes of their own (not here), so they would be a further variant.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Peer {
    User(i64),
    /// A basic group (`chat#...`).
    Chat(i64),
}

/// Any dialog's peer, channels included (pinned dialogs).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum DialogPeer {
    User(i64),
    Chat(i64),
    Channel(i64),
}

/// What a service message (`messageService`) says happened.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum ServiceAction {
    ChatCreate { title: String, users: Vec<i64> },
    ChatAddUser { users: Vec<i64> },
    ChatDeleteUser { user: i64 },
}

/// One message as stored in one account's box.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredMessage {
    /// Id in this account's box (1, 2, ...; never reused after deletion).
    pub id: i32,
    /// The dialog; `Peer::User(owner)` for Saved Messages.
    pub peer: Peer,
    /// Sent by the box owner.
    pub out: bool,
    pub from: i64,
    pub text: String,
    pub date: i32,
    /// The `pts` this message produced; 0 for world history.
    pub pts: i32,
    /// An attached document (see [`crate::files`]).
    pub document: Option<i64>,
    /// Set by `messages.editMessage`.
    pub edit_date: Option<i32>,
    /// Set for service messages.
    pub action: Option<ServiceAction>,
    /// Shared by every box's copy of the same sent message.
    pub origin: u64,
    /// Reply, entities, mention and forward header (see [`Extra`]).
    #[serde(default)]
    pub extra: Extra,
}

/// What a message may carry besides its text: all empty for world history.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Extra {
    /// The id, in this box, of the message this one replies to.
    pub reply_to: Option<i32>,
    /// The entities as TL (`Vector<MessageEntity>` serialised), kept as sent.
    pub entities: Option<Vec<u8>>,
    /// The box owner is mentioned in it (counts in `unread_mentions_count`).
    pub mentioned: bool,
    /// Forwarded: the original author and date (`messageFwdHeader`).
    pub fwd_from: Option<(i64, i32)>,
}

/// A `pts`-numbered change of one box (core.telegram.org/api/updates#event-sequences).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Change {
    NewMessage {
        id: i32,
    },
    Edit {
        id: i32,
    },
    Delete {
        ids: Vec<i32>,
    },
    ReadInbox {
        peer: Peer,
        max_id: i32,
        still_unread: i32,
    },
    ReadOutbox {
        peer: Peer,
        max_id: i32,
    },
}

/// A change with the `pts` it brought the box to and its `pts_count`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Event {
    pub pts: i32,
    pub pts_count: i32,
    pub change: Change,
}

/// One account's box.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Mailbox {
    /// Current `pts` (1 for an account nothing happened to yet).
    pub pts: i32,
    pub messages: Vec<StoredMessage>,
    pub met: BTreeSet<i64>,
    /// Every `pts`-numbered change, oldest first.
    pub events: Vec<Event>,
    pub reads: Vec<ReadMarks>,
    last_id: i32,
    /// Pinned dialogs, the last pinned first (`messages.toggleDialogPin`).
    #[serde(default)]
    pub pinned: Vec<DialogPeer>,
}

impl Default for Mailbox {
    fn default() -> Self {
        Self {
            pts: 1,
            messages: Vec::new(),
            met: BTreeSet::new(),
            events: Vec::new(),
            reads: Vec::new(),
            last_id: 0,
            pinned: Vec::new(),
        }
    }
}

impl Mailbox {
    /// Stores `m` under the next id; with `update`, as a `pts` event.
    fn append(&mut self, mut m: StoredMessage, update: bool) -> StoredMessage {
        self.last_id += 1;
        m.id = self.last_id;
        m.pts = if update {
            self.record(1, Change::NewMessage { id: m.id })
        } else {
            0
        };
        self.messages.push(m.clone());
        m
    }

    /// Advances `pts` by `count` for `change`; returns the new `pts`.
    pub fn record(&mut self, count: i32, change: Change) -> i32 {
        self.pts += count;
        self.events.push(Event {
            pts: self.pts,
            pts_count: count,
            change,
        });
        self.pts
    }

    /// Events with `pts` above `after`, oldest first.
    pub fn since(&self, after: i32) -> impl Iterator<Item = &Event> {
        let start = self.events.partition_point(|e| e.pts <= after);
        self.events[start..].iter()
    }

    pub fn message(&self, id: i32) -> Option<&StoredMessage> {
        // Ids grow with the position, so the lookup can bisect.
        let i = self.messages.binary_search_by_key(&id, |m| m.id).ok()?;
        self.messages.get(i)
    }

    /// Sets `extra` on message `id` (right after it was stored).
    pub fn set_extra(&mut self, id: i32, extra: Extra) -> Option<StoredMessage> {
        let i = self.messages.binary_search_by_key(&id, |m| m.id).ok()?;
        self.messages[i].extra = extra;
        Some(self.messages[i].clone())
    }

    /// Replaces the text of message `id`; one `pts`. Returns the edited
    /// message and the new `pts`, `None` if absent.
    pub fn edit(&mut self, id: i32, text: &str, date: i32) -> Option<(StoredMessage, i32)> {
        let i = self.messages.binary_search_by_key(&id, |m| m.id).ok()?;
        let m = &mut self.messages[i];
        m.text = text.to_owned();
        m.edit_date = Some(date);
        let edited = m.clone();
        Some((edited, self.record(1, Change::Edit { id })))
    }

    /// Removes the messages among `ids` that exist; `pts` advances by their
    /// number. Returns the removed ids with the new `pts`, `None` if none existed.
    pub fn delete(&mut self, ids: &[i32]) -> Option<(Vec<i32>, i32)> {
        let gone: Vec<i32> = self
            .messages
            .iter()
            .filter(|m| ids.contains(&m.id))
            .map(|m| m.id)
            .collect();
        if gone.is_empty() {
            return None;
        }
        self.messages.retain(|m| !gone.contains(&m.id));
        let pts = self.record(gone.len() as i32, Change::Delete { ids: gone.clone() });
        Some((gone, pts))
    }

    /// Dialog peers, most recent first, each with its latest message.
    pub fn dialogs(&self) -> Vec<&StoredMessage> {
        let mut latest: HashMap<Peer, &StoredMessage> = HashMap::new();
        for m in &self.messages {
            latest.insert(m.peer, m);
        }
        let mut out: Vec<_> = latest.into_values().collect();
        out.sort_by_key(|m| std::cmp::Reverse(m.id));
        out
    }
}

/// Every account's box.
#[derive(Debug, Default, Serialize, Deserialize)]
pub struct Mailboxes {
    by_user: HashMap<i64, Mailbox>,
    last_origin: u64,
}

mod reads;
mod world_history;

pub use reads::{InboxRead, ReadMarks};

impl Mailboxes {
    /// Fills the boxes with the world's private chats and groups (no
    /// updates; the groups take ids from [`crate::chats::world_chat_id`]).
    pub fn from_world(world: &World, date: i32) -> Self {
        let mut boxes = world_history::fill(world, date);
        for b in boxes.by_user.values_mut() {
            b.mark_all_read();
        }
        boxes
    }

    pub fn get_mut(&mut self, user: i64) -> &mut Mailbox {
        self.by_user.entry(user).or_default()
    }

    pub fn get(&self, user: i64) -> Option<&Mailbox> {
        self.by_user.get(&user)
    }

    /// `who` has now seen `whom`.
    pub fn meet(&mut self, who: i64, whom: i64) {
        self.get_mut(who).met.insert(whom);
    }

    pub fn has_met(&self, who: i64, whom: i64) -> bool {
        who == whom || self.get(who).is_some_and(|b| b.met.contains(&whom))
    }

    fn next_origin(&mut self) -> u64 {
        self.last_origin += 1;
        self.last_origin
    }

    /// Delivers `text` from `from` to `to` (equal for Saved Messages): one
    /// message and one `pts` in each box involved. Returns the sender's copy
    /// and, for another user, the recipient's.
    pub fn send(
        &mut self,
        from: i64,
        to: i64,
        text: &str,
        date: i32,
        document: Option<i64>,
    ) -> (StoredMessage, Option<StoredMessage>) {
        self.deliver(from, to, text, date, document, true)
    }

    fn deliver(
        &mut self,
        from: i64,
        to: i64,
        text: &str,
        date: i32,
        document: Option<i64>,
        update: bool,
    ) -> (StoredMessage, Option<StoredMessage>) {
        let base = StoredMessage {
            id: 0,
            peer: Peer::User(to),
            out: true,
            from,
            text: text.to_owned(),
            date,
            pts: 0,
            document,
            edit_date: None,
            action: None,
            origin: self.next_origin(),
            extra: Extra::default(),
        };
        let sent = self.get_mut(from).append(base.clone(), update);
        if from == to {
            return (sent, None);
        }
        self.meet(to, from);
        let theirs = StoredMessage {
            peer: Peer::User(from),
            out: false,
            ..base
        };
        let received = self.get_mut(to).append(theirs, update);
        (sent, Some(received))
    }

    /// Posts a message (or, with `action`, a service message) from `from` to
    /// basic group `chat`: one copy, id and `pts` in the box of each of
    /// `recipients` (the sender included when listed). Returns the copies in
    /// the order of `recipients`.
    #[allow(clippy::too_many_arguments)]
    pub fn post_to_chat(
        &mut self,
        from: i64,
        chat: i64,
        recipients: &[i64],
        text: &str,
        action: Option<ServiceAction>,
        date: i32,
        update: bool,
    ) -> Vec<(i64, StoredMessage)> {
        let content = (text, action, None);
        self.post_media_to_chat(from, chat, recipients, content, date, update)
    }

    /// [`Self::post_to_chat`] with its content as (text, service action,
    /// photo or document id of [`crate::files`]).
    pub fn post_media_to_chat(
        &mut self,
        from: i64,
        chat: i64,
        recipients: &[i64],
        (text, action, document): (&str, Option<ServiceAction>, Option<i64>),
        date: i32,
        update: bool,
    ) -> Vec<(i64, StoredMessage)> {
        let base = StoredMessage {
            id: 0,
            peer: Peer::Chat(chat),
            out: false,
            from,
            text: text.to_owned(),
            date,
            pts: 0,
            document,
            edit_date: None,
            action,
            origin: self.next_origin(),
            extra: Extra::default(),
        };
        recipients
            .iter()
            .map(|&user| {
                let copy = StoredMessage {
                    out: user == from,
                    ..base.clone()
                };
                (user, self.get_mut(user).append(copy, update))
            })
            .collect()
    }

    /// Gives `to`, a new member of basic group `chat`, copies of the last
    /// `limit` (at most 100) messages `inviter` has in it, as history (no
    /// `pts`) that counts as read: `messages.addChatUser`'s `fwd_limit`.
    /// Service messages are not shared. Returns how many were copied.
    pub fn share_history(&mut self, inviter: i64, to: i64, chat: i64, limit: usize) -> usize {
        let peer = Peer::Chat(chat);
        let Some(source) = self.get(inviter) else {
            return 0;
        };
        let mut shared: Vec<StoredMessage> = source
            .messages
            .iter()
            .rev()
            .filter(|m| m.peer == peer && m.action.is_none())
            .take(limit.min(100))
            .cloned()
            .collect();
        shared.reverse();
        let target = self.get_mut(to);
        for m in &shared {
            let copy = StoredMessage {
                out: m.from == to,
                ..m.clone()
            };
            target.append(copy, false);
        }
        if !shared.is_empty() {
            let top = target.last_id;
            target.mark_read(peer, top);
        }
        shared.len()
    }

    /// Every box's copy of the message with this `origin`: (owner, id).
    pub fn copies(&self, origin: u64) -> Vec<(i64, i32)> {
        let mut out: Vec<(i64, i32)> = self
            .by_user
            .iter()
            .filter_map(|(&user, b)| {
                b.messages
                    .iter()
                    .find(|m| m.origin == origin)
                    .map(|m| (user, m.id))
            })
            .collect();
        out.sort_unstable();
        out
    }

    /// The id of `user`'s copy of the message with this `origin`.
    pub fn copy_in(&self, user: i64, origin: u64) -> Option<i32> {
        self.get(user)?
            .messages
            .iter()
            .find(|m| m.origin == origin)
            .map(|m| m.id)
    }
}

#[cfg(test)]
mod tests;
