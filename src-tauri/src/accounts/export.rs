//! "New session for another tool" and "Move session" on the Sessions page: the IPC types
//! (exported to TypeScript with `ts-rs`) and their one call each into `hearth-accounts`
//! (`export_fresh_session`, `move_session`).
//!
//! The one secret that crosses to the UI is an exported session *string*, once, for the
//! page to show with a copy button; it is never logged or kept on the Rust side. Files are
//! written by `hearth-portable` and never overwrite anything.

use std::path::PathBuf;

use hearth_accounts::{
    AccountId, ExportRequest, ExportedSession, FreshLogin, FreshOptions, SessionFormat,
};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::AppAccounts;
use crate::error::{codes, CommandError};

/// What another program reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "kebab-case")]
pub enum ExportFormat {
    PyrogramString,
    PyrogramFile,
    TelethonString,
    TelethonFile,
}

impl ExportFormat {
    fn session_format(self) -> SessionFormat {
        match self {
            ExportFormat::PyrogramString => SessionFormat::PyrogramString,
            ExportFormat::PyrogramFile => SessionFormat::PyrogramFile,
            ExportFormat::TelethonString => SessionFormat::TelethonString,
            ExportFormat::TelethonFile => SessionFormat::TelethonFile,
        }
    }

    /// A file format (needs a path), not a string.
    pub fn is_file(self) -> bool {
        matches!(
            self,
            ExportFormat::PyrogramFile | ExportFormat::TelethonFile
        )
    }

    /// The file name a save dialog suggests.
    pub fn suggested_name(self) -> &'static str {
        match self {
            ExportFormat::PyrogramFile => "pyrogram.session",
            _ => "telethon.session",
        }
    }
}

/// A new session, or Hearth's own.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ExportMode {
    /// A new authorization for the other program; Hearth keeps its own.
    Fresh,
    /// Hearth's own session, after which the account leaves Hearth (not logged out).
    Move,
}

/// How a user's new session signs in (a bot's signs in with its token).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ExportLogin {
    /// Hearth's session approves the new session's login token.
    #[default]
    Qr,
    /// A login code Telegram sends to Hearth's session (from 777000), read by Hearth.
    Code,
}

/// What `export_session` and `export_session_to` need (`Debug` leaves the password and
/// the bot token out).
#[derive(Clone, PartialEq, Eq, Deserialize, TS)]
pub struct ExportSessionRequest {
    #[ts(type = "number")]
    pub account_id: i64,
    pub mode: ExportMode,
    pub format: ExportFormat,
    /// The new session's name on the Sessions page (fresh).
    pub label: String,
    /// The user confirmed that moving signs Hearth out of the account (move).
    pub confirmed: bool,
    /// The account's two-step verification password, when it has one (fresh).
    pub password: Option<String>,
    /// A bot account's token from @BotFather (fresh; a bot's new session signs in with it).
    pub bot_token: Option<String>,
    /// How a user's new session signs in (fresh; none: QR).
    pub login: Option<ExportLogin>,
}

impl std::fmt::Debug for ExportSessionRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ExportSessionRequest")
            .field("account_id", &self.account_id)
            .field("mode", &self.mode)
            .field("format", &self.format)
            .field("label", &self.label)
            .field("confirmed", &self.confirmed)
            .field("login", &self.login)
            .finish_non_exhaustive()
    }
}

/// A session written out.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, TS)]
pub struct ExportedSessionView {
    /// e.g. `Telethon session file`.
    pub format: String,
    /// The file written (file formats).
    pub path: Option<String>,
    /// The session string (string formats): a secret, shown once.
    pub string: Option<String>,
    pub dc: i32,
    /// `auth_key_id` in hex (public).
    pub key_id: String,
    /// The account left Hearth.
    pub moved: bool,
}

impl AppAccounts {
    /// Exports as `request` says, to `path` for the file formats.
    pub async fn export_session(
        &self,
        request: &ExportSessionRequest,
        path: Option<PathBuf>,
    ) -> Result<ExportedSessionView, CommandError> {
        if request.format.is_file() && path.is_none() {
            return Err(CommandError::new(
                codes::INVALID_INPUT,
                "choose where to save the session file",
            )
            .on_field("out"));
        }
        let export = ExportRequest {
            format: request.format.session_format(),
            out: path.filter(|_| request.format.is_file()),
        };
        let id = AccountId(request.account_id);
        let service = self.service();
        let exported = match request.mode {
            ExportMode::Fresh => {
                let options = FreshOptions {
                    label: request.label.clone(),
                    api: None,
                    password: request
                        .password
                        .clone()
                        .filter(|p| !p.is_empty())
                        .map(Into::into),
                    bot_token: request
                        .bot_token
                        .clone()
                        .filter(|t| !t.trim().is_empty())
                        .map(Into::into),
                    login: match request.login.unwrap_or_default() {
                        ExportLogin::Qr => FreshLogin::Qr,
                        ExportLogin::Code => FreshLogin::Code,
                    },
                };
                service.export_fresh_session(id, &export, options).await?
            }
            ExportMode::Move => service.move_session(id, &export, request.confirmed).await?,
        };
        Ok(view(&exported, request.mode == ExportMode::Move))
    }
}

fn view(e: &ExportedSession, moved: bool) -> ExportedSessionView {
    ExportedSessionView {
        format: e.format.describe().to_owned(),
        path: e.path.as_ref().map(|p| p.display().to_string()),
        string: e.string.as_ref().map(|s| s.to_string()),
        dc: e.dc_id,
        key_id: format!("{:016x}", e.key_id),
        moved,
    }
}
