//! Service messages the server sends (core.telegram.org/mtproto/service_messages).

use crate::session::salts::FutureSalt;
use crate::tl::Writer;

pub const MSG_CONTAINER: u32 = 0x73f1f8dc;
pub const GZIP_PACKED: u32 = 0x3072cfa1;
pub const MSGS_ACK: u32 = 0x62d6b459;
pub const PING: u32 = 0x7abe77ec;
pub const PING_DELAY_DISCONNECT: u32 = 0xf3427b8c;
pub const GET_FUTURE_SALTS: u32 = 0xb921bd04;
pub const DESTROY_SESSION: u32 = 0xe7512126;
pub const RPC_DROP_ANSWER: u32 = 0x58e4a740;
pub const HTTP_WAIT: u32 = 0x9299359f;

/// `bad_msg_notification` error codes (core.telegram.org/mtproto/service_messages_about_messages).
pub mod bad_msg {
    pub const MSG_ID_TOO_LOW: i32 = 16;
    pub const MSG_ID_TOO_HIGH: i32 = 17;
    pub const MSG_ID_BAD_PARITY: i32 = 18;
    pub const CONTAINER_ID_REUSED: i32 = 19;
    pub const SEQNO_EVEN_EXPECTED: i32 = 34;
    pub const SEQNO_ODD_EXPECTED: i32 = 35;
    pub const BAD_CONTAINER: i32 = 64;
}

pub fn bad_msg_notification(bad_msg_id: i64, bad_seqno: i32, code: i32) -> Vec<u8> {
    let mut w = Writer::new();
    w.id(0xa7eff811).long(bad_msg_id).int(bad_seqno).int(code);
    w.finish()
}

pub fn bad_server_salt(bad_msg_id: i64, bad_seqno: i32, new_salt: i64) -> Vec<u8> {
    let mut w = Writer::new();
    w.id(0xedab447b)
        .long(bad_msg_id)
        .int(bad_seqno)
        .int(48)
        .long(new_salt);
    w.finish()
}

pub fn new_session_created(first_msg_id: i64, unique_id: i64, salt: i64) -> Vec<u8> {
    let mut w = Writer::new();
    w.id(0x9ec20908)
        .long(first_msg_id)
        .long(unique_id)
        .long(salt);
    w.finish()
}

pub fn pong(msg_id: i64, ping_id: i64) -> Vec<u8> {
    let mut w = Writer::new();
    w.id(0x347773c5).long(msg_id).long(ping_id);
    w.finish()
}

pub fn msgs_ack(ids: &[i64]) -> Vec<u8> {
    let mut w = Writer::new();
    w.id(MSGS_ACK).vec_long(ids);
    w.finish()
}

pub fn future_salts(req_msg_id: i64, now: i32, salts: &[FutureSalt]) -> Vec<u8> {
    let mut w = Writer::new();
    w.id(0xae500895)
        .long(req_msg_id)
        .int(now)
        .int(salts.len() as i32);
    for s in salts {
        w.int(s.valid_since).int(s.valid_until).long(s.salt);
    }
    w.finish()
}

pub fn destroy_session_answer(session_id: i64, existed: bool) -> Vec<u8> {
    let mut w = Writer::new();
    w.id(if existed { 0xe22045fc } else { 0x62d350c9 })
        .long(session_id);
    w.finish()
}

pub fn rpc_result(req_msg_id: i64, result: &[u8]) -> Vec<u8> {
    let mut w = Writer::new();
    w.id(0xf35c6d01).long(req_msg_id).raw(result);
    w.finish()
}

pub fn rpc_error(code: i32, message: &str) -> Vec<u8> {
    let mut w = Writer::new();
    w.id(0x2144ca19).int(code).string(message);
    w.finish()
}

pub fn rpc_answer_unknown() -> Vec<u8> {
    0x5e2ad36eu32.to_le_bytes().to_vec()
}

/// Wraps a serialized object in `gzip_packed` when that makes it smaller.
pub fn maybe_gzip(body: Vec<u8>, threshold: usize) -> Vec<u8> {
    use std::io::Write;
    if body.len() < threshold {
        return body;
    }
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    if enc.write_all(&body).is_err() {
        return body;
    }
    match enc.finish() {
        Ok(packed) if packed.len() + 8 < body.len() => {
            let mut w = Writer::new();
            w.id(GZIP_PACKED).bytes(&packed);
            w.finish()
        }
        _ => body,
    }
}

/// Largest body accepted after unpacking `gzip_packed` from a client.
pub const MAX_UNPACKED: u64 = 1 << 24;

/// Unpacks `gzip_packed#3072cfa1 packed_data:bytes` (the constructor already read).
pub fn gunzip(packed: &[u8]) -> Option<Vec<u8>> {
    use std::io::Read;
    let mut out = Vec::new();
    flate2::read::GzDecoder::new(packed)
        .take(MAX_UNPACKED)
        .read_to_end(&mut out)
        .ok()?;
    Some(out)
}
