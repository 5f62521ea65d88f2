//! What a client is built from: the network, the session storage, the
//! route, what `initConnection` says about the app
//! (core.telegram.org/method/initConnection) and the retry limits.

use std::sync::Arc;
use std::time::Duration;

use hearth_sender::connect::Route;
use hearth_session::SessionStorage;

use crate::network::Network;

/// The app's identity, sent in `initConnection` on every new connection and
/// with the sign-in methods that need `api_id`/`api_hash`.
#[derive(Clone, PartialEq, Eq)]
pub struct InitParams {
    pub api_id: i32,
    pub api_hash: String,
    pub device_model: String,
    pub system_version: String,
    pub app_version: String,
    pub system_lang_code: String,
    pub lang_pack: String,
    pub lang_code: String,
}

impl std::fmt::Debug for InitParams {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("InitParams")
            .field("api_id", &self.api_id)
            .field("device_model", &self.device_model)
            .field("app_version", &self.app_version)
            .finish_non_exhaustive()
    }
}

impl InitParams {
    /// `api_id`/`api_hash` as issued at my.telegram.org; the rest describes
    /// this machine and Hearth.
    pub fn new(api_id: i32, api_hash: impl Into<String>) -> Self {
        Self {
            api_id,
            api_hash: api_hash.into(),
            device_model: format!("Hearth on {}", std::env::consts::OS),
            system_version: format!("{} {}", std::env::consts::OS, std::env::consts::ARCH),
            app_version: env!("CARGO_PKG_VERSION").to_owned(),
            system_lang_code: "en".into(),
            lang_pack: String::new(),
            lang_code: "en".into(),
        }
    }

    /// The identity used on a local network (localdc accepts any positive
    /// `api_id` with a non-empty hash).
    pub fn local() -> Self {
        Self::new(LOCAL_API_ID, LOCAL_API_HASH)
    }
}

/// `api_id` Hearth uses on localdc.
pub const LOCAL_API_ID: i32 = 1;
/// `api_hash` Hearth uses on localdc.
pub const LOCAL_API_HASH: &str = "hearth-local";

/// Everything [`crate::Client::connect`] needs.
#[derive(Clone)]
pub struct ClientConfig {
    pub network: Network,
    pub storage: Arc<dyn SessionStorage>,
    pub route: Route,
    pub init: InitParams,
    /// Flood waits up to this long are slept and the request repeated once;
    /// longer ones fail with [`crate::ClientError::FloodWait`].
    pub flood_sleep_threshold: Duration,
    /// The DC a new session starts on (before any migration decided one).
    pub default_dc: i32,
    /// How many times a request is repeated after `500` errors or a broken
    /// connection before the error is returned.
    pub max_retries: u32,
    /// The first pause between those repeats (doubled each time, capped at 5 s).
    pub retry_delay: Duration,
    /// Bound of each request on the wire; `None` waits for the answer.
    pub request_timeout: Option<Duration>,
    /// Bound of connecting (TCP, proxy, auth key creation).
    pub connect_timeout: Duration,
    /// Run the update loop (`getState`/`getDifference`, [`crate::Client::next_update`]).
    /// Tools that only sign in or list sessions turn it off.
    pub catch_up: bool,
    /// Try IPv6 addresses first.
    pub prefer_ipv6: bool,
    /// Connections without requests for this long are closed (the home
    /// DC's main connection is kept open while the update loop runs).
    pub idle_timeout: Duration,
}

impl ClientConfig {
    /// Defaults: direct route, 60 s flood threshold, DC 2 first, 3 retries
    /// from 500 ms, 30 s request timeout, 10 s connect timeout, updates on,
    /// idle connections closed after 5 minutes.
    pub fn new(network: Network, storage: Arc<dyn SessionStorage>, init: InitParams) -> Self {
        Self {
            network,
            storage,
            route: Route::Direct,
            init,
            flood_sleep_threshold: Duration::from_secs(60),
            default_dc: 2,
            max_retries: 3,
            retry_delay: Duration::from_millis(500),
            request_timeout: Some(Duration::from_secs(30)),
            connect_timeout: Duration::from_secs(10),
            catch_up: true,
            prefer_ipv6: false,
            idle_timeout: Duration::from_secs(5 * 60),
        }
    }
}
