//! The connections of one account: at most one [`Sender`] per DC and
//! [`ConnKind`] (core.telegram.org/api/datacenter; media connections as in
//! core.telegram.org/api/files use the DC's media-only address when it has
//! one).
//!
//! * Lazy: a connection is opened on the first [`Pool::get`] for its key.
//! * Deduplicated: callers asking for the same key while it is being opened
//!   wait for that one attempt and all get its sender (or its error).
//! * Idle connections close: one with no request in flight and none started
//!   or answered for [`PoolConfig::idle_timeout`] is shut down; the next
//!   `get` opens it again. Time is tokio's, so tests can pause it.
//! * A connection that died (its sender gave up reconnecting, or was shut
//!   down) is replaced on the next `get`.
//! * One route: every connection goes the account's [`Route`].
//!
//! The pool knows nothing about addresses, auth keys or storage: a
//! [`Dialer`] from the layer above opens each connection.
//!
//! Invariant: never two live connections for the same `(dc, kind)` in one
//! pool (two connections on one auth key and session are what the server
//! answers with `AUTH_KEY_DUPLICATED`); the `slots` module says how it holds.
//!
//! Callers should ask the pool for a sender per request rather than keep
//! one: `get` is cheap, and it is what keeps a connection from looking idle.

mod dialer;
mod slots;
mod state;

use std::sync::{Arc, Mutex, MutexGuard, Weak};
use std::time::Duration;

use tokio::sync::{watch, Notify};
use tokio::time::Instant;

pub use dialer::{DialError, DialFuture, DialTarget, Dialer};
use slots::{Key, Opened, Slot, Slots};
pub use state::ConnState;

use crate::connect::{ConnectError, Route};
use crate::Sender;

/// What a connection is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ConnKind {
    /// API requests and updates.
    Main,
    /// File uploads and downloads, kept off the main connection so large
    /// transfers do not delay other requests.
    Media,
}

impl std::fmt::Display for ConnKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            ConnKind::Main => "main",
            ConnKind::Media => "media",
        })
    }
}

/// Pool settings.
#[derive(Clone, Debug)]
pub struct PoolConfig {
    /// How every connection reaches its DC.
    pub route: Route,
    /// How long a connection may go without requests before it is closed.
    pub idle_timeout: Duration,
}

impl PoolConfig {
    /// Connections close after 5 minutes without requests.
    pub fn new(route: Route) -> Self {
        Self {
            route,
            idle_timeout: Duration::from_secs(5 * 60),
        }
    }
}

/// Why [`Pool::get`] returned no connection.
#[derive(Debug, Clone, thiserror::Error)]
pub enum PoolError {
    /// Opening the connection failed; the next `get` tries again.
    #[error("could not open the {kind} connection to DC {dc}: {error}")]
    Dial {
        dc: i32,
        kind: ConnKind,
        error: Arc<dyn std::error::Error + Send + Sync>,
    },
    /// The pool was shut down (the account is closing).
    #[error("the account's connections were shut down; reconnect the account to make requests")]
    Shutdown,
}

impl PoolError {
    /// The connect error behind a failed dial, if it was one.
    pub fn connect_error(&self) -> Option<&ConnectError> {
        match self {
            PoolError::Dial { error, .. } => error.downcast_ref::<ConnectError>(),
            PoolError::Shutdown => None,
        }
    }
}

struct Inner {
    dialer: Box<dyn Dialer>,
    config: PoolConfig,
    slots: Mutex<Slots>,
    /// Wakes the idle reaper (new connection, shutdown, pool dropped).
    wake: Arc<Notify>,
    /// Set by shutdown; callers waiting for a dial stop waiting.
    closed: watch::Sender<bool>,
}

impl Inner {
    fn lock(&self) -> MutexGuard<'_, Slots> {
        // The table stays consistent across a panic elsewhere (every change
        // is one map operation), so a poisoned lock is still usable.
        self.slots.lock().unwrap_or_else(|p| p.into_inner())
    }
}

impl Drop for Inner {
    fn drop(&mut self) {
        self.wake.notify_one();
    }
}

/// One account's connections. Cheap to clone; clones share the
/// connections.
#[derive(Clone)]
pub struct Pool {
    inner: Arc<Inner>,
}

impl std::fmt::Debug for Pool {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Pool")
            .field("live", &self.live())
            .field("shut_down", &self.is_shut_down())
            .finish()
    }
}

impl Pool {
    /// A pool opening connections with `dialer`. Opens nothing yet.
    pub fn new(dialer: impl Dialer, config: PoolConfig) -> Self {
        Self {
            inner: Arc::new(Inner {
                dialer: Box::new(dialer),
                config,
                slots: Mutex::new(Slots::default()),
                wake: Arc::new(Notify::new()),
                closed: watch::Sender::new(false),
            }),
        }
    }

    /// The route every connection of this pool takes.
    pub fn route(&self) -> &Route {
        &self.inner.config.route
    }

    /// The connection to `dc` of `kind`, opening it if there is none (or
    /// only a dead one). Concurrent calls for one key share one attempt.
    /// Cancel-safe: the attempt goes on for the other callers and for the
    /// next `get`.
    pub async fn get(&self, dc: i32, kind: ConnKind) -> Result<Sender, PoolError> {
        let key = (dc, kind);
        loop {
            let (id, mut done) = {
                let mut slots = self.inner.lock();
                if slots.shut_down {
                    return Err(PoolError::Shutdown);
                }
                match slots.map.get_mut(&key) {
                    Some(Slot::Live {
                        sender, last_get, ..
                    }) if !sender.is_closed() => {
                        *last_get = Instant::now();
                        return Ok(sender.clone());
                    }
                    Some(Slot::Opening { id, done, .. }) => (*id, done.clone()),
                    _ => self.start_dial(&mut slots, key),
                }
            };
            let mut closed = self.inner.closed.subscribe();
            let opened = tokio::select! {
                o = done.wait_for(Option::is_some) => match o {
                    Ok(o) => o.clone(),
                    // The dial task ended without a word: the dialer
                    // panicked (or the runtime is shutting down).
                    Err(_) => None,
                },
                // The dial goes on and is shut down when it is up.
                _ = closed.wait_for(|c| *c) => return Err(PoolError::Shutdown),
            };
            match opened {
                Some(Opened::Ready(sender)) => return Ok(sender),
                Some(Opened::Failed(e)) => return Err(e),
                Some(Opened::Superseded) => continue,
                None => {
                    let mut slots = self.inner.lock();
                    if slots.shut_down {
                        return Err(PoolError::Shutdown);
                    }
                    if slots.is_opening(key, id) {
                        slots.map.remove(&key);
                        return Err(PoolError::Dial {
                            dc,
                            kind,
                            error: Arc::from(DialError::from(
                                "the connection attempt ended abnormally (the dialer panicked)",
                            )),
                        });
                    }
                }
            }
        }
    }

    /// Puts a dial for `key` in its slot (replacing a dead connection) and
    /// runs it on a task of its own.
    fn start_dial(&self, slots: &mut Slots, key: Key) -> (u64, watch::Receiver<Option<Opened>>) {
        if let Some(old) = slots.map.remove(&key) {
            tracing::debug!(dc = key.0, kind = %key.1, "replacing a closed connection");
            Slots::close(old);
        }
        slots.next_id += 1;
        let id = slots.next_id;
        let (tx, rx) = watch::channel(None);
        let target = DialTarget {
            dc: key.0,
            kind: key.1,
            route: self.inner.config.route.clone(),
        };
        let inner = self.inner.clone();
        tokio::spawn(async move {
            tracing::debug!(dc = key.0, kind = %key.1, "opening a connection");
            let result = inner
                .dialer
                .dial(target)
                .await
                .map_err(|e| PoolError::Dial {
                    dc: key.0,
                    kind: key.1,
                    error: Arc::from(e),
                });
            let opened = inner.lock().finish_dial(key, id, result, Instant::now());
            if let Opened::Ready(sender) = &opened {
                state::follow(Arc::downgrade(&inner), key, id, sender);
            }
            inner.wake.notify_one();
            let _ = tx.send(Some(opened));
        });
        slots.states.set(key, ConnState::Opening);
        slots.map.insert(
            key,
            Slot::Opening {
                id,
                done: rx.clone(),
            },
        );
        if !slots.reaper_started {
            slots.reaper_started = true;
            tokio::spawn(reaper(Arc::downgrade(&self.inner), self.inner.wake.clone()));
        }
        (id, rx)
    }

    /// Closes every connection to `dc` (both kinds); one still being opened
    /// is closed as soon as it is up, and its waiters get the replacement.
    /// The next `get` opens fresh ones. For a DC whose auth key was dropped
    /// or replaced.
    pub fn drop_dc(&self, dc: i32) {
        let mut slots = self.inner.lock();
        let keys: Vec<Key> = slots.map.keys().filter(|k| k.0 == dc).copied().collect();
        for key in keys {
            if let Some(slot) = slots.map.remove(&key) {
                Slots::close(slot);
                slots.states.set(key, ConnState::Idle);
            }
        }
    }

    /// Shuts every connection down and refuses further `get`s. Never
    /// blocks and never waits for a connection task, so it is safe from
    /// anywhere, including an update callback running on one of the pool's
    /// own connections. Idempotent.
    pub fn shutdown(&self) {
        let closing = {
            let mut slots = self.inner.lock();
            slots.shut_down = true;
            slots.states.set_all(ConnState::ShutDown);
            std::mem::take(&mut slots.map)
        };
        for slot in closing.into_values() {
            Slots::close(slot);
        }
        self.inner.closed.send_replace(true);
        self.inner.wake.notify_one();
    }

    /// The state of the connection to `dc` of `kind`, pushed as it changes
    /// (a dial starts or ends, the link drops or returns, the connection
    /// closes). Watching opens nothing.
    pub fn state(&self, dc: i32, kind: ConnKind) -> watch::Receiver<ConnState> {
        let mut slots = self.inner.lock();
        let rx = slots.states.subscribe((dc, kind));
        if slots.shut_down {
            slots.states.set((dc, kind), ConnState::ShutDown);
        }
        rx
    }

    /// Whether [`Pool::shutdown`] was called.
    pub fn is_shut_down(&self) -> bool {
        self.inner.lock().shut_down
    }

    /// The `(dc, kind)` of every live connection, in order.
    pub fn live(&self) -> Vec<(i32, ConnKind)> {
        self.inner.lock().live()
    }
}

/// Closes idle connections until the pool is shut down or dropped.
async fn reaper(pool: Weak<Inner>, wake: Arc<Notify>) {
    loop {
        let next = {
            let Some(inner) = pool.upgrade() else { return };
            let mut slots = inner.lock();
            if slots.shut_down {
                return;
            }
            slots.reap(Instant::now(), inner.config.idle_timeout)
        };
        match next {
            Some(at) => {
                tokio::select! {
                    _ = tokio::time::sleep_until(at) => {}
                    _ = wake.notified() => {}
                }
            }
            None => wake.notified().await,
        }
    }
}
