//! The sender against hostile or forgetful servers (issue 14, "liveness"):
//! an unauthenticated `-404` or a packet under another auth_key_id only
//! loses the connection; a key is declared unknown only after `-404` on
//! several new connections in a row, in plain words.

mod support;

use std::time::Duration;

use hearth_mtproto::SessionConfig;
use hearth_sender::connect::{ConnectError, Peer, Route};
use hearth_sender::sender::{
    Backoff, Config, InvocationError, Mtproto, SessionKey, REJECTIONS_TO_GIVE_UP,
};
use hearth_sender::{LinkState, Sender};
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

async fn connect(dc: &Dc) -> Sender {
    Sender::connect(config(dc), protocol(), &key())
        .await
        .expect("connect")
}

async fn echo(s: &Sender, n: u32) -> Result<u32, InvocationError> {
    let call = s.invoke_raw(req(ECHO, &[n, 0]));
    let b = tokio::time::timeout(WAIT, call)
        .await
        .expect("an answer or an error in time")?;
    Ok(word(&b, 0))
}

#[tokio::test]
async fn a_single_404_is_a_lost_connection_and_the_request_is_resent() {
    let dc = spawn(DcOptions {
        reject_first: 1,
        ..DcOptions::default()
    })
    .await;
    let s = connect(&dc).await;
    assert_eq!(echo(&s, 7).await.expect("answered after reconnecting"), 7);
    assert!(!s.is_closed(), "the sender goes on: {:?}", s.close_reason());
    assert_eq!(dc.log().connections, 2);
    // The request reached the server only on the second connection.
    assert_eq!(dc.log().received.len(), 1);
    assert_eq!(dc.log().received[0].0, 2);
    assert_eq!(echo(&s, 8).await.expect("answered"), 8);
}

#[tokio::test]
async fn a_404_on_every_new_connection_declares_the_key_unknown_in_plain_words() {
    let dc = spawn(DcOptions {
        reject_first: usize::MAX,
        ..DcOptions::default()
    })
    .await;
    let s = connect(&dc).await;
    let mut link = s.link_state();
    let err = echo(&s, 1).await.expect_err("the key is gone");
    let InvocationError::Connect(e) = &err else {
        panic!("expected the connection error, got {err:?}")
    };
    assert!(
        matches!(**e, ConnectError::AuthKeyUnknown { connections, .. } if connections == REJECTIONS_TO_GIVE_UP),
        "{e:?}"
    );
    let text = err.to_string();
    for words in [
        format!("DC 2 ({})", dc.addr),
        "no longer knows this session's auth key".into(),
        "sign in again".into(),
    ] {
        assert!(text.contains(&words), "{words:?} missing from: {text}");
    }
    tokio::time::timeout(WAIT, s.closed())
        .await
        .expect("stopped");
    assert_eq!(
        dc.log().connections,
        REJECTIONS_TO_GIVE_UP as usize,
        "one -404 per new connection, no more"
    );
    let last = link.borrow_and_update().clone();
    assert!(
        matches!(&last, LinkState::Closed(InvocationError::Connect(e)) if matches!(**e, ConnectError::AuthKeyUnknown { .. })),
        "{last:?}"
    );
    // Later requests get the same verdict at once.
    let again = s.invoke_raw(req(ECHO, &[2, 0])).await.unwrap_err();
    assert!(again.to_string().contains("sign in again"), "{again}");
}

#[tokio::test]
async fn a_packet_under_another_auth_key_id_is_a_lost_connection() {
    let dc = spawn(DcOptions {
        foreign_key_first: true,
        ..DcOptions::default()
    })
    .await;
    let s = connect(&dc).await;
    assert_eq!(echo(&s, 5).await.expect("answered after reconnecting"), 5);
    assert!(!s.is_closed(), "{:?}", s.close_reason());
    let log = dc.log();
    assert_eq!(log.connections, 2);
    let conns: Vec<usize> = log.received.iter().map(|r| r.0).collect();
    assert_eq!(
        conns,
        [1, 2],
        "sent on the first connection, re-sent on the second"
    );
}
