//! A lean pipelining client: requests are encrypted and framed before the
//! clock starts, one task writes them with at most `window` unanswered, one
//! task counts the answers. Only a sample of answers is decrypted and checked,
//! so the client spends its CPU on the socket and the server is what is
//! measured (both share the machine's cores).

use std::sync::Arc;
use std::time::{Duration, Instant};

use hearth_crypto::message::{decrypt, encrypt, PlainMessage, Side};
use hearth_crypto::AuthKey;
use hearth_transport::{connect, ClientMode, Connecting, Frame, FramingKind, Pipeline};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio::sync::Semaphore;

/// Largest batch of requests written with one syscall.
const MAX_BATCH: usize = 256;

/// One encrypted, framed request and the msg_id it carries.
struct Prepared {
    bytes: Vec<u8>,
    msg_id: i64,
}

/// An encrypted session on one connection.
pub struct Lean {
    stream: TcpStream,
    pipeline: Pipeline,
    key: AuthKey,
    pub salt: i64,
    session_id: i64,
    next_msg_id: i64,
    seqno: i32,
}

/// What came back for a run.
pub struct Outcome {
    pub answers: usize,
    pub answer_bytes: usize,
    pub elapsed: Duration,
    /// Decrypted sample answers: (`req_msg_id` of `rpc_result`, result body).
    pub samples: Vec<(i64, Vec<u8>)>,
}

const RPC_RESULT: u32 = 0xf35c6d01;
const MSG_CONTAINER: u32 = 0x73f1f8dc;
const PONG: u32 = 0x347773c5;

/// `(req_msg_id, result)` of every rpc_result or pong in a decrypted body.
fn results(body: &[u8], out: &mut Vec<(i64, Vec<u8>)>) {
    let id = |b: &[u8]| b.first_chunk::<4>().map(|c| u32::from_le_bytes(*c));
    let long = |b: &[u8], at: usize| {
        b.get(at..at + 8)
            .map(|s| i64::from_le_bytes(s.try_into().unwrap_or_default()))
    };
    match id(body) {
        Some(RPC_RESULT) => {
            if let Some(req) = long(body, 4) {
                out.push((req, body[12..].to_vec()));
            }
        }
        Some(PONG) => {
            if let Some(req) = long(body, 4) {
                out.push((req, body.to_vec()));
            }
        }
        Some(MSG_CONTAINER) => {
            let n = body.get(4..8).map_or(0, |c| {
                u32::from_le_bytes(c.try_into().unwrap_or_default()) as usize
            });
            let mut at = 8;
            for _ in 0..n {
                let Some(len) = body.get(at + 12..at + 16) else {
                    return;
                };
                let len = u32::from_le_bytes(len.try_into().unwrap_or_default()) as usize;
                let Some(inner) = body.get(at + 16..at + 16 + len) else {
                    return;
                };
                results(inner, out);
                at += 16 + len;
            }
        }
        _ => {}
    }
}

impl Lean {
    pub async fn connect(addr: std::net::SocketAddr, key: AuthKey, salt: i64) -> Self {
        let mut stream = TcpStream::connect(addr).await.expect("connect to localdc");
        stream.set_nodelay(true).expect("TCP_NODELAY");
        let mode = ClientMode::Plain(FramingKind::Intermediate);
        let padding = Box::new(rand::make_rng::<rand::rngs::StdRng>());
        let (header, connecting) =
            connect(&mut rand::rng(), mode, 0, padding).expect("client transport");
        let Connecting::Ready(pipeline) = connecting else {
            panic!("plain intermediate needs no handshake")
        };
        stream.write_all(&header).await.expect("send preamble");
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .expect("clock after 1970")
            .as_secs() as i64;
        Self {
            stream,
            pipeline,
            key,
            salt,
            session_id: rand::random(),
            next_msg_id: now << 32,
            seqno: 0,
        }
    }

    fn prepare(&mut self, body: &[u8]) -> Prepared {
        self.next_msg_id += 4;
        self.seqno += 1;
        let msg_id = self.next_msg_id;
        let mut plain = Vec::with_capacity(32 + body.len());
        plain.extend_from_slice(&self.salt.to_le_bytes());
        plain.extend_from_slice(&self.session_id.to_le_bytes());
        plain.extend_from_slice(&msg_id.to_le_bytes());
        plain.extend_from_slice(&(self.seqno * 2 - 1).to_le_bytes());
        plain.extend_from_slice(&(body.len() as u32).to_le_bytes());
        plain.extend_from_slice(body);
        let packet = encrypt(Side::Client, &self.key, &plain, &mut rand::rng());
        let mut bytes = Vec::with_capacity(packet.len() + 4);
        self.pipeline
            .send(&packet, &mut bytes)
            .expect("framable packet");
        Prepared { bytes, msg_id }
    }

    fn open(&self, packet: &[u8]) -> Vec<(i64, Vec<u8>)> {
        let plain = decrypt(Side::Client, &self.key, packet).expect("answer decrypts");
        let msg = PlainMessage::parse(&plain).expect("answer parses");
        let mut out = Vec::new();
        results(msg.body, &mut out);
        out
    }

    async fn next_packet(&mut self) -> Vec<u8> {
        loop {
            if let Some(Frame::Packet { payload, .. }) =
                self.pipeline.next_frame().expect("server frames correctly")
            {
                return payload;
            }
            let mut chunk = vec![0u8; 65536];
            let n = self.stream.read(&mut chunk).await.expect("read");
            assert!(n > 0, "localdc closed the connection");
            self.pipeline.feed(&chunk[..n]).expect("framing");
        }
    }

    /// One request, answered; adopts the salt a `bad_server_salt` names.
    pub async fn call(&mut self, body: &[u8]) -> Vec<u8> {
        for _ in 0..3 {
            let req = self.prepare(body);
            self.stream.write_all(&req.bytes).await.expect("write");
            loop {
                let packet = self.next_packet().await;
                let plain = decrypt(Side::Client, &self.key, &packet).expect("decrypts");
                let msg = PlainMessage::parse(&plain).expect("parses");
                if msg.body.get(..4) == Some(&0xedab447bu32.to_le_bytes()[..]) {
                    self.salt = i64::from_le_bytes(msg.body[20..28].try_into().expect("8"));
                    break;
                }
                let mut found = Vec::new();
                results(msg.body, &mut found);
                if let Some((_, r)) = found.into_iter().find(|(id, _)| *id == req.msg_id) {
                    return r;
                }
            }
        }
        panic!("no answer after three salts")
    }

    /// Sends every body in `bodies` (cycled to `count`) with at most `window`
    /// unanswered and waits for all answers.
    pub async fn pipeline(mut self, bodies: &[Vec<u8>], count: usize, window: usize) -> Outcome {
        let prepared: Vec<Prepared> = (0..count)
            .map(|i| self.prepare(&bodies[i % bodies.len()]))
            .collect();
        let sample_ids: Vec<i64> = [0, count / 2, count - 1]
            .iter()
            .map(|i| prepared[*i].msg_id)
            .collect();
        let (mut rd, mut wr) = self.stream.into_split();
        let credit = Arc::new(Semaphore::new(window));
        let start = Instant::now();
        let writer = {
            let credit = credit.clone();
            tokio::spawn(async move {
                let mut batch = Vec::with_capacity(MAX_BATCH * 128);
                let mut it = prepared.into_iter();
                let mut left = count;
                while left > 0 {
                    let permit = credit.acquire().await.expect("open semaphore");
                    permit.forget();
                    let mut n = 1;
                    while n < left.min(MAX_BATCH) {
                        match credit.try_acquire() {
                            Ok(p) => {
                                p.forget();
                                n += 1
                            }
                            Err(_) => break,
                        }
                    }
                    batch.clear();
                    for p in it.by_ref().take(n) {
                        batch.extend_from_slice(&p.bytes);
                    }
                    wr.write_all(&batch).await.expect("write");
                    left -= n;
                }
                wr
            })
        };
        let mut answers = 0;
        let mut answer_bytes = 0;
        let mut kept = Vec::new();
        let mut chunk = vec![0u8; 1 << 20];
        while answers < count {
            while let Some(frame) = self.pipeline.next_frame().expect("server frames correctly") {
                if let Frame::Packet { payload, .. } = frame {
                    answers += 1;
                    answer_bytes += payload.len();
                    credit.add_permits(1);
                    if answers == 1 || answers == count / 2 + 1 || answers == count {
                        kept.push(payload);
                    }
                }
            }
            if answers >= count {
                break;
            }
            let n = rd.read(&mut chunk).await.expect("read");
            assert!(
                n > 0,
                "localdc closed the connection after {answers} answers"
            );
            self.pipeline.feed(&chunk[..n]).expect("framing");
        }
        let elapsed = start.elapsed();
        let wr = writer.await.expect("writer");
        self.stream = rd.reunite(wr).expect("same stream");
        let mut samples = Vec::new();
        for p in kept {
            samples.extend(self.open(&p));
        }
        samples.retain(|(id, _)| sample_ids.contains(id));
        Outcome {
            answers,
            answer_bytes,
            elapsed,
            samples,
        }
    }
}
