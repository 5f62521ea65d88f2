//! The update-gap engine ("message box"): puts pushed updates in order, detects gaps in the
//! `pts`, `qts` and `seq` sequences and says when to fetch a difference
//! (core.telegram.org/api/updates).
//!
//! # Rules (from the spec)
//! * An update in a sequence moves it from `pts - pts_count` to `pts`; it is applied when
//!   `local_pts + pts_count == pts`, dropped as already applied when
//!   `local_pts + pts_count > pts`, and otherwise reveals a gap. `qts` works the same with a
//!   count of 1; each channel has its own `pts` ([`Entry`]).
//! * A gap may be a reordering: the updates after it are held for
//!   [`POSSIBLE_GAP_TIMEOUT`] (0.5 s) and applied as soon as the missing ones arrive. If the
//!   gap is still open at the deadline, a difference is needed (`updates.getDifference` for
//!   the account and `qts`, `updates.getChannelDifference` for a channel).
//! * `updates`/`updatesCombined` carry `seq`: `seq_start == local_seq + 1` is next,
//!   `seq_start <= local_seq` was already applied (the container is ignored), a larger one is
//!   a gap (its updates are still checked one by one by their own `pts`/`qts`, and the seq gap
//!   itself gets the same 0.5 s before a difference is needed).
//! * `updatesTooLong` needs a difference at once; so does silence: after
//!   [`NO_UPDATES_TIMEOUT`] (15 min) without updates the account fetches its difference, and a
//!   followed channel its channel difference.
//! * While a difference is being fetched, the updates of its sequence are held and, after it,
//!   replayed: those it already contained are dropped by the pts rule, the rest applied.
//!   Nothing is delivered twice; nothing received is dropped except duplicates.
//!
//! # Driving it
//! Time is passed in; nothing here sleeps. A client loop:
//! 1. after `updates.getState` call [`MessageBox::set_state`] (or [`MessageBox::load`] a saved
//!    state, which asks for a difference to catch up on what happened while offline);
//! 2. feed every pushed or returned `Updates` to [`MessageBox::process_updates`];
//! 3. sleep until [`MessageBox::next_deadline`], then [`MessageBox::check_deadlines`];
//! 4. while [`MessageBox::get_difference`] returns a request, send it and feed the answer to
//!    [`MessageBox::apply_difference`]; likewise [`MessageBox::get_channel_difference`] /
//!    [`MessageBox::apply_channel_difference`] (or [`MessageBox::end_channel_difference`]
//!    when the server refuses it);
//! 5. read [`MessageBox::take_notes`] for what the caller must act on (too-long differences,
//!    channels that could not be fetched) and persist [`MessageBox::state`].

mod channel;
mod deadlines;
mod difference;
mod push;
mod sequence;
mod state;

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::time::{Duration, Instant};

use hearth_tl::enums;

pub use sequence::Entry;
pub use state::UpdateState;

use crate::peers::PeerNotMet;

/// How long updates after a gap wait for the missing ones before a difference is fetched.
pub const POSSIBLE_GAP_TIMEOUT: Duration = Duration::from_millis(500);
/// Silence after which the account (or a channel) fetches its difference anyway.
pub const NO_UPDATES_TIMEOUT: Duration = Duration::from_secs(15 * 60);
/// `limit` of `updates.getChannelDifference` for user accounts.
pub const USER_CHANNEL_DIFF_LIMIT: i32 = 100;
/// `limit` of `updates.getChannelDifference` for bots.
pub const BOT_CHANNEL_DIFF_LIMIT: i32 = 100_000;
/// Wait before fetching a channel difference again after the server said to retry later.
pub const CHANNEL_RETRY_DELAY: Duration = Duration::from_secs(60);

/// Updates ready for the application, in order, with the users and chats that came with them
/// (feed those to the peer cache).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Applied {
    pub updates: Vec<enums::Update>,
    pub users: Vec<enums::User>,
    pub chats: Vec<enums::Chat>,
}

impl Applied {
    pub fn is_empty(&self) -> bool {
        self.updates.is_empty() && self.users.is_empty() && self.chats.is_empty()
    }
}

/// A difference must be fetched before more updates of the account's sequence can be applied.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum Gap {
    #[error("the account's update sequence has a gap (updatesTooLong): fetch updates.getDifference (MessageBox::get_difference) and apply it")]
    Detected,
}

/// Why a channel difference stopped for good or for now
/// ([`MessageBox::end_channel_difference`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ChannelDiffEnd {
    /// `CHANNEL_PRIVATE`, `CHANNEL_PUBLIC_GROUP_NA`, `USER_BANNED_IN_CHANNEL`: the account can
    /// no longer read it. The channel is no longer followed.
    Forbidden,
    /// `CHANNEL_INVALID`: the id or access hash is wrong. The channel is no longer followed.
    Invalid,
    /// `PERSISTENT_TIMESTAMP_OUTDATED` / `PERSISTENT_TIMESTAMP_INVALID` or another temporary
    /// failure: fetched again after [`CHANNEL_RETRY_DELAY`].
    RetryLater(String),
}

impl ChannelDiffEnd {
    /// The end an RPC error name means (`None` for errors that are not about the channel).
    pub fn from_rpc_error(name: &str) -> Option<Self> {
        Some(match name {
            "CHANNEL_PRIVATE" | "CHANNEL_PUBLIC_GROUP_NA" | "USER_BANNED_IN_CHANNEL" => {
                ChannelDiffEnd::Forbidden
            }
            "CHANNEL_INVALID" | "CHANNEL_ID_INVALID" | "MSG_ID_INVALID" => ChannelDiffEnd::Invalid,
            n if n.starts_with("PERSISTENT_TIMESTAMP") => ChannelDiffEnd::RetryLater(n.to_owned()),
            _ => return None,
        })
    }
}

/// Something the caller must know or act on.
#[derive(Clone, Debug, PartialEq)]
pub enum Note {
    /// `updates.differenceTooLong`: the account missed too much; its pts jumped to `pts`.
    /// Refetch the dialogs (and open chats' history); fetching continues from there.
    DifferenceTooLong { pts: i32 },
    /// `updates.channelDifferenceTooLong`: the channel's local history is stale; `messages`
    /// are its latest messages (not delivered as updates). Refetch its history.
    ChannelDifferenceTooLong {
        channel_id: i64,
        messages: Vec<enums::Message>,
    },
    /// A channel's difference was needed but could not be asked for; its held updates were
    /// delivered and the gap accepted.
    ChannelSkipped { channel_id: i64, reason: SkipReason },
    /// The channel's difference ended ([`MessageBox::end_channel_difference`]).
    ChannelEnded {
        channel_id: i64,
        reason: ChannelDiffEnd,
    },
}

/// Why a channel difference could not be asked for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SkipReason {
    /// The channel's access hash is not known (or only a `min` one).
    NotMet(PeerNotMet),
    /// `updateChannelTooLong` for a channel not followed, without a pts to start from.
    NoPts,
}

impl fmt::Display for Note {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Note::DifferenceTooLong { pts } => write!(f, "the account missed too many updates (updates.differenceTooLong, pts now {pts}): reload the dialogs and open chats"),
            Note::ChannelDifferenceTooLong { channel_id, messages } => write!(f, "channel {channel_id} missed too many updates (updates.channelDifferenceTooLong, {} latest messages received): reload its history", messages.len()),
            Note::ChannelSkipped { channel_id, reason: SkipReason::NotMet(e) } => write!(f, "the updates of channel {channel_id} could not be recovered: {e}"),
            Note::ChannelSkipped { channel_id, reason: SkipReason::NoPts } => write!(f, "channel {channel_id} has new updates but is not followed and no pts was given: load it (messages.getDialogs or channels.getFullChannel) to follow it"),
            Note::ChannelEnded { channel_id, reason: ChannelDiffEnd::Forbidden } => write!(f, "channel {channel_id} can no longer be read by this account (banned or private): its updates are no longer followed"),
            Note::ChannelEnded { channel_id, reason: ChannelDiffEnd::Invalid } => write!(f, "channel {channel_id} is invalid for this account (CHANNEL_INVALID): its updates are no longer followed"),
            Note::ChannelEnded { channel_id, reason: ChannelDiffEnd::RetryLater(why) } => write!(f, "the difference of channel {channel_id} failed ({why}): retrying in {} s", CHANNEL_RETRY_DELAY.as_secs()),
        }
    }
}

/// The account-wide part of the state.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Common {
    pts: i32,
    qts: i32,
    date: i32,
    seq: i32,
}

#[derive(Clone, Copy, Debug)]
struct ChannelEntry {
    pts: i32,
    /// When its channel difference is fetched if nothing arrives before.
    deadline: Instant,
}

/// An update waiting for the ones before it.
#[derive(Clone, Debug)]
struct Held {
    update: enums::Update,
    pts: i32,
    count: i32,
}

impl Held {
    fn start(&self) -> i64 {
        i64::from(self.pts) - i64::from(self.count)
    }
}

/// Updates of one entry held behind a gap.
#[derive(Clone, Debug)]
struct PossibleGap {
    deadline: Instant,
    held: Vec<Held>,
}

/// `updates`/`updatesCombined` received ahead of the local seq.
#[derive(Clone, Debug)]
struct SeqGap {
    deadline: Instant,
    /// seq_start → seq of each container received ahead.
    ahead: BTreeMap<i32, i32>,
}

/// The update-gap engine. See the module documentation.
#[derive(Clone, Debug, Default)]
pub struct MessageBox {
    common: Option<Common>,
    /// No-updates deadline of the account (set once a state is known).
    account_deadline: Option<Instant>,
    channels: BTreeMap<i64, ChannelEntry>,
    gaps: BTreeMap<Entry, PossibleGap>,
    seq_gap: Option<SeqGap>,
    /// A `getDifference` is needed or in flight.
    common_diff: bool,
    /// Channels whose difference is needed or in flight.
    channel_diffs: BTreeSet<i64>,
    /// Channels the caller is showing: refetched after the server's `timeout`.
    viewing: BTreeSet<i64>,
    /// Updates made ready outside an `Applied`-returning call, delivered with the next one.
    ready: Vec<enums::Update>,
    notes: Vec<Note>,
    bot: bool,
}

#[cfg(test)]
mod tests;
