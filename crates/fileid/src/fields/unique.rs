//! The flat form of a [`FileUniqueId`].

use serde::{Deserialize, Serialize};

use super::need;
use crate::{FieldsError, FileUniqueId};

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UniqueFields {
    /// `web`, `photo` or `document`.
    #[serde(rename = "type")]
    pub unique_type: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub volume_id: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub local_id: Option<i32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub media_id: Option<i64>,
    /// The size letter of a photo size's id (with `media_id`, type `photo`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub thumbnail_size: Option<String>,
}

impl From<&FileUniqueId> for UniqueFields {
    fn from(u: &FileUniqueId) -> Self {
        let mut f = UniqueFields {
            unique_type: u.type_name().to_owned(),
            ..Default::default()
        };
        match u {
            FileUniqueId::Web { url } => f.url = Some(url.clone()),
            FileUniqueId::Photo {
                volume_id,
                local_id,
            } => {
                f.volume_id = Some(*volume_id);
                f.local_id = Some(*local_id);
            }
            FileUniqueId::PhotoSize {
                media_id,
                size_type,
            } => {
                f.media_id = Some(*media_id);
                f.thumbnail_size = Some(size_type.to_string());
            }
            FileUniqueId::Document { media_id } => f.media_id = Some(*media_id),
        }
        f
    }
}

impl TryFrom<&UniqueFields> for FileUniqueId {
    type Error = FieldsError;

    fn try_from(f: &UniqueFields) -> Result<Self, FieldsError> {
        let unique = match f.unique_type.as_str() {
            "web" => FileUniqueId::Web {
                url: f.url.clone().ok_or(FieldsError::Missing("url"))?,
            },
            "photo" if f.thumbnail_size.is_some() => FileUniqueId::PhotoSize {
                media_id: need("media_id", f.media_id)?,
                size_type: one_char(f.thumbnail_size.as_deref().unwrap_or_default())?,
            },
            "photo" => FileUniqueId::Photo {
                volume_id: need("volume_id", f.volume_id)?,
                local_id: need("local_id", f.local_id)?,
            },
            "document" => FileUniqueId::Document {
                media_id: need("media_id", f.media_id)?,
            },
            other => {
                return Err(FieldsError::UnknownName {
                    field: "type",
                    value: other.to_owned(),
                    known: "web, photo, document".to_owned(),
                })
            }
        };
        // Every field given must be one the type has.
        let back = UniqueFields::from(&unique);
        for (field, given, used) in [
            ("url", f.url.is_some(), back.url.is_some()),
            ("volume_id", f.volume_id.is_some(), back.volume_id.is_some()),
            ("local_id", f.local_id.is_some(), back.local_id.is_some()),
            ("media_id", f.media_id.is_some(), back.media_id.is_some()),
            (
                "thumbnail_size",
                f.thumbnail_size.is_some(),
                back.thumbnail_size.is_some(),
            ),
        ] {
            if given && !used {
                return Err(FieldsError::Unexpected {
                    field,
                    kind: "file_unique_id type",
                });
            }
        }
        Ok(unique)
    }
}

/// The one ASCII letter of `thumbnail_size`.
fn one_char(s: &str) -> Result<char, FieldsError> {
    let mut chars = s.chars();
    match (chars.next(), chars.next()) {
        (Some(c), None) if c.is_ascii() => Ok(c),
        _ => Err(FieldsError::Invalid {
            field: "thumbnail_size",
            reason: "one ASCII letter, such as y".to_owned(),
        }),
    }
}
