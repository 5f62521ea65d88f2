//! The sender against an in-test MTProto responder built from the real
//! mtproto/transport/crypto crates, over loopback TCP.

mod support;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use hearth_mtproto::SessionConfig;
use hearth_sender::connect::{ConnectError, MtProxySecret, Peer, Proxy, Route};
use hearth_sender::sender::{
    Backoff, Config, InvocationError, Mtproto, SessionKey, UpdateEvent, UpdateSink,
};
use hearth_sender::Sender;
use hearth_transport::obfuscated::DcId;
use support::dc::*;

const WAIT: Duration = Duration::from_secs(10);

fn key() -> SessionKey {
    SessionKey {
        auth_key: test_key(),
        salt: 0x1234,
        time_offset: 0,
    }
}

fn protocol() -> Mtproto {
    let mut p = Mtproto::new(DcId::new(2));
    p.session = SessionConfig {
        app: None,
        ..SessionConfig::default()
    };
    p
}

fn config(dc: &Dc) -> Config {
    let mut c = Config::new(
        Peer::Dc {
            id: Some(2),
            addr: dc.addr.into(),
        },
        Route::Direct,
    );
    c.connect_timeout = Duration::from_secs(5);
    c.backoff = Backoff {
        initial: Duration::from_millis(20),
        max: Duration::from_millis(200),
        max_attempts: Some(20),
    };
    c
}

async fn connect(c: Config) -> Sender {
    Sender::connect(c, protocol(), &key())
        .await
        .expect("connect")
}

async fn echo(s: &Sender, n: u32, delay_ms: u32) -> Result<u32, InvocationError> {
    let call = s.invoke_raw(req(ECHO, &[n, delay_ms]));
    let b = tokio::time::timeout(WAIT, call)
        .await
        .expect("answer in time")?;
    Ok(word(&b, 0))
}

#[tokio::test]
async fn pipelines_many_requests_each_answered_with_its_own_result() {
    let dc = spawn(DcOptions::default()).await;
    let s = connect(config(&dc)).await;
    let mut tasks = Vec::new();
    for n in 0..200u32 {
        let s = s.clone();
        // Later requests are answered sooner: answers come back out of order.
        tasks.push(tokio::spawn(async move {
            (n, echo(&s, n, (200 - n) / 10).await)
        }));
    }
    for t in tasks {
        let (n, r) = tokio::time::timeout(WAIT, t)
            .await
            .expect("in time")
            .expect("task");
        assert_eq!(r.expect("answered"), n);
    }
    let log = dc.log();
    assert_eq!(log.received.len(), 200, "each request sent exactly once");
    assert_eq!(log.connections, 1);
    drop(log);
    assert_eq!(s.waiting_requests(), 0);
}

#[tokio::test]
async fn rpc_error_is_typed() {
    let dc = spawn(DcOptions::default()).await;
    let s = connect(config(&dc)).await;
    let err = s.invoke_raw(req(FAIL, &[])).await.expect_err("must fail");
    match err {
        InvocationError::Rpc(e) => {
            assert_eq!(e.code, 420);
            assert_eq!(e.message, "FLOOD_WAIT_3");
            assert_eq!(e.flood_wait(), Some(Duration::from_secs(3)));
        }
        other => panic!("unexpected {other:?}"),
    }
}

#[tokio::test]
async fn bad_msg_notification_is_typed() {
    let dc = spawn(DcOptions::default()).await;
    let s = connect(config(&dc)).await;
    let err = s.invoke_raw(req(BAD, &[])).await.expect_err("must fail");
    assert!(
        matches!(err, InvocationError::BadMessage { code: 35 }),
        "unexpected {err:?}"
    );
    assert!(err.rpc().is_none());
    // The connection stays usable.
    let ok = s.invoke_raw(req(ECHO, &[5, 0])).await.expect("echo");
    assert_eq!(word(&ok, 0), 5);
}

#[tokio::test]
async fn per_request_timeout_then_connection_still_works() {
    let dc = spawn(DcOptions::default()).await;
    let s = connect(config(&dc)).await;
    let t = Duration::from_millis(150);
    let err = s
        .invoke_raw_with_timeout(req(SILENT, &[]), Some(t))
        .await
        .expect_err("must time out");
    assert!(
        matches!(err, InvocationError::Timeout(d) if d == t),
        "{err:?}"
    );
    assert_eq!(echo(&s, 7, 0).await.expect("answered"), 7);
    assert_eq!(s.waiting_requests(), 0, "timed-out request was forgotten");
}

#[tokio::test]
async fn dropping_the_future_forgets_the_request() {
    let dc = spawn(DcOptions::default()).await;
    let s = connect(config(&dc)).await;
    let slow = echo(&s, 1, 400);
    assert!(tokio::time::timeout(Duration::from_millis(100), slow)
        .await
        .is_err());
    // The cancel reaches the task before this request's answer arrives.
    assert_eq!(echo(&s, 2, 0).await.expect("answered"), 2);
    assert_eq!(s.waiting_requests(), 0);
    // The late answer to the cancelled request arrives and is discarded.
    tokio::time::sleep(Duration::from_millis(450)).await;
    assert_eq!(echo(&s, 3, 0).await.expect("answered"), 3);
    assert_eq!(dc.log().received.len(), 3);
}

#[tokio::test]
async fn reconnect_resends_exactly_the_unanswered_requests() {
    let dc = spawn(DcOptions::default()).await;
    let s = connect(config(&dc)).await;
    // Answered on the first connection.
    for n in [10, 11] {
        assert_eq!(echo(&s, n, 0).await.expect("answered"), n);
    }
    // Held: the first connection never answers these.
    let held: Vec<_> = [20u32, 21, 22]
        .into_iter()
        .map(|n| {
            let s = s.clone();
            tokio::spawn(async move { s.invoke_raw(req(HOLD, &[n])).await.map(|b| word(&b, 0)) })
        })
        .collect();
    // Wait until the server has them, then make it drop the connection.
    for _ in 0..200 {
        if dc.log().received.len() == 5 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    let cut = s.invoke_raw(req(CUT, &[]));
    let cut = tokio::time::timeout(WAIT, cut).await.expect("in time");
    assert!(cut.is_ok(), "cut answered after reconnect: {cut:?}");
    for (h, n) in held.into_iter().zip([20u32, 21, 22]) {
        let r = tokio::time::timeout(WAIT, h)
            .await
            .expect("in time")
            .expect("task");
        assert_eq!(r.expect("answered after reconnect"), n);
    }
    let log = dc.log();
    assert_eq!(log.connections, 2);
    let first: Vec<_> = log.received.iter().filter(|r| r.0 == 1).collect();
    let second: Vec<_> = log.received.iter().filter(|r| r.0 == 2).collect();
    assert_eq!(first.len(), 6);
    let resent_ctors: Vec<u32> = {
        let mut v: Vec<u32> = second.iter().map(|r| word(&r.2, 0)).collect();
        v.sort();
        v
    };
    let mut want_ctors = vec![HOLD, HOLD, HOLD, CUT];
    want_ctors.sort();
    assert_eq!(
        resent_ctors, want_ctors,
        "only unanswered requests are re-sent"
    );
    assert!(
        !second.iter().any(|r| word(&r.2, 0) == ECHO),
        "answered requests must not be re-sent"
    );
    let old_ids: Vec<i64> = first.iter().map(|r| r.1).collect();
    assert!(
        second.iter().all(|r| !old_ids.contains(&r.1)),
        "re-sent under new msg_ids"
    );
    let mut held_args: Vec<u32> = second
        .iter()
        .filter(|r| word(&r.2, 0) == HOLD)
        .map(|r| word(&r.2, 1))
        .collect();
    held_args.sort();
    assert_eq!(held_args, vec![20, 21, 22]);
}

/// Polls the DC log until `done` holds (or ten seconds pass).
async fn wait_for(dc: &Dc, done: impl Fn(&Log) -> bool) {
    for _ in 0..1000 {
        if done(&dc.log()) {
            return;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    panic!("the DC never reached the expected state");
}

#[tokio::test]
async fn cancelled_requests_are_dropped_and_never_resent_after_reconnect() {
    let dc = spawn(DcOptions::default()).await;
    let s = connect(config(&dc)).await;
    // Both sent on the first connection, which never answers them: one
    // times out, the other's future is dropped.
    let timed_out = tokio::spawn({
        let s = s.clone();
        async move {
            let t = Some(Duration::from_millis(300));
            s.invoke_raw_with_timeout(req(HOLD, &[30]), t).await
        }
    });
    let dropped = tokio::spawn({
        let s = s.clone();
        async move { s.invoke_raw(req(HOLD, &[31])).await }
    });
    wait_for(&dc, |l| l.received.len() == 2).await;
    let sent: Vec<i64> = dc.log().received.iter().map(|r| r.1).collect();
    let timed_out = timed_out.await.expect("task");
    assert!(
        matches!(timed_out, Err(InvocationError::Timeout(_))),
        "{timed_out:?}"
    );
    dropped.abort();
    assert!(dropped.await.expect_err("aborted").is_cancelled());

    // The server is asked to drop both answers.
    wait_for(&dc, |l| l.dropped.len() == 2).await;
    let mut asked = dc.log().dropped.clone();
    asked.sort_unstable();
    let mut want = sent.clone();
    want.sort_unstable();
    assert_eq!(asked, want);
    assert_eq!(s.waiting_requests(), 0);

    // After a reconnect only the request still waited for is sent again.
    let cut = tokio::time::timeout(WAIT, s.invoke_raw(req(CUT, &[])))
        .await
        .expect("in time");
    assert!(cut.is_ok(), "cut answered after reconnect: {cut:?}");
    assert_eq!(echo(&s, 5, 0).await.expect("answered"), 5);
    let log = dc.log();
    assert_eq!(log.connections, 2);
    let resent: Vec<u32> = log
        .received
        .iter()
        .filter(|r| r.0 == 2)
        .map(|r| word(&r.2, 0))
        .collect();
    assert_eq!(resent, vec![CUT, ECHO], "cancelled requests were resent");
}

#[tokio::test]
async fn keepalive_detects_a_dead_link_and_reconnects() {
    let dc = spawn(DcOptions {
        mute_first: true,
        ..DcOptions::default()
    })
    .await;
    let mut c = config(&dc);
    c.ping_interval = Duration::from_millis(100);
    c.ping_timeout = Duration::from_millis(150);
    let s = connect(c).await;
    // The first connection swallows everything; the answer comes on the
    // connection opened after the keepalive gives up on it.
    let n = tokio::time::timeout(WAIT, echo(&s, 5, 0))
        .await
        .expect("in time");
    assert_eq!(n.expect("answered"), 5);
    let log = dc.log();
    assert!(log.connections >= 2, "reconnected");
    assert!(log.pings >= 1, "pinged");
}

#[tokio::test]
async fn shutdown_from_inside_the_update_callback_does_not_deadlock() {
    let dc = spawn(DcOptions::default()).await;
    let seen = Arc::new(Mutex::new(Vec::new()));
    let mut c = config(&dc);
    let seen2 = seen.clone();
    c.updates = UpdateSink::Callback(Box::new(move |u, sender: &Sender| {
        seen2.lock().expect("lock").push(u);
        // Runs on the sender's own task.
        sender.shutdown();
        sender.shutdown();
    }));
    let s = connect(c).await;
    let silent = {
        let s = s.clone();
        tokio::spawn(async move { s.invoke_raw(req(SILENT, &[])).await })
    };
    tokio::time::sleep(Duration::from_millis(50)).await;
    let pushed = s.invoke_raw(req(PUSH, &[77])).await;
    assert!(
        matches!(pushed, Err(InvocationError::Shutdown)),
        "{pushed:?}"
    );
    tokio::time::timeout(WAIT, s.closed())
        .await
        .expect("task stopped");
    let r = tokio::time::timeout(WAIT, silent)
        .await
        .expect("in time")
        .expect("task");
    assert!(matches!(r, Err(InvocationError::Shutdown)), "{r:?}");
    assert!(matches!(
        s.invoke_raw(req(ECHO, &[1, 0])).await,
        Err(InvocationError::Shutdown)
    ));
    let seen = seen.lock().expect("lock");
    assert_eq!(seen.len(), 1);
    match &seen[0] {
        UpdateEvent::Update(b) => assert_eq!((word(b, 0), word(b, 1)), (TEST_UPDATE, 77)),
        other => panic!("unexpected {other:?}"),
    }
}

#[tokio::test]
async fn shutdown_from_the_update_channel_consumer() {
    let dc = spawn(DcOptions::default()).await;
    let (tx, mut rx) = tokio::sync::mpsc::channel(8);
    let mut c = config(&dc);
    c.updates = UpdateSink::Channel(tx);
    let s = connect(c).await;
    let consumer = {
        let s = s.clone();
        tokio::spawn(async move {
            let u = rx.recv().await;
            s.shutdown();
            s.closed().await;
            u
        })
    };
    // Answered or shut down, depending on which the task handles first.
    let _ = s.invoke_raw(req(PUSH, &[5])).await;
    let u = tokio::time::timeout(WAIT, consumer)
        .await
        .expect("no deadlock")
        .expect("task");
    assert!(
        matches!(u, Some(UpdateEvent::Update(ref b)) if word(b, 1) == 5),
        "{u:?}"
    );
    assert!(s.is_closed());
}

#[tokio::test]
async fn dropping_every_handle_stops_the_task() {
    let dc = spawn(DcOptions::default()).await;
    let s = connect(config(&dc)).await;
    let other = s.clone();
    assert_eq!(echo(&s, 1, 0).await.expect("answered"), 1);
    drop(s);
    // One handle left: still running.
    assert_eq!(echo(&other, 2, 0).await.expect("answered"), 2);
    assert!(!other.is_closed());
    drop(other);
    // The task closes its connection once the last handle is gone.
    for _ in 0..500 {
        if dc.log().closed == 1 {
            return;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    panic!("connection still open after every handle was dropped");
}

#[tokio::test]
async fn shutdown_while_other_handles_live_stops_the_task() {
    let dc = spawn(DcOptions::default()).await;
    let s = connect(config(&dc)).await;
    let other = s.clone();
    s.shutdown();
    tokio::time::timeout(WAIT, other.closed())
        .await
        .expect("stopped");
    assert!(matches!(
        other.close_reason(),
        Some(InvocationError::Shutdown)
    ));
    assert!(matches!(
        other.invoke_raw(req(ECHO, &[1, 0])).await,
        Err(InvocationError::Shutdown)
    ));
}

/// [`config`] reaching the DC as an MTProxy with the raw `secret`.
fn mtproxy_config(dc: &Dc, secret: Vec<u8>) -> Config {
    let mut c = config(dc);
    c.route = Route::MtProxy {
        server: dc.addr.into(),
        secret: MtProxySecret::new(secret),
        via: None,
    };
    c
}

/// A DC behind a fake-TLS (`ee`) MTProxy for example.com keyed with `key`.
async fn fake_tls_dc(key: [u8; 16]) -> Dc {
    spawn(DcOptions {
        secret: Some(key),
        domain: Some("example.com".into()),
        ..DcOptions::default()
    })
    .await
}

/// The `ee` secret for example.com with `key`.
fn ee_secret(key: [u8; 16]) -> Vec<u8> {
    let mut raw = vec![0xee];
    raw.extend_from_slice(&key);
    raw.extend_from_slice(b"example.com");
    raw
}

#[tokio::test]
async fn mtproxy_route_with_dd_secret_and_through_socks5() {
    let secret_key = [0x5au8; 16];
    let dc = spawn(DcOptions {
        secret: Some(secret_key),
        ..DcOptions::default()
    })
    .await;
    let mut raw = vec![0xdd];
    raw.extend_from_slice(&secret_key);
    let socks = support::proxies::socks5_server(None).await;
    for via in [
        None,
        Some(Proxy::Socks5 {
            addr: socks.into(),
            credentials: None,
        }),
    ] {
        let mut c = config(&dc);
        // Through MTProxy only the DC id travels: the address (a documentation
        // address) is never dialled.
        c.dc = Peer::Dc {
            id: Some(2),
            addr: hearth_sender::connect::Endpoint::new("192.0.2.50", 443),
        };
        c.route = Route::MtProxy {
            server: dc.addr.into(),
            secret: MtProxySecret::new(raw.clone()),
            via,
        };
        let s = connect(c).await;
        assert_eq!(echo(&s, 9, 0).await.expect("answered through MTProxy"), 9);
        s.shutdown();
    }
}

#[tokio::test]
async fn mtproxy_wrong_secret_reports_closed_after_handshake() {
    let dc = spawn(DcOptions {
        secret: Some([1u8; 16]),
        ..DcOptions::default()
    })
    .await;
    let mut c = mtproxy_config(&dc, [2u8; 16].to_vec());
    c.backoff.max_attempts = Some(1);
    let s = connect(c).await;
    let err = tokio::time::timeout(WAIT, echo(&s, 1, 0))
        .await
        .expect("in time")
        .expect_err("must fail");
    let InvocationError::Connect(e) = &err else {
        panic!("unexpected {err:?}")
    };
    assert!(matches!(**e, ConnectError::MtProxyClosed { .. }), "{e:?}");
    let msg = err.to_string();
    assert!(
        msg.contains(&format!("MTProxy {}", dc.addr)) && msg.contains("secret"),
        "{msg}"
    );
}

#[tokio::test]
async fn mtproxy_route_with_ee_fake_tls_secret() {
    let dc = fake_tls_dc([0x3c; 16]).await;
    let s = connect(mtproxy_config(&dc, ee_secret([0x3c; 16]))).await;
    let mut tasks = Vec::new();
    for n in 0..20u32 {
        let s = s.clone();
        tasks.push(tokio::spawn(async move { (n, echo(&s, n, n % 5).await) }));
    }
    for t in tasks {
        let (n, r) = t.await.expect("task");
        assert_eq!(r.expect("answered through fake-TLS"), n);
    }
}

#[tokio::test]
async fn mtproxy_fake_tls_with_wrong_key_fails_at_connect() {
    let dc = fake_tls_dc([0x3c; 16]).await;
    let c = mtproxy_config(&dc, ee_secret([0x3d; 16]));
    let err = Sender::connect(c, protocol(), &key())
        .await
        .expect_err("proxy rejects the hello");
    assert!(matches!(err, ConnectError::MtProxyClosed { .. }), "{err:?}");
    assert!(err.to_string().contains("secret"), "{err}");
}

#[tokio::test]
async fn invalid_mtproxy_secret_is_reported_at_connect() {
    let dc = spawn(DcOptions::default()).await;
    let c = mtproxy_config(&dc, vec![0xdd, 1, 2, 3]);
    let err = Sender::connect(c, protocol(), &key())
        .await
        .expect_err("bad secret");
    assert!(matches!(err, ConnectError::MtProxySecret { .. }), "{err:?}");
    assert!(err.to_string().contains("proxy link"), "{err}");
}

#[tokio::test]
async fn invoke_generated_tl_function_and_decode_its_return() {
    let dc = spawn(DcOptions::default()).await;
    let s = connect(config(&dc)).await;
    let got = s
        .invoke(&hearth_tl::functions::help::GetNearestDc {})
        .await
        .expect("answered");
    let hearth_tl::enums::NearestDc::NearestDc(n) = got;
    assert_eq!((n.country.as_str(), n.this_dc, n.nearest_dc), ("NL", 2, 4));
    let err = s
        .invoke(&hearth_tl::functions::help::GetConfig {})
        .await
        .expect_err("garbage answer");
    assert!(matches!(err, InvocationError::Decode(_)), "{err:?}");
}

#[tokio::test]
async fn creates_an_auth_key_on_first_connect_and_hands_it_back() {
    use hearth_crypto::rsa::RsaPrivateKey;
    use hearth_mtproto::auth::{KeyParams, KeyTable};
    use hearth_sender::sender::AuthKeyExchange;

    let rsa =
        RsaPrivateKey::generate(&mut rand::make_rng::<rand::rngs::StdRng>()).expect("rsa key");
    let mut table = KeyTable::empty();
    table.add(rsa.public_key().clone());
    let server_key = Arc::new(Mutex::new(None));
    let dc = spawn(DcOptions {
        key: server_key.clone(),
        rsa: Some(Arc::new(rsa)),
        ..DcOptions::default()
    })
    .await;
    let exchange = AuthKeyExchange::new(KeyParams::permanent(2), table);
    let (s, created) = Sender::connect_creating_key(config(&dc), protocol(), exchange)
        .await
        .expect("key created");
    let server_side = server_key
        .lock()
        .expect("lock")
        .clone()
        .expect("server has the key");
    assert_eq!(created.auth_key.key_id(), server_side.key_id());
    assert!(!format!("{created:?}").contains(&format!("{:?}", &created.auth_key.as_bytes()[..8])));
    // The session over the new key works on the same connection.
    assert_eq!(echo(&s, 42, 0).await.expect("answered"), 42);
    assert_eq!(dc.log().connections, 1);
}

#[tokio::test]
async fn key_exchange_with_an_unknown_server_key_fails_typed() {
    use hearth_crypto::rsa::RsaPrivateKey;
    use hearth_mtproto::auth::{KeyParams, KeyTable};
    use hearth_sender::sender::AuthKeyExchange;

    let rsa =
        RsaPrivateKey::generate(&mut rand::make_rng::<rand::rngs::StdRng>()).expect("rsa key");
    let dc = spawn(DcOptions {
        key: Arc::new(Mutex::new(None)),
        rsa: Some(Arc::new(rsa)),
        ..DcOptions::default()
    })
    .await;
    // The client trusts no key the server has.
    let exchange = AuthKeyExchange::new(KeyParams::permanent(2), KeyTable::empty());
    let err = Sender::connect_creating_key(config(&dc), protocol(), exchange)
        .await
        .expect_err("must fail");
    assert!(matches!(err, ConnectError::KeyExchange { .. }), "{err:?}");
    assert!(
        err.to_string().contains(&format!("DC 2 ({})", dc.addr)),
        "{err}"
    );
}

#[tokio::test]
async fn direct_dc_through_socks5_and_http_proxies() {
    let dc = spawn(DcOptions::default()).await;
    let socks = support::proxies::socks5_server(Some(("u", "p"))).await;
    let http = support::proxies::http_proxy_server(Some("u:p")).await;
    let creds = || Some(hearth_sender::connect::Credentials::new("u", "p"));
    for proxy in [
        Proxy::Socks5 {
            addr: socks.into(),
            credentials: creds(),
        },
        Proxy::Http {
            addr: http.into(),
            credentials: creds(),
        },
    ] {
        let mut c = config(&dc);
        c.route = Route::Proxy(proxy);
        let s = connect(c).await;
        assert_eq!(echo(&s, 3, 0).await.expect("answered through the proxy"), 3);
        s.shutdown();
    }
    assert_eq!(dc.log().connections, 2);
}

#[tokio::test]
async fn gives_up_after_backoff_and_fails_pending_requests_with_the_connect_error() {
    let dc = spawn(DcOptions::default()).await;
    let mut c = config(&dc);
    c.backoff = Backoff {
        initial: Duration::from_millis(10),
        max: Duration::from_millis(40),
        max_attempts: Some(3),
    };
    let s = connect(c).await;
    assert_eq!(echo(&s, 1, 0).await.expect("answered"), 1);
    let pending = {
        let s = s.clone();
        tokio::spawn(async move { s.invoke_raw(req(HOLD, &[1])).await })
    };
    tokio::time::sleep(Duration::from_millis(50)).await;
    dc.stop();
    let r = tokio::time::timeout(WAIT, pending)
        .await
        .expect("in time")
        .expect("task");
    let Err(InvocationError::Connect(e)) = &r else {
        panic!("unexpected {r:?}")
    };
    assert!(matches!(**e, ConnectError::Refused { .. }), "{e:?}");
    assert!(
        e.to_string().contains(&format!("DC 2 ({})", dc.addr)),
        "{e}"
    );
    tokio::time::timeout(WAIT, s.closed())
        .await
        .expect("stopped");
    assert!(matches!(
        s.invoke_raw(req(ECHO, &[2, 0])).await,
        Err(InvocationError::Connect(_))
    ));
}

#[tokio::test]
async fn a_lagging_update_consumer_never_stalls_the_connection() {
    let dc = spawn(DcOptions::default()).await;
    let (tx, mut rx) = tokio::sync::mpsc::channel(1);
    let mut c = config(&dc);
    c.updates = UpdateSink::Channel(tx);
    let s = connect(c).await;
    let pushes: Vec<_> = (0..3u32)
        .map(|n| {
            let s = s.clone();
            tokio::spawn(async move { s.invoke_raw(req(PUSH, &[n])).await })
        })
        .collect();
    // Nobody reads the updates meanwhile; the answers still arrive.
    for p in pushes {
        let r = tokio::time::timeout(WAIT, p)
            .await
            .expect("in time")
            .expect("task");
        assert!(r.is_ok(), "{r:?}");
    }
    assert!(matches!(rx.try_recv(), Ok(UpdateEvent::Update(_))));
    assert!(
        rx.try_recv().is_err(),
        "the channel holds only its capacity"
    );
    assert_eq!(echo(&s, 4, 0).await.expect("answered"), 4);
}

#[tokio::test]
async fn the_link_state_is_pushed_when_the_connection_drops_and_returns() {
    let dc = spawn(DcOptions::default()).await;
    let s = connect(config(&dc)).await;
    let mut link = s.link_state();
    assert!(link.borrow_and_update().is_connected());
    // The server drops the connection while answering CUT.
    let cut = {
        let s = s.clone();
        tokio::spawn(async move { s.invoke_raw(req(CUT, &[])).await })
    };
    let lost = tokio::time::timeout(WAIT, link.wait_for(|l| !l.is_connected()))
        .await
        .expect("a state change in time")
        .expect("the task runs")
        .clone();
    let hearth_sender::LinkState::Reconnecting {
        attempt,
        last_error,
        since,
        ..
    } = lost
    else {
        panic!("expected reconnecting, got {lost:?}")
    };
    assert!(attempt >= 1, "attempts count from 1: {attempt}");
    assert!(since <= std::time::SystemTime::now());
    assert!(!last_error.to_string().is_empty());
    tokio::time::timeout(WAIT, link.wait_for(|l| l.is_connected()))
        .await
        .expect("connected again in time")
        .expect("the task runs");
    let answered = tokio::time::timeout(WAIT, cut).await.expect("in time");
    assert!(answered.expect("task").is_ok());
    s.shutdown();
    let closed = tokio::time::timeout(
        WAIT,
        link.wait_for(|l| matches!(l, hearth_sender::LinkState::Closed(_))),
    )
    .await
    .expect("closed in time")
    .expect("the last state stays readable")
    .clone();
    assert!(
        matches!(
            closed,
            hearth_sender::LinkState::Closed(InvocationError::Shutdown)
        ),
        "{closed:?}"
    );
}
