//! Glue between the exchange and the generated `schema/mtproto.tl` types of
//! `hearth_tl::mtproto`.

use hearth_tl::{Cursor, Deserializable};

use crate::error::DecodeError;

pub use hearth_tl::mtproto::{enums, functions, types};

/// Decodes a `T` from the start of `body` and returns it with the number of
/// bytes it took (needed to check the SHA-1 that precedes DH inner data).
pub fn decode_len<T: Deserializable>(body: &[u8]) -> Result<(T, usize), DecodeError> {
    let mut c = Cursor::new(body);
    let v = T::deserialize(&mut c)?;
    Ok((v, c.position()))
}

/// Big-endian bytes of `v` without leading zeros (TL `bytes` for p, q, pq).
pub fn be_bytes(v: u64) -> Vec<u8> {
    let b = v.to_be_bytes();
    let skip = b.iter().take_while(|x| **x == 0).count().min(7);
    b[skip..].to_vec()
}

/// Reads a big-endian integer of at most 8 bytes.
pub fn from_be(bytes: &[u8]) -> Option<u64> {
    if bytes.len() > 8 {
        return None;
    }
    Some(bytes.iter().fold(0u64, |acc, b| acc << 8 | u64::from(*b)))
}
