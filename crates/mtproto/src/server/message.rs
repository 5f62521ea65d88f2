//! Server-side encrypted messages (core.telegram.org/mtproto/description).

use hearth_crypto::message::Side;
use hearth_crypto::AuthKey;
use rand_core::CryptoRng;

use crate::error::{DecodeError, InboundError};
use crate::session::ids::{MSG_CONTAINER, RPC_ERROR, RPC_RESULT};
use crate::session::{MsgIdGenerator, Plain};
use crate::wire::{Reader, Writer};
use crate::UnixTime;

/// Encrypts one server → client message (salt, session_id, msg_id, seqno, body).
pub fn seal(
    key: &AuthKey,
    salt: i64,
    session_id: i64,
    msg_id: i64,
    seqno: i32,
    body: &[u8],
    rng: &mut (impl CryptoRng + ?Sized),
) -> Vec<u8> {
    crate::session::envelope::seal_as(
        Side::Server,
        key,
        salt,
        session_id,
        msg_id,
        seqno,
        body,
        rng,
    )
}

/// Decrypts a client → server payload: auth_key_id, msg_key (constant time),
/// length and padding checks.
pub fn open(key: &AuthKey, payload: &[u8]) -> Result<Plain, InboundError> {
    crate::session::envelope::open_as(Side::Server, key, payload)
}

/// Server msg_ids: time-based like the client's, but `≡ 1 (mod 4)` for
/// answers to client messages and `≡ 3 (mod 4)` for everything else;
/// strictly increasing.
#[derive(Debug, Clone, Default)]
pub struct ServerMsgIds {
    gen: MsgIdGenerator,
}

impl ServerMsgIds {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn next(&mut self, now: UnixTime, response: bool) -> i64 {
        self.gen.next(now) | if response { 1 } else { 3 }
    }
}

/// `rpc_result#f35c6d01 req_msg_id result`.
pub fn rpc_result(req_msg_id: i64, result: &[u8]) -> Vec<u8> {
    let mut b = Vec::with_capacity(12 + result.len());
    b.put_u32(RPC_RESULT);
    b.put_i64(req_msg_id);
    b.extend_from_slice(result);
    b
}

/// `rpc_error#2144ca19 error_code error_message`.
pub fn rpc_error(code: i32, message: &str) -> Vec<u8> {
    let mut b = Vec::with_capacity(12 + message.len());
    b.put_u32(RPC_ERROR);
    b.put_i32(code);
    b.put_bytes(message.as_bytes());
    b
}

/// `msg_container` of (msg_id, seqno, body) messages.
pub fn container(messages: &[(i64, i32, &[u8])]) -> Vec<u8> {
    let mut b = Vec::new();
    b.put_u32(MSG_CONTAINER);
    b.put_u32(messages.len() as u32);
    for (id, seqno, body) in messages {
        b.put_i64(*id);
        b.put_i32(*seqno);
        b.put_i32(body.len() as i32);
        b.extend_from_slice(body);
    }
    b
}

/// The messages of a client payload body: the container's contents, or the
/// body itself as one message with the outer msg_id/seqno.
pub fn split_container(plain: &Plain) -> Result<Vec<(i64, i32, Vec<u8>)>, DecodeError> {
    let mut r = Reader::new(&plain.body);
    if r.u32()? != MSG_CONTAINER {
        return Ok(vec![(plain.msg_id, plain.seqno, plain.body.clone())]);
    }
    let n = r.u32()? as usize;
    if n.saturating_mul(16) > r.remaining() {
        return Err(DecodeError::Malformed("container count exceeds data"));
    }
    let mut out = Vec::with_capacity(n);
    for _ in 0..n {
        let id = r.i64()?;
        let seqno = r.i32()?;
        let len = r.i32()?;
        if len < 0 {
            return Err(DecodeError::Malformed("negative length in container"));
        }
        out.push((id, seqno, r.take(len as usize)?.to_vec()));
    }
    Ok(out)
}
