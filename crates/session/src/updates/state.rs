//! The persistent part of the update state (core.telegram.org/api/updates), and the box's
//! life cycle: creating, loading, resetting and reading it.

use std::collections::BTreeMap;
use std::time::Instant;

use hearth_tl::types;

use super::{Applied, ChannelEntry, Common, Entry, MessageBox, Note, NO_UPDATES_TIMEOUT};

/// The account's position in its update sequences, as `updates.getState` reports it and as it
/// advances: `pts` (messages and the account's other events), `qts` (secret chats and bot
/// events), `date` and `seq` (the `updates`/`updatesCombined` sequence), plus the `pts` of
/// every channel being followed.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct UpdateState {
    pub pts: i32,
    pub qts: i32,
    pub date: i32,
    pub seq: i32,
    /// Channel id → that channel's pts.
    pub channels: BTreeMap<i64, i32>,
}

impl MessageBox {
    /// A box with no state yet: the caller fetches `updates.getState` and calls
    /// [`MessageBox::set_state`]. Until then updates pass unchecked.
    pub fn new() -> Self {
        Self::default()
    }

    /// A box resumed from a saved state. A difference is needed at once, to catch up on what
    /// happened while the app was closed or offline; each followed channel fetches its own
    /// when a gap shows or after [`NO_UPDATES_TIMEOUT`].
    pub fn load(state: UpdateState, now: Instant) -> Self {
        let mut b = MessageBox {
            common: Some(Common {
                pts: state.pts,
                qts: state.qts,
                date: state.date,
                seq: state.seq,
            }),
            account_deadline: Some(now + NO_UPDATES_TIMEOUT),
            common_diff: true,
            ..Self::default()
        };
        for (id, pts) in state.channels {
            b.channels.insert(
                id,
                ChannelEntry {
                    pts,
                    deadline: now + NO_UPDATES_TIMEOUT,
                },
            );
        }
        b
    }

    /// Takes the state `updates.getState` returned. Updates held so far are replayed against
    /// it (see [`MessageBox::take_ready`]).
    pub fn set_state(&mut self, s: types::updates::State, now: Instant) {
        self.common = Some(Common {
            pts: s.pts,
            qts: s.qts,
            date: s.date,
            seq: s.seq,
        });
        self.common_diff = false;
        self.seq_gap = None;
        self.account_deadline = Some(now + NO_UPDATES_TIMEOUT);
        let mut out = Applied::default();
        self.replay(Entry::Account, now, &mut out, true);
        self.replay(Entry::Secret, now, &mut out, true);
        self.ready.append(&mut out.updates);
    }

    /// The state to persist. Before any state is known, all zero.
    pub fn state(&self) -> UpdateState {
        let c = self.common.unwrap_or(Common {
            pts: 0,
            qts: 0,
            date: 0,
            seq: 0,
        });
        UpdateState {
            pts: c.pts,
            qts: c.qts,
            date: c.date,
            seq: c.seq,
            channels: self.channels.iter().map(|(id, c)| (*id, c.pts)).collect(),
        }
    }

    /// No state is known yet.
    pub fn is_empty(&self) -> bool {
        self.common.is_none()
    }

    /// Starts following channel `channel_id` at `pts` (e.g. a dialog's `pts`), unless it is
    /// followed already.
    pub fn follow_channel(&mut self, channel_id: i64, pts: i32, now: Instant) {
        self.channels.entry(channel_id).or_insert(ChannelEntry {
            pts,
            deadline: now + NO_UPDATES_TIMEOUT,
        });
    }

    /// Whether the caller shows channel `channel_id` now: a shown channel's difference is
    /// fetched again after the `timeout` the server gives.
    pub fn set_viewing(&mut self, channel_id: i64, viewing: bool) {
        if viewing {
            self.viewing.insert(channel_id);
        } else {
            self.viewing.remove(&channel_id);
        }
    }

    /// The account is a bot (larger channel difference pages).
    pub fn set_bot(&mut self, bot: bool) {
        self.bot = bot;
    }

    /// Asks for a difference now (e.g. after the session reported `new_session_created`, when
    /// the server may have dropped updates).
    pub fn request_difference(&mut self) {
        if self.common.is_some() {
            self.common_diff = true;
        }
    }

    /// Asks for a channel's difference now (only for followed channels).
    pub fn request_channel_difference(&mut self, channel_id: i64) {
        if self.channels.contains_key(&channel_id) {
            self.channel_diffs.insert(channel_id);
        }
    }

    /// Updates that became ready outside a call returning [`Applied`] (after
    /// [`MessageBox::set_state`], a skipped or ended channel). Every `Applied` a method returns
    /// starts with them too.
    pub fn take_ready(&mut self) -> Applied {
        Applied {
            updates: std::mem::take(&mut self.ready),
            ..Applied::default()
        }
    }

    /// What the caller must know or act on since the last call.
    pub fn take_notes(&mut self) -> Vec<Note> {
        std::mem::take(&mut self.notes)
    }
}
