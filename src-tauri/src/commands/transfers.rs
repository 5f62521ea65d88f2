//! Transfer commands: each is one call into the shared `hearth-accounts` transfer manager
//! (through [`crate::transfers`]); each needs a permission in `capabilities/`. The dialog
//! commands (`start_download`, `start_upload`) only add a native file dialog in front of
//! their path twins (`start_download_to`, `start_upload_paths`).

use std::path::PathBuf;

use hearth_accounts::{AccountId, Destination, DownloadRequest, UploadRequest};
use tauri::ipc::Channel;
use tauri::{AppHandle, State};
use tokio::sync::broadcast::error::RecvError;

use crate::error::CommandError;
use crate::startup::AppState;
use crate::transfers::{manager, open_dialog, peer, save_dialog, TransferView};

/// `start_download`: asks where to save (suggesting `suggested_name`), then downloads the
/// media of message `message_id`; `null` when the user closed the dialog.
#[tauri::command]
pub async fn start_download(
    app: AppHandle,
    state: State<'_, AppState>,
    account_id: i64,
    peer_id: i64,
    message_id: i32,
    suggested_name: String,
) -> Result<Option<TransferView>, CommandError> {
    let Some(path) = save_dialog(&app, suggested_name).await? else {
        return Ok(None);
    };
    start_download_to(
        state,
        account_id,
        peer_id,
        message_id,
        path.display().to_string(),
    )
    .await
    .map(Some)
}

/// `start_download_to`: downloads the media of message `message_id` to `path` (into it,
/// under the file's own name, when `path` is a directory).
#[tauri::command]
pub async fn start_download_to(
    state: State<'_, AppState>,
    account_id: i64,
    peer_id: i64,
    message_id: i32,
    path: String,
) -> Result<TransferView, CommandError> {
    let path = PathBuf::from(path);
    let destination = if path.is_dir() {
        Destination::Directory(path)
    } else {
        Destination::File(path)
    };
    let request = DownloadRequest {
        account: AccountId(account_id),
        peer: peer(peer_id)?,
        message_id,
        destination,
    };
    Ok(manager(&state).start_download(request).await?.into())
}

/// `start_upload`: asks which files to send, then sends each to the chat; empty when the
/// user closed the dialog.
#[tauri::command]
pub async fn start_upload(
    app: AppHandle,
    state: State<'_, AppState>,
    account_id: i64,
    peer_id: i64,
    caption: Option<String>,
) -> Result<Vec<TransferView>, CommandError> {
    let paths = open_dialog(&app).await?;
    let paths = paths.iter().map(|p| p.display().to_string()).collect();
    start_upload_paths(state, account_id, peer_id, paths, caption).await
}

/// `start_upload_paths`: sends the files at `paths` (dropped on the window) to the chat, the
/// caption under the first. Stops at the first file that cannot be sent.
#[tauri::command]
pub async fn start_upload_paths(
    state: State<'_, AppState>,
    account_id: i64,
    peer_id: i64,
    paths: Vec<String>,
    caption: Option<String>,
) -> Result<Vec<TransferView>, CommandError> {
    let peer = peer(peer_id)?;
    let mut caption = caption.unwrap_or_default();
    let mut started = Vec::new();
    for path in paths {
        let request = UploadRequest {
            account: AccountId(account_id),
            peer,
            path: path.into(),
            caption: std::mem::take(&mut caption),
        };
        started.push(manager(&state).start_upload(request).await?.into());
    }
    Ok(started)
}

/// `cancel_transfer`: stops a running transfer (a download keeps its `.part` file).
#[tauri::command]
pub fn cancel_transfer(state: State<'_, AppState>, id: u64) -> Result<(), CommandError> {
    Ok(manager(&state).cancel(id)?)
}

/// `list_transfers`: every transfer of this run, oldest first.
#[tauri::command]
pub fn list_transfers(state: State<'_, AppState>) -> Vec<TransferView> {
    manager(&state).list().into_iter().map(Into::into).collect()
}

/// `subscribe_transfers`: every change of every transfer, on `on_event`, until the page
/// goes away. After a gap (a slow page) the whole list is sent again.
#[tauri::command]
pub async fn subscribe_transfers(
    state: State<'_, AppState>,
    on_event: Channel<TransferView>,
) -> Result<(), CommandError> {
    let transfers = manager(&state).clone();
    let mut rx = transfers.subscribe();
    tokio::spawn(async move {
        loop {
            let views = match rx.recv().await {
                Ok(v) => vec![v],
                Err(RecvError::Lagged(_)) => transfers.list(),
                Err(RecvError::Closed) => return,
            };
            for v in views {
                if on_event.send(v.into()).is_err() {
                    return;
                }
            }
        }
    });
    Ok(())
}
