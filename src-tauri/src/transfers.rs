//! Media transfers in the app: the IPC types (exported with `ts-rs`) over the shared
//! `hearth-accounts` transfer manager, and the native file dialogs the commands open.
//!
//! The dialogs are `rfd`'s (already the app's dependency for start-up errors, and the crate
//! `tauri-plugin-dialog` itself wraps), run on the main thread as GTK requires; every command
//! that opens one has a twin taking paths (drag and drop, tests), so nothing behind a dialog
//! is untestable.

use std::path::PathBuf;

use hearth_accounts::{TransferError, TransferKind as Kind, TransferState, Transfers};
use serde::Serialize;
use tauri::AppHandle;
use ts_rs::TS;

use crate::error::{codes, CommandError};

/// Which way a transfer's bytes go.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum TransferKind {
    Download,
    Upload,
}

/// One transfer as it is now; sent again on every change.
#[derive(Clone, Debug, PartialEq, Serialize, TS)]
pub struct TransferView {
    #[ts(type = "number")]
    pub id: u64,
    pub kind: TransferKind,
    #[ts(type = "number")]
    pub account_id: i64,
    /// The chat as a Bot API id.
    #[ts(type = "number")]
    pub peer: i64,
    pub file_name: String,
    /// A download's destination or an upload's source.
    pub path: String,
    /// A download's message; an upload's sent message once done.
    pub message_id: Option<i32>,
    #[ts(type = "number")]
    pub done: u64,
    #[ts(type = "number | null")]
    pub total: Option<u64>,
    pub bytes_per_sec: f64,
    pub eta_secs: Option<f64>,
    /// `running`, `done`, `failed` or `cancelled`.
    pub state: String,
    /// Why it failed (`state` is `failed`).
    pub error: Option<CommandError>,
}

impl From<hearth_accounts::TransferView> for TransferView {
    fn from(v: hearth_accounts::TransferView) -> Self {
        let error = match &v.state {
            TransferState::Failed(e) => Some(command_error(e)),
            _ => None,
        };
        TransferView {
            id: v.id,
            kind: match v.kind {
                Kind::Download => TransferKind::Download,
                Kind::Upload => TransferKind::Upload,
            },
            account_id: v.account.0,
            peer: v.peer,
            file_name: v.file_name,
            path: v.path.display().to_string(),
            message_id: v.message_id,
            done: v.done,
            total: v.total,
            bytes_per_sec: v.bytes_per_sec,
            eta_secs: v.eta.map(|d| d.as_secs_f64()),
            state: v.state.as_str().to_owned(),
            error,
        }
    }
}

/// Which picture `load_media` returns: the bubble size or the largest.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum MediaVariant {
    Thumb,
    Full,
}

/// How far a picture's download has come (`load_media`'s channel).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, TS)]
pub struct MediaProgress {
    #[ts(type = "number")]
    pub done: u64,
    #[ts(type = "number | null")]
    pub total: Option<u64>,
}

/// A transfer error for the UI, with its stable code and the input it concerns.
pub fn command_error(e: &TransferError) -> CommandError {
    let error = CommandError::new(e.code(), e.to_string());
    match e.field() {
        Some(field) => error.on_field(field),
        None => error,
    }
}

impl From<TransferError> for CommandError {
    fn from(e: TransferError) -> Self {
        command_error(&e)
    }
}

/// The peer a command names (a Bot API id).
pub fn peer(id: i64) -> Result<hearth_accounts::PeerId, CommandError> {
    hearth_accounts::PeerId::from_bot_api_id(id).ok_or_else(|| {
        CommandError::new(codes::INVALID_INPUT, format!("{id} is not a chat id")).on_field("peer")
    })
}

/// The manager, for commands that have the app state.
pub fn manager(state: &crate::startup::AppState) -> &Transfers {
    state.transfers()
}

/// Asks where to save `suggested` (`None`: the user closed the dialog).
pub async fn save_dialog(
    app: &AppHandle,
    suggested: String,
) -> Result<Option<PathBuf>, CommandError> {
    on_main_thread(app, move || {
        rfd::FileDialog::new()
            .set_title("Save file")
            .set_file_name(suggested)
            .save_file()
    })
    .await
}

/// Asks which files to send (empty: the user closed the dialog).
pub async fn open_dialog(app: &AppHandle) -> Result<Vec<PathBuf>, CommandError> {
    let picked = on_main_thread(app, || {
        rfd::FileDialog::new().set_title("Send files").pick_files()
    })
    .await?;
    Ok(picked.unwrap_or_default())
}

/// Asks for one file to open, titled `title` (`None`: the user closed the dialog).
pub async fn pick_file_dialog(
    app: &AppHandle,
    title: &'static str,
) -> Result<Option<PathBuf>, CommandError> {
    on_main_thread(app, move || {
        rfd::FileDialog::new().set_title(title).pick_file()
    })
    .await
}

/// Asks for one folder, titled `title` (`None`: the user closed the dialog).
pub async fn pick_folder_dialog(
    app: &AppHandle,
    title: &'static str,
) -> Result<Option<PathBuf>, CommandError> {
    on_main_thread(app, move || {
        rfd::FileDialog::new().set_title(title).pick_folder()
    })
    .await
}

async fn on_main_thread<T: Send + 'static>(
    app: &AppHandle,
    f: impl FnOnce() -> T + Send + 'static,
) -> Result<T, CommandError> {
    let (tx, rx) = tokio::sync::oneshot::channel();
    app.run_on_main_thread(move || {
        let _ = tx.send(f());
    })
    .map_err(|e| CommandError::new(codes::INTERNAL, format!("cannot open the file dialog: {e}")))?;
    rx.await
        .map_err(|_| CommandError::new(codes::INTERNAL, "the file dialog closed without an answer"))
}
