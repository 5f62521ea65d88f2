//! Settings of the main window's webview that Tauri's configuration does not
//! reach.
//!
//! Linux (WebKitGTK): hardware acceleration is turned off
//! (`webkit_settings_set_hardware_acceleration_policy`, `NEVER`), so WebKit
//! paints the page with Skia on the CPU into one backing store instead of
//! compositing GPU-painted tiles. Hearth's page is a flat form UI (no WebGL,
//! video, 3D transforms or large animated areas) that the CPU paints as fast,
//! and the GPU path costs ~70 MiB more resident memory in the web process
//! (184 against 115 MiB idle with three accounts, measured by
//! `scripts/bench-startup.sh` under Mesa's software GL, issue 10's memory
//! target; screenshots of both modes differ only in anti-aliasing). It also
//! keeps the window away from the GPU-driver paths that leave some WebKitGTK
//! windows blank. Other platforms keep their defaults.
//!
//! Applied from `setup`, once the window exists and before the event loop
//! runs; a webview that cannot be reached keeps WebKit's defaults (logged,
//! never fatal).

use tauri::{AppHandle, Manager};

/// Applies the settings to the `main` window's webview, if there is one.
pub fn configure(app: &AppHandle) {
    let Some(window) = app.get_webview_window("main") else {
        return;
    };
    if let Err(error) = window.with_webview(platform::configure) {
        eprintln!("hearth: could not configure the webview ({error}); it keeps WebKit's defaults");
    }
}

#[cfg(target_os = "linux")]
mod platform {
    use tauri::webview::PlatformWebview;
    use webkit2gtk::{HardwareAccelerationPolicy, SettingsExt, WebViewExt};

    pub fn configure(webview: PlatformWebview) {
        if let Some(settings) = WebViewExt::settings(&webview.inner()) {
            settings.set_hardware_acceleration_policy(HardwareAccelerationPolicy::Never);
        }
    }
}

#[cfg(not(target_os = "linux"))]
mod platform {
    pub fn configure(_webview: tauri::webview::PlatformWebview) {}
}
