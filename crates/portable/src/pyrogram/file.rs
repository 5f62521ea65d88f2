//! Pyrogram's `.session` file (`pyrogram/storage/sqlite_storage.py` and
//! `file_storage.py` in Pyrogram 2.0, kurigram and pyrofork): SQLite with one
//! `sessions` row and a `version` table. The row's columns grew by version:
//! `dc_id, test_mode, auth_key, date, user_id, is_bot` from version 1,
//! `api_id` from 2 (`ALTER TABLE sessions ADD api_id`), and in kurigram's 7
//! `server_address, port`; the other tables (peers, usernames, update_state)
//! carry no part of the session. [`read`] goes by column name, so every
//! version of every fork reads.
//!
//! [`write`] creates a new file in one of three schemas: [`Schema::Pyrogram`]
//! (version 3, Pyrogram 2.0's, which pyrofork and kurigram upgrade on open),
//! [`Schema::Kurigram`] (version 7, with the DC address kurigram connects
//! to) or [`Schema::Shared`], the one file every maintained fork loads. It
//! never overwrites a file.
//!
//! Why [`Schema::Shared`] is one file and not one per fork: the forks differ
//! only in tables they fill as they go, and each names the columns it reads
//! and writes, so a file holding the union of their columns serves all three.
//! Its version is kurigram's 7: kurigram then upgrades nothing (an upgrade
//! from 6 would put the production address of its own table in
//! `server_address`), and Pyrogram 2.0.106 (version 3) and pyrofork 2.3
//! (version 4) only run upgrade steps for versions below their own, so they
//! leave a newer file as it is. The tables, as each fork's
//! `storage/sqlite_storage.py` uses them:
//! - `sessions`: kurigram's nine columns; Pyrogram and pyrofork select and
//!   update theirs by name and never read `server_address`/`port` (their DC
//!   table is built in).
//! - `peers`: Pyrogram's and pyrofork's `username` column beside kurigram's
//!   columns (kurigram's `REPLACE` names its four columns, so the fifth stays
//!   empty); without it pyrofork fails with "table peers has no column named
//!   username".
//! - `usernames`: kurigram's `(id, username)` and pyrofork's `(id, peer_id,
//!   last_update_on)` in one table without a primary key (kurigram keeps
//!   several rows per peer id; pyrofork deletes by `peer_id` before it
//!   inserts, and reads the newest row of a name).
//! - `update_state`: the same in kurigram and pyrofork.

use std::path::Path;

use hearth_crypto::AuthKey;
use rusqlite::{params, Connection};

use crate::error::Error;
use crate::session::{Format, PortableSession, ServerAddress};
use crate::sqlite;

const FORMAT: Format = Format::PyrogramFile;
/// Columns read when present, after the two every version has.
const OPTIONAL: [&str; 6] = [
    "api_id",
    "test_mode",
    "user_id",
    "is_bot",
    "server_address",
    "port",
];

/// Whether `columns` of a `sessions` table look like Pyrogram's.
pub(crate) fn looks_like(columns: &[String]) -> bool {
    let has = |c: &str| columns.iter().any(|x| x == c);
    has("dc_id") && has("auth_key") && (has("test_mode") || has("is_bot"))
}

/// Reads every signed-in row of a Pyrogram session file.
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
    let columns = sqlite::columns(conn, "sessions").map_err(fail)?;
    if !looks_like(&columns) {
        return Err(Error::Database {
            path: path.to_owned(),
            format: FORMAT,
            detail: format!("its sessions table has the columns {}", columns.join(", ")),
        });
    }
    let present: Vec<&str> = OPTIONAL
        .iter()
        .copied()
        .filter(|c| columns.iter().any(|x| x == c))
        .collect();
    // Column names come from OPTIONAL, never from the file.
    let select = ["dc_id", "auth_key"]
        .iter()
        .chain(&present)
        .copied()
        .collect::<Vec<_>>()
        .join(", ");
    let mut stmt = conn
        .prepare(&format!(
            "SELECT {select} FROM sessions WHERE auth_key IS NOT NULL"
        ))
        .map_err(fail)?;
    let mut rows = stmt.query([]).map_err(fail)?;
    let mut sessions = Vec::new();
    while let Some(row) = rows.next().map_err(fail)? {
        let field = |name: &str| present.iter().position(|c| *c == name).map(|i| i + 2);
        let int = |name: &str| -> rusqlite::Result<Option<i64>> {
            field(name).map_or(Ok(None), |i| row.get(i))
        };
        let dc_id: i64 = row.get(0).map_err(fail)?;
        let key: Vec<u8> = row.get(1).map_err(fail)?;
        let bad = |field, detail: String| Error::BadField {
            format: FORMAT,
            field,
            detail,
        };
        if key.iter().all(|&b| b == 0) {
            continue;
        }
        let auth_key = AuthKey::from_slice(&key).map_err(|e| bad("auth key", e.to_string()))?;
        let dc_id = i32::try_from(dc_id)
            .ok()
            .filter(|&dc| dc > 0)
            .ok_or_else(|| bad("DC id", format!("{dc_id} is no DC")))?;
        let api_id = int("api_id")
            .map_err(fail)?
            .map(|id| i32::try_from(id).map_err(|_| bad("api_id", format!("{id} does not fit"))))
            .transpose()?;
        let host: Option<String> = field("server_address")
            .map_or(Ok(None), |i| row.get(i))
            .map_err(fail)?;
        let port = int("port").map_err(fail)?;
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
            test_mode: int("test_mode").map_err(fail)?.map(|v| v != 0),
            user_id: int("user_id").map_err(fail)?.filter(|&id| id != 0),
            is_bot: int("is_bot").map_err(fail)?.map(|v| v != 0),
            api_id,
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

/// Which fork's schema [`write`] creates.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Schema {
    /// Version 3, as Pyrogram 2.0 creates it; pyrofork and kurigram upgrade it.
    Pyrogram,
    /// Version 7, as kurigram creates it, with the DC's address and port.
    Kurigram,
    /// Version 7 with the union of Pyrogram 2.0's, pyrofork's and kurigram's
    /// columns: loaded by all three (see the module docs), with the DC's
    /// address for kurigram.
    Shared,
}

const PYROGRAM_V3: &str = "
CREATE TABLE sessions (dc_id INTEGER PRIMARY KEY, api_id INTEGER, test_mode INTEGER,
    auth_key BLOB, date INTEGER NOT NULL, user_id INTEGER, is_bot INTEGER);
CREATE TABLE peers (id INTEGER PRIMARY KEY, access_hash INTEGER, type INTEGER NOT NULL,
    username TEXT, phone_number TEXT,
    last_update_on INTEGER NOT NULL DEFAULT (CAST(STRFTIME('%s', 'now') AS INTEGER)));
CREATE TABLE version (number INTEGER PRIMARY KEY);
CREATE INDEX idx_peers_id ON peers (id);
CREATE INDEX idx_peers_username ON peers (username);
CREATE INDEX idx_peers_phone_number ON peers (phone_number);
CREATE TRIGGER trg_peers_last_update_on AFTER UPDATE ON peers BEGIN
    UPDATE peers SET last_update_on = CAST(STRFTIME('%s', 'now') AS INTEGER) WHERE id = NEW.id;
END;";

const KURIGRAM_V7: &str = "
CREATE TABLE sessions (dc_id INTEGER PRIMARY KEY, server_address TEXT, port INTEGER,
    api_id INTEGER, test_mode INTEGER, auth_key BLOB, date INTEGER NOT NULL, user_id INTEGER,
    is_bot INTEGER);
CREATE TABLE peers (id INTEGER PRIMARY KEY, access_hash INTEGER, type INTEGER NOT NULL,
    phone_number TEXT,
    last_update_on INTEGER NOT NULL DEFAULT (CAST(STRFTIME('%s', 'now') AS INTEGER)));
CREATE TABLE usernames (id INTEGER, username TEXT, FOREIGN KEY (id) REFERENCES peers(id));
CREATE TABLE update_state (id INTEGER PRIMARY KEY, pts INTEGER, qts INTEGER, date INTEGER,
    seq INTEGER);
CREATE TABLE version (number INTEGER PRIMARY KEY);
CREATE INDEX idx_peers_id ON peers (id);
CREATE INDEX idx_peers_phone_number ON peers (phone_number);
CREATE INDEX idx_usernames_id ON usernames (id);
CREATE INDEX idx_usernames_username ON usernames (username);
CREATE TRIGGER trg_peers_last_update_on AFTER UPDATE ON peers BEGIN
    UPDATE peers SET last_update_on = CAST(STRFTIME('%s', 'now') AS INTEGER) WHERE id = NEW.id;
END;";

const SHARED_V7: &str = "
CREATE TABLE sessions (dc_id INTEGER PRIMARY KEY, server_address TEXT, port INTEGER,
    api_id INTEGER, test_mode INTEGER, auth_key BLOB, date INTEGER NOT NULL, user_id INTEGER,
    is_bot INTEGER);
CREATE TABLE peers (id INTEGER PRIMARY KEY, access_hash INTEGER, type INTEGER NOT NULL,
    username TEXT, phone_number TEXT,
    last_update_on INTEGER NOT NULL DEFAULT (CAST(STRFTIME('%s', 'now') AS INTEGER)));
CREATE TABLE usernames (id, username TEXT, peer_id INTEGER,
    last_update_on INTEGER NOT NULL DEFAULT (CAST(STRFTIME('%s', 'now') AS INTEGER)));
CREATE TABLE update_state (id INTEGER PRIMARY KEY, pts INTEGER, qts INTEGER, date INTEGER,
    seq INTEGER);
CREATE TABLE version (number INTEGER PRIMARY KEY);
CREATE INDEX idx_peers_id ON peers (id);
CREATE INDEX idx_peers_username ON peers (username);
CREATE INDEX idx_peers_phone_number ON peers (phone_number);
CREATE INDEX idx_usernames_id ON usernames (id);
CREATE INDEX idx_usernames_username ON usernames (username);
CREATE TRIGGER trg_peers_last_update_on AFTER UPDATE ON peers BEGIN
    UPDATE peers SET last_update_on = CAST(STRFTIME('%s', 'now') AS INTEGER) WHERE id = NEW.id;
END;
CREATE TRIGGER trg_usernames_last_update_on AFTER UPDATE ON usernames BEGIN
    UPDATE usernames SET last_update_on = CAST(STRFTIME('%s', 'now') AS INTEGER)
    WHERE id = NEW.id;
END;";

/// Creates a Pyrogram session file at `path` holding `session`, which needs
/// the DC id, `api_id`, test flag and user id (and for [`Schema::Kurigram`]
/// and [`Schema::Shared`] the DC's address). `path` must not exist.
pub fn write(path: &Path, session: &PortableSession, schema: Schema) -> Result<(), Error> {
    let need = |what, detail: &str| Error::CannotWrite {
        format: FORMAT,
        what,
        detail: detail.into(),
    };
    let api_id = session
        .api_id
        .ok_or_else(|| need("the api_id", "give the api_id the session signed in with"))?;
    let test_mode = session.test_mode.ok_or_else(|| {
        need(
            "to know whether the key is for test servers",
            "it is unknown",
        )
    })?;
    let user_id = session
        .user_id
        .ok_or_else(|| need("the account's user id", "it is unknown"))?;
    let server = match schema {
        Schema::Kurigram | Schema::Shared => Some(
            session
                .server
                .as_ref()
                .ok_or_else(|| need("the DC's address", "look it up in the network's DC table"))?,
        ),
        Schema::Pyrogram => None,
    };
    sqlite::create_new(path, |tx| {
        let is_bot = session.is_bot.unwrap_or(false);
        let key = session.auth_key.as_bytes().as_slice();
        match server {
            None => {
                tx.execute_batch(PYROGRAM_V3)?;
                tx.execute("INSERT INTO version VALUES (3)", [])?;
                tx.execute(
                    "INSERT INTO sessions VALUES (?1, ?2, ?3, ?4, 0, ?5, ?6)",
                    params![session.dc_id, api_id, test_mode, key, user_id, is_bot],
                )?;
            }
            Some(server) => {
                tx.execute_batch(match schema {
                    Schema::Shared => SHARED_V7,
                    _ => KURIGRAM_V7,
                })?;
                tx.execute("INSERT INTO version VALUES (7)", [])?;
                tx.execute(
                    "INSERT INTO sessions VALUES (?1, ?2, ?3, ?4, ?5, ?6, 0, ?7, ?8)",
                    params![
                        session.dc_id,
                        server.host,
                        server.port,
                        api_id,
                        test_mode,
                        key,
                        user_id,
                        is_bot
                    ],
                )?;
            }
        }
        Ok(())
    })
}

#[cfg(test)]
mod tests;
