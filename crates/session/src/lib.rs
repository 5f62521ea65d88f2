//! Hearth's session state, without I/O: what a Telegram client must remember about one account
//! between requests and between runs.
//!
//! * [`dc_options`] — the DC address book from `help.getConfig` and address selection
//!   (core.telegram.org/api/datacenter).
//! * [`peers`] — the peer cache: ids, access hashes, `min` flags, usernames and phones of every
//!   user, group and channel met (core.telegram.org/api/peers, core.telegram.org/api/min).
//! * [`updates`] — the update-gap engine (core.telegram.org/api/updates).
//! * [`storage`] — the [`SessionStorage`] trait the state is saved through, and
//!   [`MemoryStorage`] for tests. The real storage is `hearth_store::session`.
//!
//! Nothing here opens sockets, reads clocks or files: time is passed in as `Instant`s, so every
//! case is a deterministic unit test. `hearth-client` drives it.

pub mod dc_options;
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
