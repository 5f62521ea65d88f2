//! A connection's link state, pushed by its task the moment it changes: the
//! transport came up, the connection dropped (read EOF, I/O error, silent
//! past the keepalive), a reconnect was scheduled or started, or the task
//! stopped for good.
//!
//! Invariant: the state is written only by the connection task, so every
//! change a watcher sees happened in that order on the wire.

use std::sync::Arc;
use std::time::SystemTime;

use crate::connect::ConnectError;

use super::InvocationError;

/// Where one connection stands ([`super::Sender::link_state`]).
#[derive(Clone, Debug)]
pub enum LinkState {
    /// The transport is up and the session runs over it.
    Connected,
    /// The connection was lost at `since` and the task is reconnecting.
    Reconnecting {
        /// Which reconnect attempt is next or under way (1 for the first).
        attempt: u32,
        /// When the last good connection was lost.
        since: SystemTime,
        /// Why the connection (or the last attempt) failed.
        last_error: Arc<ConnectError>,
        /// When the next attempt starts; `None` while it is under way.
        next_retry: Option<SystemTime>,
    },
    /// The task stopped: [`InvocationError::Shutdown`] when asked to, else
    /// why it gave up.
    Closed(InvocationError),
}

impl LinkState {
    /// Whether the transport is up right now.
    pub fn is_connected(&self) -> bool {
        matches!(self, LinkState::Connected)
    }
}
