//! Updates through the client: delivered live in order, caught up after a
//! restart (what happened while the client was shut down arrives once),
//! and never delivered twice.

mod common;

use std::time::Duration;

use common::*;
use hearth_client::{Client, SessionStorage};

/// The next new-message text `client` receives within 10 s.
async fn next_text(client: &Client) -> String {
    loop {
        let u = tokio::time::timeout(Duration::from_secs(10), client.next_update())
            .await
            .expect("an update within 10 s")
            .expect("the client runs");
        if let Some(text) = new_message_text(&u) {
            return text;
        }
    }
}

/// Every new-message text `client` receives within `quiet`.
async fn texts_within(client: &Client, quiet: Duration) -> Vec<String> {
    let mut out = Vec::new();
    while let Ok(u) = tokio::time::timeout(quiet, client.next_update()).await {
        if let Some(text) = new_message_text(&u.expect("the client runs")) {
            out.push(text);
        }
    }
    out
}

/// Waits until the client's update state is saved.
async fn state_saved(storage: &dyn SessionStorage) {
    eventually("the update state saved", || {
        storage.load().unwrap().update_state.is_some()
    })
    .await;
}

#[tokio::test]
async fn messages_sent_while_shut_down_arrive_once_after_a_restart() {
    let dc = start_demo().await;
    let (alice, storage) = signed_in(&dc, ALICE).await;
    let (bob, _) = signed_in(&dc, BOB).await;
    state_saved(&*storage).await;

    send_text(&bob, "alice", "one").await;
    assert_eq!(next_text(&alice).await, "one");
    alice.shutdown();
    alice.closed().await;

    for text in ["two", "three", "four"] {
        send_text(&bob, "alice", text).await;
    }
    let again = connect(&dc, storage.clone()).await;
    assert_eq!(
        texts_within(&again, Duration::from_secs(2)).await,
        ["two", "three", "four"],
        "caught up in order, without the one already taken"
    );
    again.shutdown();
    again.closed().await;

    // Nothing new: a restart delivers nothing twice.
    let third = connect(&dc, storage.clone()).await;
    assert!(texts_within(&third, Duration::from_secs(1))
        .await
        .is_empty());
    send_text(&bob, "alice", "five").await;
    assert_eq!(next_text(&third).await, "five");
    third.shutdown();
    bob.shutdown();
    dc.shutdown().await;
}

#[tokio::test]
async fn live_updates_and_our_own_sends_arrive_in_order_once() {
    let dc = start_demo().await;
    let (alice, storage) = signed_in(&dc, ALICE).await;
    let (bob, _) = signed_in(&dc, BOB).await;
    state_saved(&*storage).await;
    for i in 0..5 {
        send_text(&bob, "alice", &format!("m{i}")).await;
    }
    // Alice's own send comes back as an answer and must not open a gap.
    send_text(&alice, "bob_builder", "reply").await;
    send_text(&bob, "alice", "m5").await;
    let texts = texts_within(&alice, Duration::from_secs(2)).await;
    let from_bob: Vec<&str> = texts
        .iter()
        .map(String::as_str)
        .filter(|t| t.starts_with('m'))
        .collect();
    assert_eq!(from_bob, ["m0", "m1", "m2", "m3", "m4", "m5"]);
    let saved = storage.load().unwrap().update_state.unwrap();
    assert!(
        saved.pts >= 7,
        "the state follows what was taken: {saved:?}"
    );
    // Peers met through updates are cached and saved.
    let bob_id = bob.me().unwrap().user_id;
    assert!(alice.peers().input_user(bob_id).is_ok());
    assert!(storage
        .load()
        .unwrap()
        .peers
        .iter()
        .any(|p| p.id == hearth_client::PeerId::User(bob_id)));
    alice.shutdown();
    bob.shutdown();
    dc.shutdown().await;
}
