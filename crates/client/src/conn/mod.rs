//! The client's connections: one per (DC, [`ConnKind`]), opened lazily on
//! first use, reopened when the sender gave up, all over the client's
//! route. This is the seam where `hearth_sender::pool` plugs in once it
//! exists; the rest of the crate only calls [`Connections::get`],
//! [`Connections::forget`] and [`Connections::shutdown`].
//!
//! Invariants: at most one connection per (DC, kind) per client, and per
//! (auth key, DC, kind) per process ([`registry`]); at most one auth key is
//! created per DC (creation holds the DC's key lock); after
//! [`Connections::shutdown`] nothing new is opened.

pub(crate) mod dial;
pub mod registry;

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use hearth_sender::Sender;
use tokio::sync::Mutex as AsyncMutex;

use crate::error::ClientError;
use dial::{Conn, Dialer};
pub use registry::ConnKind;

type Slot = Arc<AsyncMutex<Option<Conn>>>;

/// Every connection of one client.
pub(crate) struct Connections {
    pub dialer: Dialer,
    slots: Mutex<HashMap<(i32, ConnKind), Slot>>,
    key_locks: Mutex<HashMap<i32, Arc<AsyncMutex<()>>>>,
    closed: AtomicBool,
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

impl Connections {
    pub fn new(dialer: Dialer) -> Self {
        Self {
            dialer,
            slots: Mutex::default(),
            key_locks: Mutex::default(),
            closed: AtomicBool::new(false),
        }
    }

    fn slot(&self, dc: i32, kind: ConnKind) -> Slot {
        lock(&self.slots).entry((dc, kind)).or_default().clone()
    }

    fn key_lock(&self, dc: i32) -> Arc<AsyncMutex<()>> {
        lock(&self.key_locks).entry(dc).or_default().clone()
    }

    /// The live connection to `dc` of `kind`, opened now if there is none.
    pub async fn get(&self, dc: i32, kind: ConnKind) -> Result<Sender, ClientError> {
        if self.closed.load(Ordering::Acquire) {
            return Err(ClientError::Shutdown);
        }
        let slot = self.slot(dc, kind);
        let mut current = slot.lock().await;
        if let Some(conn) = current.as_ref() {
            if !conn.sender.is_closed() {
                return Ok(conn.sender.clone());
            }
        }
        *current = None;
        let conn = {
            let key_lock = self.key_lock(dc);
            let _creating = key_lock.lock().await;
            // A media connection uses its DC's key; a key is created only
            // on the main endpoint.
            if kind == ConnKind::Media && self.dialer.storage.auth_key(dc)?.is_none() {
                drop(_creating);
                Box::pin(self.get(dc, ConnKind::Main)).await?;
                let _again = key_lock.lock().await;
                self.dialer.dial(dc, kind).await?
            } else {
                self.dialer.dial(dc, kind).await?
            }
        };
        if self.closed.load(Ordering::Acquire) {
            // shutdown() ran while this one was opening.
            return Err(ClientError::Shutdown);
        }
        let sender = conn.sender.clone();
        *current = Some(conn);
        Ok(sender)
    }

    /// Closes the connection to `dc` of `kind` (if any); the next
    /// [`Connections::get`] opens a new one.
    pub async fn forget(&self, dc: i32, kind: ConnKind) {
        let slot = self.slot(dc, kind);
        let conn = slot.lock().await.take();
        drop(conn);
    }

    /// Closes every connection (auth keys are about to change, e.g. after
    /// log-out). Does not block: a slot busy this instant is emptied by a
    /// spawned task once it is free.
    pub fn close_all(&self) {
        let slots: Vec<Slot> = lock(&self.slots).values().cloned().collect();
        for slot in slots {
            let taken = slot.try_lock().map(|mut guard| guard.take()).is_ok();
            // In use by get() this instant: close it once get() is done.
            if !taken {
                if let Ok(rt) = tokio::runtime::Handle::try_current() {
                    rt.spawn(async move { drop(slot.lock().await.take()) });
                }
            }
        }
    }

    /// Stops for good: closes every connection and refuses new ones. Never
    /// blocks.
    pub fn shutdown(&self) {
        self.closed.store(true, Ordering::Release);
        self.close_all();
    }

    /// Waits until every connection's task has ended (and its registry
    /// slot is free).
    pub async fn all_closed(&self) {
        let mut live = self.dialer.live.subscribe();
        let _ = live.wait_for(|n| *n == 0).await;
    }

    pub fn is_shut_down(&self) -> bool {
        self.closed.load(Ordering::Acquire)
    }

    /// Whether a connection to `dc` of `kind` is open right now.
    pub fn is_open(&self, dc: i32, kind: ConnKind) -> bool {
        let slot = lock(&self.slots).get(&(dc, kind)).cloned();
        slot.is_some_and(|s| {
            s.try_lock()
                .map(|g| g.as_ref().is_some_and(|c| !c.sender.is_closed()))
                .unwrap_or(true)
        })
    }
}
