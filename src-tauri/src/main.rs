// Keep a console window from opening next to the app on Windows release builds.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

use std::process::ExitCode;

fn main() -> ExitCode {
    // Start-up time is measured from here (see `hearth_app::ready`).
    hearth_app::ready::mark_process_start();
    // Data directory, instance lock and database come before any window.
    match hearth_app::startup::prepare() {
        Ok(state) => hearth_app::run(state),
        Err(error) => {
            hearth_app::startup::report_fatal(&error.to_string());
            ExitCode::from(error.exit_code())
        }
    }
}
