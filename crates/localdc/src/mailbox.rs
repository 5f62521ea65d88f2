//! Private messages per account, with Telegram's numbering
//! (core.telegram.org/api/updates): each account has its own message ids
//! and its own `pts`, and every new message in its box advances that `pts`
//! by one. The world's `[[private_chat]]` messages are history: they fill
//! the boxes at start-up without producing updates.
//!
//! Also who has met whom: a user's `access_hash` is only accepted from an
//! account that has seen the user (a shared chat, `contacts.resolveUsername`);
//! anything else is `PEER_ID_INVALID`, as on Telegram.

use std::collections::{BTreeSet, HashMap};

use crate::world::World;

/// One message as stored in one account's box.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct StoredMessage {
    /// Id in this account's box (1, 2, ...).
    pub id: i32,
    /// The other side of the dialog; the owner itself for Saved Messages.
    pub peer: i64,
    /// Sent by the box owner.
    pub out: bool,
    pub from: i64,
    pub text: String,
    pub date: i32,
    /// The `pts` this message produced; 0 for world history.
    pub pts: i32,
    /// An attached document (see [`crate::files`]).
    pub document: Option<i64>,
}

/// One account's box.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Mailbox {
    /// Current `pts` (1 for an account nothing happened to yet).
    pub pts: i32,
    pub messages: Vec<StoredMessage>,
    pub met: BTreeSet<i64>,
}

impl Default for Mailbox {
    fn default() -> Self {
        Self {
            pts: 1,
            messages: Vec::new(),
            met: BTreeSet::new(),
        }
    }
}

impl Mailbox {
    #[allow(clippy::too_many_arguments)]
    fn append(
        &mut self,
        peer: i64,
        out: bool,
        from: i64,
        text: &str,
        date: i32,
        update: bool,
        document: Option<i64>,
    ) -> StoredMessage {
        if update {
            self.pts += 1;
        }
        let m = StoredMessage {
            id: self.messages.len() as i32 + 1,
            peer,
            out,
            from,
            text: text.to_owned(),
            date,
            pts: if update { self.pts } else { 0 },
            document,
        };
        self.messages.push(m.clone());
        m
    }

    /// Messages with `pts` above `after`, oldest first.
    pub fn since(&self, after: i32) -> Vec<StoredMessage> {
        self.messages
            .iter()
            .filter(|m| m.pts > after)
            .cloned()
            .collect()
    }

    /// Dialog peers, most recent first, each with its latest message.
    pub fn dialogs(&self) -> Vec<&StoredMessage> {
        let mut latest: HashMap<i64, &StoredMessage> = HashMap::new();
        for m in &self.messages {
            latest.insert(m.peer, m);
        }
        let mut out: Vec<_> = latest.into_values().collect();
        out.sort_by_key(|m| std::cmp::Reverse(m.id));
        out
    }
}

/// Every account's box.
#[derive(Debug, Default, serde::Serialize, serde::Deserialize)]
pub struct Mailboxes {
    by_user: HashMap<i64, Mailbox>,
}

impl Mailboxes {
    /// Fills the boxes with the world's private chats (no updates).
    pub fn from_world(world: &World, date: i32) -> Self {
        let mut boxes = Self::default();
        for chat in &world.private_chats {
            let (Some(a), Some(b)) = (
                world.user_id(&chat.members[0]),
                world.user_id(&chat.members[1]),
            ) else {
                continue;
            };
            boxes.meet(a, b);
            boxes.meet(b, a);
            for m in &chat.messages {
                let Some(from) = world.user_id(&m.from) else {
                    continue;
                };
                let to = if from == a { b } else { a };
                boxes
                    .get_mut(from)
                    .append(to, true, from, &m.text, date, false, None);
                boxes
                    .get_mut(to)
                    .append(from, false, from, &m.text, date, false, None);
            }
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
        let sent = self
            .get_mut(from)
            .append(to, true, from, text, date, true, document);
        if from == to {
            return (sent, None);
        }
        self.meet(to, from);
        let received = self
            .get_mut(to)
            .append(from, false, from, text, date, true, document);
        (sent, Some(received))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_box_numbers_its_own_messages_and_pts() {
        let mut boxes = Mailboxes::default();
        let (a1, b1) = boxes.send(1, 2, "hi", 100, None);
        let b1 = b1.unwrap();
        assert_eq!((a1.id, a1.pts, a1.out), (1, 2, true));
        assert_eq!((b1.id, b1.pts, b1.out, b1.peer), (1, 2, false, 1));
        let (own, none) = boxes.send(1, 1, "note", 101, None);
        assert!(none.is_none());
        assert_eq!((own.id, own.pts, own.peer), (2, 3, 1));
        assert_eq!(boxes.get(2).unwrap().pts, 2);
        assert!(boxes.has_met(2, 1) && !boxes.has_met(1, 3));
        assert_eq!(boxes.get(1).unwrap().since(2).len(), 1);
        let dialogs: Vec<i64> = boxes
            .get(1)
            .unwrap()
            .dialogs()
            .iter()
            .map(|m| m.peer)
            .collect();
        assert_eq!(dialogs, vec![1, 2]);
    }
}
