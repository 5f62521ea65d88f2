//! Read marks per dialog (core.telegram.org/api/updates, `updateReadHistoryInbox`
//! and `updateReadHistoryOutbox`): incoming messages above the inbox mark
//! are unread; the outbox mark tells how far the other side has read.
//! Marks only move forward, and each move is one `pts` event.

use serde::{Deserialize, Serialize};

use super::{Change, Mailbox, Peer, StoredMessage};

/// Read marks of one dialog: incoming messages up to `inbox` were read by the
/// owner, outgoing ones up to `outbox` by the other side.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReadMarks {
    pub peer: Peer,
    pub inbox: i32,
    pub outbox: i32,
}

/// What `messages.readHistory` changed in the reader's box.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InboxRead {
    pub pts: i32,
    pub max_id: i32,
    pub still_unread: i32,
    /// Incoming messages this read marked read.
    pub newly_read: Vec<StoredMessage>,
}

impl Mailbox {
    /// The read marks of `peer`'s dialog (0, 0 when never read).
    pub fn marks(&self, peer: Peer) -> ReadMarks {
        self.reads
            .iter()
            .find(|r| r.peer == peer)
            .copied()
            .unwrap_or(ReadMarks {
                peer,
                inbox: 0,
                outbox: 0,
            })
    }

    fn marks_mut(&mut self, peer: Peer) -> &mut ReadMarks {
        if let Some(i) = self.reads.iter().position(|r| r.peer == peer) {
            return &mut self.reads[i];
        }
        self.reads.push(self.marks(peer));
        let last = self.reads.len() - 1;
        &mut self.reads[last]
    }

    /// Incoming messages of `peer`'s dialog above its inbox read mark.
    pub fn unread_count(&self, peer: Peer) -> i32 {
        let inbox = self.marks(peer).inbox;
        self.messages
            .iter()
            .filter(|m| m.peer == peer && !m.out && m.id > inbox)
            .count() as i32
    }

    /// Unread incoming messages of `peer`'s dialog that mention the owner.
    pub fn unread_mentions(&self, peer: Peer) -> i32 {
        let inbox = self.marks(peer).inbox;
        self.messages
            .iter()
            .filter(|m| m.peer == peer && !m.out && m.extra.mentioned && m.id > inbox)
            .count() as i32
    }

    /// Marks `peer`'s incoming messages up to `max_id` (0: all) read; one `pts`.
    /// `None` when nothing new was read.
    pub fn read_inbox(&mut self, peer: Peer, max_id: i32) -> Option<InboxRead> {
        let top = self
            .messages
            .iter()
            .filter(|m| m.peer == peer)
            .map(|m| m.id)
            .max()?;
        let max_id = if max_id <= 0 { top } else { max_id.min(top) };
        let old = self.marks(peer).inbox;
        if max_id <= old {
            return None;
        }
        self.marks_mut(peer).inbox = max_id;
        let newly_read: Vec<StoredMessage> = self
            .messages
            .iter()
            .filter(|m| m.peer == peer && !m.out && m.id > old && m.id <= max_id)
            .cloned()
            .collect();
        let still_unread = self.unread_count(peer);
        let pts = self.record(
            1,
            Change::ReadInbox {
                peer,
                max_id,
                still_unread,
            },
        );
        Some(InboxRead {
            pts,
            max_id,
            still_unread,
            newly_read,
        })
    }

    /// The other side read this box's outgoing messages up to `max_id`; one
    /// `pts`, or `None` when the mark does not move.
    pub fn read_outbox(&mut self, peer: Peer, max_id: i32) -> Option<i32> {
        if max_id <= self.marks(peer).outbox {
            return None;
        }
        self.marks_mut(peer).outbox = max_id;
        Some(self.record(1, Change::ReadOutbox { peer, max_id }))
    }

    /// Unread incoming messages over every dialog (`updates.state.unread_count`).
    pub fn total_unread(&self) -> i32 {
        self.messages
            .iter()
            .filter(|m| !m.out && m.id > self.marks(m.peer).inbox)
            .count() as i32
    }

    /// `peer`'s dialog counts as read both ways up to `id` (history).
    pub(super) fn mark_read(&mut self, peer: Peer, id: i32) {
        let marks = self.marks_mut(peer);
        marks.inbox = marks.inbox.max(id);
        marks.outbox = marks.outbox.max(id);
    }

    /// Every dialog counts as read up to its latest message (world history).
    pub(super) fn mark_all_read(&mut self) {
        let tops: Vec<(Peer, i32)> = self.dialogs().iter().map(|m| (m.peer, m.id)).collect();
        for (peer, top) in tops {
            self.mark_read(peer, top);
        }
    }
}
