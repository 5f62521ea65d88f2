//! One tokio task per connection, and the cloneable [`Sender`] handle that
//! talks to it.
//!
//! * Many requests may be in flight; each [`Sender::invoke`] future waits for
//!   its own answer. Dropping the future (or its timeout expiring) forgets
//!   the request: it is never re-sent and a late answer is discarded.
//! * When the connection drops, the task reconnects with exponential backoff
//!   and jitter and re-sends every request not yet answered under new
//!   msg_ids; an answered request is never sent again.
//! * Keepalive: `ping_delay_disconnect` every [`Config::ping_interval`]; a
//!   connection silent for longer than interval + [`Config::ping_timeout`] is
//!   treated as dead.
//! * [`Sender::shutdown`] never blocks, so it is safe anywhere, including
//!   inside the update callback which runs on the sender's own task; pending
//!   requests then fail with [`InvocationError::Shutdown`].

mod backoff;
mod codec;
mod conn;
mod error;
mod mtproto;
mod pending;
pub mod protocol;
mod task;

use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::{mpsc, oneshot, watch};

use crate::connect::{ConnectError, Peer, Route};
pub use backoff::Backoff;
pub use codec::TransportCodec;
pub use error::InvocationError;
pub use mtproto::{AuthKeyExchange, Mtproto, MtprotoSession, SessionKey};
pub use protocol::{
    Event, ExchangeStep, Framing, FramingError, KeyExchange, Protocol, ProtocolError, RequestId,
    Session,
};

/// A TL function: how to serialize the request and read its answer.
pub trait RemoteCall {
    type Return;
    /// The serialized request (boxed TL, constructor id first).
    fn to_bytes(&self) -> Vec<u8>;
    /// Reads the serialized answer.
    fn read_return(bytes: &[u8]) -> Result<Self::Return, String>;
}

/// What the server pushed outside of any request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UpdateEvent {
    /// A serialized `Updates` object.
    Update(Vec<u8>),
    /// The server created a new session; updates may have been missed and
    /// should be fetched with `updates.getDifference`.
    NewSession,
}

/// Where server pushes go.
pub enum UpdateSink {
    /// Into a bounded channel. When the receiver falls behind, pushes are
    /// dropped with a warning rather than stalling the connection (gaps are
    /// recovered through `updates.getDifference`).
    Channel(mpsc::Sender<UpdateEvent>),
    /// Into a callback run on the sender's task. It must not block; it gets
    /// a [`Sender`] so it can issue requests (by spawning) or shut down.
    Callback(Box<dyn FnMut(UpdateEvent, &Sender) + Send>),
    /// Discarded.
    None,
}

/// Connection settings.
pub struct Config {
    /// The DC this connection serves (named in every error).
    pub dc: Peer,
    /// How to reach it.
    pub route: Route,
    /// Bound of every connect stage (TCP, proxy handshake) and of auth key
    /// creation.
    pub connect_timeout: Duration,
    /// Default per-request timeout (`None`: wait until answered or cancelled).
    pub request_timeout: Option<Duration>,
    /// Keepalive period.
    pub ping_interval: Duration,
    /// How long past a ping the connection may stay silent.
    pub ping_timeout: Duration,
    /// `disconnect_delay` sent with every ping.
    pub disconnect_delay: Duration,
    pub backoff: Backoff,
    pub updates: UpdateSink,
}

impl Config {
    /// Defaults: 10 s connect timeout, no request timeout, a ping every 60 s
    /// with a 75 s server-side disconnect delay (as official clients do).
    pub fn new(dc: Peer, route: Route) -> Self {
        Self {
            dc,
            route,
            connect_timeout: Duration::from_secs(10),
            request_timeout: None,
            ping_interval: Duration::from_secs(60),
            ping_timeout: Duration::from_secs(15),
            disconnect_delay: Duration::from_secs(75),
            backoff: Backoff::default(),
            updates: UpdateSink::None,
        }
    }
}

pub(crate) enum Command {
    Invoke {
        id: u64,
        body: Vec<u8>,
        reply: pending::Reply,
    },
    Cancel {
        id: u64,
    },
    Shutdown,
}

pub(crate) struct Shared {
    next_id: AtomicU64,
    /// Requests some caller still waits for (updated by the task).
    waiting: AtomicUsize,
    request_timeout: Option<Duration>,
    closed: watch::Receiver<bool>,
}

/// Handle to a connection task. Cheap to clone; the task ends when
/// [`Sender::shutdown`] is called or every handle is dropped.
#[derive(Clone)]
pub struct Sender {
    tx: mpsc::UnboundedSender<Command>,
    shared: Arc<Shared>,
}

impl std::fmt::Debug for Sender {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Sender")
            .field("closed", &*self.shared.closed.borrow())
            .finish()
    }
}

/// Forgets the request when its future is dropped before the answer.
struct CancelOnDrop<'a> {
    sender: &'a Sender,
    id: u64,
    armed: bool,
}

impl Drop for CancelOnDrop<'_> {
    fn drop(&mut self) {
        if self.armed {
            let _ = self.sender.tx.send(Command::Cancel { id: self.id });
        }
    }
}

impl Sender {
    /// Connects with an existing auth key and starts the connection task.
    /// Errors of this first connection come back here; later connection
    /// losses are retried per [`Config::backoff`].
    pub async fn connect<P: Protocol>(
        config: Config,
        mut protocol: P,
        key: &P::Key,
    ) -> Result<Sender, ConnectError> {
        let conn = task::open_first(&config, &mut protocol).await?;
        Ok(task::launch(config, protocol, conn, key))
    }

    /// Connects, creates a new auth key on that connection with `exchange`
    /// (bounded by [`Config::connect_timeout`]) and starts the task. Returns
    /// the key for the caller to store (in the OS keyring).
    pub async fn connect_creating_key<P, X>(
        config: Config,
        mut protocol: P,
        exchange: X,
    ) -> Result<(Sender, P::Key), ConnectError>
    where
        P: Protocol,
        X: KeyExchange<Key = P::Key>,
    {
        let mut conn = task::open_first(&config, &mut protocol).await?;
        tracing::info!(dc = %config.dc, "creating auth key");
        let key = conn
            .create_key(&config.route, exchange, config.connect_timeout)
            .await?;
        let sender = task::launch(config, protocol, conn, &key);
        Ok((sender, key))
    }

    /// Sends `req` and waits for its answer (under the default timeout).
    pub async fn invoke<R: RemoteCall>(&self, req: &R) -> Result<R::Return, InvocationError> {
        let bytes = self.invoke_raw(req.to_bytes()).await?;
        R::read_return(&bytes).map_err(InvocationError::Decode)
    }

    /// Sends serialized request bytes and returns the serialized answer.
    pub async fn invoke_raw(&self, body: Vec<u8>) -> Result<Vec<u8>, InvocationError> {
        self.invoke_raw_with_timeout(body, self.shared.request_timeout)
            .await
    }

    /// Like [`Sender::invoke_raw`] with an explicit timeout.
    pub async fn invoke_raw_with_timeout(
        &self,
        body: Vec<u8>,
        timeout: Option<Duration>,
    ) -> Result<Vec<u8>, InvocationError> {
        let id = self.shared.next_id.fetch_add(1, Ordering::Relaxed);
        let (reply, rx) = oneshot::channel();
        if self.tx.send(Command::Invoke { id, body, reply }).is_err() {
            return Err(InvocationError::Shutdown);
        }
        let mut guard = CancelOnDrop {
            sender: self,
            id,
            armed: true,
        };
        let answer = async {
            match rx.await {
                Ok(r) => r,
                // The task ended without answering.
                Err(_) => Err(InvocationError::Shutdown),
            }
        };
        let result = match timeout {
            Some(t) => match tokio::time::timeout(t, answer).await {
                Ok(r) => r,
                Err(_) => Err(InvocationError::Timeout(t)),
            },
            None => answer.await,
        };
        // Answered (or the task is gone): nothing to cancel. On timeout the
        // guard stays armed and forgets the request.
        guard.armed = matches!(result, Err(InvocationError::Timeout(_)));
        result
    }

    /// Asks the task to stop. Never blocks and is idempotent; safe from any
    /// context, including the update callback. Pending and later requests
    /// fail with [`InvocationError::Shutdown`].
    pub fn shutdown(&self) {
        let _ = self.tx.send(Command::Shutdown);
    }

    /// Waits until the task has stopped. Do not await this from the update
    /// callback (it runs on the task being waited for); call
    /// [`Sender::shutdown`] there.
    pub async fn closed(&self) {
        let mut rx = self.shared.closed.clone();
        let _ = rx.wait_for(|c| *c).await;
    }

    /// How many requests callers are still waiting for, as last seen by the
    /// task (a cancelled or timed-out request no longer counts).
    pub fn waiting_requests(&self) -> usize {
        self.shared.waiting.load(Ordering::Relaxed)
    }

    /// Whether the task has stopped.
    pub fn is_closed(&self) -> bool {
        *self.shared.closed.borrow()
    }
}
