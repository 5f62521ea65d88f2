//! The photo-size source's fields in the flat form: which of Pyrogram's attributes each
//! source fills ([`crate::PhotoSizeSource`]), both ways.

use super::file_id::FileIdFields;
use super::need;
use crate::file_id::{PhotoSizeSource, SOURCE_NAMES};
use crate::{FieldsError, FileType};

pub(super) fn put_source(f: &mut FileIdFields, source: &PhotoSizeSource) {
    use PhotoSizeSource::*;
    match *source {
        Legacy { secret } => f.secret = Some(secret),
        Thumbnail {
            file_type,
            thumbnail_type,
        } => {
            f.thumbnail_file_type = Some(file_type.name().to_owned());
            f.thumbnail_size = Some(thumbnail_type.to_string());
        }
        ChatPhotoSmall {
            chat_id,
            chat_access_hash,
        }
        | ChatPhotoBig {
            chat_id,
            chat_access_hash,
        } => (f.chat_id, f.chat_access_hash) = (Some(chat_id), Some(chat_access_hash)),
        StickerSetThumbnail {
            sticker_set_id: id,
            sticker_set_access_hash: hash,
        } => (f.sticker_set_id, f.sticker_set_access_hash) = (Some(id), Some(hash)),
        FullLegacy {
            volume_id,
            secret,
            local_id,
        } => (f.volume_id, f.secret, f.local_id) = (Some(volume_id), Some(secret), Some(local_id)),
        ChatPhotoSmallLegacy {
            chat_id,
            chat_access_hash,
            volume_id,
            local_id,
        }
        | ChatPhotoBigLegacy {
            chat_id,
            chat_access_hash,
            volume_id,
            local_id,
        } => {
            (f.chat_id, f.chat_access_hash) = (Some(chat_id), Some(chat_access_hash));
            (f.volume_id, f.local_id) = (Some(volume_id), Some(local_id));
        }
        StickerSetThumbnailLegacy {
            sticker_set_id: id,
            sticker_set_access_hash: hash,
            volume_id,
            local_id,
        } => {
            (f.sticker_set_id, f.sticker_set_access_hash) = (Some(id), Some(hash));
            (f.volume_id, f.local_id) = (Some(volume_id), Some(local_id));
        }
        StickerSetThumbnailVersion {
            sticker_set_id: id,
            sticker_set_access_hash: hash,
            version,
        } => {
            (f.sticker_set_id, f.sticker_set_access_hash) = (Some(id), Some(hash));
            f.sticker_set_version = Some(version);
        }
    }
}

pub(super) fn invalid(field: &'static str, reason: &str) -> FieldsError {
    FieldsError::Invalid {
        field,
        reason: reason.to_owned(),
    }
}

pub(super) fn file_type(field: &'static str, name: &str) -> Result<FileType, FieldsError> {
    FileType::from_name(name).ok_or_else(|| FieldsError::UnknownName {
        field,
        value: name.to_owned(),
        known: FileType::ALL
            .iter()
            .map(|t| t.name())
            .collect::<Vec<_>>()
            .join(", "),
    })
}

pub(super) fn take_source(f: &FileIdFields) -> Result<PhotoSizeSource, FieldsError> {
    use PhotoSizeSource::*;
    let name = f
        .thumbnail_source
        .as_deref()
        .ok_or(FieldsError::Missing("thumbnail_source"))?;
    let chat = || {
        Ok::<_, FieldsError>((
            need("chat_id", f.chat_id)?,
            need("chat_access_hash", f.chat_access_hash)?,
        ))
    };
    let set = || {
        Ok::<_, FieldsError>((
            need("sticker_set_id", f.sticker_set_id)?,
            need("sticker_set_access_hash", f.sticker_set_access_hash)?,
        ))
    };
    let vol = || {
        Ok::<_, FieldsError>((
            need("volume_id", f.volume_id)?,
            need("local_id", f.local_id)?,
        ))
    };
    Ok(match SOURCE_NAMES.iter().position(|n| *n == name) {
        Some(0) => Legacy {
            secret: need("secret", f.secret)?,
        },
        Some(1) => {
            let size = f
                .thumbnail_size
                .as_deref()
                .ok_or(FieldsError::Missing("thumbnail_size"))?;
            let mut chars = size.chars();
            let (Some(thumbnail_type), None) = (chars.next(), chars.next()) else {
                return Err(invalid("thumbnail_size", "one character, the size letter"));
            };
            let kind = f
                .thumbnail_file_type
                .as_deref()
                .ok_or(FieldsError::Missing("thumbnail_file_type"))?;
            Thumbnail {
                file_type: file_type("thumbnail_file_type", kind)?,
                thumbnail_type,
            }
        }
        Some(2) => {
            let (chat_id, chat_access_hash) = chat()?;
            ChatPhotoSmall {
                chat_id,
                chat_access_hash,
            }
        }
        Some(3) => {
            let (chat_id, chat_access_hash) = chat()?;
            ChatPhotoBig {
                chat_id,
                chat_access_hash,
            }
        }
        Some(4) => {
            let (sticker_set_id, sticker_set_access_hash) = set()?;
            StickerSetThumbnail {
                sticker_set_id,
                sticker_set_access_hash,
            }
        }
        Some(5) => {
            let (volume_id, local_id) = vol()?;
            FullLegacy {
                volume_id,
                secret: need("secret", f.secret)?,
                local_id,
            }
        }
        Some(6) => {
            let (chat_id, chat_access_hash) = chat()?;
            let (volume_id, local_id) = vol()?;
            ChatPhotoSmallLegacy {
                chat_id,
                chat_access_hash,
                volume_id,
                local_id,
            }
        }
        Some(7) => {
            let (chat_id, chat_access_hash) = chat()?;
            let (volume_id, local_id) = vol()?;
            ChatPhotoBigLegacy {
                chat_id,
                chat_access_hash,
                volume_id,
                local_id,
            }
        }
        Some(8) => {
            let (sticker_set_id, sticker_set_access_hash) = set()?;
            let (volume_id, local_id) = vol()?;
            StickerSetThumbnailLegacy {
                sticker_set_id,
                sticker_set_access_hash,
                volume_id,
                local_id,
            }
        }
        Some(9) => {
            let (sticker_set_id, sticker_set_access_hash) = set()?;
            StickerSetThumbnailVersion {
                sticker_set_id,
                sticker_set_access_hash,
                version: need("sticker_set_version", f.sticker_set_version)?,
            }
        }
        _ => {
            return Err(FieldsError::UnknownName {
                field: "thumbnail_source",
                value: name.to_owned(),
                known: SOURCE_NAMES.join(", "),
            })
        }
    })
}
