//! `messages.forwardMessages`, `messages.toggleDialogPin`, and what a box
//! message carries besides its text (reply, entities, mentions), with the
//! pushes other sessions and members receive. Accounts sign in through
//! hearth-client and meet their peers through it; the requests under test
//! go on wire sessions of their keys, which also receive the pushes.

use crate::common::account::*;
use crate::common::engine::*;
use crate::common::*;
use hearth_tl::{enums, functions, types, Deserializable};

const ALICE: i64 = 1_000_001;
const BOB: i64 = 1_000_002;
/// The demo world's "Hearth testers" group (alice, bob, carol).
const TESTERS: i64 = 4_000_001;

type Rx = tokio::sync::mpsc::Receiver<hearth_sender::sender::UpdateEvent>;

/// The next pushed `Updates` object, skipping new-session notices.
async fn next_update(rx: &mut Rx) -> enums::Updates {
    loop {
        let event = tokio::time::timeout(std::time::Duration::from_secs(10), rx.recv())
            .await
            .expect("an update within 10 s")
            .expect("the sender is alive");
        if let hearth_sender::sender::UpdateEvent::Update(body) = event {
            return enums::Updates::from_bytes(&body).expect("an Updates object");
        }
    }
}

fn chat_peer(chat_id: i64) -> enums::InputPeer {
    enums::InputPeer::InputPeerChat(types::InputPeerChat { chat_id })
}

fn forward(
    from_peer: enums::InputPeer,
    id: Vec<i32>,
    random_id: Vec<i64>,
    to_peer: enums::InputPeer,
) -> functions::messages::ForwardMessages {
    functions::messages::ForwardMessages {
        silent: false,
        background: false,
        with_my_score: false,
        drop_author: false,
        drop_media_captions: false,
        noforwards: false,
        allow_paid_floodskip: false,
        from_ephemeral: false,
        from_peer,
        id,
        random_id,
        to_peer,
        top_msg_id: None,
        reply_to: None,
        schedule_date: None,
        schedule_repeat_period: None,
        send_as: None,
        quick_reply_shortcut: None,
        effect: None,
        video_timestamp: None,
        allow_paid_stars: None,
        suggested_post: None,
    }
}

fn new_message(u: &enums::Update) -> &types::Message {
    let enums::Update::UpdateNewMessage(u) = u else {
        panic!("updateNewMessage: {u:?}")
    };
    let enums::Message::Message(m) = &*u.message else {
        panic!("a message")
    };
    m
}

fn fwd_author(m: &types::Message) -> Option<enums::Peer> {
    let enums::MessageFwdHeader::MessageFwdHeader(h) = m.fwd_from.as_deref()?;
    h.from_id.clone()
}

fn bob_peer() -> enums::Peer {
    enums::Peer::PeerUser(types::PeerUser { user_id: BOB })
}

#[tokio::test]
async fn forwarded_messages_reach_every_member_with_their_origin() {
    let dc = start_demo().await;
    let (alice, _alice_rx) = Account::sign_in(&dc, ALICE_PHONE).await.listen().await;
    let (_bob, mut bob_rx) = Account::sign_in(&dc, BOB_PHONE).await.listen().await;
    alice.account.meet_dialogs().await;
    // Alice's box: 1 "Hi Bob!", 2 Bob's "Hello Alice." with notes.txt.
    let from = alice.user_peer(BOB);
    let answer = alice
        .sender
        .invoke(&forward(
            from.clone(),
            vec![2, 1],
            vec![11, 12],
            chat_peer(TESTERS),
        ))
        .await
        .expect("forwarded");
    let enums::Updates::Updates(u) = answer else {
        panic!("updates")
    };
    let ids: Vec<(i64, i32)> = u.updates[..2]
        .iter()
        .map(|x| match x {
            enums::Update::UpdateMessageId(m) => (m.random_id, m.id),
            other => panic!("updateMessageID first: {other:?}"),
        })
        .collect();
    assert_eq!(ids[0].0, 11);
    assert_eq!(ids[1], (12, ids[0].1 + 1));
    let (first, second) = (new_message(&u.updates[2]), new_message(&u.updates[3]));
    assert_eq!(
        (first.id, first.message.as_str()),
        (ids[0].1, "Hello Alice.")
    );
    assert!(first.out);
    assert!(first.media.is_some(), "the document goes along");
    assert_eq!(fwd_author(first), Some(bob_peer()));
    assert_eq!(second.message, "Hi Bob!");
    assert_eq!(
        fwd_author(second),
        Some(enums::Peer::PeerUser(types::PeerUser { user_id: ALICE }))
    );

    // Bob, a member, gets both in the group with his own ids.
    let mut pushed = Vec::new();
    while pushed.len() < 2 {
        let enums::Updates::Updates(u) = next_update(&mut bob_rx).await else {
            continue;
        };
        pushed.extend(u.updates.iter().map(|x| new_message(x).clone()));
    }
    assert_eq!(pushed[0].message, "Hello Alice.");
    assert_eq!(
        pushed[0].peer_id,
        enums::Peer::PeerChat(types::PeerChat { chat_id: TESTERS })
    );
    assert!(!pushed[0].out);
    assert_eq!(fwd_author(&pushed[0]), Some(bob_peer()));

    // A random_id is used once; refused sources and ids.
    let again = forward(from.clone(), vec![2], vec![11], chat_peer(TESTERS));
    let e = rpc_err(alice.sender.invoke(&again).await.unwrap_err());
    assert_eq!(e, (500, "RANDOM_ID_DUPLICATE".into()));
    let missing = forward(from.clone(), vec![999], vec![13], chat_peer(TESTERS));
    let e = rpc_err(alice.sender.invoke(&missing).await.unwrap_err());
    assert_eq!(e.1, "MESSAGE_ID_INVALID");
    let uneven = forward(from, vec![1, 2], vec![14], chat_peer(TESTERS));
    let e = rpc_err(alice.sender.invoke(&uneven).await.unwrap_err());
    assert_eq!(e.1, "RANDOM_ID_INVALID");
    dc.shutdown().await;
}

#[tokio::test]
async fn replies_mentions_and_pins_show_in_dialogs_and_history() {
    let dc = start_demo().await;
    let alice = Account::sign_in(&dc, ALICE_PHONE).await;
    let (alice_wire, mut alice_rx) = alice.listen().await;
    let (bob, _bob_rx) = Account::sign_in(&dc, BOB_PHONE).await.listen().await;
    alice.meet_dialogs().await;
    bob.account.meet_dialogs().await;

    // Bob replies to Carol's welcome (4 in his box) naming Alice by id.
    let mut req = send_text_request(chat_peer(TESTERS), "Alice, look", 21);
    req.reply_to = Some(enums::InputReplyTo::InputReplyToMessage(
        types::InputReplyToMessage {
            reply_to_msg_id: 4,
            top_msg_id: None,
            reply_to_peer_id: None,
            quote_text: None,
            quote_entities: None,
            quote_offset: None,
            monoforum_peer_id: None,
            todo_item_id: None,
            poll_option: None,
        },
    ));
    req.entities = Some(vec![enums::MessageEntity::InputMessageEntityMentionName(
        types::InputMessageEntityMentionName {
            offset: 0,
            length: 5,
            user_id: bob.user(ALICE),
        },
    )]);
    bob.sender.invoke(&req).await.expect("sent");

    let enums::messages::Dialogs::Dialogs(d) = alice.call(&dialogs_request(20)).await else {
        panic!("all dialogs")
    };
    let testers = d
        .dialogs
        .iter()
        .find_map(|x| match x {
            enums::Dialog::Dialog(x)
                if x.peer == enums::Peer::PeerChat(types::PeerChat { chat_id: TESTERS }) =>
            {
                Some(x.clone())
            }
            _ => None,
        })
        .expect("the group's dialog");
    assert_eq!(
        (testers.unread_count, testers.unread_mentions_count),
        (1, 1)
    );
    let top = d
        .messages
        .iter()
        .find_map(|m| match m {
            enums::Message::Message(m)
                if m.id == testers.top_message && m.peer_id == testers.peer =>
            {
                Some(m.clone())
            }
            _ => None,
        })
        .unwrap();
    assert!(top.mentioned);
    assert_eq!(
        top.entities,
        Some(vec![enums::MessageEntity::MessageEntityMentionName(
            types::MessageEntityMentionName {
                offset: 0,
                length: 5,
                user_id: ALICE
            }
        )])
    );
    let enums::MessageReplyHeader::MessageReplyHeader(r) = top.reply_to.as_ref().unwrap() else {
        panic!("a message reply")
    };
    assert_eq!(r.reply_to_msg_id, Some(4), "Alice's copy of the welcome");

    // Pins: first in the list, left out with exclude_pinned, told to the
    // account's other sessions.
    let toggle = |pinned| functions::messages::ToggleDialogPin {
        pinned,
        peer: enums::InputDialogPeer::InputDialogPeer(types::InputDialogPeer {
            peer: alice.user_peer(BOB),
        }),
    };
    assert!(alice.call(&toggle(true)).await);
    // (Bob's message came first.)
    let pinned = loop {
        if let enums::Updates::UpdateShort(s) = next_update(&mut alice_rx).await {
            break *s.update;
        }
    };
    assert!(matches!(&pinned, enums::Update::UpdateDialogPinned(p) if p.pinned));
    let first = |d: enums::messages::Dialogs| match d {
        enums::messages::Dialogs::Dialogs(d) => match d.dialogs.first() {
            Some(enums::Dialog::Dialog(x)) => (x.peer.clone(), x.pinned),
            other => panic!("{other:?}"),
        },
        other => panic!("{other:?}"),
    };
    assert_eq!(
        first(alice.call(&dialogs_request(20)).await),
        (bob_peer(), true)
    );
    let mut without = dialogs_request(20);
    without.exclude_pinned = true;
    assert_ne!(first(alice.call(&without).await).0, bob_peer());
    assert!(alice.call(&toggle(false)).await);
    let (_, pinned) = first(alice.call(&dialogs_request(20)).await);
    assert!(!pinned);
    drop(alice_wire);
    dc.shutdown().await;
}
