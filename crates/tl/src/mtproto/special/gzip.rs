use crate::{Cursor, Deserializable, DeserializeError, Identifiable, Serializable};
use flate2::{read::GzDecoder, write::GzEncoder, Compression};
use std::borrow::Cow;
use std::io::{Read, Write};

/// `gzip_packed#3072cfa1`.
pub const GZIP_PACKED_ID: u32 = 0x3072cfa1;

/// Default inflate budget of one message: the most bytes all the
/// `gzip_packed` data of a message may unpack to. Telegram never sends
/// objects near this size; the bound stops decompression bombs.
pub const MAX_UNPACKED_SIZE: usize = 16 * 1024 * 1024;

/// `gzip_packed#3072cfa1 packed_data:bytes = Object`: a whole serialized
/// object, gzip compressed (core.telegram.org/mtproto/service_messages,
/// "Packed Object": used as the result of an RPC response).
///
/// Invariants of unpacking: the output (its capacity, not only its length)
/// never exceeds the budget given, and content that is itself a
/// `gzip_packed` is refused ([`DeserializeError::NestedGzip`]), so a message
/// is inflated at most once.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GzipPacked {
    pub packed_data: Vec<u8>,
}

impl GzipPacked {
    /// Compresses a serialized object.
    pub fn pack(unpacked: &[u8]) -> Self {
        let mut encoder = GzEncoder::new(Vec::new(), Compression::default());
        // Writing into a Vec cannot fail.
        let packed_data = encoder
            .write_all(unpacked)
            .and_then(|()| encoder.finish())
            .unwrap_or_default();
        GzipPacked { packed_data }
    }

    /// Decompresses the object, failing past [`MAX_UNPACKED_SIZE`] bytes.
    pub fn unpack(&self) -> Result<Vec<u8>, DeserializeError> {
        self.unpack_within(MAX_UNPACKED_SIZE)
    }

    /// Decompresses the object, failing past `budget` bytes (what is left of
    /// the inflate budget of the message it came in) or if the content is
    /// another `gzip_packed`.
    pub fn unpack_within(&self, budget: usize) -> Result<Vec<u8>, DeserializeError> {
        let out = inflate(&self.packed_data, budget)?;
        if out.len() > budget {
            return Err(DeserializeError::GzipTooLarge { limit: budget });
        }
        if out.get(..4) == Some(&GZIP_PACKED_ID.to_le_bytes()[..]) {
            return Err(DeserializeError::NestedGzip);
        }
        Ok(out)
    }

    /// Reads the fields after the constructor id.
    pub fn deserialize_bare(buf: &mut Cursor<'_>) -> Result<Self, DeserializeError> {
        Ok(GzipPacked {
            packed_data: Vec::<u8>::deserialize(buf)?,
        })
    }
}

impl Identifiable for GzipPacked {
    const CONSTRUCTOR_ID: u32 = GZIP_PACKED_ID;
}

impl Serializable for GzipPacked {
    fn serialize(&self, buf: &mut Vec<u8>) {
        GZIP_PACKED_ID.serialize(buf);
        self.packed_data.serialize(buf);
    }
}

impl Deserializable for GzipPacked {
    fn deserialize(buf: &mut Cursor<'_>) -> Result<Self, DeserializeError> {
        buf.expect_id(GZIP_PACKED_ID, "gzip_packed")?;
        Self::deserialize_bare(buf)
    }
}

/// Reads gzip data into a buffer of at most `budget + 1` bytes.
///
/// Hand-written rather than `Read::read_to_end`, which doubles its buffer:
/// a 16 MiB budget could then reserve 32 MiB. Growth here doubles too but
/// stops at the budget, so what a bomb costs is what the budget allows.
fn inflate(packed: &[u8], budget: usize) -> Result<Vec<u8>, DeserializeError> {
    let cap = budget.saturating_add(1);
    let mut reader = GzDecoder::new(packed).take(cap as u64);
    let mut out = Vec::new();
    let mut chunk = [0u8; 16 * 1024];
    loop {
        let n = match reader.read(&mut chunk) {
            Ok(0) => return Ok(out),
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(DeserializeError::BadGzip(e.to_string())),
        };
        if out.len() + n > out.capacity() {
            let grown = (out.capacity() * 2).max(out.len() + n).min(cap);
            out.reserve_exact(grown - out.len());
        }
        out.extend_from_slice(&chunk[..n]);
    }
}

/// The serialized object in `bytes`, unpacked first (within
/// [`MAX_UNPACKED_SIZE`]) if it is a `gzip_packed`. Use it on
/// [`super::RpcResult::result`] and message bodies before decoding them:
/// no decoder unpacks `gzip_packed` by itself.
pub fn unpack_object(bytes: &[u8]) -> Result<Cow<'_, [u8]>, DeserializeError> {
    let mut cursor = Cursor::new(bytes);
    if cursor.peek_u32()? == GZIP_PACKED_ID {
        Ok(Cow::Owned(GzipPacked::deserialize(&mut cursor)?.unpack()?))
    } else {
        Ok(Cow::Borrowed(bytes))
    }
}
