//! Deadlines: the possible-gap timeout (0.5 s after a gap shows), the no-updates timeout
//! (15 min of silence) and channel polling. Time is passed in; the caller sleeps until
//! [`MessageBox::next_deadline`] and then calls [`MessageBox::check_deadlines`].

use std::time::Instant;

use super::{MessageBox, NO_UPDATES_TIMEOUT};

impl MessageBox {
    /// When [`MessageBox::check_deadlines`] has work next. Deadlines of sequences whose
    /// difference is already needed are left out (the caller fetches those now); with nothing
    /// pending it is `now` + [`NO_UPDATES_TIMEOUT`].
    pub fn next_deadline(&self, now: Instant) -> Instant {
        let mut next = now + NO_UPDATES_TIMEOUT;
        let mut consider = |d: Instant| next = next.min(d);
        if !self.common_diff {
            if let Some(d) = self.account_deadline {
                consider(d);
            }
            if let Some(g) = &self.seq_gap {
                consider(g.deadline);
            }
        }
        for (entry, gap) in &self.gaps {
            if !self.fetching(*entry) {
                consider(gap.deadline);
            }
        }
        for (id, c) in &self.channels {
            if !self.channel_diffs.contains(id) {
                consider(c.deadline);
            }
        }
        next
    }

    /// Turns every deadline that has passed into a needed difference: an account or `qts` gap
    /// still open, a seq gap, or 15 minutes of silence → `updates.getDifference`; a channel gap
    /// or a silent channel → `updates.getChannelDifference`.
    pub fn check_deadlines(&mut self, now: Instant) {
        if self.common.is_some() && !self.common_diff {
            let silent = self.account_deadline.is_some_and(|d| d <= now);
            let seq_gap = self.seq_gap.as_ref().is_some_and(|g| g.deadline <= now);
            let gap = self
                .gaps
                .iter()
                .any(|(e, g)| e.is_common() && g.deadline <= now);
            if silent || seq_gap || gap {
                tracing::debug!(silent, seq_gap, gap, "account difference needed");
                self.common_diff = true;
            }
        }
        let expired: Vec<i64> = self
            .gaps
            .iter()
            .filter_map(|(e, g)| e.channel_id().filter(|_| g.deadline <= now))
            .chain(
                self.channels
                    .iter()
                    .filter(|(_, c)| c.deadline <= now)
                    .map(|(id, _)| *id),
            )
            .collect();
        for id in expired {
            if self.channels.contains_key(&id) && self.channel_diffs.insert(id) {
                tracing::debug!(channel = id, "channel difference needed");
            }
        }
    }
}
