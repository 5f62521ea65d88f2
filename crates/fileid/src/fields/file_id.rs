//! The flat form of a [`FileId`]: Pyrogram's `FileId` attributes. `volume_id`/`local_id`
//! are the outer pair of older photo ids or, from sub-version 32, the source's own (the two
//! are equal in every id Pyrogram writes).

use serde::{Deserialize, Serialize};

use super::source::{file_type, invalid, put_source, take_source};
use super::{from_hex, need, to_hex};
use crate::file_id::{Location, PhotoVolume, Version};
use crate::{FieldsError, FileId};

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileIdFields {
    pub major: u8,
    pub minor: u8,
    pub file_type: String,
    pub dc_id: i32,
    /// Hex; empty when the id has none.
    #[serde(default)]
    pub file_reference: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub media_id: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub access_hash: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub volume_id: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub thumbnail_source: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub thumbnail_file_type: Option<String>,
    /// The thumbnail's size letter (`PhotoSize.type`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub thumbnail_size: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub secret: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub local_id: Option<i32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub chat_id: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub chat_access_hash: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sticker_set_id: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sticker_set_access_hash: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sticker_set_version: Option<i32>,
    /// Pyrogram's extra document bytes ([`FileId::pyrogram_padding`]); absent means none.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub pyrogram_padding: bool,
}

impl From<&FileId> for FileIdFields {
    fn from(id: &FileId) -> Self {
        let mut f = FileIdFields {
            major: id.version.major(),
            minor: id.version.minor(),
            file_type: id.file_type.name().to_owned(),
            dc_id: id.dc_id,
            file_reference: to_hex(&id.file_reference),
            pyrogram_padding: id.pyrogram_padding,
            ..Default::default()
        };
        match &id.location {
            Location::Web { url, access_hash } => {
                f.url = Some(url.clone());
                f.access_hash = Some(*access_hash);
            }
            Location::Common {
                media_id,
                access_hash,
            } => {
                f.media_id = Some(*media_id);
                f.access_hash = Some(*access_hash);
            }
            Location::Photo {
                media_id,
                access_hash,
                volume,
                source,
            } => {
                f.media_id = Some(*media_id);
                f.access_hash = Some(*access_hash);
                f.thumbnail_source = Some(source.name().to_owned());
                put_source(&mut f, source);
                if let Some(v) = volume {
                    f.volume_id = Some(v.volume_id);
                    f.local_id = Some(v.local_id);
                }
            }
        }
        f
    }
}

impl TryFrom<&FileIdFields> for FileId {
    type Error = FieldsError;

    fn try_from(f: &FileIdFields) -> Result<Self, FieldsError> {
        let version = match (f.major, f.minor) {
            (2, 0) => Version::V2,
            (3, 0) => Version::V3,
            (4, sub_version) => Version::V4 { sub_version },
            (2 | 3, _) => return Err(invalid("minor", "versions 2 and 3 have no sub-version: 0")),
            _ => return Err(invalid("major", "known versions: 2, 3, 4")),
        };
        let file_type = file_type("file_type", &f.file_type)?;
        let location = if let Some(url) = &f.url {
            Location::Web {
                url: url.clone(),
                access_hash: need("access_hash", f.access_hash)?,
            }
        } else {
            let media_id = need("media_id", f.media_id)?;
            let access_hash = need("access_hash", f.access_hash)?;
            if file_type.is_photo() {
                let volume = match version.has_photo_volume() {
                    true => Some(PhotoVolume {
                        volume_id: need("volume_id", f.volume_id)?,
                        local_id: need("local_id", f.local_id)?,
                    }),
                    false => None,
                };
                Location::Photo {
                    media_id,
                    access_hash,
                    volume,
                    source: take_source(f)?,
                }
            } else {
                Location::Common {
                    media_id,
                    access_hash,
                }
            }
        };
        let id = FileId {
            version,
            file_type,
            dc_id: f.dc_id,
            file_reference: from_hex("file_reference", &f.file_reference)?,
            location,
            pyrogram_padding: f.pyrogram_padding,
        };
        // Every field given must be one this id has.
        let back = FileIdFields::from(&id);
        for (field, given, used) in [
            ("url", f.url.is_some(), back.url.is_some()),
            ("media_id", f.media_id.is_some(), back.media_id.is_some()),
            ("volume_id", f.volume_id.is_some(), back.volume_id.is_some()),
            (
                "thumbnail_source",
                f.thumbnail_source.is_some(),
                back.thumbnail_source.is_some(),
            ),
            (
                "thumbnail_file_type",
                f.thumbnail_file_type.is_some(),
                back.thumbnail_file_type.is_some(),
            ),
            (
                "thumbnail_size",
                f.thumbnail_size.is_some(),
                back.thumbnail_size.is_some(),
            ),
            ("secret", f.secret.is_some(), back.secret.is_some()),
            ("local_id", f.local_id.is_some(), back.local_id.is_some()),
            ("chat_id", f.chat_id.is_some(), back.chat_id.is_some()),
            (
                "chat_access_hash",
                f.chat_access_hash.is_some(),
                back.chat_access_hash.is_some(),
            ),
            (
                "sticker_set_id",
                f.sticker_set_id.is_some(),
                back.sticker_set_id.is_some(),
            ),
            (
                "sticker_set_access_hash",
                f.sticker_set_access_hash.is_some(),
                back.sticker_set_access_hash.is_some(),
            ),
            (
                "sticker_set_version",
                f.sticker_set_version.is_some(),
                back.sticker_set_version.is_some(),
            ),
        ] {
            if given && !used {
                return Err(FieldsError::Unexpected {
                    field,
                    kind: "file_id",
                });
            }
        }
        // Refuses what cannot be written (e.g. padding on a photo) here, not at encode time.
        id.encode()?;
        Ok(id)
    }
}
