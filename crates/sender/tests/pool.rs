//! The connection pool against in-test MTProto responders over loopback:
//! one responder per (DC, kind), reached through a test dialer that counts
//! its dials and keeps every sender it made.

mod support;

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;

use hearth_mtproto::SessionConfig;
use hearth_sender::connect::{Peer, Route};
use hearth_sender::pool::{ConnKind, DialError, DialTarget, Pool, PoolConfig, PoolError};
use hearth_sender::sender::{
    Backoff, Config, InvocationError, Mtproto, SessionKey, UpdateCallback, UpdateSink,
};
use hearth_sender::Sender;
use hearth_transport::obfuscated::DcId;
use support::dc::*;
use tokio::sync::Semaphore;

const WAIT: Duration = Duration::from_secs(10);
const MAIN: ConnKind = ConnKind::Main;
const MEDIA: ConnKind = ConnKind::Media;

type Key = (i32, ConnKind);

/// The test dialer's world: where each (DC, kind) listens, and what it did.
#[derive(Default)]
struct Net {
    addrs: Mutex<HashMap<Key, SocketAddr>>,
    /// Every sender made, in order.
    made: Mutex<Vec<(Key, Sender)>>,
    /// Dials started, per key.
    dials: Mutex<HashMap<Key, usize>>,
    /// When set, each dial first takes a permit (tests hold dials open).
    gate: Mutex<Option<Arc<Semaphore>>>,
    delay: Mutex<Duration>,
    /// Builds an update callback for each new connection.
    on_update: Mutex<Option<Box<dyn Fn() -> UpdateCallback + Send + Sync>>>,
}

impl Net {
    fn dials(&self, key: Key) -> usize {
        self.dials.lock().unwrap().get(&key).copied().unwrap_or(0)
    }

    fn made(&self) -> Vec<(Key, Sender)> {
        self.made.lock().unwrap().clone()
    }

    async fn dial(self: Arc<Self>, t: DialTarget) -> Result<Sender, DialError> {
        let key = (t.dc, t.kind);
        *self.dials.lock().unwrap().entry(key).or_default() += 1;
        let gate = self.gate.lock().unwrap().clone();
        if let Some(gate) = gate {
            gate.acquire().await?.forget();
        }
        let delay = *self.delay.lock().unwrap();
        tokio::time::sleep(delay).await;
        let addr = self.addrs.lock().unwrap().get(&key).copied();
        let addr = addr.ok_or_else(|| format!("no address for DC {} ({})", t.dc, t.kind))?;
        let mut c = Config::new(
            Peer::Dc {
                id: Some(t.dc),
                addr: addr.into(),
            },
            t.route,
        );
        c.connect_timeout = Duration::from_secs(5);
        // No keepalive noise while a test pauses time.
        c.ping_interval = Duration::from_secs(3600);
        c.backoff = Backoff {
            initial: Duration::from_millis(20),
            max: Duration::from_millis(50),
            max_attempts: Some(2),
        };
        if let Some(make) = &*self.on_update.lock().unwrap() {
            c.updates = UpdateSink::Callback(make());
        }
        let key_material = SessionKey {
            auth_key: test_key(),
            salt: 0x1234,
            time_offset: 0,
        };
        let mut protocol = Mtproto::new(DcId::new(t.dc as u16));
        protocol.session = SessionConfig {
            app: None,
            ..SessionConfig::default()
        };
        let sender = Sender::connect(c, protocol, &key_material).await?;
        self.made.lock().unwrap().push((key, sender.clone()));
        Ok(sender)
    }
}

/// Responders for DC 2 (main and media) and DC 4 (main), and a pool.
async fn setup(idle: Duration) -> (Arc<Net>, HashMap<Key, Dc>, Pool) {
    let net = Arc::new(Net::default());
    let mut dcs = HashMap::new();
    for key in [(2, MAIN), (2, MEDIA), (4, MAIN)] {
        let dc = spawn(DcOptions::default()).await;
        net.addrs.lock().unwrap().insert(key, dc.addr);
        dcs.insert(key, dc);
    }
    let dialer = {
        let net = net.clone();
        move |t: DialTarget| net.clone().dial(t)
    };
    let mut config = PoolConfig::new(Route::Direct);
    config.idle_timeout = idle;
    (net, dcs, Pool::new(dialer, config))
}

async fn echo(s: &Sender, n: u32) -> Result<u32, InvocationError> {
    let b = tokio::time::timeout(WAIT, s.invoke_raw(req(ECHO, &[n, 0])))
        .await
        .expect("answer in time")?;
    Ok(word(&b, 0))
}

async fn get(pool: &Pool, dc: i32, kind: ConnKind) -> Sender {
    tokio::time::timeout(WAIT, pool.get(dc, kind))
        .await
        .expect("in time")
        .expect("connection")
}

async fn closes(s: &Sender) {
    tokio::time::timeout(WAIT, s.closed())
        .await
        .expect("the connection closes");
}

#[tokio::test]
async fn opens_lazily_one_connection_per_dc_and_kind() {
    let (net, dcs, pool) = setup(Duration::from_secs(300)).await;
    assert!(pool.live().is_empty());
    assert_eq!(
        net.dials((2, MAIN)),
        0,
        "nothing opened before the first get"
    );

    let main = get(&pool, 2, MAIN).await;
    assert_eq!(echo(&main, 7).await.expect("echo"), 7);
    let again = get(&pool, 2, MAIN).await;
    assert!(
        again.same_connection(&main),
        "the same connection is reused"
    );
    assert_eq!(net.dials((2, MAIN)), 1);

    // Media connections are separate and go to the media address.
    let media = get(&pool, 2, MEDIA).await;
    assert!(!media.same_connection(&main));
    assert_eq!(echo(&media, 8).await.expect("echo"), 8);
    assert_eq!(dcs[&(2, MEDIA)].log().connections, 1);
    assert_eq!(dcs[&(2, MAIN)].log().connections, 1);

    let other = get(&pool, 4, MAIN).await;
    assert_eq!(echo(&other, 9).await.expect("echo"), 9);
    assert_eq!(pool.live(), vec![(2, MAIN), (2, MEDIA), (4, MAIN)]);
    assert_eq!(pool.route(), &Route::Direct);
    assert_eq!(dcs[&(4, MAIN)].log().connections, 1);
}

#[tokio::test]
async fn concurrent_gets_share_one_connect() {
    let (net, dcs, pool) = setup(Duration::from_secs(300)).await;
    *net.delay.lock().unwrap() = Duration::from_millis(200);
    let callers: Vec<_> = (0..16)
        .map(|_| {
            let pool = pool.clone();
            tokio::spawn(async move { pool.get(2, MAIN).await })
        })
        .collect();
    let mut senders = Vec::new();
    for c in callers {
        senders.push(c.await.expect("task").expect("connection"));
    }
    assert_eq!(net.dials((2, MAIN)), 1, "one connect for all callers");
    assert!(senders.iter().all(|s| s.same_connection(&senders[0])));
    assert_eq!(dcs[&(2, MAIN)].log().connections, 1);
    assert_eq!(echo(&senders[5], 3).await.expect("echo"), 3);
}

#[tokio::test]
async fn concurrent_gets_share_one_failure_and_the_next_get_retries() {
    let (net, dcs, pool) = setup(Duration::from_secs(300)).await;
    dcs[&(4, MAIN)].stop();
    tokio::time::sleep(Duration::from_millis(50)).await;
    *net.delay.lock().unwrap() = Duration::from_millis(100);
    let callers: Vec<_> = (0..8)
        .map(|_| {
            let pool = pool.clone();
            tokio::spawn(async move { pool.get(4, MAIN).await })
        })
        .collect();
    for c in callers {
        let err = c.await.expect("task").expect_err("DC 4 is down");
        assert!(
            matches!(
                err,
                PoolError::Dial {
                    dc: 4,
                    kind: MAIN,
                    ..
                }
            ),
            "{err:?}"
        );
        assert!(err.connect_error().is_some(), "a connect error: {err}");
        assert!(err.to_string().contains("DC 4"), "{err}");
    }
    assert_eq!(net.dials((4, MAIN)), 1, "one attempt for all callers");
    assert!(pool.live().is_empty());

    // The DC is back at a new address: the next get dials again.
    let dc = spawn(DcOptions::default()).await;
    net.addrs.lock().unwrap().insert((4, MAIN), dc.addr);
    let s = get(&pool, 4, MAIN).await;
    assert_eq!(echo(&s, 1).await.expect("echo"), 1);
    assert_eq!(net.dials((4, MAIN)), 2);
}

#[tokio::test]
async fn idle_connections_close_and_reopen_busy_ones_stay() {
    let idle = Duration::from_secs(60);
    let (net, dcs, pool) = setup(idle).await;
    let main = get(&pool, 2, MAIN).await;
    assert_eq!(echo(&main, 1).await.expect("echo"), 1);
    // A request in flight on the media connection keeps it open.
    let media = get(&pool, 2, MEDIA).await;
    let held = {
        let media = media.clone();
        tokio::spawn(async move { media.invoke_raw(req(SILENT, &[])).await })
    };
    while media.waiting_requests() == 0 {
        tokio::time::sleep(Duration::from_millis(5)).await;
    }

    tokio::time::pause();
    tokio::time::sleep(idle - Duration::from_secs(5)).await;
    assert_eq!(
        pool.live(),
        vec![(2, MAIN), (2, MEDIA)],
        "not idle long enough"
    );
    tokio::time::sleep(Duration::from_secs(10)).await;
    assert_eq!(
        pool.live(),
        vec![(2, MEDIA)],
        "the idle main connection closed"
    );
    closes(&main).await;
    assert!(matches!(
        main.invoke_raw(req(ECHO, &[1, 0])).await,
        Err(InvocationError::Shutdown)
    ));
    tokio::time::sleep(idle * 3).await;
    assert_eq!(pool.live(), vec![(2, MEDIA)], "busy: still open");

    // Once the request is given up, the media connection idles out too.
    held.abort();
    let _ = held.await;
    tokio::time::sleep(idle + Duration::from_secs(1)).await;
    assert!(pool.live().is_empty());
    closes(&media).await;
    tokio::time::resume();

    // The next get opens a new connection.
    let reopened = get(&pool, 2, MAIN).await;
    assert!(!reopened.same_connection(&main));
    assert_eq!(echo(&reopened, 2).await.expect("echo"), 2);
    assert_eq!(net.dials((2, MAIN)), 2);
    assert_eq!(dcs[&(2, MAIN)].log().connections, 2);
}

#[tokio::test]
async fn shutdown_from_inside_an_update_callback_returns() {
    let (net, _dcs, pool) = setup(Duration::from_secs(300)).await;
    let slot: Arc<OnceLock<Pool>> = Arc::new(OnceLock::new());
    let calls = Arc::new(Mutex::new(0usize));
    {
        let (slot, calls) = (slot.clone(), calls.clone());
        *net.on_update.lock().unwrap() = Some(Box::new(move || {
            let (slot, calls) = (slot.clone(), calls.clone());
            Box::new(move |_, _: &Sender| {
                // Runs on the connection's own task.
                let pool = slot.get().expect("pool set");
                pool.shutdown();
                pool.shutdown();
                *calls.lock().unwrap() += 1;
            })
        }));
    }
    let _ = slot.set(pool.clone());
    let main = get(&pool, 2, MAIN).await;
    let media = get(&pool, 2, MEDIA).await;
    let pushed = tokio::time::timeout(WAIT, main.invoke_raw(req(PUSH, &[5])))
        .await
        .expect("in time");
    assert!(
        matches!(pushed, Err(InvocationError::Shutdown)),
        "{pushed:?}"
    );
    assert_eq!(*calls.lock().unwrap(), 1, "the callback returned");
    closes(&main).await;
    closes(&media).await;
    assert!(pool.is_shut_down());
    assert!(pool.live().is_empty());
    assert!(matches!(pool.get(4, MAIN).await, Err(PoolError::Shutdown)));
    assert_eq!(net.dials((4, MAIN)), 0);
}

#[tokio::test]
async fn shutdown_releases_callers_waiting_for_a_dial() {
    let (net, _dcs, pool) = setup(Duration::from_secs(300)).await;
    let gate = Arc::new(Semaphore::new(0));
    *net.gate.lock().unwrap() = Some(gate.clone());
    let waiting = {
        let pool = pool.clone();
        tokio::spawn(async move { pool.get(2, MAIN).await })
    };
    while net.dials((2, MAIN)) == 0 {
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    pool.shutdown();
    let r = tokio::time::timeout(WAIT, waiting).await.expect("released");
    assert!(matches!(r.expect("task"), Err(PoolError::Shutdown)));
    // The dial finishes later; its connection is shut down at once.
    gate.add_permits(1);
    while net.made().is_empty() {
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    closes(&net.made()[0].1).await;
    assert!(pool.live().is_empty());
}

#[tokio::test]
async fn a_dead_connection_is_replaced_on_the_next_get() {
    let (net, dcs, pool) = setup(Duration::from_secs(300)).await;
    let first = get(&pool, 2, MAIN).await;
    assert_eq!(echo(&first, 1).await.expect("echo"), 1);
    // The DC goes away; the sender gives up reconnecting.
    dcs[&(2, MAIN)].stop();
    closes(&first).await;
    assert!(pool.live().is_empty(), "a dead connection is not live");

    let dc = spawn(DcOptions::default()).await;
    net.addrs.lock().unwrap().insert((2, MAIN), dc.addr);
    let second = get(&pool, 2, MAIN).await;
    assert!(!second.same_connection(&first));
    assert_eq!(echo(&second, 2).await.expect("echo"), 2);
    assert_eq!(net.dials((2, MAIN)), 2);
    assert_eq!(pool.live(), vec![(2, MAIN)]);
}

#[tokio::test]
async fn drop_dc_while_dialing_never_leaves_two_live_connections() {
    let (net, dcs, pool) = setup(Duration::from_secs(300)).await;
    let gate = Arc::new(Semaphore::new(0));
    *net.gate.lock().unwrap() = Some(gate.clone());
    let first = {
        let pool = pool.clone();
        tokio::spawn(async move { pool.get(2, MAIN).await })
    };
    while net.dials((2, MAIN)) == 0 {
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    // The DC's key changed, say: drop while the first dial is under way.
    pool.drop_dc(2);
    let second = {
        let pool = pool.clone();
        tokio::spawn(async move { pool.get(2, MAIN).await })
    };
    while net.dials((2, MAIN)) < 2 {
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    // Both dials go on; the first one, dropped, must not become live.
    gate.add_permits(2);
    let replacement = tokio::time::timeout(WAIT, second)
        .await
        .expect("in time")
        .expect("task")
        .expect("connection");
    let waited = tokio::time::timeout(WAIT, first)
        .await
        .expect("in time")
        .expect("task")
        .expect("connection");
    assert!(
        waited.same_connection(&replacement),
        "the dropped dial's caller gets the replacement"
    );
    assert_eq!(echo(&waited, 4).await.expect("echo"), 4);
    assert_eq!(dcs[&(2, MAIN)].log().connections, 2);
    for (_, s) in net.made() {
        if !s.same_connection(&replacement) {
            closes(&s).await;
        }
    }
    assert_eq!(pool.live(), vec![(2, MAIN)]);
}

#[tokio::test]
async fn never_two_live_connections_per_key_under_churn() {
    let (net, _dcs, pool) = setup(Duration::from_secs(300)).await;
    let keys = [(2, MAIN), (2, MEDIA), (4, MAIN)];
    let mut rng = fastrand::Rng::with_seed(7);
    for round in 0..30 {
        let mut tasks = Vec::new();
        for _ in 0..6 {
            let key = keys[rng.usize(..keys.len())];
            let pool = pool.clone();
            tasks.push(tokio::spawn(async move { pool.get(key.0, key.1).await }));
        }
        if round % 3 == 0 {
            tokio::task::yield_now().await;
            pool.drop_dc(if rng.bool() { 2 } else { 4 });
        }
        for t in tasks {
            let s = t.await.expect("task").expect("connection");
            // A connection dropped by drop_dc meanwhile answers Shutdown.
            match echo(&s, round).await {
                Ok(n) => assert_eq!(n, round),
                Err(InvocationError::Shutdown) => {}
                Err(e) => panic!("round {round}: {e}"),
            }
        }
    }
    // Settled: per key, only the pool's own connection may still run.
    let mut live: HashMap<Key, Sender> = HashMap::new();
    for key in pool.live() {
        live.insert(key, get(&pool, key.0, key.1).await);
    }
    for (key, s) in net.made() {
        match live.get(&key) {
            Some(current) if current.same_connection(&s) => {}
            _ => closes(&s).await,
        }
    }
    for key in keys {
        let running = net
            .made()
            .iter()
            .filter(|(k, s)| *k == key && !s.is_closed())
            .count();
        assert!(running <= 1, "{key:?}: {running} live connections");
    }
}

#[tokio::test]
async fn a_connection_state_is_pushed_through_dial_loss_and_shutdown() {
    use hearth_sender::pool::ConnState;
    let (net, dcs, pool) = setup(Duration::from_secs(300)).await;
    let mut state = pool.state(2, MAIN);
    assert!(matches!(*state.borrow_and_update(), ConnState::Idle));
    let first = get(&pool, 2, MAIN).await;
    assert!(state.borrow_and_update().is_connected());
    // The DC goes away: reconnecting at once, then down once the sender gives up.
    dcs[&(2, MAIN)].stop();
    let _ = first.invoke_raw(req(ECHO, &[1, 0])).await;
    tokio::time::timeout(
        WAIT,
        state.wait_for(|s| matches!(s, ConnState::Down { .. })),
    )
    .await
    .expect("down in time")
    .expect("pool alive");
    // It comes back: the next get reconnects.
    let dc = spawn(DcOptions::default()).await;
    net.addrs.lock().unwrap().insert((2, MAIN), dc.addr);
    let _second = get(&pool, 2, MAIN).await;
    assert!(state.borrow_and_update().is_connected());
    pool.shutdown();
    assert!(matches!(*state.borrow_and_update(), ConnState::ShutDown));
}
