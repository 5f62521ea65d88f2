//! `prepare()` resolves `HEARTH_DATA_DIR`; an unusable one is a data-directory
//! error (exit code 2), not a panic. One test per binary: it sets the
//! process environment.

use hearth_app::startup::{prepare, StartupError, EXIT_DATA_DIR};

#[test]
fn data_dir_from_env_and_unusable_dir_error() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("profile");
    std::env::set_var("HEARTH_DATA_DIR", &dir);
    let state = prepare().expect("HEARTH_DATA_DIR is created and used");
    let canonical = std::fs::canonicalize(&dir).unwrap();
    assert_eq!(state.info().data_dir, canonical.display().to_string());
    drop(state);

    let file = tmp.path().join("not-a-dir");
    std::fs::write(&file, b"x").unwrap();
    std::env::set_var("HEARTH_DATA_DIR", &file);
    let err = match prepare() {
        Ok(_) => panic!("a file as data directory must fail"),
        Err(err) => err,
    };
    assert!(matches!(err, StartupError::DataDir(_)), "{err:?}");
    assert_eq!(err.exit_code(), EXIT_DATA_DIR);
    assert!(err.to_string().contains("not-a-dir"), "{err}");
}
