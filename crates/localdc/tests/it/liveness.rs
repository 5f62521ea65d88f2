//! Liveness against an on-path attacker (issue 14): a relay between
//! hearth-sender and localdc reads the obfuscated2 header the client sends
//! (without an MTProxy secret its keys are in the header itself), and
//! flips bits of one server→client packet: into a forged `-404` frame, a
//! wrong auth_key_id, or a broken msg_key. None of these is authenticated;
//! each must cost one connection, never the sender: it reconnects, re-sends
//! and the next call is answered.

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use crate::common::engine::protocol;
use crate::common::start_demo;
use hearth_mtproto::auth::{KeyParams, KeyTable};
use hearth_sender::connect::{Endpoint, Peer, Route};
use hearth_sender::sender::{AuthKeyExchange, Backoff, Config as SenderConfig};
use hearth_sender::Sender;
use hearth_tl::functions;
use hearth_transport::obfuscated::{server_handshake, Obfuscated2, HEADER_LEN};
use hearth_transport::FramingKind;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

const WAIT: Duration = Duration::from_secs(15);

/// What the relay does to the next encrypted server→client packet.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Tamper {
    /// Turn it into a 4-byte `-404` transport error frame.
    Forge404,
    /// Flip one bit of its auth_key_id.
    FlipKeyId,
    /// Flip one bit of its encrypted data (msg_key no longer matches).
    FlipBody,
}

/// A TCP relay that can flip bits of what localdc sends back.
#[derive(Clone)]
struct Relay {
    addr: SocketAddr,
    armed: Arc<Mutex<Option<Tamper>>>,
    connections: Arc<AtomicUsize>,
}

impl Relay {
    async fn start(target: SocketAddr) -> Relay {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let relay = Relay {
            addr: listener.local_addr().unwrap(),
            armed: Arc::default(),
            connections: Arc::default(),
        };
        let r = relay.clone();
        tokio::spawn(async move {
            while let Ok((client, _)) = listener.accept().await {
                r.connections.fetch_add(1, Ordering::SeqCst);
                let Ok(server) = TcpStream::connect(target).await else {
                    continue;
                };
                tokio::spawn(relay_one(client, server, r.armed.clone()));
            }
        });
        relay
    }

    fn arm(&self, t: Tamper) {
        *self.armed.lock().unwrap() = Some(t);
    }

    fn is_armed(&self) -> bool {
        self.armed.lock().unwrap().is_some()
    }

    fn connections(&self) -> usize {
        self.connections.load(Ordering::SeqCst)
    }
}

/// Relays one connection; tampers with server→client bytes when armed.
async fn relay_one(client: TcpStream, server: TcpStream, armed: Arc<Mutex<Option<Tamper>>>) {
    let (mut c_read, mut c_write) = client.into_split();
    let (mut s_read, mut s_write) = server.into_split();
    let mut header = [0u8; HEADER_LEN];
    if c_read.read_exact(&mut header).await.is_err() || s_write.write_all(&header).await.is_err() {
        return;
    }
    // No secret: anyone who sees the header can derive the stream keys.
    let Ok(hs) = server_handshake(&header, None) else {
        return;
    };
    tokio::spawn(async move {
        let _ = tokio::io::copy(&mut c_read, &mut s_write).await;
    });
    let mut view = ServerStream::new(hs.cipher);
    let mut chunk = vec![0u8; 64 * 1024];
    loop {
        let n = match s_read.read(&mut chunk).await {
            Ok(0) | Err(_) => return,
            Ok(n) => n,
        };
        let out = view.pass(&mut chunk[..n], &armed);
        if c_write.write_all(out).await.is_err() {
            return;
        }
    }
}

/// The server→client stream as the attacker sees it: the keystream of
/// obfuscated2, the intermediate frames of the plaintext, and the edits
/// pending at absolute stream offsets.
struct ServerStream {
    cipher: Obfuscated2,
    plain: Vec<u8>,
    next_frame: usize,
    edits: BTreeMap<usize, Edit>,
}

#[derive(Clone, Copy)]
enum Edit {
    Set(u8),
    Flip(u8),
}

impl ServerStream {
    fn new(cipher: Obfuscated2) -> Self {
        Self {
            cipher,
            plain: Vec::new(),
            next_frame: 0,
            edits: BTreeMap::new(),
        }
    }

    /// Rewrites `chunk` (ciphertext at the end of the stream) in place.
    fn pass<'a>(&mut self, chunk: &'a mut [u8], armed: &Mutex<Option<Tamper>>) -> &'a [u8] {
        let base = self.plain.len();
        // CTR: the keystream is the encryption of zeros.
        let mut keystream = vec![0u8; chunk.len()];
        self.cipher.encrypt(&mut keystream);
        self.plain
            .extend(chunk.iter().zip(&keystream).map(|(c, k)| c ^ k));
        while self.next_frame + 4 <= self.plain.len() {
            let at = self.next_frame;
            let len = u32::from_le_bytes(self.plain[at..at + 4].try_into().unwrap());
            if len & 0x8000_0000 != 0 {
                self.next_frame += 4; // a quick ack
                continue;
            }
            self.next_frame += 4 + len as usize;
            // Only encrypted packets (auth_key_id, msg_key, data).
            if len < 64 {
                continue;
            }
            let mut armed = armed.lock().unwrap();
            if let Some(t) = armed.take() {
                self.plan(at, t);
            }
        }
        for (i, (c, k)) in chunk.iter_mut().zip(&keystream).enumerate() {
            let p = self.plain[base + i];
            let p = match self.edits.remove(&(base + i)) {
                Some(Edit::Set(v)) => v,
                Some(Edit::Flip(bit)) => p ^ bit,
                None => p,
            };
            *c = p ^ k;
        }
        chunk
    }

    /// Edits for the packet whose frame starts at `frame`.
    fn plan(&mut self, frame: usize, t: Tamper) {
        let payload = frame + 4;
        match t {
            Tamper::Forge404 => {
                let forged = [4u32.to_le_bytes(), (-404i32).to_le_bytes()].concat();
                for (i, b) in forged.into_iter().enumerate() {
                    self.edits.insert(frame + i, Edit::Set(b));
                }
            }
            Tamper::FlipKeyId => {
                self.edits.insert(payload, Edit::Flip(0x01));
            }
            Tamper::FlipBody => {
                self.edits.insert(payload + 8 + 16 + 20, Edit::Flip(0x40));
            }
        }
    }
}

fn config(addr: SocketAddr) -> SenderConfig {
    let mut c = SenderConfig::new(
        Peer::Dc {
            id: Some(2),
            addr: Endpoint::new(addr.ip().to_string(), addr.port()),
        },
        Route::Direct,
    );
    c.request_timeout = Some(Duration::from_secs(30));
    c.backoff = Backoff {
        initial: Duration::from_millis(10),
        max: Duration::from_millis(100),
        max_attempts: Some(20),
    };
    c
}

async fn get_config(s: &Sender) {
    let call = s.invoke(&functions::help::GetConfig {});
    let answer = tokio::time::timeout(WAIT, call)
        .await
        .expect("an answer in time");
    if let Err(e) = answer {
        panic!("help.getConfig failed: {e}");
    }
}

/// Through a fresh relay: one call, then `tamper` on the next packet,
/// then two calls that must both be answered by the same sender.
async fn survives_once(tamper: Tamper) {
    let dc = start_demo().await;
    let mut keys = KeyTable::empty();
    keys.add_pem(dc.key().public_pem()).unwrap();
    let relay = Relay::start(dc.dc_addr(2).unwrap()).await;
    let params = KeyParams {
        test: true,
        ..KeyParams::permanent(2)
    };
    let (s, _key) = Sender::connect_creating_key(
        config(relay.addr),
        protocol(2, FramingKind::Intermediate, true),
        AuthKeyExchange::new(params, keys),
    )
    .await
    .expect("auth key created through the relay");
    get_config(&s).await;
    assert_eq!(relay.connections(), 1);

    relay.arm(tamper);
    get_config(&s).await;
    assert!(!relay.is_armed(), "the relay tampered");
    assert!(
        relay.connections() >= 2,
        "the sender dropped the tampered connection and reconnected"
    );
    assert!(!s.is_closed(), "{:?}", s.close_reason());
    get_config(&s).await;
    s.shutdown();
    dc.shutdown().await;
}

#[tokio::test]
async fn a_forged_404_frame_on_the_path_costs_one_connection() {
    survives_once(Tamper::Forge404).await;
}

#[tokio::test]
async fn a_flipped_auth_key_id_on_the_path_costs_one_connection() {
    survives_once(Tamper::FlipKeyId).await;
}

#[tokio::test]
async fn a_flipped_bit_in_the_encrypted_data_costs_one_connection() {
    survives_once(Tamper::FlipBody).await;
}
