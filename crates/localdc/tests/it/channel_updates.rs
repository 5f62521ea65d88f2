//! Channel updates: live pushes with the channel's own pts to every member,
//! service messages, documents, admins' posts and
//! `updates.getChannelDifference`. Accounts sign in and meet their peers
//! through hearth-client; members whose pushes are checked send and
//! receive on a wire session of their key.

use crate::channel_support::*;
use crate::common::account::*;
use crate::common::engine::*;
use crate::common::*;
use hearth_client::PeerId;
use hearth_tl::{enums, functions as f, types};

#[tokio::test]
async fn channel_messages_reach_every_member_with_continuous_channel_pts() {
    let dc = start_demo().await;
    let alice = with_dialogs(&dc, ALICE_PHONE).await;
    let (_alice2, mut alice2_rx) = live(&dc, ALICE_PHONE).await;
    let (bob, mut bob_rx) = live(&dc, BOB_PHONE).await;

    // alice posts: her answer is `updates` with updateMessageID first.
    let answer = alice
        .call(&send_text_request(
            alice.channel_peer(LOUNGE),
            "from alice",
            77,
        ))
        .await;
    let enums::Updates::Updates(answer) = answer else {
        panic!("updates")
    };
    assert!(
        matches!(&answer.updates[0], enums::Update::UpdateMessageId(m) if m.random_id == 77 && m.id == 5)
    );
    assert_eq!(new_channel_message(&answer), (2, 1, "from alice".into()));
    assert!(matches!(&answer.chats[..], [enums::Chat::Channel(c)] if c.id == LOUNGE));
    for rx in [&mut alice2_rx, &mut bob_rx] {
        let u = next_update(rx).await;
        assert_eq!(new_channel_message(&u), (2, 1, "from alice".into()));
        assert!(matches!(&u.chats[..], [enums::Chat::Channel(c)] if c.id == LOUNGE));
    }
    // bob answers; the box is shared: pts 3 for everyone.
    let enums::Updates::Updates(answer) = call(
        &bob,
        send_text_request(bob.channel_peer(LOUNGE), "from bob", 78),
    )
    .await
    else {
        panic!("updates")
    };
    assert_eq!(new_channel_message(&answer), (3, 1, "from bob".into()));
    let u = next_update(&mut alice2_rx).await;
    assert_eq!(new_channel_message(&u), (3, 1, "from bob".into()));
    let enums::Update::UpdateNewChannelMessage(n) = &u.updates[0] else {
        panic!("updateNewChannelMessage")
    };
    let enums::Message::Message(m) = &*n.message else {
        panic!("a message")
    };
    assert!(!m.out && m.from_id == Some(enums::Peer::PeerUser(types::PeerUser { user_id: BOB })));

    // Deleting: bob may not delete alice's message; alice (creator) may delete his.
    let delete = |channel, ids: Vec<i32>| f::channels::DeleteMessages { channel, id: ids };
    assert_eq!(
        error(&bob, delete(bob.channel(LOUNGE), vec![5])).await,
        "MESSAGE_DELETE_FORBIDDEN"
    );
    let enums::messages::AffectedMessages::AffectedMessages(affected) =
        call(&alice, delete(alice.channel(LOUNGE), vec![6, 99])).await;
    assert_eq!((affected.pts, affected.pts_count), (4, 1));
    for rx in [&mut alice2_rx, &mut bob_rx] {
        let u = next_update(rx).await;
        assert!(matches!(
            &u.updates[..],
            [enums::Update::UpdateDeleteChannelMessages(d)]
                if d.channel_id == LOUNGE && d.messages == [6] && (d.pts, d.pts_count) == (4, 1)
        ));
    }
    // Reading: the reader's other session learns the new read mark.
    assert!(
        alice
            .call(&f::channels::ReadHistory {
                channel: alice.channel(LOUNGE),
                max_id: 5,
            })
            .await
    );
    let u = next_update(&mut alice2_rx).await;
    assert!(matches!(
        &u.updates[..],
        [enums::Update::UpdateReadChannelInbox(r)]
            if r.channel_id == LOUNGE && r.max_id == 5 && r.pts == 4 && r.still_unread_count == 0
    ));
    // Message checks.
    assert_eq!(
        error(&bob, send_text_req(bob.channel_peer(LOUNGE), " ")).await,
        "MESSAGE_EMPTY"
    );
    assert_eq!(
        error(
            &bob,
            send_text_req(bob.channel_peer(LOUNGE), &"x".repeat(4097))
        )
        .await,
        "MESSAGE_TOO_LONG"
    );
    // The hash alice was given is not bob's.
    let wrong = enums::InputPeer::InputPeerChannel(types::InputPeerChannel {
        channel_id: LOUNGE,
        access_hash: alice.hash(PeerId::Channel(LOUNGE)),
    });
    assert_eq!(
        error(&bob, send_text_req(wrong, "x")).await,
        "CHANNEL_INVALID"
    );
    dc.shutdown().await;
}

#[tokio::test]
async fn channel_difference_catches_up_missed_posts_or_reports_too_long() {
    let dc = start_demo().await;
    let alice = with_dialogs(&dc, ALICE_PHONE).await;
    for (i, text) in ["one", "two", "three"].into_iter().enumerate() {
        alice
            .call(&send_text_request(alice.channel_peer(NEWS), text, i as i64))
            .await;
    }
    let _: enums::messages::AffectedMessages = call(
        &alice,
        f::channels::DeleteMessages {
            channel: alice.channel(NEWS),
            id: vec![2],
        },
    )
    .await;
    let diff = |pts, limit| difference(alice.channel(NEWS), pts, limit);
    let enums::updates::ChannelDifference::ChannelDifference(d) = call(&alice, diff(1, 100)).await
    else {
        panic!("channelDifference")
    };
    assert!(d.final_ && d.timeout == Some(30));
    assert_eq!(d.pts, 5);
    assert_eq!(texts(&d.new_messages), ["one", "two", "three"]);
    assert!(matches!(
        &d.other_updates[..],
        [enums::Update::UpdateDeleteChannelMessages(x)] if x.messages == [2] && x.pts == 5
    ));
    assert!(matches!(&d.chats[..], [enums::Chat::Channel(c)] if c.id == NEWS));
    let enums::updates::ChannelDifference::ChannelDifference(d) = call(&alice, diff(3, 100)).await
    else {
        panic!("channelDifference")
    };
    assert_eq!(
        (texts(&d.new_messages), d.other_updates.len()),
        (vec!["three".to_string()], 1)
    );
    let enums::updates::ChannelDifference::ChannelDifferenceEmpty(e) =
        call(&alice, diff(5, 100)).await
    else {
        panic!("channelDifferenceEmpty")
    };
    assert!(e.final_ && e.pts == 5);
    // A gap of 4 with limit 2 is too long: the dialog and the newest messages.
    let enums::updates::ChannelDifference::ChannelDifferenceTooLong(t) =
        call(&alice, diff(1, 2)).await
    else {
        panic!("channelDifferenceTooLong")
    };
    let enums::Dialog::Dialog(dialog) = &t.dialog else {
        panic!("dialog")
    };
    assert_eq!((dialog.pts, dialog.top_message), (Some(5), 8));
    assert_eq!(texts(&t.messages), ["three", "two"]);
    assert_eq!(
        error(&alice, diff(0, 100)).await,
        "PERSISTENT_TIMESTAMP_EMPTY"
    );
    assert_eq!(
        error(&alice, diff(6, 100)).await,
        "PERSISTENT_TIMESTAMP_INVALID"
    );
    dc.shutdown().await;
}

#[tokio::test]
async fn documents_are_posted_to_channels_and_pushed_with_their_media() {
    let dc = start_demo().await;
    let alice = with_dialogs(&dc, ALICE_PHONE).await;
    let (bob, mut bob_rx) = live(&dc, BOB_PHONE).await;
    let part = f::upload::SaveFilePart {
        file_id: 9,
        file_part: 0,
        bytes: b"channel notes".to_vec(),
    };
    assert!(alice.call(&part).await, "boolTrue");
    // A channel not met is refused before any upload is used.
    assert_eq!(
        error(
            &bob,
            send_document(unmet_channel_peer(&dc, BOB, NEWS), 1, "")
        )
        .await,
        "CHANNEL_INVALID",
        "bob has not met the news channel"
    );
    let enums::Updates::Updates(answer) = call(
        &alice,
        send_document(alice.channel_peer(LOUNGE), 9, "the notes"),
    )
    .await
    else {
        panic!("updates")
    };
    assert!(matches!(&answer.updates[0], enums::Update::UpdateMessageId(m) if m.random_id == 9));
    let u = next_update(&mut bob_rx).await;
    assert_eq!(new_channel_message(&u), (2, 1, "the notes".into()));
    let enums::Update::UpdateNewChannelMessage(n) = &u.updates[0] else {
        panic!("updateNewChannelMessage")
    };
    let enums::Message::Message(m) = &*n.message else {
        panic!("a message")
    };
    let Some(enums::MessageMedia::MessageMediaDocument(media)) = m.media.clone().map(|m| *m) else {
        panic!("a document")
    };
    let Some(enums::Document::Document(doc)) = media.document else {
        panic!("a full document")
    };
    assert_eq!(
        (doc.size, doc.dc_id, doc.mime_type.as_str()),
        (13, 2, "text/plain")
    );
    // The parts were used up: the same upload cannot be posted twice.
    assert_eq!(
        error(&alice, send_document(alice.channel_peer(LOUNGE), 9, "")).await,
        "FILE_PARTS_INVALID"
    );
    let mut empty = send_document(alice.channel_peer(LOUNGE), 10, "");
    empty.media = enums::InputMedia::InputMediaEmpty;
    assert_eq!(error(&alice, empty).await, "MEDIA_EMPTY");
    dc.shutdown().await;
}

#[tokio::test]
async fn leaving_and_joining_a_supergroup_posts_service_messages() {
    let dc = start_demo().await;
    let (_alice, mut alice_rx) = live(&dc, ALICE_PHONE).await;
    let bob = with_dialogs(&dc, BOB_PHONE).await;
    let enums::Updates::Updates(left) = call(
        &bob,
        f::channels::LeaveChannel {
            channel: bob.channel(LOUNGE),
        },
    )
    .await
    else {
        panic!("updates")
    };
    assert!(matches!(&left.chats[..], [enums::Chat::ChannelForbidden(c)] if c.id == LOUNGE));
    let (pts, action) = service_action(&next_update(&mut alice_rx).await);
    assert_eq!(pts, 2);
    assert!(
        matches!(action, enums::MessageAction::MessageActionChatDeleteUser(d) if d.user_id == BOB)
    );

    // Once the group is public, bob finds it by username and joins again
    // (the hash his client uses comes from that answer).
    dc.state().channels().get_mut(LOUNGE).unwrap().username = Some("hearth_lounge".into());
    let _: enums::contacts::ResolvedPeer = call(
        &bob,
        f::contacts::ResolveUsername {
            username: "@hearth_lounge".into(),
            referer: None,
        },
    )
    .await;
    let enums::messages::ChatInviteJoinResult::ChatInviteJoinResultOk(ok) = call(
        &bob,
        f::channels::JoinChannel {
            channel: bob.channel(LOUNGE),
        },
    )
    .await
    else {
        panic!("chatInviteJoinResultOk")
    };
    let enums::Updates::Updates(joined) = *ok.updates else {
        panic!("updates")
    };
    assert!(
        matches!(&joined.updates[0], enums::Update::UpdateChannel(c) if c.channel_id == LOUNGE)
    );
    assert_eq!(new_channel_message(&joined).0, 3);
    let (pts, action) = service_action(&next_update(&mut alice_rx).await);
    assert_eq!(pts, 3, "the channel's pts continues");
    assert!(
        matches!(action, enums::MessageAction::MessageActionChatAddUser(a) if a.users == [BOB])
    );
    dc.shutdown().await;
}

#[tokio::test]
async fn admins_post_in_broadcast_channels_and_edit_titles() {
    let dc = start_demo().await;
    let alice = with_dialogs(&dc, ALICE_PHONE).await;
    let (bob, mut bob_rx) = live(&dc, BOB_PHONE).await;
    bob.account.resolve("hearth_news").await;
    let _: enums::messages::ChatInviteJoinResult = call(
        &bob,
        f::channels::JoinChannel {
            channel: bob.channel(NEWS),
        },
    )
    .await;
    let promote = |channel, user: enums::InputUser, post| f::channels::EditAdmin {
        channel,
        user_id: user,
        admin_rights: post_rights(post),
        rank: None,
    };
    // alice met bob in her dialogs (their private chat).
    let bob_user = || alice.user(BOB);
    assert_eq!(
        error(
            &bob,
            promote(bob.channel(NEWS), enums::InputUser::InputUserSelf, true)
        )
        .await,
        "CHAT_ADMIN_REQUIRED"
    );
    assert_eq!(
        error(
            &alice,
            promote(alice.channel(NEWS), enums::InputUser::InputUserSelf, true)
        )
        .await,
        "USER_CREATOR"
    );
    let _: enums::Updates = call(&alice, promote(alice.channel(NEWS), bob_user(), true)).await;
    let notice = next_update(&mut bob_rx).await;
    assert!(matches!(
        &notice.chats[..],
        [enums::Chat::Channel(c)] if c.id == NEWS && c.admin_rights.is_some() && !c.creator
    ));
    // Now bob posts, as the channel: `post` set, no sender.
    let enums::Updates::Updates(sent) =
        call(&bob, send_text_req(bob.channel_peer(NEWS), "by bob")).await
    else {
        panic!("updates")
    };
    assert_eq!(new_channel_message(&sent), (2, 1, "by bob".into()));
    let title = |t: &str| f::channels::EditTitle {
        channel: bob.channel(NEWS),
        title: t.into(),
    };
    let enums::Updates::Updates(renamed) = call(&bob, title("Hearth weekly")).await else {
        panic!("updates")
    };
    let (pts, action) = service_action(&renamed);
    assert_eq!(pts, 3);
    assert!(
        matches!(action, enums::MessageAction::MessageActionChatEditTitle(t) if t.title == "Hearth weekly")
    );
    assert!(matches!(&renamed.chats[..], [enums::Chat::Channel(c)] if c.title == "Hearth weekly"));
    assert_eq!(
        error(&bob, title("Hearth weekly")).await,
        "CHAT_NOT_MODIFIED"
    );
    assert_eq!(error(&bob, title(" ")).await, "CHAT_TITLE_EMPTY");
    // Demoted, bob is a subscriber again.
    let _: enums::Updates = call(&alice, promote(alice.channel(NEWS), bob_user(), false)).await;
    assert_eq!(
        error(&bob, send_text_req(bob.channel_peer(NEWS), "again")).await,
        "CHAT_WRITE_FORBIDDEN"
    );
    assert_eq!(error(&bob, title("Mine")).await, "CHAT_ADMIN_REQUIRED");
    dc.shutdown().await;
}
