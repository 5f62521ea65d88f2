//! Every account connects when the app starts, so its updates flow from the
//! first moment and the sidebar's dots say at once where each account stands
//! (online, unreachable, or signed out from another device). The shared
//! service opens clients lazily (`hearth-cli` wants that); the app asks for
//! each one here, once the window is interactive: key exchanges, keyring
//! reads and catching up on updates would otherwise share the CPU with the
//! first paint (on 2 busy cores they delayed it: `scripts/bench-startup.sh`).

use std::time::Duration;

use hearth_accounts::Accounts;

/// How long connecting waits for the window at most, should the UI never
/// report it interactive (a webview that failed to load).
pub const WINDOW_WAIT: Duration = Duration::from_secs(5);

/// Opens every account's client in the background, all at once, after the
/// window is interactive (or [`WINDOW_WAIT`]). A failure is not lost: the
/// service records it as the account's connection state, which the sidebar
/// shows, and the next use tries again.
pub fn connect_all(accounts: Accounts) {
    tauri::async_runtime::spawn(async move {
        let _ = tokio::time::timeout(WINDOW_WAIT, crate::ready::interactive()).await;
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
