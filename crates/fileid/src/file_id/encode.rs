//! Writing a `file_id`: the exact mirror of decode.rs, refusing parts that do not fit the
//! version rather than writing an id nobody can read.

use super::decode::padding;
use super::{FileId, Location, PhotoSizeSource, FILE_REFERENCE_FLAG, WEB_LOCATION_FLAG};
use crate::wire::{self, Writer};
use crate::EncodeError;

impl FileId {
    /// Encodes the id as the Bot API writes it (plus Pyrogram's padding when asked for).
    pub fn encode(&self) -> Result<String, EncodeError> {
        let (major, minor) = (self.version.major(), self.version.minor());
        let mut w = Writer::default();
        let mut raw_type = self.file_type as i32;
        if matches!(self.location, Location::Web { .. }) {
            raw_type |= WEB_LOCATION_FLAG;
        }
        if !self.file_reference.is_empty() {
            raw_type |= FILE_REFERENCE_FLAG;
        }
        w.i32(raw_type);
        w.i32(self.dc_id);
        if !self.file_reference.is_empty() {
            w.tl_bytes("file reference", &self.file_reference)?;
        }
        match &self.location {
            Location::Web { url, access_hash } => {
                w.tl_bytes("url", url.as_bytes())?;
                w.i64(*access_hash);
            }
            Location::Photo {
                media_id,
                access_hash,
                volume,
                source,
            } => {
                w.i64(*media_id);
                w.i64(*access_hash);
                if volume.is_some() != self.version.has_photo_volume() {
                    return Err(EncodeError::LegacyVolume { major, minor });
                }
                if let Some(v) = volume {
                    w.i64(v.volume_id);
                }
                if major >= 4 {
                    w.i32(source.tag());
                } else if !matches!(source, PhotoSizeSource::Legacy { .. }) {
                    return Err(EncodeError::SourceNeedsVersion4 { major });
                }
                source.write(&mut w);
                if let Some(v) = volume {
                    w.i32(v.local_id);
                }
            }
            Location::Common {
                media_id,
                access_hash,
            } => {
                w.i64(*media_id);
                w.i64(*access_hash);
            }
        }
        if self.pyrogram_padding {
            let common = matches!(self.location, Location::Common { .. });
            if !common || !self.file_reference.is_empty() || major != 4 {
                return Err(EncodeError::Padding);
            }
            w.buf.extend(padding(self.version));
        }
        if major == 4 {
            w.buf.push(minor);
        }
        w.buf.push(major);
        Ok(wire::wrap(&w.buf))
    }
}
