//! Injected faults of the link (`localdc::faults`): dropped connections,
//! latency, salt changes and clock skew, set through the world file and the
//! control port, survived by Hearth's own engine (hearth-sender).

use std::collections::HashMap;
use std::time::{Duration, Instant};

use crate::common::engine::*;
use crate::common::*;
use crate::faults::support::*;
use hearth_sender::{InvocationError, Sender};
use hearth_tl::enums;
use hearth_transport::FramingKind;
use localdc::LocalDc;

/// The reliability check: 200 sends to Saved Messages, half one at
/// a time and half pipelined, over connections the server drops at random
/// (p = 0.2 per packet, seeded) after running the request but before
/// answering it. The client resends; the server recognises the repeats by
/// random_id; history holds every message exactly once.
#[tokio::test]
async fn random_drops_lose_and_duplicate_no_message() {
    let dc = start_demo().await;
    let (s, _) = alice(&dc).await;
    control_ok(
        &dc,
        serde_json::json!({"cmd": "fault", "kind": "drop", "probability": 0.2, "stage": "before_answer"}),
    )
    .await;
    let send = |s: Sender, i: i64| async move {
        let text = format!("drop test {i}");
        match s
            .invoke_raw(send_text(enums::InputPeer::InputPeerSelf, &text, 1_000 + i))
            .await
        {
            Ok(body) => {
                assert_eq!(
                    &body[..4],
                    &0x74ae4240u32.to_le_bytes(),
                    "updates, as Telegram answers a message to Saved Messages"
                );
                false
            }
            Err(InvocationError::Rpc(e)) if e.code == 500 && e.is("RANDOM_ID_DUPLICATE") => true,
            Err(e) => panic!("send {i} failed: {e}"),
        }
    };
    let mut repeats = 0;
    for i in 0..100 {
        repeats += usize::from(send(s.clone(), i).await);
    }
    for batch in 0..5 {
        let mut set = tokio::task::JoinSet::new();
        for i in 0..20 {
            set.spawn(send(s.clone(), 100 + batch * 20 + i));
        }
        while let Some(r) = set.join_next().await {
            repeats += usize::from(r.unwrap());
        }
    }
    let listed = control_ok(&dc, serde_json::json!({"cmd": "faults"})).await;
    let dropped = listed["connections_dropped"].as_u64().unwrap();
    assert!(dropped >= 20, "only {dropped} drops at p = 0.2");
    assert!(repeats > 0, "lost answers make the client resend");
    control_ok(&dc, serde_json::json!({"cmd": "clear_faults"})).await;
    let mut counts: HashMap<String, usize> = HashMap::new();
    for t in saved_texts(&s).await {
        *counts.entry(t).or_default() += 1;
    }
    for i in 0..200 {
        let n = counts.get(&format!("drop test {i}")).copied().unwrap_or(0);
        assert_eq!(n, 1, "message {i} is in history {n} times");
    }
    dc.shutdown().await;
}

#[tokio::test]
async fn world_drop_after_n_packets_is_survived_transparently() {
    let dc = start_with("\n[[fault]]\nkind = \"drop\"\ndc = 2\nafter_messages = 3\n").await;
    let (s, _) = alice(&dc).await;
    for _ in 0..10 {
        get_state(&s).await.expect("answered despite the drops");
    }
    let listed = control_ok(&dc, serde_json::json!({"cmd": "faults"})).await;
    let dropped = listed["connections_dropped"].as_u64().unwrap();
    assert!(dropped >= 3, "{dropped}");
    // Packets discarded unprocessed are resent on the next connection.
    control_ok(&dc, serde_json::json!({"cmd": "clear_faults"})).await;
    control_ok(
        &dc,
        serde_json::json!({"cmd": "fault", "kind": "drop", "after_messages": 2, "stage": "unprocessed"}),
    )
    .await;
    for _ in 0..6 {
        get_state(&s).await.expect("answered on a later connection");
    }
    let listed = control_ok(&dc, serde_json::json!({"cmd": "faults"})).await;
    assert!(listed["connections_dropped"].as_u64().unwrap() >= dropped + 3);
    dc.shutdown().await;
}

#[tokio::test]
async fn a_forced_salt_change_and_fast_rotation_are_survived() {
    let dc = start_demo().await;
    let (s, _) = alice(&dc).await;
    get_state(&s).await.unwrap();
    let old = control_ok(&dc, serde_json::json!({"cmd": "salt"})).await["salt"]
        .as_i64()
        .unwrap();
    let new = control_ok(&dc, serde_json::json!({"cmd": "salt", "change": true})).await["salt"]
        .as_i64()
        .unwrap();
    let now = dc.state().faults().now_secs();
    assert!(
        !dc.state().salt_valid(0, old, now),
        "the old salt is retired"
    );
    assert!(dc.state().salt_valid(0, new, now));
    get_state(&s).await.expect("resent after bad_server_salt");
    control_ok(&dc, serde_json::json!({"cmd": "salt", "rotation_secs": 1})).await;
    for _ in 0..3 {
        get_state(&s)
            .await
            .expect("answered while salts rotate every second");
        tokio::time::sleep(Duration::from_millis(1100)).await;
    }
    dc.shutdown().await;
}

/// The server clock set off by `skew` from the start: the key exchange's
/// server_time gives the client its offset.
async fn skewed_from_the_start(skew: i64) -> (LocalDc, Sender) {
    let dc = start_with(&format!("[server]\nclock_skew_secs = {skew}\n")).await;
    let (s, key) = alice(&dc).await;
    assert!(
        (i64::from(key.time_offset) - skew).abs() <= 2,
        "skew {skew}: the client's offset is {}",
        key.time_offset
    );
    get_state(&s).await.unwrap();
    (dc, s)
}

#[tokio::test]
async fn clock_skew_of_120_seconds_either_way_is_survived() {
    for skew in [120i64, -120] {
        let (dc, s) = skewed_from_the_start(skew).await;
        dc.shutdown().await;
        drop(s);
    }
    // A live session whose server clock falls 120 s behind the client's
    // view: its msg_ids are now too high (bad_msg_notification 17); it must
    // resync from the notification's msg_id and resend in a new session.
    let (dc, s) = skewed_from_the_start(120).await;
    control_ok(&dc, serde_json::json!({"cmd": "skew", "secs": 0})).await;
    get_state(&s).await.expect("resynced after msg_id too high");
    dc.shutdown().await;
    let dc = start_demo().await;
    let (s, _) = alice(&dc).await;
    control_ok(&dc, serde_json::json!({"cmd": "skew", "secs": -120})).await;
    get_state(&s).await.expect("resynced after msg_id too high");
    let state = s
        .invoke_raw(GET_STATE.to_le_bytes().to_vec())
        .await
        .unwrap();
    assert!(!state.is_empty());
    dc.shutdown().await;
}

/// A live session whose server clock jumps 120 s ahead of the client's view
/// (the client's clock fell behind). The server accepts the client's msg_ids
/// (120 s old is inside Telegram's 300 s window) and answers with msg_ids
/// 120 s ahead, which the client must accept or resync from.
#[tokio::test]
async fn a_server_clock_jumping_ahead_on_a_live_session_is_survived() {
    let (dc, s) = skewed_from_the_start(-120).await;
    control_ok(&dc, serde_json::json!({"cmd": "skew", "secs": 0})).await;
    get_state(&s).await.expect("-120 → 0 on a live session");
    dc.shutdown().await;
}

#[tokio::test]
async fn latency_delays_answers_and_overlaps_pipelined_ones() {
    let dc = start_with("\n[[fault]]\nkind = \"latency\"\ndc = 2\nfixed_ms = 400\n").await;
    let (s, _) = alice(&dc).await;
    let t = Instant::now();
    get_state(&s).await.unwrap();
    assert!(
        t.elapsed() >= Duration::from_millis(400),
        "{:?}",
        t.elapsed()
    );
    let t = Instant::now();
    let mut set = tokio::task::JoinSet::new();
    // Ten requests in flight: one after another they would take 4 s.
    for _ in 0..10 {
        let s = s.clone();
        set.spawn(async move { get_state(&s).await.map(|_| ()) });
    }
    while let Some(r) = set.join_next().await {
        r.unwrap().unwrap();
    }
    let took = t.elapsed();
    assert!(took >= Duration::from_millis(400), "{took:?}");
    assert!(
        took < Duration::from_millis(2400),
        "pipelined answers wait in parallel: {took:?}"
    );
    // Other DCs are not delayed; the control port removes the rule.
    control_ok(
        &dc,
        serde_json::json!({"cmd": "clear_faults", "kind": "latency"}),
    )
    .await;
    control_ok(
        &dc,
        serde_json::json!({"cmd": "fault", "kind": "latency", "fixed_ms": 300}),
    )
    .await;
    let dc1 = connect(&dc, 1, FramingKind::Intermediate, false).await;
    let t = Instant::now();
    dc1.invoke_raw(GET_CONFIG.to_le_bytes().to_vec())
        .await
        .unwrap();
    assert!(t.elapsed() >= Duration::from_millis(300));
    dc.shutdown().await;
}
