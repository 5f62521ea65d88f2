//! Hearth desktop shell.
//!
//! A thin layer over the library crates: [`startup`] prepares the data
//! directory, the single-instance lock and the database before any window
//! exists; [`commands`] exposes typed IPC commands to the UI; [`info`] holds
//! the types shared with TypeScript (generated into `ui/src/lib/bindings/`
//! by `ts-rs`, checked for drift by `tests/bindings.rs`).

pub mod accounts;
pub mod bindings;
pub mod commands;
pub mod diagnostics;
pub mod error;
pub mod info;
pub mod startup;

use std::process::ExitCode;

use tauri::Manager;

pub use startup::{AppState, StartupError};

/// Exit code when the Tauri runtime itself fails (no display, webview error).
pub const EXIT_RUNTIME: u8 = 1;

/// Runs the desktop app on a prepared [`AppState`] until the last window
/// closes.
pub fn run(state: AppState) -> ExitCode {
    let result = tauri::Builder::default()
        .manage(state)
        .invoke_handler(tauri::generate_handler![
            commands::app_info,
            commands::list_accounts,
            commands::list_networks,
            commands::start_local_network,
            commands::run_diagnostics,
            commands::save_report,
            commands::list_proxies,
            commands::add_proxy,
            commands::remove_proxy
        ])
        .build(tauri::generate_context!("../tauri.conf.json"));
    match result {
        Ok(app) => {
            app.run(|handle, event| {
                if let tauri::RunEvent::Exit = event {
                    // The local test network lives as long as the app.
                    let state = handle.state::<AppState>();
                    tauri::async_runtime::block_on(state.diagnostics().shutdown());
                }
            });
            ExitCode::SUCCESS
        }
        Err(error) => {
            startup::report_fatal(&format!("Hearth could not start its window: {error}"));
            ExitCode::from(EXIT_RUNTIME)
        }
    }
}
