//! Tauri build script. The configuration lives at the repository root
//! (`../tauri.conf.json`) so it is shared by the UI and the app crate; the
//! app manifest lists our commands so each one needs an explicit permission
//! in `capabilities/`.

fn main() {
    let attributes = tauri_build::Attributes::new()
        .config_path("../tauri.conf.json")
        .app_manifest(tauri_build::AppManifest::new().commands(&[
            "app_info",
            "ui_ready",
            "list_accounts",
            "reorder_accounts",
            "log_out_account",
            "remove_account",
            "set_account_proxy",
            "subscribe_account_events",
            "list_login_networks",
            "begin_login",
            "login_submit_phone",
            "login_resend_code",
            "login_submit_code",
            "login_submit_password",
            "login_submit_sign_up",
            "login_submit_bot_token",
            "login_start_qr",
            "login_cancel",
            "pick_session_file",
            "pick_session_folder",
            "inspect_session",
            "import_session",
            "list_sessions",
            "terminate_session",
            "terminate_other_sessions",
            "export_session",
            "export_session_to",
            "list_dialogs",
            "chat_history",
            "search_chat",
            "search_messages",
            "send_message",
            "send_file_id",
            "edit_message",
            "delete_messages",
            "read_chat",
            "last_open_chat",
            "set_open_chat",
            "subscribe_chat_events",
            "list_networks",
            "start_local_network",
            "run_diagnostics",
            "save_report",
            "list_proxies",
            "add_proxy",
            "remove_proxy",
            "start_download",
            "start_download_to",
            "start_upload",
            "start_upload_paths",
            "cancel_transfer",
            "list_transfers",
            "subscribe_transfers",
            "load_media",
        ]));
    if let Err(error) = tauri_build::try_build(attributes) {
        // A build script reports failure by exiting non-zero with a message.
        eprintln!("tauri build configuration failed: {error:#}");
        std::process::exit(1);
    }
}
