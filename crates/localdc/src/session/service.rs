//! Service messages the server sends (core.telegram.org/mtproto/service_messages),
//! built from `hearth-tl`'s MTProto types.

use hearth_tl::mtproto::special::{self, GzipPacked};
use hearth_tl::mtproto::{functions, types};
use hearth_tl::{Identifiable, Serializable};

use crate::salts::FutureSalt;

pub const MSG_CONTAINER: u32 = special::MSG_CONTAINER_ID;
pub const GZIP_PACKED: u32 = special::GZIP_PACKED_ID;
pub const MSGS_ACK: u32 = types::MsgsAck::CONSTRUCTOR_ID;
pub const PING: u32 = functions::Ping::CONSTRUCTOR_ID;
pub const PING_DELAY_DISCONNECT: u32 = functions::PingDelayDisconnect::CONSTRUCTOR_ID;
pub const GET_FUTURE_SALTS: u32 = functions::GetFutureSalts::CONSTRUCTOR_ID;
pub const DESTROY_SESSION: u32 = functions::DestroySession::CONSTRUCTOR_ID;
pub const RPC_DROP_ANSWER: u32 = functions::RpcDropAnswer::CONSTRUCTOR_ID;
pub const HTTP_WAIT: u32 = types::HttpWait::CONSTRUCTOR_ID;

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

pub fn bad_msg_notification(bad_msg_id: i64, bad_msg_seqno: i32, error_code: i32) -> Vec<u8> {
    types::BadMsgNotification {
        bad_msg_id,
        bad_msg_seqno,
        error_code,
    }
    .to_bytes()
}

/// `bad_server_salt` (error code 48) carrying the salt to use.
pub fn bad_server_salt(bad_msg_id: i64, bad_msg_seqno: i32, new_server_salt: i64) -> Vec<u8> {
    types::BadServerSalt {
        bad_msg_id,
        bad_msg_seqno,
        error_code: 48,
        new_server_salt,
    }
    .to_bytes()
}

pub fn new_session_created(first_msg_id: i64, unique_id: i64, server_salt: i64) -> Vec<u8> {
    types::NewSessionCreated {
        first_msg_id,
        unique_id,
        server_salt,
    }
    .to_bytes()
}

pub fn pong(msg_id: i64, ping_id: i64) -> Vec<u8> {
    types::Pong { msg_id, ping_id }.to_bytes()
}

pub fn msgs_ack(msg_ids: &[i64]) -> Vec<u8> {
    types::MsgsAck {
        msg_ids: msg_ids.to_vec(),
    }
    .to_bytes()
}

pub fn future_salts(req_msg_id: i64, now: i32, salts: &[FutureSalt]) -> Vec<u8> {
    special::FutureSalts {
        req_msg_id,
        now,
        salts: salts.to_vec(),
    }
    .to_bytes()
}

pub fn destroy_session_answer(session_id: i64, existed: bool) -> Vec<u8> {
    if existed {
        types::DestroySessionOk { session_id }.to_bytes()
    } else {
        types::DestroySessionNone { session_id }.to_bytes()
    }
}

pub use hearth_mtproto::server::message::{rpc_error, rpc_result};

pub fn rpc_answer_unknown() -> Vec<u8> {
    types::RpcAnswerUnknown {}.to_bytes()
}

/// Wraps a serialized object in `gzip_packed` when that makes it smaller.
pub fn maybe_gzip(body: Vec<u8>, threshold: usize) -> Vec<u8> {
    if body.len() < threshold {
        return body;
    }
    let packed = GzipPacked::pack(&body).to_bytes();
    if packed.len() < body.len() {
        packed
    } else {
        body
    }
}

/// Unpacks a whole `gzip_packed` object (constructor included); `None` if
/// it is malformed or unpacks beyond `hearth-tl`'s limit.
pub fn gunzip(object: &[u8]) -> Option<Vec<u8>> {
    use hearth_tl::Deserializable;
    GzipPacked::from_bytes(object).ok()?.unpack().ok()
}
