//! Channels answer the message methods like private chats and basic groups:
//! `messages.editMessage`, `messages.search`/`searchGlobal`,
//! `messages.sendMedia` (photos, random_id claims), world media,
//! `updateReadChannelOutbox` and `channels.deleteChannel`, with live
//! pushes. Accounts sign in and meet their dialogs through hearth-client;
//! live members send and receive on a wire session of their key.

use crate::channel_support::*;
use crate::common::account::*;
use crate::common::engine::*;
use crate::common::*;
use hearth_sender::Sender;
use hearth_tl::{enums, functions as f, types, Deserializable, RemoteCall, Serializable};
use localdc::LocalDc;

type Rx = Receiver;

/// The demo world's basic group "Hearth testers" (alice, bob, carol).
const TESTERS: i64 = 4_000_001;

async fn alice_live(dc: &LocalDc) -> (Wire, Rx) {
    live(dc, ALICE_PHONE).await
}

async fn bob_live(dc: &LocalDc) -> (Wire, Rx) {
    live(dc, BOB_PHONE).await
}

/// The first pushed `updates` holding an update `pick` accepts.
async fn pushed<T>(rx: &mut Rx, pick: impl Fn(&enums::Update) -> Option<T>) -> (T, types::Updates) {
    loop {
        let u = next_update(rx).await;
        if let Some(found) = u.updates.iter().find_map(&pick) {
            return (found, u);
        }
    }
}

fn edit_req(peer: enums::InputPeer, id: i32, text: &str) -> f::messages::EditMessage {
    f::messages::EditMessage {
        no_webpage: false,
        invert_media: false,
        peer,
        id,
        message: Some(text.into()),
        media: None,
        reply_markup: None,
        entities: None,
        schedule_date: None,
        schedule_repeat_period: None,
        quick_reply_shortcut_id: None,
        rich_message: None,
    }
}

fn edited(u: &enums::Update) -> Option<(i32, i32, types::Message)> {
    match u {
        enums::Update::UpdateEditChannelMessage(e) => match &*e.message {
            enums::Message::Message(m) => Some((e.pts, e.pts_count, m.clone())),
            _ => None,
        },
        _ => None,
    }
}

async fn fails<R>(s: &impl Conn, req: R) -> (i32, String)
where
    R: RemoteCall,
    R::Return: std::any::Any,
{
    match s.invoke(&req).await {
        Ok(_) => panic!("expected an rpc_error"),
        Err(e) => rpc_err(e),
    }
}

fn updates(body: &[u8]) -> types::Updates {
    match enums::Updates::from_bytes(body).expect("Updates") {
        enums::Updates::Updates(u) => u,
        other => panic!("`updates`, got {other:?}"),
    }
}

/// Posts `text` to channel `id` from `s`'s wire; (message id, channel pts).
async fn post(s: &Wire, id: i64, text: &str, rid: i64) -> (i32, i32) {
    let u = updates(
        &s.invoke_raw(send_text(s.channel_peer(id), text, rid))
            .await
            .unwrap(),
    );
    let enums::Update::UpdateMessageId(m) = &u.updates[0] else {
        panic!("updateMessageID first")
    };
    (m.id, new_channel_message(&u).0)
}

#[tokio::test]
async fn supergroup_edits_reach_members_live_and_replay_in_the_difference() {
    let dc = start_demo().await;
    let (alice, _alice_rx) = alice_live(&dc).await;
    let (_alice2, mut alice2_rx) = alice_live(&dc).await;
    let (bob, mut bob_rx) = bob_live(&dc).await;
    let (id, pts) = post(&alice, LOUNGE, "draft", 1).await;
    let _ = next_update(&mut bob_rx).await;
    let _ = next_update(&mut alice2_rx).await;

    let lounge = || alice.channel_peer(LOUNGE);
    assert_eq!(
        fails(&bob, edit_req(bob.channel_peer(LOUNGE), id, "mine now")).await,
        (403, "MESSAGE_AUTHOR_REQUIRED".into())
    );
    assert_eq!(
        fails(&alice, edit_req(lounge(), id, "draft")).await,
        (400, "MESSAGE_NOT_MODIFIED".into())
    );
    assert_eq!(
        fails(&alice, edit_req(lounge(), 1, "not a service message")).await,
        (400, "MESSAGE_ID_INVALID".into())
    );
    assert_eq!(
        fails(&alice, edit_req(lounge(), 999, "nothing")).await,
        (400, "MESSAGE_ID_INVALID".into())
    );
    assert_eq!(
        fails(&alice, edit_req(lounge(), id, " ")).await,
        (400, "MESSAGE_EMPTY".into())
    );

    let answer = updates(
        &alice
            .invoke_raw(edit_req(lounge(), id, "final").to_bytes())
            .await
            .unwrap(),
    );
    let (epts, count, m) = answer.updates.iter().find_map(edited).expect("the edit");
    assert_eq!(
        (epts, count, m.id, m.message.as_str()),
        (pts + 1, 1, id, "final")
    );
    assert!(m.edit_date.is_some() && m.out);
    assert!(matches!(&answer.chats[..], [enums::Chat::Channel(c)] if c.id == LOUNGE));
    for rx in [&mut bob_rx, &mut alice2_rx] {
        let ((p, _, m), _) = pushed(rx, edited).await;
        assert_eq!((p, m.id, m.message.as_str()), (pts + 1, id, "final"));
        assert!(m.edit_date.is_some());
    }

    // The history and getChannelDifference show the edit.
    let h = channel_messages(call(&bob, history(bob.channel_peer(LOUNGE), 0, 1)).await);
    assert_eq!(texts(&h.messages), ["final"]);
    let enums::updates::ChannelDifference::ChannelDifference(d) =
        call(&bob, difference(bob.channel(LOUNGE), pts, 100)).await
    else {
        panic!("channelDifference")
    };
    assert!(d.new_messages.is_empty());
    assert_eq!(d.pts, pts + 1);
    let (p, _, m) = d.other_updates.iter().find_map(edited).expect("the edit");
    assert_eq!((p, m.message.as_str()), (pts + 1, "final"));
    let enums::updates::ChannelDifference::ChannelDifference(d) =
        call(&bob, difference(bob.channel(LOUNGE), pts - 1, 100)).await
    else {
        panic!("channelDifference")
    };
    assert_eq!(texts(&d.new_messages), ["final"]);
    assert_eq!(d.other_updates.len(), 1);
    dc.shutdown().await;
}

#[tokio::test]
async fn broadcast_posts_are_edited_by_admins_only() {
    let dc = start_demo().await;
    let (alice, _alice_rx) = alice_live(&dc).await;
    let (bob, mut bob_rx) = bob_live(&dc).await;
    bob.account.resolve("hearth_news").await;
    let _: enums::messages::ChatInviteJoinResult = call(
        &bob,
        f::channels::JoinChannel {
            channel: bob.channel(NEWS),
        },
    )
    .await;
    // World post 2 ("localdc is up.") may be edited by the creator at any time.
    assert_eq!(
        fails(&bob, edit_req(bob.channel_peer(NEWS), 2, "hijacked")).await,
        (403, "MESSAGE_AUTHOR_REQUIRED".into())
    );
    let answer = updates(
        &alice
            .invoke_raw(
                edit_req(alice.channel_peer(NEWS), 2, "localdc is up and running.").to_bytes(),
            )
            .await
            .unwrap(),
    );
    let (_, _, m) = answer.updates.iter().find_map(edited).expect("the edit");
    assert!(m.post && m.from_id.is_none());
    let ((_, _, m), u) = pushed(&mut bob_rx, edited).await;
    assert_eq!(
        (m.id, m.message.as_str()),
        (2, "localdc is up and running.")
    );
    assert!(matches!(&u.chats[..], [enums::Chat::Channel(c)] if c.id == NEWS && !c.left));
    dc.shutdown().await;
}

fn search_req(
    peer: enums::InputPeer,
    q: &str,
    filter: enums::MessagesFilter,
) -> f::messages::Search {
    f::messages::Search {
        peer,
        q: q.into(),
        from_id: None,
        saved_peer_id: None,
        saved_reaction: None,
        top_msg_id: None,
        filter,
        min_date: 0,
        max_date: 0,
        offset_id: 0,
        add_offset: 0,
        limit: 10,
        max_id: 0,
        min_id: 0,
        hash: 0,
    }
}

fn global_req(q: &str) -> f::messages::SearchGlobal {
    f::messages::SearchGlobal {
        broadcasts_only: false,
        groups_only: false,
        users_only: false,
        folder_id: None,
        community: None,
        q: q.into(),
        filter: enums::MessagesFilter::InputMessagesFilterEmpty,
        min_date: 0,
        max_date: 0,
        offset_rate: 0,
        offset_peer: enums::InputPeer::InputPeerEmpty,
        offset_id: 0,
        limit: 10,
    }
}

fn found(m: enums::messages::Messages) -> (Vec<String>, i32) {
    match m {
        enums::messages::Messages::Messages(m) => {
            let n = m.messages.len() as i32;
            (texts(&m.messages), n)
        }
        enums::messages::Messages::MessagesSlice(m) => (texts(&m.messages), m.count),
        enums::messages::Messages::ChannelMessages(m) => (texts(&m.messages), m.count),
        enums::messages::Messages::MessagesNotModified(_) => panic!("not modified"),
    }
}

#[tokio::test]
async fn search_finds_channel_messages_with_filters_and_paging() {
    let dc = start_demo().await;
    let (alice, _rx) = alice_live(&dc).await;
    let empty = || enums::MessagesFilter::InputMessagesFilterEmpty;
    let lounge = || alice.channel_peer(LOUNGE);

    let m = channel_messages(call(&alice, search_req(lounge(), "LOUNGE", empty())).await);
    assert_eq!(
        texts(&m.messages),
        ["The view from the lounge", "Welcome to the lounge."]
    );
    assert_eq!(m.count, 2);
    assert!(matches!(&m.chats[..], [enums::Chat::Channel(c)] if c.id == LOUNGE));

    // Paging: one at a time, below offset_id, with the total count.
    let mut page = search_req(lounge(), "lounge", empty());
    page.limit = 1;
    page.offset_id = 4;
    let m = channel_messages(call(&alice, page).await);
    assert_eq!(
        (texts(&m.messages), m.count),
        (vec!["Welcome to the lounge.".into()], 2)
    );

    let photos = enums::MessagesFilter::InputMessagesFilterPhotos;
    let m = channel_messages(call(&alice, search_req(lounge(), "", photos)).await);
    assert_eq!(texts(&m.messages), ["The view from the lounge"]);
    let docs = enums::MessagesFilter::InputMessagesFilterDocument;
    let m = channel_messages(call(&alice, search_req(lounge(), "", docs)).await);
    assert!(m.messages.is_empty());
    let docs = enums::MessagesFilter::InputMessagesFilterDocument;
    let m = channel_messages(call(&alice, search_req(alice.channel_peer(NEWS), "", docs)).await);
    assert_eq!(texts(&m.messages), ["Release notes"]);

    let mut from_bob = search_req(lounge(), "", empty());
    from_bob.from_id = Some(alice.user_peer(BOB));
    let m = channel_messages(call(&alice, from_bob).await);
    assert_eq!(
        texts(&m.messages),
        ["The view from the lounge", "Glad to be here."]
    );

    // A channel that was never met is refused.
    let stranger = unmet_channel_peer(&dc, BOB, LOUNGE);
    assert_eq!(
        error(&alice, search_req(stranger, "x", empty())).await,
        "CHANNEL_INVALID"
    );

    // The global search covers the member channels; the flags narrow it.
    let (t, _) = found(call(&alice, global_req("welcome")).await);
    assert_eq!(t.len(), 2);
    assert!(
        t.contains(&"Welcome to the lounge.".into()) && t.contains(&"Welcome, everyone.".into())
    );
    let mut g = global_req("welcome");
    g.groups_only = true;
    assert_eq!(found(call(&alice, g).await).0.len(), 2);
    let mut g = global_req("welcome");
    g.users_only = true;
    assert!(found(call(&alice, g).await).0.is_empty());
    let mut g = global_req("welcome");
    g.broadcasts_only = true;
    assert!(found(call(&alice, g).await).0.is_empty());
    let mut g = global_req("pts");
    g.broadcasts_only = true;
    assert_eq!(
        found(call(&alice, g).await).0,
        ["Channels have their own pts."]
    );
    // bob is in the lounge but not in the news channel.
    let bob = with_dialogs(&dc, BOB_PHONE).await;
    assert!(found(call(&bob, global_req("pts")).await).0.is_empty());

    // Paging the global search by next_rate/offset_peer/offset_id: every page
    // counts every match, and only a page with more after it has a next_rate.
    let mut g = global_req("e");
    g.limit = 3;
    let mut seen = Vec::new();
    let mut counts = Vec::new();
    let mut pages = 0;
    loop {
        pages += 1;
        assert!(pages < 20, "paging ends");
        let enums::messages::Messages::MessagesSlice(s) = call(&alice, g.clone()).await else {
            panic!("a match count above the page size comes as a slice")
        };
        seen.extend(texts(&s.messages));
        counts.push(s.count);
        let Some(rate) = s.next_rate else { break };
        let last = s.messages.last().expect("a full page");
        let (id, peer_id) = match last {
            enums::Message::Message(m) => (m.id, m.peer_id.clone()),
            enums::Message::MessageService(m) => (m.id, m.peer_id.clone()),
            enums::Message::MessageEmpty(_) => panic!("no empty results"),
        };
        g.offset_rate = rate;
        g.offset_id = id;
        g.offset_peer = match peer_id {
            enums::Peer::PeerUser(u) => enums::InputPeer::InputPeerUser(types::InputPeerUser {
                user_id: u.user_id,
                access_hash: 0,
            }),
            enums::Peer::PeerChat(c) => {
                enums::InputPeer::InputPeerChat(types::InputPeerChat { chat_id: c.chat_id })
            }
            enums::Peer::PeerChannel(c) => {
                enums::InputPeer::InputPeerChannel(types::InputPeerChannel {
                    channel_id: c.channel_id,
                    access_hash: 0,
                })
            }
        };
    }
    assert!(pages >= 2, "{pages} pages");
    assert!(
        counts.iter().all(|&c| c as usize == seen.len()),
        "{counts:?}"
    );
    let (all, _) = found(
        call(&alice, {
            let mut g = global_req("e");
            g.limit = 100;
            g
        })
        .await,
    );
    assert_eq!(seen, all, "pages cover every match once, in order");
    dc.shutdown().await;
}

async fn upload(s: &Sender, file_id: i64, data: &[u8]) -> enums::InputFile {
    let parts: Vec<&[u8]> = data.chunks(32 * 1024).collect();
    for (i, part) in parts.iter().enumerate() {
        let req = f::upload::SaveFilePart {
            file_id,
            file_part: i as i32,
            bytes: part.to_vec(),
        };
        s.invoke_raw(req.to_bytes()).await.unwrap();
    }
    enums::InputFile::InputFile(types::InputFile {
        id: file_id,
        parts: parts.len() as i32,
        name: "photo.jpg".into(),
        md5_checksum: String::new(),
    })
}

fn send_photo(peer: enums::InputPeer, file: enums::InputFile, rid: i64) -> f::messages::SendMedia {
    let mut req = send_document(peer, 0, "a photo");
    req.media = enums::InputMedia::InputMediaUploadedPhoto(types::InputMediaUploadedPhoto {
        spoiler: false,
        live_photo: false,
        file,
        stickers: None,
        ttl_seconds: None,
        video: None,
    });
    req.random_id = rid;
    req
}

fn photo_in(u: &enums::Update) -> Option<i64> {
    let message = match u {
        enums::Update::UpdateNewChannelMessage(n) => &n.message,
        enums::Update::UpdateNewMessage(n) => &n.message,
        _ => return None,
    };
    match &**message {
        enums::Message::Message(types::Message {
            media: Some(media), ..
        }) => match &**media {
            enums::MessageMedia::MessageMediaPhoto(types::MessageMediaPhoto {
                photo: Some(enums::Photo::Photo(p)),
                ..
            }) => Some(p.id),
            _ => None,
        },
        _ => None,
    }
}

#[tokio::test]
async fn photos_go_to_channels_and_basic_groups_once_per_random_id() {
    let dc = start_demo().await;
    let (alice, _alice_rx) = alice_live(&dc).await;
    let (bob, mut bob_rx) = bob_live(&dc).await;
    let jpeg = localdc::photos::generated_jpeg(320, 240, 3).unwrap();

    // A supergroup: updates with updateMessageID and the photo; bob gets it live.
    let file = upload(&alice, 11, &jpeg).await;
    let answer = updates(
        &alice
            .invoke_raw(send_photo(alice.channel_peer(LOUNGE), file.clone(), 500).to_bytes())
            .await
            .unwrap(),
    );
    assert!(matches!(&answer.updates[0], enums::Update::UpdateMessageId(m) if m.random_id == 500));
    let sent = answer.updates.iter().find_map(photo_in).expect("a photo");
    let (got, _) = pushed(&mut bob_rx, photo_in).await;
    assert_eq!(got, sent);
    // The same random_id again is refused, for photos and texts alike.
    let file = upload(&alice, 12, &jpeg).await;
    let dup = send_photo(alice.channel_peer(LOUNGE), file, 500);
    assert_eq!(
        fails(&alice, dup).await,
        (500, "RANDOM_ID_DUPLICATE".into())
    );
    alice
        .invoke_raw(send_text(alice.channel_peer(LOUNGE), "text", 501))
        .await
        .unwrap();
    assert_eq!(
        fails(
            &alice,
            send_text_request(alice.channel_peer(LOUNGE), "again", 501)
        )
        .await,
        (500, "RANDOM_ID_DUPLICATE".into())
    );
    // Another channel has its own random_ids.
    alice
        .invoke_raw(send_text(alice.channel_peer(NEWS), "text", 501))
        .await
        .unwrap();

    // A basic group: every member's box gets the photo; bob sees `updates` with it.
    let file = upload(&alice, 13, &jpeg).await;
    let group = enums::InputPeer::InputPeerChat(types::InputPeerChat { chat_id: TESTERS });
    let answer = updates(
        &alice
            .invoke_raw(send_photo(group.clone(), file, 600).to_bytes())
            .await
            .unwrap(),
    );
    assert!(matches!(&answer.updates[0], enums::Update::UpdateMessageId(m) if m.random_id == 600));
    let sent = answer.updates.iter().find_map(photo_in).expect("a photo");
    let (got, u) = pushed(&mut bob_rx, photo_in).await;
    assert_eq!(got, sent);
    assert!(matches!(&u.chats[..], [enums::Chat::Chat(c)] if c.id == TESTERS));
    let file = upload(&alice, 14, &jpeg).await;
    assert_eq!(
        fails(&alice, send_photo(group.clone(), file, 600)).await,
        (500, "RANDOM_ID_DUPLICATE".into())
    );
    // And a document to the group.
    let doc = f::upload::SaveFilePart {
        file_id: 15,
        file_part: 0,
        bytes: b"group notes".to_vec(),
    };
    bob.invoke_raw(doc.to_bytes()).await.unwrap();
    let answer = updates(
        &bob.invoke_raw(send_document(group, 15, "notes").to_bytes())
            .await
            .unwrap(),
    );
    let has_document = answer.updates.iter().any(|u| {
        matches!(u, enums::Update::UpdateNewMessage(n) if matches!(&*n.message,
            enums::Message::Message(types::Message { media: Some(m), .. })
                if matches!(&**m, enums::MessageMedia::MessageMediaDocument(_))))
    });
    assert!(has_document);
    dc.shutdown().await;
}

#[tokio::test]
async fn world_channel_history_carries_its_photo_and_document() {
    let dc = start_demo().await;
    let alice = with_dialogs(&dc, ALICE_PHONE).await;
    let h = channel_messages(call(&alice, history(alice.channel_peer(LOUNGE), 0, 1)).await);
    let enums::Message::Message(m) = &h.messages[0] else {
        panic!("a message")
    };
    assert_eq!(m.message, "The view from the lounge");
    let Some(enums::MessageMedia::MessageMediaPhoto(p)) = m.media.as_deref() else {
        panic!("a photo")
    };
    let Some(enums::Photo::Photo(p)) = &p.photo else {
        panic!("a photo")
    };
    assert!(!p.sizes.is_empty());
    let h = channel_messages(call(&alice, history(alice.channel_peer(NEWS), 0, 1)).await);
    let enums::Message::Message(m) = &h.messages[0] else {
        panic!("a message")
    };
    let Some(enums::MessageMedia::MessageMediaDocument(d)) = m.media.as_deref() else {
        panic!("a document")
    };
    let Some(enums::Document::Document(d)) = &d.document else {
        panic!("a document")
    };
    assert_eq!(d.mime_type, "text/plain");
    // The document is served byte for byte from alice's home DC.
    let file: enums::upload::File = call(
        &alice,
        f::upload::GetFile {
            precise: false,
            cdn_supported: false,
            location: enums::InputFileLocation::InputDocumentFileLocation(
                types::InputDocumentFileLocation {
                    id: d.id,
                    access_hash: d.access_hash,
                    file_reference: d.file_reference.clone(),
                    thumb_size: String::new(),
                },
            ),
            offset: 0,
            limit: 4096,
        },
    )
    .await;
    let enums::upload::File::File(file) = file else {
        panic!("upload.file")
    };
    assert_eq!(
        file.bytes,
        b"Hearth 0.1: channels, supergroups and a local test network."
    );
    dc.shutdown().await;
}

#[tokio::test]
async fn authors_see_their_messages_read() {
    let dc = start_demo().await;
    let (alice, mut alice_rx) = alice_live(&dc).await;
    let (bob, _bob_rx) = bob_live(&dc).await;
    let (id, _) = post(&alice, LOUNGE, "read me", 7).await;
    let read = f::channels::ReadHistory {
        channel: bob.channel(LOUNGE),
        max_id: id,
    };
    let ok = bob.invoke_raw(read.to_bytes()).await.unwrap();
    assert_eq!(ok, true.to_bytes(), "boolTrue");
    let (max_id, u) = pushed(&mut alice_rx, |u| match u {
        enums::Update::UpdateReadChannelOutbox(r) if r.channel_id == LOUNGE => Some(r.max_id),
        _ => None,
    })
    .await;
    assert_eq!(max_id, id);
    assert!(matches!(&u.chats[..], [enums::Chat::Channel(c)] if c.id == LOUNGE));
    let full: enums::messages::ChatFull = call(
        &alice,
        f::channels::GetFullChannel {
            channel: alice.channel(LOUNGE),
        },
    )
    .await;
    let enums::messages::ChatFull::ChatFull(full) = full;
    let enums::ChatFull::ChannelFull(full) = *full.full_chat else {
        panic!("channelFull")
    };
    assert_eq!(full.read_outbox_max_id, id);
    dc.shutdown().await;
}

#[tokio::test]
async fn only_the_creator_deletes_a_channel_and_then_it_is_gone() {
    let dc = start_demo().await;
    let (alice, _alice_rx) = alice_live(&dc).await;
    let (bob, mut bob_rx) = bob_live(&dc).await;
    let delete = |channel| f::channels::DeleteChannel { channel };
    assert_eq!(
        error(&bob, delete(bob.channel(LOUNGE))).await,
        "CHAT_ADMIN_REQUIRED"
    );
    let answer: enums::Updates = call(&alice, delete(alice.channel(LOUNGE))).await;
    let enums::Updates::Updates(answer) = answer else {
        panic!("updates")
    };
    assert!(
        matches!(&answer.updates[..], [enums::Update::UpdateChannel(c)] if c.channel_id == LOUNGE)
    );
    assert!(matches!(&answer.chats[..], [enums::Chat::ChannelForbidden(c)] if c.id == LOUNGE));
    let (_, u) = pushed(&mut bob_rx, |u| match u {
        enums::Update::UpdateChannel(c) if c.channel_id == LOUNGE => Some(()),
        _ => None,
    })
    .await;
    assert!(matches!(&u.chats[..], [enums::Chat::ChannelForbidden(c)] if c.id == LOUNGE));

    assert_eq!(
        error(&bob, history(bob.channel_peer(LOUNGE), 0, 10)).await,
        "CHANNEL_INVALID"
    );
    assert_eq!(
        error(&alice, send_text_req(alice.channel_peer(LOUNGE), "anyone?")).await,
        "CHANNEL_INVALID"
    );
    assert_eq!(
        error(&alice, delete(alice.channel(LOUNGE))).await,
        "CHANNEL_INVALID"
    );
    let enums::messages::Chats::Chats(chats) = call(
        &bob,
        f::channels::GetChannels {
            id: vec![bob.channel(LOUNGE)],
        },
    )
    .await
    else {
        panic!("messages.chats")
    };
    assert!(matches!(
        &chats.chats[..],
        [enums::Chat::ChannelForbidden(_)]
    ));
    let join = f::channels::JoinChannel {
        channel: bob.channel(LOUNGE),
    };
    assert_eq!(error(&bob, join).await, "CHANNEL_INVALID");
    // Gone from the dialogs of its former members.
    let dialogs: enums::messages::Dialogs = call(&bob, dialogs_request(20)).await;
    let peers: Vec<enums::Peer> = match dialogs {
        enums::messages::Dialogs::Dialogs(d) => d.dialogs,
        enums::messages::Dialogs::DialogsSlice(d) => d.dialogs,
        enums::messages::Dialogs::DialogsNotModified(_) => panic!("dialogs"),
    }
    .into_iter()
    .filter_map(|d| match d {
        enums::Dialog::Dialog(d) => Some(d.peer),
        _ => None,
    })
    .collect();
    assert!(!peers.is_empty());
    assert!(
        !peers.contains(&enums::Peer::PeerChannel(types::PeerChannel {
            channel_id: LOUNGE
        }))
    );
    dc.shutdown().await;
}
