//! One key, one connection per DC in a process; shutting down and logging
//! out from inside an update handler return and complete.

mod common;

use std::time::Duration;

use common::*;
use hearth_client::{Client, ClientError, SessionStorage};
use hearth_tl::functions;

#[tokio::test]
async fn a_second_client_on_the_same_key_is_refused_until_the_first_closes() {
    let dc = start_demo().await;
    let (first, storage) = signed_in(&dc, ALICE).await;
    let second = Client::connect(config(&dc, storage.clone()))
        .await
        .unwrap_err();
    assert_eq!(second.code(), "KEY_IN_USE");
    assert!(second.to_string().contains("DC 2"), "{second}");
    // The first is unharmed.
    first
        .invoke(&functions::updates::GetState {})
        .await
        .unwrap();

    first.shutdown();
    first.closed().await;
    let second = connect(&dc, storage.clone()).await;
    assert!(second.is_authorized().await.unwrap());
    second.shutdown();
    dc.shutdown().await;
}

#[tokio::test]
async fn shutdown_from_inside_an_update_handler_completes() {
    let dc = start_demo().await;
    let (alice, storage) = signed_in(&dc, ALICE).await;
    let (bob, _) = signed_in(&dc, BOB).await;
    eventually("state", || storage.load().unwrap().update_state.is_some()).await;

    let handler = tokio::spawn({
        let alice = alice.clone();
        async move {
            loop {
                let u = alice.next_update().await?;
                if new_message_text(&u).is_some() {
                    // Stop the client from the handler and wait for it.
                    alice.shutdown();
                    alice.closed().await;
                    return alice.next_update().await.map(|_| ());
                }
            }
        }
    });
    send_text(&bob, "alice", "stop now").await;
    let ended = tokio::time::timeout(Duration::from_secs(10), handler)
        .await
        .expect("the handler finished: no deadlock")
        .unwrap();
    assert!(matches!(ended, Err(ClientError::Shutdown)));
    assert!(alice.is_shut_down());
    // A request waiting when the client stops fails instead of hanging.
    let late = alice
        .invoke(&functions::updates::GetState {})
        .await
        .unwrap_err();
    assert_eq!(late.code(), "SHUTDOWN");
    bob.shutdown();
    dc.shutdown().await;
}

#[tokio::test]
async fn log_out_from_inside_an_update_handler_completes() {
    let dc = start_demo().await;
    let (alice, storage) = signed_in(&dc, ALICE).await;
    let (bob, _) = signed_in(&dc, BOB).await;
    eventually("state", || storage.load().unwrap().update_state.is_some()).await;
    let handler = tokio::spawn({
        let alice = alice.clone();
        async move {
            loop {
                let u = alice.next_update().await.unwrap();
                if new_message_text(&u).is_some() {
                    alice.log_out().await.unwrap();
                    alice.closed().await;
                    return;
                }
            }
        }
    });
    send_text(&bob, "alice", "log out now").await;
    tokio::time::timeout(Duration::from_secs(10), handler)
        .await
        .expect("log-out from the handler finished")
        .unwrap();
    assert!(storage.auth_key_dcs().is_empty());
    assert_eq!(storage.load().unwrap(), Default::default());
    let alice_id = alice_id(&bob).await;
    let left = dc.state().store().authorizations(alice_id).unwrap().len();
    assert_eq!(left, 0, "alice's only session ended on the server");
    bob.shutdown();
    dc.shutdown().await;
}

async fn alice_id(bob: &Client) -> i64 {
    match bob.resolve_username("alice").await.unwrap().id {
        hearth_client::PeerId::User(id) => id,
        other => panic!("{other}"),
    }
}

#[tokio::test]
async fn a_request_in_flight_fails_when_the_client_shuts_down() {
    let dc = start_with("\n[[fault]]\nkind = \"latency\"\ndc = 2\nfixed_ms = 3000\n").await;
    let storage = memory();
    let client = connect(&dc, storage).await;
    let waiting = tokio::spawn({
        let c = client.clone();
        async move { c.invoke(&functions::help::GetNearestDc {}).await }
    });
    tokio::time::sleep(Duration::from_millis(200)).await;
    client.shutdown();
    let r = tokio::time::timeout(Duration::from_secs(2), waiting)
        .await
        .expect("the waiting call returned")
        .unwrap();
    assert_eq!(r.unwrap_err().code(), "SHUTDOWN");
    tokio::time::timeout(Duration::from_secs(5), client.closed())
        .await
        .expect("closed");
    dc.shutdown().await;
}

#[tokio::test]
async fn idle_connections_close_but_the_home_one_stays_for_updates() {
    let dc = start_demo().await;
    let storage = memory();
    let mut c = config(&dc, storage.clone());
    c.idle_timeout = Duration::from_secs(1);
    let alice = Client::connect(c).await.unwrap();
    let token = alice.request_login_code(ALICE).await.unwrap();
    alice.sign_in(&token, "22222").await.unwrap();
    let (bob, _) = signed_in(&dc, BOB).await;
    eventually("state", || storage.load().unwrap().update_state.is_some()).await;

    alice
        .invoke_in_dc(4, &functions::updates::GetState {})
        .await
        .unwrap();
    assert!(alice.is_connected(4, hearth_client::ConnKind::Main));
    tokio::time::sleep(Duration::from_secs(3)).await;
    assert!(
        !alice.is_connected(4, hearth_client::ConnKind::Main),
        "idle DC 4 closed"
    );
    assert!(
        alice.is_connected(2, hearth_client::ConnKind::Main),
        "home kept open"
    );

    send_text(&bob, "alice", "still here").await;
    let u = loop {
        let u = tokio::time::timeout(Duration::from_secs(10), alice.next_update())
            .await
            .expect("pushed on the kept connection")
            .unwrap();
        if let Some(t) = new_message_text(&u) {
            break t;
        }
    };
    assert_eq!(u, "still here");
    // DC 4 reopens on demand with its key, already signed in there.
    alice
        .invoke_in_dc(4, &functions::updates::GetState {})
        .await
        .unwrap();
    for c in [alice, bob] {
        c.shutdown();
    }
    dc.shutdown().await;
}
