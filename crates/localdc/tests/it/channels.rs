//! Channels and supergroups: access rules and the `channels.*` methods
//! (see also `channel_updates.rs`), from accounts signed in through
//! hearth-client that meet channels as a client does.

use crate::channel_support::*;
use crate::common::account::*;
use crate::common::engine::*;
use crate::common::*;
use hearth_client::PeerId;
use hearth_tl::{enums, functions as f, types};

#[tokio::test]
async fn public_channels_are_met_by_username_and_joined() {
    let dc = start_demo().await;
    let bob = with_dialogs(&dc, BOB_PHONE).await;
    let get = |c| f::channels::GetChannels { id: vec![c] };
    // Not met yet: even the right hash is refused.
    assert_eq!(
        error(&bob, get(unmet_channel(&dc, BOB, NEWS))).await,
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
    assert_eq!(ch.access_hash, Some(server_channel_hash(&dc, BOB, NEWS)));
    assert_eq!(ch.access_hash, Some(bob.hash(PeerId::Channel(NEWS))));
    assert_eq!(ch.username.as_deref(), Some("hearth_news"));
    // Met now; a hash meant for another account is still refused.
    let enums::messages::Chats::Chats(chats) = call(&bob, get(bob.channel(NEWS))).await else {
        panic!("messages.chats")
    };
    assert_eq!(chats.chats.len(), 1);
    assert_eq!(
        error(&bob, get(unmet_channel(&dc, ALICE, NEWS))).await,
        "CHANNEL_INVALID"
    );

    // A public channel is readable without joining: the create message and three posts.
    let h = channel_messages(call(&bob, history(bob.channel_peer(NEWS), 0, 10)).await);
    assert_eq!(
        texts(&h.messages),
        [
            "Release notes",
            "Supergroups too.",
            "Channels have their own pts.",
            "localdc is up.",
            "<service>"
        ]
    );
    assert_eq!((h.count, h.pts), (5, 1));
    let enums::Message::Message(post) = &h.messages[0] else {
        panic!("a post")
    };
    assert!(post.post && post.from_id.is_none() && post.views == Some(1) && !post.out);
    let full: enums::messages::ChatFull = call(
        &bob,
        f::channels::GetFullChannel {
            channel: bob.channel(NEWS),
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
    let page = channel_messages(call(&bob, history(bob.channel_peer(NEWS), 4, 1)).await);
    assert_eq!(texts(&page.messages), ["Channels have their own pts."]);

    // Subscribers of a broadcast channel do not post.
    assert_eq!(
        error(&bob, send_text_req(bob.channel_peer(NEWS), "hi")).await,
        "CHAT_WRITE_FORBIDDEN"
    );
    let join = || f::channels::JoinChannel {
        channel: bob.channel(NEWS),
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
        error(&bob, send_text_req(bob.channel_peer(NEWS), "hi")).await,
        "CHAT_WRITE_FORBIDDEN"
    );
    // Only admins list a broadcast channel's subscribers.
    assert_eq!(
        error(&bob, participants(bob.channel(NEWS), recent(), 0, 10)).await,
        "CHAT_ADMIN_REQUIRED"
    );
    let leave = || f::channels::LeaveChannel {
        channel: bob.channel(NEWS),
    };
    let _: enums::Updates = call(&bob, leave()).await;
    assert_eq!(error(&bob, leave()).await, "USER_NOT_PARTICIPANT");
    dc.shutdown().await;
}

#[tokio::test]
async fn private_supergroups_list_members_and_close_to_those_who_left() {
    let dc = start_demo().await;
    let bob = with_dialogs(&dc, BOB_PHONE).await;
    let list = |filter, offset, limit| participants(bob.channel(LOUNGE), filter, offset, limit);
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
        channel: bob.channel(LOUNGE),
        participant,
    };
    let enums::channels::ChannelParticipant::ChannelParticipant(me) =
        call(&bob, one(enums::InputPeer::InputPeerSelf)).await;
    assert!(
        matches!(me.participant, enums::ChannelParticipant::ChannelParticipantSelf(s) if s.user_id == BOB)
    );
    // bob met carol in his dialogs (the demo group's last message is hers).
    let carol_for_bob = bob.hash(PeerId::User(1_000_003));
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
            channel: bob.channel(LOUNGE),
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
                channel: bob.channel(LOUNGE),
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
    let alice = with_dialogs(&dc, ALICE_PHONE).await;
    assert_eq!(
        error(
            &alice,
            f::channels::LeaveChannel {
                channel: alice.channel(LOUNGE)
            }
        )
        .await,
        "USER_CREATOR"
    );
    let _: enums::Updates = call(
        &bob,
        f::channels::LeaveChannel {
            channel: bob.channel(LOUNGE),
        },
    )
    .await;
    assert_eq!(
        error(&bob, history(bob.channel_peer(LOUNGE), 0, 10)).await,
        "CHANNEL_PRIVATE"
    );
    assert_eq!(
        error(
            &bob,
            f::channels::JoinChannel {
                channel: bob.channel(LOUNGE)
            }
        )
        .await,
        "CHANNEL_PRIVATE"
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

#[tokio::test]
async fn created_channels_and_dialogs() {
    let dc = start_demo().await;
    let alice = Account::sign_in(&dc, ALICE_PHONE).await;
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
    let dialogs: enums::messages::Dialogs = call(&alice, dialogs_request(20)).await;
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
    // The private chat with bob, the demo basic group, the world channels
    // and the new group.
    assert_eq!(peers.len(), 5);
    assert_eq!(peers[0], (channel(LOUNGE), Some(2)));
    let middle = &peers[1..4];
    assert!(middle.contains(&(channel(id), Some(2))));
    assert!(middle.iter().any(
        |(p, pts)| matches!(p, enums::Peer::PeerUser(u) if u.user_id == BOB) && pts.is_none()
    ));
    assert!(middle
        .iter()
        .any(|(p, pts)| matches!(p, enums::Peer::PeerChat(_)) && pts.is_none()));
    assert_eq!(peers[4], (channel(NEWS), Some(1)));
    assert_eq!(dialogs.chats.len(), 4);
    assert_eq!(dialogs.messages.len(), 5);
    dc.shutdown().await;
}

#[tokio::test]
async fn usernames_make_channels_public_and_invites_add_members() {
    let dc = start_demo().await;
    // alice meets no dialogs here: carol must stay unmet.
    let alice = Account::sign_in(&dc, ALICE_PHONE).await;
    let (bob, mut bob_rx) = Account::sign_in(&dc, BOB_PHONE).await.listen().await;
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
        channel: alice.channel(club),
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
    assert!(alice.call(&check("club_room")).await);

    // alice knows bob from their private chat (her client meets him by his
    // username); carol she has never met.
    alice.resolve("bob_builder").await;
    let invite = |user_id: i64, access_hash: i64| f::channels::InviteToChannel {
        channel: alice.channel(club),
        users: vec![enums::InputUser::InputUser(types::InputUser {
            user_id,
            access_hash,
        })],
    };
    assert_eq!(
        error(
            &alice,
            invite(1_000_003, server_user_hash(&dc, ALICE, 1_000_003))
        )
        .await,
        "USER_ID_INVALID"
    );
    let bob_for_alice = alice.hash(PeerId::User(BOB));
    let enums::messages::InvitedUsers::InvitedUsers(invited) =
        call(&alice, invite(BOB, bob_for_alice)).await;
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
        error(&alice, invite(BOB, bob_for_alice)).await,
        "USER_ALREADY_PARTICIPANT"
    );

    let set = |channel, name: &str| f::channels::UpdateUsername {
        channel,
        username: name.into(),
    };
    // bob's client meets the club among his dialogs now that he is in it.
    bob.account.meet_dialogs().await;
    assert_eq!(
        error(&bob, set(bob.channel(club), "club_room")).await,
        "CHAT_ADMIN_REQUIRED"
    );
    assert!(alice.call(&set(alice.channel(club), "club_room")).await);
    let notice = next_update(&mut bob_rx).await;
    assert!(
        matches!(&notice.chats[..], [enums::Chat::Channel(c)] if c.username.as_deref() == Some("club_room"))
    );
    assert_eq!(
        error(&alice, set(alice.channel(club), "Club_Room")).await,
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
    assert!(alice.call(&set(alice.channel(club), "")).await);
    assert_eq!(error(&bob, resolve()).await, "USERNAME_NOT_OCCUPIED");
    dc.shutdown().await;
}

#[tokio::test]
async fn bots_do_not_create_or_join_channels() {
    let dc = start_demo().await;
    let bot = Account::bot(&dc, BOT_TOKEN).await;
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
        channel: bot.channel(NEWS),
    };
    assert_eq!(error(&bot, join).await, "BOT_METHOD_INVALID");
    dc.shutdown().await;
}
