//! Telethon's `.session` file (telethon/sessions/sqlite.py, schema versions
//! 1–8): SQLite with a `sessions` table of `dc_id, server_address, port,
//! auth_key` (plus `takeout_id` from version 5 and `tmp_auth_key` from 8) and
//! the `entities`, `sent_files`, `update_state` and `version` tables. Telethon
//! keeps one row, for the DC it last used.
//!
//! [`write`] creates a version-8 file, the layout Telethon 1.45 creates, so it
//! opens it without an upgrade. It never overwrites a file.

use std::path::Path;

use hearth_crypto::AuthKey;
use rusqlite::{params, Connection};

use crate::error::Error;
use crate::session::{Format, PortableSession, ServerAddress};
use crate::sqlite;

const FORMAT: Format = Format::TelethonFile;

/// Whether a database with these `tables` and `sessions` `columns` looks like
/// Telethon's.
pub(crate) fn looks_like(tables: &[String], columns: &[String]) -> bool {
    let has = |c: &str| columns.iter().any(|x| x == c);
    has("dc_id")
        && has("auth_key")
        && has("server_address")
        && !has("test_mode")
        && tables.iter().any(|t| t == "entities")
}

/// Reads every signed-in row of a Telethon session file.
pub fn read(path: &Path) -> Result<Vec<PortableSession>, Error> {
    let conn = sqlite::open_read_only(path)?;
    read_from(path, &conn)
}

pub(crate) fn read_from(path: &Path, conn: &Connection) -> Result<Vec<PortableSession>, Error> {
    let fail = |e| {
        sqlite::failure(path, e, |detail| Error::Database {
            path: path.to_owned(),
            format: FORMAT,
            detail,
        })
    };
    let mut stmt = conn
        .prepare("SELECT dc_id, server_address, port, auth_key FROM sessions")
        .map_err(fail)?;
    let mut rows = stmt.query([]).map_err(fail)?;
    let mut sessions = Vec::new();
    let bad = |field, detail: String| Error::BadField {
        format: FORMAT,
        field,
        detail,
    };
    while let Some(row) = rows.next().map_err(fail)? {
        let dc_id: i64 = row.get(0).map_err(fail)?;
        let host: Option<String> = row.get(1).map_err(fail)?;
        let port: Option<i64> = row.get(2).map_err(fail)?;
        let key: Option<Vec<u8>> = row.get(3).map_err(fail)?;
        let Some(key) = key.filter(|k| k.iter().any(|&b| b != 0)) else {
            continue; // Telethon's row before sign-in: an address, no key.
        };
        let auth_key = AuthKey::from_slice(&key).map_err(|e| bad("auth key", e.to_string()))?;
        let dc_id = i32::try_from(dc_id)
            .ok()
            .filter(|&dc| dc > 0)
            .ok_or_else(|| bad("DC id", format!("{dc_id} is no DC")))?;
        let server = match (host, port) {
            (Some(host), Some(port)) => Some(ServerAddress {
                host,
                port: u16::try_from(port).map_err(|_| bad("port", format!("{port} is no port")))?,
            }),
            _ => None,
        };
        sessions.push(PortableSession {
            format: FORMAT,
            dc_id,
            auth_key,
            test_mode: None,
            user_id: None,
            is_bot: None,
            api_id: None,
            server,
        });
    }
    if sessions.is_empty() {
        return Err(Error::EmptyDatabase {
            path: path.to_owned(),
            format: FORMAT,
        });
    }
    Ok(sessions)
}

const SCHEMA_V8: &str = "
CREATE TABLE version (version INTEGER PRIMARY KEY);
CREATE TABLE sessions (dc_id INTEGER PRIMARY KEY, server_address TEXT, port INTEGER,
    auth_key BLOB, takeout_id INTEGER, tmp_auth_key BLOB);
CREATE TABLE entities (id INTEGER PRIMARY KEY, hash INTEGER NOT NULL, username TEXT,
    phone INTEGER, name TEXT, date INTEGER);
CREATE TABLE sent_files (md5_digest BLOB, file_size INTEGER, type INTEGER, id INTEGER,
    hash INTEGER, PRIMARY KEY (md5_digest, file_size, type));
CREATE TABLE update_state (id INTEGER PRIMARY KEY, pts INTEGER, qts INTEGER, date INTEGER,
    seq INTEGER);
INSERT INTO version VALUES (8);";

/// Creates a Telethon session file at `path` holding `session`, which needs
/// the DC's address. `path` must not exist.
pub fn write(path: &Path, session: &PortableSession) -> Result<(), Error> {
    let server = session.server.as_ref().ok_or_else(|| Error::CannotWrite {
        format: FORMAT,
        what: "the DC's address",
        detail: "look it up in the network's DC table".into(),
    })?;
    sqlite::create_new(path, |tx| {
        tx.execute_batch(SCHEMA_V8)?;
        tx.execute(
            "INSERT INTO sessions VALUES (?1, ?2, ?3, ?4, NULL, NULL)",
            params![
                session.dc_id,
                server.host,
                server.port,
                session.auth_key.as_bytes().as_slice()
            ],
        )?;
        Ok(())
    })
}

#[cfg(test)]
mod tests;
