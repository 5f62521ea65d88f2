//! Server-side encrypted messages (core.telegram.org/mtproto/description).

use hearth_crypto::message::Side;
use hearth_crypto::AuthKey;
use rand_core::CryptoRng;

use hearth_tl::mtproto::special::{Message, MsgContainer, RpcResult, MSG_CONTAINER_ID};
use hearth_tl::mtproto::types::RpcError;
use hearth_tl::{Deserializable, Serializable};

use crate::error::{DecodeError, InboundError};
pub use crate::session::envelope::Header;
use crate::session::{MsgIdGenerator, Plain};
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
    seal_parts(key, salt, session_id, msg_id, seqno, &[body], rng)
}

/// [`seal`] of a body given as consecutive parts (e.g. an `rpc_result`
/// header and a large result), which are copied once.
pub fn seal_parts(
    key: &AuthKey,
    salt: i64,
    session_id: i64,
    msg_id: i64,
    seqno: i32,
    body: &[&[u8]],
    rng: &mut (impl CryptoRng + ?Sized),
) -> Vec<u8> {
    let header = crate::session::envelope::Header {
        salt,
        session_id,
        msg_id,
        seqno,
    };
    crate::session::envelope::seal_parts(Side::Server, key, header, body, rng)
}

/// [`seal_parts`] of two messages under one key, encrypted together (two
/// interleaved IGE chains cost little more than one); the same packets as
/// two calls, `a` first.
pub fn seal_parts_pair(
    key: &AuthKey,
    a: (Header, &[&[u8]]),
    b: (Header, &[&[u8]]),
    rng: &mut (impl CryptoRng + ?Sized),
) -> (Vec<u8>, Vec<u8>) {
    crate::session::envelope::seal_parts_pair(Side::Server, key, a, b, rng)
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

/// The first 12 bytes of `rpc_result#f35c6d01 req_msg_id result`, the
/// result following them.
pub fn rpc_result_header(req_msg_id: i64) -> [u8; 12] {
    let mut h = [0u8; 12];
    h[..4].copy_from_slice(&<RpcResult as hearth_tl::Identifiable>::CONSTRUCTOR_ID.to_le_bytes());
    h[4..].copy_from_slice(&req_msg_id.to_le_bytes());
    h
}

/// `rpc_result#f35c6d01 req_msg_id result`.
pub fn rpc_result(req_msg_id: i64, result: &[u8]) -> Vec<u8> {
    RpcResult {
        req_msg_id,
        result: result.to_vec(),
    }
    .to_bytes()
}

/// `rpc_error#2144ca19 error_code error_message`.
pub fn rpc_error(code: i32, message: &str) -> Vec<u8> {
    RpcError {
        error_code: code,
        error_message: message.to_owned(),
    }
    .to_bytes()
}

/// `msg_container` of (msg_id, seqno, body) messages.
pub fn container(messages: &[(i64, i32, &[u8])]) -> Vec<u8> {
    MsgContainer {
        messages: messages
            .iter()
            .map(|(msg_id, seqno, body)| Message {
                msg_id: *msg_id,
                seqno: *seqno,
                body: body.to_vec(),
            })
            .collect(),
    }
    .to_bytes()
}

/// The messages of a client payload body: the container's contents, or the
/// body itself as one message with the outer msg_id/seqno.
pub fn split_container(plain: &Plain) -> Result<Vec<(i64, i32, Vec<u8>)>, DecodeError> {
    if plain.body.get(..4) != Some(&MSG_CONTAINER_ID.to_le_bytes()[..]) {
        return Ok(vec![(plain.msg_id, plain.seqno, plain.body.clone())]);
    }
    Ok(MsgContainer::from_bytes(&plain.body)?
        .messages
        .into_iter()
        .map(|m| (m.msg_id, m.seqno, m.body))
        .collect())
}

/// A client msg_id the server must refuse, with the bad_msg_notification
/// error_code to answer (core.telegram.org/mtproto/service_messages_about_messages).
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum ClientMsgIdError {
    #[error("msg_id too low (code 16)")]
    TooLow,
    #[error("msg_id too high (code 17)")]
    TooHigh,
    #[error("msg_id not divisible by 4 (code 18)")]
    NotDivisibleBy4,
}

impl ClientMsgIdError {
    /// The error_code for bad_msg_notification.
    pub fn code(self) -> i32 {
        match self {
            Self::TooLow => 16,
            Self::TooHigh => 17,
            Self::NotDivisibleBy4 => 18,
        }
    }
}

/// Checks a client msg_id at server time `now`: divisible by 4, not more than
/// 300 s old nor 30 s ahead. (Duplicates and monotonicity are per session
/// and left to the caller.)
pub fn check_client_msg_id(now: UnixTime, msg_id: i64) -> Result<(), ClientMsgIdError> {
    if msg_id % 4 != 0 {
        return Err(ClientMsgIdError::NotDivisibleBy4);
    }
    let t = msg_id >> 32;
    if t < now.secs() - crate::session::MAX_PAST_SECS {
        return Err(ClientMsgIdError::TooLow);
    }
    if t > now.secs() + crate::session::MAX_FUTURE_SECS {
        return Err(ClientMsgIdError::TooHigh);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn client_msg_id_checks_give_the_notification_codes() {
        let now = UnixTime::from_secs(1_000_000);
        assert_eq!(check_client_msg_id(now, 1_000_000 << 32), Ok(()));
        assert_eq!(
            check_client_msg_id(now, (1_000_000 << 32) | 2)
                .unwrap_err()
                .code(),
            18
        );
        assert_eq!(
            check_client_msg_id(now, 999_600 << 32).unwrap_err().code(),
            16
        );
        assert_eq!(
            check_client_msg_id(now, 1_000_031 << 32)
                .unwrap_err()
                .code(),
            17
        );
    }

    #[test]
    fn a_body_sealed_in_parts_opens_as_the_whole() {
        use rand::SeedableRng;
        let key = AuthKey::from_bytes([7u8; 256]);
        let result = vec![0xabu8; 5000];
        let whole = rpc_result(42, &result);
        let header = rpc_result_header(42);
        let mut rng = rand::rngs::StdRng::seed_from_u64(1);
        let packet = seal_parts(&key, 9, 8, 5 << 32 | 1, 1, &[&header, &result], &mut rng);
        let plain = crate::session::envelope::open_as(Side::Client, &key, &packet).unwrap();
        assert_eq!((plain.salt, plain.session_id, plain.seqno), (9, 8, 1));
        assert_eq!(plain.body, whole);
    }

    #[test]
    fn container_roundtrip() {
        let body = container(&[(4, 1, &[1, 2, 3, 4]), (8, 3, &[5, 6, 7, 8])]);
        let plain = Plain {
            salt: 0,
            session_id: 0,
            msg_id: 12,
            seqno: 4,
            body,
        };
        let msgs = split_container(&plain).unwrap();
        assert_eq!(
            msgs,
            vec![(4, 1, vec![1, 2, 3, 4]), (8, 3, vec![5, 6, 7, 8])]
        );
        let single = Plain {
            body: vec![9, 9, 9, 9],
            ..plain
        };
        assert_eq!(
            split_container(&single).unwrap(),
            vec![(12, 4, vec![9, 9, 9, 9])]
        );
    }
}
