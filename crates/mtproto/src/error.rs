//! Typed errors of the MTProto layer.

use thiserror::Error;

/// Malformed TL data from the peer.
#[derive(Debug, Error, Clone, PartialEq, Eq)]
pub enum DecodeError {
    #[error("message truncated: wanted {wanted} more bytes, {left} left")]
    UnexpectedEnd { wanted: usize, left: usize },
    #[error("unexpected constructor {0:#010x}")]
    UnexpectedConstructor(u32),
    #[error("malformed data: {0}")]
    Malformed(&'static str),
    #[error(transparent)]
    Tl(#[from] hearth_tl::DeserializeError),
}

/// Why an inbound encrypted payload was dropped. Per the security guidelines
/// the session state is left untouched; the caller logs and keeps reading,
/// except for [`InboundError::AuthKeyMismatch`] and
/// [`InboundError::TransportError`], after which the byte stream cannot be
/// trusted: the caller drops the connection and reconnects. Neither is
/// authenticated (both come before the msg_key check, and obfuscated2 is
/// not authenticated), so neither alone proves the key is gone.
#[derive(Debug, Error, Clone, PartialEq, Eq)]
pub enum InboundError {
    #[error("transport error code {0} from the server (e.g. -404: auth key unknown to the server, create a new one)")]
    TransportError(i32),
    #[error("payload is encrypted with another auth key (id {0:#018x})")]
    AuthKeyMismatch(u64),
    #[error("payload could not be decrypted: {0}")]
    Decrypt(String),
    #[error("message belongs to session {got:#x}, ours is {ours:#x}")]
    WrongSession { got: i64, ours: i64 },
    #[error("server msg_id {0:#x} is not odd (msg_id mod 4 must be 1 or 3)")]
    EvenServerMsgId(i64),
    #[error(
        "server msg_id {msg_id:#x} is outside the accepted time window (server time {server_now})"
    )]
    OutOfTimeWindow { msg_id: i64, server_now: i64 },
    #[error("duplicate server msg_id {0:#x}")]
    Duplicate(i64),
    #[error("bad message length: {0}")]
    Length(&'static str),
    #[error(transparent)]
    Decode(#[from] DecodeError),
}
