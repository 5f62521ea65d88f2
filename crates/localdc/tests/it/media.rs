//! Photos, thumbnails and file references, from accounts signed in through
//! hearth-client.

use crate::common::account::*;
use crate::common::engine::*;
use crate::common::*;
use hearth_tl::{enums, functions, types};
use image::GenericImageView;
use localdc::LocalDc;

/// Uploads `data` as file `file_id` in 32 KiB parts; the `InputFile`.
pub async fn upload(s: &impl Conn, file_id: i64, data: &[u8], name: &str) -> enums::InputFile {
    let parts: Vec<&[u8]> = data.chunks(32 * 1024).collect();
    for (i, part) in parts.iter().enumerate() {
        let req = functions::upload::SaveFilePart {
            file_id,
            file_part: i as i32,
            bytes: part.to_vec(),
        };
        assert!(s.invoke(&req).await.unwrap(), "boolTrue");
    }
    input_file(file_id, parts.len() as i32, name)
}

pub fn send_media(
    peer: enums::InputPeer,
    media: enums::InputMedia,
    random_id: i64,
) -> functions::messages::SendMedia {
    send_media_request(peer, media, "caption", random_id)
}

pub fn uploaded_photo(file: enums::InputFile) -> enums::InputMedia {
    enums::InputMedia::InputMediaUploadedPhoto(types::InputMediaUploadedPhoto {
        spoiler: false,
        live_photo: false,
        file,
        stickers: None,
        ttl_seconds: None,
        video: None,
    })
}

/// The media of the `updateNewMessage` in a sendMedia answer.
fn sent_media(answer: enums::Updates) -> (types::Updates, enums::MessageMedia) {
    let enums::Updates::Updates(u) = answer else {
        panic!("updates")
    };
    let media = u
        .updates
        .iter()
        .find_map(|x| match x {
            enums::Update::UpdateNewMessage(n) => match &*n.message {
                enums::Message::Message(m) => m.media.clone(),
                _ => None,
            },
            _ => None,
        })
        .expect("a message with media");
    (u, *media)
}

fn photo_of(media: enums::MessageMedia) -> types::Photo {
    let enums::MessageMedia::MessageMediaPhoto(m) = media else {
        panic!("messageMediaPhoto, got {media:?}")
    };
    let Some(enums::Photo::Photo(p)) = m.photo else {
        panic!("a photo")
    };
    p
}

fn document_of(media: enums::MessageMedia) -> types::Document {
    let enums::MessageMedia::MessageMediaDocument(m) = media else {
        panic!("messageMediaDocument, got {media:?}")
    };
    let Some(enums::Document::Document(d)) = m.document else {
        panic!("a document")
    };
    d
}

pub fn photo_location(p: &types::Photo, thumb: &str) -> enums::InputFileLocation {
    enums::InputFileLocation::InputPhotoFileLocation(types::InputPhotoFileLocation {
        id: p.id,
        access_hash: p.access_hash,
        file_reference: p.file_reference.clone(),
        thumb_size: thumb.into(),
    })
}

fn document_location(d: &types::Document, thumb: &str) -> enums::InputFileLocation {
    enums::InputFileLocation::InputDocumentFileLocation(types::InputDocumentFileLocation {
        id: d.id,
        access_hash: d.access_hash,
        file_reference: d.file_reference.clone(),
        thumb_size: thumb.into(),
    })
}

/// Downloads a whole file in 16 KiB requests, or the first error.
pub async fn download(
    s: &impl Conn,
    location: enums::InputFileLocation,
) -> Result<Vec<u8>, (i32, String)> {
    let mut out = Vec::new();
    loop {
        let req = functions::upload::GetFile {
            precise: false,
            cdn_supported: false,
            location: location.clone(),
            offset: out.len() as i64,
            limit: 16 * 1024,
        };
        let enums::upload::File::File(f) = s.invoke(&req).await.map_err(rpc_err)? else {
            panic!("upload.file")
        };
        let n = f.bytes.len();
        out.extend_from_slice(&f.bytes);
        if n < 16 * 1024 {
            return Ok(out);
        }
    }
}

fn sizes_of(sizes: &[enums::PhotoSize]) -> Vec<(String, i32, i32, i32)> {
    sizes
        .iter()
        .filter_map(|s| match s {
            enums::PhotoSize::PhotoSize(p) => Some((p.type_.clone(), p.w, p.h, p.size)),
            _ => None,
        })
        .collect()
}

fn stripped_of(sizes: &[enums::PhotoSize]) -> Vec<u8> {
    sizes
        .iter()
        .find_map(|s| match s {
            enums::PhotoSize::PhotoStrippedSize(p) if p.type_ == "i" => Some(p.bytes.clone()),
            _ => None,
        })
        .expect("a stripped thumbnail")
}

#[tokio::test]
async fn uploaded_photos_are_served_in_every_size() {
    let dc = start_demo().await;
    let s = Account::sign_in(&dc, ALICE_PHONE).await;
    let jpeg = localdc::photos::generated_jpeg(1000, 700, 5).unwrap();
    let file = upload(&s, 1, &jpeg, "photo.jpg").await;
    let answer = s
        .call(&send_media(
            enums::InputPeer::InputPeerSelf,
            uploaded_photo(file),
            9,
        ))
        .await;
    let (_, media) = sent_media(answer);
    let photo = photo_of(media);
    assert_eq!(photo.dc_id, 2);
    let sizes = sizes_of(&photo.sizes);
    let dims: Vec<(&str, i32, i32)> = sizes.iter().map(|s| (s.0.as_str(), s.1, s.2)).collect();
    assert_eq!(
        dims,
        vec![
            ("s", 100, 70),
            ("m", 320, 224),
            ("x", 800, 560),
            ("y", 1000, 700)
        ]
    );
    let stripped = stripped_of(&photo.sizes);
    assert_eq!((stripped[0], stripped[1], stripped[2]), (1, 28, 40));
    for (kind, w, h, size) in &sizes {
        let bytes = download(&s, photo_location(&photo, kind)).await.unwrap();
        assert_eq!(bytes.len() as i32, *size, "size {kind}");
        let img = image::load_from_memory(&bytes).expect("a JPEG");
        assert_eq!(img.dimensions(), (*w as u32, *h as u32), "size {kind}");
    }
    for thumb in ["i", "w", ""] {
        let err = download(&s, photo_location(&photo, thumb))
            .await
            .unwrap_err();
        assert_eq!(err, (400, "LOCATION_INVALID".into()), "thumb {thumb:?}");
    }

    // Undecodable content and impossible dimensions are refused.
    let file = upload(&s, 2, b"this is not a picture at all", "x.jpg").await;
    let err = s
        .fails(&send_media(
            enums::InputPeer::InputPeerSelf,
            uploaded_photo(file),
            10,
        ))
        .await;
    assert_eq!(err, (400, "IMAGE_PROCESS_FAILED".into()));
    let narrow = localdc::photos::generated_jpeg(2100, 100, 1).unwrap();
    let file = upload(&s, 3, &narrow, "narrow.jpg").await;
    let err = s
        .fails(&send_media(
            enums::InputPeer::InputPeerSelf,
            uploaded_photo(file),
            11,
        ))
        .await;
    assert_eq!(err, (400, "PHOTO_INVALID_DIMENSIONS".into()));
    dc.shutdown().await;
}

#[tokio::test]
async fn documents_get_thumbnails_given_or_made() {
    let dc = start_demo().await;
    let s = Account::sign_in(&dc, ALICE_PHONE).await;
    let data = vec![7u8; 50_000];
    let file = upload(&s, 1, &data, "data.bin").await;
    let thumb = localdc::photos::generated_jpeg(600, 400, 2).unwrap();
    let thumb = upload(&s, 2, &thumb, "thumb.jpg").await;
    let answer = s
        .call(&send_media(
            enums::InputPeer::InputPeerSelf,
            uploaded_document(file, Some(thumb), "application/octet-stream"),
            1,
        ))
        .await;
    let doc = document_of(sent_media(answer).1);
    let thumbs = doc.thumbs.clone().expect("thumbs");
    let sizes = sizes_of(&thumbs);
    assert_eq!(
        (sizes[0].0.as_str(), sizes[0].1, sizes[0].2),
        ("m", 320, 213)
    );
    assert_eq!(stripped_of(&thumbs)[..3], [1, 27, 40]);
    let m = download(&s, document_location(&doc, "m")).await.unwrap();
    assert_eq!(m.len() as i32, sizes[0].3);
    assert_eq!(
        image::load_from_memory(&m).unwrap().dimensions(),
        (320, 213)
    );
    assert_eq!(
        download(&s, document_location(&doc, "")).await.unwrap(),
        data
    );
    let err = download(&s, document_location(&doc, "x"))
        .await
        .unwrap_err();
    assert_eq!(err, (400, "LOCATION_INVALID".into()));

    // An image sent as a file gets a thumbnail and its size from the content.
    let mut png = Vec::new();
    image::DynamicImage::ImageRgb8(localdc::photos::generated(500, 300, 4))
        .write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png)
        .unwrap();
    let file = upload(&s, 3, &png, "picture.png").await;
    let answer = s
        .call(&send_media(
            enums::InputPeer::InputPeerSelf,
            uploaded_document(file, None, "image/png"),
            2,
        ))
        .await;
    let doc = document_of(sent_media(answer).1);
    let sizes = sizes_of(doc.thumbs.as_deref().expect("a thumbnail was made"));
    assert_eq!((sizes[0].1, sizes[0].2), (320, 192));
    assert!(doc.attributes.iter().any(|a| matches!(
        a,
        enums::DocumentAttribute::DocumentAttributeImageSize(s) if (s.w, s.h) == (500, 300)
    )));
    dc.shutdown().await;
}

/// A demo world with other `[server]` settings.
pub async fn start_with(server: &str) -> LocalDc {
    let text = DEMO_WORLD.replacen("[server]\n", &format!("[server]\n{server}\n"), 1);
    let world = localdc::world::World::parse(&text, "media.toml").expect("a valid world");
    LocalDc::start(localdc::Config {
        world,
        rsa_key: Some(test_key()),
        seed: Some(7),
        ..localdc::Config::default()
    })
    .await
    .expect("localdc starts")
}

/// The history with `peer`, oldest first.
async fn history(s: &impl Conn, peer: enums::InputPeer) -> Vec<types::Message> {
    let req = functions::messages::GetHistory {
        peer,
        offset_id: 0,
        offset_date: 0,
        add_offset: 0,
        limit: 10,
        max_id: 0,
        min_id: 0,
        hash: 0,
    };
    let enums::messages::Messages::Messages(m) = s.invoke(&req).await.unwrap() else {
        panic!("messages.messages")
    };
    let mut out: Vec<types::Message> = m
        .messages
        .into_iter()
        .filter_map(|m| match m {
            enums::Message::Message(m) => Some(m),
            _ => None,
        })
        .collect();
    out.reverse();
    out
}

#[tokio::test]
async fn file_references_expire_and_refetching_the_message_renews_them() {
    let dc = start_with("file_reference_secs = 2").await;
    // alice's downloads go on a wire session: her client would follow the
    // FILE_MIGRATE this test checks. They met in their private chat; their
    // clients meet each other by username.
    let alice = Account::sign_in(&dc, ALICE_PHONE).await;
    let bob = Account::sign_in(&dc, BOB_PHONE).await;
    alice.resolve("bob_builder").await;
    bob.resolve("alice").await;
    let s = alice.wire().await;
    let with_bob = history(&s, alice.user_peer(bob.id)).await;
    assert_eq!(with_bob[0].message, "Hi Bob!");
    let photo = photo_of(*with_bob[0].media.clone().expect("the world photo"));
    // bob sent the document: it lives on his DC, 4.
    let doc = document_of(*with_bob[1].media.clone().expect("the world document"));
    assert_eq!(doc.dc_id, 4);
    let err = download(&s, document_location(&doc, "")).await.unwrap_err();
    assert_eq!(err, (303, "FILE_MIGRATE_4".into()));
    let bobs = history(&bob, bob.user_peer(alice.id)).await;
    let doc = document_of(*bobs[1].media.clone().expect("bob's copy"));
    let dims: Vec<(String, i32, i32)> = sizes_of(&photo.sizes)
        .into_iter()
        .map(|s| (s.0, s.1, s.2))
        .collect();
    assert_eq!(dims.last(), Some(&("y".to_string(), 1280, 853)));
    let notes = download(&bob, document_location(&doc, "")).await.unwrap();
    assert_eq!(notes, b"Hearth demo notes: localdc serves this file.");
    let m = download(&s, photo_location(&photo, "m")).await.unwrap();
    assert_eq!(
        image::load_from_memory(&m).unwrap().dimensions(),
        (320, 213)
    );

    // Another object's reference, or no reference at all, is refused.
    let mut foreign = photo.clone();
    foreign.file_reference = doc.file_reference.clone();
    let err = download(&s, photo_location(&foreign, "m"))
        .await
        .unwrap_err();
    assert_eq!(err, (400, "FILE_REFERENCE_EXPIRED".into()));
    foreign.file_reference = b"garbage".to_vec();
    let err = download(&s, photo_location(&foreign, "m"))
        .await
        .unwrap_err();
    assert_eq!(err, (400, "FILE_REFERENCE_INVALID".into()));

    tokio::time::sleep(std::time::Duration::from_millis(2100)).await;
    let err = download(&s, photo_location(&photo, "m")).await.unwrap_err();
    assert_eq!(err, (400, "FILE_REFERENCE_EXPIRED".into()));
    let err = download(&bob, document_location(&doc, ""))
        .await
        .unwrap_err();
    assert_eq!(err, (400, "FILE_REFERENCE_EXPIRED".into()));

    // Fetching the message again hands out a fresh, working reference.
    let again = history(&s, alice.user_peer(bob.id)).await;
    let renewed = photo_of(*again[0].media.clone().unwrap());
    assert_eq!(renewed.id, photo.id);
    assert_ne!(renewed.file_reference, photo.file_reference);
    assert_eq!(
        download(&s, photo_location(&renewed, "m")).await.unwrap(),
        m
    );
    dc.shutdown().await;
}

/// Sends one control-port request and returns the JSON answer.
async fn control(dc: &LocalDc, request: &str) -> serde_json::Value {
    let request: serde_json::Value = serde_json::from_str(request).expect("a JSON request");
    dc.control(&request)
        .await
        .expect("the control port answers")
}

#[tokio::test]
async fn the_control_port_expires_every_reference_at_once() {
    let dc = start_demo().await;
    let s = Account::sign_in(&dc, ALICE_PHONE).await;
    let jpeg = localdc::photos::generated_jpeg(200, 150, 8).unwrap();
    let file = upload(&s, 1, &jpeg, "p.jpg").await;
    let answer = s
        .call(&send_media(
            enums::InputPeer::InputPeerSelf,
            uploaded_photo(file),
            1,
        ))
        .await;
    let photo = photo_of(sent_media(answer).1);
    let small = download(&s, photo_location(&photo, "s")).await.unwrap();
    let answer = control(&dc, r#"{"cmd":"expire_file_references"}"#).await;
    assert_eq!(answer["ok"], true);
    let err = download(&s, photo_location(&photo, "s")).await.unwrap_err();
    assert_eq!(err, (400, "FILE_REFERENCE_EXPIRED".into()));
    let saved = history(&s, enums::InputPeer::InputPeerSelf).await;
    let renewed = photo_of(*saved.last().unwrap().media.clone().unwrap());
    assert_eq!(
        download(&s, photo_location(&renewed, "s")).await.unwrap(),
        small
    );

    // Sending the photo again by reference needs a current reference too.
    let again = |p: &types::Photo| {
        enums::InputMedia::InputMediaPhoto(types::InputMediaPhoto {
            spoiler: false,
            live_photo: false,
            id: enums::InputPhoto::InputPhoto(types::InputPhoto {
                id: p.id,
                access_hash: p.access_hash,
                file_reference: p.file_reference.clone(),
            }),
            ttl_seconds: None,
            video: None,
        })
    };
    let stale = send_media(enums::InputPeer::InputPeerSelf, again(&photo), 2);
    let err = s.fails(&stale).await;
    assert_eq!(err, (400, "FILE_REFERENCE_EXPIRED".into()));
    let fresh = send_media(enums::InputPeer::InputPeerSelf, again(&renewed), 3);
    let resent = photo_of(sent_media(s.call(&fresh).await).1);
    assert_eq!(
        (resent.id, resent.sizes.len()),
        (photo.id, photo.sizes.len())
    );
    dc.shutdown().await;
}

/// Access hashes of photos and documents are per account, as on Telegram: the demo
/// world's photo in Alice and Bob's chat has one id and two hashes; each hash is
/// good only for its account (a sendMedia with another's is `MEDIA_EMPTY`, the answer
/// Telegram gives a foreign Bot API file id; a download `FILE_ID_INVALID`), and a
/// photo Bob sends to the bot reaches the bot live with the bot's own hash.
#[tokio::test]
async fn media_access_hashes_are_per_account() {
    let dc = start_demo().await;
    let alice = Account::sign_in(&dc, ALICE_PHONE).await;
    let bob = Account::sign_in(&dc, BOB_PHONE).await;
    let bot = Account::bot(&dc, BOT_TOKEN).await;
    let (_bot_wire, mut bot_updates) = bot.listen().await;
    let bob_id = alice.resolve("bob_builder").await;
    let alice_id = bob.resolve("alice").await;
    let photo_in = |msgs: Vec<types::Message>| {
        msgs.into_iter()
            .find_map(|m| m.media.map(|m| *m))
            .map(photo_of)
            .expect("the world's photo")
    };
    let theirs = photo_in(history(&alice, alice.input_peer(bob_id)).await);
    let mine = photo_in(history(&bob, bob.input_peer(alice_id)).await);
    assert_eq!(theirs.id, mine.id, "one photo");
    assert_ne!(theirs.access_hash, mine.access_hash, "two hashes");

    let again = |p: &types::Photo, hash: i64| {
        enums::InputMedia::InputMediaPhoto(types::InputMediaPhoto {
            spoiler: false,
            live_photo: false,
            id: enums::InputPhoto::InputPhoto(types::InputPhoto {
                id: p.id,
                access_hash: hash,
                file_reference: p.file_reference.clone(),
            }),
            ttl_seconds: None,
            video: None,
        })
    };
    let helper = bob.resolve("hearth_helper_bot").await;
    let to_bot = bob.input_peer(helper);
    let foreign = send_media(to_bot.clone(), again(&mine, theirs.access_hash), 21);
    assert_eq!(bob.fails(&foreign).await, (400, "MEDIA_EMPTY".into()));
    let mut location = photo_location(&mine, "s");
    if let enums::InputFileLocation::InputPhotoFileLocation(l) = &mut location {
        l.access_hash = theirs.access_hash;
    }
    assert_eq!(
        download(&bob, location).await.unwrap_err(),
        (400, "FILE_ID_INVALID".into())
    );

    let own = send_media(to_bot, again(&mine, mine.access_hash), 22);
    let sent = photo_of(sent_media(bob.call(&own).await).1);
    assert_eq!((sent.id, sent.access_hash), (mine.id, mine.access_hash));
    // The bot's copy, pushed live, carries the bot's hash, which serves the bot.
    let received = tokio::time::timeout(std::time::Duration::from_secs(10), async {
        loop {
            let event = bot_updates.recv().await.expect("the bot's updates");
            if let Some(p) = new_message_photo(&event) {
                return p;
            }
        }
    })
    .await
    .expect("the bot receives the photo");
    assert_eq!(received.id, mine.id);
    assert_ne!(received.access_hash, mine.access_hash);
    let small = download(&bot, photo_location(&received, "s"))
        .await
        .unwrap();
    assert_eq!(
        small,
        download(&bob, photo_location(&mine, "s")).await.unwrap()
    );
    dc.shutdown().await;
}

/// The photo of the new message a pushed `Updates` carries, if any.
fn new_message_photo(event: &hearth_sender::sender::UpdateEvent) -> Option<types::Photo> {
    use hearth_tl::Deserializable;
    let hearth_sender::sender::UpdateEvent::Update(bytes) = event else {
        return None;
    };
    let list = match enums::Updates::from_bytes(bytes).ok()? {
        enums::Updates::Updates(u) => u.updates,
        enums::Updates::UpdatesCombined(u) => u.updates,
        enums::Updates::UpdateShort(u) => vec![*u.update],
        _ => return None,
    };
    list.into_iter().find_map(|u| match u {
        enums::Update::UpdateNewMessage(n) => match *n.message {
            enums::Message::Message(m) => m.media.map(|m| photo_of(*m)),
            _ => None,
        },
        _ => None,
    })
}
