//! Errors of the data directory and the database.

use std::path::PathBuf;

/// A failure of the data directory or the database. Messages name the file involved and,
/// where the user can do something about it, what to do.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// Neither `HEARTH_DATA_DIR` nor a home directory is available.
    #[error(
        "cannot find a home directory to keep Hearth's data in; \
         set HEARTH_DATA_DIR to a writable directory and start Hearth again"
    )]
    NoHomeDir,

    /// The data directory could not be created or made private.
    #[error("cannot create the data directory {path}: {source}; check its permissions, or set HEARTH_DATA_DIR to a writable directory")]
    DataDir {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },

    /// The database file could not be opened or configured.
    #[error("cannot open the database {path}: {source}")]
    Open {
        path: PathBuf,
        #[source]
        source: rusqlite::Error,
    },

    /// The file exists but is not a SQLite database (or is encrypted / damaged).
    #[error("{path} is not a Hearth database (the file is damaged or belongs to another program); move it away and start Hearth again")]
    NotADatabase { path: PathBuf },

    /// The database was written by a newer Hearth; it is left untouched.
    #[error(
        "the database {path} has schema version {found}, but this Hearth only knows versions up to {supported}; \
         it was written by a newer Hearth. Update Hearth, or start it with HEARTH_DATA_DIR set to another directory. \
         The database was not modified"
    )]
    TooNew {
        path: PathBuf,
        found: i64,
        supported: i64,
    },

    /// The schema version is negative, which no Hearth writes; the file is left untouched.
    #[error("the database {path} has the invalid schema version {found}; it was changed by another program. Move it away and start Hearth again")]
    InvalidSchemaVersion { path: PathBuf, found: i64 },

    /// A schema migration failed; it was rolled back, the database stays at the version before.
    #[error("cannot upgrade the database {path} to schema version {version}: {source}")]
    Migration {
        path: PathBuf,
        version: i64,
        #[source]
        source: rusqlite::Error,
    },

    /// A schema migration left rows that violate foreign keys; it was rolled back.
    #[error("cannot upgrade the database {path} to schema version {version}: rows in table {table} would violate foreign keys")]
    MigrationForeignKeys {
        path: PathBuf,
        version: i64,
        table: String,
    },

    /// WAL journaling could not be enabled (e.g. the file system does not support it).
    #[error("the database {path} could not be switched to WAL journaling (journal mode is {mode:?}); keep the data directory on a local file system")]
    NoWal { path: PathBuf, mode: String },

    /// A query failed.
    #[error("database query failed: {0}")]
    Sqlite(#[from] rusqlite::Error),

    /// There is no account (or pending login) with this id.
    #[error(
        "there is no account {0}; it may have been removed (list the accounts to see their ids)"
    )]
    NoSuchAccount(crate::AccountId),

    /// The user signed in already has an account on this network.
    #[error(
        "Telegram user {user_id} is already signed in on the {network} network as account {existing} \"{label}\"; \
         use that account, or remove it before signing in again"
    )]
    DuplicateAccount {
        network: crate::Network,
        user_id: i64,
        existing: crate::AccountId,
        label: String,
    },

    /// A value read from or passed to the database is outside its domain.
    #[error("invalid {what}: {value:?}")]
    InvalidValue { what: &'static str, value: String },
}
