//! Changes to channels beyond posting text and deleting messages: media
//! posts, edits (core.telegram.org/api/updates#channel-pts: one `pts` each)
//! and `channels.deleteChannel` (core.telegram.org/method/channels.deleteChannel).

use super::{Channel, ChannelMessage, Channels, Event, PtsEvent};

impl Channel {
    /// The highest message id a member other than `viewer` has read:
    /// `viewer`'s own messages up to it count as read
    /// (`read_outbox_max_id`, `updateReadChannelOutbox`).
    pub fn read_outbox(&self, viewer: i64) -> i32 {
        self.read_inbox
            .iter()
            .filter(|(u, _)| **u != viewer)
            .map(|(_, max)| *max)
            .max()
            .unwrap_or(0)
    }

    /// Appends a message with a photo or document (a [`crate::files`] media
    /// id); `update` advances `pts` and logs it.
    pub fn post_media(
        &mut self,
        from: i64,
        caption: &str,
        date: i32,
        document: i64,
        update: bool,
    ) -> ChannelMessage {
        let mut m = self.post(from, caption, date, None, update);
        m.document = Some(document);
        if let Some(stored) = self.messages.get_mut(&m.id) {
            stored.document = Some(document);
        }
        m
    }

    /// Edits the text of message `id` (`edit_date` set), advancing `pts`
    /// by one; `None` for a message that does not exist.
    pub fn edit(&mut self, id: i32, text: &str, date: i32) -> Option<ChannelMessage> {
        let m = self.messages.get_mut(&id)?;
        m.text = text.to_owned();
        m.edit_date = Some(date);
        let edited = m.clone();
        self.pts += 1;
        self.log.push(PtsEvent {
            pts: self.pts,
            pts_count: 1,
            event: Event::Edit { id },
        });
        Some(edited)
    }
}

impl Channels {
    /// Deletes channel `id` (`channels.deleteChannel`): its former members
    /// keep having met it and see `channelForbidden`; returns them.
    pub fn delete_channel(&mut self, id: i64) -> Vec<i64> {
        let Some(ch) = self.by_id.get_mut(&id) else {
            return Vec::new();
        };
        let members: Vec<i64> = ch.members.keys().copied().collect();
        ch.members.clear();
        ch.admins.clear();
        ch.username = None;
        ch.deleted = true;
        for &m in &members {
            self.met.entry(m).or_default().insert(id);
        }
        members
    }
}
