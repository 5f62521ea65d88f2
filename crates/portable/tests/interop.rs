//! Sessions exchanged with the real libraries from PyPI (run by
//! `tests/interop/run.sh`, which makes a virtualenv per library and lists their
//! Pythons in `HEARTH_PORTABLE_PYTHONS`): every session Telethon, Pyrogram,
//! kurigram and pyrofork write is read here with every field compared, and
//! every session written here is loaded by each library
//! (`tests/interop/libs.py`), which compares the fields it reads.

use std::path::{Path, PathBuf};
use std::process::Command;

use hearth_crypto::AuthKey;
use hearth_portable::pyrogram::file::Schema;
use hearth_portable::{
    pyrogram, read_file, read_string, telethon, Format, PortableSession, ServerAddress,
};
use serde_json::{json, Value};

fn pythons() -> Vec<PathBuf> {
    let list = std::env::var("HEARTH_PORTABLE_PYTHONS")
        .expect("HEARTH_PORTABLE_PYTHONS: run crates/portable/tests/interop/run.sh");
    list.split_whitespace().map(PathBuf::from).collect()
}

fn libs_py() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/interop/libs.py")
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The fields of `s` in libs.py's vocabulary, for those `expect` names.
fn fields(s: &PortableSession) -> Value {
    json!({
        "dc_id": s.dc_id,
        "auth_key": hex(s.auth_key.as_bytes()),
        "api_id": s.api_id,
        "test_mode": s.test_mode,
        "user_id": s.user_id,
        "is_bot": s.is_bot,
        "server": s.server.as_ref().map(|a| json!([a.host, a.port])),
    })
}

fn read_fixture(fixture: &Value) -> Result<PortableSession, String> {
    let value = fixture["value"].as_str().unwrap();
    let read = if fixture["kind"] == "file" {
        read_file(Path::new(value)).map(|mut all| all.remove(0))
    } else {
        read_string(value)
    };
    read.map_err(|e| e.to_string())
}

#[test]
#[ignore = "needs the libraries from PyPI: crates/portable/tests/interop/run.sh"]
fn sessions_cross_both_ways_with_the_real_libraries() {
    let (mut passed, mut failed) = (0, 0);
    let mut check = |ok: bool, line: String| {
        println!("{} {line}", if ok { "ok  " } else { "FAIL" });
        if ok {
            passed += 1
        } else {
            failed += 1
        }
    };
    for python in pythons() {
        let dir = tempfile::tempdir().unwrap();
        let made = Command::new(&python)
            .arg(libs_py())
            .arg("make")
            .arg(dir.path())
            .status()
            .unwrap();
        assert!(made.success(), "{} libs.py make failed", python.display());
        let listed: Value = serde_json::from_str(
            &std::fs::read_to_string(dir.path().join("fixtures.json")).unwrap(),
        )
        .unwrap();

        // Theirs, read here.
        for fixture in listed["fixtures"].as_array().unwrap() {
            let name = fixture["name"].as_str().unwrap();
            match read_fixture(fixture) {
                Err(e) => check(false, format!("hearth reads {name}: {e}")),
                Ok(s) => {
                    let ours = fields(&s);
                    let wrong: Vec<String> = fixture["expect"]
                        .as_object()
                        .unwrap()
                        .iter()
                        .filter(|(k, v)| &ours[k.as_str()] != *v)
                        .map(|(k, v)| {
                            format!("{k}: library wrote {v}, hearth read {}", ours[k.as_str()])
                        })
                        .collect();
                    check(
                        wrong.is_empty(),
                        format!("hearth reads {name} {}", wrong.join("; ")),
                    );
                }
            }
        }

        // Ours, read there.
        let mut key = [0u8; 256];
        for (i, b) in key.iter_mut().enumerate() {
            *b = (i as u8)
                .wrapping_mul(31)
                .wrapping_add(python.as_os_str().len() as u8);
        }
        let session = PortableSession {
            format: Format::PyrogramFile,
            dc_id: 4,
            auth_key: AuthKey::from_bytes(key),
            test_mode: Some(false),
            user_id: Some(8_123_456_789),
            is_bot: Some(true),
            api_id: Some(2040),
            server: Some(ServerAddress {
                host: "127.0.0.1".into(),
                port: 40004,
            }),
        };
        let out = dir.path().join("ours");
        std::fs::create_dir(&out).unwrap();
        let pyrogram_expect = json!({"dc_id": 4, "auth_key": hex(&key), "api_id": 2040, "test_mode": false,
                                     "user_id": 8_123_456_789i64, "is_bot": true});
        let mut kurigram_expect = pyrogram_expect.clone();
        kurigram_expect["server"] = json!(["127.0.0.1", 40004]);
        let telethon_expect =
            json!({"dc_id": 4, "auth_key": hex(&key), "server": ["127.0.0.1", 40004]});
        let v3 = out.join("v3.session");
        let v7 = out.join("v7.session");
        let tl = out.join("tl.session");
        pyrogram::file::write(&v3, &session, Schema::Pyrogram).unwrap();
        pyrogram::file::write(&v7, &session, Schema::Kurigram).unwrap();
        telethon::file::write(&tl, &session).unwrap();
        let mut manifest = vec![
            json!({"name": "hearth pyrogram file (v3)", "library": "pyrogram", "kind": "file", "value": v3, "expect": pyrogram_expect}),
            json!({"name": "hearth pyrogram string", "library": "pyrogram", "kind": "string",
                   "value": pyrogram::string::encode(&session).unwrap(), "expect": pyrogram_expect}),
            json!({"name": "hearth telethon file", "library": "telethon", "kind": "file", "value": tl, "expect": telethon_expect}),
            json!({"name": "hearth telethon string", "library": "telethon", "kind": "string",
                   "value": telethon::string::encode(&session).unwrap(), "expect": telethon_expect}),
        ];
        if listed["library"][0] == "kurigram" {
            manifest.push(
                json!({"name": "hearth kurigram file (v7)", "library": "pyrogram", "kind": "file",
                                 "value": v7, "expect": kurigram_expect}),
            );
        }
        let manifest_path = out.join("manifest.json");
        std::fs::write(&manifest_path, serde_json::to_string(&manifest).unwrap()).unwrap();
        let checked = Command::new(&python)
            .arg(libs_py())
            .arg("check")
            .arg(&manifest_path)
            .status()
            .unwrap();
        check(
            checked.success(),
            format!("{} loads every session hearth wrote", python.display()),
        );
    }
    // One test to the runner; the checks are listed above.
    println!("interop checks: {passed} ok, {failed} failed");
    assert_eq!(failed, 0);
    assert!(passed > 0);
}
