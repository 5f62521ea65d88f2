//! Memory bombs from a hostile server over loopback (issue 14, "Hostile
//! input: memory"): packed (`gzip_packed`) answers nested many levels deep,
//! a vector whose count lies, and a container whose packed messages together
//! exceed the inflate budget of one payload — sent to the key exchange and
//! to an encrypted session. A counting global allocator (this test binary
//! only) measures the peak bytes live while the sender meets each bomb; the
//! caller must get an error that names what was refused.

use std::alloc::{GlobalAlloc, Layout, System};
use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering::Relaxed};
use std::time::Duration;

use hearth_crypto::dh::DhParams;
use hearth_crypto::rsa::RsaPrivateKey;
use hearth_crypto::AuthKey;
use hearth_mtproto::auth::{KeyParams, KeyTable};
use hearth_mtproto::server::auth::{ServerAuth, ServerStep};
use hearth_mtproto::server::message::{
    container, open, rpc_result, seal, split_container, ServerMsgIds,
};
use hearth_mtproto::{plain, SessionConfig, UnixTime};
use hearth_sender::connect::{Peer, Route};
use hearth_sender::sender::{AuthKeyExchange, Config, InvocationError, Mtproto, SessionKey};
use hearth_sender::Sender;
use hearth_tl::mtproto::special::{GzipPacked, MAX_UNPACKED_SIZE};
use hearth_tl::{functions, types, Identifiable, Serializable};
use hearth_transport::framing::Frame;
use hearth_transport::obfuscated::DcId;
use hearth_transport::{FramingKind, Role};
use rand::rngs::StdRng;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

// ---- peak memory -----------------------------------------------------------

struct Counting;

static CURRENT: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

fn grew(by: usize) {
    let now = CURRENT.fetch_add(by, Relaxed) + by;
    PEAK.fetch_max(now, Relaxed);
}

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let p = unsafe { System.alloc(layout) };
        if !p.is_null() {
            grew(layout.size());
        }
        p
    }
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        let p = unsafe { System.alloc_zeroed(layout) };
        if !p.is_null() {
            grew(layout.size());
        }
        p
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) };
        CURRENT.fetch_sub(layout.size(), Relaxed);
    }
    /// Counted as the change in size, as the system allocator resizes large
    /// blocks in place.
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let p = unsafe { System.realloc(ptr, layout, new_size) };
        if !p.is_null() {
            if new_size >= layout.size() {
                grew(new_size - layout.size());
            } else {
                CURRENT.fetch_sub(layout.size() - new_size, Relaxed);
            }
        }
        p
    }
}

#[global_allocator]
static ALLOC: Counting = Counting;

/// One measurement at a time: the tests of this binary run on parallel threads.
static SERIAL: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

/// Peak bytes live on top of those live at [`Peak::start`].
struct Peak(usize);

impl Peak {
    fn start() -> Self {
        let base = CURRENT.load(Relaxed);
        PEAK.store(base, Relaxed);
        Peak(base)
    }
    fn bytes(&self) -> usize {
        PEAK.load(Relaxed).saturating_sub(self.0)
    }
}

/// What meeting one bomb may cost: one payload's inflate budget (16 MiB)
/// and change. Before these limits each bomb here cost 64 MiB or more.
const BOUND: usize = MAX_UNPACKED_SIZE + (8 << 20);

fn assert_within_bound(peak: &Peak, what: &str) {
    let bytes = peak.bytes();
    assert!(
        bytes < BOUND,
        "{what}: {} MiB live at the peak, more than the {} MiB bound",
        bytes >> 20,
        BOUND >> 20
    );
}

// ---- bombs -------------------------------------------------------------------

/// `levels` nested `gzip_packed` objects around `innermost`. Each level's
/// content is the next level followed by zeros up to the old per-level limit,
/// so each level once unpacked to 16 MiB while the packet stays small.
fn nested_bomb(levels: usize, innermost: &[u8]) -> Vec<u8> {
    let mut object = innermost.to_vec();
    for _ in 0..levels {
        object.resize(MAX_UNPACKED_SIZE, 0);
        object = GzipPacked::pack(&object).to_bytes();
    }
    object
}

/// A serialized object of `size` bytes starting with `ctor`.
fn padded(ctor: u32, size: usize) -> Vec<u8> {
    let mut b = ctor.to_le_bytes().to_vec();
    b.resize(size, 0);
    b
}

fn nearest_dc() -> Vec<u8> {
    types::NearestDc {
        country: "NL".into(),
        this_dc: 2,
        nearest_dc: 2,
    }
    .to_bytes()
}

// ---- the hostile server ------------------------------------------------------

/// Serves one connection with intermediate framing (hearth-transport's
/// server codec): every packet the client sends is passed to `answer`, and
/// the packets it returns are sent back.
async fn hostile<F>(mut answer: F) -> SocketAddr
where
    F: FnMut(&[u8]) -> Vec<Vec<u8>> + Send + 'static,
{
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let addr = listener.local_addr().expect("addr");
    tokio::spawn(async move {
        let Ok((mut s, _)) = listener.accept().await else {
            return;
        };
        let rng: StdRng = rand::make_rng();
        let mut framing = FramingKind::Intermediate.build(Role::Server, Box::new(rng));
        let mut tag = [0u8; 4];
        if s.read_exact(&mut tag).await.is_err() || tag != [0xee; 4] {
            return;
        }
        let mut buf = Vec::new();
        let mut chunk = vec![0u8; 64 << 10];
        loop {
            while let Ok(Some((frame, used))) = framing.unpack(&buf) {
                buf.drain(..used);
                let Frame::Packet { payload, .. } = frame else {
                    continue;
                };
                for packet in answer(&payload) {
                    let mut out = Vec::new();
                    if framing.pack(&packet, &mut out).is_err() || s.write_all(&out).await.is_err()
                    {
                        return;
                    }
                }
            }
            match s.read(&mut chunk).await {
                Ok(0) | Err(_) => return,
                Ok(n) => buf.extend_from_slice(&chunk[..n]),
            }
        }
    });
    addr
}

fn config(addr: SocketAddr) -> Config {
    let mut c = Config::new(
        Peer::Dc {
            id: Some(2),
            addr: addr.into(),
        },
        Route::Direct,
    );
    c.connect_timeout = Duration::from_secs(4);
    c.request_timeout = Some(Duration::from_secs(4));
    c
}

fn protocol() -> Mtproto {
    let mut p = Mtproto::new(DcId::new(2));
    p.session = SessionConfig {
        app: None,
        ..SessionConfig::default()
    };
    p
}

fn test_key() -> AuthKey {
    AuthKey::from_bytes(core::array::from_fn(|i| {
        (i as u8).wrapping_mul(31).wrapping_add(7)
    }))
}

/// A server that knows [`test_key`] and answers the client's request
/// (`help.getNearestDc` or `users.getUsers`) with the messages `bomb` builds
/// from its msg_id
/// (each with its own server msg_id; more than one go in a container).
async fn session_server<F>(bomb: F) -> SocketAddr
where
    F: Fn(i64) -> Vec<Vec<u8>> + Send + 'static,
{
    let key = test_key();
    let mut ids = ServerMsgIds::new();
    let mut rng: StdRng = rand::make_rng();
    hostile(move |payload| {
        let Ok(msg) = open(&key, payload) else {
            return Vec::new();
        };
        let Ok(messages) = split_container(&msg) else {
            return Vec::new();
        };
        let asked = [
            functions::help::GetNearestDc::CONSTRUCTOR_ID,
            functions::users::GetUsers::CONSTRUCTOR_ID,
        ];
        let Some((req_msg_id, _, _)) = messages.iter().find(|(_, _, body)| {
            asked
                .iter()
                .any(|id| body.get(..4) == Some(&id.to_le_bytes()[..]))
        }) else {
            return Vec::new();
        };
        let now = UnixTime::now();
        let bodies = bomb(*req_msg_id);
        let body = if bodies.len() == 1 {
            bodies[0].clone()
        } else {
            let inner: Vec<(i64, i32, Vec<u8>)> = bodies
                .into_iter()
                .enumerate()
                .map(|(i, b)| (ids.next(now, true), 2 * i as i32 + 1, b))
                .collect();
            let refs: Vec<(i64, i32, &[u8])> = inner
                .iter()
                .map(|(id, s, b)| (*id, *s, b.as_slice()))
                .collect();
            container(&refs)
        };
        let msg_id = ids.next(now, true);
        vec![seal(
            &key,
            msg.salt,
            msg.session_id,
            msg_id,
            1,
            &body,
            &mut rng,
        )]
    })
    .await
}

async fn connect(addr: SocketAddr) -> Sender {
    let key = SessionKey {
        auth_key: test_key(),
        salt: 0x1234,
        time_offset: 0,
    };
    Sender::connect(config(addr), protocol(), &key)
        .await
        .expect("connect")
}

// ---- tests ---------------------------------------------------------------------

#[tokio::test]
async fn key_exchange_refuses_a_packed_server_dh_params_bomb() {
    let _serial = SERIAL.lock().await;
    let rsa = RsaPrivateKey::generate(&mut rand::make_rng::<StdRng>()).expect("rsa key");
    let mut table = KeyTable::empty();
    table.add(rsa.public_key().clone());
    let bomb = nested_bomb(4, &[0u8; 64]);
    let mut server = ServerAuth::new(rsa, DhParams::telegram());
    let mut rng: StdRng = rand::make_rng();
    let mut ids = ServerMsgIds::new();
    let mut answered = 0;
    let addr = hostile(move |payload| {
        answered += 1;
        if answered == 1 {
            // A genuine resPQ, so the client goes on to req_DH_params.
            match server.handle(UnixTime::now(), payload, &mut rng) {
                Ok(ServerStep::Reply(r)) => vec![r],
                _ => Vec::new(),
            }
        } else {
            vec![plain::wrap(ids.next(UnixTime::now(), true), &bomb)]
        }
    })
    .await;
    let peak = Peak::start();
    let exchange = AuthKeyExchange::new(KeyParams::permanent(2), table);
    let err = Sender::connect_creating_key(config(addr), protocol(), exchange)
        .await
        .expect_err("a packed server_DH_params must end the key exchange");
    assert_within_bound(&peak, "server_DH_params bomb");
    let text = err.to_string();
    assert!(text.contains("gzip_packed found where"), "{text}");
}

#[tokio::test]
async fn key_exchange_refuses_a_packed_res_pq() {
    let _serial = SERIAL.lock().await;
    let bomb = nested_bomb(4, &[0u8; 64]);
    let mut ids = ServerMsgIds::new();
    let addr = hostile(move |_| vec![plain::wrap(ids.next(UnixTime::now(), true), &bomb)]).await;
    let peak = Peak::start();
    let exchange = AuthKeyExchange::new(KeyParams::permanent(2), KeyTable::empty());
    let err = Sender::connect_creating_key(config(addr), protocol(), exchange)
        .await
        .expect_err("a packed resPQ must end the key exchange");
    assert_within_bound(&peak, "resPQ bomb");
    let text = err.to_string();
    assert!(text.contains("gzip_packed found where resPQ"), "{text}");
}

#[tokio::test]
async fn session_refuses_an_answer_packed_inside_a_packed_answer() {
    let _serial = SERIAL.lock().await;
    let bomb = nested_bomb(4, &nearest_dc());
    let addr = session_server(move |req| vec![rpc_result(req, &bomb)]).await;
    let s = connect(addr).await;
    let peak = Peak::start();
    let err = s
        .invoke(&functions::help::GetNearestDc {})
        .await
        .expect_err("a nested packed answer must be refused");
    assert_within_bound(&peak, "nested gzip_packed answer");
    assert!(matches!(err, InvocationError::Protocol(_)), "{err:?}");
    let text = err.to_string();
    assert!(text.contains("unpacks to another gzip_packed"), "{text}");
    s.shutdown();
}

#[tokio::test]
async fn session_refuses_a_vector_whose_count_lies() {
    let _serial = SERIAL.lock().await;
    // Vector<User> claiming 4 million users in 16 MiB of packed zeros.
    let mut lie = 0x1cb5_c415u32.to_le_bytes().to_vec();
    lie.extend_from_slice(&((MAX_UNPACKED_SIZE as u32 - 8) / 4).to_le_bytes());
    lie.resize(MAX_UNPACKED_SIZE, 0);
    let packed = GzipPacked::pack(&lie).to_bytes();
    let addr = session_server(move |req| vec![rpc_result(req, &packed)]).await;
    let s = connect(addr).await;
    let peak = Peak::start();
    let err = s
        .invoke(&functions::users::GetUsers { id: Vec::new() })
        .await
        .expect_err("zeros are not users");
    assert_within_bound(&peak, "lying vector count");
    assert!(matches!(err, InvocationError::Decode(_)), "{err:?}");
    assert!(err.to_string().contains("where User was expected"), "{err}");
    s.shutdown();
}

#[tokio::test]
async fn session_keeps_a_container_within_one_inflate_budget() {
    let _serial = SERIAL.lock().await;
    // Eight packed updates of 6 MiB each, then the answer, also 6 MiB
    // unpacked (a NearestDc and zeros): two updates leave too little for it.
    let update = GzipPacked::pack(&padded(0x0bda_7e00, 6 << 20)).to_bytes();
    let mut answer = nearest_dc();
    answer.resize(6 << 20, 0);
    let answer = GzipPacked::pack(&answer).to_bytes();
    let addr = session_server(move |req| {
        let mut bodies = vec![update.clone(); 8];
        bodies.push(rpc_result(req, &answer));
        bodies
    })
    .await;
    let s = connect(addr).await;
    let peak = Peak::start();
    let err = s
        .invoke(&functions::help::GetNearestDc {})
        .await
        .expect_err("the budget was spent before the answer");
    assert_within_bound(&peak, "container over the inflate budget");
    let text = err.to_string();
    assert!(text.contains("the limit for one message"), "{text}");
    s.shutdown();
}
