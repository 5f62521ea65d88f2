//! Starting and stopping a localdc: listeners for DCs 1–5, the media-only DCs and
//! the control port, sharing one [`ServerState`].
//!
//! Media-only endpoints follow Telegram's scheme: they carry the id of the DC
//! they serve (2 and 4 here) with `media_only` set, on a port of their own.

pub mod conn;
pub mod control;
pub mod padding;
pub mod sealing;

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::path::PathBuf;
use std::sync::Arc;

use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio::task::JoinSet;

use crate::keys::{KeyError, ServerKey};
use crate::state::{DcEndpoint, ServerState};
use crate::store::{Store, StoreError};
use crate::world::World;

/// The regular DCs every localdc serves.
pub const DC_IDS: [i32; 5] = [1, 2, 3, 4, 5];
/// The DCs that also get a media-only endpoint.
pub const MEDIA_DC_IDS: [i32; 2] = [2, 4];

/// How to start a localdc.
#[derive(Debug, Clone)]
pub struct Config {
    /// Address every listener binds; loopback unless told otherwise.
    pub host: IpAddr,
    /// Where the RSA key and the SQLite state live; `None` keeps state in memory.
    pub state_dir: Option<PathBuf>,
    pub world: World,
    /// Makes derived values (access hashes, code hashes, salts) reproducible.
    pub seed: Option<u64>,
    /// Use this key instead of loading or generating one.
    pub rsa_key: Option<ServerKey>,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            host: IpAddr::V4(Ipv4Addr::LOCALHOST),
            state_dir: None,
            world: World::default(),
            seed: None,
            rsa_key: None,
        }
    }
}

/// Errors starting a localdc.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error(transparent)]
    Key(#[from] KeyError),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Persist(#[from] crate::persist::PersistError),
    #[error("cannot create state dir {path}: {source}")]
    StateDir {
        path: String,
        source: std::io::Error,
    },
    #[error(
        "cannot listen on {addr}: {source}; pick another port in the world file or free this one"
    )]
    Bind {
        addr: SocketAddr,
        source: std::io::Error,
    },
}

/// One DC endpoint in the start-up announcement.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct AnnouncedDc {
    pub id: i32,
    pub host: String,
    pub port: u16,
    pub media_only: bool,
}

/// The JSON line `localdc` prints on start; fields in this order.
/// `rsa_fingerprint` is the signed 64-bit fingerprint in decimal, as a string.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Announcement {
    pub dcs: Vec<AnnouncedDc>,
    pub rsa_public_key_pem: String,
    pub rsa_fingerprint: String,
    pub control: String,
}

/// A running localdc. Dropping it without [`LocalDc::shutdown`] stops it too.
pub struct LocalDc {
    state: Arc<ServerState>,
    control: SocketAddr,
    mtproxy: Option<SocketAddr>,
    stop: watch::Sender<bool>,
    tasks: JoinSet<()>,
    /// Snapshots state into the state dir ([`crate::persist`]); `None` in memory.
    persister: Option<crate::persist::SharedPersister>,
}

impl std::fmt::Debug for LocalDc {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LocalDc")
            .field("endpoints", &self.state.endpoints)
            .field("control", &self.control)
            .finish()
    }
}

async fn bind(host: IpAddr, port: u16) -> Result<TcpListener, StartError> {
    let addr = SocketAddr::new(host, port);
    TcpListener::bind(addr)
        .await
        .map_err(|source| StartError::Bind { addr, source })
}

fn pinned(map: &std::collections::BTreeMap<String, u16>, id: i32) -> u16 {
    map.get(&id.to_string()).copied().unwrap_or(0)
}

impl LocalDc {
    /// Binds every listener (free ports unless the world pins them) and starts serving.
    pub async fn start(config: Config) -> Result<Self, StartError> {
        if let Some(dir) = &config.state_dir {
            std::fs::create_dir_all(dir).map_err(|source| StartError::StateDir {
                path: dir.display().to_string(),
                source,
            })?;
        }
        let key = match (config.rsa_key, &config.state_dir) {
            (Some(k), _) => k,
            (None, Some(dir)) => {
                let dir = dir.clone();
                tokio::task::spawn_blocking(move || ServerKey::load_or_create(&dir))
                    .await
                    .map_err(|e| KeyError::Generate(e.to_string()))??
            }
            (None, None) => tokio::task::spawn_blocking(ServerKey::generate)
                .await
                .map_err(|e| KeyError::Generate(e.to_string()))??,
        };
        let store = Store::open(config.state_dir.as_deref())?;
        let settings = &config.world.server;
        let mut listeners = Vec::new();
        for id in DC_IDS {
            let l = bind(config.host, pinned(&settings.ports, id)).await?;
            listeners.push((id, false, l));
        }
        for id in MEDIA_DC_IDS {
            let l = bind(config.host, pinned(&settings.media_ports, id)).await?;
            listeners.push((id, true, l));
        }
        let mut endpoints = Vec::new();
        for (id, media_only, l) in &listeners {
            let addr = l.local_addr().map_err(|source| StartError::Bind {
                addr: SocketAddr::new(config.host, 0),
                source,
            })?;
            endpoints.push(DcEndpoint {
                id: *id,
                addr,
                media_only: *media_only,
            });
        }
        let proxy = match settings.mtproxy() {
            Some(secret) => Some((secret, bind(config.host, settings.mtproxy_port).await?)),
            None => None,
        };
        let control_listener = bind(config.host, 0).await?;
        let control = control_listener
            .local_addr()
            .map_err(|source| StartError::Bind {
                addr: SocketAddr::new(config.host, 0),
                source,
            })?;
        let mut persister = match &config.state_dir {
            Some(dir) => Some(crate::persist::Persister::open(dir)?),
            None => None,
        };
        let mut secret = crate::state::secret_from_seed(config.seed);
        if let Some(p) = &mut persister {
            secret = p.secret(secret)?;
        }
        let state = Arc::new(ServerState::with_secret(
            key,
            config.world,
            store,
            endpoints.clone(),
            secret,
        ));
        if let Some(p) = &mut persister {
            let restored = p.restore(&state)?;
            tracing::info!(restored, "state restored from the state dir");
        }
        let persister = persister.map(|p| Arc::new(std::sync::Mutex::new(p)));
        let (stop, stop_rx) = watch::channel(false);
        let mut tasks = JoinSet::new();
        if let Some(p) = &persister {
            tasks.spawn(crate::persist::run(
                p.clone(),
                state.clone(),
                stop_rx.clone(),
            ));
        }
        for ((_, _, listener), endpoint) in listeners.into_iter().zip(endpoints) {
            tasks.spawn(conn::accept_loop(
                listener,
                conn::Serving::Dc(endpoint),
                state.clone(),
                stop_rx.clone(),
            ));
        }
        let mut mtproxy = None;
        if let Some((secret, listener)) = proxy {
            mtproxy = listener.local_addr().ok();
            tasks.spawn(conn::accept_loop(
                listener,
                conn::Serving::Proxy(secret),
                state.clone(),
                stop_rx.clone(),
            ));
        }
        tasks.spawn(control::accept_loop(
            control_listener,
            state.clone(),
            stop_rx,
        ));
        tracing::info!(?control, "localdc started");
        Ok(Self {
            state,
            control,
            mtproxy,
            stop,
            tasks,
            persister,
        })
    }

    pub fn endpoints(&self) -> &[DcEndpoint] {
        &self.state.endpoints
    }

    /// Address of DC `id` (the regular endpoint, not the media one).
    pub fn dc_addr(&self, id: i32) -> Option<SocketAddr> {
        self.state.endpoint(id).map(|e| e.addr)
    }

    /// Address of the media-only endpoint of DC `id`.
    pub fn media_addr(&self, id: i32) -> Option<SocketAddr> {
        self.state
            .endpoints
            .iter()
            .find(|e| e.id == id && e.media_only)
            .map(|e| e.addr)
    }

    pub fn control_addr(&self) -> SocketAddr {
        self.control
    }

    /// Sends one request to the control port ([`control`]) over loopback, as
    /// any outside tool would, and returns its answer line parsed.
    pub async fn control(&self, request: &serde_json::Value) -> std::io::Result<serde_json::Value> {
        control::request(self.control, request).await
    }

    /// Address of the MTProxy endpoint, when the world's `[server]` sets
    /// `mtproxy_secret`.
    pub fn mtproxy_addr(&self) -> Option<SocketAddr> {
        self.mtproxy
    }

    pub fn key(&self) -> &ServerKey {
        &self.state.key
    }

    pub fn state(&self) -> &Arc<ServerState> {
        &self.state
    }

    /// The one-line JSON announcement the binary prints on start.
    pub fn announcement(&self) -> Announcement {
        Announcement {
            dcs: self
                .state
                .endpoints
                .iter()
                .map(|e| AnnouncedDc {
                    id: e.id,
                    host: e.addr.ip().to_string(),
                    port: e.addr.port(),
                    media_only: e.media_only,
                })
                .collect(),
            rsa_public_key_pem: self.state.key.public_pem().to_string(),
            rsa_fingerprint: self.state.key.fingerprint().to_string(),
            control: self.control.to_string(),
        }
    }

    /// Stops accepting, closes every connection, waits for the tasks to end
    /// and saves the state a last time.
    pub async fn shutdown(mut self) {
        let _ = self.stop.send(true);
        while self.tasks.join_next().await.is_some() {}
        if let Some(p) = &self.persister {
            crate::persist::save_now(p, &self.state).await;
        }
        tracing::info!("localdc stopped");
    }
}
