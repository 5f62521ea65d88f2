//! Instance lock across real processes. The holder process is this test binary itself,
//! re-run with `HEARTH_LOCK_TEST_ROLE` set, running only the test that spawned it.

use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Child, ChildStdout, Command, Stdio};

use hearth_store::{InstanceLock, LockError, LOCK_FILE_NAME};

const ROLE: &str = "HEARTH_LOCK_TEST_ROLE";
const DIR: &str = "HEARTH_LOCK_TEST_DIR";

/// In the child: what to do with the lock once taken.
fn child_role() -> Option<(String, std::path::PathBuf)> {
    let role = std::env::var(ROLE).ok()?;
    let dir = std::env::var_os(DIR)?.into();
    Some((role, dir))
}

/// Runs in the child: takes the lock, reports "HOLDING <pid>", then either waits for stdin to
/// close ("hold") or exits without releasing anything, like a crash ("crash").
fn run_child(role: &str, dir: &Path) {
    let lock = InstanceLock::acquire(dir).expect("child could not take the lock");
    println!("HOLDING {}", std::process::id());
    std::io::stdout().flush().unwrap();
    if role == "crash" {
        std::mem::forget(lock);
        std::process::exit(0);
    }
    let mut line = String::new();
    let _ = std::io::stdin().read_line(&mut line);
    drop(lock);
}

fn spawn_child(test_name: &str, role: &str, dir: &Path) -> (Child, BufReader<ChildStdout>) {
    let exe = std::env::current_exe().unwrap();
    let mut child = Command::new(exe)
        .args([test_name, "--exact", "--nocapture", "--test-threads=1"])
        .env(ROLE, role)
        .env(DIR, dir)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut out = BufReader::new(child.stdout.take().unwrap());
    let mut line = String::new();
    loop {
        line.clear();
        assert!(
            out.read_line(&mut line).unwrap() > 0,
            "child exited before taking the lock"
        );
        // libtest prints "test <name> ... " without a newline before the test's own output.
        if let Some((_, pid)) = line.trim().split_once("HOLDING ") {
            assert_eq!(pid.parse::<u32>().unwrap(), child.id());
            break;
        }
    }
    (child, out)
}

#[test]
fn second_process_gets_the_holders_pid() {
    if let Some((role, dir)) = child_role() {
        return run_child(&role, &dir);
    }
    let tmp = tempfile::tempdir().unwrap();
    let (mut child, _out) = spawn_child("second_process_gets_the_holders_pid", "hold", tmp.path());

    let started = std::time::Instant::now();
    let err = InstanceLock::acquire(tmp.path()).unwrap_err();
    assert!(
        started.elapsed() < std::time::Duration::from_secs(1),
        "acquire blocked"
    );
    match &err {
        LockError::HeldByOther { pid, path } => {
            assert_eq!(*pid, child.id());
            assert_eq!(path, tmp.path());
        }
        other => panic!("unexpected error: {other}"),
    }
    let text = err.to_string();
    assert!(text.contains(&format!("PID {}", child.id())), "{text}");
    assert!(text.contains(&tmp.path().display().to_string()), "{text}");
    // Acquiring must not have created the database.
    assert!(!tmp.path().join("hearth.sqlite3").exists());

    // Let the child release the lock and exit; then it is ours.
    drop(child.stdin.take());
    assert!(child.wait().unwrap().success());
    let lock = InstanceLock::acquire(tmp.path()).unwrap();
    let written = std::fs::read_to_string(lock.path()).unwrap();
    assert_eq!(written.trim(), std::process::id().to_string());
}

#[test]
fn lock_of_a_crashed_process_is_taken_over() {
    if let Some((role, dir)) = child_role() {
        return run_child(&role, &dir);
    }
    let tmp = tempfile::tempdir().unwrap();
    let (mut child, _out) = spawn_child(
        "lock_of_a_crashed_process_is_taken_over",
        "crash",
        tmp.path(),
    );
    let child_pid = child.id();
    assert!(child.wait().unwrap().success());
    // The crashed holder's PID is still in the file, but no lock is held on it.
    let left = std::fs::read_to_string(tmp.path().join(LOCK_FILE_NAME)).unwrap();
    assert_eq!(left.trim(), child_pid.to_string());

    let lock = InstanceLock::acquire(tmp.path()).unwrap();
    let written = std::fs::read_to_string(lock.path()).unwrap();
    assert_eq!(written.trim(), std::process::id().to_string());
}

#[test]
fn stale_file_with_garbage_is_taken_over() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join(LOCK_FILE_NAME), "99999999\nleftover junk\n").unwrap();
    let lock = InstanceLock::acquire(tmp.path()).unwrap();
    let written = std::fs::read_to_string(lock.path()).unwrap();
    assert_eq!(written, format!("{}\n", std::process::id()));
}

#[test]
fn released_on_drop_and_reacquired() {
    let tmp = tempfile::tempdir().unwrap();
    let first = InstanceLock::acquire(tmp.path()).unwrap();
    assert_eq!(first.dir(), tmp.path());
    drop(first);
    assert_eq!(
        std::fs::read_to_string(tmp.path().join(LOCK_FILE_NAME)).unwrap(),
        ""
    );
    let _second = InstanceLock::acquire(tmp.path()).unwrap();
}

#[cfg(unix)]
#[test]
fn second_lock_in_the_same_process_is_refused() {
    // flock locks belong to the open file, so a second open in this process conflicts too.
    let tmp = tempfile::tempdir().unwrap();
    let _held = InstanceLock::acquire(tmp.path()).unwrap();
    match InstanceLock::acquire(tmp.path()) {
        Err(LockError::HeldByOther { pid, .. }) => assert_eq!(pid, std::process::id()),
        other => panic!("expected HeldByOther, got {other:?}"),
    }
}

#[test]
fn missing_directory_is_an_io_error_naming_the_file() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("does-not-exist");
    let err = InstanceLock::acquire(&dir).unwrap_err();
    assert!(matches!(err, LockError::Io { .. }));
    assert!(err.to_string().contains(LOCK_FILE_NAME), "{err}");
}
