//! `updates.getDifference` (core.telegram.org/api/updates#recovering-gaps,
//! core.telegram.org/method/updates.getDifference): the account's `pts`, `qts`, `date` and
//! `seq` catching up.
//!
//! * `differenceEmpty`: nothing missed; `date` and `seq` are taken.
//! * `difference`: the missed messages and updates, then the new state; fetching ends.
//! * `differenceSlice`: a part of them and an intermediate state; fetching goes on.
//! * `differenceTooLong`: too much was missed; `pts` jumps and the caller is told
//!   ([`Note::DifferenceTooLong`]) to reload dialogs; fetching goes on from there.
//!
//! A difference's new messages come first (in the server's order), then its encrypted
//! messages, then its other updates: an edit or deletion of a new message in the same
//! difference follows it. Channel updates among the other updates go through their channel's
//! pts check; `updateChannelTooLong` starts that channel's difference.

use std::time::Instant;

use hearth_tl::{enums, functions, types};

use super::sequence::{self, Position};
use super::{Applied, Entry, MessageBox, Note, NO_UPDATES_TIMEOUT};

impl MessageBox {
    /// The `updates.getDifference` to send now, if one is needed (checks the deadlines first).
    /// Returns the same request until its answer is applied, so a failed request can be
    /// retried by calling again.
    pub fn get_difference(&mut self, now: Instant) -> Option<functions::updates::GetDifference> {
        self.check_deadlines(now);
        if !self.common_diff {
            return None;
        }
        let c = self.common?;
        Some(functions::updates::GetDifference {
            pts: c.pts,
            pts_limit: None,
            pts_total_limit: None,
            date: c.date,
            qts: c.qts,
            qts_limit: None,
        })
    }

    /// Applies the answer to [`MessageBox::get_difference`]'s request.
    pub fn apply_difference(&mut self, d: enums::updates::Difference, now: Instant) -> Applied {
        use enums::updates::Difference as D;
        let mut out = self.begin();
        if self.common.is_none() {
            tracing::warn!("difference received before any update state; ignored");
            return out;
        }
        match d {
            D::DifferenceEmpty(e) => {
                if let Some(c) = self.common.as_mut() {
                    c.date = e.date;
                    c.seq = e.seq;
                }
                self.finish_common_diff(now, &mut out);
            }
            D::Difference(d) => {
                self.take_difference(
                    d.new_messages,
                    d.new_encrypted_messages,
                    d.other_updates,
                    now,
                    &mut out,
                );
                out.users.extend(d.users);
                out.chats.extend(d.chats);
                self.set_common(d.state);
                self.finish_common_diff(now, &mut out);
            }
            D::DifferenceSlice(d) => {
                self.take_difference(
                    d.new_messages,
                    d.new_encrypted_messages,
                    d.other_updates,
                    now,
                    &mut out,
                );
                out.users.extend(d.users);
                out.chats.extend(d.chats);
                self.set_common(d.intermediate_state);
                tracing::debug!("difference slice applied; fetching the rest");
            }
            D::DifferenceTooLong(t) => {
                if let Some(c) = self.common.as_mut() {
                    c.pts = t.pts;
                }
                tracing::info!(pts = t.pts, "difference too long; dialogs must be reloaded");
                self.notes.push(Note::DifferenceTooLong { pts: t.pts });
            }
        }
        out
    }

    fn take_difference(
        &mut self,
        new_messages: Vec<enums::Message>,
        new_encrypted_messages: Vec<enums::EncryptedMessage>,
        other_updates: Vec<enums::Update>,
        now: Instant,
        out: &mut Applied,
    ) {
        for m in new_messages {
            // pts 0: delivered as is, the difference's state counts it.
            out.updates.push(sequence::new_message_update(m));
        }
        out.updates
            .extend(new_encrypted_messages.into_iter().map(|message| {
                enums::Update::UpdateNewEncryptedMessage(types::UpdateNewEncryptedMessage {
                    message,
                    qts: 0,
                })
            }));
        for u in other_updates {
            match sequence::position(&u) {
                // Covered by the difference's state, which is set afterwards.
                Position::In { entry, .. } if entry.is_common() => out.updates.push(u),
                _ => self.apply_update(u, now, out),
            }
        }
    }

    fn set_common(&mut self, state: enums::updates::State) {
        let enums::updates::State::State(s) = state;
        if let Some(c) = self.common.as_mut() {
            c.pts = s.pts;
            c.qts = s.qts;
            c.date = s.date;
            c.seq = s.seq;
        }
    }

    /// Fetching is over: seq gaps are void, held updates replayed against the new state.
    fn finish_common_diff(&mut self, now: Instant, out: &mut Applied) {
        self.common_diff = false;
        self.seq_gap = None;
        self.account_deadline = Some(now + NO_UPDATES_TIMEOUT);
        self.replay(Entry::Account, now, out, true);
        self.replay(Entry::Secret, now, out, true);
    }
}
