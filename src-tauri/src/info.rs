//! Facts about this installation, shown in the UI's footer and Diagnostics page.

use std::path::Path;

use serde::Serialize;
use ts_rs::TS;

pub use crate::error::CommandError;

/// What the UI shows under "About this installation".
///
/// Invariant: every field is known once startup has succeeded; nothing here
/// is secret (no keys, no phone numbers), so it may be shown and copied freely.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, TS)]
pub struct AppInfo {
    /// The app's version (the `hearth-app` crate version).
    pub app_version: String,
    /// The Telegram API layer the TL types were generated from.
    pub tl_layer: i32,
    /// The data directory in use (absolute).
    pub data_dir: String,
    /// The SQLite database file inside the data directory.
    pub database_path: String,
    /// The database schema version this build writes.
    pub schema_version: u32,
    /// Operating system and CPU architecture, e.g. `linux x86_64`.
    pub platform: String,
    /// `debug` or `release`.
    pub build_profile: String,
}

impl AppInfo {
    /// The facts for a process using `data_dir` and the database at `database_path`.
    pub fn collect(data_dir: &Path, database_path: &Path) -> Self {
        AppInfo {
            app_version: env!("CARGO_PKG_VERSION").to_owned(),
            tl_layer: hearth_tl::LAYER,
            data_dir: data_dir.display().to_string(),
            database_path: database_path.display().to_string(),
            schema_version: u32::try_from(hearth_store::SCHEMA_VERSION).unwrap_or(u32::MAX),
            platform: format!("{} {}", std::env::consts::OS, std::env::consts::ARCH),
            build_profile: if cfg!(debug_assertions) {
                "debug"
            } else {
                "release"
            }
            .to_owned(),
        }
    }
}
