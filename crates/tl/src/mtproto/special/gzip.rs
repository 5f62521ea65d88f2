use crate::{Cursor, Deserializable, DeserializeError, Identifiable, Serializable};
use flate2::{read::GzDecoder, write::GzEncoder, Compression};
use std::borrow::Cow;
use std::io::{Read, Write};

/// `gzip_packed#3072cfa1`.
pub const GZIP_PACKED_ID: u32 = 0x3072cfa1;

/// Largest decompressed `gzip_packed` payload accepted. Telegram never sends
/// objects near this size; the bound stops decompression bombs.
pub const MAX_UNPACKED_SIZE: usize = 16 * 1024 * 1024;

/// `gzip_packed#3072cfa1 packed_data:bytes = Object`: any object, gzip
/// compressed (core.telegram.org/mtproto/service_messages, "Packed Object").
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
        let mut out = Vec::new();
        GzDecoder::new(self.packed_data.as_slice())
            .take(MAX_UNPACKED_SIZE as u64 + 1)
            .read_to_end(&mut out)
            .map_err(|e| DeserializeError::BadGzip(e.to_string()))?;
        if out.len() > MAX_UNPACKED_SIZE {
            return Err(DeserializeError::GzipTooLarge {
                limit: MAX_UNPACKED_SIZE,
            });
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

/// The serialized object in `bytes`, decompressed first if it is a
/// `gzip_packed`. Use it on [`super::RpcResult::result`] and message bodies
/// before decoding them as a type that is not a generated enum (generated
/// enums unpack `gzip_packed` by themselves).
pub fn unpack_object(bytes: &[u8]) -> Result<Cow<'_, [u8]>, DeserializeError> {
    let mut cursor = Cursor::new(bytes);
    if cursor.peek_u32()? == GZIP_PACKED_ID {
        Ok(Cow::Owned(GzipPacked::deserialize(&mut cursor)?.unpack()?))
    } else {
        Ok(Cow::Borrowed(bytes))
    }
}
