//! The encrypted envelope of a session message: plaintext framing
//! (salt, session_id, msg_id, seqno, length, body) around
//! `hearth_crypto::message` (core.telegram.org/mtproto/description,
//! "Encrypted Message"). Used by the client session and by [`crate::server`].

use hearth_crypto::message::{self, MessageError, PlainMessage, Side};
use hearth_crypto::AuthKey;
use rand_core::CryptoRng;

use crate::error::InboundError;
use crate::wire::Writer;

/// The plaintext header fields of a decrypted message plus its body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Plain {
    pub salt: i64,
    pub session_id: i64,
    pub msg_id: i64,
    pub seqno: i32,
    pub body: Vec<u8>,
}

/// The plaintext header of an outgoing message.
#[derive(Debug, Clone, Copy)]
pub struct Header {
    pub salt: i64,
    pub session_id: i64,
    pub msg_id: i64,
    pub seqno: i32,
}

/// Frames and encrypts one message as sent by `side`.
pub(crate) fn seal(
    side: Side,
    key: &AuthKey,
    h: Header,
    body: &[u8],
    rng: &mut (impl CryptoRng + ?Sized),
) -> Vec<u8> {
    seal_parts(side, key, h, &[body], rng)
}

/// [`seal`] of a body given as consecutive parts, copied once.
pub(crate) fn seal_parts(
    side: Side,
    key: &AuthKey,
    h: Header,
    body: &[&[u8]],
    rng: &mut (impl CryptoRng + ?Sized),
) -> Vec<u8> {
    let header = plain_header(h, body);
    let mut parts = Vec::with_capacity(body.len() + 1);
    parts.push(header.as_slice());
    parts.extend_from_slice(body);
    message::encrypt_parts(side, key, &parts, rng)
}

/// [`seal_parts`] of two messages at once (their encryption interleaved:
/// `hearth_crypto::message::encrypt_parts_pair`); the same packets as two
/// calls.
pub(crate) fn seal_parts_pair(
    side: Side,
    key: &AuthKey,
    (ha, body_a): (Header, &[&[u8]]),
    (hb, body_b): (Header, &[&[u8]]),
    rng: &mut (impl CryptoRng + ?Sized),
) -> (Vec<u8>, Vec<u8>) {
    let (header_a, header_b) = (plain_header(ha, body_a), plain_header(hb, body_b));
    let parts_a: Vec<&[u8]> = std::iter::once(&header_a[..])
        .chain(body_a.iter().copied())
        .collect();
    let parts_b: Vec<&[u8]> = std::iter::once(&header_b[..])
        .chain(body_b.iter().copied())
        .collect();
    message::encrypt_parts_pair(side, key, &parts_a, &parts_b, rng)
}

/// The 32-byte plaintext header of a message with `body`.
fn plain_header(h: Header, body: &[&[u8]]) -> Vec<u8> {
    let len: usize = body.iter().map(|p| p.len()).sum();
    let mut header = Vec::with_capacity(32);
    header.put_i64(h.salt);
    header.put_i64(h.session_id);
    header.put_i64(h.msg_id);
    header.put_i32(h.seqno);
    header.put_i32(len as i32);
    header
}

/// Decrypts and splits a message received by `side`; all length, padding,
/// auth_key_id and msg_key checks of `hearth_crypto::message` apply.
pub(crate) fn open_as(side: Side, key: &AuthKey, payload: &[u8]) -> Result<Plain, InboundError> {
    let plain = message::decrypt(side, key, payload).map_err(map_err)?;
    let m = PlainMessage::parse(&plain).map_err(map_err)?;
    Ok(Plain {
        salt: m.salt,
        session_id: m.session_id,
        msg_id: m.msg_id,
        seqno: m.seq_no,
        body: m.body.to_vec(),
    })
}

/// [`open_as`] without copies: the payload is decrypted in place, and the
/// body is returned as its range within `payload` (with an empty `body`
/// in the [`Plain`]). The same checks, in the same order.
pub(crate) fn open_in_place(
    side: Side,
    key: &AuthKey,
    payload: &mut [u8],
) -> Result<Opened, InboundError> {
    let plain = message::decrypt_in_place(side, key, payload).map_err(map_err)?;
    split(plain)
}

/// [`open_in_place`] of two payloads under one key, decrypted together;
/// the results are those of two calls.
pub(crate) fn open_in_place_pair(
    side: Side,
    key: &AuthKey,
    a: &mut [u8],
    b: &mut [u8],
) -> (Result<Opened, InboundError>, Result<Opened, InboundError>) {
    let (pa, pb) = message::decrypt_in_place_pair(side, key, a, b);
    (
        pa.map_err(map_err).and_then(split),
        pb.map_err(map_err).and_then(split),
    )
}

/// A payload opened in place: its header, and where its body lies in it.
pub(crate) type Opened = (Plain, std::ops::Range<usize>);

/// Parses the plaintext of a payload decrypted in place.
fn split(plain: &[u8]) -> Result<Opened, InboundError> {
    let m = PlainMessage::parse(plain).map_err(map_err)?;
    let start = message::HEADER_LEN + message::PLAIN_HEADER_LEN;
    let range = start..start + m.body.len();
    let header = Plain {
        salt: m.salt,
        session_id: m.session_id,
        msg_id: m.msg_id,
        seqno: m.seq_no,
        body: Vec::new(),
    };
    Ok((header, range))
}

fn map_err(e: MessageError) -> InboundError {
    match e {
        MessageError::WrongAuthKeyId { got, .. } => InboundError::AuthKeyMismatch(got),
        MessageError::BadDataLength { .. } => {
            InboundError::Length("message_data_length or padding out of bounds")
        }
        MessageError::TooShort { .. } => InboundError::Length("payload too short"),
        MessageError::NotBlockAligned { .. } => {
            InboundError::Length("ciphertext not a multiple of 16 bytes")
        }
        other => InboundError::Decrypt(other.to_string()),
    }
}
