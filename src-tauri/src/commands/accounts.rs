//! Account commands: each is one call into [`crate::accounts::AppAccounts`]
//! (over the shared `hearth-accounts` service); each needs a permission in
//! `capabilities/`.

use tauri::ipc::Channel;
use tauri::{AppHandle, State};

use crate::accounts::import::{
    ImportFormat, ImportOutcome, ImportPreview, ImportRequest, ImportSource,
};
use crate::accounts::types::{
    AccountEvent, AccountView, LoginRequest, LoginStep, NetworkOption, SessionView,
};
use crate::error::CommandError;
use crate::startup::AppState;

/// `list_accounts`: the accounts in sidebar order with their connection state.
#[tauri::command]
pub fn list_accounts(state: State<'_, AppState>) -> Result<Vec<AccountView>, CommandError> {
    state.accounts().list()
}

/// `reorder_accounts`: saves the sidebar order (every account id, top first).
#[tauri::command]
pub fn reorder_accounts(state: State<'_, AppState>, ids: Vec<i64>) -> Result<(), CommandError> {
    state.accounts().reorder(&ids)
}

/// `log_out_account`: ends the account's session on Telegram, then forgets it here.
#[tauri::command]
pub async fn log_out_account(state: State<'_, AppState>, id: i64) -> Result<(), CommandError> {
    state.accounts().log_out(id).await
}

/// `remove_account`: forgets the account here (keys first); Telegram is not told.
#[tauri::command]
pub async fn remove_account(state: State<'_, AppState>, id: i64) -> Result<(), CommandError> {
    state.accounts().remove(id).await
}

/// `set_account_proxy`: the saved proxy the account connects through (`null`: direct).
#[tauri::command]
pub async fn set_account_proxy(
    state: State<'_, AppState>,
    id: i64,
    proxy_id: Option<i64>,
) -> Result<(), CommandError> {
    state.accounts().set_proxy(id, proxy_id).await
}

/// `subscribe_account_events`: connection and list changes, on `on_event`,
/// until the page goes away.
#[tauri::command]
pub async fn subscribe_account_events(
    state: State<'_, AppState>,
    on_event: Channel<AccountEvent>,
) -> Result<(), CommandError> {
    // Async so the forwarding task starts inside the runtime.
    state
        .accounts()
        .subscribe(move |event| on_event.send(event).is_ok());
    Ok(())
}

/// `list_login_networks`: the networks Add account offers.
#[tauri::command]
pub fn list_login_networks(state: State<'_, AppState>) -> Result<Vec<NetworkOption>, CommandError> {
    state.accounts().networks()
}

/// `begin_login`: connects to the chosen network; the flow's id.
#[tauri::command]
pub async fn begin_login(
    state: State<'_, AppState>,
    request: LoginRequest,
) -> Result<u32, CommandError> {
    state.accounts().begin_login(request).await
}

/// `login_submit_phone`: sends a login code to `phone`.
#[tauri::command]
pub async fn login_submit_phone(
    state: State<'_, AppState>,
    flow: u32,
    phone: String,
) -> Result<LoginStep, CommandError> {
    state.accounts().submit_phone(flow, &phone).await
}

/// `login_resend_code`: sends the code again, the next way Telegram offers.
#[tauri::command]
pub async fn login_resend_code(
    state: State<'_, AppState>,
    flow: u32,
) -> Result<LoginStep, CommandError> {
    state.accounts().resend_code(flow).await
}

/// `login_submit_code`: signs in with the code.
#[tauri::command]
pub async fn login_submit_code(
    state: State<'_, AppState>,
    flow: u32,
    code: String,
) -> Result<LoginStep, CommandError> {
    state.accounts().submit_code(flow, &code).await
}

/// `login_submit_password`: the 2FA password.
#[tauri::command]
pub async fn login_submit_password(
    state: State<'_, AppState>,
    flow: u32,
    password: String,
) -> Result<LoginStep, CommandError> {
    state.accounts().submit_password(flow, &password).await
}

/// `login_submit_sign_up`: creates the account for a new number.
#[tauri::command]
pub async fn login_submit_sign_up(
    state: State<'_, AppState>,
    flow: u32,
    first_name: String,
    last_name: String,
) -> Result<LoginStep, CommandError> {
    state
        .accounts()
        .sign_up(flow, &first_name, &last_name)
        .await
}

/// `login_submit_bot_token`: signs a bot in.
#[tauri::command]
pub async fn login_submit_bot_token(
    state: State<'_, AppState>,
    flow: u32,
    token: String,
) -> Result<LoginStep, CommandError> {
    state.accounts().submit_bot_token(flow, &token).await
}

/// `login_start_qr`: streams each QR code on `on_step`; resolves once scanned.
#[tauri::command]
pub async fn login_start_qr(
    state: State<'_, AppState>,
    flow: u32,
    on_step: Channel<LoginStep>,
) -> Result<LoginStep, CommandError> {
    state
        .accounts()
        .qr(flow, move |step| {
            // The page may be gone; the login still finishes.
            let _ = on_step.send(step);
        })
        .await
}

/// `login_cancel`: gives up a login.
#[tauri::command]
pub async fn login_cancel(state: State<'_, AppState>, flow: u32) -> Result<(), CommandError> {
    state.accounts().cancel(flow).await
}

/// `list_sessions`: the account's authorizations.
#[tauri::command]
pub async fn list_sessions(
    state: State<'_, AppState>,
    account_id: i64,
) -> Result<Vec<SessionView>, CommandError> {
    state.accounts().sessions(account_id).await
}

/// `terminate_session`: ends one authorization (`hash` as listed).
#[tauri::command]
pub async fn terminate_session(
    state: State<'_, AppState>,
    account_id: i64,
    hash: String,
) -> Result<(), CommandError> {
    state.accounts().terminate(account_id, &hash).await
}

/// `terminate_other_sessions`: ends every authorization but Hearth's.
#[tauri::command]
pub async fn terminate_other_sessions(
    state: State<'_, AppState>,
    account_id: i64,
) -> Result<(), CommandError> {
    state.accounts().terminate_others(account_id).await
}

/// `pick_session_file`: a native dialog to choose a session file; `null` when closed.
/// Its twin for drops and tests is a path given to `inspect_session` directly.
#[tauri::command]
pub async fn pick_session_file(app: AppHandle) -> Result<Option<String>, CommandError> {
    let picked = crate::transfers::pick_file_dialog(&app, "Choose a session file").await?;
    Ok(picked.map(|p| p.display().to_string()))
}

/// `pick_session_folder`: a native dialog to choose a Telegram Desktop tdata
/// folder (or the folder holding it); `null` when closed.
#[tauri::command]
pub async fn pick_session_folder(app: AppHandle) -> Result<Option<String>, CommandError> {
    let picked =
        crate::transfers::pick_folder_dialog(&app, "Choose Telegram Desktop's tdata folder")
            .await?;
    Ok(picked.map(|p| p.display().to_string()))
}

/// `inspect_session`: reads a session file or string (nothing connects) and refuses
/// a key Hearth already holds; what it found, to show before the import.
#[tauri::command]
pub fn inspect_session(
    state: State<'_, AppState>,
    source: ImportSource,
    format: ImportFormat,
) -> Result<ImportPreview, CommandError> {
    state.accounts().inspect_import(&source, format)
}

/// `import_session`: checks each chosen session's key with its DC, then adds its
/// account; what became of each.
#[tauri::command]
pub async fn import_session(
    state: State<'_, AppState>,
    request: ImportRequest,
) -> Result<Vec<ImportOutcome>, CommandError> {
    state.accounts().import(request).await
}
