//! Writing through hearth-client's message layer against localdc, seen by
//! the other account live through the event layer, in order: send with
//! entities, reply, edit, delete for me and for everyone, forward; read
//! marks both ways (private chats and a supergroup); and a gap while
//! offline, recovered after reconnecting, nothing twice.

mod common;

use std::time::Duration;

use common::*;
use hearth_client::{
    Client, Entity, EntityKind, MessageEvent, Messages, OutgoingMessage, PeerId, SessionStorage,
};

/// The next event of `m` within 10 s.
async fn next(m: &Messages) -> MessageEvent {
    tokio::time::timeout(Duration::from_secs(10), m.next_event())
        .await
        .expect("an event within 10 s")
        .expect("the client runs")
}

/// Every event of `m` until `quiet` passes without one.
async fn drain(m: &Messages, quiet: Duration) -> Vec<MessageEvent> {
    let mut out = Vec::new();
    while let Ok(e) = tokio::time::timeout(quiet, m.next_event()).await {
        out.push(e.expect("the client runs"));
    }
    out
}

fn new_text(e: &MessageEvent) -> Option<&str> {
    match e {
        MessageEvent::New(m) => Some(&m.text),
        _ => None,
    }
}

async fn state_saved(storage: &dyn SessionStorage) {
    eventually("the update state saved", || {
        storage.load().unwrap().update_state.is_some()
    })
    .await;
}

fn user(c: &Client) -> PeerId {
    PeerId::User(c.me().unwrap().user_id)
}

#[tokio::test]
async fn send_reply_edit_delete_forward_arrive_live_in_order() {
    let dc = start_demo().await;
    let (alice, a_store) = signed_in(&dc, ALICE).await;
    let (bob, b_store) = signed_in(&dc, BOB).await;
    state_saved(&*a_store).await;
    state_saved(&*b_store).await;
    let bob_peer = alice.resolve_username("bob_builder").await.unwrap().id;
    let (am, bm) = (alice.messages(), bob.messages());

    let first = am
        .send(bob_peer, OutgoingMessage::markup("**hi** 😀 __bob__"))
        .await
        .unwrap();
    assert_eq!(first.text, "hi 😀 bob");
    assert!(first.out);
    let reply = am
        .send(
            bob_peer,
            OutgoingMessage::plain("a reply").reply_to(first.id),
        )
        .await
        .unwrap();
    assert_eq!(reply.reply_to, Some(first.id));
    let edited = am
        .edit(bob_peer, first.id, OutgoingMessage::markup("**hello** 😀"))
        .await
        .unwrap();
    assert_eq!((edited.text.as_str(), edited.id), ("hello 😀", first.id));
    assert!(edited.edit_date.is_some());
    let forwarded = am.forward(bob_peer, &[first.id], bob_peer).await.unwrap();
    assert_eq!(forwarded.len(), 1);
    assert_eq!(forwarded[0].text, "hello 😀");
    let fwd = forwarded[0].forwarded.as_ref().expect("a forward header");
    assert_eq!(fwd.from, Some(user(&alice)));
    am.delete(bob_peer, &[reply.id], true).await.unwrap();
    let kept = am
        .send(bob_peer, OutgoingMessage::plain("kept"))
        .await
        .unwrap();
    am.delete(bob_peer, &[kept.id], false).await.unwrap();
    am.send(bob_peer, OutgoingMessage::plain("end"))
        .await
        .unwrap();

    // Bob sees all of it, in order, with his own ids.
    let MessageEvent::New(b_first) = next(&bm).await else {
        panic!("the first message first")
    };
    assert_eq!(b_first.text, "hi 😀 bob");
    assert!(!b_first.out);
    assert_eq!(b_first.chat, user(&alice));
    assert_eq!(b_first.sender, Some(user(&alice)));
    let bold = |offset, length| Entity {
        offset,
        length,
        kind: EntityKind::Bold,
    };
    assert_eq!(
        b_first.entities,
        [
            bold(0, 2),
            Entity {
                offset: 6,
                length: 3,
                kind: EntityKind::Italic
            }
        ],
        "UTF-16 offsets past the emoji"
    );
    let MessageEvent::New(b_reply) = next(&bm).await else {
        panic!("the reply")
    };
    assert_eq!(b_reply.reply_to, Some(b_first.id), "Bob's id of the first");
    let MessageEvent::Edited(b_edit) = next(&bm).await else {
        panic!("the edit")
    };
    assert_eq!((b_edit.id, b_edit.text.as_str()), (b_first.id, "hello 😀"));
    assert_eq!(b_edit.entities, [bold(0, 5)]);
    let MessageEvent::New(b_fwd) = next(&bm).await else {
        panic!("the forward")
    };
    assert_eq!(b_fwd.text, "hello 😀");
    assert_eq!(b_fwd.forwarded.as_ref().unwrap().from, Some(user(&alice)));
    assert_eq!(
        next(&bm).await,
        MessageEvent::Deleted {
            channel: None,
            ids: vec![b_reply.id]
        },
        "revoked for everyone"
    );
    let rest = drain(&bm, Duration::from_secs(1)).await;
    let texts: Vec<&str> = rest.iter().filter_map(new_text).collect();
    assert_eq!(texts, ["kept", "end"]);
    assert!(
        rest.iter()
            .all(|e| !matches!(e, MessageEvent::Deleted { .. })),
        "deleted for Alice only: {rest:?}"
    );
    let b_kept = match &rest[0] {
        MessageEvent::New(m) => m.id,
        other => panic!("{other:?}"),
    };
    let alice_peer = user(&alice);
    assert!(bm.get(alice_peer, &[b_kept]).await.unwrap()[0].is_some());
    assert!(am.get(bob_peer, &[kept.id]).await.unwrap()[0].is_none());
    assert!(bm.get(alice_peer, &[b_reply.id]).await.unwrap()[0].is_none());
    alice.shutdown();
    bob.shutdown();
    dc.shutdown().await;
}

#[tokio::test]
async fn read_marks_travel_both_ways() {
    let dc = start_demo().await;
    let (alice, a_store) = signed_in(&dc, ALICE).await;
    let (alice2, a2_store) = signed_in(&dc, ALICE).await;
    let (bob, b_store) = signed_in(&dc, BOB).await;
    for s in [&a_store, &a2_store, &b_store] {
        state_saved(&**s).await;
    }
    let (am, a2m, bm) = (alice.messages(), alice2.messages(), bob.messages());
    let bob_peer = alice.resolve_username("bob_builder").await.unwrap().id;
    let alice_peer = bob.resolve_username("alice").await.unwrap().id;

    // Bob writes, Alice reads: Bob sees his outbox read, Alice's other
    // session her inbox read.
    let mut last = 0;
    for t in ["r1", "r2", "r3"] {
        last = bm
            .send(alice_peer, OutgoingMessage::plain(t))
            .await
            .unwrap()
            .id;
    }
    let news = drain(&am, Duration::from_millis(500)).await;
    let alice_last = match news.last() {
        Some(MessageEvent::New(m)) => m.id,
        other => panic!("{other:?}"),
    };
    am.read(bob_peer, 0).await.unwrap();
    let bob_events = drain(&bm, Duration::from_secs(1)).await;
    assert_eq!(
        bob_events.last(),
        Some(&MessageEvent::ReadOutbox {
            chat: alice_peer,
            max_id: last
        })
    );
    let other_session = drain(&a2m, Duration::from_secs(1)).await;
    assert_eq!(
        other_session.last(),
        Some(&MessageEvent::ReadInbox {
            chat: bob_peer,
            max_id: alice_last,
            still_unread: 0
        }),
        "{other_session:?}"
    );

    // Alice posts in the supergroup, Bob reads it there (channels.readHistory).
    let lounge = bob
        .messages()
        .dialogs(100)
        .all()
        .await
        .unwrap()
        .into_iter()
        .find(|d| d.title == "Hearth lounge")
        .unwrap()
        .peer;
    alice.messages().dialogs(100).all().await.unwrap();
    let post = am
        .send(lounge, OutgoingMessage::plain("read me"))
        .await
        .unwrap();
    assert!(matches!(post.chat, PeerId::Channel(_)));
    let seen = drain(&bm, Duration::from_millis(500)).await;
    assert_eq!(
        seen.iter().filter_map(new_text).collect::<Vec<_>>(),
        ["read me"]
    );
    drain(&am, Duration::from_millis(300)).await;
    bm.read(lounge, post.id).await.unwrap();
    let alice_events = drain(&am, Duration::from_secs(1)).await;
    assert!(
        alice_events.contains(&MessageEvent::ReadOutbox {
            chat: lounge,
            max_id: post.id
        }),
        "{alice_events:?}"
    );
    let lounge_dialog = bm
        .dialogs(100)
        .all()
        .await
        .unwrap()
        .into_iter()
        .find(|d| d.peer == lounge)
        .unwrap();
    assert_eq!(lounge_dialog.unread_count, 0);
    assert_eq!(lounge_dialog.read_inbox_max_id, post.id);
    for c in [alice, alice2, bob] {
        c.shutdown();
    }
    dc.shutdown().await;
}

#[tokio::test]
async fn changes_while_offline_arrive_as_events_after_reconnecting_once() {
    let dc = start_demo().await;
    let (alice, storage) = signed_in(&dc, ALICE).await;
    let (bob, _) = signed_in(&dc, BOB).await;
    state_saved(&*storage).await;
    let alice_peer = bob.resolve_username("alice").await.unwrap().id;
    let bm = bob.messages();
    let seen = bm
        .send(alice_peer, OutgoingMessage::plain("before"))
        .await
        .unwrap();
    assert_eq!(new_text(&next(&alice.messages()).await), Some("before"));
    alice.shutdown();
    alice.closed().await;

    for t in ["o1", "o2", "o3"] {
        bm.send(alice_peer, OutgoingMessage::plain(t))
            .await
            .unwrap();
    }
    bm.edit(
        alice_peer,
        seen.id,
        OutgoingMessage::plain("before, edited"),
    )
    .await
    .unwrap();
    let again = connect(&dc, storage.clone()).await;
    let events = drain(&again.messages(), Duration::from_secs(2)).await;
    let texts: Vec<&str> = events.iter().filter_map(new_text).collect();
    assert_eq!(texts, ["o1", "o2", "o3"], "in order, once: {events:?}");
    let edits: Vec<&str> = events
        .iter()
        .filter_map(|e| match e {
            MessageEvent::Edited(m) => Some(m.text.as_str()),
            _ => None,
        })
        .collect();
    assert_eq!(edits, ["before, edited"]);
    again.shutdown();
    again.closed().await;

    let third = connect(&dc, storage.clone()).await;
    let tm = third.messages();
    assert!(
        drain(&tm, Duration::from_secs(1)).await.is_empty(),
        "nothing twice"
    );
    bm.send(alice_peer, OutgoingMessage::plain("live again"))
        .await
        .unwrap();
    assert_eq!(new_text(&next(&tm).await), Some("live again"));
    third.shutdown();
    bob.shutdown();
    dc.shutdown().await;
}
