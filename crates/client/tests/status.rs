//! The connection status is pushed, not sampled: a dropped connection shows
//! at once (well before the sender's retries run out), a returning one shows
//! online again, and a sign-in the server refuses shows signed out.

mod common;

use std::time::Duration;

use common::*;
use hearth_client::ConnectionStatus;
use hearth_tl::functions;
use serde_json::json;
use tokio::sync::watch;

/// Waits (generously) for a status matching `pred`.
async fn status_becomes(
    rx: &mut watch::Receiver<ConnectionStatus>,
    what: &str,
    within: Duration,
    pred: impl FnMut(&ConnectionStatus) -> bool,
) -> ConnectionStatus {
    tokio::time::timeout(within, rx.wait_for(pred))
        .await
        .unwrap_or_else(|_| panic!("no {what} status within {within:?}"))
        .expect("the client's status stays readable")
        .clone()
}

#[tokio::test]
async fn a_dropped_connection_shows_at_once_and_online_again_when_it_returns() {
    let dc = start_demo().await;
    let (alice, _) = signed_in(&dc, ALICE).await;
    let mut status = alice.connection_status();
    status_becomes(&mut status, "online", Duration::from_secs(10), |s| {
        s.is_online()
    })
    .await;

    // Every connection to DC 2 now drops at its first packet.
    fault(
        &dc,
        json!({"kind": "drop", "dc": 2, "after_messages": 1, "stage": "unprocessed"}),
    );
    let request = {
        let alice = alice.clone();
        tokio::spawn(async move { alice.invoke(&functions::updates::GetState {}).await })
    };
    let lost = status_becomes(&mut status, "not-online", Duration::from_secs(5), |s| {
        !s.is_online()
    })
    .await;
    assert!(
        matches!(
            lost,
            ConnectionStatus::Reconnecting { .. } | ConnectionStatus::Connecting
        ),
        "{lost:?}"
    );

    dc.state().faults().clear(Some("drop")).unwrap();
    status_becomes(&mut status, "online", Duration::from_secs(60), |s| {
        s.is_online()
    })
    .await;
    let answered = tokio::time::timeout(Duration::from_secs(60), request)
        .await
        .expect("the request is answered after the reconnect")
        .expect("task");
    answered.expect("answered");

    alice.shutdown();
    status_becomes(&mut status, "closed", Duration::from_secs(5), |s| {
        *s == ConnectionStatus::Closed
    })
    .await;
    dc.shutdown().await;
}

#[tokio::test]
async fn a_session_ended_elsewhere_shows_signed_out() {
    let dc = start_demo().await;
    let (a, _) = signed_in(&dc, ALICE).await;
    let (b, _) = signed_in(&dc, ALICE).await;
    let mut status = a.connection_status();
    status_becomes(&mut status, "online", Duration::from_secs(10), |s| {
        s.is_online()
    })
    .await;
    let a_hash = b
        .authorizations()
        .await
        .unwrap()
        .into_iter()
        .find(|s| !s.current)
        .expect("b sees a's session")
        .hash;
    b.terminate_authorization(a_hash).await.unwrap();
    // The server answers a's next request with AUTH_KEY_UNREGISTERED.
    assert!(!a.is_authorized().await.unwrap());
    let out = status_becomes(&mut status, "signed-out", Duration::from_secs(5), |s| {
        matches!(s, ConnectionStatus::SignedOut { .. })
    })
    .await;
    let ConnectionStatus::SignedOut { reason } = out else {
        unreachable!()
    };
    assert!(reason.contains("AUTH_KEY_UNREGISTERED"), "{reason}");
    // The link going on does not hide it.
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert!(matches!(
        *status.borrow(),
        ConnectionStatus::SignedOut { .. }
    ));
    for c in [a, b] {
        c.shutdown();
    }
    dc.shutdown().await;
}

#[tokio::test]
async fn a_key_the_server_forgot_shows_signed_out_after_repeated_404s() {
    use hearth_session::SessionStorage;
    let dc = start_demo().await;
    let (alice, storage) = signed_in(&dc, ALICE).await;
    let mut status = alice.connection_status();
    status_becomes(&mut status, "online", Duration::from_secs(10), |s| {
        s.is_online()
    })
    .await;
    // localdc forgets the account's key, as a DC does when it drops an
    // authorization, and the live connection drops at its next packet:
    // every new connection is then answered with -404.
    let home = alice.home_dc();
    let key = storage.auth_key(home).unwrap().expect("key stored");
    let key_id = hearth_crypto::AuthKey::from_bytes(*key).key_id();
    dc.state().store().delete_key(key_id).unwrap();
    fault(
        &dc,
        json!({"kind": "drop", "dc": home, "after_messages": 1, "stage": "unprocessed"}),
    );
    let call = alice.invoke(&functions::updates::GetState {});
    let err = tokio::time::timeout(Duration::from_secs(30), call)
        .await
        .expect("a verdict in time")
        .expect_err("the key is gone");
    assert_eq!(err.code(), "UNAUTHORIZED", "{err}");
    let text = err.to_string();
    assert!(
        text.contains("no longer knows this session's auth key") && text.contains("sign in again"),
        "{text}"
    );
    let out = status_becomes(&mut status, "signed-out", Duration::from_secs(5), |s| {
        matches!(s, ConnectionStatus::SignedOut { .. })
    })
    .await;
    let ConnectionStatus::SignedOut { reason } = out else {
        unreachable!()
    };
    assert!(reason.contains("no longer knows"), "{reason}");
    alice.shutdown();
    dc.shutdown().await;
}

#[tokio::test]
async fn the_own_profile_is_announced_whenever_an_answer_carries_it() {
    let dc = start_demo().await;
    let (alice, _) = signed_in(&dc, ALICE).await;
    let mut profile = alice.profile();
    let me = profile
        .borrow_and_update()
        .clone()
        .expect("known after sign-in");
    assert_eq!(
        me.id,
        hearth_client::PeerId::User(alice.me().unwrap().user_id)
    );
    assert!(me.title.starts_with("Alice"), "{}", me.title);
    let _: Vec<hearth_tl::enums::User> = alice
        .invoke(&functions::users::GetUsers {
            id: vec![hearth_tl::enums::InputUser::InputUserSelf],
        })
        .await
        .unwrap();
    tokio::time::timeout(Duration::from_secs(5), profile.changed())
        .await
        .expect("announced again")
        .unwrap();
    assert_eq!(profile.borrow().as_ref().unwrap().title, me.title);
    alice.shutdown();
    dc.shutdown().await;
}
