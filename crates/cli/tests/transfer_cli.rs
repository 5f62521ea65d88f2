//! `hearth-cli upload` and `download` as a user runs them, against an in-process localdc with
//! the demo world, auth keys in the real OS keyring: run by tests/keyring/run.sh, hence
//! `#[ignore]`. Every byte saved is compared by SHA-256 with what was sent or what another
//! device of the chat downloads.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;

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

fn sha256(bytes: &[u8]) -> Vec<u8> {
    use sha2::Digest;
    sha2::Sha256::digest(bytes).to_vec()
}

/// What `other` (a device of the chat's other side) downloads for the newest message of its
/// chat with `peer` whose media is a photo (`photo`) or a document.
async fn downloaded_by(other: &Client, peer: hearth_client::PeerId, photo: bool) -> Vec<u8> {
    let history = other.messages().older_than(peer, 0, 20).await.unwrap();
    let m = history
        .iter()
        .find(|m| {
            matches!(
                (&m.media, photo),
                (Some(hearth_client::messages::Media::Photo { .. }), true)
                    | (Some(hearth_client::messages::Media::Document { .. }), false)
            )
        })
        .expect("a message with that media");
    let input = other.peers().input_peer(peer).unwrap();
    let src = hearth_client::MessageRef {
        peer: input.clone(),
        id: m.id,
    };
    let raw = other.refetch_message(&src).await.unwrap().unwrap();
    let loc = hearth_client::FileLocation::of_message(input, &raw).unwrap();
    other
        .download_bytes(&loc, &hearth_client::DownloadOptions::default())
        .await
        .unwrap()
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the OS keyring; run by tests/keyring/run.sh"]
async fn upload_and_download_from_the_command_line_keep_every_byte() {
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
    let saved = tempfile::tempdir().unwrap();
    let into = saved.path().to_str().unwrap();

    // The demo world's document: its bytes are the world file's text.
    let (_, history, _) = cli(s.dir(), &["history", &id, "@bob_builder"]).await;
    let notes = history[0]["id"].as_i64().unwrap().to_string();
    let photo = history[1]["id"].as_i64().unwrap().to_string();
    let (code, out, err) = cli(
        s.dir(),
        &["download", &id, "@bob_builder", &notes, "--out", into],
    )
    .await;
    assert_eq!(code, Some(0), "{err}");
    let last = out.last().unwrap();
    assert_eq!(last["state"], "done");
    assert_eq!(last["file_name"], "notes.txt");
    let on_disk = std::fs::read(saved.path().join("notes.txt")).unwrap();
    assert_eq!(
        sha256(&on_disk),
        sha256(b"Hearth demo notes: localdc serves this file.")
    );
    assert!(!saved.path().join("notes.txt.part").exists());

    // The demo world's photo, to an exact path: the bytes Bob's own device downloads.
    let bob = other_device(&s.dc, BOB).await;
    let alice = bob.resolve_username("alice").await.unwrap().id;
    let photo_path = saved.path().join("sunset.jpg");
    let (code, out, err) = cli(
        s.dir(),
        &[
            "download",
            &id,
            "@bob_builder",
            &photo,
            "--out",
            photo_path.to_str().unwrap(),
        ],
    )
    .await;
    assert_eq!(code, Some(0), "{err}");
    assert!(out.last().unwrap()["file_name"]
        .as_str()
        .unwrap()
        .starts_with("photo_"));
    let on_disk = std::fs::read(&photo_path).unwrap();
    assert_eq!(&on_disk[..2], [0xFF, 0xD8], "a JPEG");
    assert_eq!(
        sha256(&on_disk),
        sha256(&downloaded_by(&bob, alice, true).await)
    );

    // A 3 MiB document there and back, with progress lines on the way.
    let blob: Vec<u8> = (0..3 * 1024 * 1024u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
        .collect();
    let blob_path = saved.path().join("blob.bin");
    std::fs::write(&blob_path, &blob).unwrap();
    let (code, out, err) = cli(
        s.dir(),
        &[
            "upload",
            &id,
            "@bob_builder",
            blob_path.to_str().unwrap(),
            "--caption",
            "the blob",
        ],
    )
    .await;
    assert_eq!(code, Some(0), "{err}");
    let last = out.last().unwrap();
    assert_eq!(
        (last["state"].as_str(), last["kind"].as_str()),
        (Some("done"), Some("upload"))
    );
    assert_eq!(last["done"], blob.len() as u64);
    assert!(
        out.len() >= 2,
        "a progress line before the final one: {out:?}"
    );
    assert_eq!(out[0]["state"], "running");
    assert_eq!(
        sha256(&downloaded_by(&bob, alice, false).await),
        sha256(&blob)
    );
    let sent = last["message_id"].as_i64().unwrap().to_string();
    let back = tempfile::tempdir().unwrap();
    let (code, _, err) = cli(
        s.dir(),
        &[
            "download",
            &id,
            "@bob_builder",
            &sent,
            "--out",
            back.path().to_str().unwrap(),
        ],
    )
    .await;
    assert_eq!(code, Some(0), "{err}");
    assert_eq!(
        sha256(&std::fs::read(back.path().join("blob.bin")).unwrap()),
        sha256(&blob)
    );

    // A JPEG goes as a photo.
    let jpeg = localdc::photos::generated_jpeg(320, 240, 9).unwrap();
    let jpeg_path = saved.path().join("small.jpg");
    std::fs::write(&jpeg_path, &jpeg).unwrap();
    let (code, _, err) = cli(
        s.dir(),
        &["upload", &id, "@bob_builder", jpeg_path.to_str().unwrap()],
    )
    .await;
    assert_eq!(code, Some(0), "{err}");
    let seen = bob.messages().older_than(alice, 0, 1).await.unwrap();
    assert!(
        matches!(
            seen[0].media,
            Some(hearth_client::messages::Media::Photo { .. })
        ),
        "{:?}",
        seen[0].media
    );

    // Clear errors: a missing file, a message without media, one not in the chat, a bad peer.
    let missing = saved.path().join("nothing-here.txt");
    let (code, out, _) = cli(
        s.dir(),
        &["upload", &id, "@bob_builder", missing.to_str().unwrap()],
    )
    .await;
    assert_eq!(code, Some(2));
    assert_eq!(out[0]["error"]["code"], "LOCAL_FILE");
    assert_eq!(out[0]["error"]["field"], "file");
    assert!(out[0]["error"]["message"]
        .as_str()
        .unwrap()
        .contains("no such file"));

    let (_, sent, _) = cli(s.dir(), &["send", &id, "@bob_builder", "just words"]).await;
    let text_id = sent[0]["id"].as_i64().unwrap().to_string();
    let (code, out, _) = cli(
        s.dir(),
        &["download", &id, "@bob_builder", &text_id, "--out", into],
    )
    .await;
    assert_eq!(code, Some(2));
    assert_eq!(out[0]["error"]["code"], "NO_MEDIA");
    assert!(out[0]["error"]["message"]
        .as_str()
        .unwrap()
        .contains(&text_id));

    let (code, out, _) = cli(
        s.dir(),
        &["download", &id, "@bob_builder", "999999", "--out", into],
    )
    .await;
    assert_eq!(code, Some(2));
    assert_eq!(out[0]["error"]["code"], "MESSAGE_NOT_FOUND");

    let (code, out, _) = cli(s.dir(), &["download", &id, "424242", &notes, "--out", into]).await;
    assert_eq!(code, Some(2));
    assert_eq!(out[0]["error"]["field"], "peer");

    bob.shutdown();
    s.forget_keys(id.parse().unwrap());
}

/// The demo world's bot, signed in with `hearth-cli login --bot-token-env`: the photo Bob's
/// device sends it shows its Bot API file id in `history --json`, `send --file-id` sends that
/// photo again (Bob receives the same photo), and the id Bob's own account would build (his
/// access hash and file reference) is refused on the `file_id` field.
#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the OS keyring; run by tests/keyring/run.sh"]
async fn a_bot_sends_a_photo_again_by_its_file_id_and_refuses_a_foreign_one() {
    let s = Setup::new(None).await;
    let mut c = Command::new(BIN);
    c.arg("--data-dir")
        .arg(s.dir())
        .arg("--json")
        .args(["login", "--network", "local", s.file()])
        .args(["--bot-token-env", "HEARTH_TEST_BOT_TOKEN"])
        .env(
            "HEARTH_TEST_BOT_TOKEN",
            "7000001:AAHearthDemoBotSecretToken",
        );
    let out = tokio::task::spawn_blocking(move || c.output().unwrap())
        .await
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let id = lines(&out.stdout)
        .iter()
        .find_map(|l| l["account"]["id"].as_i64())
        .expect("the bot's account")
        .to_string();

    let bob = other_device(&s.dc, BOB).await;
    let bot = bob.resolve_username("hearth_helper_bot").await.unwrap().id;
    let to_bot = bob.peers().input_peer(bot).unwrap();
    let jpeg = localdc::photos::generated_jpeg(640, 480, 3).unwrap();
    let up = bob
        .upload_bytes(&jpeg, "for-the-bot.jpg", &Default::default())
        .await
        .unwrap();
    let sent = bob
        .send_photo(to_bot, &up, "for the bot")
        .await
        .unwrap()
        .expect("Bob's message");
    let bobs_view =
        hearth_client::Message::from_tl(&hearth_tl::enums::Message::Message(sent), &bob.peers())
            .unwrap();
    let photo_id = match &bobs_view.media {
        Some(hearth_client::Media::Photo { id, .. }) => id.to_string(),
        other => panic!("a photo: {other:?}"),
    };

    let bob_user = "@bob_builder";
    let (code, history, err) = cli(s.dir(), &["history", &id, bob_user, "--limit", "5"]).await;
    assert_eq!(code, Some(0), "{err}");
    let media = history
        .iter()
        .find(|m| m["text"] == "for the bot")
        .map(|m| m["media"].clone())
        .expect("the bot sees Bob's photo");
    assert_eq!(media["id"], photo_id.as_str());
    let file_id = media["file_id"]
        .as_str()
        .expect("a bot's file_id")
        .to_owned();
    assert!(media["file_unique_id"].is_string());

    let (code, out, err) = cli(
        s.dir(),
        &[
            "send",
            &id,
            bob_user,
            "--file-id",
            &file_id,
            "--caption",
            "again",
        ],
    )
    .await;
    assert_eq!(code, Some(0), "{err}");
    assert_eq!(out[0]["media"]["id"], photo_id.as_str(), "the same photo");
    let seen = bob.messages().older_than(bot, 0, 5).await.unwrap();
    let again = seen
        .iter()
        .find(|m| m.text == "again")
        .expect("Bob receives it");
    assert!(matches!(
        &again.media,
        Some(hearth_client::Media::Photo { id, .. }) if id.to_string() == photo_id
    ));

    // The id Bob's account would build names the same photo with Bob's access hash.
    let foreign = hearth_client::bot_file_ids(bobs_view.media.as_ref().unwrap())
        .expect("ids of a photo")
        .file_id;
    assert_ne!(foreign, file_id);
    let (code, out, _) = cli(s.dir(), &["send", &id, bob_user, "--file-id", &foreign]).await;
    assert_eq!(code, Some(1));
    assert_eq!(out[0]["error"]["field"], "file_id");
    assert_eq!(out[0]["error"]["code"], "MEDIA_EMPTY");

    bob.shutdown();
    s.forget_keys(id.parse().unwrap());
}
