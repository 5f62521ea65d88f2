//! `updates.getChannelDifference` (core.telegram.org/api/updates#recovering-gaps,
//! core.telegram.org/method/updates.getChannelDifference): one channel's `pts` catching up.
//!
//! * `channelDifferenceEmpty`: nothing missed; its pts is taken.
//! * `channelDifference`: the missed messages (first) and other updates, and the new pts.
//! * `channelDifferenceTooLong`: the local history is stale: pts comes from the dialog, the
//!   latest messages go to the caller in [`Note::ChannelDifferenceTooLong`].
//!
//! Unless `final` is set, fetching goes on. A final difference of a channel the caller is
//! viewing ([`MessageBox::set_viewing`]) is fetched again after the server's `timeout`;
//! others after [`NO_UPDATES_TIMEOUT`] of silence. The request needs the channel's access
//! hash from the [`PeerCache`]: without one the channel is skipped with
//! [`Note::ChannelSkipped`] (its held updates delivered, the gap accepted).

use std::time::{Duration, Instant};

use hearth_tl::{enums, functions};

use super::sequence::{self, Position};
use super::{
    Applied, ChannelDiffEnd, Entry, MessageBox, Note, SkipReason, BOT_CHANNEL_DIFF_LIMIT,
    CHANNEL_RETRY_DELAY, NO_UPDATES_TIMEOUT, USER_CHANNEL_DIFF_LIMIT,
};
use crate::peers::PeerCache;

impl MessageBox {
    /// The `updates.getChannelDifference` to send now, if any (checks the deadlines first).
    /// Channels are served one at a time, lowest id first; the same request is returned until
    /// its answer is applied or [`MessageBox::end_channel_difference`] is called. Its channel
    /// id is in `channel`.
    pub fn get_channel_difference(
        &mut self,
        peers: &PeerCache,
        now: Instant,
    ) -> Option<functions::updates::GetChannelDifference> {
        self.check_deadlines(now);
        while let Some(&id) = self.channel_diffs.first() {
            let Some(entry) = self.channels.get(&id).copied() else {
                self.channel_diffs.remove(&id);
                continue;
            };
            match peers.input_channel(id) {
                Ok(channel) => {
                    return Some(functions::updates::GetChannelDifference {
                        force: false,
                        channel,
                        filter: enums::ChannelMessagesFilter::ChannelMessagesFilterEmpty,
                        pts: entry.pts,
                        limit: if self.bot {
                            BOT_CHANNEL_DIFF_LIMIT
                        } else {
                            USER_CHANNEL_DIFF_LIMIT
                        },
                    });
                }
                Err(e) => {
                    tracing::warn!(channel = id, error = %e, "channel difference skipped");
                    self.channel_diffs.remove(&id);
                    self.release_channel(id);
                    if let Some(c) = self.channels.get_mut(&id) {
                        c.deadline = now + NO_UPDATES_TIMEOUT;
                    }
                    self.notes.push(Note::ChannelSkipped {
                        channel_id: id,
                        reason: SkipReason::NotMet(e),
                    });
                }
            }
        }
        None
    }

    /// Applies the answer to the channel difference of `channel_id`.
    pub fn apply_channel_difference(
        &mut self,
        channel_id: i64,
        d: enums::updates::ChannelDifference,
        now: Instant,
    ) -> Applied {
        use enums::updates::ChannelDifference as D;
        let mut out = self.begin();
        if !self.channels.contains_key(&channel_id) {
            tracing::warn!(
                channel = channel_id,
                "difference of a channel not followed; ignored"
            );
            return out;
        }
        let (final_, timeout) = match d {
            D::ChannelDifferenceEmpty(e) => {
                self.set_channel_pts(channel_id, e.pts);
                (e.final_, e.timeout)
            }
            D::ChannelDifference(d) => {
                out.users.extend(d.users);
                out.chats.extend(d.chats);
                out.updates
                    .extend(d.new_messages.into_iter().map(sequence::new_message_update));
                for u in d.other_updates {
                    match sequence::position(&u) {
                        // Covered by the new pts set below.
                        Position::In {
                            entry: Entry::Channel(id),
                            ..
                        } if id == channel_id => out.updates.push(u),
                        _ => self.apply_update(u, now, &mut out),
                    }
                }
                self.set_channel_pts(channel_id, d.pts);
                (d.final_, d.timeout)
            }
            D::ChannelDifferenceTooLong(t) => {
                out.users.extend(t.users);
                out.chats.extend(t.chats);
                match &t.dialog {
                    enums::Dialog::Dialog(dialog) => match dialog.pts {
                        Some(pts) => self.set_channel_pts(channel_id, pts),
                        None => tracing::warn!(
                            channel = channel_id,
                            "channelDifferenceTooLong without a dialog pts"
                        ),
                    },
                    _ => tracing::warn!(
                        channel = channel_id,
                        "channelDifferenceTooLong with a folder dialog"
                    ),
                }
                self.notes.push(Note::ChannelDifferenceTooLong {
                    channel_id,
                    messages: t.messages,
                });
                (t.final_, t.timeout)
            }
        };
        if final_ {
            self.channel_diffs.remove(&channel_id);
            let wait = match (timeout, self.viewing.contains(&channel_id)) {
                (Some(secs), true) => Duration::from_secs(u64::try_from(secs.max(1)).unwrap_or(1)),
                _ => NO_UPDATES_TIMEOUT,
            };
            if let Some(c) = self.channels.get_mut(&channel_id) {
                c.deadline = now + wait;
            }
            self.replay(Entry::Channel(channel_id), now, &mut out, true);
        } else {
            tracing::debug!(
                channel = channel_id,
                "channel difference not final; fetching more"
            );
        }
        out
    }

    /// The server refused the channel difference of `channel_id` (see [`ChannelDiffEnd`]).
    /// A forbidden or invalid channel is no longer followed (its held updates are delivered);
    /// otherwise it is fetched again after [`CHANNEL_RETRY_DELAY`].
    pub fn end_channel_difference(
        &mut self,
        channel_id: i64,
        reason: ChannelDiffEnd,
        now: Instant,
    ) {
        self.channel_diffs.remove(&channel_id);
        match &reason {
            ChannelDiffEnd::Forbidden | ChannelDiffEnd::Invalid => {
                self.release_channel(channel_id);
                self.channels.remove(&channel_id);
                self.viewing.remove(&channel_id);
            }
            ChannelDiffEnd::RetryLater(_) => {
                if let Some(c) = self.channels.get_mut(&channel_id) {
                    c.deadline = now + CHANNEL_RETRY_DELAY;
                }
                if let Some(g) = self.gaps.get_mut(&Entry::Channel(channel_id)) {
                    g.deadline = now + CHANNEL_RETRY_DELAY;
                }
            }
        }
        tracing::info!(channel = channel_id, ?reason, "channel difference ended");
        self.notes.push(Note::ChannelEnded { channel_id, reason });
    }

    fn set_channel_pts(&mut self, channel_id: i64, pts: i32) {
        if let Some(c) = self.channels.get_mut(&channel_id) {
            c.pts = pts;
        }
    }
}
