//! Built-in types of core.telegram.org/mtproto/serialize: `int`, `long`,
//! `double`, `int128`, `int256`, `bytes`/`string`, `Bool`, `Vector t`.
//! All little-endian.

use crate::{Cursor, Deserializable, DeserializeError, Serializable};

/// `vector#1cb5c415`.
pub const VECTOR_ID: u32 = 0x1cb5c415;
/// `boolTrue#997275b5`.
pub const BOOL_TRUE_ID: u32 = 0x997275b5;
/// `boolFalse#bc799737`.
pub const BOOL_FALSE_ID: u32 = 0xbc799737;

/// Longest `bytes`/`string` the 3-byte length of the long form can express.
pub const MAX_BYTES_LEN: usize = (1 << 24) - 1;

/// Most bytes a vector reserves before its items are decoded. A vector's
/// declared count is only checked against the remaining input (4 bytes per
/// item), while an item in memory can be 50 times its smallest wire form;
/// beyond this, the vector grows as items actually decode.
pub const PREALLOC_BYTES: usize = 64 * 1024;

macro_rules! le_number {
    ($($ty:ty),*) => {$(
        impl Serializable for $ty {
            #[inline]
            fn serialize(&self, buf: &mut Vec<u8>) {
                buf.extend_from_slice(&self.to_le_bytes());
            }
        }
        impl Deserializable for $ty {
            #[inline]
            fn deserialize(buf: &mut Cursor<'_>) -> Result<Self, DeserializeError> {
                buf.read_array().map(<$ty>::from_le_bytes)
            }
        }
    )*};
}
le_number!(i32, u32, i64, f64);

/// `int128` and `int256` are raw byte strings of fixed length.
impl<const N: usize> Serializable for [u8; N] {
    #[inline]
    fn serialize(&self, buf: &mut Vec<u8>) {
        buf.extend_from_slice(self);
    }
}
impl<const N: usize> Deserializable for [u8; N] {
    #[inline]
    fn deserialize(buf: &mut Cursor<'_>) -> Result<Self, DeserializeError> {
        buf.read_array()
    }
}

/// `Bool`: the boxed constructors `boolTrue` / `boolFalse`.
impl Serializable for bool {
    #[inline]
    fn serialize(&self, buf: &mut Vec<u8>) {
        let id = if *self { BOOL_TRUE_ID } else { BOOL_FALSE_ID };
        id.serialize(buf);
    }
}
impl Deserializable for bool {
    #[inline]
    fn deserialize(buf: &mut Cursor<'_>) -> Result<Self, DeserializeError> {
        match buf.read_u32()? {
            BOOL_TRUE_ID => Ok(true),
            BOOL_FALSE_ID => Ok(false),
            id => Err(DeserializeError::UnexpectedConstructor {
                id,
                expected: "Bool",
            }),
        }
    }
}

/// Writes `bytes`/`string`: a length `L <= 253` as one byte, or the byte 254
/// followed by `L` in 3 bytes; then the data; then zero padding to a multiple
/// of 4 bytes for the whole. Data longer than [`MAX_BYTES_LEN`] cannot be
/// expressed by TL; it is cut to that length (no Telegram object comes near).
pub fn serialize_bytes(data: &[u8], buf: &mut Vec<u8>) {
    let data = &data[..data.len().min(MAX_BYTES_LEN)];
    let len = data.len();
    let header = if len <= 253 {
        buf.push(len as u8);
        1
    } else {
        buf.push(254);
        buf.extend_from_slice(&(len as u32).to_le_bytes()[..3]);
        4
    };
    buf.extend_from_slice(data);
    let padding = (4 - (header + len) % 4) % 4;
    buf.extend_from_slice(&[0u8; 3][..padding]);
}

/// Reads `bytes`/`string` (see [`serialize_bytes`]) without copying it;
/// padding is skipped.
#[inline]
pub fn deserialize_bytes<'a>(buf: &mut Cursor<'a>) -> Result<&'a [u8], DeserializeError> {
    let [first] = buf.read_array::<1>()?;
    let (header, len) = match first {
        0..=253 => (1, usize::from(first)),
        255 => return Err(DeserializeError::BadLengthPrefix),
        254 => {
            let [a, b, c] = buf.read_array::<3>()?;
            (
                4,
                usize::from(a) | usize::from(b) << 8 | usize::from(c) << 16,
            )
        }
    };
    let data = buf.read_slice(len)?;
    buf.read_slice((4 - (header + len) % 4) % 4)?;
    Ok(data)
}

/// `bytes`.
impl Serializable for Vec<u8> {
    #[inline]
    fn serialize(&self, buf: &mut Vec<u8>) {
        serialize_bytes(self, buf);
    }
}
impl Deserializable for Vec<u8> {
    #[inline]
    fn deserialize(buf: &mut Cursor<'_>) -> Result<Self, DeserializeError> {
        deserialize_bytes(buf).map(<[u8]>::to_vec)
    }
}

/// `string`: UTF-8 on the wire; invalid sequences decode to U+FFFD.
impl Serializable for String {
    #[inline]
    fn serialize(&self, buf: &mut Vec<u8>) {
        serialize_bytes(self.as_bytes(), buf);
    }
}
impl Deserializable for String {
    #[inline]
    fn deserialize(buf: &mut Cursor<'_>) -> Result<Self, DeserializeError> {
        let bytes = deserialize_bytes(buf)?;
        // Validating first is much faster than the lossy decoder's chunking
        // for the usual valid input.
        Ok(match std::str::from_utf8(bytes) {
            Ok(text) => text.to_owned(),
            Err(_) => String::from_utf8_lossy(bytes).into_owned(),
        })
    }
}

/// Boxed `Vector<T>`: `vector#1cb5c415`, an `int` count, the items.
impl<T: Serializable> Serializable for Vec<T> {
    fn serialize(&self, buf: &mut Vec<u8>) {
        VECTOR_ID.serialize(buf);
        serialize_bare_vec(self, buf);
    }
}
impl<T: Deserializable> Deserializable for Vec<T> {
    fn deserialize(buf: &mut Cursor<'_>) -> Result<Self, DeserializeError> {
        buf.expect_id(VECTOR_ID, "Vector")?;
        deserialize_bare_vec(buf)
    }
}

/// Bare `vector<T>`: the count and the items, no constructor id.
pub fn serialize_bare_vec<T: Serializable>(items: &[T], buf: &mut Vec<u8>) {
    (items.len() as i32).serialize(buf);
    for item in items {
        item.serialize(buf);
    }
}

/// Reads a bare `vector<T>`. Every TL value takes at least 4 bytes, so a
/// count above a quarter of the remaining input is refused at once; the
/// buffer reserved up front is at most [`PREALLOC_BYTES`] whatever the count.
pub fn deserialize_bare_vec<T: Deserializable>(
    buf: &mut Cursor<'_>,
) -> Result<Vec<T>, DeserializeError> {
    let count = buf.read_u32()? as usize;
    if count > buf.remaining() / 4 {
        return Err(DeserializeError::UnexpectedEof);
    }
    let mut items = Vec::with_capacity(count.min(PREALLOC_BYTES / size_of::<T>().max(1)));
    for _ in 0..count {
        items.push(T::deserialize(buf)?);
    }
    Ok(items)
}

/// Boxed fields of recursive types.
impl<T: Serializable> Serializable for Box<T> {
    #[inline]
    fn serialize(&self, buf: &mut Vec<u8>) {
        (**self).serialize(buf);
    }
}
impl<T: Deserializable> Deserializable for Box<T> {
    #[inline]
    fn deserialize(buf: &mut Cursor<'_>) -> Result<Self, DeserializeError> {
        T::deserialize(buf).map(Box::new)
    }
}
