//! `hearth-cli` account commands that need no keyring and no network: the data directory,
//! the instance lock shared with the app, exit codes and JSON errors.

use std::process::Command;

mod support;

use support::{lines, BIN};

fn cli(dir: &std::path::Path) -> Command {
    let mut c = Command::new(BIN);
    c.arg("--data-dir").arg(dir);
    c
}

#[test]
fn an_empty_data_directory_lists_no_accounts() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("fresh");
    let out = cli(&dir).args(["account", "list"]).output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.stdout.is_empty());
    assert!(String::from_utf8_lossy(&out.stderr).contains("hearth-cli login"));
    assert!(
        dir.join(hearth_store::DATABASE_FILE_NAME).exists(),
        "the database was created"
    );

    let out = cli(&dir)
        .args(["--json", "account", "list"])
        .output()
        .unwrap();
    assert!(out.status.success());
    assert!(out.stdout.is_empty() && out.stderr.is_empty());
}

#[test]
fn a_second_holder_of_the_data_directory_is_refused_with_the_first_ones_pid() {
    let tmp = tempfile::tempdir().unwrap();
    let _held = hearth_store::InstanceLock::acquire(tmp.path()).unwrap();
    let out = cli(tmp.path()).args(["account", "list"]).output().unwrap();
    assert_eq!(out.status.code(), Some(3));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains(&format!("PID {}", std::process::id())),
        "{err}"
    );
    assert!(err.contains("close it and try again"), "{err}");

    let out = cli(tmp.path())
        .args(["account", "list", "--json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3));
    let objs = lines(&out.stdout);
    assert_eq!(objs.len(), 1);
    assert_eq!(objs[0]["error"]["code"], "ALREADY_RUNNING");
    assert_eq!(objs[0]["error"]["exit"], 3);
    assert!(objs[0]["error"]["message"]
        .as_str()
        .unwrap()
        .contains(&std::process::id().to_string()));
}

#[test]
fn removing_an_unknown_account_exits_7_naming_it() {
    let tmp = tempfile::tempdir().unwrap();
    let out = cli(tmp.path())
        .args(["--json", "account", "remove", "42"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(7));
    let objs = lines(&out.stdout);
    assert_eq!(objs[0]["error"]["code"], "NO_SUCH_ACCOUNT");
    assert!(objs[0]["error"]["message"].as_str().unwrap().contains("42"));
}

#[test]
fn help_lists_every_exit_code() {
    let out = Command::new(BIN).arg("--help").output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    for code in 0..=8 {
        assert!(
            text.lines()
                .any(|l| l.trim_start().starts_with(&format!("{code}  "))),
            "exit code {code} missing from --help:\n{text}"
        );
    }
    assert!(text.contains("--data-dir") && text.contains("--json"));
    let out = Command::new(BIN)
        .args(["account", "--help"])
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&out.stdout).contains("Exit codes:"));
}

#[test]
fn an_unusable_data_directory_exits_2() {
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("not-a-dir");
    std::fs::write(&file, "x").unwrap();
    let out = cli(&file).args(["account", "list"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("not-a-dir"));
}

/// Without a Secret Service, a login stops before any key is made, with exit 6 and a message
/// saying what to start (the D-Bus address points nowhere, so the user's own keyring is never
/// reached).
#[cfg(target_os = "linux")]
#[tokio::test(flavor = "multi_thread")]
async fn a_login_without_a_keyring_exits_6() {
    let dc = localdc::LocalDc::start(localdc::Config::default())
        .await
        .expect("localdc starts");
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("localdc.json");
    std::fs::write(&file, serde_json::to_string(&dc.announcement()).unwrap()).unwrap();
    let mut c = cli(&tmp.path().join("data"));
    c.args(["--json", "login", "--network", "local"])
        .arg(&file)
        .args(["--phone", "9996621234", "--code", "22222"])
        .env(
            "DBUS_SESSION_BUS_ADDRESS",
            format!("unix:path={}", tmp.path().join("no-bus").display()),
        );
    let out = tokio::task::spawn_blocking(move || c.output().unwrap())
        .await
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(6),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let objs = lines(&out.stdout);
    let error = &objs.last().unwrap()["error"];
    assert_eq!(error["code"], "KEYRING");
    assert!(
        error["message"].as_str().unwrap().contains("keyring"),
        "{error}"
    );
    dc.shutdown().await;
}

#[test]
fn session_export_refuses_a_copy_and_an_unasked_string_before_anything_else() {
    let tmp = tempfile::tempdir().unwrap();
    let copy = cli(tmp.path())
        .args([
            "--json",
            "session",
            "export",
            "1",
            "--format",
            "telethon-file",
        ])
        .args(["--out", "x.session"])
        .output()
        .unwrap();
    assert_eq!(copy.status.code(), Some(2));
    let text = String::from_utf8_lossy(&copy.stdout);
    assert!(
        text.contains("--fresh") && text.contains("AUTH_KEY_DUPLICATED"),
        "{text}"
    );

    let string = cli(tmp.path())
        .args([
            "--json",
            "session",
            "export",
            "1",
            "--fresh",
            "--format",
            "telethon-string",
        ])
        .output()
        .unwrap();
    assert_eq!(string.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&string.stdout).contains("--print"));

    let existing = tmp.path().join("taken.session");
    std::fs::write(&existing, b"keep me").unwrap();
    let taken = cli(tmp.path())
        .args([
            "--json",
            "session",
            "export",
            "1",
            "--fresh",
            "--format",
            "pyrogram-file",
        ])
        .arg("--out")
        .arg(&existing)
        .output()
        .unwrap();
    assert_eq!(taken.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&taken.stdout).contains("never overwritten"));
    assert_eq!(std::fs::read(&existing).unwrap(), b"keep me");

    let unknown = cli(tmp.path())
        .args([
            "--json",
            "session",
            "export",
            "9",
            "--fresh",
            "--format",
            "telethon-string",
        ])
        .arg("--print")
        .output()
        .unwrap();
    assert_eq!(unknown.status.code(), Some(7), "no account 9");

    // A bot's token comes only from the environment, and a code login is for users.
    let no_token = cli(tmp.path())
        .args(["--json", "session", "export", "1", "--fresh", "--print"])
        .args(["--format", "telethon-string"])
        .args(["--bot-token-env", "HEARTH_TEST_NO_SUCH_VARIABLE"])
        .env_remove("HEARTH_TEST_NO_SUCH_VARIABLE")
        .output()
        .unwrap();
    assert_eq!(no_token.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&no_token.stdout).contains("HEARTH_TEST_NO_SUCH_VARIABLE"),
        "names the variable: {}",
        String::from_utf8_lossy(&no_token.stdout)
    );
    let both = cli(tmp.path())
        .args(["session", "export", "1", "--fresh", "--print"])
        .args(["--format", "telethon-string", "--method", "code"])
        .args(["--bot-token-env", "TOKEN"])
        .output()
        .unwrap();
    assert_eq!(
        both.status.code(),
        Some(2),
        "a code login takes no bot token"
    );
}
