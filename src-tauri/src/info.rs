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
    /// Where the running app's executable is (absolute), e.g. `/usr/bin/hearth`
    /// for an installed package.
    pub executable: String,
    /// Where `hearth-cli` is: next to the app's executable, else the first on
    /// `PATH`; `None` when neither has it.
    pub cli_path: Option<String>,
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
            executable: std::env::current_exe()
                .map(|path| path.display().to_string())
                .unwrap_or_else(|error| format!("unknown ({error})")),
            cli_path: find_cli(
                std::env::current_exe().ok().as_deref(),
                std::env::var_os("PATH").as_deref(),
            )
            .map(|path| path.display().to_string()),
        }
    }
}

/// The name of the command-line binary, as built and as installed.
pub const CLI_NAME: &str = "hearth-cli";

/// Finds `hearth-cli`: next to `exe` first (a package installs both in one
/// directory, a build tree builds both into one), then in each directory of
/// `path` (a `PATH` value) in order. Only executable regular files count.
pub fn find_cli(exe: Option<&Path>, path: Option<&std::ffi::OsStr>) -> Option<std::path::PathBuf> {
    let beside = exe.and_then(Path::parent).map(Path::to_path_buf);
    let on_path = path.into_iter().flat_map(std::env::split_paths);
    beside
        .into_iter()
        .chain(on_path)
        .filter(|dir| dir.is_absolute())
        .map(|dir| dir.join(format!("{CLI_NAME}{}", std::env::consts::EXE_SUFFIX)))
        .find(|candidate| is_executable(candidate))
}

fn is_executable(path: &Path) -> bool {
    let Ok(meta) = std::fs::metadata(path) else {
        return false;
    };
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        meta.is_file() && meta.permissions().mode() & 0o111 != 0
    }
    #[cfg(not(unix))]
    {
        meta.is_file()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn executable(path: &Path) {
        std::fs::write(path, b"#!/bin/sh\n").unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755)).unwrap();
        }
    }

    #[test]
    fn the_cli_beside_the_app_wins_over_path() {
        let tmp = tempfile::tempdir().unwrap();
        let (app_dir, path_dir) = (tmp.path().join("app"), tmp.path().join("bin"));
        std::fs::create_dir_all(&app_dir).unwrap();
        std::fs::create_dir_all(&path_dir).unwrap();
        executable(&app_dir.join(CLI_NAME));
        executable(&path_dir.join(CLI_NAME));
        let path = std::env::join_paths([&path_dir]).unwrap();
        let found = find_cli(Some(&app_dir.join("hearth")), Some(&path));
        assert_eq!(found, Some(app_dir.join(CLI_NAME)));
    }

    #[test]
    fn the_cli_is_found_on_path_and_non_executables_are_skipped() {
        let tmp = tempfile::tempdir().unwrap();
        let (first, second) = (tmp.path().join("first"), tmp.path().join("second"));
        std::fs::create_dir_all(&first).unwrap();
        std::fs::create_dir_all(&second).unwrap();
        std::fs::write(first.join(CLI_NAME), b"not executable").unwrap();
        executable(&second.join(CLI_NAME));
        let path = std::env::join_paths([&first, &second]).unwrap();
        let found = find_cli(Some(&tmp.path().join("app/hearth")), Some(&path));
        #[cfg(unix)]
        assert_eq!(found, Some(second.join(CLI_NAME)));
        #[cfg(not(unix))]
        assert!(found.is_some());
    }

    #[test]
    fn no_cli_anywhere_is_none_and_relative_path_entries_are_ignored() {
        let tmp = tempfile::tempdir().unwrap();
        let path =
            std::env::join_paths(["relative/bin", &tmp.path().display().to_string()]).unwrap();
        assert_eq!(find_cli(None, Some(&path)), None);
        assert_eq!(find_cli(None, None), None);
    }
}
