//! Large answers that arrive back to back (file parts) are handed to the
//! session two at a time, which decrypts them in one pass: every answer
//! still reaches its caller intact, and when the first of a pair ends the
//! connection the second is not lost but asked for again.

mod support;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use hearth_mtproto::SessionConfig;
use hearth_sender::connect::{Peer, Route};
use hearth_sender::sender::{
    Backoff, Config, FramingError, Handled, Mtproto, MtprotoSession, Protocol, RequestId, Session,
    SessionKey,
};
use hearth_sender::Sender;
use hearth_transport::obfuscated::DcId;
use hearth_transport::ClientMode;
use support::dc::*;

const WAIT: Duration = Duration::from_secs(10);
/// 256 KiB: above the sender's pairing threshold.
const PART: u32 = 256 * 1024;

/// `Mtproto` whose sessions count the pairs they are given.
struct Counting {
    inner: Mtproto,
    pairs: Arc<AtomicUsize>,
}

struct CountingSession(MtprotoSession, Arc<AtomicUsize>);

impl Protocol for Counting {
    type Key = SessionKey;
    type Session = CountingSession;

    fn transport(&mut self, route: &Route) -> Result<ClientMode, FramingError> {
        self.inner.transport(route)
    }

    fn session(&mut self, key: &SessionKey) -> CountingSession {
        CountingSession(self.inner.session(key), self.pairs.clone())
    }
}

impl Session for CountingSession {
    fn enqueue(&mut self, body: Vec<u8>) -> RequestId {
        self.0.enqueue(body)
    }

    fn ping_delay_disconnect(&mut self, ping_id: i64, disconnect_delay: i32) -> RequestId {
        self.0.ping_delay_disconnect(ping_id, disconnect_delay)
    }

    fn poll_outgoing(&mut self, now: SystemTime) -> Option<Vec<u8>> {
        self.0.poll_outgoing(now)
    }

    fn handle_incoming(&mut self, now: SystemTime, packet: Vec<u8>) -> Handled {
        self.0.handle_incoming(now, packet)
    }

    fn handle_incoming_pair(
        &mut self,
        now: SystemTime,
        a: Vec<u8>,
        b: Vec<u8>,
    ) -> (Handled, Option<Handled>) {
        self.1.fetch_add(1, Ordering::Relaxed);
        self.0.handle_incoming_pair(now, a, b)
    }

    fn connection_lost(&mut self) {
        self.0.connection_lost()
    }

    fn cancel(&mut self, request: RequestId) {
        self.0.cancel(request)
    }
}

async fn connect(dc: &Dc) -> (Sender, Arc<AtomicUsize>) {
    let mut inner = Mtproto::new(DcId::new(2));
    inner.session = SessionConfig {
        app: None,
        ..SessionConfig::default()
    };
    let pairs = Arc::new(AtomicUsize::new(0));
    let protocol = Counting {
        inner,
        pairs: pairs.clone(),
    };
    let mut config = Config::new(
        Peer::Dc {
            id: Some(2),
            addr: dc.addr.into(),
        },
        Route::Direct,
    );
    config.backoff = Backoff {
        initial: Duration::from_millis(20),
        max: Duration::from_millis(200),
        max_attempts: Some(20),
    };
    let key = SessionKey {
        auth_key: test_key(),
        salt: 0x1234,
        time_offset: 0,
    };
    let sender = Sender::connect(config, protocol, &key)
        .await
        .expect("connect");
    (sender, pairs)
}

/// Asks for `count` large answers at once and checks each one's bytes.
async fn fetch_all(s: &Sender, count: u32) {
    let mut calls = tokio::task::JoinSet::new();
    for n in 1..=count {
        let s = s.clone();
        calls.spawn(async move {
            let call = s.invoke_raw(req(BIG, &[n, PART]));
            let body = tokio::time::timeout(WAIT, call)
                .await
                .expect("an answer in time")
                .expect("answered");
            assert_eq!(word(&body, 0), n);
            assert_eq!(body.len(), 4 + PART as usize, "answer {n}");
            assert!(body[4..].iter().all(|&b| b == n as u8), "answer {n}");
        });
    }
    while let Some(done) = calls.join_next().await {
        done.expect("a call panicked");
    }
}

#[tokio::test]
async fn large_answers_back_to_back_are_decrypted_in_pairs_and_all_arrive_intact() {
    let dc = spawn(DcOptions::default()).await;
    let (s, pairs) = connect(&dc).await;
    for _ in 0..3 {
        fetch_all(&s, 8).await;
    }
    assert!(
        pairs.load(Ordering::Relaxed) >= 1,
        "24 answers of 256 KiB, eight asked for at a time, never came as a pair"
    );
    assert_eq!(dc.log().connections, 1);
}

#[tokio::test]
async fn a_pair_whose_first_packet_is_foreign_loses_nothing() {
    // Every answer on the first connection is sealed under another key: the
    // first of any pair ends that connection, and the answers behind it are
    // asked for again on the next.
    let dc = spawn(DcOptions {
        foreign_key_first: true,
        ..DcOptions::default()
    })
    .await;
    let (s, pairs) = connect(&dc).await;
    fetch_all(&s, 8).await;
    assert!(!s.is_closed(), "{:?}", s.close_reason());
    assert_eq!(dc.log().connections, 2);
    fetch_all(&s, 8).await;
    assert!(pairs.load(Ordering::Relaxed) >= 1);
}
