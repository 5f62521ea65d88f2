//! `hearth-cli session import` of sessions that the real libraries from PyPI made against
//! one in-process localdc: Telethon, kurigram and pyrofork each sign a demo-world user in with
//! a code, make a call, and save their session as their own SQLite file and as a string
//! (`crates/portable/tests/interop/signin.py`). Each file and each string is imported, with
//! its key in the real OS keyring, into a data directory of its own, and the imported
//! account makes a call (`dialogs`); the files are byte-identical afterwards. Run by
//! `crates/portable/tests/interop/run.sh` (one virtualenv per library, a private
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
/// Demo-world users, one per library so the keys and accounts differ: phone, code, 2FA.
const USERS: [(&str, &str, Option<&str>); 3] = [
    ("9996621234", "22222", None),
    ("9996641111", "44444", None),
    ("9996625555", "22222", Some("correct horse battery staple")),
];

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

fn unhex(s: &str) -> Vec<u8> {
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
        .collect()
}

/// What a library made: its name, the signed-in user, home DC and key.
struct Made {
    library: String,
    user_id: i64,
    dc_id: i64,
    key: Vec<u8>,
}

/// Imports one session (`source` names it in `args`) into a fresh data directory, checks
/// the account against `made`, the keyring and the disk, and makes a call with it.
async fn import_and_call(
    made: &Made,
    ann: &str,
    source: &[&str],
    env: &[(&str, &str)],
    format: &str,
) {
    let data = tempfile::tempdir().unwrap();
    let args = [&["session", "import"], source, &["--network", "local", ann]].concat();
    let (status, out, err) = cli(data.path(), &args, env).await;
    let what = format!("{} {source:?}", made.library);
    assert_eq!(status, Some(0), "{what}: {out:?} {err}");
    let line = out.last().unwrap();
    assert_eq!(line["imported_from"], format, "{what}: {line}");
    assert_eq!(line["account"]["user_id"], made.user_id, "{what}: {line}");
    assert_eq!(line["account"]["dc"], made.dc_id, "{what}: {line}");
    assert_eq!(line["account"]["network"], "local", "{what}: {line}");
    let id = line["account"]["id"].as_i64().unwrap();
    let (status, dialogs, err) = cli(data.path(), &["dialogs", &id.to_string()], &[]).await;
    assert_eq!(status, Some(0), "{what} makes a call: {dialogs:?} {err}");
    assert!(
        !dialogs.is_empty(),
        "{what}: the library's own message is a dialog"
    );
    let secrets = SecretStore::for_data_dir(data.path());
    let stored = secrets
        .get(AccountId(id), &auth_key_kind(made.dc_id as i32))
        .unwrap();
    assert!(
        stored.is_some_and(|k| k.expose() == made.key.as_slice()),
        "{what}: the keyring holds the library's key"
    );
    let leaks: Vec<_> = snapshot(data.path())
        .into_iter()
        .filter(|(_, b)| b.windows(32).any(|w| w == &made.key[..32]))
        .map(|(p, _)| p)
        .collect();
    assert!(leaks.is_empty(), "{what}: the key is on disk in {leaks:?}");
    for dc_id in 1..=5 {
        let _ = secrets.delete(AccountId(id), &auth_key_kind(dc_id));
    }
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the libraries from PyPI and an unlocked OS keyring: crates/portable/tests/interop/run.sh"]
async fn sessions_the_libraries_made_import_from_file_and_string_and_make_a_call() {
    let clients = std::env::var("HEARTH_SIGNIN_CLIENTS")
        .expect("HEARTH_SIGNIN_CLIENTS (LIB=PYTHON ...): run crates/portable/tests/interop/run.sh");
    let dc = LocalDc::start(Config {
        world: World::parse(DEMO_WORLD, "demo.toml").unwrap(),
        rsa_key: Some(ServerKey::from_pem(TEST_KEY_PEM, "fixture").unwrap()),
        seed: Some(12),
        ..Config::default()
    })
    .await
    .unwrap();
    let sources = tempfile::tempdir().unwrap();
    let announcement = sources.path().join("localdc.json");
    let line = serde_json::to_string(&dc.announcement()).unwrap();
    std::fs::write(&announcement, format!("{line}\n")).unwrap();
    let ann = announcement.to_str().unwrap();
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("../portable/tests/interop/signin.py");

    let clients: Vec<(&str, &str)> = clients
        .split_whitespace()
        .map(|c| c.split_once('=').expect("LIB=PYTHON"))
        .collect();
    assert!(clients.len() <= USERS.len(), "one demo user per library");
    let mut keys = Vec::new();
    for ((lib, python), (phone, code, password)) in clients.iter().zip(USERS) {
        let out = sources.path().join(format!("{lib}-{phone}"));
        let mut make = Command::new(python);
        make.arg(&script)
            .args([lib, ann, out.to_str().unwrap(), phone, code])
            .args(password);
        // Pyrogram's forks write unknown_errors.txt where they run.
        make.current_dir(sources.path());
        let (status, stdout, err) = run(make).await;
        assert_eq!(
            status,
            Some(0),
            "signin.py {lib}: {} {err}",
            String::from_utf8_lossy(&stdout)
        );
        let listed: Value =
            serde_json::from_str(&std::fs::read_to_string(out.join("made.json")).unwrap()).unwrap();
        let made = Made {
            library: listed["library"].as_str().unwrap().to_owned(),
            user_id: listed["user_id"].as_i64().unwrap(),
            dc_id: listed["dc_id"].as_i64().unwrap(),
            key: unhex(listed["auth_key"].as_str().unwrap()),
        };
        let (module, file_format, string_format) = if *lib == "telethon" {
            (
                "telethon",
                "Telethon session file",
                "Telethon StringSession",
            )
        } else {
            (
                "pyrogram",
                "Pyrogram session file",
                "Pyrogram session string",
            )
        };
        let file = out.join(format!("{module}.session"));
        let string = std::fs::read_to_string(out.join("string.txt")).unwrap();
        let before = snapshot(&out);

        import_and_call(&made, ann, &[file.to_str().unwrap()], &[], file_format).await;
        import_and_call(
            &made,
            ann,
            &["--string-env", "SESSION"],
            &[("SESSION", string.trim())],
            string_format,
        )
        .await;
        assert!(
            before == snapshot(&out),
            "{}: the session file is never modified",
            made.library
        );
        eprintln!(
            "{}: user {} on DC {}: file and string imported, each made a call",
            made.library, made.user_id, made.dc_id
        );
        keys.push(made.key);
    }
    keys.sort();
    keys.dedup();
    assert_eq!(keys.len(), clients.len(), "every library made its own key");
}
