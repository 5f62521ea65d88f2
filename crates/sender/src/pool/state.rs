//! Where one `(dc, kind)` of a pool stands, pushed as it changes: a dial
//! started, the connection came up, its sender lost the link and is
//! reconnecting, the dial failed or the sender gave up, it was closed when
//! idle, the pool shut down. [`super::Pool::state`] hands out a watch of it.
//!
//! Invariant: a live connection's link changes are forwarded only while that
//! connection still owns its slot, so a replaced connection's last words
//! never overwrite its successor's state.

use std::sync::{Arc, Weak};
use std::time::SystemTime;

use tokio::sync::watch;

use super::slots::Key;
use super::Inner;
use crate::connect::ConnectError;
use crate::sender::LinkState;
use crate::{InvocationError, Sender};

/// One connection slot's state ([`super::Pool::state`]).
#[derive(Clone, Debug)]
pub enum ConnState {
    /// No connection: none opened yet, or closed when idle or dropped.
    Idle,
    /// A dial is under way (TCP, proxy, auth key, `initConnection`).
    Opening,
    /// The connection is up.
    Connected,
    /// The connection was lost at `since`; its sender is reconnecting.
    Reconnecting {
        attempt: u32,
        since: SystemTime,
        last_error: Arc<ConnectError>,
        /// When the next attempt starts; `None` while one is under way.
        next_retry: Option<SystemTime>,
    },
    /// The dial failed, or the sender gave up reconnecting; the next
    /// [`super::Pool::get`] dials again.
    Down {
        error: Arc<dyn std::error::Error + Send + Sync>,
        since: SystemTime,
    },
    /// The pool was shut down.
    ShutDown,
}

impl ConnState {
    fn from_link(link: LinkState) -> ConnState {
        match link {
            LinkState::Connected => ConnState::Connected,
            LinkState::Reconnecting {
                attempt,
                since,
                last_error,
                next_retry,
            } => ConnState::Reconnecting {
                attempt,
                since,
                last_error,
                next_retry,
            },
            // Closed by the pool (idle, dropped, shut down): whoever closed
            // it has written the slot's state already.
            LinkState::Closed(InvocationError::Shutdown) => ConnState::Idle,
            LinkState::Closed(e) => ConnState::Down {
                error: Arc::new(e),
                since: SystemTime::now(),
            },
        }
    }

    /// Whether the connection is up right now.
    pub fn is_connected(&self) -> bool {
        matches!(self, ConnState::Connected)
    }
}

/// The watches of every key a caller asked about.
#[derive(Default)]
pub(super) struct States {
    map: std::collections::BTreeMap<Key, watch::Sender<ConnState>>,
}

impl States {
    fn sender(&mut self, key: Key) -> &watch::Sender<ConnState> {
        self.map
            .entry(key)
            .or_insert_with(|| watch::channel(ConnState::Idle).0)
    }

    pub fn subscribe(&mut self, key: Key) -> watch::Receiver<ConnState> {
        self.sender(key).subscribe()
    }

    pub fn set(&mut self, key: Key, state: ConnState) {
        self.sender(key).send_replace(state);
    }

    pub fn set_all(&mut self, state: ConnState) {
        for tx in self.map.values() {
            tx.send_replace(state.clone());
        }
    }
}

/// Forwards `sender`'s link changes to `key`'s state while dial `id` owns
/// the slot.
pub(super) fn follow(pool: Weak<Inner>, key: Key, id: u64, sender: &Sender) {
    let mut link = sender.link_state();
    tokio::spawn(async move {
        loop {
            let state = link.borrow_and_update().clone();
            let closed = matches!(state, LinkState::Closed(_));
            {
                let Some(inner) = pool.upgrade() else { return };
                let mut slots = inner.lock();
                if !slots.is_live(key, id) {
                    return;
                }
                slots.states.set(key, ConnState::from_link(state));
            }
            if closed || link.changed().await.is_err() {
                return;
            }
        }
    });
}
