//! Each account's client: opened on first use over the account's route (its saved proxy, or
//! direct), kept while the service lives, closed on removal, log-out, a proxy change and
//! shutdown. At most one client per account, so the account's auth keys are never used by two
//! connections to one DC (which Telegram answers with `AUTH_KEY_DUPLICATED`).

use std::sync::Arc;
use std::time::Duration;

use hearth_client::{AuthorizationInfo, Client, ClientConfig, ClientError, InitParams, Network};
use hearth_diagnose::proxies_db;
use hearth_diagnose::ProxySpec;
use hearth_session::SessionStorage;
use hearth_store::AccountId;

use super::{lock, Accounts};
use crate::error::AccountsError;
use crate::spec::{ApiCredentials, NetworkSpec};
use crate::view::{AccountEvent, ConnectionState};

/// How long closing waits for a client's tasks to end.
const CLOSE_WAIT: Duration = Duration::from_secs(3);

/// One account's client, once opened.
pub(crate) type Slot = Arc<tokio::sync::Mutex<Option<Client>>>;

/// How the service's clients behave.
#[derive(Clone, Debug)]
pub struct AccountsOptions {
    /// Run each client's update loop (`getState`/`getDifference`): on in the app, off in
    /// one-shot command-line tools.
    pub catch_up: bool,
    /// Flood waits up to this long are slept; longer ones fail with `FLOOD_WAIT`.
    pub flood_sleep_threshold: Duration,
    /// Bound of each request; `None` waits for the answer.
    pub request_timeout: Option<Duration>,
    /// Bound of connecting (TCP, proxy, auth key creation).
    pub connect_timeout: Duration,
    /// The `device_model` `initConnection` reports (shown in the account's session list);
    /// `None` keeps the client's default.
    pub device_model: Option<String>,
}

impl Default for AccountsOptions {
    fn default() -> Self {
        Self {
            catch_up: true,
            flood_sleep_threshold: Duration::from_secs(60),
            request_timeout: Some(Duration::from_secs(30)),
            connect_timeout: Duration::from_secs(10),
            device_model: None,
        }
    }
}

/// What a network spec resolves to.
pub(crate) struct Resolved {
    pub network: Network,
    pub init: InitParams,
    /// Production/test credentials to save once a login succeeds.
    pub api: Option<ApiCredentials>,
}

impl Accounts {
    /// The DC table, server keys and `initConnection` identity of `spec`. A local network's
    /// announcement is read now (a restarted localdc listens on new ports).
    pub(crate) async fn resolve(&self, spec: &NetworkSpec) -> Result<Resolved, AccountsError> {
        let options = self.options();
        let (network, mut init, api) = match spec {
            NetworkSpec::Local { announcement } => {
                let network = Network::local_from_file(announcement).map_err(|e| {
                    AccountsError::LocalNetwork {
                        source_name: announcement.display().to_string(),
                        detail: e.to_string(),
                    }
                })?;
                (network, InitParams::local(), None)
            }
            NetworkSpec::BuiltinLocal => {
                let provider = self.builtin_local().ok_or_else(|| {
                    AccountsError::BuiltinLocalUnavailable(
                        "this program does not run it; use an external localdc's announcement file instead".into(),
                    )
                })?;
                let line = provider
                    .announcement()
                    .await
                    .map_err(AccountsError::BuiltinLocalUnavailable)?;
                let network = Network::local(&line).map_err(|e| AccountsError::LocalNetwork {
                    source_name: "the built-in Local test network".into(),
                    detail: e.to_string(),
                })?;
                (network, InitParams::local(), None)
            }
            NetworkSpec::Production { api } | NetworkSpec::Test { api } => {
                let kind = spec.network();
                let creds = match api {
                    Some(c) => c.clone(),
                    None => self
                        .api_credentials(kind)?
                        .ok_or(AccountsError::ApiCredentialsMissing { network: kind })?,
                };
                let network = match kind {
                    hearth_store::Network::Test => Network::test(),
                    _ => Network::production(),
                };
                let init = InitParams::new(creds.api_id, creds.api_hash.clone());
                (network, init, api.clone())
            }
        };
        if let Some(model) = options.device_model {
            init.device_model = model;
        }
        Ok(Resolved { network, init, api })
    }

    /// A client configuration for `storage` on `resolved`, with the service's options.
    pub(crate) fn client_config(
        &self,
        resolved: &Resolved,
        storage: Arc<dyn SessionStorage>,
        route: hearth_sender::connect::Route,
        default_dc: i32,
    ) -> ClientConfig {
        let options = self.options();
        let mut config =
            ClientConfig::new(resolved.network.clone(), storage, resolved.init.clone());
        config.route = route;
        config.default_dc = default_dc;
        config.catch_up = options.catch_up;
        config.flood_sleep_threshold = options.flood_sleep_threshold;
        config.request_timeout = options.request_timeout;
        config.connect_timeout = options.connect_timeout;
        config
    }

    /// The route `id` connects over: its saved proxy, or direct.
    pub(crate) fn route(
        &self,
        id: AccountId,
    ) -> Result<hearth_sender::connect::Route, AccountsError> {
        // The database is locked per SQL step inside, never across a keyring read.
        Ok(proxies_db::account_route(
            self.database().as_ref(),
            self.proxy_secrets().as_ref(),
            id,
        )?)
    }

    /// The saved proxy `id`.
    pub(crate) fn saved_proxy(&self, id: i64) -> Result<ProxySpec, AccountsError> {
        proxies_db::load(self.database().as_ref(), self.proxy_secrets().as_ref(), id)?.ok_or_else(
            || {
                AccountsError::invalid(
                    "proxy",
                    format!("there is no saved proxy {id}; save it first (Diagnostics page)"),
                )
            },
        )
    }

    pub(crate) fn slot(&self, id: AccountId) -> Slot {
        lock(&self.inner.clients).entry(id).or_default().clone()
    }

    /// The account's connected, signed-in client, opened on first use (over its proxy).
    pub async fn client(&self, id: AccountId) -> Result<Client, AccountsError> {
        let account = match self.db().get_account(id)? {
            Some(a) if !a.pending => a,
            _ => return Err(AccountsError::NoSuchAccount(id)),
        };
        let slot = self.slot(id);
        let mut held = slot.lock().await;
        if let Some(client) = held.as_ref().filter(|c| !c.is_shut_down()) {
            return Ok(client.clone());
        }
        let storage = Arc::new(self.storage(id));
        if storage.load()?.self_user.is_none() {
            self.set_state(id, ConnectionState::SignedOut);
            return Err(AccountsError::NotSignedIn(id));
        }
        self.set_state(id, ConnectionState::Connecting);
        let opened = async {
            let resolved = self.resolve(&NetworkSpec::of_account(&account)?).await?;
            let route = self.route(id)?;
            let config = self.client_config(&resolved, storage, route, account.dc_id);
            Client::connect(config)
                .await
                .map_err(|e| AccountsError::client(e, None))
        }
        .await;
        match opened {
            Ok(client) => {
                self.set_state(id, ConnectionState::Online);
                if client.home_dc() != account.dc_id {
                    self.db().set_account_dc(id, client.home_dc())?;
                    self.announce(AccountEvent::ListChanged);
                }
                *held = Some(client.clone());
                super::monitor::follow(self, id, client.clone());
                Ok(client)
            }
            Err(e) => {
                self.set_state(id, failed_state(&e));
                Err(e)
            }
        }
    }

    /// Puts a client signed in by a login flow in the account's slot.
    pub(crate) async fn adopt(&self, id: AccountId, client: Client) {
        let slot = self.slot(id);
        let previous = slot.lock().await.replace(client.clone());
        if let Some(old) = previous {
            old.shutdown();
        }
        self.set_state(id, ConnectionState::Online);
        super::monitor::follow(self, id, client);
    }

    /// Records `state` pushed by `client` unless the account's client was closed or
    /// replaced meanwhile (checked under the same lock [`Accounts::close_client`] takes, so a
    /// late change never overwrites "offline").
    pub(crate) fn set_state_while_open(
        &self,
        id: AccountId,
        client: &Client,
        state: ConnectionState,
    ) -> bool {
        let clients = lock(&self.inner.clients);
        if !clients.contains_key(&id) || client.is_shut_down() {
            return false;
        }
        self.set_state(id, state);
        true
    }

    /// Closes the client of `id`, if one is open, and waits briefly for it to stop.
    pub(crate) async fn close_client(&self, id: AccountId) {
        let slot = lock(&self.inner.clients).remove(&id);
        if let Some(slot) = slot {
            if let Some(client) = slot.lock().await.take() {
                client.shutdown();
                if tokio::time::timeout(CLOSE_WAIT, client.closed())
                    .await
                    .is_err()
                {
                    tracing::warn!(account = %id, "the client did not stop within 3 s; leaving it to finish");
                }
            }
        }
        self.set_state(id, ConnectionState::Offline);
    }

    /// Closes every client. Login flows in progress are not touched: cancel them first.
    pub async fn shutdown(&self) {
        let ids: Vec<AccountId> = lock(&self.inner.clients).keys().copied().collect();
        for id in ids {
            self.close_client(id).await;
        }
    }

    /// Runs `f` with the account's client; a signed-out answer marks the account signed out.
    async fn with_client<T, F, Fut>(&self, id: AccountId, f: F) -> Result<T, AccountsError>
    where
        F: FnOnce(Client) -> Fut,
        Fut: std::future::Future<Output = Result<T, ClientError>>,
    {
        let client = self.client(id).await?;
        match f(client).await {
            Ok(v) => Ok(v),
            Err(e) => {
                if matches!(e, ClientError::Unauthorized { .. }) {
                    self.set_state(id, ConnectionState::SignedOut);
                }
                Err(AccountsError::client(e, None))
            }
        }
    }

    /// Logs the account out: ends its session on Telegram (`auth.logOut`), deletes its keys
    /// from the keyring and its session, then its row. If Telegram cannot be reached nothing
    /// is deleted (try again, or [`Accounts::remove`] to forget it only here). An account
    /// whose session was already ended elsewhere is simply removed.
    pub async fn log_out(&self, id: AccountId) -> Result<(), AccountsError> {
        self.get(id)?;
        match self.client(id).await {
            Ok(client) => client
                .log_out()
                .await
                .map_err(|e| AccountsError::client(e, None))?,
            Err(AccountsError::NotSignedIn(_)) => {}
            Err(e) => return Err(e),
        }
        self.close_client(id).await;
        self.delete_account(id)?;
        tracing::info!(account = %id, "account logged out and removed");
        self.announce(AccountEvent::ListChanged);
        Ok(())
    }

    /// Sends the account's connections through the saved proxy `proxy_id` (`None`: direct).
    /// A client already open reconnects at once, so a proxy that does not work shows here.
    pub async fn set_proxy(
        &self,
        id: AccountId,
        proxy_id: Option<i64>,
    ) -> Result<(), AccountsError> {
        self.get(id)?;
        if let Some(p) = proxy_id {
            self.saved_proxy(p)?;
        }
        self.db().set_account_proxy(id, proxy_id)?;
        self.announce(AccountEvent::ListChanged);
        let was_open = lock(&self.inner.clients).contains_key(&id);
        if was_open {
            self.close_client(id).await;
            self.client(id).await?;
        }
        Ok(())
    }

    /// The account's sessions (authorizations), the current one first.
    pub async fn sessions(&self, id: AccountId) -> Result<Vec<AuthorizationInfo>, AccountsError> {
        self.with_client(id, |c| async move { c.authorizations().await })
            .await
    }

    /// Ends the session `hash` (from [`Accounts::sessions`]).
    pub async fn terminate(&self, id: AccountId, hash: i64) -> Result<(), AccountsError> {
        if hash == 0 {
            return Err(AccountsError::invalid(
                "hash",
                "hash 0 is this session; log the account out to end it",
            ));
        }
        self.with_client(id, |c| async move { c.terminate_authorization(hash).await })
            .await
    }

    /// Ends every session of the account but this one.
    pub async fn terminate_others(&self, id: AccountId) -> Result<(), AccountsError> {
        self.with_client(
            id,
            |c| async move { c.terminate_other_authorizations().await },
        )
        .await
    }
}

/// The state after a failed attempt to open a client.
fn failed_state(e: &AccountsError) -> ConnectionState {
    match e.code() {
        "UNAUTHORIZED" | "NOT_SIGNED_IN" | "AUTH_KEY_UNREGISTERED" | "SESSION_REVOKED" => {
            ConnectionState::SignedOut
        }
        _ => ConnectionState::Unreachable,
    }
}
