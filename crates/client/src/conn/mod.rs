//! The client's connections: a `hearth_sender::pool::Pool` (one connection
//! per (DC, [`ConnKind`]), opened lazily, deduplicated, closed when idle,
//! all over the account's route) with this crate's [`dial::Dialer`], which
//! knows the addresses and the auth keys.
//!
//! Invariants: at most one connection per (DC, kind) per client (the pool),
//! and per (auth key, DC, kind) per process ([`registry`]); at most one auth
//! key is created per DC (the dialer's key lock, and a media connection
//! waits for its DC's main one to make the key); after
//! [`Connections::shutdown`] nothing new is opened.

pub(crate) mod dial;
pub mod registry;

use std::sync::Arc;

use hearth_sender::pool::{
    ConnState, DialError, DialFuture, DialTarget, Pool, PoolConfig, PoolError,
};
use hearth_sender::Sender;

use crate::error::ClientError;
use dial::Dialer;
pub use hearth_sender::pool::ConnKind;

/// The pool's view of [`Dialer`].
struct PoolDialer(Arc<Dialer>);

impl hearth_sender::pool::Dialer for PoolDialer {
    fn dial(&self, target: DialTarget) -> DialFuture {
        let dialer = self.0.clone();
        Box::pin(async move {
            dialer
                .dial(target.dc, target.kind, target.route)
                .await
                .map_err(|e| Box::new(e) as DialError)
        })
    }
}

/// Every connection of one client.
pub(crate) struct Connections {
    pub dialer: Arc<Dialer>,
    pool: Pool,
}

impl Connections {
    pub fn new(dialer: Dialer, idle_timeout: std::time::Duration) -> Self {
        let dialer = Arc::new(dialer);
        let mut config = PoolConfig::new(dialer.route.clone());
        config.idle_timeout = idle_timeout;
        let pool = Pool::new(PoolDialer(dialer.clone()), config);
        Self { dialer, pool }
    }

    /// The live connection to `dc` of `kind`, opened now if there is none.
    pub async fn get(&self, dc: i32, kind: ConnKind) -> Result<Sender, ClientError> {
        if kind == ConnKind::Media && self.dialer.storage.auth_key(dc)?.is_none() {
            // A key is created only on the main endpoint.
            Box::pin(self.get(dc, ConnKind::Main)).await?;
        }
        self.pool.get(dc, kind).await.map_err(|e| match e {
            PoolError::Shutdown => ClientError::Shutdown,
            PoolError::Dial { dc, error, .. } => match error.downcast_ref::<ClientError>() {
                Some(e) => e.clone(),
                None => ClientError::Connect {
                    dc,
                    detail: error.to_string(),
                },
            },
        })
    }

    /// Closes the connections to `dc` (its auth key changed); the next
    /// [`Connections::get`] opens new ones.
    pub fn forget(&self, dc: i32) {
        self.pool.drop_dc(dc);
    }

    /// Waits until every connection's task has ended (and its registry
    /// slot is free).
    pub async fn all_closed(&self) {
        let mut live = self.dialer.live.subscribe();
        let _ = live.wait_for(|n| *n == 0).await;
    }

    /// Stops for good: closes every connection and refuses new ones. Never
    /// blocks.
    pub fn shutdown(&self) {
        self.pool.shutdown();
    }

    pub fn is_shut_down(&self) -> bool {
        self.pool.is_shut_down()
    }

    /// The pushed state of the connection to `dc` of `kind`.
    pub fn state(&self, dc: i32, kind: ConnKind) -> tokio::sync::watch::Receiver<ConnState> {
        self.pool.state(dc, kind)
    }

    /// Whether a connection to `dc` of `kind` is open right now.
    pub fn is_open(&self, dc: i32, kind: ConnKind) -> bool {
        self.pool.live().contains(&(dc, kind))
    }
}
