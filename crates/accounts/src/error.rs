//! [`AccountsError`]: every way an account operation fails, with a stable machine-readable
//! [`code`](AccountsError::code), the form [`field`](AccountsError::field) it concerns, and a
//! message in plain words that says what to do next. Telegram's RPC error names pass through
//! as codes (`PHONE_CODE_INVALID`, …; core.telegram.org/api/errors).

use hearth_client::ClientError;
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

    /// An imported session's key is one an account here already holds.
    #[error(
        "this session's key (auth_key_id {key_id:#018x}) is already account {existing} \"{label}\" in Hearth; \
         one session used in two places gets terminated by Telegram (AUTH_KEY_DUPLICATED), so it is not added twice"
    )]
    KeyAlreadyHeld {
        existing: AccountId,
        label: String,
        key_id: u64,
    },

    /// The server does not accept an imported session's key.
    #[error(
        "DC {dc} does not accept the key of this {source_format}: the session was logged out or \
         terminated (or belongs to another network); nothing was imported. Sign in again with \
         that library, or add the account in Hearth"
    )]
    KeyRejected {
        dc: i32,
        source_format: &'static str,
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

    /// The client failed: Telegram refused (`source.code()` is the RPC error's name), or the
    /// network, the storage or the protocol failed. `field` is the form field of the step
    /// that failed, when the error itself does not name one.
    #[error("{}", client_message(.source))]
    Client {
        source: ClientError,
        field: Option<&'static str>,
    },

    /// The account's saved proxy cannot be used.
    #[error("{0}")]
    Proxy(#[from] ProxyStoreError),

    /// A pasted Bot API file id that is malformed or names nothing sendable.
    #[error("{0}")]
    FileId(hearth_client::FileError),
}

impl AccountsError {
    pub(crate) fn client(source: ClientError, field: Option<&'static str>) -> Self {
        AccountsError::Client { source, field }
    }

    /// Seconds until a flood wait ends, for a countdown.
    pub fn retry_after_secs(&self) -> Option<u32> {
        match self {
            AccountsError::Client { source, .. } => source.retry_after(),
            _ => None,
        }
    }

    pub(crate) fn invalid(field: &'static str, message: impl Into<String>) -> Self {
        AccountsError::InvalidInput {
            field,
            message: message.into(),
        }
    }

    /// A stable machine-readable code: Telegram's error name for RPC errors, else one of
    /// `NO_SUCH_ACCOUNT`, `ALREADY_SIGNED_IN`, `SESSION_ALREADY_HELD`, `SESSION_KEY_REJECTED`, `INVALID_INPUT`, `API_CREDENTIALS_MISSING`,
    /// `LOCAL_NETWORK`, `LOCAL_NETWORK_UNAVAILABLE`, `NOT_SIGNED_IN`, `LOGIN_STEP`, `DATABASE`,
    /// `KEYRING`, `STORAGE`, `PROXY`, and the client's own codes (`FLOOD_WAIT`, `NETWORK`,
    /// `TIMEOUT`, `UNAUTHORIZED`, …).
    pub fn code(&self) -> &str {
        match self {
            AccountsError::NoSuchAccount(_) => "NO_SUCH_ACCOUNT",
            AccountsError::AlreadySignedIn { .. } => "ALREADY_SIGNED_IN",
            AccountsError::KeyAlreadyHeld { .. } => "SESSION_ALREADY_HELD",
            AccountsError::KeyRejected { .. } => "SESSION_KEY_REJECTED",
            AccountsError::InvalidInput { .. } => "INVALID_INPUT",
            AccountsError::ApiCredentialsMissing { .. } => "API_CREDENTIALS_MISSING",
            AccountsError::LocalNetwork { .. } => "LOCAL_NETWORK",
            AccountsError::BuiltinLocalUnavailable(_) => "LOCAL_NETWORK_UNAVAILABLE",
            AccountsError::NotSignedIn(_) => "NOT_SIGNED_IN",
            AccountsError::LoginStep(_) => "LOGIN_STEP",
            AccountsError::Store(_) => "DATABASE",
            AccountsError::Storage(e) => storage_code(e),
            AccountsError::Proxy(_) => "PROXY",
            AccountsError::FileId(e) => e.code(),
            AccountsError::Client {
                source: ClientError::Storage(e),
                ..
            } => storage_code(e),
            AccountsError::Client { source, .. } => source.code(),
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
            AccountsError::KeyAlreadyHeld { .. } | AccountsError::KeyRejected { .. } => {
                Some("session")
            }
            AccountsError::Client { source, field } => field_of_code(source.code()).or(*field),
            AccountsError::FileId(_) => Some("file_id"),
            _ => None,
        }
    }
}

/// The form field an RPC error concerns, by its name.
fn field_of_code(code: &str) -> Option<&'static str> {
    Some(match code {
        "PHONE_NUMBER_INVALID"
        | "PHONE_NUMBER_BANNED"
        | "PHONE_NUMBER_FLOOD"
        | "PHONE_NUMBER_UNOCCUPIED"
        | "PHONE_NUMBER_OCCUPIED"
        | "PHONE_NUMBER_APP_SIGNUP_FORBIDDEN" => "phone",
        "PHONE_CODE_EMPTY"
        | "PHONE_CODE_INVALID"
        | "PHONE_CODE_EXPIRED"
        | "PHONE_CODE_HASH_EMPTY"
        | "CODE_INVALID" => "code",
        "PASSWORD_HASH_INVALID"
        | "PASSWORD_EMPTY"
        | "SRP_ID_INVALID"
        | "SRP_PASSWORD_CHANGED"
        | "PASSWORD_PARAMS" => "password",
        "FIRSTNAME_INVALID" => "first_name",
        "LASTNAME_INVALID" => "last_name",
        "ACCESS_TOKEN_INVALID" | "ACCESS_TOKEN_EXPIRED" => "bot_token",
        "API_ID_INVALID" | "API_ID_PUBLISHED_FLOOD" => "api_id",
        "AUTH_TOKEN_EXPIRED"
        | "AUTH_TOKEN_ALREADY_ACCEPTED"
        | "AUTH_TOKEN_INVALID"
        | "AUTH_TOKEN_INVALIDX" => "qr",
        "HASH_INVALID" => "hash",
        _ => return None,
    })
}

/// The client's message, with more words where a user needs them.
fn client_message(e: &ClientError) -> String {
    match e.code() {
        "PHONE_CODE_EXPIRED" => {
            "The login code has expired. Request a new one. Telegram cancels a login \
            code at once when it is sent or pasted into any chat (even Saved Messages), to protect \
            the account: type the new code only here."
                .to_owned()
        }
        "FRESH_RESET_AUTHORISATION_FORBIDDEN" => "Telegram lets a session end other sessions only \
            once it is 24 hours old. Try again tomorrow, or end them from an older session."
            .to_owned(),
        _ => e.to_string(),
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

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use hearth_client::RpcError;

    use super::*;

    #[test]
    fn codes_fields_and_advice() {
        let expired = AccountsError::client(
            ClientError::Rpc(RpcError::new(400, "PHONE_CODE_EXPIRED")),
            None,
        );
        assert_eq!(
            (expired.code(), expired.field()),
            ("PHONE_CODE_EXPIRED", Some("code"))
        );
        assert!(expired.to_string().contains("any chat"), "{expired}");

        // The error's own field wins over the step's.
        let phone = AccountsError::client(
            ClientError::Rpc(RpcError::new(400, "PHONE_NUMBER_INVALID")),
            Some("code"),
        );
        assert_eq!(phone.field(), Some("phone"));
        let unknown = AccountsError::client(
            ClientError::Rpc(RpcError::new(400, "SOMETHING_NEW")),
            Some("password"),
        );
        assert_eq!(
            (unknown.code(), unknown.field()),
            ("SOMETHING_NEW", Some("password"))
        );

        let keyring = AccountsError::client(
            ClientError::Storage(Arc::new(StorageError::new(
                StorageErrorKind::Keyring,
                "save the auth key of account 1 for DC 2",
                "no Secret Service",
            ))),
            Some("network"),
        );
        assert_eq!(keyring.code(), "KEYRING");
        assert!(keyring.to_string().contains("keyring"), "{keyring}");
    }
}
