//! Unencrypted messages, used only during auth key creation
//! (core.telegram.org/mtproto/description#unencrypted-message):
//! `auth_key_id = 0 (8) | msg_id (8) | message_data_length (4) | message_data`.

use crate::error::DecodeError;
use crate::wire::{Reader, Writer};

/// Frames `body` as an unencrypted message with `msg_id`.
pub fn wrap(msg_id: i64, body: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(20 + body.len());
    out.put_i64(0);
    out.put_i64(msg_id);
    out.put_i32(body.len() as i32);
    out.extend_from_slice(body);
    out
}

/// A parsed unencrypted message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PlainMessage<'a> {
    pub msg_id: i64,
    pub body: &'a [u8],
}

/// Splits an unencrypted message, checking auth_key_id = 0 and that the
/// declared length matches the payload exactly.
pub fn unwrap(payload: &[u8]) -> Result<PlainMessage<'_>, DecodeError> {
    let mut r = Reader::new(payload);
    if r.i64()? != 0 {
        return Err(DecodeError::Malformed(
            "unencrypted message with non-zero auth_key_id",
        ));
    }
    let msg_id = r.i64()?;
    let len = r.i32()?;
    if len < 0 || len as usize != r.remaining() {
        return Err(DecodeError::Malformed(
            "unencrypted message length does not match payload",
        ));
    }
    Ok(PlainMessage {
        msg_id,
        body: r.rest(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roundtrip_and_rejections() {
        let p = wrap(0x1234, &[1, 2, 3, 4]);
        let m = unwrap(&p).unwrap();
        assert_eq!((m.msg_id, m.body), (0x1234, &[1u8, 2, 3, 4][..]));
        let mut bad = p.clone();
        bad[0] = 1;
        assert!(unwrap(&bad).is_err());
        assert!(unwrap(&p[..p.len() - 1]).is_err());
    }
}
