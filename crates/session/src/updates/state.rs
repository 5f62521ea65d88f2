//! The persistent part of the update state (core.telegram.org/api/updates).

use std::collections::BTreeMap;

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
