//! Opening another client's SQLite session file without changing it, and
//! reading its layout.
//!
//! The file is opened read-only (`SQLITE_OPEN_READ_ONLY`, no create), so
//! nothing Hearth does writes to it, and with no busy timeout: a file that a
//! running client holds locked is reported as in use at once (that client and
//! Hearth must not use the key at the same time anyway).

use std::path::Path;
use std::time::Duration;

use std::fs::OpenOptions;

use rusqlite::{Connection, ErrorCode, OpenFlags, Transaction};

use crate::error::Error;

pub fn open_read_only(path: &Path) -> Result<Connection, Error> {
    // SQLite's own words for these ("unable to open database file", "disk I/O error")
    // do not say what is wrong.
    let not_a_file = |detail: &str| Error::Open {
        path: path.to_owned(),
        detail: detail.into(),
    };
    match std::fs::metadata(path) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Err(not_a_file("there is no such file"))
        }
        Ok(m) if m.is_dir() => {
            return Err(not_a_file(
                "it is a folder, not a session file; a Telegram Desktop tdata folder is imported as tdata (--format tdata)",
            ))
        }
        _ => {}
    }
    let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let open_err = |e: rusqlite::Error| Error::Open {
        path: path.to_owned(),
        detail: e.to_string(),
    };
    let conn = Connection::open_with_flags(path, flags).map_err(open_err)?;
    // rusqlite waits 5 s on a lock by default; a held file is answered at once.
    conn.busy_timeout(Duration::ZERO).map_err(open_err)?;
    Ok(conn)
}

/// Maps an SQLite failure while reading `path`: locked and not-a-database get
/// their own errors, anything else is reported through `other`.
pub fn failure(path: &Path, error: rusqlite::Error, other: impl FnOnce(String) -> Error) -> Error {
    match error.sqlite_error_code() {
        Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked) => Error::Locked {
            path: path.to_owned(),
        },
        Some(ErrorCode::NotADatabase) => Error::NotSqlite {
            path: path.to_owned(),
            detail: error.to_string(),
        },
        _ => other(error.to_string()),
    }
}

/// The names of the database's tables, sorted.
pub fn tables(conn: &Connection) -> rusqlite::Result<Vec<String>> {
    let mut stmt =
        conn.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")?;
    let names = stmt.query_map([], |row| row.get(0))?;
    names.collect()
}

/// The column names of `table` (which must be one of [`tables`]).
pub fn columns(conn: &Connection, table: &str) -> rusqlite::Result<Vec<String>> {
    let mut stmt = conn.prepare("SELECT name FROM pragma_table_info(?1)")?;
    let names = stmt.query_map([table], |row| row.get(0))?;
    names.collect()
}

/// Creates a new database at `path` and fills it in one transaction. The name is claimed
/// first (`create_new`), so an existing file is never opened for writing; on any failure
/// the half-made file is removed.
pub fn create_new(
    path: &Path,
    fill: impl FnOnce(&Transaction<'_>) -> rusqlite::Result<()>,
) -> Result<(), Error> {
    let write_err = |detail: String| Error::Write {
        path: path.to_owned(),
        detail,
    };
    OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .map_err(|e| match e.kind() {
            std::io::ErrorKind::AlreadyExists => Error::Exists {
                path: path.to_owned(),
            },
            _ => write_err(e.to_string()),
        })?;
    let result = (|| -> rusqlite::Result<()> {
        let mut conn = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_WRITE)?;
        let tx = conn.transaction()?;
        fill(&tx)?;
        tx.commit()
    })();
    result.map_err(|e| {
        let _ = std::fs::remove_file(path);
        write_err(e.to_string())
    })
}
