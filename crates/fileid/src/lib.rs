//! hearth-fileid: the `file_id` and `file_unique_id` strings of the Bot API and Pyrogram,
//! decoded into typed values and encoded back, without I/O.
//!
//! Format: TDLib's persistent file ids (`td/telegram/files/FileManager.cpp`,
//! `get_persistent_id`/`from_persistent_id`; the locations in `FileLocation.hpp`, the photo
//! sources in `PhotoSizeSource.hpp`), as Pyrogram's `pyrogram/file_id.py` reads and writes
//! them. A body of little-endian fields is zero-run encoded (each run of 0x00 becomes
//! `0x00, length`) and written in base64url without padding. A `file_id` ends with its
//! version byte (2, 3 or 4) and, in version 4, a sub-version byte before it; a
//! `file_unique_id` has no version. Layouts are in [`file_id`] and [`unique`].
//!
//! Invariants: decoding never panics; every malformed id is a [`DecodeError`] naming what is
//! wrong; `decode(encode(x)) == x` for every value `encode` accepts; the bytes after the last
//! field must be exactly the version bytes (or Pyrogram's document padding, see
//! [`FileId::pyrogram_padding`]).
//!
//! `hearth-cli file-id` is the command-line face of this crate; the Pyrogram
//! interoperability test lives in `tests/pyrogram/`.

mod error;
pub mod fields;
pub mod file_id;
mod file_type;
pub mod unique;
mod wire;

pub use error::{DecodeError, EncodeError, FieldsError};
pub use file_id::{FileId, Location, PhotoSizeSource, PhotoVolume, Version};
pub use file_type::FileType;
pub use unique::FileUniqueId;

/// Decodes a `file_id`.
pub fn decode(id: &str) -> Result<FileId, DecodeError> {
    FileId::decode(id)
}

/// Encodes a `file_id`.
pub fn encode(id: &FileId) -> Result<String, EncodeError> {
    id.encode()
}

/// Decodes a `file_unique_id`.
pub fn decode_unique(id: &str) -> Result<FileUniqueId, DecodeError> {
    FileUniqueId::decode(id)
}

/// Encodes a `file_unique_id`.
pub fn encode_unique(id: &FileUniqueId) -> Result<String, EncodeError> {
    id.encode()
}

#[cfg(test)]
mod tests;
