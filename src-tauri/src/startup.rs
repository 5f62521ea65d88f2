//! Startup before any window exists: resolve the data directory, take the
//! single-instance lock, open the database. Every failure becomes a
//! [`StartupError`] with a message for the user and a distinct exit code.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use hearth_accounts::{Accounts, AccountsOptions, Media, Transfers};
use hearth_store::secrets::SecretStore;
use hearth_store::{Database, InstanceLock, LockError, StoreError};

use crate::accounts::builtin::AppLocalNetwork;
use crate::accounts::AppAccounts;
use crate::diagnostics::Diagnostics;
use crate::info::AppInfo;

/// Exit code: the data directory cannot be found or created.
pub const EXIT_DATA_DIR: u8 = 2;
/// Exit code: another Hearth process uses the data directory.
pub const EXIT_ALREADY_RUNNING: u8 = 3;
/// Exit code: the instance lock could not be taken for another reason.
pub const EXIT_LOCK: u8 = 4;
/// Exit code: the database cannot be opened or upgraded.
pub const EXIT_DATABASE: u8 = 5;

/// Environment variable that suppresses the native error dialog (tests set it).
pub const NO_DIALOG_ENV: &str = "HEARTH_NO_DIALOG";

/// Why the app could not start. `Display` is the message shown to the user.
#[derive(Debug, thiserror::Error)]
pub enum StartupError {
    /// The data directory is unusable.
    #[error("{0}")]
    DataDir(#[source] StoreError),
    /// Another process holds the data directory's lock.
    #[error("{0}")]
    AlreadyRunning(#[source] LockError),
    /// The lock file could not be created or locked.
    #[error("{0}")]
    Lock(#[source] LockError),
    /// The database could not be opened.
    #[error("{0}")]
    Database(#[source] StoreError),
}

impl StartupError {
    /// The process exit code for this failure.
    pub fn exit_code(&self) -> u8 {
        match self {
            StartupError::DataDir(_) => EXIT_DATA_DIR,
            StartupError::AlreadyRunning(_) => EXIT_ALREADY_RUNNING,
            StartupError::Lock(_) => EXIT_LOCK,
            StartupError::Database(_) => EXIT_DATABASE,
        }
    }
}

/// Everything the running app owns. Holding it keeps the instance lock.
pub struct AppState {
    info: AppInfo,
    database: Arc<Mutex<Database>>,
    diagnostics: Arc<Diagnostics>,
    accounts: AppAccounts,
    transfers: Transfers,
    media: Media,
    // Dropped last: the lock outlives the database handle.
    _lock: InstanceLock,
}

impl AppState {
    /// Facts about this installation.
    pub fn info(&self) -> &AppInfo {
        &self.info
    }

    /// The database, for commands that read or write it.
    pub fn database(&self) -> &Mutex<Database> {
        &self.database
    }

    /// The Diagnostics page's state (local test network, proxies, latest results).
    pub fn diagnostics(&self) -> &Diagnostics {
        &self.diagnostics
    }

    /// The accounts (over the shared account service) and the logins in progress.
    pub fn accounts(&self) -> &AppAccounts {
        &self.accounts
    }

    /// The media transfers of this run (over the same account service).
    pub fn transfers(&self) -> &Transfers {
        &self.transfers
    }

    /// The pictures the chats show, cached per account (over the same account service).
    pub fn media(&self) -> &Media {
        &self.media
    }
}

/// Prepares the state using the data directory from
/// `hearth_store::paths::data_dir()` (honours `HEARTH_DATA_DIR`).
pub fn prepare() -> Result<AppState, StartupError> {
    let dir = hearth_store::paths::data_dir().map_err(StartupError::DataDir)?;
    prepare_in(&dir)
}

/// Prepares the state in `dir`: lock first, then the database, so a second
/// instance never touches a database another process has open.
pub fn prepare_in(dir: &Path) -> Result<AppState, StartupError> {
    let lock = InstanceLock::acquire(dir).map_err(|error| match error {
        LockError::HeldByOther { .. } => StartupError::AlreadyRunning(error),
        other => StartupError::Lock(other),
    })?;
    let database = Arc::new(Mutex::new(
        Database::open(dir).map_err(StartupError::Database)?,
    ));
    let database_path: PathBuf = dir.join(hearth_store::DATABASE_FILE_NAME);
    let diagnostics = Arc::new(Diagnostics::new(dir));
    let accounts = Accounts::new(dir, database.clone(), SecretStore::for_data_dir(dir));
    accounts.set_builtin_local(Arc::new(AppLocalNetwork(diagnostics.clone())));
    accounts.set_options(AccountsOptions {
        // The app keeps each open account's updates flowing.
        catch_up: true,
        ..AccountsOptions::default()
    });
    Ok(AppState {
        info: AppInfo::collect(dir, &database_path),
        database,
        diagnostics,
        transfers: Transfers::new(accounts.clone()),
        media: Media::new(accounts.clone()),
        accounts: AppAccounts::new(accounts),
        _lock: lock,
    })
}

/// Tells the user about a fatal startup failure: always on stderr, and in a
/// native dialog when a display is available and `HEARTH_NO_DIALOG` is not `1`.
pub fn report_fatal(message: &str) {
    eprintln!("hearth: {message}");
    if dialog_wanted() {
        // The dialog is a convenience; stderr already has the message, so
        // the dialog's own result does not matter.
        let _ = rfd::MessageDialog::new()
            .set_level(rfd::MessageLevel::Error)
            .set_title("Hearth cannot start")
            .set_description(message)
            .set_buttons(rfd::MessageButtons::Ok)
            .show();
    }
}

fn dialog_wanted() -> bool {
    dialog_wanted_in(|name| std::env::var_os(name))
}

/// Whether to show the native dialog, given a view of the environment:
/// never with `HEARTH_NO_DIALOG=1`; on Linux and the BSDs only with an X11 or
/// Wayland display to show it on.
pub fn dialog_wanted_in(env: impl Fn(&str) -> Option<std::ffi::OsString>) -> bool {
    if env(NO_DIALOG_ENV).is_some_and(|v| v == "1") {
        return false;
    }
    if cfg!(any(target_os = "windows", target_os = "macos")) {
        return true;
    }
    ["DISPLAY", "WAYLAND_DISPLAY"]
        .iter()
        .any(|name| env(name).is_some_and(|v| !v.is_empty()))
}
