//! Which network an account signs in to ([`NetworkSpec`]), and where that is remembered.
//!
//! * production and test: the DC tables and server keys are built in; the `api_id`/`api_hash`
//!   from my.telegram.org (core.telegram.org/api/obtaining_api_id) are per network, asked once
//!   and kept in `settings` ([`ApiCredentials`]);
//! * local, external: a localdc described by the JSON line it printed on start, saved in a
//!   file; the account keeps the file's path (`accounts.local_source`) and the file is re-read
//!   at every start, so a localdc restarted on new ports with the same state directory keeps
//!   serving the account;
//! * local, built in: the app's own Local test network (localdc inside the app), whose
//!   announcement the app hands over through [`BuiltinLocalNetwork`]; stored as `builtin`.

use std::future::Future;
use std::path::{Path, PathBuf};
use std::pin::Pin;

use hearth_store::{Account, Network};

use crate::error::AccountsError;

/// `accounts.local_source` of accounts on the app's built-in Local test network.
pub const BUILTIN_LOCAL: &str = "builtin";

/// The `api_id`/`api_hash` pair issued at my.telegram.org. The hash is not shown by `Debug`.
#[derive(Clone, PartialEq, Eq)]
pub struct ApiCredentials {
    pub api_id: i32,
    pub api_hash: String,
}

impl std::fmt::Debug for ApiCredentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ApiCredentials")
            .field("api_id", &self.api_id)
            .finish_non_exhaustive()
    }
}

impl ApiCredentials {
    /// Checks the form: `api_id` positive, `api_hash` 32 hexadecimal digits.
    pub fn new(api_id: i32, api_hash: &str) -> Result<Self, AccountsError> {
        if api_id <= 0 {
            return Err(AccountsError::invalid(
                "api_id",
                "the api_id is the number shown as \"App api_id\" on my.telegram.org under API development tools",
            ));
        }
        let hash = api_hash.trim();
        if hash.len() != 32 || !hash.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(AccountsError::invalid(
                "api_hash",
                "the api_hash is the 32 letters and digits shown as \"App api_hash\" on my.telegram.org under API development tools",
            ));
        }
        Ok(Self {
            api_id,
            api_hash: hash.to_ascii_lowercase(),
        })
    }

    pub(crate) fn setting_keys(network: Network) -> (String, String) {
        (
            format!("api/{}/id", network.as_str()),
            format!("api/{}/hash", network.as_str()),
        )
    }
}

/// The network a login signs in to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum NetworkSpec {
    /// A localdc described by the announcement line it printed, in this file.
    Local { announcement: PathBuf },
    /// The app's built-in Local test network (see [`BuiltinLocalNetwork`]).
    BuiltinLocal,
    /// Telegram. `None`: use the credentials saved for this network.
    Production { api: Option<ApiCredentials> },
    /// Telegram's test network. `None`: use the credentials saved for it.
    Test { api: Option<ApiCredentials> },
}

impl NetworkSpec {
    /// The network as stored with the account.
    pub fn network(&self) -> Network {
        match self {
            NetworkSpec::Local { .. } | NetworkSpec::BuiltinLocal => Network::Local,
            NetworkSpec::Production { .. } => Network::Production,
            NetworkSpec::Test { .. } => Network::Test,
        }
    }

    /// What `accounts.local_source` keeps: the announcement file's absolute path, or
    /// [`BUILTIN_LOCAL`]; `None` for production and test.
    pub(crate) fn local_source(&self) -> Result<Option<String>, AccountsError> {
        match self {
            NetworkSpec::Local { announcement } => {
                let absolute = std::path::absolute(announcement).map_err(|e| {
                    AccountsError::invalid(
                        "network",
                        format!(
                            "the announcement path {} cannot be made absolute ({e}); give the full path",
                            announcement.display()
                        ),
                    )
                })?;
                let text = absolute.to_str().ok_or_else(|| {
                    AccountsError::invalid(
                        "network",
                        format!(
                            "the announcement path {} is not valid UTF-8; move the file to a path with plain characters",
                            absolute.display()
                        ),
                    )
                })?;
                Ok(Some(text.to_owned()))
            }
            NetworkSpec::BuiltinLocal => Ok(Some(BUILTIN_LOCAL.to_owned())),
            NetworkSpec::Production { .. } | NetworkSpec::Test { .. } => Ok(None),
        }
    }

    /// The spec a stored account connects with (production and test with their saved
    /// credentials).
    pub(crate) fn of_account(account: &Account) -> Result<Self, AccountsError> {
        Ok(match account.network {
            Network::Production => NetworkSpec::Production { api: None },
            Network::Test => NetworkSpec::Test { api: None },
            Network::Local => match account.local_source.as_deref() {
                Some(BUILTIN_LOCAL) => NetworkSpec::BuiltinLocal,
                Some(path) => NetworkSpec::Local {
                    announcement: Path::new(path).to_path_buf(),
                },
                None => {
                    return Err(AccountsError::LocalNetwork {
                        source_name: format!("account {}", account.id),
                        detail: "it does not record which local network it was made on (it predates this Hearth); remove it and sign in again".into(),
                    })
                }
            },
        })
    }
}

/// The future [`BuiltinLocalNetwork::announcement`] returns.
pub type AnnouncementFuture<'a> = Pin<Box<dyn Future<Output = Result<String, String>> + Send + 'a>>;

/// The app's built-in Local test network, as the account service sees it: something that
/// gives the announcement line of the running in-process localdc, starting it first if needed.
/// The error is a sentence saying why it could not start.
pub trait BuiltinLocalNetwork: Send + Sync {
    fn announcement(&self) -> AnnouncementFuture<'_>;
}
