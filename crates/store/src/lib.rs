//! Hearth's local storage.
//!
//! * [`paths::data_dir`] finds (and creates, private to the user) the data directory;
//!   `HEARTH_DATA_DIR` overrides it.
//! * [`InstanceLock`] makes sure only one Hearth process uses a data directory at a time.
//! * [`Database`] is the SQLite database `<data dir>/hearth.sqlite3`: accounts, settings and
//!   the DC address book, with versioned migrations.
//! * [`secrets::SecretStore`] keeps binary secrets (auth keys) in the OS keyring, never on disk
//!   in plaintext.
//! * [`session::SqliteSessionStorage`] is `hearth-session`'s storage for one account: its home
//!   DC, DC addresses, peers and update state in the database, its auth keys in the keyring.
//!
//! Startup order for the app: data directory, then the lock (before anything touches the
//! database), then the database, then the keyring probe (so a missing keyring is shown before
//! any login):
//!
//! ```no_run
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let dir = hearth_store::paths::data_dir()?;
//! let _lock = match hearth_store::InstanceLock::acquire(&dir) {
//!     Ok(lock) => lock, // keep alive until the process exits
//!     Err(e) => return Err(e.into()), // HeldByOther: show e.to_string() and quit
//! };
//! let db = hearth_store::Database::open(&dir)?;
//! let secrets = hearth_store::secrets::SecretStore::for_data_dir(&dir);
//! if let Err(e) = secrets.probe() {
//!     eprintln!("{e}"); // e.g. "No Secret Service on D-Bus (...): install and unlock ..."
//! }
//! for account in db.list_accounts()? {
//!     let kind = hearth_store::secrets::auth_key_kind(account.dc_id);
//!     let _auth_key = secrets.get(account.id, &kind)?;
//! }
//! # Ok(()) }
//! ```
//!
//! Invariant: nothing in this crate logs or `Debug`-prints a secret value.

mod accounts;
mod db;
mod dc_options;
mod error;
mod lock;
mod migrations;
pub mod paths;
pub mod secrets;
pub mod session;
mod settings;

pub use accounts::{Account, AccountId, AccountProfile, NewAccount};
pub use db::{Database, APPLICATION_ID, DATABASE_FILE_NAME};
pub use dc_options::DcOption;
pub use error::StoreError;
pub use lock::{InstanceLock, LockError, LOCK_FILE_NAME};
pub use migrations::SCHEMA_VERSION;

/// Which Telegram network an account (or a DC address) belongs to.
///
/// Stored as the text `production`, `test` or `local` (a `CHECK` constraint in the schema
/// enforces these values).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Network {
    /// Telegram's production DCs.
    Production,
    /// Telegram's test DCs.
    Test,
    /// A DC emulator on loopback (`localdc`).
    Local,
}

impl Network {
    /// The text stored in the database.
    pub fn as_str(self) -> &'static str {
        match self {
            Network::Production => "production",
            Network::Test => "test",
            Network::Local => "local",
        }
    }
}

impl std::fmt::Display for Network {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::str::FromStr for Network {
    type Err = StoreError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "production" => Ok(Network::Production),
            "test" => Ok(Network::Test),
            "local" => Ok(Network::Local),
            other => Err(StoreError::InvalidValue {
                what: "network",
                value: other.to_owned(),
            }),
        }
    }
}

impl rusqlite::ToSql for Network {
    fn to_sql(&self) -> rusqlite::Result<rusqlite::types::ToSqlOutput<'_>> {
        Ok(self.as_str().into())
    }
}

impl rusqlite::types::FromSql for Network {
    fn column_result(value: rusqlite::types::ValueRef<'_>) -> rusqlite::types::FromSqlResult<Self> {
        let text = value.as_str()?;
        text.parse()
            .map_err(|e: StoreError| rusqlite::types::FromSqlError::Other(Box::new(e)))
    }
}

/// Seconds since the Unix epoch, as stored in `*_at` columns.
pub(crate) fn unix_now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
        .unwrap_or(0)
}
