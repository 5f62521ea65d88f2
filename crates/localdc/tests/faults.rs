//! Injected faults (`localdc::faults`) set through the world file and the
//! control port, exercised with Hearth's own engine (hearth-sender).

mod common;

use std::collections::HashMap;
use std::net::SocketAddr;
use std::time::{Duration, Instant};

use common::engine::*;
use common::*;
use hearth_mtproto::auth::{KeyParams, KeyTable};
use hearth_sender::connect::{Endpoint, Peer, Route};
use hearth_sender::sender::{AuthKeyExchange, Backoff, Config as SenderConfig, SessionKey};
use hearth_sender::{InvocationError, Sender};
use hearth_tl::{enums, functions, Deserializable, Serializable};
use hearth_transport::FramingKind;
use localdc::world::World;
use localdc::{Config, LocalDc};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpStream;

const GET_STATE: u32 = 0xedd4882a;
const GET_CONFIG: u32 = 0xc4f9186b;

/// The demo world plus `extra` tables; `[server]` lines in `extra` join
/// the demo's `[server]` table.
async fn start_with(extra: &str) -> LocalDc {
    let text = match extra.trim_start().strip_prefix("[server]\n") {
        Some(server) => DEMO_WORLD.replacen("[server]\n", &format!("[server]\n{server}"), 1),
        None => format!("{DEMO_WORLD}{extra}"),
    };
    let world = World::parse(&text, "faults.toml").expect("the world with faults is valid");
    LocalDc::start(Config {
        world,
        rsa_key: Some(test_key()),
        seed: Some(7),
        ..Config::default()
    })
    .await
    .expect("localdc starts")
}

/// Sends one control-port request and returns its answer.
async fn control(dc: &LocalDc, req: serde_json::Value) -> serde_json::Value {
    let stream = TcpStream::connect(dc.control_addr()).await.unwrap();
    let (read, mut write) = stream.into_split();
    write
        .write_all(format!("{req}\n").as_bytes())
        .await
        .unwrap();
    let line = BufReader::new(read)
        .lines()
        .next_line()
        .await
        .unwrap()
        .expect("one answer line");
    serde_json::from_str(&line).expect("JSON answer")
}

async fn control_ok(dc: &LocalDc, req: serde_json::Value) -> serde_json::Value {
    let answer = control(dc, req.clone()).await;
    assert_eq!(answer["ok"], true, "{req} → {answer}");
    answer
}

/// A sender config to `addr` that reconnects quickly.
fn quick_config(addr: SocketAddr, id: i32) -> SenderConfig {
    let mut config = SenderConfig::new(
        Peer::Dc {
            id: Some(id),
            addr: Endpoint::new(addr.ip().to_string(), addr.port()),
        },
        Route::Direct,
    );
    config.request_timeout = Some(Duration::from_secs(20));
    config.backoff = Backoff {
        initial: Duration::from_millis(10),
        max: Duration::from_millis(100),
        max_attempts: Some(50),
    };
    config
}

async fn new_key(addr: SocketAddr, id: i32, dc: &LocalDc) -> (Sender, SessionKey) {
    let mut keys = KeyTable::empty();
    keys.add_pem(dc.key().public_pem()).unwrap();
    let params = KeyParams {
        test: true,
        ..KeyParams::permanent(id)
    };
    Sender::connect_creating_key(
        quick_config(addr, id),
        protocol(id, FramingKind::Intermediate, false),
        AuthKeyExchange::new(params, keys),
    )
    .await
    .expect("auth key created")
}

async fn sign_in_alice(s: &Sender) {
    let hash = sent_code_hash(&s.invoke_raw(send_code("9996621234")).await.unwrap());
    s.invoke_raw(sign_in("9996621234", &hash, "22222"))
        .await
        .unwrap();
}

/// Alice, signed in on DC 2 with a quickly reconnecting sender.
async fn alice(dc: &LocalDc) -> (Sender, SessionKey) {
    let (s, key) = new_key(dc.dc_addr(2).unwrap(), 2, dc).await;
    sign_in_alice(&s).await;
    (s, key)
}

async fn get_state(s: &Sender) -> Result<Vec<u8>, InvocationError> {
    s.invoke_raw(GET_STATE.to_le_bytes().to_vec()).await
}

/// Every Saved Messages text of the signed-in user, newest first.
async fn saved_texts(s: &Sender) -> Vec<String> {
    let mut texts = Vec::new();
    let mut offset_id = 0;
    loop {
        let req = functions::messages::GetHistory {
            peer: enums::InputPeer::InputPeerSelf,
            offset_id,
            offset_date: 0,
            add_offset: 0,
            limit: 100,
            max_id: 0,
            min_id: 0,
            hash: 0,
        };
        let body = s.invoke_raw(req.to_bytes()).await.unwrap();
        let enums::messages::Messages::Messages(page) =
            enums::messages::Messages::from_bytes(&body).expect("messages.messages")
        else {
            panic!("expected messages.messages");
        };
        let mut last = None;
        for m in &page.messages {
            if let enums::Message::Message(m) = m {
                texts.push(m.message.clone());
                last = Some(m.id);
            }
        }
        match last {
            Some(id) if page.messages.len() == 100 => offset_id = id,
            _ => return texts,
        }
    }
}

#[tokio::test]
async fn the_control_port_sets_lists_and_clears_every_fault() {
    let dc = start_demo().await;
    let rules = [
        serde_json::json!({"cmd": "fault", "kind": "drop", "dc": 2, "after_messages": 5}),
        serde_json::json!({"cmd": "fault", "kind": "latency", "fixed_ms": 1, "jitter_ms": 2}),
        serde_json::json!({"cmd": "fault", "kind": "error", "method": "help.getConfig", "every": 2}),
        serde_json::json!({"cmd": "fault", "kind": "migrate", "to": 4, "account": "alice"}),
        serde_json::json!({"cmd": "flood", "method": "messages.sendMessage", "wait_secs": 3}),
    ];
    for r in rules {
        control_ok(&dc, r).await;
    }
    control_ok(&dc, serde_json::json!({"cmd": "skew", "secs": -30})).await;
    control_ok(
        &dc,
        serde_json::json!({"cmd": "auth_key_duplicated", "enabled": false}),
    )
    .await;
    let listed = control_ok(&dc, serde_json::json!({"cmd": "faults"})).await;
    let kinds: Vec<&str> = listed["rules"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["flood", "drop", "latency", "error", "migrate"]);
    assert_eq!(listed["clock_skew_secs"], -30);
    assert_eq!(listed["auth_key_duplicated"], false);

    let bad = control(&dc, serde_json::json!({"cmd": "fault", "kind": "drop"})).await;
    assert_eq!(bad["ok"], false);
    assert!(bad["error"].as_str().unwrap().contains("after_messages"));
    let bad = control(
        &dc,
        serde_json::json!({"cmd": "fault", "kind": "error", "method": "x.y"}),
    )
    .await;
    assert!(bad["error"].as_str().unwrap().contains("unknown TL method"));
    let bad = control(&dc, serde_json::json!({"cmd": "skew"})).await;
    assert_eq!(bad["ok"], false);

    let removed = control_ok(
        &dc,
        serde_json::json!({"cmd": "clear_faults", "kind": "drop"}),
    )
    .await;
    assert_eq!(removed["removed"], 1);
    let removed = control_ok(&dc, serde_json::json!({"cmd": "clear_faults"})).await;
    assert_eq!(removed["removed"], 4);
    let listed = control_ok(&dc, serde_json::json!({"cmd": "faults"})).await;
    assert!(listed["rules"].as_array().unwrap().is_empty());

    let before = control_ok(&dc, serde_json::json!({"cmd": "salt"})).await;
    let after = control_ok(&dc, serde_json::json!({"cmd": "salt", "change": true})).await;
    assert_ne!(before["salt"], after["salt"]);
    let rotated = control_ok(&dc, serde_json::json!({"cmd": "salt", "rotation_secs": 5})).await;
    assert_eq!(rotated["rotation_secs"], 5);
    dc.shutdown().await;
}

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
                    &0x9015e101u32.to_le_bytes(),
                    "updateShortSentMessage"
                );
                false
            }
            Err(InvocationError::Rpc { code: 500, message })
                if message == "RANDOM_ID_DUPLICATE" =>
            {
                true
            }
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
#[ignore = "fails: hearth-mtproto's Session::check_msg_id (crates/mtproto/src/session/inbound.rs) drops every server message more than 30 s ahead of its clock and never resyncs, so the call times out; reported to the engine owner"]
async fn a_server_clock_jumping_ahead_on_a_live_session_is_survived() {
    let (dc, s) = skewed_from_the_start(-120).await;
    control_ok(&dc, serde_json::json!({"cmd": "skew", "secs": 0})).await;
    get_state(&s).await.expect("-120 → 0 on a live session");
    dc.shutdown().await;
}

#[tokio::test]
async fn network_migrate_and_internal_errors_come_back_as_errors() {
    let world = "\n[[fault]]\nkind = \"migrate\"\nto = 4\ndc = 2\naccount = \"alice\"\nmethod = \"updates.getState\"\n\n[[fault]]\nkind = \"error\"\nmethod = \"help.getConfig\"\nerror = \"RPC_CALL_FAIL\"\nevery = 2\n";
    let dc = start_with(world).await;
    let (s, _) = alice(&dc).await;
    let (code, message) = rpc_err(get_state(&s).await.unwrap_err());
    assert_eq!((code, message.as_str()), (303, "NETWORK_MIGRATE_4"));
    let config = || s.invoke_raw(GET_CONFIG.to_le_bytes().to_vec());
    config().await.expect("the first call passes");
    let (code, message) = rpc_err(config().await.unwrap_err());
    assert_eq!((code, message.as_str()), (500, "RPC_CALL_FAIL"));
    config().await.expect("the third passes");

    // Through the control port: any method, every call, default error name;
    // requests on the target DC are served.
    control_ok(&dc, serde_json::json!({"cmd": "clear_faults"})).await;
    get_state(&s).await.expect("rules cleared");
    control_ok(&dc, serde_json::json!({"cmd": "fault", "kind": "error"})).await;
    let (code, message) = rpc_err(get_state(&s).await.unwrap_err());
    assert_eq!((code, message.as_str()), (500, "INTERNAL_SERVER_ERROR"));
    control_ok(
        &dc,
        serde_json::json!({"cmd": "clear_faults", "kind": "error"}),
    )
    .await;
    control_ok(
        &dc,
        serde_json::json!({"cmd": "fault", "kind": "migrate", "to": 2}),
    )
    .await;
    get_state(&s)
        .await
        .expect("DC 2 itself is never migrated away from");
    let dc1 = connect(&dc, 1, FramingKind::Abridged, false).await;
    let (code, message) = rpc_err(
        dc1.invoke_raw(GET_CONFIG.to_le_bytes().to_vec())
            .await
            .unwrap_err(),
    );
    assert_eq!((code, message.as_str()), (303, "NETWORK_MIGRATE_2"));
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
    for _ in 0..5 {
        let s = s.clone();
        set.spawn(async move { get_state(&s).await.map(|_| ()) });
    }
    while let Some(r) = set.join_next().await {
        r.unwrap().unwrap();
    }
    let took = t.elapsed();
    assert!(took >= Duration::from_millis(400), "{took:?}");
    assert!(
        took < Duration::from_millis(1600),
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

/// Accepts on 127.0.0.1 and forwards every connection to `target` from
/// 127.0.0.2, so the server sees a second IP address.
async fn relay_from_second_ip(target: SocketAddr) -> SocketAddr {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        while let Ok((mut inbound, _)) = listener.accept().await {
            let socket = tokio::net::TcpSocket::new_v4().unwrap();
            socket.bind("127.0.0.2:0".parse().unwrap()).unwrap();
            let Ok(mut outbound) = socket.connect(target).await else {
                continue;
            };
            tokio::spawn(async move {
                let _ = tokio::io::copy_bidirectional(&mut inbound, &mut outbound).await;
            });
        }
    });
    addr
}

#[tokio::test]
async fn one_key_from_two_ips_at_once_is_auth_key_duplicated() {
    let dc = start_demo().await;
    let (first, key) = alice(&dc).await;
    get_state(&first).await.unwrap();
    let relay = relay_from_second_ip(dc.dc_addr(2).unwrap()).await;
    let second = Sender::connect(
        quick_config(relay, 2),
        protocol(2, FramingKind::Intermediate, false),
        &key,
    )
    .await
    .unwrap();
    let (code, message) = rpc_err(get_state(&second).await.unwrap_err());
    assert_eq!((code, message.as_str()), (406, "AUTH_KEY_DUPLICATED"));
    let (code, message) = rpc_err(get_state(&first).await.unwrap_err());
    assert_eq!(
        (code, message.as_str()),
        (406, "AUTH_KEY_DUPLICATED"),
        "the first connection is told too"
    );
    // A new connection with the key finds it gone (-404).
    let third = Sender::connect(
        quick_config(dc.dc_addr(2).unwrap(), 2),
        protocol(2, FramingKind::Intermediate, false),
        &key,
    )
    .await
    .unwrap();
    match get_state(&third).await.unwrap_err() {
        InvocationError::Connect(e) => assert!(e.to_string().contains("404"), "{e}"),
        other => panic!("expected the transport error -404, got {other}"),
    }
    // Once both connections are gone, the key is deleted for good.
    first.shutdown();
    second.shutdown();
    let key_id = key.auth_key.key_id();
    let mut deleted = false;
    for _ in 0..100 {
        if !dc.state().store().contains(key_id).unwrap() {
            deleted = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(deleted, "the invalidated key is deleted from the store");
    dc.shutdown().await;

    // Sequential use from two IPs is fine, and a world can turn the rule off.
    let dc = start_with("\n[server]\nauth_key_duplicated = false\n").await;
    let (first, key) = alice(&dc).await;
    get_state(&first).await.unwrap();
    let relay = relay_from_second_ip(dc.dc_addr(2).unwrap()).await;
    let second = Sender::connect(
        quick_config(relay, 2),
        protocol(2, FramingKind::Intermediate, false),
        &key,
    )
    .await
    .unwrap();
    get_state(&second).await.expect("the rule is off");
    get_state(&first).await.expect("the rule is off");
    dc.shutdown().await;
}

#[tokio::test]
async fn media_only_endpoints_refuse_everything_but_files() {
    let dc = start_demo().await;
    let (s, _) = new_key(dc.media_addr(2).unwrap(), 2, &dc).await;
    s.invoke_raw(GET_CONFIG.to_le_bytes().to_vec())
        .await
        .expect("help.getConfig is served");
    let (code, message) = rpc_err(s.invoke_raw(send_code("9996621234")).await.unwrap_err());
    assert_eq!((code, message.as_str()), (400, "INPUT_METHOD_INVALID"));
    let wrapped = functions::InvokeWithLayer {
        layer: 229,
        query: hearth_tl::RawQuery(GET_STATE.to_le_bytes().to_vec()),
    };
    let (code, message) = rpc_err(s.invoke_raw(wrapped.to_bytes()).await.unwrap_err());
    assert_eq!(
        (code, message.as_str()),
        (400, "INPUT_METHOD_INVALID"),
        "wrappers are unwrapped first"
    );
    let part = functions::upload::SaveFilePart {
        file_id: 1,
        file_part: 0,
        bytes: vec![0; 1024],
    };
    let (code, message) = rpc_err(s.invoke_raw(part.to_bytes()).await.unwrap_err());
    assert_eq!(
        (code, message.as_str()),
        (401, "AUTH_KEY_UNREGISTERED"),
        "file methods reach their handler"
    );
    dc.shutdown().await;
}
