//! Hearth desktop shell.
//!
//! A thin layer over the library crates: [`startup`] prepares the data
//! directory, the single-instance lock and the database before any window
//! exists; [`ready`] reports when the window became interactive;
//! [`commands`] exposes typed IPC commands to the UI; [`webview`] sets what
//! the configuration cannot (hardware acceleration off on Linux); [`info`] holds
//! the types shared with TypeScript (generated into `ui/src/lib/bindings/`
//! by `ts-rs`, checked for drift by `tests/bindings.rs`).

pub mod accounts;
pub mod bindings;
pub mod chats;
pub mod commands;
pub mod diagnostics;
pub mod error;
pub mod info;
pub mod ready;
pub mod signals;
pub mod startup;
pub mod transfers;
pub mod webview;

use std::path::Path;
use std::process::ExitCode;

use tauri::Manager;

pub use startup::{AppState, StartupError};

/// Exit code when the Tauri runtime itself fails (no display, webview error).
pub const EXIT_RUNTIME: u8 = 1;

/// The folder inside the data directory where the webview keeps its own
/// data and cache (WebKit's local storage, caches, GPU shader cache).
pub const WEBVIEW_DIR: &str = "webview";

/// Opens the main window from its entry in `tauri.conf.json` (`create` is
/// off there), with the webview's data and cache in [`WEBVIEW_DIR`] inside
/// the data directory rather than WebKit's per-user defaults
/// (`~/.local/share/<identifier>`, `~/.cache/<identifier>`): everything
/// Hearth writes stays in the one directory the user chose, is removed with
/// it, and a second profile (`HEARTH_DATA_DIR`) shares nothing with the first.
fn open_main_window(app: &tauri::App, data_dir: &Path) -> tauri::Result<()> {
    let Some(config) = app.config().app.windows.iter().find(|w| w.label == "main") else {
        return Err(tauri::Error::WindowNotFound);
    };
    tauri::WebviewWindowBuilder::from_config(app.handle(), config)?
        .data_directory(data_dir.join(WEBVIEW_DIR))
        .build()?;
    Ok(())
}

/// Runs the desktop app on a prepared [`AppState`] until the last window
/// closes.
pub fn run(state: AppState) -> ExitCode {
    let result = tauri::Builder::default()
        .manage(state)
        .setup(|app| {
            let state = app.state::<AppState>();
            open_main_window(app, Path::new(&state.info().data_dir))?;
            webview::configure(app.handle());
            accounts::autoconnect::connect_all(state.accounts().service().clone());
            let handle = app.handle().clone();
            signals::quit_on_signal(move || handle.exit(0));
            Ok(())
        })
        .invoke_handler(tauri::generate_handler![
            commands::app_info,
            commands::ui_ready,
            commands::accounts::list_accounts,
            commands::accounts::reorder_accounts,
            commands::accounts::log_out_account,
            commands::accounts::remove_account,
            commands::accounts::set_account_proxy,
            commands::accounts::subscribe_account_events,
            commands::accounts::list_login_networks,
            commands::accounts::begin_login,
            commands::accounts::login_submit_phone,
            commands::accounts::login_resend_code,
            commands::accounts::login_submit_code,
            commands::accounts::login_submit_password,
            commands::accounts::login_submit_sign_up,
            commands::accounts::login_submit_bot_token,
            commands::accounts::login_start_qr,
            commands::accounts::login_cancel,
            commands::accounts::pick_session_file,
            commands::accounts::pick_session_folder,
            commands::accounts::inspect_session,
            commands::accounts::import_session,
            commands::accounts::list_sessions,
            commands::accounts::terminate_session,
            commands::accounts::terminate_other_sessions,
            commands::export::export_session,
            commands::export::export_session_to,
            commands::chats::list_dialogs,
            commands::chats::chat_history,
            commands::chats::search_chat,
            commands::chats::search_messages,
            commands::chats::send_message,
            commands::chats::send_file_id,
            commands::chats::edit_message,
            commands::chats::delete_messages,
            commands::chats::read_chat,
            commands::chats::last_open_chat,
            commands::chats::set_open_chat,
            commands::chats::subscribe_chat_events,
            commands::list_networks,
            commands::start_local_network,
            commands::run_diagnostics,
            commands::save_report,
            commands::list_proxies,
            commands::add_proxy,
            commands::remove_proxy,
            commands::transfers::start_download,
            commands::transfers::start_download_to,
            commands::transfers::start_upload,
            commands::transfers::start_upload_paths,
            commands::transfers::cancel_transfer,
            commands::transfers::list_transfers,
            commands::transfers::subscribe_transfers,
            commands::media::load_media
        ])
        .build(tauri::generate_context!("../tauri.conf.json"));
    match result {
        Ok(app) => {
            app.run(|handle, event| {
                if let tauri::RunEvent::Exit = event {
                    // Accounts close first; the local test network they may
                    // use lives as long as the app.
                    let state = handle.state::<AppState>();
                    tauri::async_runtime::block_on(async {
                        state.accounts().shutdown().await;
                        state.diagnostics().shutdown().await;
                    });
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
