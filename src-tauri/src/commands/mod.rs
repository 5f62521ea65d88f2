//! IPC commands. Each one is a thin call into the state prepared at startup
//! or into a library crate; each needs a permission in `capabilities/`.
//! The account commands are in [`accounts`], the chat commands in [`chats`], session export
//! in [`export`], the file transfer commands in [`transfers`], the pictures the chat shows in
//! [`media`].

pub mod accounts;
pub mod chats;
pub mod export;
pub mod media;
pub mod transfers;

use tauri::ipc::Channel;
use tauri::State;

use crate::diagnostics::sweep;
use crate::diagnostics::types::{
    LocalNetworkInfo, NetworkChoice, ProxyEntry, ProxyInput, SavedReport, SweepEvent, SweepRequest,
};
use crate::info::{AppInfo, CommandError};
use crate::startup::AppState;

/// `app_info`: facts about this installation (version, TL layer, data directory).
#[tauri::command]
pub fn app_info(state: State<'_, AppState>) -> AppInfo {
    state.info().clone()
}

/// `ui_ready`: the UI has painted the account list (`accounts` entries) and
/// takes input; logged once, with the time since the process started.
#[tauri::command]
pub fn ui_ready(accounts: u32) {
    crate::ready::report_interactive(accounts);
}

/// `list_networks`: the networks the Diagnostics page offers.
#[tauri::command]
pub fn list_networks() -> Vec<NetworkChoice> {
    sweep::network_choices()
}

/// `start_local_network`: starts the built-in local test network (once per
/// app run) and lists its DCs.
#[tauri::command]
pub async fn start_local_network(
    state: State<'_, AppState>,
) -> Result<LocalNetworkInfo, CommandError> {
    state.diagnostics().start_local().await
}

/// `run_diagnostics`: starts a sweep; `on_event` receives the plan, each
/// probe as it finishes and the end. Returns the run number.
#[tauri::command]
pub async fn run_diagnostics(
    state: State<'_, AppState>,
    request: SweepRequest,
    on_event: Channel<SweepEvent>,
) -> Result<u32, CommandError> {
    state
        .diagnostics()
        .run(state.database(), &request, move |event| {
            // The page may be gone (window closed); the sweep just ends.
            let _ = on_event.send(event);
        })
        .await
}

/// `save_report`: writes the latest results as JSON into the data directory.
#[tauri::command]
pub fn save_report(state: State<'_, AppState>) -> Result<SavedReport, CommandError> {
    state.diagnostics().save_report()
}

/// `list_proxies`: saved proxies and those kept for this run.
#[tauri::command]
pub fn list_proxies(state: State<'_, AppState>) -> Result<Vec<ProxyEntry>, CommandError> {
    state.diagnostics().proxies(state.database())
}

/// `add_proxy`: adds a proxy from a pasted link or the form.
#[tauri::command]
pub fn add_proxy(
    state: State<'_, AppState>,
    input: ProxyInput,
) -> Result<ProxyEntry, CommandError> {
    state.diagnostics().add_proxy(state.database(), &input)
}

/// `remove_proxy`: forgets a proxy and its keyring entry.
#[tauri::command]
pub fn remove_proxy(state: State<'_, AppState>, id: i64) -> Result<(), CommandError> {
    state.diagnostics().remove_proxy(state.database(), id)
}
