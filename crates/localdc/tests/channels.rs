//! Channels and supergroups through hearth-sender: access rules, methods,
//! live pushes with the channel's own pts, and getChannelDifference.

mod common;

use common::engine::*;
use common::*;
use hearth_sender::Sender;
use hearth_tl::{enums, functions as f, types, Deserializable, Serializable};
use localdc::LocalDc;

const ALICE: i64 = 1_000_001;
const BOB: i64 = 1_000_002;
/// The demo world's public broadcast channel `hearth_news` (alice, carol).
const NEWS: i64 = localdc::channels::FIRST_CHANNEL_ID;
/// The demo world's private supergroup "Hearth lounge" (alice, bob).
const LOUNGE: i64 = localdc::channels::FIRST_CHANNEL_ID + 1;

fn hash(dc: &LocalDc, viewer: i64, channel: i64) -> i64 {
    dc.state()
        .channels()
        .get(channel)
        .expect("demo channel")
        .access_hash_for(viewer)
}

fn input(dc: &LocalDc, viewer: i64, channel: i64) -> enums::InputChannel {
    enums::InputChannel::InputChannel(types::InputChannel {
        channel_id: channel,
        access_hash: hash(dc, viewer, channel),
    })
}

fn peer(dc: &LocalDc, viewer: i64, channel: i64) -> enums::InputPeer {
    enums::InputPeer::InputPeerChannel(types::InputPeerChannel {
        channel_id: channel,
        access_hash: hash(dc, viewer, channel),
    })
}

async fn call<T: Deserializable>(s: &Sender, req: impl Serializable) -> T {
    let body = s
        .invoke_raw(req.to_bytes())
        .await
        .expect("the call succeeds");
    T::from_bytes(&body).expect("the expected answer type")
}

async fn error(s: &Sender, req: impl Serializable) -> String {
    let (code, message) = rpc_err(s.invoke_raw(req.to_bytes()).await.unwrap_err());
    assert_eq!(code, 400, "{message}");
    message
}

async fn signed_in_bob(dc: &LocalDc) -> Sender {
    let s = connect(dc, 4, hearth_transport::FramingKind::Intermediate, false).await;
    sign_in_as(&s, "9996641111", 4).await;
    s
}

async fn sign_in_as(s: &Sender, phone: &str, home: i32) {
    let hash = sent_code_hash(&s.invoke_raw(send_code(phone)).await.unwrap());
    s.invoke_raw(sign_in(phone, &hash, &home.to_string().repeat(5)))
        .await
        .unwrap();
}

fn history(peer: enums::InputPeer, offset_id: i32, limit: i32) -> f::messages::GetHistory {
    f::messages::GetHistory {
        peer,
        offset_id,
        offset_date: 0,
        add_offset: 0,
        limit,
        max_id: 0,
        min_id: 0,
        hash: 0,
    }
}

fn texts(messages: &[enums::Message]) -> Vec<String> {
    messages
        .iter()
        .map(|m| match m {
            enums::Message::Message(m) => m.message.clone(),
            enums::Message::MessageService(_) => "<service>".into(),
            enums::Message::MessageEmpty(m) => format!("<empty {}>", m.id),
        })
        .collect()
}

fn channel_messages(m: enums::messages::Messages) -> types::messages::ChannelMessages {
    match m {
        enums::messages::Messages::ChannelMessages(m) => m,
        _ => panic!("messages.channelMessages"),
    }
}

fn difference(
    channel: enums::InputChannel,
    pts: i32,
    limit: i32,
) -> f::updates::GetChannelDifference {
    f::updates::GetChannelDifference {
        force: false,
        channel,
        filter: enums::ChannelMessagesFilter::ChannelMessagesFilterEmpty,
        pts,
        limit,
    }
}

#[tokio::test]
async fn public_channels_are_met_by_username_and_joined() {
    let dc = start_demo().await;
    let bob = signed_in_bob(&dc).await;
    let get = |c| f::channels::GetChannels { id: vec![c] };
    // Not met yet: even the right hash is refused.
    assert_eq!(
        error(&bob, get(input(&dc, BOB, NEWS))).await,
        "CHANNEL_INVALID"
    );
    let resolved: enums::contacts::ResolvedPeer = call(
        &bob,
        f::contacts::ResolveUsername {
            username: "Hearth_News".into(),
            referer: None,
        },
    )
    .await;
    let enums::contacts::ResolvedPeer::ResolvedPeer(resolved) = resolved;
    assert_eq!(
        resolved.peer,
        enums::Peer::PeerChannel(types::PeerChannel { channel_id: NEWS })
    );
    let [enums::Chat::Channel(ch)] = &resolved.chats[..] else {
        panic!("the channel in chats")
    };
    assert!(ch.broadcast && !ch.megagroup && ch.left && !ch.creator);
    assert_eq!(ch.access_hash, Some(hash(&dc, BOB, NEWS)));
    assert_eq!(ch.username.as_deref(), Some("hearth_news"));
    // Met now; a hash meant for another account is still refused.
    let enums::messages::Chats::Chats(chats) = call(&bob, get(input(&dc, BOB, NEWS))).await else {
        panic!("messages.chats")
    };
    assert_eq!(chats.chats.len(), 1);
    assert_eq!(
        error(&bob, get(input(&dc, ALICE, NEWS))).await,
        "CHANNEL_INVALID"
    );

    // A public channel is readable without joining: the create message and three posts.
    let h = channel_messages(call(&bob, history(peer(&dc, BOB, NEWS), 0, 10)).await);
    assert_eq!(
        texts(&h.messages),
        [
            "Supergroups too.",
            "Channels have their own pts.",
            "localdc is up.",
            "<service>"
        ]
    );
    assert_eq!((h.count, h.pts), (4, 1));
    let enums::Message::Message(post) = &h.messages[0] else {
        panic!("a post")
    };
    assert!(post.post && post.from_id.is_none() && post.views == Some(1) && !post.out);
    let full: enums::messages::ChatFull = call(
        &bob,
        f::channels::GetFullChannel {
            channel: input(&dc, BOB, NEWS),
        },
    )
    .await;
    let enums::messages::ChatFull::ChatFull(full) = full;
    let enums::ChatFull::ChannelFull(cf) = *full.full_chat else {
        panic!("channelFull")
    };
    assert_eq!(
        (cf.about.as_str(), cf.participants_count, cf.pts),
        ("What is new in Hearth.", Some(2), 1)
    );
    assert!(
        !cf.can_view_participants,
        "subscribers are listed to admins only"
    );
    let page = channel_messages(call(&bob, history(peer(&dc, BOB, NEWS), 4, 1)).await);
    assert_eq!(texts(&page.messages), ["Channels have their own pts."]);

    // Subscribers of a broadcast channel do not post.
    assert_eq!(
        error(&bob, send_text_req(peer(&dc, BOB, NEWS), "hi")).await,
        "CHAT_WRITE_FORBIDDEN"
    );
    let join = || f::channels::JoinChannel {
        channel: input(&dc, BOB, NEWS),
    };
    let joined: enums::messages::ChatInviteJoinResult = call(&bob, join()).await;
    let enums::messages::ChatInviteJoinResult::ChatInviteJoinResultOk(ok) = joined else {
        panic!("chatInviteJoinResultOk")
    };
    let enums::Updates::Updates(u) = *ok.updates else {
        panic!("updates")
    };
    assert!(matches!(&u.updates[..], [enums::Update::UpdateChannel(c)] if c.channel_id == NEWS));
    assert!(matches!(&u.chats[..], [enums::Chat::Channel(c)] if !c.left));
    assert_eq!(error(&bob, join()).await, "USER_ALREADY_PARTICIPANT");
    assert_eq!(
        error(&bob, send_text_req(peer(&dc, BOB, NEWS), "hi")).await,
        "CHAT_WRITE_FORBIDDEN"
    );
    // Only admins list a broadcast channel's subscribers.
    assert_eq!(
        error(&bob, participants(input(&dc, BOB, NEWS), recent(), 0, 10)).await,
        "CHAT_ADMIN_REQUIRED"
    );
    let leave = || f::channels::LeaveChannel {
        channel: input(&dc, BOB, NEWS),
    };
    let _: enums::Updates = call(&bob, leave()).await;
    assert_eq!(error(&bob, leave()).await, "USER_NOT_PARTICIPANT");
    dc.shutdown().await;
}

fn send_text_req(peer: enums::InputPeer, text: &str) -> RawBytes {
    RawBytes(send_text(peer, text, 42))
}

/// An already encoded request.
struct RawBytes(Vec<u8>);
impl Serializable for RawBytes {
    fn serialize(&self, buf: &mut Vec<u8>) {
        buf.extend_from_slice(&self.0);
    }
}

fn recent() -> enums::ChannelParticipantsFilter {
    enums::ChannelParticipantsFilter::ChannelParticipantsRecent
}

fn participants(
    channel: enums::InputChannel,
    filter: enums::ChannelParticipantsFilter,
    offset: i32,
    limit: i32,
) -> f::channels::GetParticipants {
    f::channels::GetParticipants {
        channel,
        filter,
        offset,
        limit,
        hash: 0,
    }
}

#[tokio::test]
async fn private_supergroups_list_members_and_close_to_those_who_left() {
    let dc = start_demo().await;
    let bob = signed_in_bob(&dc).await;
    let list = |filter, offset, limit| participants(input(&dc, BOB, LOUNGE), filter, offset, limit);
    let all: enums::channels::ChannelParticipants = call(&bob, list(recent(), 0, 10)).await;
    let enums::channels::ChannelParticipants::ChannelParticipants(all) = all else {
        panic!("channels.channelParticipants")
    };
    assert_eq!(all.count, 2);
    assert!(matches!(
        &all.participants[..],
        [
            enums::ChannelParticipant::ChannelParticipantCreator(c),
            enums::ChannelParticipant::ChannelParticipantSelf(s),
        ] if c.user_id == ALICE && s.user_id == BOB && s.inviter_id == ALICE
    ));
    assert_eq!(all.users.len(), 2);
    let count = |p: enums::channels::ChannelParticipants| match p {
        enums::channels::ChannelParticipants::ChannelParticipants(p) => {
            (p.count, p.participants.len())
        }
        _ => panic!("channels.channelParticipants"),
    };
    let admins = enums::ChannelParticipantsFilter::ChannelParticipantsAdmins;
    assert_eq!(count(call(&bob, list(admins, 0, 10)).await), (1, 1));
    let search = |q: &str| {
        enums::ChannelParticipantsFilter::ChannelParticipantsSearch(
            types::ChannelParticipantsSearch { q: q.into() },
        )
    };
    assert_eq!(
        count(call(&bob, list(search("BUILD"), 0, 10)).await),
        (1, 1)
    );
    assert_eq!(count(call(&bob, list(search("zzz"), 0, 10)).await), (0, 0));
    assert_eq!(count(call(&bob, list(recent(), 1, 10)).await), (2, 1));
    assert_eq!(count(call(&bob, list(recent(), 0, 1)).await), (2, 1));
    assert_eq!(error(&bob, list(recent(), -1, 10)).await, "LIMIT_INVALID");
    // The list hash of core.telegram.org/api/offsets#hash-generation: an
    // unchanged list is not sent again.
    let same = f::channels::GetParticipants {
        hash: localdc::rpc::participants::ids_hash(&[ALICE, BOB]),
        ..list(recent(), 0, 10)
    };
    let unchanged: enums::channels::ChannelParticipants = call(&bob, same).await;
    assert_eq!(
        unchanged,
        enums::channels::ChannelParticipants::ChannelParticipantsNotModified
    );
    let one = |participant| f::channels::GetParticipant {
        channel: input(&dc, BOB, LOUNGE),
        participant,
    };
    let enums::channels::ChannelParticipant::ChannelParticipant(me) =
        call(&bob, one(enums::InputPeer::InputPeerSelf)).await;
    assert!(
        matches!(me.participant, enums::ChannelParticipant::ChannelParticipantSelf(s) if s.user_id == BOB)
    );
    let carol_for_bob = dc
        .state()
        .users()
        .get(1_000_003)
        .unwrap()
        .access_hash_for(BOB);
    let carol = enums::InputPeer::InputPeerUser(types::InputPeerUser {
        user_id: 1_000_003,
        access_hash: carol_for_bob,
    });
    assert_eq!(error(&bob, one(carol)).await, "USER_NOT_PARTICIPANT");
    let forged = enums::InputPeer::InputPeerUser(types::InputPeerUser {
        user_id: 1_000_003,
        access_hash: carol_for_bob ^ 1,
    });
    assert_eq!(error(&bob, one(forged)).await, "PARTICIPANT_ID_INVALID");

    let full: enums::messages::ChatFull = call(
        &bob,
        f::channels::GetFullChannel {
            channel: input(&dc, BOB, LOUNGE),
        },
    )
    .await;
    let enums::messages::ChatFull::ChatFull(full) = full;
    let enums::ChatFull::ChannelFull(cf) = *full.full_chat else {
        panic!("channelFull")
    };
    assert_eq!((cf.id, cf.participants_count, cf.pts), (LOUNGE, Some(2), 1));
    assert!(cf.can_view_participants);

    let got = channel_messages(
        call(
            &bob,
            f::channels::GetMessages {
                channel: input(&dc, BOB, LOUNGE),
                id: [3, 99]
                    .map(|id| enums::InputMessage::InputMessageId(types::InputMessageId { id }))
                    .into(),
            },
        )
        .await,
    );
    assert_eq!(texts(&got.messages), ["Glad to be here.", "<empty 99>"]);
    let enums::Message::Message(m) = &got.messages[0] else {
        panic!("a message")
    };
    assert!(
        m.out
            && !m.post
            && m.from_id == Some(enums::Peer::PeerUser(types::PeerUser { user_id: BOB }))
    );

    // The creator cannot leave; bob can, and then the private group is closed to him.
    let alice = signed_in_alice(&dc).await;
    assert_eq!(
        error(
            &alice,
            f::channels::LeaveChannel {
                channel: input(&dc, ALICE, LOUNGE)
            }
        )
        .await,
        "USER_CREATOR"
    );
    let _: enums::Updates = call(
        &bob,
        f::channels::LeaveChannel {
            channel: input(&dc, BOB, LOUNGE),
        },
    )
    .await;
    assert_eq!(
        error(&bob, history(peer(&dc, BOB, LOUNGE), 0, 10)).await,
        "CHANNEL_PRIVATE"
    );
    assert_eq!(
        error(
            &bob,
            f::channels::JoinChannel {
                channel: input(&dc, BOB, LOUNGE)
            }
        )
        .await,
        "CHANNEL_PRIVATE"
    );
    let enums::messages::Chats::Chats(chats) = call(
        &bob,
        f::channels::GetChannels {
            id: vec![input(&dc, BOB, LOUNGE)],
        },
    )
    .await
    else {
        panic!("messages.chats")
    };
    assert!(
        matches!(&chats.chats[..], [enums::Chat::ChannelForbidden(c)] if c.megagroup && c.id == LOUNGE)
    );
    // Non-channel input is invalid too.
    assert_eq!(
        error(
            &bob,
            f::channels::GetChannels {
                id: vec![enums::InputChannel::InputChannelEmpty]
            }
        )
        .await,
        "CHANNEL_INVALID"
    );
    dc.shutdown().await;
}

/// The next pushed `Updates` object, skipping new-session notices.
async fn next_update(
    rx: &mut tokio::sync::mpsc::Receiver<hearth_sender::sender::UpdateEvent>,
) -> types::Updates {
    loop {
        let event = tokio::time::timeout(std::time::Duration::from_secs(10), rx.recv())
            .await
            .expect("an update within 10 s")
            .expect("the sender is alive");
        if let hearth_sender::sender::UpdateEvent::Update(body) = event {
            let enums::Updates::Updates(u) = enums::Updates::from_bytes(&body).expect("Updates")
            else {
                panic!("channel updates come as `updates`")
            };
            return u;
        }
    }
}

/// (pts, pts_count, text) of the single updateNewChannelMessage in `u`.
fn new_channel_message(u: &types::Updates) -> (i32, i32, String) {
    let news: Vec<_> = u
        .updates
        .iter()
        .filter_map(|x| match x {
            enums::Update::UpdateNewChannelMessage(n) => Some(n),
            _ => None,
        })
        .collect();
    let [n] = &news[..] else {
        panic!("one updateNewChannelMessage in {u:?}")
    };
    (
        n.pts,
        n.pts_count,
        texts(std::slice::from_ref(&n.message))[0].clone(),
    )
}

#[tokio::test]
async fn channel_messages_reach_every_member_with_continuous_channel_pts() {
    let dc = start_demo().await;
    let alice = signed_in_alice(&dc).await;
    let (alice2, mut alice2_rx) = connect_listening(&dc, 2).await;
    sign_in_as(&alice2, "9996621234", 2).await;
    let (bob, mut bob_rx) = connect_listening(&dc, 4).await;
    sign_in_as(&bob, "9996641111", 4).await;

    // alice posts: her answer is `updates` with updateMessageID first.
    let answer = enums::Updates::from_bytes(
        &alice
            .invoke_raw(send_text(peer(&dc, ALICE, LOUNGE), "from alice", 77))
            .await
            .unwrap(),
    )
    .unwrap();
    let enums::Updates::Updates(answer) = answer else {
        panic!("updates")
    };
    assert!(
        matches!(&answer.updates[0], enums::Update::UpdateMessageId(m) if m.random_id == 77 && m.id == 4)
    );
    assert_eq!(new_channel_message(&answer), (2, 1, "from alice".into()));
    assert!(matches!(&answer.chats[..], [enums::Chat::Channel(c)] if c.id == LOUNGE));
    for rx in [&mut alice2_rx, &mut bob_rx] {
        let u = next_update(rx).await;
        assert_eq!(new_channel_message(&u), (2, 1, "from alice".into()));
        assert!(matches!(&u.chats[..], [enums::Chat::Channel(c)] if c.id == LOUNGE));
    }
    // bob answers; the box is shared: pts 3 for everyone.
    let enums::Updates::Updates(answer) = enums::Updates::from_bytes(
        &bob.invoke_raw(send_text(peer(&dc, BOB, LOUNGE), "from bob", 78))
            .await
            .unwrap(),
    )
    .unwrap() else {
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
    let delete = |viewer, ids: Vec<i32>| f::channels::DeleteMessages {
        channel: input(&dc, viewer, LOUNGE),
        id: ids,
    };
    assert_eq!(
        error(&bob, delete(BOB, vec![4])).await,
        "MESSAGE_DELETE_FORBIDDEN"
    );
    let enums::messages::AffectedMessages::AffectedMessages(affected) =
        call(&alice, delete(ALICE, vec![5, 99])).await;
    assert_eq!((affected.pts, affected.pts_count), (4, 1));
    for rx in [&mut alice2_rx, &mut bob_rx] {
        let u = next_update(rx).await;
        assert!(matches!(
            &u.updates[..],
            [enums::Update::UpdateDeleteChannelMessages(d)]
                if d.channel_id == LOUNGE && d.messages == [5] && (d.pts, d.pts_count) == (4, 1)
        ));
    }
    // Reading: the reader's other session learns the new read mark.
    assert!(bool::from_bytes(
        &alice
            .invoke_raw(
                f::channels::ReadHistory {
                    channel: input(&dc, ALICE, LOUNGE),
                    max_id: 4,
                }
                .to_bytes()
            )
            .await
            .unwrap()
    )
    .unwrap());
    let u = next_update(&mut alice2_rx).await;
    assert!(matches!(
        &u.updates[..],
        [enums::Update::UpdateReadChannelInbox(r)]
            if r.channel_id == LOUNGE && r.max_id == 4 && r.pts == 4 && r.still_unread_count == 0
    ));
    // Message checks.
    assert_eq!(
        error(&bob, send_text_req(peer(&dc, BOB, LOUNGE), " ")).await,
        "MESSAGE_EMPTY"
    );
    assert_eq!(
        error(
            &bob,
            send_text_req(peer(&dc, BOB, LOUNGE), &"x".repeat(4097))
        )
        .await,
        "MESSAGE_TOO_LONG"
    );
    let wrong = enums::InputPeer::InputPeerChannel(types::InputPeerChannel {
        channel_id: LOUNGE,
        access_hash: hash(&dc, ALICE, LOUNGE),
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
    let alice = signed_in_alice(&dc).await;
    for (i, text) in ["one", "two", "three"].into_iter().enumerate() {
        alice
            .invoke_raw(send_text(peer(&dc, ALICE, NEWS), text, i as i64))
            .await
            .unwrap();
    }
    let _: enums::messages::AffectedMessages = call(
        &alice,
        f::channels::DeleteMessages {
            channel: input(&dc, ALICE, NEWS),
            id: vec![2],
        },
    )
    .await;
    let diff = |pts, limit| difference(input(&dc, ALICE, NEWS), pts, limit);
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
    assert_eq!((dialog.pts, dialog.top_message), (Some(5), 7));
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
async fn created_channels_and_dialogs() {
    let dc = start_demo().await;
    let alice = signed_in_alice(&dc).await;
    let create = |title: &str, megagroup: bool| f::channels::CreateChannel {
        broadcast: !megagroup,
        megagroup,
        for_import: false,
        forum: false,
        title: title.into(),
        about: "about it".into(),
        geo_point: None,
        address: None,
        ttl_period: None,
    };
    assert_eq!(error(&alice, create("  ", true)).await, "CHAT_TITLE_EMPTY");
    let mut long_about = create("Wordy", false);
    long_about.about = "a".repeat(256);
    assert_eq!(error(&alice, long_about).await, "CHAT_ABOUT_TOO_LONG");
    let enums::Updates::Updates(u) = call(&alice, create("Fresh group", true)).await else {
        panic!("updates")
    };
    let [enums::Chat::Channel(ch)] = &u.chats[..] else {
        panic!("the new channel")
    };
    assert!(ch.megagroup && ch.creator && ch.admin_rights.is_some() && !ch.left);
    let id = ch.id;
    assert!(matches!(&u.updates[0], enums::Update::UpdateChannel(c) if c.channel_id == id));
    let enums::Update::UpdateNewChannelMessage(n) = &u.updates[1] else {
        panic!("the create message")
    };
    let enums::Message::MessageService(s) = &*n.message else {
        panic!("a service message")
    };
    assert!(
        matches!(&*s.action, enums::MessageAction::MessageActionChannelCreate(c) if c.title == "Fresh group")
    );
    assert_eq!((s.id, n.pts, n.pts_count), (1, 2, 1));

    // Dialogs are merged by the date of their top message: make the lounge
    // the newest and the news channel the oldest.
    {
        let mut all = dc.state().channels();
        let lounge = all.get_mut(LOUNGE).unwrap();
        lounge.post(ALICE, "from the future", i32::MAX - 1, None, true);
        let news = all.get_mut(NEWS).unwrap();
        news.messages.values_mut().for_each(|m| m.date = 1);
    }
    let dialogs: enums::messages::Dialogs = call(
        &alice,
        f::messages::GetDialogs {
            exclude_pinned: false,
            folder_id: None,
            offset_date: 0,
            offset_id: 0,
            offset_peer: enums::InputPeer::InputPeerEmpty,
            limit: 20,
            hash: 0,
        },
    )
    .await;
    let enums::messages::Dialogs::Dialogs(dialogs) = dialogs else {
        panic!("messages.dialogs")
    };
    let peers: Vec<(enums::Peer, Option<i32>)> = dialogs
        .dialogs
        .iter()
        .map(|d| match d {
            enums::Dialog::Dialog(d) => (d.peer.clone(), d.pts),
            _ => panic!("dialog"),
        })
        .collect();
    let channel = |id| enums::Peer::PeerChannel(types::PeerChannel { channel_id: id });
    // The private chat with bob, the world channels and the new group.
    assert_eq!(peers.len(), 4);
    assert_eq!(peers[0], (channel(LOUNGE), Some(2)));
    assert!(peers[1..3].contains(&(channel(id), Some(2))));
    assert!(peers[1..3].iter().any(
        |(p, pts)| matches!(p, enums::Peer::PeerUser(u) if u.user_id == BOB) && pts.is_none()
    ));
    assert_eq!(peers[3], (channel(NEWS), Some(1)));
    assert_eq!(dialogs.chats.len(), 3);
    assert_eq!(dialogs.messages.len(), 4);
    dc.shutdown().await;
}

fn send_document(peer: enums::InputPeer, file_id: i64, caption: &str) -> f::messages::SendMedia {
    f::messages::SendMedia {
        silent: false,
        background: false,
        clear_draft: false,
        noforwards: false,
        update_stickersets_order: false,
        invert_media: false,
        allow_paid_floodskip: false,
        peer,
        reply_to: None,
        media: enums::InputMedia::InputMediaUploadedDocument(types::InputMediaUploadedDocument {
            nosound_video: false,
            force_file: true,
            spoiler: false,
            file: enums::InputFile::InputFile(types::InputFile {
                id: file_id,
                parts: 1,
                name: "notes.txt".into(),
                md5_checksum: String::new(),
            }),
            thumb: None,
            mime_type: "text/plain".into(),
            attributes: Vec::new(),
            stickers: None,
            video_cover: None,
            video_timestamp: None,
            ttl_seconds: None,
        }),
        message: caption.into(),
        random_id: file_id,
        reply_markup: None,
        entities: None,
        schedule_date: None,
        schedule_repeat_period: None,
        send_as: None,
        quick_reply_shortcut: None,
        effect: None,
        allow_paid_stars: None,
        suggested_post: None,
    }
}

#[tokio::test]
async fn documents_are_posted_to_channels_and_pushed_with_their_media() {
    let dc = start_demo().await;
    let alice = signed_in_alice(&dc).await;
    let (bob, mut bob_rx) = connect_listening(&dc, 4).await;
    sign_in_as(&bob, "9996641111", 4).await;
    let part = f::upload::SaveFilePart {
        file_id: 9,
        file_part: 0,
        bytes: b"channel notes".to_vec(),
    };
    assert_eq!(
        alice.invoke_raw(part.to_bytes()).await.unwrap(),
        true.to_bytes()
    );
    // A channel not met is refused before any upload is used.
    assert_eq!(
        error(&bob, send_document(peer(&dc, BOB, NEWS), 1, "")).await,
        "CHANNEL_INVALID",
        "bob has not met the news channel"
    );
    let enums::Updates::Updates(answer) = call(
        &alice,
        send_document(peer(&dc, ALICE, LOUNGE), 9, "the notes"),
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
        error(&alice, send_document(peer(&dc, ALICE, LOUNGE), 9, "")).await,
        "FILE_PARTS_INVALID"
    );
    let mut empty = send_document(peer(&dc, ALICE, LOUNGE), 10, "");
    empty.media = enums::InputMedia::InputMediaEmpty;
    assert_eq!(error(&alice, empty).await, "MEDIA_EMPTY");
    dc.shutdown().await;
}

/// The action of the single service message pushed in `u`, with its pts.
fn service_action(u: &types::Updates) -> (i32, enums::MessageAction) {
    let [enums::Update::UpdateNewChannelMessage(n)] = &u.updates[..] else {
        panic!("one updateNewChannelMessage in {u:?}")
    };
    let enums::Message::MessageService(s) = &*n.message else {
        panic!("a service message")
    };
    (n.pts, (*s.action).clone())
}

#[tokio::test]
async fn leaving_and_joining_a_supergroup_posts_service_messages() {
    let dc = start_demo().await;
    let (alice, mut alice_rx) = connect_listening(&dc, 2).await;
    sign_in_as(&alice, "9996621234", 2).await;
    let bob = signed_in_bob(&dc).await;
    let enums::Updates::Updates(left) = call(
        &bob,
        f::channels::LeaveChannel {
            channel: input(&dc, BOB, LOUNGE),
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

    // Once the group is public, bob finds it by username and joins again.
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
            channel: input(&dc, BOB, LOUNGE),
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
async fn usernames_make_channels_public_and_invites_add_members() {
    let dc = start_demo().await;
    let alice = signed_in_alice(&dc).await;
    let (bob, mut bob_rx) = connect_listening(&dc, 4).await;
    sign_in_as(&bob, "9996641111", 4).await;
    let enums::Updates::Updates(created) = call(
        &alice,
        f::channels::CreateChannel {
            broadcast: false,
            megagroup: true,
            for_import: false,
            forum: false,
            title: "Club".into(),
            about: String::new(),
            geo_point: None,
            address: None,
            ttl_period: None,
        },
    )
    .await
    else {
        panic!("updates")
    };
    let [enums::Chat::Channel(club)] = &created.chats[..] else {
        panic!("the new channel")
    };
    let club = club.id;
    let check = |name: &str| f::channels::CheckUsername {
        channel: input(&dc, ALICE, club),
        username: name.into(),
    };
    assert_eq!(
        error(&alice, check("Hearth_News")).await,
        "USERNAME_OCCUPIED"
    );
    assert_eq!(
        error(&alice, check("bob_builder")).await,
        "USERNAME_OCCUPIED"
    );
    assert_eq!(error(&alice, check("club")).await, "USERNAME_INVALID");
    assert_eq!(error(&alice, check("club_")).await, "USERNAME_INVALID");
    assert!(bool::from_bytes(
        &alice
            .invoke_raw(check("club_room").to_bytes())
            .await
            .unwrap()
    )
    .unwrap());

    // alice knows bob from their private chat; carol she has never met.
    let invite = |user_id: i64, access_hash: i64| f::channels::InviteToChannel {
        channel: input(&dc, ALICE, club),
        users: vec![enums::InputUser::InputUser(types::InputUser {
            user_id,
            access_hash,
        })],
    };
    let seen_by_alice = |id| dc.state().users().get(id).unwrap().access_hash_for(ALICE);
    assert_eq!(
        error(&alice, invite(1_000_003, seen_by_alice(1_000_003))).await,
        "USER_ID_INVALID"
    );
    let enums::messages::InvitedUsers::InvitedUsers(invited) =
        call(&alice, invite(BOB, seen_by_alice(BOB))).await;
    let enums::Updates::Updates(u) = *invited.updates else {
        panic!("updates")
    };
    assert_eq!(new_channel_message(&u).0, 3);
    // bob is told about the channel, then sees the service message.
    let notice = next_update(&mut bob_rx).await;
    assert!(
        matches!(&notice.updates[..], [enums::Update::UpdateChannel(c)] if c.channel_id == club)
    );
    assert!(matches!(&notice.chats[..], [enums::Chat::Channel(c)] if !c.left && !c.creator));
    let (pts, action) = service_action(&next_update(&mut bob_rx).await);
    assert_eq!(pts, 3);
    assert!(
        matches!(action, enums::MessageAction::MessageActionChatAddUser(a) if a.users == [BOB])
    );
    assert_eq!(
        error(&alice, invite(BOB, seen_by_alice(BOB))).await,
        "USER_ALREADY_PARTICIPANT"
    );

    let set = |viewer, name: &str| f::channels::UpdateUsername {
        channel: input(&dc, viewer, club),
        username: name.into(),
    };
    assert_eq!(
        error(&bob, set(BOB, "club_room")).await,
        "CHAT_ADMIN_REQUIRED"
    );
    assert!(bool::from_bytes(
        &alice
            .invoke_raw(set(ALICE, "club_room").to_bytes())
            .await
            .unwrap()
    )
    .unwrap());
    let notice = next_update(&mut bob_rx).await;
    assert!(
        matches!(&notice.chats[..], [enums::Chat::Channel(c)] if c.username.as_deref() == Some("club_room"))
    );
    assert_eq!(
        error(&alice, set(ALICE, "Club_Room")).await,
        "USERNAME_NOT_MODIFIED"
    );
    let resolve = || f::contacts::ResolveUsername {
        username: "club_room".into(),
        referer: None,
    };
    let enums::contacts::ResolvedPeer::ResolvedPeer(found) = call(&bob, resolve()).await;
    assert_eq!(
        found.peer,
        enums::Peer::PeerChannel(types::PeerChannel { channel_id: club })
    );
    // Private again: the name is free.
    assert!(bool::from_bytes(&alice.invoke_raw(set(ALICE, "").to_bytes()).await.unwrap()).unwrap());
    assert_eq!(error(&bob, resolve()).await, "USERNAME_NOT_OCCUPIED");
    dc.shutdown().await;
}

#[tokio::test]
async fn bots_do_not_create_or_join_channels() {
    let dc = start_demo().await;
    let bot = connect(&dc, 2, hearth_transport::FramingKind::Abridged, false).await;
    let import = f::auth::ImportBotAuthorization {
        flags: 0,
        api_id: 12345,
        api_hash: "0123456789abcdef".into(),
        bot_auth_token: "7000001:AAHearthDemoBotSecretToken".into(),
    };
    bot.invoke_raw(import.to_bytes()).await.unwrap();
    let create = f::channels::CreateChannel {
        broadcast: true,
        megagroup: false,
        for_import: false,
        forum: false,
        title: "Bot news".into(),
        about: String::new(),
        geo_point: None,
        address: None,
        ttl_period: None,
    };
    assert_eq!(error(&bot, create).await, "BOT_METHOD_INVALID");
    let _: enums::contacts::ResolvedPeer = call(
        &bot,
        f::contacts::ResolveUsername {
            username: "hearth_news".into(),
            referer: None,
        },
    )
    .await;
    let join = f::channels::JoinChannel {
        channel: input(&dc, 7_000_001, NEWS),
    };
    assert_eq!(error(&bot, join).await, "BOT_METHOD_INVALID");
    dc.shutdown().await;
}

fn post_rights(post: bool) -> enums::ChatAdminRights {
    enums::ChatAdminRights::ChatAdminRights(types::ChatAdminRights {
        change_info: false,
        post_messages: post,
        edit_messages: false,
        delete_messages: false,
        ban_users: false,
        invite_users: false,
        pin_messages: false,
        add_admins: false,
        anonymous: false,
        manage_call: false,
        other: false,
        manage_topics: false,
        post_stories: false,
        edit_stories: false,
        delete_stories: false,
        manage_direct_messages: false,
        manage_ranks: false,
        manage_linked_peers: false,
        manage_welcome_messages: false,
    })
}

#[tokio::test]
async fn admins_post_in_broadcast_channels_and_edit_titles() {
    let dc = start_demo().await;
    let alice = signed_in_alice(&dc).await;
    let (bob, mut bob_rx) = connect_listening(&dc, 4).await;
    sign_in_as(&bob, "9996641111", 4).await;
    let _: enums::contacts::ResolvedPeer = call(
        &bob,
        f::contacts::ResolveUsername {
            username: "hearth_news".into(),
            referer: None,
        },
    )
    .await;
    let _: enums::messages::ChatInviteJoinResult = call(
        &bob,
        f::channels::JoinChannel {
            channel: input(&dc, BOB, NEWS),
        },
    )
    .await;
    let bob_for_alice = dc.state().users().get(BOB).unwrap().access_hash_for(ALICE);
    let promote = |viewer, user: enums::InputUser, post| f::channels::EditAdmin {
        channel: input(&dc, viewer, NEWS),
        user_id: user,
        admin_rights: post_rights(post),
        rank: None,
    };
    let bob_user = || {
        enums::InputUser::InputUser(types::InputUser {
            user_id: BOB,
            access_hash: bob_for_alice,
        })
    };
    assert_eq!(
        error(&bob, promote(BOB, enums::InputUser::InputUserSelf, true)).await,
        "CHAT_ADMIN_REQUIRED"
    );
    assert_eq!(
        error(
            &alice,
            promote(ALICE, enums::InputUser::InputUserSelf, true)
        )
        .await,
        "USER_CREATOR"
    );
    let _: enums::Updates = call(&alice, promote(ALICE, bob_user(), true)).await;
    let notice = next_update(&mut bob_rx).await;
    assert!(matches!(
        &notice.chats[..],
        [enums::Chat::Channel(c)] if c.id == NEWS && c.admin_rights.is_some() && !c.creator
    ));
    // Now bob posts, as the channel: `post` set, no sender.
    let enums::Updates::Updates(sent) =
        call(&bob, send_text_req(peer(&dc, BOB, NEWS), "by bob")).await
    else {
        panic!("updates")
    };
    assert_eq!(new_channel_message(&sent), (2, 1, "by bob".into()));
    let title = |viewer, t: &str| f::channels::EditTitle {
        channel: input(&dc, viewer, NEWS),
        title: t.into(),
    };
    let enums::Updates::Updates(renamed) = call(&bob, title(BOB, "Hearth weekly")).await else {
        panic!("updates")
    };
    let (pts, action) = service_action(&renamed);
    assert_eq!(pts, 3);
    assert!(
        matches!(action, enums::MessageAction::MessageActionChatEditTitle(t) if t.title == "Hearth weekly")
    );
    assert!(matches!(&renamed.chats[..], [enums::Chat::Channel(c)] if c.title == "Hearth weekly"));
    assert_eq!(
        error(&bob, title(BOB, "Hearth weekly")).await,
        "CHAT_NOT_MODIFIED"
    );
    assert_eq!(error(&bob, title(BOB, " ")).await, "CHAT_TITLE_EMPTY");
    // Demoted, bob is a subscriber again.
    let _: enums::Updates = call(&alice, promote(ALICE, bob_user(), false)).await;
    assert_eq!(
        error(&bob, send_text_req(peer(&dc, BOB, NEWS), "again")).await,
        "CHAT_WRITE_FORBIDDEN"
    );
    assert_eq!(error(&bob, title(BOB, "Mine")).await, "CHAT_ADMIN_REQUIRED");
    dc.shutdown().await;
}
