//! The SQLite database `<data dir>/hearth.sqlite3`.
//!
//! Opened in WAL mode (readers never block the writer), with foreign keys enforced and a busy
//! timeout so short write contention between connections waits instead of failing.

use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::{Connection, OpenFlags};

use crate::migrations::{migrate, MigrateError, SCHEMA_VERSION};
use crate::StoreError;

/// Name of the database file inside the data directory.
pub const DATABASE_FILE_NAME: &str = "hearth.sqlite3";

/// `PRAGMA application_id` of Hearth databases: "HRTH" in ASCII, set by migration 1.
pub const APPLICATION_ID: i32 = i32::from_be_bytes(*b"HRTH");

/// How long a connection waits for another connection's write lock before giving up.
const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// An open, migrated Hearth database. Not `Sync`: give each thread its own (several can be open
/// at once) or wrap it in a mutex.
#[derive(Debug)]
pub struct Database {
    pub(crate) conn: Connection,
    path: PathBuf,
}

impl Database {
    /// Opens (creating if needed) `<dir>/hearth.sqlite3` and brings its schema up to
    /// [`SCHEMA_VERSION`]. A database from a newer Hearth is refused with
    /// [`StoreError::TooNew`] before anything is written to it.
    pub fn open(dir: &Path) -> Result<Database, StoreError> {
        let path = dir.join(DATABASE_FILE_NAME);
        let open_err = |source| StoreError::Open {
            path: path.clone(),
            source,
        };
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE
            | OpenFlags::SQLITE_OPEN_CREATE
            | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let mut conn = Connection::open_with_flags(&path, flags).map_err(open_err)?;
        conn.busy_timeout(BUSY_TIMEOUT).map_err(open_err)?;

        // Check the version first: changing the journal mode writes to the file.
        let found: i64 = conn
            .query_row("PRAGMA user_version", [], |row| row.get(0))
            .map_err(|e| classify_open_error(&path, e))?;
        // A file of another program: either marked as such, or carrying a schema version
        // without our mark.
        let app_id: i32 = conn
            .query_row("PRAGMA application_id", [], |row| row.get(0))
            .map_err(|e| classify_open_error(&path, e))?;
        if app_id != APPLICATION_ID && (app_id != 0 || found != 0) {
            return Err(StoreError::NotADatabase { path });
        }
        if found < 0 {
            return Err(StoreError::InvalidSchemaVersion { path, found });
        }
        if found > SCHEMA_VERSION {
            tracing::error!(path = %path.display(), found, supported = SCHEMA_VERSION, "database is from a newer Hearth; refusing to open it");
            return Err(StoreError::TooNew {
                path,
                found,
                supported: SCHEMA_VERSION,
            });
        }

        let mode = switch_to_wal(&conn).map_err(|e| classify_open_error(&path, e))?;
        if !mode.eq_ignore_ascii_case("wal") {
            return Err(StoreError::NoWal { path, mode });
        }
        conn.pragma_update(None, "foreign_keys", true)
            .map_err(open_err)?;
        // NORMAL is durable across application crashes in WAL mode; only an OS crash can lose
        // the last transactions, never corrupt the file.
        conn.pragma_update(None, "synchronous", "NORMAL")
            .map_err(open_err)?;

        if found != SCHEMA_VERSION {
            let from = migrate(&mut conn).map_err(|e| match e {
                MigrateError::TooNew { found } => StoreError::TooNew {
                    path: path.clone(),
                    found,
                    supported: SCHEMA_VERSION,
                },
                MigrateError::InvalidVersion { found } => StoreError::InvalidSchemaVersion {
                    path: path.clone(),
                    found,
                },
                MigrateError::Failed { version, source } => StoreError::Migration {
                    path: path.clone(),
                    version,
                    source,
                },
                MigrateError::ForeignKeys { version, table } => StoreError::MigrationForeignKeys {
                    path: path.clone(),
                    version,
                    table,
                },
            })?;
            tracing::info!(path = %path.display(), from, to = SCHEMA_VERSION, "database schema up to date");
        }
        Ok(Database { conn, path })
    }

    /// The database file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The schema version stored in the file.
    pub fn schema_version(&self) -> Result<i64, StoreError> {
        Ok(self
            .conn
            .query_row("PRAGMA user_version", [], |row| row.get(0))?)
    }

    /// The underlying connection, for repositories in other crates that query tables this
    /// crate's migrations create (hearth-diagnose's `proxies_db` reads and writes the `proxies`
    /// table of migration 2). The schema stays this crate's: callers run no DDL through it.
    pub fn connection(&self) -> &Connection {
        &self.conn
    }

    /// The journal mode in effect (`"wal"` for every database this crate opens).
    pub fn journal_mode(&self) -> Result<String, StoreError> {
        Ok(self
            .conn
            .query_row("PRAGMA journal_mode", [], |row| row.get(0))?)
    }
}

fn classify_open_error(path: &Path, e: rusqlite::Error) -> StoreError {
    match e.sqlite_error_code() {
        Some(rusqlite::ErrorCode::NotADatabase) => StoreError::NotADatabase {
            path: path.to_path_buf(),
        },
        _ => StoreError::Open {
            path: path.to_path_buf(),
            source: e,
        },
    }
}

/// Sets WAL journal mode. Switching a fresh file to WAL needs an exclusive lock, and
/// SQLite answers `SQLITE_BUSY` at once, without calling the busy handler, while another
/// connection opening the same new file holds it; so retry for up to [`BUSY_TIMEOUT`].
fn switch_to_wal(conn: &Connection) -> rusqlite::Result<String> {
    let deadline = std::time::Instant::now() + BUSY_TIMEOUT;
    loop {
        match conn.query_row("PRAGMA journal_mode = WAL", [], |row| row.get(0)) {
            Err(rusqlite::Error::SqliteFailure(e, _))
                if e.code == rusqlite::ErrorCode::DatabaseBusy
                    && std::time::Instant::now() < deadline =>
            {
                std::thread::sleep(std::time::Duration::from_millis(5));
            }
            other => return other,
        }
    }
}
