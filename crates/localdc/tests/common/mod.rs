//! Helpers shared by the integration tests: an in-process localdc on free
//! loopback ports with a fixed test key, and a raw plain-message client.
#![allow(dead_code)]

use std::time::Duration;

use localdc::keys::ServerKey;
use localdc::net::codec::Codec;
use localdc::net::detect::Framing;
use localdc::net::obfuscated::Obfuscation;
use localdc::world::World;
use localdc::{Config, LocalDc};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

pub const TEST_KEY_PEM: &str = include_str!("../fixtures/test_rsa_private_key.pem");
pub const DEMO_WORLD: &str = include_str!("../../../../tests/world/demo.toml");

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

pub const ALL_FRAMINGS: [Framing; 4] = [
    Framing::Abridged,
    Framing::Intermediate,
    Framing::PaddedIntermediate,
    Framing::Full,
];

/// A raw client speaking one framing, optionally obfuscated, over TCP.
pub struct RawClient {
    stream: TcpStream,
    codec: Codec,
    obfuscation: Option<Obfuscation>,
    buf: Vec<u8>,
}

impl RawClient {
    pub async fn connect(
        addr: std::net::SocketAddr,
        framing: Framing,
        obfuscated: Option<i16>,
    ) -> Self {
        let mut stream = TcpStream::connect(addr).await.expect("connect to localdc");
        let mut obfuscation = None;
        match obfuscated {
            Some(dc) => {
                let mut random = [0u8; 64];
                for (i, b) in random.iter_mut().enumerate() {
                    *b = (i as u8).wrapping_mul(91).wrapping_add(0x35);
                }
                let (header, o) =
                    Obfuscation::client(random, framing, dc).expect("obfuscatable framing");
                stream.write_all(&header).await.unwrap();
                obfuscation = Some(o);
            }
            None => {
                let header: &[u8] = match framing {
                    Framing::Abridged => &[0xef],
                    Framing::Intermediate => &[0xee; 4],
                    Framing::PaddedIntermediate => &[0xdd; 4],
                    Framing::Full => &[],
                };
                stream.write_all(header).await.unwrap();
            }
        }
        Self {
            stream,
            codec: Codec::new(framing),
            obfuscation,
            buf: Vec::new(),
        }
    }

    pub async fn send(&mut self, payload: &[u8]) {
        let mut framed = self.codec.encode(payload, &[1, 2, 3]);
        if let Some(o) = &mut self.obfuscation {
            o.encrypt(&mut framed);
        }
        self.stream.write_all(&framed).await.unwrap();
    }

    /// The next packet, or `None` when the server closed the connection.
    pub async fn recv(&mut self) -> Option<Vec<u8>> {
        loop {
            if let Some(p) = self
                .codec
                .decode(&mut self.buf)
                .expect("server frames correctly")
            {
                return Some(p);
            }
            let mut chunk = [0u8; 8192];
            let n = tokio::time::timeout(Duration::from_secs(10), self.stream.read(&mut chunk))
                .await
                .expect("server answers within 10 s")
                .ok()?;
            if n == 0 {
                return None;
            }
            let mut data = chunk[..n].to_vec();
            if let Some(o) = &mut self.obfuscation {
                o.decrypt(&mut data);
            }
            self.buf.extend_from_slice(&data);
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
