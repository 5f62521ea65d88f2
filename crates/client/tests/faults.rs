//! The retry policy against faults localdc injects: flood waits below and
//! above the threshold, 500s, dropped connections mid-request,
//! NETWORK_MIGRATE, salt changes and clock skew.

mod common;

use std::time::{Duration, Instant};

use common::*;
use hearth_client::{Client, ClientError, SessionStorage};
use hearth_tl::functions;
use serde_json::json;

const NEAREST: functions::help::GetNearestDc = functions::help::GetNearestDc {};

#[tokio::test]
async fn a_flood_wait_below_the_threshold_is_slept_and_repeated_once() {
    let dc = start_demo().await;
    let (alice, _) = signed_in(&dc, ALICE).await;
    fault(
        &dc,
        json!({"method": "help.getNearestDc", "limit": 1, "wait_secs": 2}),
    );
    alice.invoke(&NEAREST).await.unwrap();
    let t = Instant::now();
    alice.invoke(&NEAREST).await.expect("slept, then answered");
    assert!(t.elapsed() >= Duration::from_secs(2), "{:?}", t.elapsed());
    alice.shutdown();
    dc.shutdown().await;
}

#[tokio::test]
async fn a_flood_wait_above_the_threshold_returns_its_deadline_at_once() {
    let dc = start_demo().await;
    let storage = memory();
    let mut config = config(&dc, storage.clone());
    config.flood_sleep_threshold = Duration::from_secs(5);
    let client = Client::connect(config).await.unwrap();
    fault(
        &dc,
        json!({"method": "help.getNearestDc", "limit": 0, "wait_secs": 30}),
    );
    let t = Instant::now();
    let e = client.invoke(&NEAREST).await.unwrap_err();
    assert!(
        t.elapsed() < Duration::from_secs(2),
        "no waiting: {:?}",
        t.elapsed()
    );
    let ClientError::FloodWait {
        seconds,
        until,
        dc: on,
    } = e.clone()
    else {
        panic!("{e}")
    };
    assert_eq!((seconds, on), (30, 2));
    assert!(until > std::time::SystemTime::now() + Duration::from_secs(28));
    assert_eq!(e.code(), "FLOOD_WAIT");
    assert!((29..=30).contains(&e.retry_after().unwrap()));

    // A wait that is short but comes back after sleeping is returned too:
    // one sleep per request, never a loop.
    dc.state().faults().clear(Some("flood")).unwrap();
    fault(
        &dc,
        json!({"method": "help.getNearestDc", "limit": 0, "wait_secs": 1}),
    );
    let t = Instant::now();
    let e = client.invoke(&NEAREST).await.unwrap_err();
    let took = t.elapsed();
    assert_eq!(e.code(), "FLOOD_WAIT");
    assert!(
        took >= Duration::from_secs(1) && took < Duration::from_secs(3),
        "{took:?}"
    );
    client.shutdown();
    dc.shutdown().await;
}

#[tokio::test]
async fn internal_errors_are_repeated_a_bounded_number_of_times() {
    let dc = start_demo().await;
    let (alice, _) = signed_in(&dc, ALICE).await;
    fault(
        &dc,
        json!({"kind": "error", "method": "help.getNearestDc", "every": 2}),
    );
    for _ in 0..4 {
        alice
            .invoke(&NEAREST)
            .await
            .expect("every other call fails and is repeated");
    }
    dc.state().faults().clear(Some("error")).unwrap();
    fault(
        &dc,
        json!({"kind": "error", "method": "help.getNearestDc", "error": "RPC_CALL_FAIL", "probability": 1.0}),
    );
    let e = alice.invoke(&NEAREST).await.unwrap_err();
    assert_eq!(e.code(), "RPC_CALL_FAIL");
    assert!(e.to_string().contains("try again"), "{e}");
    alice.shutdown();
    dc.shutdown().await;
}

#[tokio::test]
async fn connections_dropped_mid_request_are_survived() {
    let dc = start_demo().await;
    let (alice, _) = signed_in(&dc, ALICE).await;
    for stage in ["before_answer", "unprocessed", "after_answer"] {
        dc.state().faults().clear(Some("drop")).unwrap();
        fault(
            &dc,
            json!({"kind": "drop", "dc": 2, "after_messages": 2, "stage": stage}),
        );
        let before = dc.state().faults().connections_dropped();
        for _ in 0..6 {
            alice
                .invoke(&functions::updates::GetState {})
                .await
                .unwrap_or_else(|e| panic!("{stage}: {e}"));
        }
        assert!(
            dc.state().faults().connections_dropped() > before,
            "{stage}: nothing dropped"
        );
    }
    alice.shutdown();
    dc.shutdown().await;
}

#[tokio::test]
async fn network_migrate_moves_home_with_the_sign_in() {
    let dc = start_demo().await;
    let (alice, storage) = signed_in(&dc, ALICE).await;
    fault(
        &dc,
        json!({"kind": "migrate", "to": 4, "dc": 2, "account": "alice", "method": "updates.getState"}),
    );
    alice
        .invoke(&functions::updates::GetState {})
        .await
        .unwrap();
    assert_eq!(alice.home_dc(), 4);
    assert_eq!(storage.load().unwrap().home_dc, Some(4));
    assert!(
        alice.is_authorized().await.unwrap(),
        "signed in on DC 4 too"
    );
    alice.shutdown();
    alice.closed().await;
    let again = connect(&dc, storage).await;
    assert_eq!(again.home_dc(), 4);
    assert!(again.is_authorized().await.unwrap());
    again.shutdown();
    dc.shutdown().await;
}

#[tokio::test]
async fn salt_changes_are_survived() {
    let world = DEMO_WORLD.replace("salt_rotation_secs = 3600", "salt_rotation_secs = 1");
    assert_ne!(world, DEMO_WORLD);
    let dc = start_world(&world).await;
    let (alice, _) = signed_in(&dc, ALICE).await;
    dc.state().force_salt_change();
    alice
        .invoke(&functions::updates::GetState {})
        .await
        .unwrap();
    for _ in 0..3 {
        tokio::time::sleep(Duration::from_millis(1100)).await;
        alice
            .invoke(&functions::updates::GetState {})
            .await
            .unwrap();
    }
    alice.shutdown();
    dc.shutdown().await;
}

#[tokio::test]
async fn clock_skew_is_survived_at_sign_in_and_with_a_stored_key() {
    for skew in [120i64, -120] {
        let dc = start_with(&format!("[server]\nclock_skew_secs = {skew}\n")).await;
        let (alice, storage) = signed_in(&dc, ALICE).await;
        assert!(alice.is_authorized().await.unwrap());
        alice.shutdown();
        alice.closed().await;
        // A stored key starts with no clock offset: the first answer is
        // bad_msg_notification 16/17 and the session corrects itself.
        let again = connect(&dc, storage.clone()).await;
        assert!(again.is_authorized().await.unwrap(), "skew {skew}");
        dc.state().faults().set_skew_secs(-skew);
        again
            .invoke(&functions::updates::GetState {})
            .await
            .unwrap_or_else(|e| panic!("skew {skew} → {}: {e}", -skew));
        assert!(storage.auth_key(2).unwrap().is_some());
        again.shutdown();
        dc.shutdown().await;
    }
}
