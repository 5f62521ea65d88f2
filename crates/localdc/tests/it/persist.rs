//! State kept across restarts with the same state dir ([`localdc::persist`]):
//! users, message boxes with their pts, documents and their bytes, the
//! server secret behind access hashes, and signed-in keys. alice signs in
//! through hearth-client; after the restart her session (key, peers) is
//! opened again from the client's storage, as the app does.

use std::path::Path;

use crate::common::account::*;
use crate::common::engine::*;
use crate::common::*;
use hearth_client::PeerId;
use hearth_tl::{enums, functions, types};
use localdc::mailbox::StoredMessage;
use localdc::LocalDc;

const ALICE: i64 = 1_000_001;
const BOB: i64 = 1_000_002;

async fn start(dir: &Path) -> LocalDc {
    let world = localdc::world::World::parse(DEMO_WORLD, "demo.toml").unwrap();
    LocalDc::start(localdc::Config {
        world,
        rsa_key: Some(test_key()),
        state_dir: Some(dir.to_path_buf()),
        // No seed: the access hashes only match after a restart if the
        // secret they derive from was kept.
        ..localdc::Config::default()
    })
    .await
    .unwrap()
}

fn location(doc: &types::Document) -> enums::InputFileLocation {
    enums::InputFileLocation::InputDocumentFileLocation(types::InputDocumentFileLocation {
        id: doc.id,
        access_hash: doc.access_hash,
        file_reference: doc.file_reference.clone(),
        thumb_size: String::new(),
    })
}

async fn download(s: &Account, loc: enums::InputFileLocation, size: usize) -> Vec<u8> {
    let mut back = Vec::new();
    while back.len() < size {
        let body = functions::upload::GetFile {
            precise: false,
            cdn_supported: false,
            location: loc.clone(),
            offset: back.len() as i64,
            limit: 128 * 1024,
        };
        let enums::upload::File::File(f) = s.call(&body).await else {
            panic!("upload.file")
        };
        assert!(!f.bytes.is_empty(), "no empty part before the end");
        back.extend_from_slice(&f.bytes);
    }
    back
}

/// Uploads `data` as a document sent to Saved Messages; returns it.
async fn send_document(s: &Account, data: &[u8]) -> types::Document {
    let parts: Vec<&[u8]> = data.chunks(128 * 1024).collect();
    for (i, part) in parts.iter().enumerate() {
        let save = functions::upload::SaveFilePart {
            file_id: 91,
            file_part: i as i32,
            bytes: part.to_vec(),
        };
        assert!(s.call(&save).await, "boolTrue");
    }
    let file = input_file(91, parts.len() as i32, "kept.bin");
    let media = send_media_request(
        enums::InputPeer::InputPeerSelf,
        uploaded_document(file, None, "application/octet-stream"),
        "",
        17,
    );
    let enums::Updates::Updates(sent) = s.call(&media).await else {
        panic!("updates")
    };
    for u in sent.updates {
        if let enums::Update::UpdateNewMessage(new) = u {
            if let enums::Message::Message(m) = *new.message {
                if let Some(enums::MessageMedia::MessageMediaDocument(d)) = m.media.map(|m| *m) {
                    if let Some(enums::Document::Document(doc)) = d.document {
                        return doc;
                    }
                }
            }
        }
    }
    panic!("sendMedia answers the new message with its document")
}

fn box_of(dc: &LocalDc, user: i64) -> (i32, Vec<StoredMessage>) {
    let boxes = dc.state().mailboxes();
    let b = boxes.get(user).expect("a box");
    (b.pts, b.messages.clone())
}

/// Signs alice in with a new key, meets bob, sends to self and to bob and
/// uploads a document; returns her closed session, the document and its
/// bytes.
async fn fill(dc: &LocalDc) -> (Account, types::Document, Vec<u8>) {
    let s = Account::sign_in(dc, ALICE_PHONE).await;
    s.call(&send_text_request(
        enums::InputPeer::InputPeerSelf,
        "note",
        1,
    ))
    .await;
    let bob = s.resolve("bob_builder").await;
    assert_eq!(bob, PeerId::User(BOB));
    s.call(&send_text_request(s.input_peer(bob), "hello bob", 2))
        .await;
    let data: Vec<u8> = (0..300_000u32).map(|i| (i * 13 % 253) as u8).collect();
    let doc = send_document(&s, &data).await;
    assert_eq!(download(&s, location(&doc), data.len()).await, data);
    s.close().await;
    (s, doc, data)
}

#[tokio::test]
async fn history_pts_files_and_sign_in_survive_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let dc = start(dir.path()).await;
    let (alice, doc, data) = fill(&dc).await;
    let (alice_before, bob_before) = (box_of(&dc, ALICE), box_of(&dc, BOB));
    assert_eq!(alice_before.0, 4, "note, hello bob and the document");
    dc.shutdown().await;

    let dc = start(dir.path()).await;
    assert_eq!(box_of(&dc, ALICE), alice_before);
    assert_eq!(box_of(&dc, BOB), bob_before);
    let s = alice.reopen(&dc).await;
    let state = s.client.invoke(&functions::updates::GetState {}).await;
    let enums::updates::State::State(state) = state.expect("still signed in");
    assert_eq!(state.pts, 4);
    assert_eq!(download(&s, location(&doc), data.len()).await, data);
    // The access hash alice was given before the restart (kept in her
    // client's storage) still names bob, and numbering goes on where it
    // stopped.
    let sent = s
        .call(&send_text_request(s.user_peer(BOB), "again", 3))
        .await;
    let enums::Updates::UpdateShortSentMessage(sent) = sent else {
        panic!("updateShortSentMessage")
    };
    let last_id = alice_before.1.iter().map(|m| m.id).max().unwrap();
    assert_eq!((sent.id, sent.pts), (last_id + 1, 5));
    s.close().await;
    dc.shutdown().await;
}

#[tokio::test]
async fn the_background_snapshot_covers_a_server_that_was_not_shut_down() {
    let dir = tempfile::tempdir().unwrap();
    let dc = start(dir.path()).await;
    let (alice, doc, data) = fill(&dc).await;
    let alice_before = box_of(&dc, ALICE);
    tokio::time::sleep(localdc::persist::SNAPSHOT_INTERVAL * 3).await;
    drop(dc);
    // Let the dropped server's tasks and connections go away.
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;

    let dc = start(dir.path()).await;
    assert_eq!(box_of(&dc, ALICE), alice_before);
    let s = alice.reopen(&dc).await;
    assert_eq!(download(&s, location(&doc), data.len()).await, data);
    s.close().await;
    dc.shutdown().await;
}

#[tokio::test]
async fn without_a_state_dir_a_restart_starts_from_the_world() {
    let dc = start_demo().await;
    let (_, _, _) = fill(&dc).await;
    assert_eq!(box_of(&dc, ALICE).0, 4);
    dc.shutdown().await;
    let dc = start_demo().await;
    assert_eq!(box_of(&dc, ALICE).0, 1, "nothing was kept");
    dc.shutdown().await;
}

#[tokio::test]
async fn document_bytes_are_files_and_an_earlier_blob_table_still_reads() {
    let dir = tempfile::tempdir().unwrap();
    let dc = start(dir.path()).await;
    let (alice, doc, data) = fill(&dc).await;
    dc.shutdown().await;
    let file = dir
        .path()
        .join(localdc::persist::DOCUMENTS_DIR)
        .join(format!("{}.bin", doc.id));
    assert_eq!(std::fs::read(&file).unwrap(), data, "one file per document");
    let leftovers: Vec<_> = std::fs::read_dir(file.parent().unwrap())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .filter(|n| n.to_string_lossy().ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");

    // The layout of earlier versions: the bytes in table `file_blob`.
    let db = rusqlite::Connection::open(dir.path().join("localdc.sqlite3")).unwrap();
    db.execute(
        "INSERT INTO file_blob (id, bytes) VALUES (?1, ?2)",
        rusqlite::params![doc.id, &data],
    )
    .unwrap();
    drop(db);
    std::fs::remove_file(&file).unwrap();
    let dc = start(dir.path()).await;
    let s = alice.reopen(&dc).await;
    assert_eq!(download(&s, location(&doc), data.len()).await, data);
    s.close().await;
    dc.shutdown().await;

    // Neither a file nor a row: the start fails and says what to do.
    let db = rusqlite::Connection::open(dir.path().join("localdc.sqlite3")).unwrap();
    db.execute("DELETE FROM file_blob", []).unwrap();
    drop(db);
    let _ = std::fs::remove_file(&file);
    let world = localdc::world::World::parse(DEMO_WORLD, "demo.toml").unwrap();
    let Err(err) = LocalDc::start(localdc::Config {
        world,
        rsa_key: Some(test_key()),
        state_dir: Some(dir.path().to_path_buf()),
        ..localdc::Config::default()
    })
    .await
    else {
        panic!("a document without bytes")
    };
    let said = err.to_string();
    assert!(
        said.contains(&doc.id.to_string()) && said.contains("delete"),
        "{said}"
    );
}
