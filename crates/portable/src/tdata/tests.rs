//! A tdata written here by an independent writer (the layout of the module
//! docs), read back; every file of it cut short or with a bit flipped is a
//! [`Error::TdataDamaged`] naming that file. The interop suite reads tdata
//! written by opentele from PyPI.

use std::path::{Path, PathBuf};

use super::account::{data_name, file_part};
use super::file::wrap;
use super::local_key::LocalKey;
use super::read_folder;
use super::writer::{byte_array, key, signed, write_tdata};
use crate::error::Error;
use crate::session::Format;

fn two_accounts(dir: &Path, passcode: &[u8]) {
    write_tdata(
        dir,
        passcode,
        &[0, 1],
        &[signed(0, 5_000_000_001, 2), signed(1, 7_123_456_789, 4)],
    );
}

#[test]
fn file_names_are_tdesktops() {
    // The folder name every Telegram Desktop user sees in tdata.
    assert_eq!(file_part("data"), "D877F783D5D3EF8C");
    assert_eq!(data_name(0), "data");
    assert_eq!(data_name(2), "data#3");
}

#[test]
fn reads_every_account_with_its_main_dc_key() {
    let dir = tempfile::tempdir().unwrap();
    two_accounts(dir.path(), b"");
    let sessions = read_folder(dir.path(), None).unwrap();
    assert_eq!(sessions.len(), 2);
    assert_eq!(sessions[0].format, Format::Tdata);
    assert_eq!(
        (sessions[0].dc_id, sessions[0].user_id),
        (2, Some(5_000_000_001))
    );
    assert_eq!(sessions[0].auth_key.as_bytes(), &key(50));
    assert_eq!(
        (sessions[1].dc_id, sessions[1].user_id),
        (4, Some(7_123_456_789))
    );
    assert_eq!(sessions[1].auth_key.as_bytes(), &key(51));
    // A Telegram Desktop folder holding tdata reads the same.
    let parent = tempfile::tempdir().unwrap();
    std::fs::create_dir(parent.path().join("tdata")).unwrap();
    two_accounts(&parent.path().join("tdata"), b"");
    assert_eq!(read_folder(parent.path(), None).unwrap().len(), 2);
    // Told apart from session files by `read_file`.
    assert!(super::looks_like(dir.path()));
    assert_eq!(crate::read_file(dir.path()).unwrap().len(), 2);
    // A passcode given for a tdata without one still opens it.
    assert_eq!(read_folder(dir.path(), Some(b"spare")).unwrap().len(), 2);
}

#[test]
fn a_passcode_is_asked_for_and_checked() {
    let dir = tempfile::tempdir().unwrap();
    two_accounts(dir.path(), b"hunter2");
    let e = read_folder(dir.path(), None).unwrap_err();
    assert!(matches!(e, Error::TdataPasscodeNeeded { .. }), "{e}");
    let e = crate::read_file(dir.path()).unwrap_err();
    assert!(matches!(e, Error::TdataPasscodeNeeded { .. }), "{e}");
    assert!(e.to_string().contains("has a local passcode"), "{e}");
    let e = read_folder(dir.path(), Some(b"hunter3")).unwrap_err();
    assert!(matches!(e, Error::TdataWrongPasscode { .. }), "{e}");
    assert!(e.to_string().contains("passcode is wrong"), "{e}");
    let sessions = read_folder(dir.path(), Some(b"hunter2")).unwrap();
    assert_eq!(sessions[1].auth_key.as_bytes(), &key(51));
}

#[test]
fn accounts_not_signed_in_are_left_out() {
    let dir = tempfile::tempdir().unwrap();
    // Account 1 listed without files, account 2 with user id 0.
    let mut logged_out = signed(2, 0, 2);
    logged_out.keys.clear();
    write_tdata(dir.path(), b"", &[0, 1, 2], &[signed(0, 42, 1), logged_out]);
    let sessions = read_folder(dir.path(), None).unwrap();
    assert_eq!(sessions.len(), 1);
    assert_eq!(sessions[0].user_id, Some(42));

    let empty = tempfile::tempdir().unwrap();
    write_tdata(empty.path(), b"", &[0], &[]);
    let e = read_folder(empty.path(), None).unwrap_err();
    assert!(matches!(e, Error::TdataNoAccounts { .. }), "{e}");
}

#[test]
fn a_missing_main_dc_key_is_damage() {
    let dir = tempfile::tempdir().unwrap();
    let mut account = signed(0, 42, 3);
    account.keys.retain(|(dc, _)| *dc != 3);
    write_tdata(dir.path(), b"", &[0], &[account]);
    let e = read_folder(dir.path(), None).unwrap_err();
    assert!(matches!(e, Error::TdataDamaged { .. }), "{e}");
    assert!(e.to_string().contains("main DC 3"), "{e}");
}

#[test]
fn other_folders_are_not_tdata() {
    let dir = tempfile::tempdir().unwrap();
    let e = read_folder(dir.path(), None).unwrap_err();
    assert!(matches!(e, Error::NotTdata { .. }), "{e}");
    let e = read_folder(&dir.path().join("nope"), None).unwrap_err();
    assert!(e.to_string().contains("no such folder"), "{e}");
    std::fs::write(dir.path().join("f"), b"x").unwrap();
    let e = read_folder(&dir.path().join("f"), None).unwrap_err();
    assert!(e.to_string().contains("a file, not a folder"), "{e}");
    assert!(!super::looks_like(dir.path()));
    std::fs::write(dir.path().join("key_works"), b"x").unwrap();
    let e = read_folder(dir.path(), None).unwrap_err();
    assert!(e.to_string().contains("key_works but no key_datas"), "{e}");
}

#[test]
fn legacy_suffixes_pick_the_newer_copy() {
    let dir = tempfile::tempdir().unwrap();
    two_accounts(dir.path(), b"");
    let current = std::fs::read(dir.path().join("key_datas")).unwrap();
    std::fs::remove_file(dir.path().join("key_datas")).unwrap();
    std::fs::write(dir.path().join("key_data1"), &current).unwrap();
    std::fs::write(dir.path().join("key_data0"), wrap(1, b"older")).unwrap();
    assert_eq!(read_folder(dir.path(), None).unwrap().len(), 2);
}

fn files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            out.extend(files(&path));
        } else {
            out.push(path);
        }
    }
    out.sort();
    out
}

fn assert_damaged(dir: &Path, file: &Path, what: &str) {
    match read_folder(dir, None) {
        Err(Error::TdataDamaged { path, .. }) if path == file => {}
        other => panic!(
            "{} {what}: {:?}",
            file.display(),
            other.map(|s| s.len()).map_err(|e| e.to_string())
        ),
    }
}

#[test]
fn every_file_cut_short_or_flipped_is_named_as_damaged() {
    let dir = tempfile::tempdir().unwrap();
    two_accounts(dir.path(), b"");
    let all = files(dir.path());
    assert_eq!(all.len(), 5, "{all:?}");
    for file in &all {
        let original = std::fs::read(file).unwrap();
        for len in (0..original.len()).step_by(7).chain([original.len() - 1]) {
            std::fs::write(file, &original[..len]).unwrap();
            assert_damaged(dir.path(), file, &format!("cut to {len} bytes"));
        }
        for at in (0..original.len()).step_by(11) {
            let mut flipped = original.clone();
            flipped[at] ^= 0x10;
            std::fs::write(file, &flipped).unwrap();
            assert_damaged(dir.path(), file, &format!("flipped at {at}"));
        }
        std::fs::write(file, &original).unwrap();
    }
    assert_eq!(read_folder(dir.path(), None).unwrap().len(), 2);
}

#[test]
fn damaged_contents_under_a_valid_container_are_errors() {
    // Right MD5 around wrong contents: each is named, none panics.
    let dir = tempfile::tempdir().unwrap();
    two_accounts(dir.path(), b"");
    let mtp = dir.path().join(format!("{}s", file_part("data")));
    let local = LocalKey::from_bytes(&key(200));
    let cases: Vec<Vec<u8>> = vec![
        vec![],
        byte_array(&[0; 16]),
        byte_array(&local.encrypt(&[0, 0, 0, 0x4B])),
        byte_array(&local.encrypt(&[0, 0, 0, 0x4C, 0, 0, 0, 0])),
        byte_array(&local.encrypt(&[&[0, 0, 0, 0x4B][..], &byte_array(&[0xff; 8])].concat())),
        byte_array(
            &local.encrypt(
                &[
                    &[0, 0, 0, 0x4B][..],
                    &byte_array(&[0, 0, 0, 1, 0, 0, 0, 2, 0x7f, 0, 0, 0]),
                ]
                .concat(),
            ),
        ),
    ];
    for payload in cases {
        std::fs::write(&mtp, wrap(1, &payload)).unwrap();
        assert_damaged(dir.path(), &mtp, "with wrong contents");
    }
}
