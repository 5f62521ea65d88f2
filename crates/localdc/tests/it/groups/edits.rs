//! Edits, deletions and read marks: pushed live with consecutive `pts`,
//! replayed by `updates.getDifference`, with Telegram's errors.

use super::*;

fn dialog_with(d: &enums::messages::Dialogs, peer: &enums::Peer) -> types::Dialog {
    let enums::messages::Dialogs::Dialogs(d) = d else {
        panic!("messages.dialogs")
    };
    d.dialogs
        .iter()
        .find_map(|x| match x {
            enums::Dialog::Dialog(x) if &x.peer == peer => Some(x.clone()),
            _ => None,
        })
        .expect("the dialog is listed")
}

#[tokio::test]
async fn edits_deletions_and_reads_are_pushed_with_consecutive_pts() {
    let dc = start_demo().await;
    let (alice, mut alice_rx) = alice_live(&dc).await;
    let (bob, mut bob_rx) = bob_live(&dc).await;
    // They share a private chat; their clients meet each other by username.
    alice.account.resolve("bob_builder").await;
    bob.account.resolve("alice").await;
    let to_bob = || alice.user_peer(BOB);
    let to_alice = || bob.user_peer(ALICE);

    let id = send(&alice, to_bob(), "one").await;
    let enums::Updates::UpdateShortMessage(m) = next_update(&mut bob_rx).await else {
        panic!("updateShortMessage")
    };
    let bobs = m.id;
    assert_eq!(
        (id, bobs, m.pts),
        (5, 5, 2),
        "both boxes hold the group's history"
    );

    for (body, error) in [
        (edit(to_bob(), 999, "x"), (400, "MESSAGE_ID_INVALID")),
        (
            edit(chat_peer(TESTERS), id, "x"),
            (400, "MESSAGE_ID_INVALID"),
        ),
        (edit(to_bob(), id, "one"), (400, "MESSAGE_NOT_MODIFIED")),
        (edit(to_bob(), id, " "), (400, "MESSAGE_EMPTY")),
        (
            edit(to_bob(), 2, "not mine"),
            (403, "MESSAGE_AUTHOR_REQUIRED"),
        ),
    ] {
        assert_eq!(fails(&alice, body).await, (error.0, error.1.to_string()));
    }

    let enums::Updates::Updates(u) = call(&alice, edit(to_bob(), id, "one, edited")).await else {
        panic!("updates")
    };
    let [enums::Update::UpdateEditMessage(e)] = &u.updates[..] else {
        panic!("updateEditMessage")
    };
    let enums::Message::Message(em) = &*e.message else {
        panic!("a message")
    };
    assert_eq!((em.id, e.pts, em.message.as_str()), (id, 3, "one, edited"));
    assert!(em.edit_date.is_some());
    let enums::Updates::Updates(u) = next_update(&mut bob_rx).await else {
        panic!("bob gets the edit")
    };
    let [enums::Update::UpdateEditMessage(e)] = &u.updates[..] else {
        panic!("updateEditMessage")
    };
    assert_eq!((e.pts, text_of(&e.message)), (3, "one, edited"));

    let before = dialog_with(&call(&bob, dialogs()).await, &peer_user(ALICE));
    assert_eq!((before.unread_count, before.read_inbox_max_id), (1, 2));
    assert_eq!(affected(call(&bob, read(to_alice(), 0)).await), (4, 1));
    let enums::Update::UpdateReadHistoryOutbox(out) = next_short(&mut alice_rx).await else {
        panic!("alice sees bob read")
    };
    assert_eq!(
        (out.peer.clone(), out.max_id, out.pts),
        (peer_user(BOB), id, 4)
    );
    let after = dialog_with(&call(&bob, dialogs()).await, &peer_user(ALICE));
    assert_eq!((after.unread_count, after.read_inbox_max_id), (0, bobs));
    let mine = dialog_with(&call(&alice, dialogs()).await, &peer_user(BOB));
    assert_eq!(mine.read_outbox_max_id, id);
    assert_eq!(
        affected(call(&bob, read(to_alice(), 0)).await),
        (4, 0),
        "nothing new to read"
    );

    assert_eq!(affected(call(&alice, delete(vec![id], true)).await), (5, 1));
    let enums::Update::UpdateDeleteMessages(gone) = next_short(&mut bob_rx).await else {
        panic!("bob's copy is deleted")
    };
    assert_eq!(
        (gone.messages.clone(), gone.pts, gone.pts_count),
        (vec![bobs], 5, 1)
    );
    assert_eq!(
        affected(call(&alice, delete(vec![id, 777], true)).await),
        (5, 0)
    );

    // Without revoke only the caller's copy goes.
    assert_eq!(affected(call(&bob, delete(vec![1], false)).await), (6, 1));
    let get = functions::messages::GetMessages {
        id: vec![enums::InputMessage::InputMessageId(types::InputMessageId {
            id: 1,
        })],
    };
    let (still, _) = messages_of(call(&alice, get.to_bytes()).await);
    assert_eq!(text_of(&still[0]), "Hi Bob!");
    dc.shutdown().await;
}

#[tokio::test]
async fn get_difference_replays_every_change_in_pts_order() {
    let dc = start_demo().await;
    let (alice, _alice_rx) = alice_live(&dc).await;
    // bob reads no pushes: a wire session that drops them.
    let bob = Account::sign_in(&dc, BOB_PHONE).await.wire().await;
    alice.account.resolve("bob_builder").await;
    bob.account.resolve("alice").await;
    let to_bob = || alice.user_peer(BOB);
    let b1 = send(&bob, bob.user_peer(ALICE), "b1").await;
    let get_state = 0xedd4882au32.to_le_bytes().to_vec();
    let from = pts_of_state(&bob.invoke_raw(get_state).await.unwrap());
    assert_eq!(from, 2);

    // bob is offline for all of this.
    let a1 = send(&alice, to_bob(), "a1").await;
    let a2 = send(&alice, to_bob(), "a2").await;
    alice
        .invoke_raw(edit(to_bob(), a1, "a1 edited"))
        .await
        .unwrap();
    alice.invoke_raw(read(to_bob(), 0)).await.unwrap();
    alice.invoke_raw(delete(vec![a2], true)).await.unwrap();

    let diff = |pts: i32| {
        functions::updates::GetDifference {
            pts,
            pts_limit: None,
            pts_total_limit: None,
            date: 0,
            qts: 0,
            qts_limit: None,
        }
        .to_bytes()
    };
    let enums::updates::Difference::Difference(d) = call(&bob, diff(from)).await else {
        panic!("updates.difference")
    };
    let texts: Vec<&str> = d.new_messages.iter().map(text_of).collect();
    assert_eq!(texts, vec!["a1 edited"], "a2 was deleted");
    let pts: Vec<(i32, &str)> = d
        .other_updates
        .iter()
        .map(|u| match u {
            enums::Update::UpdateEditMessage(e) => (e.pts, "edit"),
            enums::Update::UpdateReadHistoryOutbox(r) => {
                assert_eq!((r.max_id, r.peer.clone()), (b1, peer_user(ALICE)));
                (r.pts, "read outbox")
            }
            enums::Update::UpdateDeleteMessages(r) => (r.pts, "delete"),
            other => panic!("unexpected {other:?}"),
        })
        .collect();
    assert_eq!(pts, vec![(5, "edit"), (6, "read outbox"), (7, "delete")]);
    let enums::updates::State::State(state) = d.state;
    assert_eq!((state.pts, state.unread_count), (7, 1));
    assert!(d
        .users
        .iter()
        .any(|u| matches!(u, enums::User::User(u) if u.id == ALICE)));

    // alice's own box replays her read of bob's message as an inbox mark.
    let enums::updates::Difference::Difference(d) = call(&alice, diff(1)).await else {
        panic!("updates.difference")
    };
    let kinds: Vec<i32> = d
        .other_updates
        .iter()
        .map(|u| match u {
            enums::Update::UpdateEditMessage(e) => e.pts,
            enums::Update::UpdateReadHistoryInbox(r) => {
                assert_eq!((r.still_unread_count, r.peer.clone()), (0, peer_user(BOB)));
                r.pts
            }
            enums::Update::UpdateDeleteMessages(r) => r.pts,
            other => panic!("unexpected {other:?}"),
        })
        .collect();
    assert_eq!(kinds, vec![5, 6, 7]);
    // Slices: two events per answer, continued from the intermediate state.
    let limited = |pts: i32, pts_limit: Option<i32>, pts_total_limit: Option<i32>| {
        functions::updates::GetDifference {
            pts,
            pts_limit,
            pts_total_limit,
            date: 0,
            qts: 0,
            qts_limit: None,
        }
        .to_bytes()
    };
    let enums::updates::Difference::DifferenceSlice(s) =
        call(&bob, limited(from, Some(2), None)).await
    else {
        panic!("updates.differenceSlice")
    };
    let enums::updates::State::State(mid) = s.intermediate_state;
    assert_eq!(
        (mid.pts, s.new_messages.len(), s.other_updates.len()),
        (4, 1, 0)
    );
    let enums::updates::Difference::DifferenceSlice(s) =
        call(&bob, limited(4, Some(2), None)).await
    else {
        panic!("updates.differenceSlice")
    };
    let enums::updates::State::State(mid) = s.intermediate_state;
    assert_eq!((mid.pts, s.other_updates.len()), (6, 2));
    let enums::updates::Difference::Difference(last) = call(&bob, limited(6, Some(2), None)).await
    else {
        panic!("the last part is a whole updates.difference")
    };
    assert_eq!(last.other_updates.len(), 1);
    let enums::updates::Difference::DifferenceTooLong(long) =
        call(&bob, limited(from, None, Some(3))).await
    else {
        panic!("updates.differenceTooLong")
    };
    assert_eq!(long.pts, 7);
    let empty = bob.invoke_raw(diff(7)).await.unwrap();
    assert!(matches!(
        enums::updates::Difference::from_bytes(&empty).unwrap(),
        enums::updates::Difference::DifferenceEmpty(_)
    ));
    dc.shutdown().await;
}

#[tokio::test]
async fn group_edits_and_deletions_reach_every_members_copy() {
    let dc = start_demo().await;
    let (alice, _alice_rx) = alice_live(&dc).await;
    let (bob, mut bob_rx) = bob_live(&dc).await;
    let group = || chat_peer(TESTERS);
    let id = send(&alice, group(), "draft").await;
    let enums::Updates::UpdateShortChatMessage(m) = next_update(&mut bob_rx).await else {
        panic!("updateShortChatMessage")
    };
    let bobs = m.id;
    assert_eq!(
        fails(&bob, edit(group(), bobs, "hijack")).await,
        (403, "MESSAGE_AUTHOR_REQUIRED".into())
    );
    alice.invoke_raw(edit(group(), id, "final")).await.unwrap();
    let enums::Updates::Updates(u) = next_update(&mut bob_rx).await else {
        panic!("bob gets the edit")
    };
    let [enums::Update::UpdateEditMessage(e)] = &u.updates[..] else {
        panic!("updateEditMessage")
    };
    let enums::Message::Message(em) = &*e.message else {
        panic!("a message")
    };
    assert_eq!(
        (em.id, em.peer_id.clone(), e.pts, em.message.as_str()),
        (bobs, peer_chat(TESTERS), 3, "final")
    );
    assert!(matches!(&u.chats[..], [enums::Chat::Chat(c)] if c.id == TESTERS));
    let carol_copy = || {
        let boxes = dc.state().mailboxes();
        let carol = boxes.get(CAROL).expect("carol's box");
        (carol.pts, carol.messages.last().map(|m| m.text.clone()))
    };
    assert_eq!(carol_copy(), (3, Some("final".into())), "offline carol too");

    // bob may not revoke alice's message: only his copy goes.
    assert_eq!(affected(call(&bob, delete(vec![bobs], true)).await), (4, 1));
    assert!(dc
        .state()
        .mailboxes()
        .get(ALICE)
        .unwrap()
        .message(id)
        .is_some());
    // alice, its author, revokes it from every box left.
    assert_eq!(affected(call(&alice, delete(vec![id], true)).await), (4, 1));
    assert_eq!(
        carol_copy(),
        (4, Some("Welcome, everyone.".into())),
        "carol's copy deleted with one pts"
    );
    dc.shutdown().await;
}
