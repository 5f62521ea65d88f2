//! Where Hearth keeps its data.

use std::path::{Path, PathBuf};

use crate::StoreError;

/// The environment variable that overrides the data directory (tests, end-to-end runs,
/// several profiles side by side).
pub const DATA_DIR_ENV: &str = "HEARTH_DATA_DIR";

/// The application name used for the platform data directory.
pub const APP_NAME: &str = "Hearth";

/// The platform's per-user data directory for Hearth, without creating it:
/// `~/.local/share/hearth` (or `$XDG_DATA_HOME/hearth`) on Linux,
/// `~/Library/Application Support/Hearth` on macOS, `%LOCALAPPDATA%\Hearth\data` on Windows.
///
/// The local (non-roaming) directory is used on Windows: the database holds per-machine session
/// state that must not follow a roaming profile to another machine.
pub fn default_data_dir() -> Result<PathBuf, StoreError> {
    directories::ProjectDirs::from("", "", APP_NAME)
        .map(|dirs| dirs.data_local_dir().to_path_buf())
        .ok_or(StoreError::NoHomeDir)
}

/// The data directory to use: `$HEARTH_DATA_DIR` when set and non-empty, otherwise
/// [`default_data_dir`]. The directory is created if missing and made private to the user
/// (mode 0700 on Unix). The returned path is absolute.
pub fn data_dir() -> Result<PathBuf, StoreError> {
    let dir = match std::env::var_os(DATA_DIR_ENV) {
        Some(value) if !value.is_empty() => PathBuf::from(value),
        _ => default_data_dir()?,
    };
    ensure_private_dir(&dir)?;
    // `absolute`, not `canonicalize`: no `\\?\` verbatim prefix on Windows.
    std::path::absolute(&dir).map_err(|source| StoreError::DataDir { path: dir, source })
}

/// Creates `dir` (and missing parents) and makes it accessible to the owner only.
///
/// An existing directory that group or others can access is tightened to 0700 on Unix: it will
/// hold the account database.
pub fn ensure_private_dir(dir: &Path) -> Result<(), StoreError> {
    let err = |source| StoreError::DataDir {
        path: dir.to_path_buf(),
        source,
    };
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder.create(dir).map_err(err)?;
    if !dir.is_dir() {
        return Err(err(std::io::Error::new(
            std::io::ErrorKind::AlreadyExists,
            "a file, not a directory, has that name",
        )));
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(dir).map_err(err)?.permissions().mode();
        if mode & 0o077 != 0 {
            tracing::warn!(dir = %dir.display(), mode = format_args!("{:o}", mode & 0o777), "data directory was accessible to others; restricting it to 0700");
            std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700)).map_err(err)?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn creates_nested_dir_private() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("a/b/profile");
        ensure_private_dir(&dir).unwrap();
        assert!(dir.is_dir());
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&dir).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o700);
        }
    }

    #[cfg(unix)]
    #[test]
    fn tightens_existing_open_dir() {
        use std::os::unix::fs::PermissionsExt;
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("open");
        std::fs::create_dir(&dir).unwrap();
        std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o755)).unwrap();
        ensure_private_dir(&dir).unwrap();
        let mode = std::fs::metadata(&dir).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o700);
    }

    #[test]
    fn refuses_a_file_in_the_way() {
        let tmp = tempfile::tempdir().unwrap();
        let file = tmp.path().join("file");
        std::fs::write(&file, b"x").unwrap();
        let err = ensure_private_dir(&file).unwrap_err();
        assert!(matches!(err, StoreError::DataDir { .. }), "{err}");
        assert!(err.to_string().contains(&file.display().to_string()));
    }

    #[test]
    fn default_dir_is_named_after_the_app() {
        let dir = default_data_dir().unwrap();
        let name = dir
            .components()
            .map(|c| c.as_os_str().to_string_lossy().to_lowercase())
            .any(|c| c == "hearth");
        assert!(name, "{}", dir.display());
    }
}
