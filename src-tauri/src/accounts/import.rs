//! Importing another client's session from the Add account wizard: the IPC types
//! (exported with `ts-rs`) and the reading of a file or pasted string with
//! `hearth-portable`, in front of `hearth-accounts`' import.
//!
//! Two calls, so the user is warned between reading a session and its first use:
//! [`inspect`] reads the source and refuses a key Hearth already holds, without
//! any connection (`Accounts::check_import`); [`ImportRequest`] then goes to
//! `Accounts::import_session`, which checks the key with the server
//! (`users.getUsers(inputUserSelf)` on its DC) before anything is kept.
//!
//! A Telegram Desktop `tdata` folder holds up to six accounts and may be locked
//! with a local passcode: reading one without it is `PASSCODE_NEEDED`, with a
//! wrong one `PASSCODE_INVALID`, both on the `passcode` field; the request names
//! the accounts chosen (`key_ids`), and each is imported on its own
//! ([`ImportOutcome`]), so one refused does not stop the others.
//!
//! Invariants: the source is only read (`hearth-portable` opens files read-only);
//! the passcode comes only from the UI, is zeroed when dropped, and is never
//! logged, printed or sent back ([`Passcode`]);
//! no key bytes travel to the UI, only the public `auth_key_id`, as 16 hex
//! digits (64 bits do not fit a JavaScript number); every failure names what is
//! wrong and what to do, on the `session` or `format` field.

use std::path::Path;

use hearth_accounts::{PortableSession, SessionFormat};
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use zeroize::Zeroizing;

use super::types::{AccountNetwork, AccountView, ApiCredentials};
use crate::error::{codes, CommandError};

/// What a session is written as; `auto` tells by the content.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ImportFormat {
    Auto,
    Pyrogram,
    Telethon,
    /// Telegram Desktop's `tdata` folder.
    Tdata,
}

/// Telegram Desktop's local passcode as the user typed it: zeroed when dropped,
/// only ever deserialized (never serialized back), and its `Debug` does not show it.
#[derive(Clone, PartialEq, Eq, Deserialize)]
#[serde(from = "String")]
pub struct Passcode(Zeroizing<String>);

impl From<String> for Passcode {
    fn from(typed: String) -> Self {
        Passcode(Zeroizing::new(typed))
    }
}

impl std::fmt::Debug for Passcode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Passcode(..)")
    }
}

/// Where the session to import is: a file or tdata folder (picked, dropped or
/// typed), with the tdata's local passcode when it has one, or a pasted string.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ImportSource {
    File {
        path: String,
        #[serde(default)]
        #[ts(optional, as = "Option<String>")]
        passcode: Option<Passcode>,
    },
    Text {
        text: String,
    },
}

/// One signed-in session found in the source.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, TS)]
pub struct FoundSession {
    /// e.g. "Telethon session file".
    pub format: String,
    /// The DC the key was made on.
    pub dc_id: i32,
    /// `auth_key_id` as 16 hex digits: the key's public name, never the key.
    pub key_id: String,
    /// The Telegram user id, when the format keeps it.
    #[ts(type = "number | null")]
    pub user_id: Option<i64>,
    pub is_bot: Option<bool>,
    /// The network the session says it belongs to, when it says so: Telegram's test
    /// servers (Pyrogram's `test_mode`), or a DC on this computer (a local test network).
    pub network_hint: Option<AccountNetwork>,
    /// The DC address the session keeps (Telethon, kurigram), as `host:port`.
    pub server: Option<String>,
    /// Why this one cannot be imported (e.g. Hearth holds its key already), when
    /// the source holds others that can.
    pub refused: Option<String>,
}

/// What `inspect_session` found; nothing has connected yet.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, TS)]
pub struct ImportPreview {
    pub sessions: Vec<FoundSession>,
}

/// What `import_session` needs: the source again (it is read afresh, never
/// kept) and the network, like `begin_login`.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize, TS)]
pub struct ImportRequest {
    pub source: ImportSource,
    pub format: ImportFormat,
    pub network: AccountNetwork,
    /// Required for Production and Test until saved once.
    pub api: Option<ApiCredentials>,
    /// The account's label; defaults to the Telegram name.
    pub label: Option<String>,
    /// The sessions to import, by `key_id`; all of them when absent.
    #[serde(default)]
    #[ts(optional)]
    pub key_ids: Option<Vec<String>>,
}

/// What became of one session of an import: its account, or why it was refused.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, TS)]
pub struct ImportOutcome {
    /// The session's `key_id`, as in [`FoundSession`].
    pub key_id: String,
    pub account: Option<AccountView>,
    pub error: Option<CommandError>,
}

/// A `hearth-portable` failure for the UI: `SESSION_IN_USE` for a file a running
/// client holds locked, `SESSION_INVALID` for the rest.
fn portable_error(e: &hearth_portable::Error) -> CommandError {
    let code = match e {
        hearth_portable::Error::Locked { .. } => "SESSION_IN_USE",
        _ => "SESSION_INVALID",
    };
    CommandError::new(code, e.to_string()).on_field("session")
}

fn is_pyrogram(format: SessionFormat) -> bool {
    matches!(
        format,
        SessionFormat::PyrogramFile | SessionFormat::PyrogramString
    )
}

/// Every signed-in account of the tdata folder at `path`; the passcode is
/// borrowed, never copied.
fn read_tdata(
    path: &Path,
    passcode: Option<&Passcode>,
) -> Result<Vec<PortableSession>, CommandError> {
    let passcode = passcode.map(|p| p.0.as_bytes()).filter(|p| !p.is_empty());
    hearth_portable::tdata::read_folder(path, passcode).map_err(|e| match &e {
        hearth_portable::Error::TdataPasscodeNeeded { path } => CommandError::new(
            "PASSCODE_NEEDED",
            format!(
                "{} has a local passcode: type the passcode Telegram Desktop asks for when it starts",
                path.display()
            ),
        )
        .on_field("passcode"),
        hearth_portable::Error::TdataWrongPasscode { .. } => {
            CommandError::new("PASSCODE_INVALID", e.to_string()).on_field("passcode")
        }
        _ => portable_error(&e),
    })
}

/// Reads every signed-in session of `source` as `format` says: a folder is a
/// Telegram Desktop tdata.
pub fn read(
    source: &ImportSource,
    format: ImportFormat,
) -> Result<Vec<PortableSession>, CommandError> {
    let sessions = match source {
        ImportSource::File { path, passcode } => {
            let path = path.trim();
            if path.is_empty() {
                return Err(CommandError::new(
                    codes::INVALID_INPUT,
                    "choose a session file or tdata folder, drop one here, or paste a session string",
                )
                .on_field("session"));
            }
            let path = Path::new(path);
            if format == ImportFormat::Tdata || path.is_dir() {
                read_tdata(path, passcode.as_ref())?
            } else {
                hearth_portable::read_file(path).map_err(|e| portable_error(&e))?
            }
        }
        ImportSource::Text { .. } if format == ImportFormat::Tdata => {
            return Err(CommandError::new(
                codes::INVALID_INPUT,
                "a Telegram Desktop tdata is a folder: choose it with \"Choose folder…\", drop it here, \
                 or type its path, instead of pasting a string",
            )
            .on_field("format"));
        }
        ImportSource::Text { text } => {
            vec![hearth_portable::read_string(text).map_err(|e| portable_error(&e))?]
        }
    };
    let wanted = |s: &PortableSession| match format {
        ImportFormat::Pyrogram => is_pyrogram(s.format),
        ImportFormat::Telethon => matches!(
            s.format,
            SessionFormat::TelethonFile | SessionFormat::TelethonString
        ),
        ImportFormat::Tdata => s.format == SessionFormat::Tdata,
        ImportFormat::Auto => true,
    };
    if let Some(other) = sessions.iter().find(|s| !wanted(s)) {
        return Err(CommandError::new(
            codes::INVALID_INPUT,
            format!(
                "this is a {}, not the format chosen; choose \"Tell by the content\" or the right format",
                other.format
            ),
        )
        .on_field("format"));
    }
    Ok(sessions)
}

/// What a session says of its own network.
fn network_hint(session: &PortableSession) -> Option<AccountNetwork> {
    if session.loopback_server().is_some() {
        Some(AccountNetwork::Local)
    } else {
        match session.test_mode {
            Some(true) => Some(AccountNetwork::Test),
            Some(false) => Some(AccountNetwork::Production),
            None => None,
        }
    }
}

/// The UI's view of one session (no key bytes).
pub fn found(session: &PortableSession) -> FoundSession {
    FoundSession {
        format: session.format.describe().to_owned(),
        dc_id: session.dc_id,
        key_id: format!("{:016x}", session.key_id()),
        user_id: session.user_id,
        is_bot: session.is_bot,
        network_hint: network_hint(session),
        server: session
            .server
            .as_ref()
            .map(|s| format!("{}:{}", s.host, s.port)),
        refused: None,
    }
}

#[cfg(test)]
mod tests;
