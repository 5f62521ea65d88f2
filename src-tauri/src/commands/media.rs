//! `load_media`: a photo's or document's picture for the chat (the bubble size) or the
//! viewer (the largest size), from the account's media cache in `hearth-accounts`.
//!
//! The bytes go to the webview as the command's raw answer (`tauri::ipc::Response`, an
//! `ArrayBuffer` in JavaScript, no JSON or base64 on the way), and the UI shows them
//! through a `blob:` URL it creates and revokes itself. This was chosen over a custom URI
//! scheme because it keeps one door into the app: the command is checked by the same
//! capability as every other one, fails with the same `CommandError` in plain words, and
//! reports download progress on a channel, while the CSP's `img-src` only has to add
//! `blob:` (URLs the page itself made from bytes it holds) instead of a second origin that
//! differs per platform (`hearth-media://` on Linux and macOS, `http://hearth-media.localhost`
//! on Windows) and would answer any URL the page builds.

use hearth_accounts::{AccountId, MediaRequest, MediaVariant as Variant, Progress};
use tauri::ipc::{Channel, Response};
use tauri::State;

use crate::error::{codes, CommandError};
use crate::startup::AppState;
use crate::transfers::{peer, MediaProgress, MediaVariant};

/// `load_media`: the bytes of picture `variant` of media `media_id` (a decimal string) in
/// message `message_id`, with the download's progress on `on_progress` when it is not
/// cached yet.
#[tauri::command]
pub async fn load_media(
    state: State<'_, AppState>,
    account_id: i64,
    peer_id: i64,
    message_id: i32,
    media_id: String,
    variant: MediaVariant,
    on_progress: Channel<MediaProgress>,
) -> Result<Response, CommandError> {
    let media_id = media_id.parse().map_err(|_| {
        CommandError::new(
            codes::INVALID_INPUT,
            format!("{media_id:?} is not a photo or document id"),
        )
        .on_field("media_id")
    })?;
    let request = MediaRequest {
        account: AccountId(account_id),
        peer: peer(peer_id)?,
        message_id,
        media_id,
        variant: match variant {
            MediaVariant::Thumb => Variant::Thumb,
            MediaVariant::Full => Variant::Full,
        },
    };
    let (tx, mut rx) = tokio::sync::watch::channel(Progress::default());
    // Ends when the load drops its sender or the page stops listening.
    tokio::spawn(async move {
        while rx.changed().await.is_ok() {
            let p = *rx.borrow_and_update();
            let view = MediaProgress {
                done: p.done,
                total: p.total,
            };
            if on_progress.send(view).is_err() {
                return;
            }
        }
    });
    let bytes = state.media().load(request, Some(tx)).await?;
    Ok(Response::new(bytes))
}
