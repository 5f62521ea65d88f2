//! [`AccountsError`]: every way an account operation fails, with a stable machine-readable
//! [`code`](AccountsError::code), the form [`field`](AccountsError::field) it concerns, and a
//! message in plain words that says what to do next. Telegram's RPC error names pass through
//! as codes (`PHONE_CODE_INVALID`, …; core.telegram.org/api/errors).

use hearth_diagnose::proxies_db::ProxyStoreError;
use hearth_session::{StorageError, StorageErrorKind};
use hearth_store::{AccountId, Network, StoreError};

/// Why an account operation failed.
#[derive(Debug, thiserror::Error)]
pub enum AccountsError {
    /// No account has this id.
    #[error(
        "there is no account {0}; list the accounts (hearth-cli account list) to see their ids"
    )]
    NoSuchAccount(AccountId),

    /// The user just signed in already has an account on this network.
    #[error(
        "Telegram user {user_id} is already signed in on the {network} network as account {existing} \"{label}\"; \
         use that account, or remove it before signing in again"
    )]
    AlreadySignedIn {
        network: Network,
        user_id: i64,
        existing: AccountId,
        label: String,
    },

    /// A value the user gave is not usable; `message` says what is expected.
    #[error("{message}")]
    InvalidInput {
        field: &'static str,
        message: String,
    },

    /// Production and test need an `api_id`/`api_hash` and none is saved.
    #[error(
        "signing in to the {network} network needs an api_id and api_hash: create an app at \
         my.telegram.org under API development tools and enter the two values it shows"
    )]
    ApiCredentialsMissing { network: Network },

    /// The local network's description cannot be used.
    #[error("the local network of {source_name} cannot be used: {detail}")]
    LocalNetwork { source_name: String, detail: String },

    /// The app's built-in Local test network is not available.
    #[error("the built-in Local test network is not available: {0}")]
    BuiltinLocalUnavailable(String),

    /// The account's session holds no signed-in user (it was cleared).
    #[error("account {0} is not signed in any more; log it out or remove it, then sign in again")]
    NotSignedIn(AccountId),

    /// A login step was called out of order (e.g. a code before one was requested).
    #[error("{0}")]
    LoginStep(String),

    /// The database failed.
    #[error("{0}")]
    Store(StoreError),

    /// The session storage (database or keyring) failed.
    #[error("{0}")]
    Storage(StorageError),

    /// The account's saved proxy cannot be used.
    #[error("{0}")]
    Proxy(#[from] ProxyStoreError),
}

impl AccountsError {
    pub(crate) fn invalid(field: &'static str, message: impl Into<String>) -> Self {
        AccountsError::InvalidInput {
            field,
            message: message.into(),
        }
    }

    /// A stable machine-readable code: Telegram's error name for RPC errors, else one of
    /// `NO_SUCH_ACCOUNT`, `ALREADY_SIGNED_IN`, `INVALID_INPUT`, `API_CREDENTIALS_MISSING`,
    /// `LOCAL_NETWORK`, `LOCAL_NETWORK_UNAVAILABLE`, `NOT_SIGNED_IN`, `LOGIN_STEP`, `DATABASE`,
    /// `KEYRING`, `STORAGE`, `PROXY`, and the client's own codes (`FLOOD_WAIT`, `NETWORK`,
    /// `TIMEOUT`, `UNAUTHORIZED`, …).
    pub fn code(&self) -> &str {
        match self {
            AccountsError::NoSuchAccount(_) => "NO_SUCH_ACCOUNT",
            AccountsError::AlreadySignedIn { .. } => "ALREADY_SIGNED_IN",
            AccountsError::InvalidInput { .. } => "INVALID_INPUT",
            AccountsError::ApiCredentialsMissing { .. } => "API_CREDENTIALS_MISSING",
            AccountsError::LocalNetwork { .. } => "LOCAL_NETWORK",
            AccountsError::BuiltinLocalUnavailable(_) => "LOCAL_NETWORK_UNAVAILABLE",
            AccountsError::NotSignedIn(_) => "NOT_SIGNED_IN",
            AccountsError::LoginStep(_) => "LOGIN_STEP",
            AccountsError::Store(_) => "DATABASE",
            AccountsError::Storage(e) => storage_code(e),
            AccountsError::Proxy(_) => "PROXY",
        }
    }

    /// The form field the error concerns (`phone`, `code`, `password`, `first_name`,
    /// `last_name`, `bot_token`, `api_id`, `api_hash`, `network`, `proxy`, `qr`), if any.
    pub fn field(&self) -> Option<&'static str> {
        match self {
            AccountsError::InvalidInput { field, .. } => Some(field),
            AccountsError::ApiCredentialsMissing { .. } => Some("api_id"),
            AccountsError::LocalNetwork { .. } | AccountsError::BuiltinLocalUnavailable(_) => {
                Some("network")
            }
            AccountsError::Proxy(_) => Some("proxy"),
            _ => None,
        }
    }
}

fn storage_code(e: &StorageError) -> &'static str {
    match e.kind() {
        StorageErrorKind::Keyring => "KEYRING",
        StorageErrorKind::Database => "DATABASE",
        _ => "STORAGE",
    }
}

impl From<StoreError> for AccountsError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NoSuchAccount(id) => AccountsError::NoSuchAccount(id),
            StoreError::DuplicateAccount {
                network,
                user_id,
                existing,
                label,
            } => AccountsError::AlreadySignedIn {
                network,
                user_id,
                existing,
                label,
            },
            other => AccountsError::Store(other),
        }
    }
}

impl From<StorageError> for AccountsError {
    fn from(e: StorageError) -> Self {
        AccountsError::Storage(e)
    }
}
