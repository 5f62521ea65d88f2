//! The account's connection status as the app shows it, pushed the moment it
//! changes: the home DC's main connection (from the pool's per-connection
//! watch, which the connection task writes when the transport connects,
//! drops or schedules a retry), whether the server still accepts the
//! sign-in, and whether the client runs.
//!
//! A follower task per client turns those into one [`ConnectionStatus`]
//! watch. When the main connection is down for good (its sender gave up)
//! and the client keeps connections open (`ClientConfig::catch_up`), the
//! follower dials it again after a growing pause (1 s doubling to 30 s),
//! announced as [`ConnectionStatus::Unreachable`]'s `next_retry`.
//!
//! Invariants: [`ConnectionStatus::SignedOut`] holds from the server's
//! `401` on the home DC (or a log-out) until the next sign-in, whatever the
//! link does; [`ConnectionStatus::Closed`] is final.

use std::sync::Weak;
use std::time::{Duration, SystemTime};

use hearth_sender::pool::ConnState;
use tokio::sync::watch;

use crate::client::{Client, Inner};
use crate::conn::ConnKind;

/// First pause before the follower dials a connection that went down.
const REDIAL_FIRST: Duration = Duration::from_secs(1);
/// Longest pause between the follower's dials.
const REDIAL_MAX: Duration = Duration::from_secs(30);

/// Where the account's main connection stands ([`Client::connection_status`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ConnectionStatus {
    /// Connecting (or creating an auth key, or no connection open yet).
    Connecting,
    /// The home DC's main connection is up.
    Online,
    /// The connection was lost at `since`; attempt `attempt` to reconnect
    /// starts at `next_retry` (`None`: under way).
    Reconnecting {
        attempt: u32,
        since: SystemTime,
        last_error: String,
        next_retry: Option<SystemTime>,
    },
    /// Connecting failed (or reconnecting gave up); the next try is at
    /// `next_retry`, or with the next request when `None`.
    Unreachable {
        error: String,
        next_retry: Option<SystemTime>,
    },
    /// The server no longer accepts this session's sign-in
    /// (`AUTH_KEY_UNREGISTERED`, `SESSION_REVOKED`, …) or it logged out.
    SignedOut { reason: String },
    /// The client was shut down.
    Closed,
}

impl ConnectionStatus {
    pub fn is_online(&self) -> bool {
        matches!(self, ConnectionStatus::Online)
    }

    fn of(conn: &ConnState, next_retry: Option<SystemTime>) -> ConnectionStatus {
        match conn {
            ConnState::Idle | ConnState::Opening => ConnectionStatus::Connecting,
            ConnState::Connected => ConnectionStatus::Online,
            ConnState::Reconnecting {
                attempt,
                since,
                last_error,
                next_retry,
            } => ConnectionStatus::Reconnecting {
                attempt: *attempt,
                since: *since,
                last_error: last_error.to_string(),
                next_retry: *next_retry,
            },
            ConnState::Down { error, .. } => ConnectionStatus::Unreachable {
                error: error.to_string(),
                next_retry,
            },
            ConnState::ShutDown => ConnectionStatus::Closed,
        }
    }
}

/// What the follower watches besides the connection.
pub(crate) struct Watches {
    pub status: watch::Sender<ConnectionStatus>,
    /// Why the server refused the sign-in, while it does.
    pub signed_out: watch::Sender<Option<String>>,
    /// The home DC, as it moves.
    pub home: watch::Sender<i32>,
    /// The account's own user, each time an answer or update shows it.
    pub profile: watch::Sender<Option<hearth_session::PeerInfo>>,
}

impl Watches {
    pub fn new(home: i32) -> Self {
        Self {
            status: watch::channel(ConnectionStatus::Connecting).0,
            signed_out: watch::channel(None).0,
            home: watch::channel(home).0,
            profile: watch::channel(None).0,
        }
    }
}

impl Client {
    /// The account's own user (name in `title`, `username`, `phone`) as the
    /// server last showed it: a watch notified each time an answer carries
    /// the account's user (any answer with it among its users, e.g.
    /// `users.getUsers` of `inputUserSelf`) or an `updateUserName`/
    /// `updateUserPhone` for it arrives, changed or not; `updateUser` for it
    /// makes the client ask for the user again. `None` until known.
    pub fn profile(&self) -> watch::Receiver<Option<hearth_session::PeerInfo>> {
        self.inner.watches.profile.subscribe()
    }

    /// The account's connection status, pushed as it changes (never
    /// sampled): the transport connecting or dropping, a retry scheduled,
    /// the server refusing the sign-in, the client closing.
    pub fn connection_status(&self) -> watch::Receiver<ConnectionStatus> {
        self.inner.watches.status.subscribe()
    }
}

/// Starts the follower of `client`; it ends when the client stops or is
/// dropped. `redial`: dial a main connection that went down.
pub(crate) fn start(client: &Client, redial: bool) {
    let weak = std::sync::Arc::downgrade(&client.inner);
    let mut stop = client.inner.stop.subscribe();
    let mut home = client.inner.watches.home.subscribe();
    let mut signed_out = client.inner.watches.signed_out.subscribe();
    tokio::spawn(async move {
        let mut pause = REDIAL_FIRST;
        loop {
            let dc = *home.borrow_and_update();
            let Some(mut conn) = with(&weak, |i| i.conns.state(dc, ConnKind::Main)) else {
                return;
            };
            loop {
                let stopping = *stop.borrow_and_update();
                let refused = signed_out.borrow_and_update().clone();
                let state = conn.borrow_and_update().clone();
                let down = matches!(state, ConnState::Down { .. });
                let retry_at =
                    (redial && down && refused.is_none()).then(|| SystemTime::now() + pause);
                let status = combine(stopping, refused, &state, retry_at);
                if state.is_connected() {
                    pause = REDIAL_FIRST;
                }
                let Some(published) = with(&weak, |i| publish(&i.watches.status, status)) else {
                    return;
                };
                if published == ConnectionStatus::Closed {
                    return;
                }
                let wait = retry_at.map(|_| pause);
                tokio::select! {
                    _ = stop.changed() => {}
                    _ = signed_out.changed() => {}
                    r = conn.changed() => if r.is_err() { return },
                    r = home.changed() => {
                        if r.is_err() { return }
                        break;
                    }
                    _ = sleep_opt(wait) => {
                        pause = (pause * 2).min(REDIAL_MAX);
                        redial_main(&weak, dc);
                    }
                }
            }
        }
    });
}

fn combine(
    stopping: bool,
    refused: Option<String>,
    conn: &ConnState,
    retry_at: Option<SystemTime>,
) -> ConnectionStatus {
    match (stopping, refused) {
        (true, _) => ConnectionStatus::Closed,
        (false, Some(reason)) => ConnectionStatus::SignedOut { reason },
        (false, None) => ConnectionStatus::of(conn, retry_at),
    }
}

/// Publishes the status as it stands now, without waiting for the follower
/// task (so a client just connected already reads online).
pub(crate) fn publish_current(inner: &Inner) {
    let conn = inner
        .conns
        .state(inner.home_dc(), ConnKind::Main)
        .borrow()
        .clone();
    let refused = inner.watches.signed_out.borrow().clone();
    publish(
        &inner.watches.status,
        combine(inner.is_stopping(), refused, &conn, None),
    );
}

fn with<T>(weak: &Weak<Inner>, f: impl FnOnce(&Inner) -> T) -> Option<T> {
    weak.upgrade().map(|i| f(&i))
}

fn publish(tx: &watch::Sender<ConnectionStatus>, status: ConnectionStatus) -> ConnectionStatus {
    tx.send_if_modified(|s| {
        if *s == status {
            return false;
        }
        tracing::debug!(?status, "connection status");
        *s = status.clone();
        true
    });
    status
}

async fn sleep_opt(d: Option<Duration>) {
    match d {
        Some(d) => tokio::time::sleep(d).await,
        None => std::future::pending().await,
    }
}

/// Dials the home DC's main connection again, on a task of its own (the
/// pool shares the attempt with any request that asks meanwhile).
fn redial_main(weak: &Weak<Inner>, dc: i32) {
    let Some(inner) = weak.upgrade() else { return };
    tokio::spawn(async move {
        if let Err(e) = inner.conns.get(dc, ConnKind::Main).await {
            tracing::info!(dc, "reconnecting the account failed: {e}");
        }
    });
}
