//! What the account commands run in: the data directory (`--data-dir`, else
//! `$HEARTH_DATA_DIR`, else the platform default), its instance lock — the same lock the app
//! takes, so the two never use one directory at once — the database, and the account service
//! with auth keys in the OS keyring.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use hearth_accounts::{Accounts, AccountsOptions};
use hearth_store::secrets::SecretStore;
use hearth_store::{Database, InstanceLock, LockError};

use crate::exit::{self, Failure};

/// An opened data directory. Dropping it releases the lock.
pub struct Context {
    pub accounts: Accounts,
    // Dropped last: the lock outlives the database handle inside `accounts`.
    _lock: InstanceLock,
}

/// The data directory to use, created (private to the user) if missing.
pub fn data_dir(given: Option<&Path>) -> Result<PathBuf, Failure> {
    let dir = match given {
        Some(dir) => {
            hearth_store::paths::ensure_private_dir(dir)
                .map_err(|e| Failure::new(exit::USAGE, "DATA_DIR", e.to_string()))?;
            std::path::absolute(dir).unwrap_or_else(|_| dir.to_path_buf())
        }
        None => hearth_store::paths::data_dir()
            .map_err(|e| Failure::new(exit::USAGE, "DATA_DIR", e.to_string()))?,
    };
    Ok(dir)
}

/// Locks the data directory, opens the database and the account service. Must run inside a
/// tokio runtime (the service's clients start tasks).
pub fn open(given: Option<&Path>) -> Result<Context, Failure> {
    open_with(given, false)
}

/// [`open`], with the clients' update loops running when `updates` is set (for commands
/// that stream updates).
pub fn open_with(given: Option<&Path>, updates: bool) -> Result<Context, Failure> {
    let dir = data_dir(given)?;
    let lock = InstanceLock::acquire(&dir).map_err(|e| match e {
        e @ LockError::HeldByOther { .. } => {
            Failure::new(exit::ALREADY_RUNNING, "ALREADY_RUNNING", e.to_string())
        }
        other => Failure::new(exit::LOCK, "LOCK", other.to_string()),
    })?;
    let database = Database::open(&dir)
        .map_err(|e| Failure::new(exit::DATABASE, "DATABASE", e.to_string()))?;
    let secrets = SecretStore::for_data_dir(&dir);
    let accounts = Accounts::new(&dir, Arc::new(Mutex::new(database)), secrets);
    // One command, then exit: no update loop unless asked; the session list names the CLI.
    accounts.set_options(AccountsOptions {
        catch_up: updates,
        device_model: Some(format!("Hearth CLI on {}", std::env::consts::OS)),
        ..AccountsOptions::default()
    });
    Ok(Context {
        accounts,
        _lock: lock,
    })
}
