//! [`Media`]: the photos and thumbnails the chat screens show, fetched once into a bounded
//! per-account cache under the data directory (`<data dir>/media/<account id>/`, see
//! [`cache`]) and handed out as bytes (core.telegram.org/api/files,
//! /api/files#image-thumbnail-types).
//!
//! Invariants:
//! * a request names the photo or document id the chat saw; the message is fetched again
//!   (a fresh `file_reference`) only when the cache misses, and a message whose media is no
//!   longer that id is refused (`NO_MEDIA`), so a cached file always belongs to its id;
//! * [`MediaVariant::Thumb`] is the smallest size that fills [`THUMB_BOX`] pixels (a
//!   photo's `m`/`x`, a document's thumbnail), [`MediaVariant::Full`] a photo's largest size
//!   or an image document of at most [`FULL_DOCUMENT_MAX`] bytes;
//! * inline sizes (`photoCachedSize`) are answered without a download.

pub mod cache;

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use hearth_client::files::{thumbs, FileLocation, MessageFile};
use hearth_client::{ClientError, DownloadOptions, MessageRef, PeerId, Progress};
use hearth_store::AccountId;
use tokio::sync::watch;

use super::transfers::TransferError;
use super::{lock, Accounts};
pub use cache::MediaCache;

/// The box (longer side, pixels) a photo is shown in inside a message bubble.
pub const THUMB_BOX: u32 = 320;

/// Bytes a document may have to be shown whole in the viewer.
pub const FULL_DOCUMENT_MAX: u64 = 20 * 1024 * 1024;

/// Bytes each account's cache keeps at most.
pub const CACHE_LIMIT: u64 = 256 * 1024 * 1024;

/// Which picture of a photo or document.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum MediaVariant {
    /// The size for a message bubble.
    Thumb,
    /// The largest size, for the viewer.
    Full,
}

/// The picture `variant` of media `media_id` in message `message_id` of `peer`.
#[derive(Clone, Debug)]
pub struct MediaRequest {
    pub account: AccountId,
    pub peer: PeerId,
    pub message_id: i32,
    pub media_id: i64,
    pub variant: MediaVariant,
}

/// The media caches of one data directory's accounts. Cheap to clone.
#[derive(Clone)]
pub struct Media {
    inner: Arc<Inner>,
}

struct Inner {
    accounts: Accounts,
    limit: u64,
    caches: Mutex<HashMap<AccountId, Arc<MediaCache>>>,
}

impl Media {
    /// The media of `accounts`' data directory, each account's cache at most [`CACHE_LIMIT`].
    pub fn new(accounts: Accounts) -> Self {
        Self::with_limit(accounts, CACHE_LIMIT)
    }

    /// The same with another per-account limit.
    pub fn with_limit(accounts: Accounts, limit: u64) -> Self {
        Media {
            inner: Arc::new(Inner {
                accounts,
                limit,
                caches: Mutex::default(),
            }),
        }
    }

    /// Account `id`'s cache.
    pub fn cache(&self, id: AccountId) -> Arc<MediaCache> {
        lock(&self.inner.caches)
            .entry(id)
            .or_insert_with(|| {
                let dir = cache_dir(self.inner.accounts.data_dir(), id);
                Arc::new(MediaCache::new(dir, self.inner.limit))
            })
            .clone()
    }

    /// The bytes of the picture `req` names, from the cache or downloaded into it (with
    /// `progress` while it downloads).
    pub async fn load(
        &self,
        req: MediaRequest,
        progress: Option<watch::Sender<Progress>>,
    ) -> Result<Vec<u8>, TransferError> {
        let key = format!(
            "{}_{}",
            req.media_id,
            match req.variant {
                MediaVariant::Thumb => "thumb",
                MediaVariant::Full => "full",
            }
        );
        let cache = self.cache(req.account);
        cache
            .get_or_fetch(&key, || self.fetch(&req, progress))
            .await
    }

    async fn fetch(
        &self,
        req: &MediaRequest,
        progress: Option<watch::Sender<Progress>>,
    ) -> Result<Vec<u8>, TransferError> {
        let client = self.inner.accounts.client(req.account).await?;
        let input = client
            .peers()
            .input_peer(req.peer)
            .map_err(ClientError::from)?;
        let no_media = TransferError::NoMedia {
            message_id: req.message_id,
        };
        let message = client
            .refetch_message(&MessageRef {
                peer: input.clone(),
                id: req.message_id,
            })
            .await?
            .filter(|m| PeerId::from_peer(&m.peer_id) == req.peer)
            .ok_or(TransferError::NoMessage {
                message_id: req.message_id,
            })?;
        let file = hearth_client::files::media_of(&message).ok_or(no_media.clone())?;
        let loc = match pick(&file, req.media_id, req.variant).ok_or(no_media)? {
            Pick::Inline(bytes) => return Ok(bytes),
            Pick::Download(loc) => loc.with_source(input, req.message_id),
        };
        let opts = DownloadOptions {
            progress,
            ..DownloadOptions::default()
        };
        Ok(client.download_bytes(&loc, &opts).await?)
    }
}

/// Where account `id`'s media cache lives in `data_dir`.
pub(crate) fn cache_dir(data_dir: &std::path::Path, id: AccountId) -> std::path::PathBuf {
    data_dir.join("media").join(id.0.to_string())
}

enum Pick {
    Inline(Vec<u8>),
    Download(FileLocation),
}

/// Where picture `variant` of `file` comes from, when `file` is media `id` and has one.
fn pick(file: &MessageFile, id: i64, variant: MediaVariant) -> Option<Pick> {
    let (list, photo, doc) = match file {
        MessageFile::Photo(p) if p.id == id => (p.sizes.as_slice(), Some(p), None),
        MessageFile::Document(d) if d.id == id => {
            (d.thumbs.as_deref().unwrap_or_default(), None, Some(d))
        }
        _ => return None,
    };
    if let (MediaVariant::Full, Some(d)) = (variant, doc) {
        let fits = u64::try_from(d.size).is_ok_and(|s| s <= FULL_DOCUMENT_MAX);
        return (d.mime_type.starts_with("image/") && fits)
            .then(|| Pick::Download(FileLocation::document(d)));
    }
    let size = match variant {
        MediaVariant::Thumb => thumbs::best_size(list, THUMB_BOX)?,
        MediaVariant::Full => thumbs::largest(list)?,
    };
    if let Some(bytes) = size.inline {
        return Some(Pick::Inline(bytes));
    }
    let loc = match (photo, doc) {
        (Some(p), _) => FileLocation::photo(p, &size.kind)?,
        (_, Some(d)) => FileLocation::document_thumb(d, &size.kind)?,
        _ => return None,
    };
    Some(Pick::Download(loc))
}

#[cfg(test)]
mod tests {
    use super::*;
    use hearth_tl::{enums, types};

    fn size(t: &str, w: i32, n: i32) -> enums::PhotoSize {
        enums::PhotoSize::PhotoSize(types::PhotoSize {
            type_: t.into(),
            w,
            h: w,
            size: n,
        })
    }

    fn photo() -> MessageFile {
        MessageFile::Photo(types::Photo {
            has_stickers: false,
            id: 5,
            access_hash: 1,
            file_reference: vec![],
            date: 0,
            sizes: vec![size("s", 90, 10), size("m", 320, 20), size("y", 1280, 90)],
            video_sizes: None,
            dc_id: 2,
        })
    }

    fn doc(mime: &str, thumbs: Option<Vec<enums::PhotoSize>>) -> MessageFile {
        MessageFile::Document(types::Document {
            id: 6,
            access_hash: 1,
            file_reference: vec![],
            date: 0,
            mime_type: mime.into(),
            size: 1000,
            thumbs,
            video_thumbs: None,
            dc_id: 2,
            attributes: vec![],
        })
    }

    fn thumb_size(p: Option<Pick>) -> Option<String> {
        match p? {
            Pick::Download(FileLocation {
                input: enums::InputFileLocation::InputPhotoFileLocation(l),
                ..
            }) => Some(format!("photo {}", l.thumb_size)),
            Pick::Download(FileLocation {
                input: enums::InputFileLocation::InputDocumentFileLocation(l),
                ..
            }) => Some(format!("document {:?}", l.thumb_size)),
            Pick::Download(_) => Some("other".into()),
            Pick::Inline(b) => Some(format!("inline {b:?}")),
        }
    }

    #[test]
    fn the_bubble_gets_the_box_size_and_the_viewer_the_largest() {
        assert_eq!(
            thumb_size(pick(&photo(), 5, MediaVariant::Thumb)).unwrap(),
            "photo m"
        );
        assert_eq!(
            thumb_size(pick(&photo(), 5, MediaVariant::Full)).unwrap(),
            "photo y"
        );
        // Another id: the message's media changed since the chat saw it.
        assert!(pick(&photo(), 4, MediaVariant::Thumb).is_none());
    }

    #[test]
    fn documents_give_their_thumbnail_and_only_images_whole() {
        let cached = enums::PhotoSize::PhotoCachedSize(types::PhotoCachedSize {
            type_: "s".into(),
            w: 90,
            h: 90,
            bytes: vec![0xFF, 0xD8],
        });
        let with_thumb = doc("application/pdf", Some(vec![size("m", 320, 20)]));
        assert_eq!(
            thumb_size(pick(&with_thumb, 6, MediaVariant::Thumb)).unwrap(),
            "document \"m\""
        );
        assert!(pick(&with_thumb, 6, MediaVariant::Full).is_none());
        let inline = doc("image/png", Some(vec![cached]));
        assert_eq!(
            thumb_size(pick(&inline, 6, MediaVariant::Thumb)).unwrap(),
            "inline [255, 216]"
        );
        assert_eq!(
            thumb_size(pick(&inline, 6, MediaVariant::Full)).unwrap(),
            "document \"\""
        );
        assert!(pick(&doc("text/plain", None), 6, MediaVariant::Thumb).is_none());
    }
}
