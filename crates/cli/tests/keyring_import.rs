//! `hearth-cli session import` as a user runs it, against an in-process localdc, with the
//! imported key stored in the real OS keyring: run by tests/keyring/run.sh (a private
//! gnome-keyring), hence `#[ignore]`. The sessions are made the way a script's library
//! leaves them: a client outside Hearth signs in, and its key is written as a Telethon
//! session file and a Pyrogram string (`hearth-portable`, whose interop suite checks those
//! formats against the real libraries).

use std::path::Path;
use std::process::Command;
use std::sync::Arc;
use std::time::Duration;

use hearth_client::{Client, ClientConfig, InitParams, MemoryStorage, Network, SignIn};
use hearth_crypto::AuthKey;
use hearth_portable::{pyrogram, telethon, Format, PortableSession, ServerAddress};
use hearth_session::SessionStorage;
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
const BOB: &str = "9996641111";

async fn cli(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> (Option<i32>, Vec<Value>, String) {
    let mut c = Command::new(BIN);
    c.arg("--data-dir").arg(dir).arg("--json").args(args);
    for (k, v) in env {
        c.env(k, v);
    }
    let out = tokio::task::spawn_blocking(move || c.output().expect("runs"))
        .await
        .unwrap();
    (
        out.status.code(),
        lines(&out.stdout),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// A script's session: a client outside Hearth signed in as `phone`, and its key.
async fn script_session(dc: &LocalDc, line: &str, phone: &str) -> (Client, PortableSession) {
    let storage = Arc::new(MemoryStorage::new());
    let mut config = ClientConfig::new(
        Network::local(line).unwrap(),
        storage.clone(),
        InitParams::local(),
    );
    config.catch_up = false;
    config.request_timeout = Some(Duration::from_secs(20));
    let client = Client::connect(config).await.unwrap();
    let token = client.request_login_code(phone).await.unwrap();
    let SignIn::Done(user) = client
        .sign_in(&token, &phone[5..6].repeat(5))
        .await
        .unwrap()
    else {
        panic!("{phone} signs in with the code alone");
    };
    let home = client.home_dc();
    let key = storage.auth_key(home).unwrap().unwrap();
    let entry = dc
        .announcement()
        .dcs
        .into_iter()
        .find(|d| d.id == home && !d.media_only)
        .expect("the home DC is announced");
    let session = PortableSession {
        format: Format::TelethonFile,
        dc_id: home,
        auth_key: AuthKey::from_bytes(*key),
        test_mode: Some(false),
        user_id: Some(user.id),
        is_bot: Some(false),
        api_id: Some(6),
        server: Some(ServerAddress {
            host: entry.host,
            port: entry.port,
        }),
    };
    (client, session)
}

fn files_containing(dir: &Path, needle: &[u8]) -> Vec<std::path::PathBuf> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if path.is_dir() {
            found.extend(files_containing(&path, needle));
        } else if let Ok(bytes) = std::fs::read(&path) {
            if bytes.windows(needle.len()).any(|w| w == needle) {
                found.push(path);
            }
        }
    }
    found
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs an unlocked OS keyring: tests/keyring/run.sh"]
async fn a_telethon_file_is_imported_once_and_the_key_lives_only_in_the_keyring() {
    let dc = LocalDc::start(Config {
        world: World::parse(DEMO_WORLD, "demo.toml").unwrap(),
        rsa_key: Some(ServerKey::from_pem(TEST_KEY_PEM, "fixture").unwrap()),
        seed: Some(7),
        ..Config::default()
    })
    .await
    .unwrap();
    let line = serde_json::to_string(&dc.announcement()).unwrap();
    let data = tempfile::tempdir().unwrap();
    let sources = tempfile::tempdir().unwrap();
    let announcement = sources.path().join("localdc.json");
    std::fs::write(&announcement, format!("{line}\n")).unwrap();
    let ann = announcement.to_str().unwrap();

    let (script, session) = script_session(&dc, &line, BOB).await;
    let file = sources.path().join("bot.session");
    telethon::file::write(&file, &session).unwrap();
    let before = std::fs::read(&file).unwrap();
    let file_arg = file.to_str().unwrap();

    // Without --network, a session whose DC is on this machine asks for the local network.
    let (status, out, _) = cli(data.path(), &["session", "import", file_arg], &[]).await;
    assert_eq!(status, Some(2), "{out:?}");
    assert_eq!(out[0]["error"]["field"], "network", "{out:?}");

    let (status, out, err) = cli(
        data.path(),
        &[
            "session",
            "import",
            file_arg,
            "--network",
            "local",
            ann,
            "--label",
            "Bob's script",
        ],
        &[],
    )
    .await;
    assert_eq!(status, Some(0), "{out:?} {err}");
    let account = &out.last().unwrap()["account"];
    assert_eq!(account["user_id"], session.user_id.unwrap());
    assert_eq!(account["dc"], 4);
    assert_eq!(account["label"], "Bob's script");
    assert_eq!(
        out.last().unwrap()["imported_from"],
        "Telethon session file"
    );
    assert!(
        err.contains("AUTH_KEY_DUPLICATED"),
        "the warning comes first: {err}"
    );
    assert_eq!(
        std::fs::read(&file).unwrap(),
        before,
        "the source is never modified"
    );
    let id = account["id"].as_i64().unwrap();

    // The same key as a Pyrogram string is refused by its key id.
    let string = pyrogram::string::encode(&session).unwrap();
    let (status, out, _) = cli(
        data.path(),
        &[
            "session",
            "import",
            "--string-env",
            "SESSION",
            "--network",
            "local",
            ann,
        ],
        &[("SESSION", &string)],
    )
    .await;
    assert_eq!(status, Some(1), "{out:?}");
    assert_eq!(out[0]["error"]["code"], "SESSION_ALREADY_HELD", "{out:?}");
    let (_, listed, _) = cli(data.path(), &["account", "list"], &[]).await;
    assert_eq!(listed.len(), 1, "{listed:?}");

    // Malformed input is a usage error naming the session.
    let (status, out, _) = cli(
        data.path(),
        &[
            "session",
            "import",
            "--string",
            "not a session",
            "--network",
            "local",
            ann,
        ],
        &[],
    )
    .await;
    assert_eq!(status, Some(2));
    assert_eq!(out[0]["error"]["code"], "SESSION_INVALID", "{out:?}");

    // The key is in the keyring, and in no file of the data directory.
    let stored = SecretStore::for_data_dir(data.path())
        .get(AccountId(id), &auth_key_kind(4))
        .unwrap();
    assert!(
        stored.is_some_and(|k| k.expose() == session.auth_key.as_bytes().as_slice()),
        "the keyring holds the imported key for DC 4"
    );
    let leaks = files_containing(data.path(), &session.auth_key.as_bytes()[..32]);
    assert!(leaks.is_empty(), "the key is on disk in {leaks:?}");

    script.shutdown();
    let secrets = SecretStore::for_data_dir(data.path());
    for dc_id in 1..=5 {
        let _ = secrets.delete(AccountId(id), &auth_key_kind(dc_id));
    }
}
