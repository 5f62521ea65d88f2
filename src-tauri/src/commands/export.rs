//! Session export commands (the Sessions page's "New session for another tool" and "Move
//! session"): one call each into [`crate::accounts::AppAccounts::export_session`]; each
//! needs a permission in `capabilities/`. `export_session` only adds a native save dialog
//! (for the file formats) in front of its path twin `export_session_to`, which tests call.

use tauri::{AppHandle, State};

use crate::accounts::export::{ExportSessionRequest, ExportedSessionView};
use crate::error::CommandError;
use crate::startup::AppState;
use crate::transfers::save_dialog;

/// `export_session`: asks where to save a session file, then exports; `null` when the user
/// closed the dialog. String formats need no dialog.
#[tauri::command]
pub async fn export_session(
    app: AppHandle,
    state: State<'_, AppState>,
    request: ExportSessionRequest,
) -> Result<Option<ExportedSessionView>, CommandError> {
    let path = if request.format.is_file() {
        match save_dialog(&app, request.format.suggested_name().to_owned()).await? {
            Some(path) => Some(path.display().to_string()),
            None => return Ok(None),
        }
    } else {
        None
    };
    export_session_to(state, request, path).await.map(Some)
}

/// `export_session_to`: exports to `path` (a new file, for the file formats).
#[tauri::command]
pub async fn export_session_to(
    state: State<'_, AppState>,
    request: ExportSessionRequest,
    path: Option<String>,
) -> Result<ExportedSessionView, CommandError> {
    state
        .accounts()
        .export_session(&request, path.map(Into::into))
        .await
}
