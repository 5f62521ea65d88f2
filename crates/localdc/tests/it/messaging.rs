//! Private messages, files and injected flood waits, from accounts signed
//! in through hearth-client.

use crate::common::account::*;
use crate::common::engine::*;
use crate::common::*;
use hearth_client::PeerId;
use localdc::LocalDc;

const ALICE: i64 = 1_000_001;
const BOB: i64 = 1_000_002;
const CAROL: i64 = 1_000_003;

#[tokio::test]
async fn messages_follow_peer_rules_and_advance_pts() {
    use hearth_tl::{enums, functions, types};
    let dc = start_demo().await;
    let s = Account::sign_in(&dc, ALICE_PHONE).await;
    let pts = || async {
        let enums::updates::State::State(st) = s.call(&functions::updates::GetState {}).await;
        st.pts
    };
    assert_eq!(pts().await, 1);

    // carol (1_000_003) shares no private chat with alice: unmet, even with
    // her real access hash the peer is invalid.
    let carol = server_user_hash(&dc, ALICE, CAROL);
    let peer = enums::InputPeer::InputPeerUser(types::InputPeerUser {
        user_id: CAROL,
        access_hash: carol,
    });
    let (code, message) = s.fails(&send_text_request(peer, "hi", 1)).await;
    assert_eq!((code, message.as_str()), (400, "PEER_ID_INVALID"));
    // bob is known to alice, but only under the hash alice was given: the one
    // carol would see is refused.
    let borrowed = enums::InputPeer::InputPeerUser(types::InputPeerUser {
        user_id: BOB,
        access_hash: server_user_hash(&dc, CAROL, BOB),
    });
    let (_, message) = s.fails(&send_text_request(borrowed, "hi", 3)).await;
    assert_eq!(message, "PEER_ID_INVALID");

    let sent = s
        .call(&send_text_request(
            enums::InputPeer::InputPeerSelf,
            "note",
            2,
        ))
        .await;
    // Saved Messages are answered with a full `updates`, as Telegram does.
    let enums::Updates::Updates(sent) = sent else {
        panic!("updates for a message to Saved Messages")
    };
    let [enums::Update::UpdateMessageId(id), enums::Update::UpdateNewMessage(new)] =
        &sent.updates[..]
    else {
        panic!(
            "updateMessageID and updateNewMessage, got {:?}",
            sent.updates
        )
    };
    let enums::Message::Message(note) = &*new.message else {
        panic!("a message")
    };
    // History without pts: two world messages with bob, then the demo group's
    // creation and its one message. The note is message 5, pts 2.
    assert_eq!((id.id, id.random_id), (5, 2));
    assert_eq!(
        (
            note.id,
            new.pts,
            new.pts_count,
            note.out,
            note.message.as_str()
        ),
        (5, 2, 1, true, "note")
    );
    assert!(sent.seq > 0, "a full updates takes the account's seq");
    assert_eq!(pts().await, 2);
    dc.shutdown().await;
}

#[tokio::test]
async fn documents_upload_in_parts_and_download_in_aligned_ranges() {
    use hearth_tl::{enums, functions, types, Serializable};
    let dc = start_demo().await;
    let s = Account::sign_in(&dc, ALICE_PHONE).await;
    let data: Vec<u8> = (0..300_000u32).map(|i| (i * 7 % 251) as u8).collect();
    let parts: Vec<&[u8]> = data.chunks(128 * 1024).collect();
    for (i, part) in parts.iter().enumerate() {
        let ok = s
            .call(&functions::upload::SaveFilePart {
                file_id: 77,
                file_part: i as i32,
                bytes: part.to_vec(),
            })
            .await;
        assert!(ok, "boolTrue");
    }
    let too_big = functions::upload::SaveFilePart {
        file_id: 78,
        file_part: 0,
        bytes: vec![0; 512 * 1024 + 1024],
    };
    let (_, message) = s.fails(&too_big).await;
    assert_eq!(message, "FILE_PART_TOO_BIG");
    let media = |parts: i32| {
        let file = input_file(77, parts, "data.bin");
        let media = uploaded_document(file, None, "application/octet-stream");
        send_media_request(enums::InputPeer::InputPeerSelf, media, "", 5)
    };
    let (_, message) = s.fails(&media(4)).await;
    assert_eq!(message, "FILE_PARTS_INVALID");
    let enums::Updates::Updates(sent) = s.call(&media(3)).await else {
        panic!("updates")
    };
    let [enums::Update::UpdateMessageId(id), enums::Update::UpdateNewMessage(new)] =
        &sent.updates[..]
    else {
        panic!("updateMessageID and updateNewMessage")
    };
    assert_eq!(id.random_id, 5);
    let enums::Message::Message(message) = &*new.message else {
        panic!("a message")
    };
    assert_eq!((message.id, new.pts), (id.id, 2));
    let Some(enums::MessageMedia::MessageMediaDocument(m)) = message.media.clone().map(|m| *m)
    else {
        panic!("a document")
    };
    let Some(enums::Document::Document(doc)) = m.document else {
        panic!("a full document")
    };
    assert_eq!((doc.size, doc.dc_id), (300_000, 2));
    let get = |offset: i64, limit: i32| functions::upload::GetFile {
        precise: false,
        cdn_supported: false,
        location: enums::InputFileLocation::InputDocumentFileLocation(
            types::InputDocumentFileLocation {
                id: doc.id,
                access_hash: doc.access_hash,
                file_reference: doc.file_reference.clone(),
                thumb_size: String::new(),
            },
        ),
        offset,
        limit,
    };
    let mut back = Vec::new();
    while back.len() < data.len() {
        let enums::upload::File::File(f) = s.call(&get(back.len() as i64, 64 * 1024)).await else {
            panic!("upload.file")
        };
        assert!(!f.bytes.is_empty());
        back.extend_from_slice(&f.bytes);
    }
    assert_eq!(back, data);
    for (offset, limit, error) in [
        (512, 1024, "OFFSET_INVALID"),
        (0, 1000, "LIMIT_INVALID"),
        (1024 * 1024 - 1024, 4096, "LIMIT_INVALID"),
    ] {
        let (_, message) = s.fails(&get(offset, limit)).await;
        assert_eq!(message, error);
    }
    // The document lives on DC 2: bob, signed in on DC 4, is sent there.
    // (His client would follow the migration; the wire shows the answer.)
    let bob = Account::sign_in(&dc, BOB_PHONE).await.wire().await;
    let (code, message) = rpc_err(bob.invoke_raw(get(0, 4096).to_bytes()).await.unwrap_err());
    assert_eq!((code, message.as_str()), (303, "FILE_MIGRATE_2"));
    dc.shutdown().await;
}

#[tokio::test]
async fn world_fault_tables_flood_wait_deterministically_per_seed() {
    let fault = "\n[[fault]]\nmethod = \"messages.sendMessage\"\nlimit = 1\nwait_secs = 5\njitter_secs = 20\n";
    let waits = |seed: u64| async move {
        let world = localdc::world::World::parse(&format!("{DEMO_WORLD}{fault}"), "flood.toml")
            .expect("a world with a fault table");
        let dc = LocalDc::start(localdc::Config {
            world,
            rsa_key: Some(test_key()),
            seed: Some(seed),
            ..localdc::Config::default()
        })
        .await
        .unwrap();
        // A wire session: the client would turn the wait into its own error.
        let s = Account::sign_in(&dc, ALICE_PHONE).await.wire().await;
        let me = || send_text(hearth_tl::enums::InputPeer::InputPeerSelf, "x", 1);
        s.invoke_raw(me())
            .await
            .expect("first call within the limit");
        let (code, message) = rpc_err(s.invoke_raw(me()).await.unwrap_err());
        dc.shutdown().await;
        assert_eq!(code, 420);
        message
            .strip_prefix("FLOOD_WAIT_")
            .and_then(|x| x.parse::<u32>().ok())
            .expect("FLOOD_WAIT_X")
    };
    let a = waits(7).await;
    assert!((5..=25).contains(&a), "{a}");
    assert_eq!(waits(7).await, a, "same seed, same wait");
    let bad =
        format!("{DEMO_WORLD}\n[[fault]]\nmethod = \"messages.noSuchThing\"\nwait_secs = 1\n");
    let err = localdc::world::World::parse(&bad, "bad.toml").unwrap_err();
    assert!(err.to_string().contains("messages.noSuchThing"), "{err}");
}

#[tokio::test]
async fn full_users_follow_the_same_access_rules() {
    use hearth_tl::{enums, functions, types};
    let dc = start_demo().await;
    let s = Account::sign_in(&dc, ALICE_PHONE).await;
    let full = |id: enums::InputUser| functions::users::GetFullUser { id };
    let enums::users::UserFull::UserFull(me) = s.call(&full(enums::InputUser::InputUserSelf)).await;
    let enums::UserFull::UserFull(inner) = *me.full_user;
    assert_eq!(inner.id, ALICE);
    // bob shares a private chat with alice in the demo world (and is her
    // contact, which is how her client meets him); carol does not, so
    // alice can only have carol's hash from the server.
    s.meet_contacts().await;
    for (id, ok) in [(BOB, true), (CAROL, false)] {
        let access_hash = if ok {
            s.hash(PeerId::User(id))
        } else {
            server_user_hash(&dc, ALICE, id)
        };
        let input = enums::InputUser::InputUser(types::InputUser {
            user_id: id,
            access_hash,
        });
        match s.client.invoke(&full(input)).await {
            Ok(enums::users::UserFull::UserFull(u)) => {
                assert!(ok, "user {id} must be refused");
                let enums::UserFull::UserFull(inner) = *u.full_user;
                assert_eq!(inner.id, id);
            }
            Err(e) => {
                assert!(!ok, "user {id} must be served");
                assert_eq!(rpc_err(e), (400, "USER_ID_INVALID".to_string()));
            }
        }
    }
    dc.shutdown().await;
}

/// The next pushed `Updates` object, skipping new-session notices.
async fn next_update(
    rx: &mut tokio::sync::mpsc::Receiver<hearth_sender::sender::UpdateEvent>,
) -> hearth_tl::enums::Updates {
    use hearth_tl::Deserializable;
    loop {
        let event = tokio::time::timeout(std::time::Duration::from_secs(10), rx.recv())
            .await
            .expect("an update within 10 s")
            .expect("the sender is alive");
        if let hearth_sender::sender::UpdateEvent::Update(body) = event {
            return hearth_tl::enums::Updates::from_bytes(&body).expect("an Updates object");
        }
    }
}

#[tokio::test]
async fn sent_messages_are_pushed_to_other_sessions_with_their_pts() {
    use hearth_tl::enums;
    let dc = start_demo().await;
    let alice = Account::sign_in(&dc, ALICE_PHONE).await;
    let (_alice2, mut alice2_rx) = Account::sign_in(&dc, ALICE_PHONE).await.listen().await;
    let (_bob, mut bob_rx) = Account::sign_in(&dc, BOB_PHONE).await.listen().await;

    alice
        .call(&send_text_request(
            enums::InputPeer::InputPeerSelf,
            "to self",
            1,
        ))
        .await;
    let enums::Updates::Updates(u) = next_update(&mut alice2_rx).await else {
        panic!("alice's other session gets updates")
    };
    let [enums::Update::UpdateNewMessage(new)] = &u.updates[..] else {
        panic!("one updateNewMessage")
    };
    let enums::Message::Message(m) = &*new.message else {
        panic!("a message")
    };
    // pts 2 is the login code 777000 sent alice for her second sign-in.
    assert_eq!(
        (m.message.as_str(), m.out, new.pts, new.pts_count),
        ("to self", true, 3, 1)
    );

    // bob and alice share a private chat in the demo world, so alice knows
    // bob; her client meets him by his username.
    let bob = alice.resolve("bob_builder").await;
    alice
        .call(&send_text_request(alice.input_peer(bob), "hi bob", 2))
        .await;
    let enums::Updates::UpdateShortMessage(short) = next_update(&mut bob_rx).await else {
        panic!("bob gets updateShortMessage")
    };
    assert_eq!(
        (
            short.message.as_str(),
            short.user_id,
            short.out,
            short.pts,
            short.pts_count
        ),
        ("hi bob", ALICE, false, 2, 1)
    );
    let enums::Updates::Updates(u) = next_update(&mut alice2_rx).await else {
        panic!("alice's other session sees her outgoing message")
    };
    let [enums::Update::UpdateNewMessage(new)] = &u.updates[..] else {
        panic!("one updateNewMessage")
    };
    assert_eq!(
        new.pts, 4,
        "alice's box: world history, login code (2), note (3), message to bob (4)"
    );
    dc.shutdown().await;
}
