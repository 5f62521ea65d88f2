//! `HEARTH_DATA_DIR` overrides the data directory. The only test in this binary, because it
//! sets a process-wide environment variable.

use hearth_store::paths::{data_dir, DATA_DIR_ENV};

#[test]
fn env_var_overrides_and_creates_the_dir() {
    let tmp = tempfile::tempdir().unwrap();
    let wanted = tmp.path().join("profiles/second");
    std::env::set_var(DATA_DIR_ENV, &wanted);
    let dir = data_dir().unwrap();
    assert_eq!(dir, wanted);
    assert!(dir.is_dir());
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&dir).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o700);
    }
    // Calling again with the directory present is fine.
    assert_eq!(data_dir().unwrap(), dir);

    // A relative override is made absolute against the current directory.
    std::env::set_current_dir(tmp.path()).unwrap();
    std::env::set_var(DATA_DIR_ENV, "relative/profile");
    assert_eq!(
        data_dir().unwrap(),
        std::env::current_dir().unwrap().join("relative/profile")
    );
    assert!(tmp.path().join("relative/profile").is_dir());
}
