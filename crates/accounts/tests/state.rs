//! An open account's connection state follows its client: online while connected,
//! connecting while its DC is gone, offline once closed; each change is announced.

mod common;

use std::time::Duration;

use common::*;
use hearth_accounts::{AccountEvent, ConnectionState};

#[tokio::test(flavor = "multi_thread")]
async fn the_state_follows_the_connection() {
    let w = world().await;
    let alice = w.add(ALICE).await;
    assert_eq!(w.accounts.state(alice.id), ConnectionState::Online);
    let mut events = w.accounts.subscribe();

    w.dc.shutdown().await;
    let changed = tokio::time::timeout(Duration::from_secs(60), async {
        loop {
            match events.recv().await.unwrap() {
                AccountEvent::State { id, state } if id == alice.id => return state,
                _ => {}
            }
        }
    })
    .await
    .expect("a state change within 60 s of the DC going away (the sender first retries)");
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
        "no late sample overwrites it"
    );
}
