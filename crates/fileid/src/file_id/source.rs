//! The photo-size source: which size of which photo a photo-like id points at. A version 4
//! id writes its tag (int32) and then the source's own fields; versions 2 and 3 have no tag
//! and only the legacy layout. Layouts follow TDLib's `PhotoSizeSource::store`
//! (`td/telegram/PhotoSizeSource.hpp`); Pyrogram's `ThumbnailSource` uses the same numbers.

use crate::wire::{Reader, Writer};
use crate::{DecodeError, FileType};

/// A photo size's origin with the fields its layout carries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PhotoSizeSource {
    /// 0: before sources existed; only the secret.
    Legacy { secret: i64 },
    /// 1: a thumbnail of a photo or document: the thumbnail's file type and its size letter
    /// (`PhotoSize.type`, stored as an int32 character code).
    Thumbnail {
        file_type: FileType,
        thumbnail_type: char,
    },
    /// 2: a chat's small profile photo.
    ChatPhotoSmall { chat_id: i64, chat_access_hash: i64 },
    /// 3: a chat's big profile photo.
    ChatPhotoBig { chat_id: i64, chat_access_hash: i64 },
    /// 4: a sticker set's thumbnail.
    StickerSetThumbnail {
        sticker_set_id: i64,
        sticker_set_access_hash: i64,
    },
    /// 5: a legacy full photo; note the order, `volume_id secret local_id`.
    FullLegacy {
        volume_id: i64,
        secret: i64,
        local_id: i32,
    },
    /// 6: a chat's small profile photo, legacy volume location.
    ChatPhotoSmallLegacy {
        chat_id: i64,
        chat_access_hash: i64,
        volume_id: i64,
        local_id: i32,
    },
    /// 7: a chat's big profile photo, legacy volume location.
    ChatPhotoBigLegacy {
        chat_id: i64,
        chat_access_hash: i64,
        volume_id: i64,
        local_id: i32,
    },
    /// 8: a sticker set's thumbnail, legacy volume location.
    StickerSetThumbnailLegacy {
        sticker_set_id: i64,
        sticker_set_access_hash: i64,
        volume_id: i64,
        local_id: i32,
    },
    /// 9: a sticker set's thumbnail by set version.
    StickerSetThumbnailVersion {
        sticker_set_id: i64,
        sticker_set_access_hash: i64,
        version: i32,
    },
}

/// The source names of the JSON form, by tag (Pyrogram's `ThumbnailSource` names, lower case).
pub const SOURCE_NAMES: [&str; 10] = [
    "legacy",
    "thumbnail",
    "chat_photo_small",
    "chat_photo_big",
    "sticker_set_thumbnail",
    "full_legacy",
    "chat_photo_small_legacy",
    "chat_photo_big_legacy",
    "sticker_set_thumbnail_legacy",
    "sticker_set_thumbnail_version",
];

impl PhotoSizeSource {
    pub fn tag(&self) -> i32 {
        use PhotoSizeSource::*;
        match self {
            Legacy { .. } => 0,
            Thumbnail { .. } => 1,
            ChatPhotoSmall { .. } => 2,
            ChatPhotoBig { .. } => 3,
            StickerSetThumbnail { .. } => 4,
            FullLegacy { .. } => 5,
            ChatPhotoSmallLegacy { .. } => 6,
            ChatPhotoBigLegacy { .. } => 7,
            StickerSetThumbnailLegacy { .. } => 8,
            StickerSetThumbnailVersion { .. } => 9,
        }
    }

    pub fn name(&self) -> &'static str {
        SOURCE_NAMES[self.tag() as usize]
    }

    /// Reads the fields of the source `tag` (the tag itself already read).
    pub(crate) fn read(tag: i32, r: &mut Reader) -> Result<Self, DecodeError> {
        use PhotoSizeSource::*;
        Ok(match tag {
            0 => Legacy {
                secret: r.i64("secret")?,
            },
            1 => {
                let file_type = FileType::from_wire(r.i32("thumbnail file type")?)?;
                let code = r.i32("thumbnail type")?;
                let thumbnail_type = u32::try_from(code)
                    .ok()
                    .and_then(char::from_u32)
                    .ok_or(DecodeError::BadThumbnailType(code))?;
                Thumbnail {
                    file_type,
                    thumbnail_type,
                }
            }
            2 | 3 => {
                let (chat_id, chat_access_hash) = (r.i64("chat id")?, r.i64("chat access hash")?);
                if tag == 2 {
                    ChatPhotoSmall {
                        chat_id,
                        chat_access_hash,
                    }
                } else {
                    ChatPhotoBig {
                        chat_id,
                        chat_access_hash,
                    }
                }
            }
            4 => StickerSetThumbnail {
                sticker_set_id: r.i64("sticker set id")?,
                sticker_set_access_hash: r.i64("sticker set access hash")?,
            },
            5 => FullLegacy {
                volume_id: r.i64("volume id")?,
                secret: r.i64("secret")?,
                local_id: r.i32("local id")?,
            },
            6 | 7 => {
                let chat_id = r.i64("chat id")?;
                let chat_access_hash = r.i64("chat access hash")?;
                let volume_id = r.i64("volume id")?;
                let local_id = r.i32("local id")?;
                if tag == 6 {
                    ChatPhotoSmallLegacy {
                        chat_id,
                        chat_access_hash,
                        volume_id,
                        local_id,
                    }
                } else {
                    ChatPhotoBigLegacy {
                        chat_id,
                        chat_access_hash,
                        volume_id,
                        local_id,
                    }
                }
            }
            8 => StickerSetThumbnailLegacy {
                sticker_set_id: r.i64("sticker set id")?,
                sticker_set_access_hash: r.i64("sticker set access hash")?,
                volume_id: r.i64("volume id")?,
                local_id: r.i32("local id")?,
            },
            9 => StickerSetThumbnailVersion {
                sticker_set_id: r.i64("sticker set id")?,
                sticker_set_access_hash: r.i64("sticker set access hash")?,
                version: r.i32("sticker set version")?,
            },
            other => return Err(DecodeError::UnknownSource(other)),
        })
    }

    /// Writes the source's fields (not its tag).
    pub(crate) fn write(&self, w: &mut Writer) {
        use PhotoSizeSource::*;
        match *self {
            Legacy { secret } => w.i64(secret),
            Thumbnail {
                file_type,
                thumbnail_type,
            } => {
                w.i32(file_type as i32);
                w.i32(thumbnail_type as i32);
            }
            ChatPhotoSmall {
                chat_id,
                chat_access_hash,
            }
            | ChatPhotoBig {
                chat_id,
                chat_access_hash,
            } => {
                w.i64(chat_id);
                w.i64(chat_access_hash);
            }
            StickerSetThumbnail {
                sticker_set_id,
                sticker_set_access_hash,
            } => {
                w.i64(sticker_set_id);
                w.i64(sticker_set_access_hash);
            }
            FullLegacy {
                volume_id,
                secret,
                local_id,
            } => {
                w.i64(volume_id);
                w.i64(secret);
                w.i32(local_id);
            }
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
            }
            | StickerSetThumbnailLegacy {
                sticker_set_id: chat_id,
                sticker_set_access_hash: chat_access_hash,
                volume_id,
                local_id,
            } => {
                w.i64(chat_id);
                w.i64(chat_access_hash);
                w.i64(volume_id);
                w.i32(local_id);
            }
            StickerSetThumbnailVersion {
                sticker_set_id,
                sticker_set_access_hash,
                version,
            } => {
                w.i64(sticker_set_id);
                w.i64(sticker_set_access_hash);
                w.i32(version);
            }
        }
    }
}
