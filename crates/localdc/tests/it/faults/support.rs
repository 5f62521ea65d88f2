//! Helpers shared by the fault tests (`faults`, `faults_link`).
#![allow(dead_code)]

use std::net::SocketAddr;
use std::time::Duration;

use crate::common::engine::*;
use crate::common::*;
use hearth_mtproto::auth::{KeyParams, KeyTable};
use hearth_sender::connect::{Endpoint, Peer, Route};
use hearth_sender::sender::{AuthKeyExchange, Backoff, Config as SenderConfig, SessionKey};
use hearth_sender::{InvocationError, Sender};
use hearth_tl::{enums, functions, Deserializable, Serializable};
use hearth_transport::FramingKind;
use localdc::world::World;
use localdc::{Config, LocalDc};

pub const GET_STATE: u32 = 0xedd4882a;
pub const GET_CONFIG: u32 = 0xc4f9186b;

/// The demo world plus `extra` tables; `[server]` lines in `extra` join
/// the demo's `[server]` table.
pub async fn start_with(extra: &str) -> LocalDc {
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
pub async fn control(dc: &LocalDc, req: serde_json::Value) -> serde_json::Value {
    dc.control(&req).await.expect("the control port answers")
}

pub async fn control_ok(dc: &LocalDc, req: serde_json::Value) -> serde_json::Value {
    let answer = control(dc, req.clone()).await;
    assert_eq!(answer["ok"], true, "{req} → {answer}");
    answer
}

/// A sender config to `addr` that reconnects quickly.
pub fn quick_config(addr: SocketAddr, id: i32) -> SenderConfig {
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

pub async fn new_key(addr: SocketAddr, id: i32, dc: &LocalDc) -> (Sender, SessionKey) {
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

pub async fn sign_in_alice(s: &Sender) {
    let hash = sent_code_hash(&s.invoke_raw(send_code("9996621234")).await.unwrap());
    s.invoke_raw(sign_in("9996621234", &hash, "22222"))
        .await
        .unwrap();
}

/// Alice, signed in on DC 2 with a quickly reconnecting sender.
pub async fn alice(dc: &LocalDc) -> (Sender, SessionKey) {
    let (s, key) = new_key(dc.dc_addr(2).unwrap(), 2, dc).await;
    sign_in_alice(&s).await;
    (s, key)
}

pub async fn get_state(s: &Sender) -> Result<Vec<u8>, InvocationError> {
    s.invoke_raw(GET_STATE.to_le_bytes().to_vec()).await
}

/// Every Saved Messages text of the signed-in user, newest first.
pub async fn saved_texts(s: &Sender) -> Vec<String> {
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
        let messages = match enums::messages::Messages::from_bytes(&body).expect("messages") {
            enums::messages::Messages::Messages(page) => page.messages,
            enums::messages::Messages::MessagesSlice(page) => page.messages,
            other => panic!("expected messages.messages or a slice, got {other:?}"),
        };
        let mut last = None;
        for m in &messages {
            if let enums::Message::Message(m) = m {
                texts.push(m.message.clone());
                last = Some(m.id);
            }
        }
        match last {
            Some(id) if messages.len() == 100 => offset_id = id,
            _ => return texts,
        }
    }
}
