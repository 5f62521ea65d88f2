//! IPC commands. Each one is a thin call into the state prepared at startup
//! or into a library crate; each needs a permission in `capabilities/`.

use tauri::State;

use crate::info::AppInfo;
use crate::startup::AppState;

/// `app_info`: facts about this installation (version, TL layer, data directory).
#[tauri::command]
pub fn app_info(state: State<'_, AppState>) -> AppInfo {
    state.info().clone()
}
