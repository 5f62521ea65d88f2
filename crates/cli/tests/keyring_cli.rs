//! `hearth-cli login`, `account` and `sessions` as a user runs them, against an in-process
//! localdc, with auth keys in the real OS keyring: run by tests/keyring/run.sh (a private
//! gnome-keyring), hence `#[ignore]`.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::time::Duration;

use hearth_client::{Client, ClientConfig, InitParams, MemoryStorage, Network, SignIn};
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
const ALICE: &str = "9996621234";
const BOB: &str = "9996641111";
const CAROL: &str = "9996625555";

async fn start(state_dir: Option<PathBuf>) -> LocalDc {
    LocalDc::start(Config {
        world: World::parse(DEMO_WORLD, "demo.toml").unwrap(),
        rsa_key: Some(ServerKey::from_pem(TEST_KEY_PEM, "fixture").unwrap()),
        seed: Some(7),
        state_dir,
        ..Config::default()
    })
    .await
    .expect("localdc starts")
}

fn line_of(dc: &LocalDc) -> String {
    serde_json::to_string(&dc.announcement()).unwrap()
}

/// Runs `hearth-cli --data-dir DIR --json ARGS…` off the runtime's threads.
async fn cli(dir: &Path, args: &[&str]) -> (Option<i32>, Vec<Value>, String) {
    let mut c = Command::new(BIN);
    c.arg("--data-dir").arg(dir).arg("--json").args(args);
    let out = tokio::task::spawn_blocking(move || c.output().expect("runs"))
        .await
        .unwrap();
    (
        out.status.code(),
        lines(&out.stdout),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// Sends one request to localdc's control port (`localdc::server::control`)
/// and returns its answer.
async fn control(dc: &LocalDc, req: Value) -> Value {
    dc.control(&req).await.expect("the control port answers")
}

/// Another device of `phone`'s owner, outside Hearth.
async fn other_device(dc: &LocalDc, phone: &str) -> Client {
    let mut init = InitParams::local();
    init.device_model = "Other device".into();
    let network = Network::local(&line_of(dc)).unwrap();
    let mut config = ClientConfig::new(network, Arc::new(MemoryStorage::new()), init);
    config.catch_up = false;
    let client = Client::connect(config).await.unwrap();
    let token = client.request_login_code(phone).await.unwrap();
    let code = phone[5..6].repeat(5);
    match client.sign_in(&token, &code).await.unwrap() {
        SignIn::Done(_) => client,
        other => panic!("{other:?}"),
    }
}

struct Setup {
    dc: LocalDc,
    data: tempfile::TempDir,
    file: PathBuf,
}

impl Setup {
    async fn new(state_dir: Option<PathBuf>) -> Self {
        let dc = start(state_dir).await;
        let data = tempfile::tempdir().unwrap();
        let file = data.path().join("localdc.json");
        std::fs::write(&file, format!("{}\n", line_of(&dc))).unwrap();
        Setup { dc, data, file }
    }

    fn dir(&self) -> &Path {
        self.data.path()
    }

    fn file(&self) -> &str {
        self.file.to_str().unwrap()
    }

    /// Removes the keyring entries a test left.
    fn forget_keys(&self, id: i64) {
        forget_keys(self.dir(), id);
    }
}

/// Removes the keyring entries of account `id` of `dir` (in case a command left any).
fn forget_keys(dir: &Path, id: i64) {
    let secrets = SecretStore::for_data_dir(dir);
    for dc in 1..=5 {
        let _ = secrets.delete(AccountId(id), &auth_key_kind(dc));
    }
}

/// Every file under `dir`, read whole.
fn files(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if path.is_dir() {
            out.extend(files(&path));
        } else if let Ok(bytes) = std::fs::read(&path) {
            out.push((path, bytes));
        }
    }
    out
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the OS keyring; run by tests/keyring/run.sh"]
async fn login_by_code_then_sessions_and_logout_with_the_key_only_in_the_keyring() {
    let s = Setup::new(None).await;
    let (code, out, err) = cli(
        s.dir(),
        &[
            "login",
            "--network",
            "local",
            s.file(),
            "--phone",
            BOB,
            "--code",
            "44444",
        ],
    )
    .await;
    assert_eq!(code, Some(0), "{err}");
    assert_eq!(out[0]["code_sent"]["phone"], BOB);
    assert_eq!(out[0]["code_sent"]["length"], 5);
    let account = &out[1]["account"];
    let id = account["id"].as_i64().unwrap();
    assert_eq!(account["dc"], 4);
    assert_eq!(account["username"], "bob_builder");
    assert!(account["user_id"].as_i64().is_some());

    // The key is in the keyring and in no file of the data directory.
    let secrets = SecretStore::for_data_dir(s.dir());
    let key = secrets
        .get(AccountId(id), &auth_key_kind(4))
        .unwrap()
        .expect("the DC 4 key is in the keyring");
    assert_eq!(key.len(), 256);
    for (path, bytes) in files(s.dir()) {
        assert!(
            !bytes.windows(32).any(|w| w == &key.expose()[..32]),
            "{} holds auth key bytes",
            path.display()
        );
    }

    let (code, list, _) = cli(s.dir(), &["account", "list"]).await;
    assert_eq!(code, Some(0));
    assert_eq!(list.len(), 1);
    assert_eq!(list[0]["id"], id);
    assert_eq!(list[0]["network"], "local");

    let phone = other_device(&s.dc, BOB).await;
    let (code, sessions, err) = cli(s.dir(), &["sessions", "list", &id.to_string()]).await;
    assert_eq!(code, Some(0), "{err}");
    assert_eq!(sessions.len(), 2);
    assert_eq!(sessions[0]["current"], true);
    assert!(sessions[0]["device"]
        .as_str()
        .unwrap()
        .starts_with("Hearth CLI"));
    let other = &sessions[1];
    assert_eq!(other["device"], "Other device");
    let hash = other["hash"].as_str().unwrap().to_owned();

    let (code, out, err) = cli(
        s.dir(),
        &["sessions", "terminate", &id.to_string(), "--all-others"],
    )
    .await;
    assert_eq!(code, Some(1), "{err}");
    assert_eq!(
        out[0]["error"]["code"],
        "FRESH_RESET_AUTHORISATION_FORBIDDEN"
    );

    let (code, out, err) = cli(s.dir(), &["sessions", "terminate", &id.to_string(), &hash]).await;
    assert_eq!(code, Some(0), "{err}");
    assert_eq!(out[0]["terminated"], hash);
    assert!(
        !phone.is_authorized().await.unwrap(),
        "the ended session is signed out"
    );

    // A day later (localdc's control port ages bob's sessions) --all-others
    // is allowed and ends every other session.
    let tablet = other_device(&s.dc, BOB).await;
    let laptop = other_device(&s.dc, BOB).await;
    let aged = control(
        &s.dc,
        serde_json::json!({"cmd": "age_authorizations", "secs": 90_000, "phone": BOB}),
    )
    .await;
    assert_eq!(aged["ok"], true, "{aged}");
    assert_eq!(
        aged["aged"], 3,
        "hearth-cli's, the tablet's and the laptop's"
    );
    let (code, out, err) = cli(
        s.dir(),
        &["sessions", "terminate", &id.to_string(), "--all-others"],
    )
    .await;
    assert_eq!(code, Some(0), "{err}");
    assert_eq!(out[0]["terminated"], "all_others");
    for other in [&tablet, &laptop] {
        assert!(
            !other.is_authorized().await.unwrap(),
            "every other session is signed out"
        );
    }
    let (code, sessions, err) = cli(s.dir(), &["sessions", "list", &id.to_string()]).await;
    assert_eq!(code, Some(0), "{err}");
    assert_eq!(sessions.len(), 1, "only hearth-cli's own: {sessions:?}");
    assert_eq!(sessions[0]["current"], true);
    tablet.shutdown();
    laptop.shutdown();

    let (code, out, err) = cli(s.dir(), &["account", "logout", &id.to_string()]).await;
    assert_eq!(code, Some(0), "{err}");
    assert_eq!(out[0]["logged_out"], id);
    assert!(
        secrets
            .get(AccountId(id), &auth_key_kind(4))
            .unwrap()
            .is_none(),
        "key deleted"
    );
    let (_, list, _) = cli(s.dir(), &["account", "list"]).await;
    assert!(list.is_empty());
    s.forget_keys(id);
    phone.shutdown();
    s.dc.shutdown().await;
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the OS keyring; run by tests/keyring/run.sh"]
async fn password_and_bot_token_come_from_the_environment_and_errors_name_their_field() {
    let s = Setup::new(None).await;
    let (code, out, _) = cli(
        s.dir(),
        &[
            "login",
            "--network",
            "local",
            s.file(),
            "--phone",
            ALICE,
            "--code",
            "12345",
        ],
    )
    .await;
    assert_eq!(code, Some(1));
    let error = &out.last().unwrap()["error"];
    assert_eq!(error["code"], "PHONE_CODE_INVALID");
    assert_eq!(error["field"], "code");

    let (code, out, _) = cli(
        s.dir(),
        &[
            "login",
            "--network",
            "local",
            s.file(),
            "--phone",
            CAROL,
            "--code",
            "22222",
        ],
    )
    .await;
    assert_eq!(
        code,
        Some(2),
        "no terminal and no --password-env: a usage error"
    );
    assert_eq!(out.last().unwrap()["error"]["field"], "password");

    let mut c = Command::new(BIN);
    c.arg("--data-dir").arg(s.dir()).arg("--json");
    c.args([
        "login",
        "--network",
        "local",
        s.file(),
        "--phone",
        CAROL,
        "--code",
        "22222",
    ]);
    c.args([
        "--password-env",
        "HEARTH_TEST_PASSWORD",
        "--label",
        "Carol 2FA",
    ]);
    c.env("HEARTH_TEST_PASSWORD", "correct horse battery staple");
    let out = tokio::task::spawn_blocking(move || c.output().unwrap())
        .await
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let carol = lines(&out.stdout).pop().unwrap();
    assert_eq!(carol["account"]["label"], "Carol 2FA");

    let mut c = Command::new(BIN);
    c.arg("--data-dir").arg(s.dir()).arg("--json");
    c.args([
        "login",
        "--network",
        "local",
        s.file(),
        "--bot-token-env",
        "HEARTH_TEST_BOT",
    ]);
    c.env("HEARTH_TEST_BOT", "7000001:AAHearthDemoBotSecretToken");
    let out = tokio::task::spawn_blocking(move || c.output().unwrap())
        .await
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let bot = lines(&out.stdout).pop().unwrap();
    assert_eq!(bot["account"]["is_bot"], true);

    let (_, list, _) = cli(s.dir(), &["account", "list"]).await;
    assert_eq!(list.len(), 2);
    for a in &list {
        let id = a["id"].as_i64().unwrap();
        let (code, out, err) = cli(s.dir(), &["account", "remove", &id.to_string()]).await;
        assert_eq!(code, Some(0), "{err}");
        assert_eq!(out[0]["removed"], id);
        s.forget_keys(id);
    }
    s.dc.shutdown().await;
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the OS keyring; run by tests/keyring/run.sh"]
async fn a_qr_login_holds_the_lock_until_the_code_is_scanned() {
    let s = Setup::new(None).await;
    let mut child = Command::new(BIN)
        .arg("--data-dir")
        .arg(s.dir())
        .args(["--json", "login", "--network", "local", s.file(), "--qr"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel::<Value>();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            let _ = tx.send(serde_json::from_str(&line).unwrap());
        }
    });
    let first = tokio::time::timeout(Duration::from_secs(20), rx.recv())
        .await
        .expect("a QR code within 20 s")
        .unwrap();
    let url = first["qr"]["url"].as_str().unwrap().to_owned();
    assert!(url.starts_with("tg://login?token="));

    // While the login waits, the data directory is taken: a second CLI is refused.
    let (code, out, _) = cli(s.dir(), &["account", "list"]).await;
    assert_eq!(code, Some(3));
    let message = out[0]["error"]["message"].as_str().unwrap();
    assert!(
        message.contains(&format!("PID {}", child.id())),
        "{message}"
    );

    let phone = other_device(&s.dc, BOB).await;
    let token = hearth_client::auth::qr::parse_login_url(&url).unwrap();
    phone.accept_login_token(&token).await.unwrap();
    let done = tokio::time::timeout(Duration::from_secs(20), rx.recv())
        .await
        .expect("signed in within 20 s")
        .unwrap();
    let status = tokio::task::spawn_blocking(move || child.wait().unwrap())
        .await
        .unwrap();
    assert!(status.success());
    assert_eq!(done["account"]["dc"], 4, "moved to bob's DC");
    let id = done["account"]["id"].as_i64().unwrap();
    let (_, sessions, _) = cli(s.dir(), &["sessions", "list", &id.to_string()]).await;
    assert_eq!(sessions.len(), 2);
    let (code, _, _) = cli(s.dir(), &["account", "remove", &id.to_string()]).await;
    assert_eq!(code, Some(0));
    s.forget_keys(id);
    phone.shutdown();
    s.dc.shutdown().await;
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the OS keyring; run by tests/keyring/run.sh"]
async fn an_account_keeps_working_after_its_localdc_restarts_on_new_ports() {
    let state = tempfile::tempdir().unwrap();
    let Setup { dc, data, file } = Setup::new(Some(state.path().to_path_buf())).await;
    let dir = data.path();
    let path = file.to_str().unwrap();
    let (code, out, err) = cli(
        dir,
        &[
            "login",
            "--network",
            "local",
            path,
            "--phone",
            ALICE,
            "--code",
            "22222",
        ],
    )
    .await;
    assert_eq!(code, Some(0), "{err}");
    let id = out.last().unwrap()["account"]["id"].as_i64().unwrap();
    let old_port = dc.dc_addr(2).unwrap().port();
    dc.shutdown().await;

    let dc = start(Some(state.path().to_path_buf())).await;
    assert_ne!(dc.dc_addr(2).unwrap().port(), old_port);
    std::fs::write(&file, format!("{}\n", line_of(&dc))).unwrap();
    let (code, sessions, err) = cli(dir, &["sessions", "list", &id.to_string()]).await;
    assert_eq!(code, Some(0), "{err}");
    assert_eq!(sessions.len(), 1);
    assert_eq!(sessions[0]["current"], true);
    let (code, _, err) = cli(dir, &["account", "logout", &id.to_string()]).await;
    assert_eq!(code, Some(0), "{err}");
    forget_keys(dir, id);
    dc.shutdown().await;
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the OS keyring; run by tests/keyring/run.sh"]
async fn dialogs_history_send_and_updates_from_the_command_line() {
    let s = Setup::new(None).await;
    let (code, out, err) = cli(
        s.dir(),
        &[
            "login",
            "--network",
            "local",
            s.file(),
            "--phone",
            ALICE,
            "--code",
            "22222",
        ],
    )
    .await;
    assert_eq!(code, Some(0), "{err}");
    let id = out[1]["account"]["id"].as_i64().unwrap().to_string();

    let (code, dialogs, err) = cli(s.dir(), &["dialogs", &id]).await;
    assert_eq!(code, Some(0), "{err}");
    let titles: Vec<&str> = dialogs
        .iter()
        .map(|d| d["title"].as_str().unwrap())
        .collect();
    assert_eq!(titles.len(), 4, "{titles:?}");
    assert!(titles.contains(&"Bob") && titles.contains(&"Hearth news"));
    let (_, three, _) = cli(s.dir(), &["dialogs", &id, "--limit", "3"]).await;
    assert_eq!(three.len(), 3);
    let bob = dialogs.iter().find(|d| d["title"] == "Bob").unwrap();
    let bob_id = bob["peer"].as_i64().unwrap().to_string();

    let (code, history, err) = cli(s.dir(), &["history", &id, "@bob_builder"]).await;
    assert_eq!(code, Some(0), "{err}");
    let texts: Vec<&str> = history
        .iter()
        .map(|m| m["text"].as_str().unwrap())
        .collect();
    assert_eq!(texts, ["Hello Alice.", "Hi Bob!"]);
    assert_eq!(history[0]["media"]["name"], "notes.txt");
    let newest = history[0]["id"].as_i64().unwrap().to_string();
    let (_, older, _) = cli(s.dir(), &["history", &id, &bob_id, "--offset-id", &newest]).await;
    assert_eq!(older.len(), 1);
    assert_eq!(older[0]["text"], "Hi Bob!");

    let reply_to = older[0]["id"].as_i64().unwrap().to_string();
    let (code, sent, err) = cli(
        s.dir(),
        &[
            "send",
            &id,
            &bob_id,
            "**hi** from the CLI",
            "--reply-to",
            &reply_to,
        ],
    )
    .await;
    assert_eq!(code, Some(0), "{err}");
    assert_eq!(sent[0]["text"], "hi from the CLI");
    assert_eq!(sent[0]["reply_to"].as_i64().unwrap().to_string(), reply_to);
    let bob_device = other_device(&s.dc, BOB).await;
    let alice_peer = bob_device.resolve_username("alice").await.unwrap().id;
    let seen = bob_device
        .messages()
        .older_than(alice_peer, 0, 1)
        .await
        .unwrap();
    assert_eq!(seen[0].text, "hi from the CLI");
    assert_eq!(seen[0].entities.len(), 1, "bold");
    assert!(seen[0].reply_to.is_some());

    let (code, out, _) = cli(s.dir(), &["history", &id, "424242"]).await;
    assert_eq!(code, Some(2));
    assert_eq!(out[0]["error"]["field"], "peer");

    // `updates` streams what arrives until it is stopped.
    let mut child = Command::new(BIN)
        .arg("--data-dir")
        .arg(s.dir())
        .args(["--json", "updates", &id])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
    let stdout = child.stdout.take().unwrap();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            let _ = tx.send(line);
        }
    });
    let mut line = None;
    for i in 0..40 {
        bob_device
            .messages()
            .send(
                alice_peer,
                hearth_client::OutgoingMessage::plain(format!("ping {i}")),
            )
            .await
            .unwrap();
        if let Ok(Some(l)) = tokio::time::timeout(Duration::from_millis(500), rx.recv()).await {
            line = Some(l);
            break;
        }
    }
    let _ = child.kill();
    let _ = child.wait();
    let event: Value = serde_json::from_str(&line.expect("an event line")).unwrap();
    assert_eq!(event["event"], "new");
    assert!(event["message"]["text"]
        .as_str()
        .unwrap()
        .starts_with("ping "));
    bob_device.shutdown();
    s.forget_keys(id.parse().unwrap());
}
