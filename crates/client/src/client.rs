//! [`Client`]: one account's connection to Telegram (or localdc), cheap to
//! clone, shared by every task of the app.
//!
//! Lifecycle: [`Client::connect`] loads the session, opens the home DC's
//! main connection and starts the update task; [`Client::shutdown`] stops
//! everything without blocking (safe inside an update handler);
//! [`Client::closed`] waits until the update task has ended.

use std::collections::HashSet;
use std::sync::atomic::{AtomicI32, Ordering};
use std::sync::{Arc, Mutex};

use hearth_session::{DcOptions, PeerCache, SessionStorage};
use tokio::sync::{watch, Mutex as AsyncMutex};

use crate::config::{ClientConfig, InitParams};
use crate::conn::dial::Dialer;
use crate::conn::{ConnKind, Connections};
use crate::error::ClientError;
use crate::invoke::policy::Limits;
use crate::network::NetworkKind;
use crate::status;
use crate::updates;

/// A signed-in account's identity as the client knows it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Me {
    pub user_id: i64,
    pub bot: bool,
}

/// One account's client. Clones share everything.
#[derive(Clone)]
pub struct Client {
    pub(crate) inner: Arc<Inner>,
}

impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Client")
            .field("network", &self.inner.network)
            .field("home_dc", &self.inner.home_dc())
            .field("me", &self.inner.me())
            .finish()
    }
}

pub(crate) struct Inner {
    pub storage: Arc<dyn SessionStorage>,
    pub conns: Connections,
    pub init: InitParams,
    pub limits: Limits,
    pub network: NetworkKind,
    /// How often the update loop touches the home DC's main connection so
    /// the pool never closes it as idle (pushes arrive on it).
    pub keepalive: std::time::Duration,
    home: AtomicI32,
    imported: Mutex<HashSet<i32>>,
    pub import_lock: AsyncMutex<()>,
    me: Mutex<Option<Me>>,
    pub peers: Mutex<PeerCache>,
    /// `true` once shutdown was asked for.
    pub stop: watch::Sender<bool>,
    pub updates: updates::Shared,
    /// The pushed connection status and what feeds it.
    pub watches: status::Watches,
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

impl Inner {
    pub fn home_dc(&self) -> i32 {
        self.home.load(Ordering::Acquire)
    }

    /// Makes `dc` the home DC, in memory and in the storage.
    pub fn set_home_dc(&self, dc: i32) -> Result<(), ClientError> {
        let before = self.home.swap(dc, Ordering::AcqRel);
        if before != dc {
            tracing::info!(from = before, to = dc, "home DC changed");
        }
        self.watches.home.send_replace(dc);
        self.storage.set_home_dc(dc)?;
        Ok(())
    }

    pub fn imported(&self, dc: i32) -> bool {
        lock(&self.imported).contains(&dc)
    }

    pub fn mark_imported(&self, dc: i32) {
        lock(&self.imported).insert(dc);
    }

    pub fn me(&self) -> Option<Me> {
        *lock(&self.me)
    }

    pub fn is_signed_in(&self) -> bool {
        self.me().is_some()
    }

    /// Records the signed-in account (memory and storage).
    pub fn set_me(&self, me: Me) -> Result<(), ClientError> {
        *lock(&self.me) = Some(me);
        self.watches.signed_out.send_replace(None);
        self.storage.set_self(me.user_id, me.bot)?;
        Ok(())
    }

    /// Forgets the signed-in account in memory (after log-out).
    pub fn clear_me(&self) {
        *lock(&self.me) = None;
        lock(&self.imported).clear();
        self.mark_signed_out("the account logged out");
    }

    /// The server refused the sign-in (or the session logged out): the
    /// status says signed out until the next sign-in.
    pub fn mark_signed_out(&self, reason: &str) {
        let reason = reason.to_string();
        self.watches.signed_out.send_if_modified(|r| {
            if r.is_some() {
                return false;
            }
            tracing::info!(%reason, "the session is signed out");
            *r = Some(reason);
            true
        });
    }

    pub fn is_stopping(&self) -> bool {
        *self.stop.borrow()
    }
}

impl Drop for Inner {
    /// The last handle is gone without a shutdown: close the connections
    /// (their registry claims are kept by tasks that hold sender handles,
    /// so they would otherwise never close).
    fn drop(&mut self) {
        self.conns.shutdown();
    }
}

impl Client {
    /// Loads the session from `config.storage`, connects to its home DC
    /// (creating and saving an auth key if it has none) and starts the
    /// update task.
    pub async fn connect(config: ClientConfig) -> Result<Client, ClientError> {
        let data = config.storage.load()?;
        let stored = DcOptions::new(data.dc_options.clone());
        let dcs = Dialer::initial_dcs(&config.network, stored);
        let home = data.home_dc.unwrap_or(config.default_dc);
        let (pushes_tx, pushes_rx) = tokio::sync::mpsc::channel(updates::PUSH_QUEUE);
        let dialer = Dialer {
            test_dcs: config.network.test_dcs(),
            keys: config.network.keys.clone(),
            dcs: Mutex::new(dcs),
            route: config.route.clone(),
            init: config.init.clone(),
            storage: config.storage.clone(),
            updates: Some(pushes_tx),
            connect_timeout: config.connect_timeout,
            request_timeout: config.request_timeout,
            prefer_ipv6: config.prefer_ipv6,
            live: Arc::new(watch::channel(0).0),
            key_locks: Mutex::default(),
        };
        let (stop, _) = watch::channel(false);
        let inner = Arc::new(Inner {
            storage: config.storage.clone(),
            conns: Connections::new(dialer, config.idle_timeout),
            init: config.init.clone(),
            limits: Limits {
                flood_sleep_threshold: config.flood_sleep_threshold,
                max_retries: config.max_retries,
                retry_delay: config.retry_delay,
            },
            network: config.network.kind,
            keepalive: (config.idle_timeout / 2).min(std::time::Duration::from_secs(60)),
            home: AtomicI32::new(home),
            imported: Mutex::default(),
            import_lock: AsyncMutex::new(()),
            me: Mutex::new(data.self_user.map(|user_id| Me {
                user_id,
                bot: data.is_bot,
            })),
            peers: Mutex::new(PeerCache::new()),
            stop,
            updates: updates::Shared::new(),
            watches: status::Watches::new(home),
        });
        let client = Client { inner };
        client.inner.load_peers(&data);
        client.inner.publish_profile();
        updates::start(&client, pushes_rx, data.update_state, config.catch_up);
        status::start(&client, config.catch_up);
        if let Err(e) = client.inner.conns.get(home, ConnKind::Main).await {
            client.shutdown();
            return Err(e);
        }
        status::publish_current(&client.inner);
        Ok(client)
    }

    /// The account's home DC.
    pub fn home_dc(&self) -> i32 {
        self.inner.home_dc()
    }

    /// The signed-in account, as last seen (no request is made).
    pub fn me(&self) -> Option<Me> {
        self.inner.me()
    }

    pub fn network(&self) -> NetworkKind {
        self.inner.network
    }

    /// Whether the session is signed in, asked of the server
    /// (`updates.getState` answers only for a signed-in key).
    pub async fn is_authorized(&self) -> Result<bool, ClientError> {
        match self
            .invoke(&hearth_tl::functions::updates::GetState {})
            .await
        {
            Ok(_) => Ok(true),
            Err(ClientError::Unauthorized { .. }) => Ok(false),
            Err(e) => Err(e),
        }
    }

    /// Stops the client: every connection closes, waiting calls fail with
    /// [`ClientError::Shutdown`], the update task ends. Never blocks and is
    /// idempotent, so it is safe anywhere, update handlers included.
    pub fn shutdown(&self) {
        self.inner.stop.send_replace(true);
        self.inner.conns.shutdown();
    }

    /// Waits until the client has stopped (after [`Client::shutdown`], or a
    /// log-out): the update task ended and every connection closed, its
    /// auth key free for another client. Safe to await from an update
    /// handler too.
    pub async fn closed(&self) {
        let mut stop = self.inner.stop.subscribe();
        let _ = stop.wait_for(|s| *s).await;
        self.inner.updates.task_ended().await;
        self.inner.conns.all_closed().await;
    }

    /// Whether [`Client::shutdown`] was called.
    pub fn is_shut_down(&self) -> bool {
        self.inner.is_stopping()
    }

    /// Whether a connection to `dc` (of `kind`) is open in this client.
    pub fn is_connected(&self, dc: i32, kind: ConnKind) -> bool {
        self.inner.conns.is_open(dc, kind)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn send<T: Send>(_: &T) {}

    /// Apps spawn client calls on a multi-threaded runtime: the handle and
    /// its futures must be `Send` (and the handle `Sync`).
    #[allow(dead_code)]
    fn futures_are_send(c: Client) {
        fn sync<T: Send + Sync>() {}
        sync::<Client>();
        send(&c.invoke(&hearth_tl::functions::updates::GetState {}));
        send(&c.request_login_code("1"));
        send(&c.next_update());
        send(&c.log_out());
        send(&c.closed());
        send(&c.authorizations());
        send(&c.qr_login());
        send(&c.invoke_in_dc(4, &hearth_tl::functions::updates::GetState {}));
        send(&c.resolve_username("x"));
        send(&Client::connect(unreachable_config()));
    }

    fn unreachable_config() -> ClientConfig {
        unreachable!("only the future's type is checked")
    }
}
