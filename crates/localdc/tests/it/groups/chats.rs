//! Basic groups: the world's group, messages to it, creating, adding,
//! removing and leaving.

use super::*;

#[tokio::test]
async fn the_world_group_is_a_chat_with_history_in_each_box() {
    let dc = start_demo().await;
    let (alice, _rx) = alice_live(&dc).await;
    let enums::messages::Dialogs::Dialogs(d) = call(&alice, dialogs()).await else {
        panic!("messages.dialogs")
    };
    let chat_dialog = d
        .dialogs
        .iter()
        .find_map(|x| match x {
            enums::Dialog::Dialog(x) if x.peer == peer_chat(TESTERS) => Some(x.clone()),
            _ => None,
        })
        .expect("the group is a dialog");
    assert_eq!((chat_dialog.unread_count, chat_dialog.top_message), (0, 4));
    let chat = d
        .chats
        .iter()
        .find_map(|c| match c {
            enums::Chat::Chat(c) => Some(c),
            _ => None,
        })
        .expect("the basic group in chats");
    // Paging by top message: the group (top 4), then bob (top 2); of four
    // dialogs with the demo's supergroup and channel, which a box id does
    // not page.
    let page = |offset_id: i32| {
        functions::messages::GetDialogs {
            offset_id,
            ..dialogs_request(1)
        }
        .to_bytes()
    };
    for (offset, peer) in [(0, peer_chat(TESTERS)), (4, peer_user(BOB))] {
        let enums::messages::Dialogs::DialogsSlice(s) = call(&alice, page(offset)).await else {
            panic!("messages.dialogsSlice")
        };
        assert!(matches!(&s.dialogs[..], [enums::Dialog::Dialog(x)] if x.peer == peer));
        assert_eq!(s.count, 4);
    }
    assert_eq!(
        (
            chat.id,
            chat.title.as_str(),
            chat.participants_count,
            chat.creator
        ),
        (TESTERS, "Hearth testers", 3, true)
    );

    let (newest, count) = messages_of(call(&alice, history(chat_peer(TESTERS), 1)).await);
    assert_eq!(
        (newest.len(), count),
        (1, Some(2)),
        "a slice with the count"
    );
    let (msgs, count) = messages_of(call(&alice, history(chat_peer(TESTERS), 10)).await);
    assert_eq!(count, None, "everything fits");
    assert_eq!(text_of(&msgs[0]), "Welcome, everyone.");
    let enums::Message::MessageService(created) = &msgs[1] else {
        panic!("the chat starts with a service message")
    };
    let enums::MessageAction::MessageActionChatCreate(action) = &*created.action else {
        panic!("messageActionChatCreate")
    };
    assert_eq!(action.users, vec![ALICE, BOB, CAROL]);
    assert!(created.out, "alice created it");

    let full = functions::messages::GetFullChat { chat_id: TESTERS }.to_bytes();
    let enums::messages::ChatFull::ChatFull(full) = call(&alice, full).await;
    let enums::ChatFull::ChatFull(inner) = *full.full_chat else {
        panic!("chatFull")
    };
    let enums::ChatParticipants::ChatParticipants(p) = inner.participants else {
        panic!("participants")
    };
    assert_eq!(p.participants.len(), 3);
    assert!(matches!(
        &p.participants[0],
        enums::ChatParticipant::ChatParticipantCreator(c) if c.user_id == ALICE
    ));
    assert_eq!(full.users.len(), 3);

    let get = functions::messages::GetChats {
        id: vec![TESTERS, 4_999_999],
    };
    let enums::messages::Chats::Chats(chats) = call(&alice, get.to_bytes()).await else {
        panic!("messages.chats")
    };
    assert_eq!(chats.chats.len(), 1, "unknown chats are left out");
    for body in [
        history(chat_peer(4_999_999), 10),
        functions::messages::GetFullChat { chat_id: 4_999_999 }.to_bytes(),
        send_text(chat_peer(4_999_999), "x", 1),
    ] {
        assert_eq!(fails(&alice, body).await, (400, "CHAT_ID_INVALID".into()));
    }
    dc.shutdown().await;
}

#[tokio::test]
async fn group_messages_reach_every_member_with_their_own_pts() {
    let dc = start_demo().await;
    let (alice, _a) = alice_live(&dc).await;
    let (_alice2, mut alice2_rx) = alice_live(&dc).await;
    let (bob, mut bob_rx) = bob_live(&dc).await;

    let sent: enums::Updates = call(&alice, send_text(chat_peer(TESTERS), "hi group", 42)).await;
    let enums::Updates::UpdateShortSentMessage(sent) = sent else {
        panic!("updateShortSentMessage, as for private chats")
    };
    // Message 5 and pts 2 are the login code 777000 sent alice for her second sign-in.
    assert_eq!((sent.id, sent.pts, sent.out), (6, 3, true));
    let enums::Updates::UpdateShortChatMessage(short) = next_update(&mut bob_rx).await else {
        panic!("bob gets updateShortChatMessage")
    };
    assert_eq!(
        (short.id, short.from_id, short.chat_id, short.pts, short.out),
        (5, ALICE, TESTERS, 2, false)
    );
    assert_eq!(short.message, "hi group");
    let enums::Updates::Updates(mine) = next_update(&mut alice2_rx).await else {
        panic!("alice's other session gets updates")
    };
    assert!(matches!(
        &mine.updates[..],
        [enums::Update::UpdateNewMessage(n)] if n.pts == 3
    ));

    // bob's reply is unread for alice until she reads the group.
    let reply = send(&bob, chat_peer(TESTERS), "hi alice").await;
    assert_eq!(reply, 6);
    let enums::messages::Dialogs::Dialogs(d) = call(&alice, dialogs()).await else {
        panic!("messages.dialogs")
    };
    let enums::Dialog::Dialog(top) = &d.dialogs[0] else {
        panic!("a dialog")
    };
    assert_eq!(
        (top.top_message, top.unread_count, top.read_inbox_max_id),
        (7, 1, 4),
        "history counts as read; her own message 6 is outgoing"
    );
    let (pts, count) = affected(call(&alice, read(chat_peer(TESTERS), 0)).await);
    assert_eq!((pts, count), (5, 1), "alice: sent 3, bob's reply 4, read 5");
    let enums::Update::UpdateReadHistoryOutbox(out) = next_short(&mut bob_rx).await else {
        panic!("bob sees his message read")
    };
    assert_eq!((out.peer, out.max_id, out.pts), (peer_chat(TESTERS), 6, 4));
    // alice's other session saw bob's reply, then her read.
    let enums::Updates::UpdateShortChatMessage(reply) = next_update(&mut alice2_rx).await else {
        panic!("bob's reply")
    };
    assert_eq!((reply.id, reply.pts), (7, 4));
    let enums::Update::UpdateReadHistoryInbox(inbox) = next_short(&mut alice2_rx).await else {
        panic!("alice's read reaches her other session")
    };
    assert_eq!(
        (
            inbox.peer,
            inbox.max_id,
            inbox.still_unread_count,
            inbox.pts
        ),
        (peer_chat(TESTERS), 7, 0, 5)
    );
    dc.shutdown().await;
}

#[tokio::test]
async fn chats_are_created_joined_and_left_with_service_messages() {
    let dc = start_demo().await;
    let (alice, _a) = alice_live(&dc).await;
    let (bob, mut bob_rx) = bob_live(&dc).await;
    let create = |users: Vec<enums::InputUser>, title: &str| {
        functions::messages::CreateChat {
            users,
            title: title.into(),
            ttl_period: None,
        }
        .to_bytes()
    };
    assert_eq!(
        fails(&alice, create(vec![], "  ")).await,
        (400, "CHAT_TITLE_EMPTY".into())
    );
    // carol is unmet: her hash is not accepted yet.
    assert_eq!(
        fails(&alice, create(vec![unmet_user(&dc, ALICE, CAROL)], "x")).await,
        (400, "USER_ID_INVALID".into())
    );
    // bob is alice's contact: her client meets him there.
    alice.account.meet_contacts().await;
    let enums::messages::InvitedUsers::InvitedUsers(inv) =
        call(&alice, create(vec![alice.user(BOB)], "Plans")).await;
    let enums::Updates::Updates(u) = *inv.updates else {
        panic!("updates")
    };
    let [enums::Chat::Chat(chat)] = &u.chats[..] else {
        panic!("the new chat")
    };
    let new_chat = chat.id;
    assert_eq!((new_chat, chat.participants_count), (4_000_002, 2));
    assert!(matches!(
        &u.updates[..],
        [enums::Update::UpdateNewMessage(n)] if matches!(&*n.message,
            enums::Message::MessageService(s) if matches!(&*s.action,
                enums::MessageAction::MessageActionChatCreate(a) if a.title == "Plans"))
    ));
    let enums::Updates::Updates(pushed) = next_update(&mut bob_rx).await else {
        panic!("bob is told with the chat attached")
    };
    assert!(matches!(&pushed.chats[..], [enums::Chat::Chat(c)] if c.id == new_chat && !c.creator));

    // Seeing the demo group's participants, alice meets carol.
    let _: enums::messages::ChatFull = alice
        .account
        .call(&functions::messages::GetFullChat { chat_id: TESTERS })
        .await;
    let carol = || alice.user(CAROL);
    let add = |user: enums::InputUser| {
        functions::messages::AddChatUser {
            chat_id: new_chat,
            user_id: user,
            fwd_limit: 10,
        }
        .to_bytes()
    };
    send(&alice, chat_peer(new_chat), "before carol").await;
    assert!(matches!(
        next_update(&mut bob_rx).await,
        enums::Updates::UpdateShortChatMessage(m) if m.message == "before carol"
    ));
    alice.invoke_raw(add(carol())).await.expect("carol added");
    // carol gets the last messages (fwd_limit) as history, then the service message.
    let carols: Vec<(String, bool)> = dc
        .state()
        .mailboxes()
        .get(CAROL)
        .expect("carol's box")
        .messages
        .iter()
        .filter(|m| m.peer == localdc::mailbox::Peer::Chat(new_chat))
        .map(|m| (m.text.clone(), m.action.is_some()))
        .collect();
    assert_eq!(
        carols,
        vec![("before carol".to_owned(), false), (String::new(), true)]
    );
    let enums::Updates::Updates(added) = next_update(&mut bob_rx).await else {
        panic!("bob sees carol join")
    };
    assert!(matches!(
        &added.updates[..],
        [enums::Update::UpdateNewMessage(n)] if matches!(&*n.message,
            enums::Message::MessageService(s) if matches!(&*s.action,
                enums::MessageAction::MessageActionChatAddUser(a) if a.users == vec![CAROL]))
    ));
    assert_eq!(
        fails(&alice, add(carol())).await,
        (400, "USER_ALREADY_PARTICIPANT".into())
    );
    let remove = |user: enums::InputUser| {
        functions::messages::DeleteChatUser {
            revoke_history: false,
            chat_id: new_chat,
            user_id: user,
        }
        .to_bytes()
    };
    // bob did not add carol and is not the creator.
    let _: enums::messages::ChatFull = bob
        .account
        .call(&functions::messages::GetFullChat { chat_id: new_chat })
        .await;
    assert_eq!(
        fails(&bob, remove(bob.user(CAROL))).await,
        (400, "CHAT_ADMIN_REQUIRED".into())
    );
    alice
        .invoke_raw(remove(carol()))
        .await
        .expect("carol removed");
    assert_eq!(
        fails(&alice, remove(carol())).await,
        (400, "USER_NOT_PARTICIPANT".into())
    );

    // bob leaves: he keeps the history but cannot write, until he rejoins.
    bob.invoke_raw(remove(enums::InputUser::InputUserSelf))
        .await
        .expect("bob leaves");
    assert_eq!(
        fails(&bob, send_text(chat_peer(new_chat), "still here?", 3)).await,
        (403, "CHAT_WRITE_FORBIDDEN".into())
    );
    let get = functions::messages::GetChats { id: vec![new_chat] }.to_bytes();
    let enums::messages::Chats::Chats(c) = call(&bob, get).await else {
        panic!("messages.chats")
    };
    assert!(matches!(&c.chats[..], [enums::Chat::Chat(c)] if c.left && c.participants_count == 1));
    let (msgs, _) = messages_of(call(&bob, history(chat_peer(new_chat), 10)).await);
    assert_eq!(
        msgs.len(),
        5,
        "create, alice's message, add carol, remove carol, bob left"
    );
    bob.invoke_raw(
        functions::messages::AddChatUser {
            chat_id: new_chat,
            user_id: enums::InputUser::InputUserSelf,
            fwd_limit: 0,
        }
        .to_bytes(),
    )
    .await
    .expect("bob rejoins");
    send(&bob, chat_peer(new_chat), "back").await;
    // Leaving with revoke_history also clears the chat from bob's box.
    bob.invoke_raw(
        functions::messages::DeleteChatUser {
            revoke_history: true,
            chat_id: new_chat,
            user_id: enums::InputUser::InputUserSelf,
        }
        .to_bytes(),
    )
    .await
    .expect("bob leaves for good");
    let (msgs, _) = messages_of(call(&bob, history(chat_peer(new_chat), 10)).await);
    assert!(msgs.is_empty(), "{msgs:?}");
    let enums::messages::Dialogs::Dialogs(d) = call(&bob, dialogs()).await else {
        panic!("messages.dialogs")
    };
    assert!(d
        .chats
        .iter()
        .all(|c| !matches!(c, enums::Chat::Chat(c) if c.id == new_chat)));

    // A chat bob was never in.
    let enums::messages::InvitedUsers::InvitedUsers(solo) =
        call(&alice, create(vec![], "Solo")).await;
    let enums::Updates::Updates(solo) = *solo.updates else {
        panic!("updates")
    };
    let solo_id = match &solo.chats[..] {
        [enums::Chat::Chat(c)] => c.id,
        other => panic!("one chat: {other:?}"),
    };
    assert_eq!(
        fails(&bob, history(chat_peer(solo_id), 5)).await,
        (400, "CHAT_ID_INVALID".into())
    );
    dc.shutdown().await;
}

#[tokio::test]
async fn a_sender_not_yet_met_comes_with_its_user_object() {
    let world = localdc::world::World::parse(
        "[[account]]\nname = \"alice\"\nphone = \"9996621234\"\nfirst_name = \"Alice\"\n\
         [[account]]\nname = \"bob\"\nphone = \"9996641111\"\nfirst_name = \"Bob\"\n\
         [[group]]\ntitle = \"Only here\"\ncreator = \"alice\"\nmembers = [\"alice\", \"bob\"]\n",
        "met.toml",
    )
    .expect("a valid world");
    let dc = LocalDc::start(localdc::Config {
        world,
        rsa_key: Some(test_key()),
        seed: Some(7),
        ..localdc::Config::default()
    })
    .await
    .expect("localdc starts");
    let (alice, _a) = alice_live(&dc).await;
    let (bob, mut bob_rx) = bob_live(&dc).await;
    // bob shares only the group with alice and has not been shown her yet.
    assert_eq!(
        fails(&bob, send_text(unmet_user_peer(&dc, BOB, ALICE), "hi", 1)).await,
        (400, "PEER_ID_INVALID".into())
    );
    send(&alice, chat_peer(TESTERS), "first").await;
    let enums::Updates::Updates(u) = next_update(&mut bob_rx).await else {
        panic!("updates carrying alice's user object")
    };
    // bob meets alice from the message: the update carries her for him.
    let alice_for_bob = u
        .users
        .iter()
        .find_map(|u| match u {
            enums::User::User(u) if u.id == ALICE => u.access_hash,
            _ => None,
        })
        .expect("alice's user object with her access hash");
    let to_alice = enums::InputPeer::InputPeerUser(types::InputPeerUser {
        user_id: ALICE,
        access_hash: alice_for_bob,
    });
    assert!(matches!(&u.chats[..], [enums::Chat::Chat(c)] if c.id == TESTERS));
    send(&alice, chat_peer(TESTERS), "second").await;
    assert!(matches!(
        next_update(&mut bob_rx).await,
        enums::Updates::UpdateShortChatMessage(m) if m.message == "second"
    ));
    send(&bob, to_alice, "now we have met").await;
    dc.shutdown().await;
}
