//! The pool's table of connections, one slot per `(dc, kind)`.
//!
//! Invariant: a key has at most one slot, and a slot is either one dial in
//! progress or one live [`Sender`]. A dial whose slot was removed meanwhile
//! (by `drop_dc` or `shutdown`) never becomes live: its sender is shut down
//! as soon as it arrives. So a pool never holds two live connections for one
//! key, which is how Hearth avoids `AUTH_KEY_DUPLICATED`.
//!
//! Dials are never aborted: a dialer may be between creating an auth key
//! and storing it, and cutting it there would waste the key.

use std::collections::BTreeMap;
use std::time::Duration;

use tokio::sync::watch;
use tokio::time::Instant;

use super::state::{ConnState, States};
use super::{ConnKind, PoolError};
use crate::Sender;

pub(super) type Key = (i32, ConnKind);

/// How a dial ended, as its waiters see it.
#[derive(Clone, Debug)]
pub(super) enum Opened {
    Ready(Sender),
    Failed(PoolError),
    /// The slot was dropped while dialing: ask again.
    Superseded,
}

pub(super) enum Slot {
    Opening {
        id: u64,
        done: watch::Receiver<Option<Opened>>,
    },
    Live {
        /// The dial that opened it.
        id: u64,
        sender: Sender,
        /// The last `get` that handed it out.
        last_get: Instant,
    },
}

#[derive(Default)]
pub(super) struct Slots {
    pub map: BTreeMap<Key, Slot>,
    pub states: States,
    pub next_id: u64,
    pub shut_down: bool,
    pub reaper_started: bool,
}

impl Slots {
    /// Ends a slot: shuts its sender down. A dial goes on, and its sender
    /// is shut down when it arrives (see [`Slots::finish_dial`]).
    pub fn close(slot: Slot) {
        match slot {
            Slot::Live { sender, .. } => sender.shutdown(),
            Slot::Opening { .. } => {}
        }
    }

    /// Whether the dial `id` still owns `key`'s slot.
    pub fn is_opening(&self, key: Key, id: u64) -> bool {
        matches!(self.map.get(&key), Some(Slot::Opening { id: i, .. }) if *i == id)
    }

    /// Whether the connection opened by dial `id` still owns `key`'s slot.
    pub fn is_live(&self, key: Key, id: u64) -> bool {
        matches!(self.map.get(&key), Some(Slot::Live { id: i, .. }) if *i == id)
    }

    /// Records the end of dial `id` for `key` and says what its waiters get.
    pub fn finish_dial(
        &mut self,
        key: Key,
        id: u64,
        result: Result<Sender, PoolError>,
        now: Instant,
    ) -> Opened {
        let current = self.is_opening(key, id);
        match result {
            Ok(sender) if current => {
                self.states.set(key, ConnState::Connected);
                self.map.insert(
                    key,
                    Slot::Live {
                        id,
                        sender: sender.clone(),
                        last_get: now,
                    },
                );
                Opened::Ready(sender)
            }
            Ok(sender) => {
                // Dropped or shut down meanwhile: this connection must not
                // live next to its replacement.
                sender.shutdown();
                self.gone()
            }
            Err(e) if current => {
                self.map.remove(&key);
                self.states.set(
                    key,
                    ConnState::Down {
                        error: std::sync::Arc::new(e.clone()),
                        since: std::time::SystemTime::now(),
                    },
                );
                Opened::Failed(e)
            }
            Err(_) => self.gone(),
        }
    }

    fn gone(&self) -> Opened {
        if self.shut_down {
            Opened::Failed(PoolError::Shutdown)
        } else {
            Opened::Superseded
        }
    }

    /// Closes live connections idle for `idle` with no request in flight
    /// and forgets dead ones. Returns when the next one could become idle.
    pub fn reap(&mut self, now: Instant, idle: Duration) -> Option<Instant> {
        let mut next: Option<Instant> = None;
        let mut expired = Vec::new();
        let mut idle_closed = Vec::new();
        for (key, slot) in &self.map {
            let Slot::Live {
                sender, last_get, ..
            } = slot
            else {
                continue;
            };
            if sender.is_closed() {
                expired.push(*key);
                continue;
            }
            let due = (*last_get).max(sender.last_activity()) + idle;
            let due = if sender.waiting_requests() > 0 {
                // Busy: look again one idle period from now.
                now + idle
            } else if due <= now {
                tracing::debug!(dc = key.0, kind = %key.1, "closing an idle connection");
                idle_closed.push(*key);
                expired.push(*key);
                continue;
            } else {
                due
            };
            next = Some(next.map_or(due, |n| n.min(due)));
        }
        for key in expired {
            if let Some(slot) = self.map.remove(&key) {
                Self::close(slot);
            }
        }
        for key in idle_closed {
            self.states.set(key, ConnState::Idle);
        }
        next
    }

    /// The keys with a live, running connection.
    pub fn live(&self) -> Vec<Key> {
        self.map
            .iter()
            .filter(|(_, s)| matches!(s, Slot::Live { sender, .. } if !sender.is_closed()))
            .map(|(k, _)| *k)
            .collect()
    }
}
