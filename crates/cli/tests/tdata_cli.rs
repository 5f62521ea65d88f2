//! `hearth-cli session import` of a Telegram Desktop tdata folder, where it stops before any
//! network or keyring: folders that are not tdata, damaged files, options that do not fit.
//! (Imports of real tdata folders: `keyring_tdata`.)

use std::path::Path;
use std::process::Command;

use serde_json::Value;

mod support;

use support::{lines, BIN};

/// Runs `session import ARGS --network local <missing file>`: exit code and the error.
fn import(dir: &Path, args: &[&str]) -> (Option<i32>, Value) {
    let out = Command::new(BIN)
        .arg("--data-dir")
        .arg(dir.join("data"))
        .args(["--json", "session", "import"])
        .args(args)
        .arg("--network")
        .arg("local")
        .arg(dir.join("no-network.json"))
        .output()
        .unwrap();
    let lines = lines(&out.stdout);
    assert_eq!(lines.len(), 1, "{lines:?}");
    (out.status.code(), lines[0]["error"].clone())
}

#[test]
fn a_folder_without_key_datas_is_not_tdata() {
    let tmp = tempfile::tempdir().unwrap();
    let folder = tmp.path().join("Telegram Desktop");
    std::fs::create_dir(&folder).unwrap();
    let (status, error) = import(tmp.path(), &[folder.to_str().unwrap()]);
    assert_eq!(status, Some(2));
    assert_eq!(error["code"], "SESSION_INVALID");
    let message = error["message"].as_str().unwrap();
    assert!(
        message.contains("not a Telegram Desktop tdata folder"),
        "{message}"
    );
    assert!(message.contains("no key_datas"), "{message}");
}

#[test]
fn a_damaged_key_datas_is_named() {
    let tmp = tempfile::tempdir().unwrap();
    let tdata = tmp.path().join("tdata");
    std::fs::create_dir(&tdata).unwrap();
    // The container's mark and version, then 40 bytes that are not payload and MD5.
    let damaged = [&b"TDF$\x01\x02\x03\x04"[..], &[0x5a; 40]].concat();
    std::fs::write(tdata.join("key_datas"), &damaged).unwrap();
    let (status, error) = import(tmp.path(), &[tmp.path().to_str().unwrap()]);
    assert_eq!(status, Some(2));
    let message = error["message"].as_str().unwrap();
    assert!(message.contains("key_datas is damaged"), "{message}");
    assert!(message.contains("MD5"), "{message}");
    assert!(
        std::fs::read(tdata.join("key_datas")).unwrap() == damaged,
        "the source is not touched"
    );
}

#[test]
fn options_that_do_not_fit_a_tdata_are_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("a.session");
    std::fs::write(&file, b"x").unwrap();
    let (status, error) = import(
        tmp.path(),
        &[file.to_str().unwrap(), "--passcode-env", "PASSCODE"],
    );
    assert_eq!(
        (status, &error["field"]),
        (Some(2), &Value::from("passcode"))
    );
    assert!(error["message"]
        .as_str()
        .unwrap()
        .contains("tdata folders only"));

    let (status, error) = import(tmp.path(), &["--string", "abc", "--format", "tdata"]);
    assert_eq!((status, &error["field"]), (Some(2), &Value::from("format")));
    assert!(error["message"].as_str().unwrap().contains("is a folder"));
}
