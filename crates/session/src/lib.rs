//! Hearth's session state, without I/O: what a Telegram client must remember about one account
//! between requests and between runs. `hearth-client` drives it; nothing here opens sockets,
//! reads clocks or touches files. Time comes in as `Instant` arguments, so every case is a
//! deterministic unit test.
//!
//! # Parts
//! * [`dc_options`] — the DC address book of `help.getConfig` and the choice of an address
//!   (media or not, IPv6 or IPv4, with fallback) (core.telegram.org/api/datacenter).
//! * [`networks`] — the networks a client can talk to: Telegram's production and test
//!   bootstrap addresses and server keys, and the parsing of a localdc's start-up line.
//! * [`peers`] — the peer cache: every user, basic group and channel met, with the access hash
//!   that addresses it, `min` flags, usernames and phones (core.telegram.org/api/peers,
//!   core.telegram.org/api/min). A peer never met yields [`PeerNotMet`], whose message says
//!   how to meet it, instead of a request that would fail with `PEER_ID_INVALID`.
//! * [`updates`] — the update-gap engine [`MessageBox`]: `pts`, `qts`, `seq` and per-channel
//!   `pts`, the 0.5 s possible-gap and 15 min no-updates timeouts, `updates.getDifference` and
//!   `updates.getChannelDifference` with slices and too-long answers
//!   (core.telegram.org/api/updates).
//! * [`storage`] — the [`SessionStorage`] trait the state is saved through, and
//!   [`MemoryStorage`] for tests. The real storage is `hearth_store::session`
//!   (SQLite + the OS keyring).
//!
//! # Invariants
//! * A `min` constructor never replaces a full access hash; an `inputPeer*` is only built from
//!   a full one.
//! * No update is delivered twice: an update whose `pts` the local state already covers is
//!   dropped; updates behind a gap are held and replayed in order once it closes.
//! * Auth keys pass through [`SessionStorage`] as zeroized 256-byte arrays and are never logged
//!   or `Debug`-printed here.
//! * Bad input from the server (unknown constructors, unparsable addresses, ids out of range)
//!   is skipped or reported, never a panic.
//!
//! # A client's use
//! ```
//! use std::time::Instant;
//! use hearth_session::{MemoryStorage, MessageBox, PeerCache, SessionStorage};
//!
//! let storage = MemoryStorage::new();
//! let saved = storage.load().unwrap();
//! let mut peers = PeerCache::new();
//! peers.load(saved.peers);
//! let mut updates = match saved.update_state {
//!     Some(state) => MessageBox::load(state, Instant::now()), // asks for a difference at once
//!     None => MessageBox::new(), // call updates.getState, then set_state
//! };
//! // For every answer or update: peers.absorb(&users, &chats);
//! // storage.save_peers(&peers.take_changed()); storage.save_update_state(&updates.state());
//! assert!(updates.get_difference(Instant::now()).is_none()); // no state yet
//! ```

pub mod dc_options;
pub mod networks;
pub mod peers;
pub mod storage;
pub mod updates;

#[cfg(test)]
mod test_tl;

pub use dc_options::{DcOption, DcOptions};
pub use peers::{NotMetReason, PeerCache, PeerId, PeerInfo, PeerKind, PeerNotMet};
pub use storage::{
    MemoryStorage, SessionData, SessionStorage, StorageError, StorageErrorKind, AUTH_KEY_LEN,
};
pub use updates::{Applied, ChannelDiffEnd, Entry, Gap, MessageBox, Note, SkipReason, UpdateState};
