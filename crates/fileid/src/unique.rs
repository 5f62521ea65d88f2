//! `file_unique_id`: an id that is the same for one file across bots and time, and cannot be
//! used to fetch it. Body (before zero-run and base64url, no version byte):
//!
//! ```text
//! int32 type   0 web | 1 photo | 2 document | 3 secure | 4 encrypted | 5 temp
//! web:      string url
//! photo:    int64 volume_id, int32 local_id
//! document: int64 media_id
//! ```
//!
//! These are the layouts Pyrogram reads and writes; it has none for secure, encrypted and
//! temp, so neither has this codec ([`DecodeError::UnsupportedUniqueType`]). Nothing may
//! follow the fields.

use crate::wire::{self, Reader, Writer};
use crate::{DecodeError, EncodeError};

/// A decoded `file_unique_id`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FileUniqueId {
    Web { url: String },
    Photo { volume_id: i64, local_id: i32 },
    Document { media_id: i64 },
}

impl FileUniqueId {
    pub fn type_name(&self) -> &'static str {
        match self {
            FileUniqueId::Web { .. } => "web",
            FileUniqueId::Photo { .. } => "photo",
            FileUniqueId::Document { .. } => "document",
        }
    }

    fn wire_type(&self) -> i32 {
        match self {
            FileUniqueId::Web { .. } => 0,
            FileUniqueId::Photo { .. } => 1,
            FileUniqueId::Document { .. } => 2,
        }
    }

    pub fn decode(id: &str) -> Result<FileUniqueId, DecodeError> {
        let body = wire::unwrap(id)?;
        let mut r = Reader::new(&body);
        let unique = match r.i32("file_unique_id type")? {
            0 => FileUniqueId::Web {
                url: r.tl_string("url")?,
            },
            1 => FileUniqueId::Photo {
                volume_id: r.i64("volume id")?,
                local_id: r.i32("local id")?,
            },
            2 => FileUniqueId::Document {
                media_id: r.i64("media id")?,
            },
            t @ 3..=5 => return Err(DecodeError::UnsupportedUniqueType(t)),
            t => return Err(DecodeError::UnknownUniqueType(t)),
        };
        if !r.remaining().is_empty() {
            return Err(DecodeError::TrailingBytes {
                what: "file_unique_id",
                count: r.remaining().len(),
            });
        }
        Ok(unique)
    }

    pub fn encode(&self) -> Result<String, EncodeError> {
        let mut w = Writer::default();
        w.i32(self.wire_type());
        match self {
            FileUniqueId::Web { url } => w.tl_bytes("url", url.as_bytes())?,
            FileUniqueId::Photo {
                volume_id,
                local_id,
            } => {
                w.i64(*volume_id);
                w.i32(*local_id);
            }
            FileUniqueId::Document { media_id } => w.i64(*media_id),
        }
        Ok(wire::wrap(&w.buf))
    }
}
