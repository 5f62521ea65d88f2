//! `file_id`: a reusable reference to a remote file (TDLib's persistent id of a
//! `FullRemoteFileLocation`, the string the Bot API and Pyrogram hand out).
//!
//! Body layout (little-endian), before zero-run and base64url wrapping:
//!
//! ```text
//! int32 type | WEB_LOCATION_FLAG (1<<24) | FILE_REFERENCE_FLAG (1<<25)
//! int32 dc_id
//! [bytes file_reference]                       if FILE_REFERENCE_FLAG
//! web:    string url, int64 access_hash        if WEB_LOCATION_FLAG
//! photo:  int64 id, int64 access_hash,
//!         [int64 volume_id]                    version 2/3, or 4 with sub-version < 32
//!         [int32 source tag]                   version 4
//!         source fields                        (see source.rs; legacy only before 4)
//!         [int32 local_id]                     with volume_id
//! common: int64 id, int64 access_hash
//! [uint8 sub_version]                          version 4
//! uint8 version                                2, 3 or 4
//! ```
//!
//! Invariants: a decoded id re-encodes to the same string unless it was written with
//! base64 padding or with zero runs split otherwise than TDLib splits them; the file reference flag is set exactly when the reference is non-empty.
//! Pyrogram's encoder adds 8 bytes (sub-version and version again, as int32s) after a common
//! document's access hash when it has no file reference, which TDLib never writes; they are
//! accepted only in that place with those values and kept as [`FileId::pyrogram_padding`].

mod decode;
mod encode;
mod source;

pub use source::{PhotoSizeSource, SOURCE_NAMES};

use crate::{FileType, FileUniqueId};

/// Set in the type field when the id is a web location (a URL).
pub const WEB_LOCATION_FLAG: i32 = 1 << 24;
/// Set in the type field when a file reference follows the DC id.
pub const FILE_REFERENCE_FLAG: i32 = 1 << 25;
/// The first sub-version whose photo ids carry no volume_id/local_id
/// (TDLib's `Version::RemovePhotoVolumeAndLocalId`).
pub const NO_VOLUME_SUB_VERSION: u8 = 32;

/// Which layout the id was written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Version {
    /// TDLib's old persistent ids: no sub-version byte, photos have only the legacy source.
    V2,
    /// Read as version 2 (Pyrogram does the same).
    V3,
    /// Current ids: a sub-version byte (TDLib's `Version`) precedes the version.
    V4 { sub_version: u8 },
}

impl Version {
    /// The version Pyrogram writes by default (4.30).
    pub const PYROGRAM_DEFAULT: Version = Version::V4 { sub_version: 30 };

    pub fn major(self) -> u8 {
        match self {
            Version::V2 => 2,
            Version::V3 => 3,
            Version::V4 { .. } => 4,
        }
    }

    /// The sub-version; 0 before version 4 (as Pyrogram reports it).
    pub fn minor(self) -> u8 {
        match self {
            Version::V4 { sub_version } => sub_version,
            _ => 0,
        }
    }

    /// Whether photo ids of this version carry volume_id and local_id around the source.
    pub fn has_photo_volume(self) -> bool {
        self.minor() < NO_VOLUME_SUB_VERSION
    }
}

/// volume_id and local_id of older photo ids, written around the source.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PhotoVolume {
    pub volume_id: i64,
    pub local_id: i32,
}

/// Where the file is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Location {
    /// A file at a URL, fetched by Telegram.
    Web { url: String, access_hash: i64 },
    /// A photo-like file (see [`FileType::is_photo`]).
    Photo {
        media_id: i64,
        access_hash: i64,
        /// Present exactly when [`Version::has_photo_volume`].
        volume: Option<PhotoVolume>,
        source: PhotoSizeSource,
    },
    /// Any other file (documents, videos, stickers, …).
    Common { media_id: i64, access_hash: i64 },
}

/// A decoded `file_id`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileId {
    pub version: Version,
    pub file_type: FileType,
    pub dc_id: i32,
    /// Empty when the id carries none.
    pub file_reference: Vec<u8>,
    pub location: Location,
    /// Pyrogram's 8 extra bytes after a common document without file reference (see the
    /// module docs); `false` writes what TDLib writes.
    pub pyrogram_padding: bool,
}

impl FileId {
    /// The file's `file_unique_id` as Pyrogram derives it: the URL for web locations, else
    /// the document kind with the media id (Pyrogram uses it for photos too).
    pub fn unique_id(&self) -> FileUniqueId {
        match &self.location {
            Location::Web { url, .. } => FileUniqueId::Web { url: url.clone() },
            Location::Photo { media_id, .. } | Location::Common { media_id, .. } => {
                FileUniqueId::Document {
                    media_id: *media_id,
                }
            }
        }
    }
}
