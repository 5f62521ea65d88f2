//! FILE_MIGRATE: a file stored on another DC is fetched from that DC's
//! media connection, with the sign-in imported there first.

mod common;

use common::*;
use hearth_client::{ConnKind, SessionStorage};
use hearth_tl::{enums, functions, types};

#[tokio::test]
async fn a_file_on_another_dc_is_downloaded_from_its_media_connection() {
    let dc = start_demo().await;
    let (alice, storage) = signed_in(&dc, ALICE).await;
    let bob = alice.resolve_username("bob_builder").await.unwrap();
    let history = alice
        .invoke(&functions::messages::GetHistory {
            peer: alice.peers().input_peer(bob.id).unwrap(),
            offset_id: 0,
            offset_date: 0,
            add_offset: 0,
            limit: 20,
            max_id: 0,
            min_id: 0,
            hash: 0,
        })
        .await
        .unwrap();
    let messages = match history {
        enums::messages::Messages::Messages(m) => m.messages,
        enums::messages::Messages::MessagesSlice(m) => m.messages,
        other => panic!("{other:?}"),
    };
    let doc = messages
        .iter()
        .find_map(|m| match m {
            enums::Message::Message(types::Message {
                media: Some(media), ..
            }) => match &**media {
                enums::MessageMedia::MessageMediaDocument(d) => match &d.document {
                    Some(enums::Document::Document(doc)) => Some(doc.clone()),
                    _ => None,
                },
                _ => None,
            },
            _ => None,
        })
        .expect("bob's notes.txt in the demo chat");
    assert_ne!(
        doc.dc_id,
        alice.home_dc(),
        "the demo document lives elsewhere"
    );

    let file = alice
        .invoke(&functions::upload::GetFile {
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
            offset: 0,
            limit: 64 * 1024,
        })
        .await
        .expect("FILE_MIGRATE followed to the media DC");
    let enums::upload::File::File(file) = file else {
        panic!("not a CDN file")
    };
    assert_eq!(
        String::from_utf8_lossy(&file.bytes),
        "Hearth demo notes: localdc serves this file."
    );
    assert!(alice.is_connected(doc.dc_id, ConnKind::Media));
    assert!(
        storage.auth_key(doc.dc_id).unwrap().is_some(),
        "its key was made and saved"
    );
    assert_eq!(alice.home_dc(), 2, "home stays");
    alice.shutdown();
    dc.shutdown().await;
}
