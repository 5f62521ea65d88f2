//! [`Accounts`]: the accounts of one data directory. It owns the database handle, the place
//! auth keys are kept and, per account, at most one client, opened lazily.
//!
//! Invariants:
//! * a pending row (a login in progress) is never listed; rows left pending by a process
//!   that ended during a login are cleared when the service starts (the instance lock makes
//!   this process the only user of the data directory);
//! * removing an account deletes its session — auth keys in the keyring first — and only then
//!   its row, so a failure never leaves a key without the row that names it; its media cache
//!   goes after the row;
//! * every change of the list or of a connection is announced on [`Accounts::subscribe`].

pub(crate) mod chats;
mod clients;
mod export;
mod last_chat;
pub(crate) mod media;
mod monitor;
mod profile;
pub(crate) mod transfers;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use hearth_diagnose::proxies_db::ProxySecrets;
use hearth_session::SessionStorage;
use hearth_store::secrets::SecretStore;
use hearth_store::session::{AuthKeyBackend, SqliteSessionStorage};
use hearth_store::{AccountId, Database, Network};
use tokio::sync::broadcast;

use crate::error::AccountsError;
use crate::keys::SharedKeys;
use crate::spec::{ApiCredentials, BuiltinLocalNetwork};
use crate::view::{AccountEvent, AccountView, ConnectionState};

pub use chats::view::{ChatDialog, ChatEntity, ChatEvent, ChatMessage, MediaKind, MediaSummary};
pub use chats::{ChatSearch, DialogsPage, HistoryAnchor, SearchAfter};
pub use clients::AccountsOptions;
pub use export::{ExportRequest, ExportedSession, FreshLogin, FreshOptions};
pub use last_chat::LastChat;

/// How many events a slow subscriber may fall behind before it misses some (it then sees
/// `RecvError::Lagged` and should list the accounts again).
const EVENT_BUFFER: usize = 256;

/// Proxy passwords and MTProxy secrets, shared between tasks.
pub type SharedProxySecrets = Arc<dyn ProxySecrets + Send + Sync>;

/// The account service. Cheap to clone; clones share everything.
#[derive(Clone)]
pub struct Accounts {
    pub(crate) inner: Arc<Inner>,
}

pub(crate) struct Inner {
    data_dir: PathBuf,
    db: Arc<Mutex<Database>>,
    keys: Arc<dyn AuthKeyBackend>,
    proxy_secrets: SharedProxySecrets,
    events: broadcast::Sender<AccountEvent>,
    states: Mutex<HashMap<AccountId, ConnectionState>>,
    builtin: Mutex<Option<Arc<dyn BuiltinLocalNetwork>>>,
    options: Mutex<AccountsOptions>,
    clients: Mutex<HashMap<AccountId, clients::Slot>>,
    chats: chats::ChatsState,
}

pub(crate) fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

impl Accounts {
    /// The service for the data directory `data_dir`, whose database is `database`, keeping
    /// auth keys and proxy secrets in the OS keyring `secrets` (use
    /// [`SecretStore::for_data_dir`] of the same directory). Take the instance lock first.
    pub fn new(
        data_dir: impl Into<PathBuf>,
        database: Arc<Mutex<Database>>,
        secrets: SecretStore,
    ) -> Self {
        Self::with_backends(
            data_dir,
            database,
            Arc::new(secrets.clone()),
            Arc::new(secrets),
        )
    }

    /// The same with other places for auth keys and proxy secrets (tests use
    /// [`crate::MemoryKeys`]).
    pub fn with_backends(
        data_dir: impl Into<PathBuf>,
        database: Arc<Mutex<Database>>,
        keys: Arc<dyn AuthKeyBackend>,
        proxy_secrets: SharedProxySecrets,
    ) -> Self {
        let accounts = Accounts {
            inner: Arc::new(Inner {
                data_dir: data_dir.into(),
                db: database,
                keys,
                proxy_secrets,
                events: broadcast::channel(EVENT_BUFFER).0,
                states: Mutex::default(),
                builtin: Mutex::default(),
                options: Mutex::default(),
                clients: Mutex::default(),
                chats: chats::ChatsState::default(),
            }),
        };
        accounts.clear_leftover_logins();
        accounts
    }

    /// The data directory.
    pub fn data_dir(&self) -> &Path {
        &self.inner.data_dir
    }

    /// The shared database handle.
    pub fn database(&self) -> &Arc<Mutex<Database>> {
        &self.inner.db
    }

    pub(crate) fn db(&self) -> MutexGuard<'_, Database> {
        lock(&self.inner.db)
    }

    pub(crate) fn proxy_secrets(&self) -> &SharedProxySecrets {
        &self.inner.proxy_secrets
    }

    /// Changes how clients opened from now on behave.
    pub fn set_options(&self, options: AccountsOptions) {
        *lock(&self.inner.options) = options;
    }

    pub(crate) fn options(&self) -> AccountsOptions {
        lock(&self.inner.options).clone()
    }

    /// Where the app's built-in Local test network comes from; without one, accounts on it
    /// cannot connect ([`AccountsError::BuiltinLocalUnavailable`]).
    pub fn set_builtin_local(&self, network: Arc<dyn BuiltinLocalNetwork>) {
        *lock(&self.inner.builtin) = Some(network);
    }

    pub(crate) fn builtin_local(&self) -> Option<Arc<dyn BuiltinLocalNetwork>> {
        lock(&self.inner.builtin).clone()
    }

    /// Account list and connection changes, from now on.
    pub fn subscribe(&self) -> broadcast::Receiver<AccountEvent> {
        self.inner.events.subscribe()
    }

    pub(crate) fn announce(&self, event: AccountEvent) {
        // No subscriber is fine.
        let _ = self.inner.events.send(event);
    }

    /// The connection state of `id` (offline until its client is opened).
    pub fn state(&self, id: AccountId) -> ConnectionState {
        lock(&self.inner.states)
            .get(&id)
            .copied()
            .unwrap_or(ConnectionState::Offline)
    }

    /// Records and announces a connection state (only when it changed).
    pub(crate) fn set_state(&self, id: AccountId, state: ConnectionState) {
        let before = lock(&self.inner.states).insert(id, state);
        if before.unwrap_or(ConnectionState::Offline) != state {
            tracing::debug!(account = %id, state = state.as_str(), "account connection state");
            self.announce(AccountEvent::State { id, state });
        }
    }

    fn forget_state(&self, id: AccountId) {
        lock(&self.inner.states).remove(&id);
    }

    /// The session storage of account (or pending login) `id`.
    pub(crate) fn storage(&self, id: AccountId) -> SqliteSessionStorage {
        SqliteSessionStorage::with_key_backend(
            self.inner.db.clone(),
            Box::new(SharedKeys(self.inner.keys.clone())),
            id,
        )
    }

    /// Every account in sidebar order.
    pub fn list(&self) -> Result<Vec<AccountView>, AccountsError> {
        let accounts = self.db().accounts_in_order()?;
        Ok(accounts
            .into_iter()
            .map(|a| {
                let state = self.state(a.id);
                AccountView::new(a, state)
            })
            .collect())
    }

    /// One account.
    pub fn get(&self, id: AccountId) -> Result<AccountView, AccountsError> {
        match self.db().get_account(id)? {
            Some(a) if !a.pending => Ok(AccountView::new(a, self.state(id))),
            _ => Err(AccountsError::NoSuchAccount(id)),
        }
    }

    /// Renames an account in Hearth (Telegram is not told).
    pub fn rename(&self, id: AccountId, label: &str) -> Result<(), AccountsError> {
        let label = label.trim();
        if label.is_empty() || label.chars().count() > 64 {
            return Err(AccountsError::invalid(
                "label",
                "a label is 1 to 64 characters",
            ));
        }
        self.get(id)?;
        self.db().rename_account(id, label)?;
        self.announce(AccountEvent::ListChanged);
        Ok(())
    }

    /// Puts the listed accounts first, in this order; the others follow as they were.
    pub fn reorder(&self, ids: &[AccountId]) -> Result<(), AccountsError> {
        self.db().reorder_accounts(ids)?;
        self.announce(AccountEvent::ListChanged);
        Ok(())
    }

    /// Moves one account to `position` in the sidebar (0 is the top).
    pub fn move_to(&self, id: AccountId, position: usize) -> Result<(), AccountsError> {
        self.db().set_account_position(id, position)?;
        self.announce(AccountEvent::ListChanged);
        Ok(())
    }

    /// Forgets an account on this computer: closes its client, deletes its session (the auth
    /// keys in the keyring first), then its row. Telegram is not told: the authorization stays
    /// listed among the account's sessions until ended there (use
    /// [`Accounts::log_out`] to end it too).
    pub async fn remove(&self, id: AccountId) -> Result<(), AccountsError> {
        self.get(id)?;
        self.close_client(id).await;
        self.delete_account(id)?;
        // Its pictures go with it (best effort: they hold no secret).
        let pictures = media::cache_dir(self.data_dir(), id);
        if let Err(e) = std::fs::remove_dir_all(&pictures) {
            if e.kind() != std::io::ErrorKind::NotFound {
                tracing::warn!(account = %id, error = %e, "cannot remove the account's media cache");
            }
        }
        tracing::info!(account = %id, "account removed");
        self.announce(AccountEvent::ListChanged);
        Ok(())
    }

    /// Deletes the session (keys first) and then the row of `id` (pending or not).
    pub(crate) fn delete_account(&self, id: AccountId) -> Result<(), AccountsError> {
        self.storage(id).clear()?;
        self.forget_last_chat_of(id)?;
        self.db().delete_account(id)?;
        self.forget_state(id);
        Ok(())
    }

    fn clear_leftover_logins(&self) {
        let pending = match self.db().pending_accounts() {
            Ok(p) => p,
            Err(e) => {
                tracing::warn!(error = %e, "cannot list unfinished logins to clear them");
                return;
            }
        };
        for a in pending {
            match self.delete_account(a.id) {
                Ok(()) => tracing::info!(account = %a.id, "cleared an unfinished login"),
                Err(e) => {
                    tracing::warn!(account = %a.id, error = %e, "cannot clear an unfinished login")
                }
            }
        }
    }

    /// The `api_id`/`api_hash` saved for `network`, if any.
    pub fn api_credentials(
        &self,
        network: Network,
    ) -> Result<Option<ApiCredentials>, AccountsError> {
        let (id_key, hash_key) = ApiCredentials::setting_keys(network);
        let db = self.db();
        let (Some(id), Some(hash)) = (db.get_setting(&id_key)?, db.get_setting(&hash_key)?) else {
            return Ok(None);
        };
        match id.parse::<i32>().map(|id| ApiCredentials::new(id, &hash)) {
            Ok(Ok(c)) => Ok(Some(c)),
            _ => {
                tracing::warn!(network = %network, "saved api_id/api_hash are damaged; ignoring them");
                Ok(None)
            }
        }
    }

    /// Saves the `api_id`/`api_hash` for `network` (production or test).
    pub fn set_api_credentials(
        &self,
        network: Network,
        credentials: &ApiCredentials,
    ) -> Result<(), AccountsError> {
        let (id_key, hash_key) = ApiCredentials::setting_keys(network);
        let db = self.db();
        db.set_setting(&id_key, &credentials.api_id.to_string())?;
        db.set_setting(&hash_key, &credentials.api_hash)?;
        Ok(())
    }
}
