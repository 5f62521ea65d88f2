//! Session behaviour against an in-test server built from [`crate::server`]:
//! shared helpers here, tests by topic in the submodules.

mod cancel;
mod outbound;
mod packed;
mod pair;
mod security;
mod service;

use hearth_crypto::message::{encrypt, Side};
use hearth_crypto::AuthKey;
use rand::rngs::StdRng;
use rand::SeedableRng;

use super::ids::*;
use super::*;
use crate::error::InboundError;
use crate::server::message::{
    container, open, rpc_error, rpc_result, seal, split_container, ServerMsgIds,
};
use crate::wire::{Reader, Writer};

const T0: i64 = 1_700_000_000;
const SALT: i64 = 0x0102_0304_0506_0708;

fn t(secs: i64) -> UnixTime {
    UnixTime::from_secs(T0 + secs)
}

fn key() -> AuthKey {
    AuthKey::from_bytes(core::array::from_fn(|i| (i * 7 + 3) as u8))
}

fn config() -> SessionConfig {
    SessionConfig {
        app: None,
        ..SessionConfig::default()
    }
}

fn session_with(config: SessionConfig) -> Session {
    Session::new(key(), SALT, 0, config, Box::new(StdRng::seed_from_u64(5)))
}

fn session() -> Session {
    session_with(config())
}

/// A message as the test server received it.
#[derive(Debug, Clone)]
struct Got {
    salt: i64,
    session_id: i64,
    outer_id: i64,
    outer_seqno: i32,
    msgs: Vec<(i64, i32, Vec<u8>)>,
}

struct Server {
    key: AuthKey,
    ids: ServerMsgIds,
    rng: StdRng,
}

impl Server {
    fn new() -> Self {
        Self {
            key: key(),
            ids: ServerMsgIds::new(),
            rng: StdRng::seed_from_u64(77),
        }
    }

    fn recv(&self, payload: &[u8]) -> Got {
        let p = open(&self.key, payload).expect("server decrypts client payload");
        Got {
            salt: p.salt,
            session_id: p.session_id,
            outer_id: p.msg_id,
            outer_seqno: p.seqno,
            msgs: split_container(&p).unwrap(),
        }
    }

    fn msg_id(&mut self, now: UnixTime) -> i64 {
        self.ids.next(now, true)
    }

    /// Encrypts `body` for session `sid` with a fresh msg_id; returns (payload, msg_id).
    fn send(&mut self, now: UnixTime, sid: i64, body: &[u8], content: bool) -> (Vec<u8>, i64) {
        let id = self.msg_id(now);
        (self.send_as(sid, id, if content { 1 } else { 0 }, body), id)
    }

    fn send_as(&mut self, sid: i64, msg_id: i64, seqno: i32, body: &[u8]) -> Vec<u8> {
        seal(&self.key, SALT, sid, msg_id, seqno, body, &mut self.rng)
    }
}

fn req(tag: u32) -> Vec<u8> {
    let mut b = Vec::new();
    b.put_u32(0x11110000 | tag);
    b.put_i32(tag as i32);
    b
}

fn ctor(body: &[u8]) -> u32 {
    Reader::new(body).u32().unwrap()
}

fn long(x: i64) -> Vec<u8> {
    x.to_le_bytes().to_vec()
}

fn gzip(data: &[u8]) -> Vec<u8> {
    use std::io::Write;
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    e.write_all(data).unwrap();
    let mut b = Vec::new();
    b.put_u32(GZIP_PACKED);
    b.put_bytes(&e.finish().unwrap());
    b
}

fn bad_server_salt(bad_msg_id: i64, new_salt: i64) -> Vec<u8> {
    let mut b = Vec::new();
    b.put_u32(BAD_SERVER_SALT);
    b.put_i64(bad_msg_id);
    b.put_i32(1);
    b.put_i32(48);
    b.put_i64(new_salt);
    b
}

fn bad_msg(bad_msg_id: i64, code: i32) -> Vec<u8> {
    let mut b = Vec::new();
    b.put_u32(BAD_MSG_NOTIFICATION);
    b.put_i64(bad_msg_id);
    b.put_i32(1);
    b.put_i32(code);
    b
}

fn raw_plain(sid: i64, msg_id: i64, declared_len: i32, data: &[u8]) -> Vec<u8> {
    let mut b = Vec::new();
    b.put_i64(SALT);
    b.put_i64(sid);
    b.put_i64(msg_id);
    b.put_i32(1);
    b.put_i32(declared_len);
    b.extend_from_slice(data);
    b
}
