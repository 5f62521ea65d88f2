//! Reading a `file_id` (layout in the parent module's docs).

use super::{
    FileId, Location, PhotoSizeSource, PhotoVolume, Version, FILE_REFERENCE_FLAG, WEB_LOCATION_FLAG,
};
use crate::wire::{self, Reader};
use crate::{DecodeError, FileType};

impl FileId {
    /// Decodes a Bot API / Pyrogram `file_id`.
    pub fn decode(id: &str) -> Result<FileId, DecodeError> {
        let body = wire::unwrap(id)?;
        let (version, body) = split_version(&body)?;
        let mut r = Reader::new(body);

        let raw_type = r.i32("file type")?;
        let web = raw_type & WEB_LOCATION_FLAG != 0;
        let has_reference = raw_type & FILE_REFERENCE_FLAG != 0;
        let file_type = FileType::from_wire(raw_type & !(WEB_LOCATION_FLAG | FILE_REFERENCE_FLAG))?;
        let dc_id = r.i32("dc id")?;
        let file_reference = if has_reference {
            r.tl_bytes("file reference")?
        } else {
            Vec::new()
        };

        let location = if web {
            Location::Web {
                url: r.tl_string("url")?,
                access_hash: r.i64("access hash")?,
            }
        } else {
            let media_id = r.i64("media id")?;
            let access_hash = r.i64("access hash")?;
            if file_type.is_photo() {
                read_photo(&mut r, version, media_id, access_hash)?
            } else {
                Location::Common {
                    media_id,
                    access_hash,
                }
            }
        };

        let pyrogram_padding = matches!(location, Location::Common { .. })
            && !has_reference
            && version.major() == 4
            && r.remaining() == padding(version);
        if !pyrogram_padding && !r.remaining().is_empty() {
            return Err(DecodeError::TrailingBytes {
                what: "file id",
                count: r.remaining().len(),
            });
        }
        Ok(FileId {
            version,
            file_type,
            dc_id,
            file_reference,
            location,
            pyrogram_padding,
        })
    }
}

/// Pyrogram's document padding for `version`: sub-version and version as int32s.
pub(super) fn padding(version: Version) -> [u8; 8] {
    let mut p = [0u8; 8];
    p[..4].copy_from_slice(&i32::from(version.minor()).to_le_bytes());
    p[4..].copy_from_slice(&i32::from(version.major()).to_le_bytes());
    p
}

fn split_version(body: &[u8]) -> Result<(Version, &[u8]), DecodeError> {
    let (&major, rest) = body.split_last().ok_or(DecodeError::Empty)?;
    match major {
        2 => Ok((Version::V2, rest)),
        3 => Ok((Version::V3, rest)),
        4 => {
            let (&sub_version, rest) = rest.split_last().ok_or(DecodeError::Truncated {
                what: "sub-version",
                offset: 0,
                need: 1,
                have: 0,
            })?;
            Ok((Version::V4 { sub_version }, rest))
        }
        major => Err(DecodeError::WrongVersion { major }),
    }
}

fn read_photo(
    r: &mut Reader,
    version: Version,
    media_id: i64,
    access_hash: i64,
) -> Result<Location, DecodeError> {
    let volume_id = if version.has_photo_volume() {
        Some(r.i64("volume id")?)
    } else {
        None
    };
    let tag = if version.major() >= 4 {
        r.i32("photo-size source")?
    } else {
        0
    };
    let source = PhotoSizeSource::read(tag, r)?;
    let volume = match volume_id {
        Some(volume_id) => Some(PhotoVolume {
            volume_id,
            local_id: r.i32("local id")?,
        }),
        None => None,
    };
    Ok(Location::Photo {
        media_id,
        access_hash,
        volume,
        source,
    })
}
