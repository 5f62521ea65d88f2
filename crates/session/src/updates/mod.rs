//! The update-gap engine ("message box"): orders pushed updates, detects gaps in the `pts`,
//! `qts` and `seq` sequences and says when to fetch a difference
//! (core.telegram.org/api/updates).

mod state;

pub use state::UpdateState;
