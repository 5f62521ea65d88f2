//! Opening one connection: the DC's address from the address book, its auth
//! key from the session storage (or a new one, created and saved), a claim
//! in the process-wide [`registry`](super::registry), and `help.getConfig`
//! as the first request, which refreshes the address book. The MTProto
//! session wraps the first request of every new session in
//! `invokeWithLayer(initConnection(..))` with the client's [`InitParams`]
//! (core.telegram.org/api/invoking#layers, core.telegram.org/method/initConnection).

use std::sync::{Arc, Mutex};
use std::time::Duration;

use hearth_crypto::AuthKey;
use hearth_mtproto::auth::{KeyParams, KeyTable};
use hearth_mtproto::session::AppInfo;
use hearth_sender::connect::{Endpoint, Peer, Route};
use hearth_sender::sender::{
    AuthKeyExchange, Backoff, Config as SenderConfig, Mtproto, SessionKey, UpdateEvent, UpdateSink,
};
use hearth_sender::Sender;
use hearth_session::{DcOptions, SessionStorage};
use hearth_tl::{enums, functions};
use hearth_transport::DcId;
use tokio::sync::{mpsc, watch};

use super::registry::Claim;
use crate::config::InitParams;
use crate::error::ClientError;
use crate::failure::connect_error;
use crate::network::{Network, NetworkKind};
use hearth_sender::pool::ConnKind;

/// How many connections of a client still run (their tasks not yet ended).
pub(crate) type LiveCount = Arc<watch::Sender<usize>>;

/// Keeps `claim` (and one count in `live`) until `sender`'s task has
/// stopped, whoever closes it (the pool when idle or shut down, or the
/// sender giving up), so a successor never overlaps it on the wire.
fn hold_until_closed(sender: &Sender, claim: Claim, live: &LiveCount) {
    live.send_modify(|n| *n += 1);
    let live = live.clone();
    let sender = sender.clone();
    tokio::spawn(async move {
        sender.closed().await;
        drop(claim);
        live.send_modify(|n| *n = n.saturating_sub(1));
    });
}

/// What every connection of one client is opened with.
pub(crate) struct Dialer {
    pub test_dcs: bool,
    pub keys: KeyTable,
    pub dcs: Mutex<DcOptions>,
    pub route: Route,
    pub init: InitParams,
    pub storage: Arc<dyn SessionStorage>,
    pub updates: Option<mpsc::Sender<UpdateEvent>>,
    pub connect_timeout: Duration,
    pub request_timeout: Option<Duration>,
    pub prefer_ipv6: bool,
    pub live: LiveCount,
    /// Per DC: held while its key is loaded or created, so one DC never
    /// gets two keys.
    pub key_locks: Mutex<std::collections::HashMap<i32, Arc<tokio::sync::Mutex<()>>>>,
}

impl Dialer {
    /// The address book to start from: the network's and the saved one.
    pub fn initial_dcs(network: &Network, stored: DcOptions) -> DcOptions {
        // A local network's announcement is the truth about its ports (a
        // restarted localdc listens elsewhere); elsewhere the saved address
        // book from help.getConfig is newer than the bootstrap table.
        match network.kind {
            NetworkKind::Local => {
                let mut dcs = stored;
                dcs.merge(network.dcs.clone());
                dcs
            }
            _ => {
                let mut dcs = network.dcs.clone();
                dcs.merge(stored);
                dcs
            }
        }
    }

    fn peer(&self, dc: i32, kind: ConnKind) -> Result<Peer, ClientError> {
        let dcs = self.dcs.lock().unwrap_or_else(|e| e.into_inner());
        let option = dcs
            .address(dc, kind == ConnKind::Media, self.prefer_ipv6)
            .ok_or(ClientError::UnknownDc { dc })?;
        Ok(Peer::Dc {
            id: Some(dc),
            addr: Endpoint::new(option.ip.to_string(), option.port),
        })
    }

    fn sender_config(&self, dc: i32, kind: ConnKind) -> Result<SenderConfig, ClientError> {
        let mut config = SenderConfig::new(self.peer(dc, kind)?, self.route.clone());
        config.connect_timeout = self.connect_timeout;
        config.request_timeout = self.request_timeout;
        config.backoff = Backoff {
            initial: Duration::from_millis(200),
            max: Duration::from_secs(5),
            max_attempts: Some(8),
        };
        config.updates = match (&self.updates, kind) {
            (Some(tx), ConnKind::Main) => UpdateSink::Channel(tx.clone()),
            _ => UpdateSink::None,
        };
        Ok(config)
    }

    /// MTProto for `dc`; the session wraps the first request of every new
    /// session in `invokeWithLayer(initConnection(..))` with our [`InitParams`].
    fn protocol(&self, dc: i32, kind: ConnKind) -> Mtproto {
        let mut protocol = Mtproto::new(DcId {
            id: dc as u16,
            media: kind == ConnKind::Media,
            test: self.test_dcs,
        });
        let i = &self.init;
        protocol.session.app = Some(AppInfo {
            api_id: i.api_id,
            device_model: i.device_model.clone(),
            system_version: i.system_version.clone(),
            app_version: i.app_version.clone(),
            system_lang_code: i.system_lang_code.clone(),
            lang_pack: i.lang_pack.clone(),
            lang_code: i.lang_code.clone(),
        });
        protocol
    }

    fn key_lock(&self, dc: i32) -> Arc<tokio::sync::Mutex<()>> {
        let mut locks = self.key_locks.lock().unwrap_or_else(|e| e.into_inner());
        locks.entry(dc).or_default().clone()
    }

    /// Opens a connection to `dc`: the pool calls this at most once at a
    /// time per (DC, kind); the DC's key lock keeps a main and a media
    /// connection from creating two keys.
    pub async fn dial(&self, dc: i32, kind: ConnKind, route: Route) -> Result<Sender, ClientError> {
        let mut config = self.sender_config(dc, kind)?;
        config.route = route;
        let protocol = self.protocol(dc, kind);
        let key_lock = self.key_lock(dc);
        let creating = key_lock.lock().await;
        let sender = match self.storage.auth_key(dc)? {
            Some(bytes) => {
                let auth_key = AuthKey::from_bytes(*bytes);
                let claim =
                    Claim::take(auth_key.key_id(), dc, kind).ok_or(ClientError::KeyInUse { dc })?;
                // Salt and clock offset are learnt from the server's first
                // bad_server_salt / bad_msg_notification.
                let key = SessionKey {
                    auth_key,
                    salt: 0,
                    time_offset: 0,
                };
                let sender = Sender::connect(config, protocol, &key)
                    .await
                    .map_err(|e| connect_error(dc, &e))?;
                hold_until_closed(&sender, claim, &self.live);
                sender
            }
            None => {
                let params = KeyParams {
                    test: self.test_dcs,
                    ..KeyParams::permanent(dc)
                };
                let exchange = AuthKeyExchange::new(params, self.keys.clone());
                let (sender, key) = Sender::connect_creating_key(config, protocol, exchange)
                    .await
                    .map_err(|e| connect_error(dc, &e))?;
                let Some(claim) = Claim::take(key.auth_key.key_id(), dc, kind) else {
                    sender.shutdown();
                    return Err(ClientError::KeyInUse { dc });
                };
                hold_until_closed(&sender, claim, &self.live);
                if let Err(e) = self.storage.save_auth_key(dc, key.auth_key.as_bytes()) {
                    sender.shutdown();
                    return Err(e.into());
                }
                tracing::info!(dc, "auth key created and saved");
                sender
            }
        };
        drop(creating);
        if let Err(e) = self.init_connection(dc, &sender).await {
            sender.shutdown();
            return Err(e);
        }
        Ok(sender)
    }

    /// The first request, `help.getConfig` (sent inside `invokeWithLayer` and
    /// `initConnection` by the session); the answer's DC options join the
    /// address book (and the storage).
    async fn init_connection(&self, dc: i32, sender: &Sender) -> Result<(), ClientError> {
        let request = functions::help::GetConfig {};
        let enums::Config::Config(config) = sender
            .invoke(&request)
            .await
            .map_err(|e| crate::failure::Failure::from_invocation(dc, e).into_error())?;
        let fresh = DcOptions::from_config(&config);
        if fresh.is_empty() {
            return Ok(());
        }
        let all = {
            let mut dcs = self.dcs.lock().unwrap_or_else(|e| e.into_inner());
            dcs.merge(fresh);
            dcs.all().to_vec()
        };
        self.storage.save_dc_options(&all)?;
        Ok(())
    }
}
