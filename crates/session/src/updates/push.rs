//! Applying pushed (or returned) `Updates`: the `seq` check of containers, the `pts`/`qts`
//! check of each update, holding updates behind a gap and replaying them once it closes.

use std::cmp::Ordering;
use std::time::Instant;

use hearth_tl::{enums, types};

use super::sequence::{self, Position};
use super::{
    Applied, ChannelEntry, Entry, Gap, Held, MessageBox, Note, PossibleGap, SeqGap, SkipReason,
    NO_UPDATES_TIMEOUT, POSSIBLE_GAP_TIMEOUT,
};

/// Where an update stands against its entry's local pts.
enum Check {
    /// `local + count == pts`: the next one.
    Next,
    /// `local + count > pts`: applied before.
    Duplicate,
    /// `local + count < pts`: updates are missing before it.
    Gap,
}

fn check(local: i32, h: &Held) -> Check {
    match (i64::from(local) + i64::from(h.count)).cmp(&i64::from(h.pts)) {
        Ordering::Equal => Check::Next,
        Ordering::Greater => Check::Duplicate,
        Ordering::Less => Check::Gap,
    }
}

impl MessageBox {
    /// Applies a pushed or returned `Updates`. `Ok` carries the updates now in order (possibly
    /// none, if they wait behind a gap: see [`MessageBox::next_deadline`]); `Err(Gap)` means a
    /// difference is needed now (`updatesTooLong`). Before a state is known updates pass
    /// unchecked.
    pub fn process_updates(
        &mut self,
        updates: enums::Updates,
        now: Instant,
    ) -> Result<Applied, Gap> {
        use enums::Updates as U;
        if self.common.is_some() {
            self.account_deadline = Some(now + NO_UPDATES_TIMEOUT);
        }
        let mut out = self.begin();
        match updates {
            U::UpdatesTooLong => {
                self.ready = out.updates;
                self.request_difference();
                return Err(Gap::Detected);
            }
            U::UpdateShortMessage(m) => {
                self.bump_date(m.date);
                self.apply_update(sequence::short_message(m), now, &mut out);
            }
            U::UpdateShortChatMessage(m) => {
                self.bump_date(m.date);
                self.apply_update(sequence::short_chat_message(m), now, &mut out);
            }
            U::UpdateShort(s) => {
                self.bump_date(s.date);
                self.apply_update(*s.update, now, &mut out);
            }
            U::UpdateShortSentMessage(m) => {
                self.bump_date(m.date);
                self.apply_update(sequence::short_sent_message(m, None), now, &mut out);
            }
            U::Updates(u) => {
                let seq = (u.seq, u.seq);
                self.container(u.updates, u.users, u.chats, u.date, seq, now, &mut out);
            }
            U::UpdatesCombined(u) => {
                let seq = (u.seq_start, u.seq);
                self.container(u.updates, u.users, u.chats, u.date, seq, now, &mut out);
            }
        }
        Ok(out)
    }

    /// Applies the `updateShortSentMessage` that answered a message sent to `peer` with `text`,
    /// delivering it as a whole `updateNewMessage`.
    pub fn process_sent_message(
        &mut self,
        sent: types::UpdateShortSentMessage,
        peer: enums::Peer,
        text: String,
        now: Instant,
    ) -> Applied {
        let mut out = self.begin();
        self.bump_date(sent.date);
        let update = sequence::short_sent_message(sent, Some((peer, text)));
        self.apply_update(update, now, &mut out);
        out
    }

    /// A new result, starting with the updates made ready in between.
    pub(super) fn begin(&mut self) -> Applied {
        self.take_ready()
    }

    #[allow(clippy::too_many_arguments)]
    fn container(
        &mut self,
        updates: Vec<enums::Update>,
        users: Vec<enums::User>,
        chats: Vec<enums::Chat>,
        date: i32,
        (seq_start, seq): (i32, i32),
        now: Instant,
        out: &mut Applied,
    ) {
        out.users.extend(users);
        out.chats.extend(chats);
        if seq != 0 && !self.common_diff {
            if let Some(local) = self.common.map(|c| c.seq) {
                if seq_start <= local {
                    tracing::trace!(seq_start, local, "updates container already applied");
                    return;
                }
                if self
                    .seq_gap
                    .as_ref()
                    .is_some_and(|g| g.ahead.contains_key(&seq_start))
                {
                    tracing::trace!(seq_start, "updates container received twice");
                    return;
                }
                if i64::from(seq_start) == i64::from(local) + 1 {
                    self.set_seq(seq);
                } else {
                    tracing::debug!(seq_start, local, "seq gap; waiting for the missing updates");
                    self.seq_gap
                        .get_or_insert_with(|| SeqGap {
                            deadline: now + POSSIBLE_GAP_TIMEOUT,
                            ahead: Default::default(),
                        })
                        .ahead
                        .insert(seq_start, seq);
                }
            }
        }
        self.bump_date(date);
        for u in updates {
            self.apply_update(u, now, out);
        }
    }

    /// Moves the local seq to `seq`, then over every container received ahead that now
    /// follows; the seq gap closes when none is left.
    fn set_seq(&mut self, seq: i32) {
        let Some(c) = self.common.as_mut() else {
            return;
        };
        c.seq = c.seq.max(seq);
        if let Some(g) = self.seq_gap.as_mut() {
            while let Some((&start, &end)) = g.ahead.first_key_value() {
                if i64::from(start) > i64::from(c.seq) + 1 {
                    break;
                }
                g.ahead.pop_first();
                c.seq = c.seq.max(end);
            }
            if g.ahead.is_empty() {
                self.seq_gap = None;
            }
        }
    }

    pub(super) fn bump_date(&mut self, date: i32) {
        if let Some(c) = self.common.as_mut() {
            c.date = c.date.max(date);
        }
    }

    /// Routes one update: free ones are delivered, sequenced ones checked.
    pub(super) fn apply_update(&mut self, update: enums::Update, now: Instant, out: &mut Applied) {
        match sequence::position(&update) {
            Position::Free => out.updates.push(update),
            Position::ChannelTooLong { channel_id, pts } => {
                self.channel_too_long(channel_id, pts, now)
            }
            Position::In { entry, pts, count } => {
                self.apply_in(entry, Held { update, pts, count }, now, out)
            }
        }
    }

    fn apply_in(&mut self, entry: Entry, h: Held, now: Instant, out: &mut Applied) {
        if let Entry::Channel(id) = entry {
            // First update of a channel not followed yet: follow it from here.
            self.channels.entry(id).or_insert(ChannelEntry {
                pts: h.pts.saturating_sub(h.count),
                deadline: now + NO_UPDATES_TIMEOUT,
            });
        }
        let Some(local) = self.local(entry) else {
            out.updates.push(h.update);
            return;
        };
        if self.fetching(entry) {
            self.hold(entry, h, now);
            return;
        }
        match check(local, &h) {
            Check::Next => {
                self.set_local(entry, h.pts, now);
                out.updates.push(h.update);
                self.replay(entry, now, out, false);
            }
            Check::Duplicate => {
                tracing::trace!(
                    ?entry,
                    local,
                    pts = h.pts,
                    "update already applied; dropped"
                )
            }
            Check::Gap => {
                tracing::debug!(
                    ?entry,
                    local,
                    pts = h.pts,
                    count = h.count,
                    "update gap; holding"
                );
                self.hold(entry, h, now);
            }
        }
    }

    fn hold(&mut self, entry: Entry, h: Held, now: Instant) {
        self.gaps
            .entry(entry)
            .or_insert_with(|| PossibleGap {
                deadline: now + POSSIBLE_GAP_TIMEOUT,
                held: Vec::new(),
            })
            .held
            .push(h);
    }

    /// Applies the held updates of `entry` that now follow, drops those already applied, and
    /// keeps the rest behind the gap (with a new 0.5 s deadline when `after_fetch`).
    pub(super) fn replay(
        &mut self,
        entry: Entry,
        now: Instant,
        out: &mut Applied,
        after_fetch: bool,
    ) {
        if self.fetching(entry) {
            return;
        }
        let Some(mut gap) = self.gaps.remove(&entry) else {
            return;
        };
        let Some(mut local) = self.local(entry) else {
            out.updates.extend(gap.held.into_iter().map(|h| h.update));
            return;
        };
        gap.held.sort_by_key(Held::start);
        loop {
            let before = gap.held.len();
            let mut rest = Vec::new();
            for h in gap.held.drain(..) {
                match check(local, &h) {
                    Check::Next => {
                        local = h.pts;
                        self.set_local(entry, h.pts, now);
                        out.updates.push(h.update);
                    }
                    Check::Duplicate => {}
                    Check::Gap => rest.push(h),
                }
            }
            gap.held = rest;
            if gap.held.is_empty() || gap.held.len() == before {
                break;
            }
        }
        if !gap.held.is_empty() {
            if after_fetch {
                gap.deadline = now + POSSIBLE_GAP_TIMEOUT;
            }
            self.gaps.insert(entry, gap);
        }
    }

    /// Delivers the held updates of a channel whose difference cannot be fetched, accepting
    /// the gap: its pts moves to the last of them.
    pub(super) fn release_channel(&mut self, channel_id: i64) {
        if let Some(mut gap) = self.gaps.remove(&Entry::Channel(channel_id)) {
            gap.held.sort_by_key(Held::start);
            let last = gap.held.iter().map(|h| h.pts).max();
            if let (Some(last), Some(c)) = (last, self.channels.get_mut(&channel_id)) {
                c.pts = c.pts.max(last);
            }
            self.ready.extend(gap.held.into_iter().map(|h| h.update));
        }
    }

    fn channel_too_long(&mut self, channel_id: i64, pts: Option<i32>, now: Instant) {
        if !self.channels.contains_key(&channel_id) {
            let Some(pts) = pts else {
                self.notes.push(Note::ChannelSkipped {
                    channel_id,
                    reason: SkipReason::NoPts,
                });
                return;
            };
            self.follow_channel(channel_id, pts, now);
        }
        self.channel_diffs.insert(channel_id);
    }

    fn local(&self, entry: Entry) -> Option<i32> {
        match entry {
            Entry::Account => self.common.map(|c| c.pts),
            Entry::Secret => self.common.map(|c| c.qts),
            Entry::Channel(id) => self.channels.get(&id).map(|c| c.pts),
        }
    }

    pub(super) fn set_local(&mut self, entry: Entry, pts: i32, now: Instant) {
        match entry {
            Entry::Account | Entry::Secret => {
                if let Some(c) = self.common.as_mut() {
                    if entry == Entry::Account {
                        c.pts = pts;
                    } else {
                        c.qts = pts;
                    }
                    self.account_deadline = Some(now + NO_UPDATES_TIMEOUT);
                }
            }
            Entry::Channel(id) => {
                if let Some(c) = self.channels.get_mut(&id) {
                    c.pts = pts;
                    c.deadline = now + NO_UPDATES_TIMEOUT;
                }
            }
        }
    }

    /// A difference covering `entry` is needed or in flight.
    pub(super) fn fetching(&self, entry: Entry) -> bool {
        match entry {
            Entry::Account | Entry::Secret => self.common_diff,
            Entry::Channel(id) => self.channel_diffs.contains(&id),
        }
    }
}
