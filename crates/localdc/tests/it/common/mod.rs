//! Helpers shared by the integration tests: an in-process localdc on free
//! loopback ports with a fixed test key, a raw plain-message client, and
//! accounts signed in through hearth-client ([`account`]).
#![allow(dead_code)]

pub mod account;
pub mod conn;
pub mod engine;
pub mod tl;

use std::time::Duration;

use hearth_transport::{connect, ClientMode, Connecting, DcId, Frame, Pipeline};
use localdc::keys::ServerKey;
use localdc::world::World;
use localdc::{Config, LocalDc};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

pub const TEST_KEY_PEM: &str = include_str!("../../fixtures/test_rsa_private_key.pem");
pub const DEMO_WORLD: &str = include_str!("../../../../../tests/world/demo.toml");

pub fn test_key() -> ServerKey {
    ServerKey::from_pem(TEST_KEY_PEM, "fixture").expect("fixture key parses")
}

pub async fn start_demo() -> LocalDc {
    let world = World::parse(DEMO_WORLD, "demo.toml").expect("demo world is valid");
    LocalDc::start(Config {
        world,
        rsa_key: Some(test_key()),
        seed: Some(7),
        ..Config::default()
    })
    .await
    .expect("localdc starts")
}

pub use hearth_transport::FramingKind as Framing;

pub const ALL_FRAMINGS: [Framing; 4] = [
    Framing::Abridged,
    Framing::Intermediate,
    Framing::PaddedIntermediate,
    Framing::Full,
];

/// A raw client speaking one framing, optionally obfuscated, over TCP,
/// on `hearth-transport`'s client pipeline.
pub struct RawClient {
    stream: TcpStream,
    pipeline: Pipeline,
    /// Set once the server sent a transport error: only EOF may follow.
    errored: bool,
}

impl RawClient {
    pub async fn connect(
        addr: std::net::SocketAddr,
        framing: Framing,
        obfuscated: Option<i16>,
    ) -> Self {
        let mode = match obfuscated {
            Some(dc) => ClientMode::Obfuscated {
                tag: framing.tag().expect("obfuscatable framing"),
                dc: DcId::from_wire(dc),
            },
            None => ClientMode::Plain(framing),
        };
        Self::connect_mode(addr, mode).await
    }

    /// Connects with any client mode that needs no fake-TLS handshake.
    pub async fn connect_mode(addr: std::net::SocketAddr, mode: ClientMode) -> Self {
        let mut stream = TcpStream::connect(addr).await.expect("connect to localdc");
        let mut rng = rand::rng();
        let (header, connecting) = connect(
            &mut rng,
            mode,
            0,
            Box::new(rand::make_rng::<rand::rngs::StdRng>()),
        )
        .expect("client transport");
        let Connecting::Ready(pipeline) = connecting else {
            panic!("no fake-TLS here")
        };
        stream.write_all(&header).await.unwrap();
        Self {
            stream,
            pipeline,
            errored: false,
        }
    }

    pub async fn send(&mut self, payload: &[u8]) {
        let mut out = Vec::new();
        self.pipeline
            .send(payload, &mut out)
            .expect("framable packet");
        self.stream.write_all(&out).await.unwrap();
    }

    /// The next packet, or `None` when the server closed the connection.
    /// A transport error frame comes back as its 4-byte code.
    pub async fn recv(&mut self) -> Option<Vec<u8>> {
        loop {
            if self.errored {
                let mut chunk = [0u8; 64];
                let n = tokio::time::timeout(Duration::from_secs(10), self.stream.read(&mut chunk))
                    .await
                    .expect("server closes within 10 s")
                    .unwrap_or(0);
                assert_eq!(n, 0, "nothing may follow a transport error");
                return None;
            }
            match self.pipeline.next_frame() {
                // Padded intermediate strips its own padding.
                Ok(Some(Frame::Packet { payload, .. })) => return Some(payload),
                Ok(Some(Frame::QuickAck(_))) => continue,
                Ok(None) => {}
                Err(hearth_transport::TransportError::Server(code)) => {
                    self.errored = true;
                    return Some(code.code().to_le_bytes().to_vec());
                }
                Err(e) => panic!("server frames correctly: {e}"),
            }
            let mut chunk = [0u8; 8192];
            let n = tokio::time::timeout(Duration::from_secs(10), self.stream.read(&mut chunk))
                .await
                .expect("server answers within 10 s")
                .ok()?;
            if n == 0 {
                return None;
            }
            self.pipeline
                .feed(&chunk[..n])
                .expect("server frames correctly");
        }
    }

    /// Sends an unencrypted message and returns the body of the plain answer.
    pub async fn plain_call(&mut self, body: &[u8]) -> Vec<u8> {
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_secs() as i64;
        let mut msg = vec![0u8; 8];
        msg.extend_from_slice(&(now << 32).to_le_bytes());
        msg.extend_from_slice(&(body.len() as i32).to_le_bytes());
        msg.extend_from_slice(body);
        self.send(&msg).await;
        let reply = self.recv().await.expect("a plain answer");
        assert_eq!(&reply[..8], &[0u8; 8], "plain answers carry auth_key_id 0");
        let msg_id = i64::from_le_bytes(reply[8..16].try_into().unwrap());
        assert_eq!(msg_id % 4, 1, "server answers have msg_id ≡ 1 mod 4");
        let len = i32::from_le_bytes(reply[16..20].try_into().unwrap()) as usize;
        reply[20..20 + len].to_vec()
    }
}
