//! A minimal MTProto responder for sender tests, built from the same crates
//! as the client (server halves of `hearth-mtproto`, `hearth-transport`
//! codecs and obfuscated2). It speaks plain intermediate, or obfuscated2 with
//! an MTProxy secret, and answers a few test-only request constructors.

#![allow(dead_code)]

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use hearth_crypto::dh::DhParams;
use hearth_crypto::rsa::RsaPrivateKey;
use hearth_crypto::AuthKey;
use hearth_mtproto::server::auth::{ServerAuth, ServerStep};
use hearth_mtproto::server::message::{
    open, rpc_error, rpc_result, seal, split_container, ServerMsgIds,
};
use hearth_mtproto::UnixTime;
use hearth_transport::fake_tls::{
    build_server_hello, verify_client_hello, RecordReader, RecordWriter, TimeWindow,
};
use hearth_transport::framing::Frame;
use hearth_transport::obfuscated::{server_handshake, Obfuscated2};
use hearth_transport::{Framing, FramingKind, Role};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::mpsc;

/// `echo n:int delay_ms:int` → answers `n` after the delay.
pub const ECHO: u32 = 0xec40_ec40;
/// `hold n:int` → answered only on a connection after the first.
pub const HOLD: u32 = 0x401d_401d;
/// `silent` → never answered.
pub const SILENT: u32 = 0x5113_5113;
/// `fail` → rpc_error 420 FLOOD_WAIT_3.
pub const FAIL: u32 = 0xfa11_fa11;
/// `bad` → bad_msg_notification with code 35 (seqno parity), which no
/// resend can fix.
pub const BAD: u32 = 0xbad0_bad0;
/// `push n:int` → an update carrying `n`, then (300 ms later) the answer `n`.
pub const PUSH: u32 = 0x9054_9054;
/// `cut` → on the first connection, close it without answering.
pub const CUT: u32 = 0xc077_c077;
/// `big n:int len:int` → answers `n` followed by `len` bytes of `n as u8`
/// (a file part's size, for the paired decryption of large answers).
pub const BIG: u32 = 0xb16b_b16b;
/// Update constructor used by `push`.
pub const TEST_UPDATE: u32 = 0x0bda_7e00;

const PING_DELAY_DISCONNECT: u32 = 0xf342_7b8c;
const GET_NEAREST_DC: u32 =
    <hearth_tl::functions::help::GetNearestDc as hearth_tl::Identifiable>::CONSTRUCTOR_ID;
const GET_CONFIG: u32 =
    <hearth_tl::functions::help::GetConfig as hearth_tl::Identifiable>::CONSTRUCTOR_ID;
const PONG: u32 = 0x347773c5;
const BAD_MSG_NOTIFICATION: u32 = 0xa7ef_f811;
const RPC_DROP_ANSWER: u32 =
    <hearth_tl::mtproto::functions::RpcDropAnswer as hearth_tl::Identifiable>::CONSTRUCTOR_ID;
/// `rpc_answer_unknown#5e2ad36e`.
const RPC_ANSWER_UNKNOWN: u32 = 0x5e2a_d36e;

pub fn req(ctor: u32, args: &[u32]) -> Vec<u8> {
    let mut b = ctor.to_le_bytes().to_vec();
    for a in args {
        b.extend_from_slice(&a.to_le_bytes());
    }
    b
}

pub fn word(b: &[u8], i: usize) -> u32 {
    u32::from_le_bytes([b[4 * i], b[4 * i + 1], b[4 * i + 2], b[4 * i + 3]])
}

pub fn test_key() -> AuthKey {
    let mut k = [0u8; 256];
    for (i, b) in k.iter_mut().enumerate() {
        *b = (i as u8).wrapping_mul(31).wrapping_add(7);
    }
    AuthKey::from_bytes(k)
}

/// One received content message: (connection number from 1, msg_id, body).
pub type Received = (usize, i64, Vec<u8>);

#[derive(Default)]
pub struct Log {
    pub connections: usize,
    pub received: Vec<Received>,
    pub pings: usize,
    /// Connections that have ended.
    pub closed: usize,
    /// `req_msg_id` of every `rpc_drop_answer` received.
    pub dropped: Vec<i64>,
}

#[derive(Clone)]
pub struct Dc {
    pub addr: SocketAddr,
    pub log: Arc<Mutex<Log>>,
    stop: Arc<tokio::sync::watch::Sender<bool>>,
}

#[derive(Clone)]
pub struct DcOptions {
    /// The auth key the server knows (shared by all connections); filled
    /// by key creation when `rsa` is set.
    pub key: Arc<Mutex<Option<AuthKey>>>,
    /// Accept auth key creation with this RSA key.
    pub rsa: Option<Arc<RsaPrivateKey>>,
    /// Expect obfuscated2 keyed with this MTProxy secret key.
    pub secret: Option<[u8; 16]>,
    /// On the first connection, read but never write (a dead link).
    pub mute_first: bool,
    /// Fake-TLS: the domain the ClientHello must name.
    pub domain: Option<String>,
    /// The first this many connections answer their first encrypted packet
    /// with the transport error `-404` and close, as a DC that forgot the
    /// key does (`usize::MAX`: every connection).
    pub reject_first: usize,
    /// On the first connection, seal every answer under another auth key
    /// (a wrong auth_key_id).
    pub foreign_key_first: bool,
}

impl Default for DcOptions {
    fn default() -> Self {
        Self {
            key: Arc::new(Mutex::new(Some(test_key()))),
            rsa: None,
            secret: None,
            mute_first: false,
            domain: None,
            reject_first: 0,
            foreign_key_first: false,
        }
    }
}

impl Dc {
    /// Closes the listener and every connection: the port then refuses.
    pub fn stop(&self) {
        let _ = self.stop.send(true);
    }

    pub fn log(&self) -> std::sync::MutexGuard<'_, Log> {
        self.log.lock().expect("log lock")
    }
}

pub async fn spawn(opts: DcOptions) -> Dc {
    let l = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let (stop, stopped) = tokio::sync::watch::channel(false);
    let dc = Dc {
        addr: l.local_addr().expect("addr"),
        log: Arc::default(),
        stop: Arc::new(stop),
    };
    let log = dc.log.clone();
    tokio::spawn(async move {
        let mut until = stopped.clone();
        loop {
            let (s, _) = tokio::select! {
                r = l.accept() => match r { Ok(a) => a, Err(_) => return },
                _ = until.wait_for(|s| *s) => return,
            };
            let n = {
                let mut g = log.lock().expect("lock");
                g.connections += 1;
                g.connections
            };
            let mut until = stopped.clone();
            let served = serve(s, n, log.clone(), opts.clone());
            let log = log.clone();
            tokio::spawn(async move {
                tokio::select! {
                    _ = served => {}
                    _ = until.wait_for(|s| *s) => {}
                }
                log.lock().expect("lock").closed += 1;
            });
        }
    });
    dc
}

struct Conn {
    framing: Box<dyn Framing>,
    cipher: Option<Obfuscated2>,
    tls: Option<(RecordReader, RecordWriter)>,
    /// Bytes read from the socket not yet through the record layer.
    raw: Vec<u8>,
    /// The (still obfuscated) stream.
    stream: Vec<u8>,
}

fn server_rng() -> Box<rand::rngs::StdRng> {
    Box::new(rand::make_rng())
}

impl Conn {
    /// Reads more bytes into `stream`; false on EOF or error.
    async fn fill(&mut self, s: &mut TcpStream) -> bool {
        let mut chunk = [0u8; 8192];
        let n = match s.read(&mut chunk).await {
            Ok(n) if n > 0 => n,
            _ => return false,
        };
        self.raw.extend_from_slice(&chunk[..n]);
        match &mut self.tls {
            Some((reader, _)) => match reader.unwrap(&self.raw, &mut self.stream) {
                Ok(used) => {
                    self.raw.drain(..used);
                }
                Err(_) => return false,
            },
            None => self.stream.append(&mut self.raw),
        }
        true
    }

    fn wrap(&mut self, mut frame: Vec<u8>) -> Vec<u8> {
        if let Some(c) = &mut self.cipher {
            c.encrypt(&mut frame);
        }
        match &mut self.tls {
            Some((_, writer)) => {
                let mut out = Vec::new();
                writer.wrap(&frame, &mut out);
                out
            }
            None => frame,
        }
    }
}

async fn handshake(s: &mut TcpStream, opts: &DcOptions) -> Option<Conn> {
    let mut conn = Conn {
        framing: FramingKind::Intermediate.build(Role::Server, server_rng()),
        cipher: None,
        tls: None,
        raw: Vec::new(),
        stream: Vec::new(),
    };
    let mut first = [0u8; 1];
    s.read_exact(&mut first).await.ok()?;
    if first[0] == 0x16 {
        // MTProxy fake-TLS: verify the ClientHello, answer, then unwrap records.
        let key = opts.secret?;
        let mut hello = first.to_vec();
        let (verified, used) = loop {
            let now = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .ok()?
                .as_secs() as u32;
            match verify_client_hello(
                &key,
                opts.domain.as_deref(),
                &hello,
                now,
                TimeWindow::default(),
            ) {
                Ok(Some(v)) => break v,
                Ok(None) => {}
                Err(_) => return None,
            }
            let mut chunk = [0u8; 1024];
            let n = s.read(&mut chunk).await.ok()?;
            if n == 0 {
                return None;
            }
            hello.extend_from_slice(&chunk[..n]);
        };
        let answer = build_server_hello(&mut *server_rng(), &key, &verified, 1200);
        s.write_all(&answer).await.ok()?;
        conn.tls = Some((RecordReader::new(), RecordWriter::server()));
        conn.raw = hello[used..].to_vec();
        if let Some((reader, _)) = &mut conn.tls {
            let used = reader.unwrap(&conn.raw, &mut conn.stream).ok()?;
            conn.raw.drain(..used);
        }
    } else {
        conn.stream.push(first[0]);
    }
    while conn.stream.len() < 4 {
        if !conn.fill(s).await {
            return None;
        }
    }
    if conn.stream[..4] == [0xee; 4] && conn.tls.is_none() {
        conn.stream.drain(..4);
        return Some(conn);
    }
    while conn.stream.len() < 64 {
        if !conn.fill(s).await {
            return None;
        }
    }
    let mut header = [0u8; 64];
    header.copy_from_slice(&conn.stream[..64]);
    conn.stream.drain(..64);
    // A wrong secret yields an unknown tag: close, as MTProxy does.
    let hs = server_handshake(&header, opts.secret.as_ref()).ok()?;
    conn.framing = FramingKind::from(hs.tag).build(Role::Server, server_rng());
    conn.cipher = Some(hs.cipher);
    Some(conn)
}

/// What to send: (body, is it an answer to a client message).
type Out = (Vec<u8>, bool);

async fn serve(mut s: TcpStream, conn_no: usize, log: Arc<Mutex<Log>>, opts: DcOptions) {
    let Some(mut conn) = handshake(&mut s, &opts).await else {
        return;
    };
    let mute = opts.mute_first && conn_no == 1;
    let (tx, mut rx) = mpsc::unbounded_channel::<Out>();
    let (plain_tx, mut plain_rx) = mpsc::unbounded_channel::<Vec<u8>>();
    let mut server_auth = opts
        .rsa
        .clone()
        .map(|k| ServerAuth::new((*k).clone(), DhParams::telegram()));
    let mut buf = Vec::new();
    let mut ids = ServerMsgIds::new();
    let mut rng = rand::make_rng::<rand::rngs::StdRng>();
    let mut seq = 0i32;
    let mut salt_session = (0i64, 0i64);
    loop {
        // Bytes already in the stream (after the handshake) come first.
        let mut fresh = std::mem::take(&mut conn.stream);
        if !fresh.is_empty() {
            if let Some(c) = &mut conn.cipher {
                c.decrypt(&mut fresh);
            }
            buf.extend_from_slice(&fresh);
            loop {
                let (frame, used) = match conn.framing.unpack(&buf) {
                    Ok(Some(f)) => f,
                    Ok(None) => break,
                    Err(_) => return,
                };
                buf.drain(..used);
                // Padded intermediate has already stripped its padding.
                let Frame::Packet { payload, .. } = frame else {
                    continue;
                };
                if payload.len() >= 8 && payload[..8] == [0u8; 8] {
                    // Auth key creation (unencrypted messages).
                    let Some(auth) = &mut server_auth else { return };
                    match auth.handle(UnixTime::now(), &payload, &mut rng) {
                        Ok(ServerStep::Reply(r)) => {
                            let _ = plain_tx.send(r);
                        }
                        Ok(ServerStep::Done { reply, key }) => {
                            *opts.key.lock().expect("key lock") = Some(key.auth_key.clone());
                            let _ = plain_tx.send(reply);
                        }
                        Err(_) => return,
                    }
                    continue;
                }
                if conn_no <= opts.reject_first {
                    let mut frame = Vec::new();
                    if conn
                        .framing
                        .pack(&(-404i32).to_le_bytes(), &mut frame)
                        .is_ok()
                    {
                        let bytes = conn.wrap(frame);
                        let _ = s.write_all(&bytes).await;
                    }
                    return;
                }
                let Some(key) = opts.key.lock().expect("key lock").clone() else {
                    return;
                };
                let Ok(plain) = open(&key, &payload) else {
                    return;
                };
                salt_session = (plain.salt, plain.session_id);
                let Ok(msgs) = split_container(&plain) else {
                    return;
                };
                for (msg_id, _seqno, body) in msgs {
                    if !handle(conn_no, msg_id, body, &log, &tx) {
                        return;
                    }
                }
            }
        }
        tokio::select! {
            plain = plain_rx.recv() => {
                let Some(payload) = plain else { return };
                let mut frame = Vec::new();
                if conn.framing.pack(&payload, &mut frame).is_err() { return; }
                let bytes = conn.wrap(frame);
                if s.write_all(&bytes).await.is_err() { return; }
            }
            out = rx.recv() => {
                let Some((body, response)) = out else { return };
                if mute { continue; }
                let Some(mut key) = opts.key.lock().expect("key lock").clone() else { return };
                if opts.foreign_key_first && conn_no == 1 {
                    key = AuthKey::from_bytes([0x42; 256]);
                }
                let msg_id = ids.next(UnixTime::now(), response);
                seq += 1;
                let sealed = seal(&key, salt_session.0, salt_session.1, msg_id, seq * 2 - 1, &body, &mut rng);
                let mut frame = Vec::new();
                if conn.framing.pack(&sealed, &mut frame).is_err() { return; }
                let bytes = conn.wrap(frame);
                if s.write_all(&bytes).await.is_err() { return; }
            }
            ok = conn.fill(&mut s) => if !ok { return },
        }
    }
}

/// Handles one client message; false closes the connection.
fn handle(
    conn_no: usize,
    msg_id: i64,
    body: Vec<u8>,
    log: &Mutex<Log>,
    tx: &mpsc::UnboundedSender<Out>,
) -> bool {
    if body.len() < 4 {
        return false;
    }
    let ctor = word(&body, 0);
    match ctor {
        PING_DELAY_DISCONNECT => {
            log.lock().expect("lock").pings += 1;
            let mut pong = PONG.to_le_bytes().to_vec();
            pong.extend_from_slice(&msg_id.to_le_bytes());
            pong.extend_from_slice(&body[4..12]);
            let _ = tx.send((pong, true));
            return true;
        }
        GET_NEAREST_DC => {
            use hearth_tl::Serializable as _;
            let answer = hearth_tl::types::NearestDc {
                country: "NL".into(),
                this_dc: 2,
                nearest_dc: 4,
            };
            let _ = tx.send((rpc_result(msg_id, &answer.to_bytes()), true));
            return true;
        }
        RPC_DROP_ANSWER if body.len() >= 12 => {
            let mut id = [0u8; 8];
            id.copy_from_slice(&body[4..12]);
            log.lock()
                .expect("lock")
                .dropped
                .push(i64::from_le_bytes(id));
            let answer = RPC_ANSWER_UNKNOWN.to_le_bytes();
            let _ = tx.send((rpc_result(msg_id, &answer), true));
            return true;
        }
        GET_CONFIG => {
            // Not a Config: the caller must see a decode error.
            let _ = tx.send((rpc_result(msg_id, &[1, 2, 3, 4]), true));
            return true;
        }
        ECHO | HOLD | SILENT | FAIL | BAD | PUSH | CUT | BIG => {}
        _ => return true, // msgs_ack and other service messages
    }
    log.lock()
        .expect("lock")
        .received
        .push((conn_no, msg_id, body.clone()));
    let answer = move |v: u32| rpc_result(msg_id, &v.to_le_bytes());
    match ctor {
        ECHO => {
            let (n, delay) = (word(&body, 1), word(&body, 2));
            let tx = tx.clone();
            tokio::spawn(async move {
                tokio::time::sleep(Duration::from_millis(delay.into())).await;
                let _ = tx.send((answer(n), true));
            });
        }
        BIG => {
            let (n, len) = (word(&body, 1), word(&body, 2) as usize);
            let mut bytes = n.to_le_bytes().to_vec();
            bytes.resize(4 + len, n as u8);
            let _ = tx.send((rpc_result(msg_id, &bytes), true));
        }
        HOLD if conn_no > 1 => {
            let _ = tx.send((answer(word(&body, 1)), true));
        }
        FAIL => {
            let _ = tx.send((rpc_result(msg_id, &rpc_error(420, "FLOOD_WAIT_3")), true));
        }
        BAD => {
            let mut notification = BAD_MSG_NOTIFICATION.to_le_bytes().to_vec();
            notification.extend_from_slice(&msg_id.to_le_bytes());
            notification.extend_from_slice(&0i32.to_le_bytes());
            notification.extend_from_slice(&35i32.to_le_bytes());
            let _ = tx.send((notification, false));
        }
        PUSH => {
            let n = word(&body, 1);
            let _ = tx.send((req(TEST_UPDATE, &[n]), false));
            // The answer follows later, so a client reacting to the update
            // (e.g. shutting down) does so before the answer arrives.
            let tx = tx.clone();
            tokio::spawn(async move {
                tokio::time::sleep(Duration::from_millis(300)).await;
                let _ = tx.send((answer(n), true));
            });
        }
        CUT if conn_no == 1 => return false,
        CUT => {
            let _ = tx.send((answer(0), true));
        }
        _ => {}
    }
    true
}
