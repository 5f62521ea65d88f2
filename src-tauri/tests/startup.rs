//! Startup: the instance lock comes before the database, failures become
//! typed errors with distinct exit codes and user-facing messages.

use hearth_app::startup::{
    prepare_in, StartupError, EXIT_ALREADY_RUNNING, EXIT_DATABASE, EXIT_DATA_DIR,
};

#[test]
fn prepares_lock_database_and_info() {
    let tmp = tempfile::tempdir().unwrap();
    let state = prepare_in(tmp.path()).expect("fresh directory starts");
    let info = state.info();
    assert_eq!(info.tl_layer, 229);
    assert_eq!(info.app_version, env!("CARGO_PKG_VERSION"));
    assert_eq!(info.data_dir, tmp.path().display().to_string());
    let db = tmp.path().join(hearth_store::DATABASE_FILE_NAME);
    assert_eq!(info.database_path, db.display().to_string());
    assert!(db.is_file(), "database file created at {}", db.display());
    assert!(tmp.path().join(hearth_store::LOCK_FILE_NAME).exists());
}

#[test]
fn second_instance_is_refused_with_the_holders_pid() {
    let tmp = tempfile::tempdir().unwrap();
    let _first = prepare_in(tmp.path()).expect("first instance starts");
    let err = match prepare_in(tmp.path()) {
        Ok(_) => panic!("second instance on the same directory must be refused"),
        Err(err) => err,
    };
    assert!(matches!(err, StartupError::AlreadyRunning(_)), "{err:?}");
    assert_eq!(err.exit_code(), EXIT_ALREADY_RUNNING);
    let message = err.to_string();
    assert!(
        message.contains(&std::process::id().to_string()),
        "message names the PID: {message}"
    );
}

#[test]
fn lock_is_released_when_the_state_is_dropped() {
    let tmp = tempfile::tempdir().unwrap();
    drop(prepare_in(tmp.path()).expect("first start"));
    prepare_in(tmp.path()).expect("a later start after the first one ended");
}

#[test]
fn unusable_database_is_a_database_error() {
    let tmp = tempfile::tempdir().unwrap();
    // A directory where the database file should be cannot be opened.
    std::fs::create_dir(tmp.path().join(hearth_store::DATABASE_FILE_NAME)).unwrap();
    let err = match prepare_in(tmp.path()) {
        Ok(_) => panic!("a directory in place of the database must fail"),
        Err(err) => err,
    };
    assert!(matches!(err, StartupError::Database(_)), "{err:?}");
    assert_eq!(err.exit_code(), EXIT_DATABASE);
    assert!(err.to_string().contains("hearth.sqlite3"), "{err}");
}

#[test]
fn exit_codes_are_distinct_and_non_zero() {
    let codes = [
        EXIT_DATA_DIR,
        EXIT_ALREADY_RUNNING,
        hearth_app::startup::EXIT_LOCK,
        EXIT_DATABASE,
        hearth_app::EXIT_RUNTIME,
    ];
    for (i, a) in codes.iter().enumerate() {
        assert_ne!(*a, 0);
        for b in &codes[i + 1..] {
            assert_ne!(a, b);
        }
    }
}

#[cfg(target_os = "linux")]
#[test]
fn dialog_only_with_a_display_and_not_when_suppressed() {
    use hearth_app::startup::dialog_wanted_in;
    use std::ffi::OsString;
    let env = |vars: &'static [(&'static str, &'static str)]| {
        move |name: &str| {
            vars.iter()
                .find(|(k, _)| *k == name)
                .map(|(_, v)| OsString::from(v))
        }
    };
    assert!(dialog_wanted_in(env(&[("DISPLAY", ":0")])));
    assert!(dialog_wanted_in(env(&[("WAYLAND_DISPLAY", "wayland-0")])));
    assert!(!dialog_wanted_in(env(&[])), "no display, no dialog");
    assert!(!dialog_wanted_in(env(&[("DISPLAY", "")])), "empty DISPLAY");
    assert!(!dialog_wanted_in(env(&[
        ("DISPLAY", ":0"),
        ("HEARTH_NO_DIALOG", "1")
    ])));
    assert!(dialog_wanted_in(env(&[
        ("DISPLAY", ":0"),
        ("HEARTH_NO_DIALOG", "0")
    ])));
}
