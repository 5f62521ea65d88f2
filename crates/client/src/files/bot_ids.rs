//! Bot API file ids for a message's media, and the media a pasted file id
//! sends (core.telegram.org/bots/api#sending-files).
//!
//! The ids are built the way the Bot API (TDLib's persistent ids,
//! `td/telegram/files/FileLocation.hpp`) builds them, with `hearth-fileid`:
//! * a photo: the largest size (the last of the Bot API's `photo` array),
//!   `file_id` of type photo with the photo's DC, file reference, id and
//!   access hash and a `thumbnail` source naming that size's letter, in the
//!   layout without volume and local id (sub-version ≥ 32); `file_unique_id`
//!   of type photo: the photo id and the size letter;
//! * a document: its [`DocumentKind`] as the file type, DC, file reference,
//!   id and access hash; `file_unique_id` of type document: the id.
//!
//! Invariants: the access hash is the account's own, so an id is only good
//! for the account (bot) that received the message, as on Telegram, where
//! a foreign id is refused (`MEDIA_EMPTY`) — stickers aside, whose hashes
//! are the same for everyone. A pasted id becomes `inputMediaPhoto` or
//! `inputMediaDocument` only if it names a photo or a document; anything
//! else (thumbnails, profile photos, web files) is a typed error.

use hearth_fileid::{FileId, FileType, FileUniqueId, Location, PhotoSizeSource, Version};
use hearth_tl::{enums, types};

use super::error::FileError;
use crate::messages::model::{DocumentKind, Media};

/// The sub-version the ids are written with: a TDLib version the Bot API
/// wrote in 2025 (any value from 32 on has this layout).
pub const SUB_VERSION: u8 = 54;

/// A media's `file_id` and `file_unique_id`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BotFileIds {
    pub file_id: String,
    pub file_unique_id: String,
}

/// The Bot API's file type for a document of `kind`.
pub fn file_type(kind: DocumentKind) -> FileType {
    match kind {
        DocumentKind::Animation => FileType::Animation,
        DocumentKind::Sticker => FileType::Sticker,
        DocumentKind::Video => FileType::Video,
        DocumentKind::VideoNote => FileType::VideoNote,
        DocumentKind::Voice => FileType::Voice,
        DocumentKind::Audio => FileType::Audio,
        DocumentKind::Document => FileType::Document,
    }
}

/// The ids of `media`; `None` for media that has no file (or a photo
/// without a downloadable size).
pub fn bot_file_ids(media: &Media) -> Option<BotFileIds> {
    let version = Version::V4 {
        sub_version: SUB_VERSION,
    };
    let (id, unique) = match media {
        Media::Photo {
            id,
            access_hash,
            file_reference,
            dc_id,
            sizes,
            ..
        } => {
            // Stripped, cached and path sizes are inline (no file): they
            // have no width or no place in the Bot API's array.
            let largest = sizes
                .iter()
                .filter(|s| s.inline == 0 && s.width > 0)
                .max_by_key(|s| (i64::from(s.width) * i64::from(s.height), s.bytes))?;
            let size_type = largest.kind.chars().next().filter(char::is_ascii)?;
            let file_id = FileId {
                version,
                file_type: FileType::Photo,
                dc_id: *dc_id,
                file_reference: file_reference.clone(),
                location: Location::Photo {
                    media_id: *id,
                    access_hash: *access_hash,
                    volume: None,
                    source: PhotoSizeSource::Thumbnail {
                        file_type: FileType::Photo,
                        thumbnail_type: size_type,
                    },
                },
                pyrogram_padding: false,
            };
            let unique = FileUniqueId::PhotoSize {
                media_id: *id,
                size_type,
            };
            (file_id, unique)
        }
        Media::Document {
            id,
            access_hash,
            file_reference,
            dc_id,
            kind,
            ..
        } => {
            let file_id = FileId {
                version,
                file_type: file_type(*kind),
                dc_id: *dc_id,
                file_reference: file_reference.clone(),
                location: Location::Common {
                    media_id: *id,
                    access_hash: *access_hash,
                },
                pyrogram_padding: false,
            };
            (file_id, FileUniqueId::Document { media_id: *id })
        }
        Media::Other(_) => return None,
    };
    Some(BotFileIds {
        file_id: id.encode().ok()?,
        file_unique_id: unique.encode().ok()?,
    })
}

/// The `InputMedia` that sends the file `file_id` names again.
pub fn input_media(file_id: &str) -> Result<enums::InputMedia, FileError> {
    let id = FileId::decode(file_id.trim()).map_err(FileError::FileId)?;
    let not_sendable = |what: &'static str| FileError::FileIdNotSendable { what };
    match (id.file_type, &id.location) {
        (
            FileType::Photo,
            Location::Photo {
                media_id,
                access_hash,
                ..
            },
        ) => Ok(enums::InputMedia::InputMediaPhoto(types::InputMediaPhoto {
            spoiler: false,
            live_photo: false,
            id: enums::InputPhoto::InputPhoto(types::InputPhoto {
                id: *media_id,
                access_hash: *access_hash,
                file_reference: id.file_reference.clone(),
            }),
            ttl_seconds: None,
            video: None,
        })),
        (_, Location::Web { .. }) => Err(not_sendable("a file on the web (a URL)")),
        (FileType::Thumbnail, _) => Err(not_sendable("a thumbnail")),
        (FileType::ChatPhoto, _) => Err(not_sendable("a profile photo")),
        (
            FileType::Document
            | FileType::Video
            | FileType::Voice
            | FileType::Audio
            | FileType::Animation
            | FileType::Sticker
            | FileType::VideoNote
            | FileType::DocumentAsFile,
            Location::Common {
                media_id,
                access_hash,
            },
        ) => Ok(enums::InputMedia::InputMediaDocument(
            types::InputMediaDocument {
                spoiler: false,
                id: enums::InputDocument::InputDocument(types::InputDocument {
                    id: *media_id,
                    access_hash: *access_hash,
                    file_reference: id.file_reference.clone(),
                }),
                video_cover: None,
                video_timestamp: None,
                ttl_seconds: None,
                query: None,
            },
        )),
        _ => Err(not_sendable("not a photo or document")),
    }
}

#[cfg(test)]
mod tests;
