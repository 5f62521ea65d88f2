//! TypeScript bindings for the IPC types, generated with `ts-rs`.
//!
//! `tests/bindings.rs` compares these with the committed files in
//! `ui/src/lib/bindings/` and fails when they differ; run
//! `HEARTH_UPDATE_BINDINGS=1 cargo test -p hearth-app --test bindings` to
//! rewrite them.

use std::path::PathBuf;

use ts_rs::TS;

use crate::info::{AccountSummary, AppInfo, CommandError};

/// The directory the UI imports bindings from.
pub fn bindings_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../ui/src/lib/bindings")
}

/// Every exported type as `(file name, file contents)`.
pub fn generated() -> Result<Vec<(String, String)>, ts_rs::ExportError> {
    Ok(vec![
        (
            format!("{}.ts", AppInfo::name()),
            AppInfo::export_to_string()?,
        ),
        (
            format!("{}.ts", AccountSummary::name()),
            AccountSummary::export_to_string()?,
        ),
        (
            format!("{}.ts", CommandError::name()),
            CommandError::export_to_string()?,
        ),
    ])
}
