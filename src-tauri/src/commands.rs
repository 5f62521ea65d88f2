//! IPC commands. Each one is a thin call into the state prepared at startup
//! or into a library crate; each needs a permission in `capabilities/`.

use hearth_store::Database;
use tauri::State;

use crate::info::{AccountSummary, AppInfo, CommandError};
use crate::startup::AppState;

/// `app_info`: facts about this installation (version, TL layer, data directory).
#[tauri::command]
pub fn app_info(state: State<'_, AppState>) -> AppInfo {
    state.info().clone()
}

/// `list_accounts`: the stored accounts, most recently used first.
#[tauri::command]
pub fn list_accounts(state: State<'_, AppState>) -> Result<Vec<AccountSummary>, CommandError> {
    let database = state.database().lock().map_err(|_| CommandError {
        message: "the database is unavailable after an earlier failure; restart Hearth".into(),
    })?;
    account_summaries(&database)
}

/// The sidebar's view of the accounts in `database`.
pub fn account_summaries(database: &Database) -> Result<Vec<AccountSummary>, CommandError> {
    Ok(database
        .list_accounts()?
        .iter()
        .map(AccountSummary::from)
        .collect())
}
