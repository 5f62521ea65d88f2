//! The common `seq` of pushed updates and `updates.getDifference` slices.

use crate::common::account::*;
use crate::common::engine::*;
use crate::common::*;
use hearth_tl::{enums, functions, types, Deserializable};
use localdc::LocalDc;

async fn start_with(server: &str) -> LocalDc {
    let text = DEMO_WORLD.replacen("[server]\n", &format!("[server]\n{server}\n"), 1);
    let world = localdc::world::World::parse(&text, "difference.toml").expect("a valid world");
    LocalDc::start(localdc::Config {
        world,
        rsa_key: Some(test_key()),
        seed: Some(7),
        ..localdc::Config::default()
    })
    .await
    .expect("localdc starts")
}

async fn state(s: &impl Conn) -> types::updates::State {
    let enums::updates::State::State(st) =
        s.invoke(&functions::updates::GetState {}).await.unwrap();
    st
}

async fn difference(
    s: &impl Conn,
    pts: i32,
    pts_total_limit: Option<i32>,
) -> enums::updates::Difference {
    let req = functions::updates::GetDifference {
        pts,
        pts_limit: None,
        pts_total_limit,
        date: 0,
        qts: 0,
        qts_limit: None,
    };
    s.invoke(&req).await.unwrap()
}

/// A small document sent with `sendMedia` (answered with `updates`).
fn send_doc(peer: enums::InputPeer, file_id: i64) -> functions::messages::SendMedia {
    let media = uploaded_document(input_file(file_id, 1, "a.txt"), None, "text/plain");
    send_media_request(peer, media, "", file_id)
}

async fn send_doc_to(s: &Account, peer: enums::InputPeer, file_id: i64) -> types::Updates {
    let part = functions::upload::SaveFilePart {
        file_id,
        file_part: 0,
        bytes: b"hello".to_vec(),
    };
    assert!(s.call(&part).await);
    let enums::Updates::Updates(u) = s.call(&send_doc(peer, file_id)).await else {
        panic!("sendMedia answers updates")
    };
    u
}

async fn next_updates(
    rx: &mut tokio::sync::mpsc::Receiver<hearth_sender::sender::UpdateEvent>,
) -> enums::Updates {
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

#[tokio::test]
async fn seq_advances_once_per_updates_object_and_is_reported_by_state() {
    let dc = start_demo().await;
    let alice = Account::sign_in(&dc, ALICE_PHONE).await;
    let (_alice2, mut alice2_rx) = Account::sign_in(&dc, ALICE_PHONE).await.listen().await;
    let (bob, mut bob_rx) = Account::sign_in(&dc, BOB_PHONE).await.listen().await;
    // alice's client meets bob by his username.
    let bob_peer = alice.input_peer(alice.resolve("bob_builder").await);
    let start = state(&alice).await;
    let bob_start = state(&bob).await;

    // sendMedia: the answer and the other session's copy share the next seq.
    let answer = send_doc_to(&alice, enums::InputPeer::InputPeerSelf, 1).await;
    assert_eq!(answer.seq, start.seq + 1);
    let enums::Updates::Updates(pushed) = next_updates(&mut alice2_rx).await else {
        panic!("updates")
    };
    assert_eq!(pushed.seq, start.seq + 1);

    // sendMessage to self: the answer is a full updates, as Telegram gives,
    // so it takes the next seq and the other session's copy shares it.
    let enums::Updates::Updates(answer) = alice
        .call(&send_text_request(
            enums::InputPeer::InputPeerSelf,
            "note",
            2,
        ))
        .await
    else {
        panic!("updates")
    };
    assert_eq!(answer.seq, start.seq + 2);
    let enums::Updates::Updates(pushed) = next_updates(&mut alice2_rx).await else {
        panic!("updates")
    };
    assert_eq!(pushed.seq, start.seq + 2);
    assert!(
        !matches!(pushed.updates[0], enums::Update::UpdateMessageId(_)),
        "updateMessageID goes to the sending session only"
    );
    assert_eq!(state(&alice).await.seq, start.seq + 2);

    // A document to bob: bob's own sequence advances, alice's too.
    let answer = send_doc_to(&alice, bob_peer.clone(), 3).await;
    assert_eq!(answer.seq, start.seq + 3);
    let enums::Updates::Updates(to_bob) = next_updates(&mut bob_rx).await else {
        panic!("updates")
    };
    assert_eq!(to_bob.seq, bob_start.seq + 1);
    let enums::Updates::Updates(pushed) = next_updates(&mut alice2_rx).await else {
        panic!("updates")
    };
    assert_eq!(pushed.seq, start.seq + 3);

    // A text to bob reaches him as updateShortMessage: no seq.
    alice.call(&send_text_request(bob_peer, "hi", 4)).await;
    assert!(matches!(
        next_updates(&mut bob_rx).await,
        enums::Updates::UpdateShortMessage(_)
    ));
    assert_eq!(state(&bob).await.seq, bob_start.seq + 1);

    let now = state(&alice).await;
    assert_eq!((now.seq, now.pts), (start.seq + 3, start.pts + 4));
    let enums::updates::Difference::Difference(d) = difference(&alice, start.pts, None).await
    else {
        panic!("updates.difference")
    };
    let enums::updates::State::State(st) = d.state;
    assert_eq!(
        (st.seq, st.pts, d.new_messages.len()),
        (now.seq, now.pts, 4)
    );
    let enums::updates::Difference::DifferenceEmpty(e) = difference(&alice, now.pts, None).await
    else {
        panic!("updates.differenceEmpty")
    };
    assert_eq!(e.seq, now.seq);
    dc.shutdown().await;
}

/// Message texts of a difference's new messages.
fn texts(messages: &[enums::Message]) -> Vec<String> {
    messages
        .iter()
        .map(|m| match m {
            enums::Message::Message(m) => m.message.clone(),
            other => panic!("a message, got {other:?}"),
        })
        .collect()
}

#[tokio::test]
async fn differences_are_sliced_walked_to_the_end_or_too_long() {
    let dc = start_with("difference_limit = 3\ndifference_too_long = 8").await;
    let s = Account::sign_in(&dc, ALICE_PHONE).await;
    let from = state(&s).await.pts;
    for i in 0..7 {
        s.call(&send_text_request(
            enums::InputPeer::InputPeerSelf,
            &format!("m{i}"),
            i,
        ))
        .await;
    }
    // Walk the slices: 3 + 3 + 1 messages, each slice's state the next start.
    let mut pts = from;
    let mut seen = Vec::new();
    let mut slices = 0;
    let end = loop {
        match difference(&s, pts, None).await {
            enums::updates::Difference::DifferenceSlice(d) => {
                let enums::updates::State::State(st) = d.intermediate_state;
                assert_eq!(d.new_messages.len(), 3);
                assert_eq!(st.pts, pts + 3, "intermediate pts is the last one included");
                seen.extend(texts(&d.new_messages));
                pts = st.pts;
                slices += 1;
            }
            enums::updates::Difference::Difference(d) => {
                seen.extend(texts(&d.new_messages));
                let enums::updates::State::State(st) = d.state;
                break st;
            }
            other => panic!("slice or difference, got {other:?}"),
        }
    };
    assert_eq!(slices, 2);
    let expected: Vec<String> = (0..7).map(|i| format!("m{i}")).collect();
    assert_eq!(seen, expected);
    assert_eq!(end.pts, from + 7);

    // A gap above difference_too_long, or above the request's own total limit.
    for i in 0..2 {
        s.call(&send_text_request(
            enums::InputPeer::InputPeerSelf,
            "more",
            10 + i,
        ))
        .await;
    }
    let enums::updates::Difference::DifferenceTooLong(t) = difference(&s, from, None).await else {
        panic!("updates.differenceTooLong")
    };
    assert_eq!(t.pts, from + 9);
    assert!(matches!(
        difference(&s, from + 7, Some(1)).await,
        enums::updates::Difference::DifferenceTooLong(_)
    ));
    assert!(matches!(
        difference(&s, from + 7, None).await,
        enums::updates::Difference::Difference(_)
    ));
    dc.shutdown().await;
}
