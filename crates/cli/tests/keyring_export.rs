//! `hearth-cli session export` as a user runs it, against an in-process localdc, with the
//! account's keys in the real OS keyring: run by tests/keyring/run.sh (a private
//! gnome-keyring), hence `#[ignore]`. The account comes in by `session import` of a
//! script's session (the script stops first); then a fresh session is exported for another
//! program and used beside Hearth, and finally Hearth's own session is moved out.

use std::path::Path;
use std::process::Command;
use std::sync::Arc;
use std::time::Duration;

use hearth_client::{Client, ClientConfig, InitParams, MemoryStorage, Network, SignIn};
use hearth_crypto::AuthKey;
use hearth_portable::{telethon, Format, PortableSession, ServerAddress};
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

/// A client outside Hearth using `session`; whom the server says it is.
async fn use_session(line: &str, session: &PortableSession) -> (Client, i64) {
    let storage = Arc::new(MemoryStorage::new());
    storage
        .save_auth_key(session.dc_id, session.auth_key.as_bytes())
        .unwrap();
    storage.set_home_dc(session.dc_id).unwrap();
    let mut config = ClientConfig::new(Network::local(line).unwrap(), storage, InitParams::local());
    config.catch_up = false;
    config.request_timeout = Some(Duration::from_secs(20));
    let client = Client::connect(config).await.unwrap();
    let user = client.resume_authorization().await.expect("signed in");
    (client, user.id)
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs an unlocked OS keyring: tests/keyring/run.sh"]
async fn a_fresh_session_is_exported_beside_hearths_and_a_move_hands_hearths_over() {
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
    let files = tempfile::tempdir().unwrap();
    let announcement = files.path().join("localdc.json");
    std::fs::write(&announcement, format!("{line}\n")).unwrap();
    let ann = announcement.to_str().unwrap();

    let (script, session) = script_session(&dc, &line, BOB).await;
    script.shutdown();
    script.closed().await;
    let source = files.path().join("script.session");
    telethon::file::write(&source, &session).unwrap();
    let (status, out, err) = cli(
        data.path(),
        &[
            "session",
            "import",
            source.to_str().unwrap(),
            "--network",
            "local",
            ann,
        ],
        &[],
    )
    .await;
    assert_eq!(status, Some(0), "{out:?} {err}");
    let id = out.last().unwrap()["account"]["id"].as_i64().unwrap();
    let id_arg = id.to_string();

    // A fresh session as a string, printed only because it is asked for.
    let (status, out, err) = cli(
        data.path(),
        &[
            "session",
            "export",
            &id_arg,
            "--fresh",
            "--format",
            "pyrogram-string",
            "--print",
            "--name",
            "CLI tool",
        ],
        &[],
    )
    .await;
    assert_eq!(status, Some(0), "{out:?} {err}");
    let result = out.last().unwrap();
    let fresh = hearth_portable::read_string(result["string"].as_str().unwrap()).unwrap();
    assert_eq!(fresh.format, Format::PyrogramString);
    assert_ne!(fresh.key_id(), session.key_id(), "a new key, not Hearth's");
    assert_eq!(result["key_id"], format!("{:016x}", fresh.key_id()));
    let (status, out, _) = cli(data.path(), &["sessions", "list", &id_arg], &[]).await;
    assert_eq!(status, Some(0));
    assert!(out.iter().any(|s| s["device"] == "CLI tool"), "{out:?}");

    // A fresh session by login code (the imported account's number comes from the server;
    // Hearth reads the code from its chat with 777000), to a Pyrogram file.
    let code_path = files.path().join("by-code.session");
    let (status, out, err) = cli(
        data.path(),
        &[
            "session",
            "export",
            &id_arg,
            "--fresh",
            "--method",
            "code",
            "--format",
            "pyrogram-file",
            "--out",
            code_path.to_str().unwrap(),
            "--name",
            "CLI code",
        ],
        &[],
    )
    .await;
    assert_eq!(status, Some(0), "{out:?} {err}");
    let by_code = hearth_portable::read_file(&code_path).unwrap().remove(0);
    assert_ne!(by_code.key_id(), fresh.key_id());
    let (tool, user) = use_session(&line, &by_code).await;
    assert_eq!(
        Some(user),
        session.user_id,
        "the code signed the new session in"
    );
    tool.shutdown();

    // The other program and Hearth at the same time.
    let (tool, user) = use_session(&line, &fresh).await;
    assert_eq!(Some(user), session.user_id);
    let (status, out, err) = cli(data.path(), &["sessions", "list", &id_arg], &[]).await;
    assert_eq!(
        status,
        Some(0),
        "Hearth's session still works: {out:?} {err}"
    );
    assert!(tool.is_authorized().await.unwrap());

    // The move: Hearth's own key to a file, the account and its keyring entries gone.
    let moved_path = files.path().join("moved.session");
    let (status, out, err) = cli(
        data.path(),
        &[
            "session",
            "export",
            &id_arg,
            "--move",
            "--format",
            "telethon-file",
            "--out",
            moved_path.to_str().unwrap(),
        ],
        &[],
    )
    .await;
    assert_eq!(status, Some(0), "{out:?} {err}");
    let moved = hearth_portable::read_file(&moved_path).unwrap().remove(0);
    assert_eq!(moved.key_id(), session.key_id(), "Hearth's own key");
    let (_, listed, _) = cli(data.path(), &["account", "list"], &[]).await;
    assert!(listed.is_empty(), "{listed:?}");
    let secrets = SecretStore::for_data_dir(data.path());
    for dc_id in 1..=5 {
        assert!(secrets
            .get(AccountId(id), &auth_key_kind(dc_id))
            .unwrap()
            .is_none());
    }
    let (mover, user) = use_session(&line, &moved).await;
    assert_eq!(
        Some(user),
        session.user_id,
        "the moved session is still signed in"
    );
    tool.shutdown();
    mover.shutdown();
}
