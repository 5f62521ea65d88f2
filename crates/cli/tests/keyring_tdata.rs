//! `hearth-cli session import` of Telegram Desktop tdata folders that a real library wrote:
//! Telethon signs Alice (DC 2) and Bob (DC 4) in to an in-process localdc, and opentele from
//! PyPI converts both sessions into one tdata without a passcode and one with
//! (`crates/portable/tests/interop/tdata.py`). Each is imported with its keys in the real OS
//! keyring and each account makes a call (`dialogs`). Run by
//! `crates/portable/tests/interop/run.sh` (opentele's own virtualenv, a private
//! gnome-keyring), hence `#[ignore]`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use hearth_store::secrets::{auth_key_kind, SecretStore};
use hearth_store::AccountId;
use localdc::keys::ServerKey;
use localdc::world::World;
use localdc::{Config, LocalDc};
use serde_json::Value;

mod support;

use support::{lines, BIN};

const TEST_KEY_PEM: &str = include_str!("../../localdc/tests/fixtures/test_rsa_private_key.pem");
const DEMO_WORLD: &str = include_str!("../../../tests/world/demo.toml");

async fn run(mut c: Command) -> (Option<i32>, Vec<u8>, String) {
    let out = tokio::task::spawn_blocking(move || c.output().expect("runs"))
        .await
        .unwrap();
    (
        out.status.code(),
        out.stdout,
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

async fn cli(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> (Option<i32>, Vec<Value>, String) {
    let mut c = Command::new(BIN);
    c.arg("--data-dir").arg(dir).arg("--json").args(args);
    for (k, v) in env {
        c.env(k, v);
    }
    let (status, out, err) = run(c).await;
    (status, lines(&out), err)
}

/// Every file under `dir` with its bytes.
fn snapshot(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut all = BTreeMap::new();
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if path.is_dir() {
            all.extend(snapshot(&path));
        } else {
            all.insert(path.clone(), std::fs::read(&path).unwrap());
        }
    }
    all
}

fn files_containing(dir: &Path, needle: &[u8]) -> Vec<PathBuf> {
    snapshot(dir)
        .into_iter()
        .filter(|(_, bytes)| bytes.windows(needle.len()).any(|w| w == needle))
        .map(|(path, _)| path)
        .collect()
}

fn unhex(s: &str) -> Vec<u8> {
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
        .collect()
}

struct Made {
    user_id: i64,
    dc_id: i64,
    key: Vec<u8>,
}

/// Imports `tdata` into `data` and checks each account against `made` and with a call;
/// returns the account ids.
async fn import_and_call(
    data: &Path,
    tdata: &Path,
    ann: &str,
    env: &[(&str, &str)],
    made: &[Made],
) -> Vec<i64> {
    let mut args = vec![
        "session",
        "import",
        tdata.to_str().unwrap(),
        "--network",
        "local",
        ann,
    ];
    if !env.is_empty() {
        args.extend(["--passcode-env", "TDATA_PASSCODE"]);
    }
    let (status, out, err) = cli(data, &args, env).await;
    assert_eq!(status, Some(0), "{out:?} {err}");
    assert!(
        err.contains("AUTH_KEY_DUPLICATED"),
        "the warning comes first: {err}"
    );
    assert_eq!(out.len(), made.len(), "one line per account: {out:?}");
    let mut ids = Vec::new();
    for (line, want) in out.iter().zip(made) {
        assert_eq!(
            line["imported_from"], "Telegram Desktop tdata folder",
            "{line}"
        );
        assert_eq!(line["account"]["user_id"], want.user_id, "{line}");
        assert_eq!(line["account"]["dc"], want.dc_id, "{line}");
        assert_eq!(line["account"]["network"], "local", "{line}");
        let id = line["account"]["id"].as_i64().unwrap();
        let (status, dialogs, err) = cli(data, &["dialogs", &id.to_string()], &[]).await;
        assert_eq!(
            status,
            Some(0),
            "account {id} makes a call: {dialogs:?} {err}"
        );
        assert!(
            !dialogs.is_empty(),
            "the demo world gives everyone a dialog"
        );
        let stored = SecretStore::for_data_dir(data)
            .get(AccountId(id), &auth_key_kind(want.dc_id as i32))
            .unwrap();
        assert!(
            stored.is_some_and(|k| k.expose() == want.key.as_slice()),
            "the keyring holds account {id}'s key for DC {}",
            want.dc_id
        );
        let leaks = files_containing(data, &want.key[..32]);
        assert!(leaks.is_empty(), "the key is on disk in {leaks:?}");
        ids.push(id);
    }
    ids
}

fn forget_keys(data: &Path, ids: &[i64]) {
    let secrets = SecretStore::for_data_dir(data);
    for &id in ids {
        for dc_id in 1..=5 {
            let _ = secrets.delete(AccountId(id), &auth_key_kind(dc_id));
        }
    }
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs opentele from PyPI and an unlocked OS keyring: crates/portable/tests/interop/run.sh"]
async fn tdata_written_by_opentele_imports_every_account_and_each_makes_a_call() {
    let python = std::env::var("HEARTH_TDATA_PYTHON")
        .expect("HEARTH_TDATA_PYTHON: run crates/portable/tests/interop/run.sh");
    let dc = LocalDc::start(Config {
        world: World::parse(DEMO_WORLD, "demo.toml").unwrap(),
        rsa_key: Some(ServerKey::from_pem(TEST_KEY_PEM, "fixture").unwrap()),
        seed: Some(11),
        ..Config::default()
    })
    .await
    .unwrap();
    let sources = tempfile::tempdir().unwrap();
    let announcement = sources.path().join("localdc.json");
    let line = serde_json::to_string(&dc.announcement()).unwrap();
    std::fs::write(&announcement, format!("{line}\n")).unwrap();
    let ann = announcement.to_str().unwrap();

    let mut make = Command::new(python);
    make.arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("../portable/tests/interop/tdata.py"))
        .arg(&announcement)
        .arg(sources.path());
    let (status, out, err) = run(make).await;
    assert_eq!(
        status,
        Some(0),
        "tdata.py: {} {err}",
        String::from_utf8_lossy(&out)
    );
    let listed: Vec<Value> = serde_json::from_str(
        &std::fs::read_to_string(sources.path().join("accounts.json")).unwrap(),
    )
    .unwrap();
    let made: Vec<Made> = listed
        .iter()
        .map(|a| Made {
            user_id: a["user_id"].as_i64().unwrap(),
            dc_id: a["dc_id"].as_i64().unwrap(),
            key: unhex(a["auth_key"].as_str().unwrap()),
        })
        .collect();
    assert_eq!(made.len(), 2);
    assert_ne!(made[0].dc_id, made[1].dc_id, "the accounts live on two DCs");
    let passcode = std::fs::read_to_string(sources.path().join("passcode.txt")).unwrap();
    let (plain, locked) = (sources.path().join("plain"), sources.path().join("locked"));
    let before = snapshot(sources.path());

    // The locked folder: no passcode, then a wrong one; nothing is stored.
    let data = tempfile::tempdir().unwrap();
    let locked_arg = locked.to_str().unwrap();
    let base = ["session", "import", locked_arg, "--network", "local", ann];
    let (status, out, _) = cli(data.path(), &base, &[]).await;
    assert_eq!(status, Some(2), "{out:?}");
    assert_eq!(out[0]["error"]["field"], "passcode", "{out:?}");
    let message = out[0]["error"]["message"].as_str().unwrap();
    assert!(message.contains("--passcode-env"), "{message}");
    let wrong = [&base[..], &["--passcode-env", "TDATA_PASSCODE"]].concat();
    let (status, out, _) = cli(data.path(), &wrong, &[("TDATA_PASSCODE", "not it")]).await;
    assert_eq!(status, Some(2), "{out:?}");
    let message = out[0]["error"]["message"].as_str().unwrap();
    assert!(message.contains("passcode is wrong"), "{message}");
    let (_, listed, _) = cli(data.path(), &["account", "list"], &[]).await;
    assert!(listed.is_empty(), "{listed:?}");

    // The folder without a passcode (given as a folder, the format is told by itself).
    let ids = import_and_call(data.path(), &plain, ann, &[], &made).await;

    // The same keys again are refused, account by account.
    let again = [
        "session",
        "import",
        plain.to_str().unwrap(),
        "--network",
        "local",
        ann,
    ];
    let (status, out, _) = cli(data.path(), &again, &[]).await;
    assert_eq!(status, Some(1), "{out:?}");
    let codes: Vec<&str> = out
        .iter()
        .map(|l| l["error"]["code"].as_str().unwrap())
        .collect();
    assert_eq!(
        codes,
        [
            "SESSION_ALREADY_HELD",
            "SESSION_ALREADY_HELD",
            "SESSION_IMPORT_INCOMPLETE"
        ],
        "{out:?}"
    );
    let (_, listed, _) = cli(data.path(), &["account", "list"], &[]).await;
    assert_eq!(listed.len(), 2, "{listed:?}");
    forget_keys(data.path(), &ids);

    // The locked folder with its passcode, into another data directory.
    let other = tempfile::tempdir().unwrap();
    let ids = import_and_call(
        other.path(),
        &locked,
        ann,
        &[("TDATA_PASSCODE", passcode.as_str())],
        &made,
    )
    .await;
    forget_keys(other.path(), &ids);

    assert!(
        before == snapshot(sources.path()),
        "the tdata folders are never modified"
    );
}
