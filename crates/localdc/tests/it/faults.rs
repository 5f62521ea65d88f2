//! Injected faults decided per call (`localdc::faults`) and the
//! `AUTH_KEY_DUPLICATED` rule, set through the world file and the control
//! port, exercised with Hearth's own engine (hearth-sender). Faults of the
//! link (drops, latency, salts, clock) are in `faults_link.rs`.

pub(crate) mod support;

use std::net::SocketAddr;
use std::time::Duration;

use crate::common::engine::*;
use crate::common::start_demo;
use hearth_sender::{InvocationError, Sender};
use hearth_tl::{functions, Serializable};
use hearth_transport::FramingKind;
use support::*;

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
