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

use super::registry::{Claim, ConnKind};
use crate::config::InitParams;
use crate::error::ClientError;
use crate::failure::connect_error;
use crate::network::{Network, NetworkKind};

/// How many connections of a client still run (their tasks not yet ended).
pub(crate) type LiveCount = Arc<watch::Sender<usize>>;

/// A live connection and its registry claim.
pub(crate) struct Conn {
    pub sender: Sender,
    claim: Option<Claim>,
    live: LiveCount,
}

impl Conn {
    fn new(sender: Sender, claim: Option<Claim>, live: &LiveCount) -> Self {
        live.send_modify(|n| *n += 1);
        Self {
            sender,
            claim,
            live: live.clone(),
        }
    }
}

impl Drop for Conn {
    fn drop(&mut self) {
        self.sender.shutdown();
        // Free the registry slot only once the task has really stopped, so
        // a successor never overlaps it on the wire.
        let claim = self.claim.take();
        let live = self.live.clone();
        let release = move || {
            drop(claim);
            live.send_modify(|n| *n = n.saturating_sub(1));
        };
        match tokio::runtime::Handle::try_current() {
            Ok(rt) if !self.sender.is_closed() => {
                let sender = self.sender.clone();
                rt.spawn(async move {
                    sender.closed().await;
                    release();
                });
            }
            _ => release(),
        }
    }
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

    /// Opens a connection to `dc`. The caller holds the DC's key lock, so two
    /// connections never create two keys for one DC.
    pub async fn dial(&self, dc: i32, kind: ConnKind) -> Result<Conn, ClientError> {
        let config = self.sender_config(dc, kind)?;
        let protocol = self.protocol(dc, kind);
        let conn = match self.storage.auth_key(dc)? {
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
                Conn::new(sender, Some(claim), &self.live)
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
                let claim = Claim::take(key.auth_key.key_id(), dc, kind);
                let conn = Conn::new(sender, claim, &self.live);
                if conn.claim.is_none() {
                    return Err(ClientError::KeyInUse { dc });
                }
                self.storage.save_auth_key(dc, key.auth_key.as_bytes())?;
                tracing::info!(dc, "auth key created and saved");
                conn
            }
        };
        self.init_connection(dc, &conn.sender).await?;
        Ok(conn)
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
