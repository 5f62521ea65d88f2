//! `file_unique_id`: an id that is the same for one file across bots and time, and cannot be
//! used to fetch it. Body (before zero-run and base64url, no version byte):
//!
//! ```text
//! int32 type   0 web | 1 photo | 2 document | 3 secure | 4 encrypted | 5 temp
//! web:      string url
//! photo:    int64 volume_id, int32 local_id        (legacy locations)
//!       or  int64 photo_id, uint8 size type         (a size of a photo, as the Bot API
//!                                                     writes it today)
//! document: int64 media_id
//! ```
//!
//! The two photo layouts are told apart by their length (12 or 9 bytes after the type):
//! TDLib's `PhotoRemoteFileLocation::AsKey` with `is_unique` writes the source's unique part
//! (`td/telegram/files/FileLocation.hpp`), which for a `Thumbnail` source is the photo id and
//! the size letter as one byte. Pyrogram writes only the legacy layout (and documents' one
//! for photos). Neither has a layout for secure, encrypted and temp, so neither has this
//! codec ([`DecodeError::UnsupportedUniqueType`]). Nothing may follow the fields.

use crate::wire::{self, Reader, Writer};
use crate::{DecodeError, EncodeError};

/// A decoded `file_unique_id`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FileUniqueId {
    Web {
        url: String,
    },
    Photo {
        volume_id: i64,
        local_id: i32,
    },
    /// One size of a photo: its id and its size letter (`PhotoSize.type`, ASCII).
    PhotoSize {
        media_id: i64,
        size_type: char,
    },
    Document {
        media_id: i64,
    },
}

impl FileUniqueId {
    pub fn type_name(&self) -> &'static str {
        match self {
            FileUniqueId::Web { .. } => "web",
            FileUniqueId::Photo { .. } | FileUniqueId::PhotoSize { .. } => "photo",
            FileUniqueId::Document { .. } => "document",
        }
    }

    fn wire_type(&self) -> i32 {
        match self {
            FileUniqueId::Web { .. } => 0,
            FileUniqueId::Photo { .. } | FileUniqueId::PhotoSize { .. } => 1,
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
            1 if r.remaining().len() == 9 => {
                let media_id = r.i64("photo id")?;
                let size = r.take(1, "photo size type")?[0];
                if !size.is_ascii() {
                    return Err(DecodeError::BadThumbnailType(i32::from(size)));
                }
                FileUniqueId::PhotoSize {
                    media_id,
                    size_type: char::from(size),
                }
            }
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
            FileUniqueId::PhotoSize {
                media_id,
                size_type,
            } => {
                let size = u8::try_from(*size_type)
                    .ok()
                    .filter(u8::is_ascii)
                    .ok_or(EncodeError::SizeType(*size_type))?;
                w.i64(*media_id);
                w.buf.push(size);
            }
            FileUniqueId::Document { media_id } => w.i64(*media_id),
        }
        Ok(wire::wrap(&w.buf))
    }
}
