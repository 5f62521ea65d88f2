//! An open account's connection state follows its client as the client pushes it: online
//! while connected, connecting as soon as the connection drops (not after the sender's
//! retries), online again when it returns, signed out when the server refuses the sign-in,
//! offline once closed; each change is announced.

mod common;

use std::time::Duration;

use common::*;
use hearth_accounts::{AccountEvent, AccountId, ConnectionState};
use serde_json::json;
use tokio::sync::broadcast;

/// The next state announced for `id` that `pred` accepts, within `within`.
async fn announced(
    events: &mut broadcast::Receiver<AccountEvent>,
    id: AccountId,
    within: Duration,
    mut pred: impl FnMut(ConnectionState) -> bool,
) -> ConnectionState {
    tokio::time::timeout(within, async {
        loop {
            match events.recv().await.unwrap() {
                AccountEvent::State { id: of, state } if of == id && pred(state) => return state,
                _ => {}
            }
        }
    })
    .await
    .unwrap_or_else(|_| panic!("no such state announced within {within:?}"))
}

#[tokio::test(flavor = "multi_thread")]
async fn the_state_follows_the_connection() {
    let w = world().await;
    let alice = w.add(ALICE).await;
    assert_eq!(w.accounts.state(alice.id), ConnectionState::Online);
    let mut events = w.accounts.subscribe();

    w.dc.shutdown().await;
    let changed = announced(&mut events, alice.id, Duration::from_secs(10), |_| true).await;
    assert_eq!(changed, ConnectionState::Connecting);
    assert_eq!(
        w.accounts.list().unwrap()[0].state,
        ConnectionState::Connecting
    );

    w.accounts.shutdown().await;
    assert_eq!(w.accounts.state(alice.id), ConnectionState::Offline);
    tokio::time::sleep(Duration::from_millis(1200)).await;
    assert_eq!(
        w.accounts.state(alice.id),
        ConnectionState::Offline,
        "no late change overwrites it"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_dropped_connection_shows_connecting_then_online_again() {
    let w = world().await;
    let alice = w.add(ALICE).await;
    let mut events = w.accounts.subscribe();
    let rule = json!({"kind": "drop", "dc": 2, "after_messages": 1, "stage": "unprocessed"});
    w.dc.state()
        .faults()
        .add(localdc::faults::FaultRule::from_value(rule).unwrap())
        .unwrap();
    let client = w.accounts.client(alice.id).await.unwrap();
    let request = tokio::spawn(async move {
        client
            .invoke(&hearth_tl::functions::updates::GetState {})
            .await
    });
    announced(&mut events, alice.id, Duration::from_secs(5), |s| {
        s != ConnectionState::Online
    })
    .await;
    w.dc.state().faults().clear(Some("drop")).unwrap();
    announced(&mut events, alice.id, Duration::from_secs(60), |s| {
        s == ConnectionState::Online
    })
    .await;
    request
        .await
        .unwrap()
        .expect("answered after the reconnect");
    assert_eq!(w.accounts.state(alice.id), ConnectionState::Online);
    w.accounts.shutdown().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_session_ended_by_the_server_shows_signed_out() {
    let w = world().await;
    let alice = w.add(ALICE).await;
    let other = w.other_device(ALICE).await;
    let hash = other
        .authorizations()
        .await
        .unwrap()
        .into_iter()
        .find(|s| !s.current)
        .expect("the other device sees the account's session")
        .hash;
    let mut events = w.accounts.subscribe();
    other.terminate_authorization(hash).await.unwrap();
    // The next request of the account's own client meets AUTH_KEY_UNREGISTERED.
    let client = w.accounts.client(alice.id).await.unwrap();
    assert!(!client.is_authorized().await.unwrap());
    announced(&mut events, alice.id, Duration::from_secs(5), |s| {
        s == ConnectionState::SignedOut
    })
    .await;
    assert_eq!(w.accounts.state(alice.id), ConnectionState::SignedOut);
    other.shutdown();
    w.accounts.shutdown().await;
}
