//! Telling the formats apart, for "import whatever this is".
//!
//! Strings by shape: a Pyrogram string is 351, 356 or 362 base64 characters
//! (its three layouts); a Telethon string is `1` and 352 or 368 more. The two
//! sets never overlap. Files by content: an SQLite database whose `sessions`
//! table has Pyrogram's columns (`test_mode`, `is_bot`) or Telethon's
//! (`server_address` without `test_mode`, beside an `entities` table). A
//! folder holding `key_datas` (itself or its `tdata`) is Telegram Desktop's.

use std::path::Path;

use crate::error::Error;
use crate::session::PortableSession;
use crate::{base64url, pyrogram, sqlite, tdata, telethon};

/// Reads a session string of either library.
pub fn read_string(text: &str) -> Result<PortableSession, Error> {
    let text = base64url::trim(text);
    let chars = text.chars().count();
    match chars {
        351 | 356 | 362 => pyrogram::string::decode(text),
        352 | 353 | 368 | 369 if text.starts_with('1') => telethon::string::decode(text),
        0 => Err(Error::UnknownString {
            detail: "it is empty".into(),
        }),
        _ => Err(Error::UnknownString {
            detail: format!("it is {chars} characters long"),
        }),
    }
}

/// Reads a session file of either library: every signed-in session in it. A
/// Telegram Desktop tdata folder is read too, when it has no local passcode
/// (one with a passcode is [`Error::TdataPasscodeNeeded`]: see
/// [`crate::tdata::read_folder`]).
pub fn read_file(path: &Path) -> Result<Vec<PortableSession>, Error> {
    if tdata::looks_like(path) {
        return tdata::read_folder(path, None);
    }
    let conn = sqlite::open_read_only(path)?;
    let fail = |e| {
        sqlite::failure(path, e, |detail| Error::NotSqlite {
            path: path.to_owned(),
            detail,
        })
    };
    let tables = sqlite::tables(&conn).map_err(fail)?;
    let columns = if tables.iter().any(|t| t == "sessions") {
        sqlite::columns(&conn, "sessions").map_err(fail)?
    } else {
        Vec::new()
    };
    if telethon::file::looks_like(&tables, &columns) {
        telethon::file::read_from(path, &conn)
    } else if pyrogram::file::looks_like(&columns) {
        pyrogram::file::read_from(path, &conn)
    } else {
        Err(Error::UnknownDatabase {
            path: path.to_owned(),
            tables: if tables.is_empty() {
                "none".into()
            } else {
                tables.join(", ")
            },
        })
    }
}

#[cfg(test)]
mod tests;
