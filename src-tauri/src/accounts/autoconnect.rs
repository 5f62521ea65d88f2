//! Every account connects when the app starts, so its updates flow from the
//! first moment and the sidebar's dots say at once where each account stands
//! (online, unreachable, or signed out from another device). The shared
//! service opens clients lazily (`hearth-cli` wants that); the app asks for
//! each one here.

use hearth_accounts::Accounts;

/// Opens every account's client in the background, all at once. A failure
/// is not lost: the service records it as the account's connection state,
/// which the sidebar shows, and the next use tries again.
pub fn connect_all(accounts: Accounts) {
    tauri::async_runtime::spawn(async move {
        let list = match accounts.list() {
            Ok(list) => list,
            Err(error) => {
                eprintln!("hearth: could not list the accounts to connect them: {error}");
                return;
            }
        };
        for account in list {
            let accounts = accounts.clone();
            tauri::async_runtime::spawn(async move {
                // The state (online, unreachable, signed out) carries the outcome.
                let _ = accounts.client(account.id).await;
            });
        }
    });
}
