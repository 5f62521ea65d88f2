//! Uploaded parts and stored documents, with Telegram's file rules
//! (core.telegram.org/api/files):
//!
//! * `upload.saveFilePart`/`saveBigFilePart`: a part is 1..=512 KiB
//!   (`FILE_PART_EMPTY`, `FILE_PART_TOO_BIG`); part numbers are below 4000
//!   (small files) or `file_total_parts` (big files, at most 8000), else
//!   `FILE_PART_INVALID`/`FILE_PARTS_INVALID`.
//! * When the file is used, all `parts` must be there (`FILE_PARTS_INVALID`)
//!   and every part but the last must have one size that is a multiple of
//!   1 KiB dividing 512 KiB (`FILE_PART_SIZE_INVALID`).
//! * Big files: a file above 10 MiB must be uploaded with `saveBigFilePart`
//!   and used as `inputFileBig`, a smaller one with `saveFilePart` and
//!   `inputFile`; one file's parts all come through the same method with the
//!   same `file_total_parts`, which must equal `inputFileBig.parts`. Telegram
//!   documents the rule, not the error for breaking it: localdc answers
//!   `FILE_PARTS_INVALID`.
//! * `upload.getFile`: `offset` a multiple of 1 KiB (`OFFSET_INVALID`);
//!   `limit` a multiple of 1 KiB dividing 1 MiB, and the requested range
//!   must not cross a 1 MiB boundary (`LIMIT_INVALID`).
//!
//! Photos ([`Photo`]) are stored as the sizes [`crate::photos`] makes;
//! documents may carry a thumbnail. World-file photos ([`WorldMedia`]) are
//! made on first use, so servers that never show them never pay for them.
//! References handed out with both are checked by [`crate::file_ref`].

use std::collections::{BTreeMap, HashMap};

use bytes::Bytes;

use crate::photos::{PhotoError, Sizes};

/// Largest part accepted by `saveFilePart`.
pub const MAX_PART: usize = 512 * 1024;
/// Part count limit for small files (`saveFilePart`).
pub const MAX_SMALL_PARTS: i32 = 4000;
/// Part count limit for big files (`saveBigFilePart`).
pub const MAX_BIG_PARTS: i32 = 8000;
/// Files above this size are big files (`saveBigFilePart`, `inputFileBig`).
pub const BIG_FILE: usize = 10 * 1024 * 1024;
/// The 1 MiB window no `upload.getFile` range may cross.
pub const WINDOW: i64 = 1024 * 1024;

/// A stored document.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Document {
    pub id: i64,
    pub access_hash: i64,
    pub dc: i32,
    pub date: i32,
    pub mime_type: String,
    pub name: String,
    /// Persisted in a table of its own, once ([`crate::persist`]). Shared:
    /// `upload.getFile` and the snapshot writer take a handle, not a copy,
    /// and hold no lock while they read it.
    #[serde(skip)]
    pub bytes: Bytes,
    /// Its `m` thumbnail and stripped thumbnail, if it has one.
    #[serde(default)]
    pub thumb: Option<Sizes>,
    /// Pixel size, for image documents (`documentAttributeImageSize`).
    #[serde(default)]
    pub image_size: Option<(i32, i32)>,
}

/// A stored photo: its sizes, each downloadable by its type.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Photo {
    pub id: i64,
    pub access_hash: i64,
    pub dc: i32,
    pub date: i32,
    pub sizes: Sizes,
}

/// A photo or document of the world file, made when first needed.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum WorldMedia {
    /// A generated picture of `w`×`h` pixels; `seed` varies its colours.
    Photo { w: u32, h: u32, seed: u64, dc: i32 },
    /// A document with the given text as its content.
    Document {
        name: String,
        mime: String,
        text: String,
        dc: i32,
    },
}

/// A stored photo or document.
#[derive(Debug, Clone, Copy)]
pub enum Media<'a> {
    Photo(&'a Photo),
    Document(&'a Document),
}

/// Uploads in progress (per uploading account and file_id), photos and
/// documents.
#[derive(Debug, Default, serde::Serialize, serde::Deserialize)]
pub struct Files {
    /// Parts in flight are not state worth keeping across restarts.
    #[serde(skip)]
    uploads: HashMap<(i64, i64), Upload>,
    documents: HashMap<i64, Document>,
    #[serde(default)]
    photos: HashMap<i64, Photo>,
    next_id: i64,
    /// World media not made yet, by the id [`crate::world::Message::media_id`] gives it.
    #[serde(default)]
    world_media: HashMap<i64, (i64, i32, WorldMedia)>,
    /// File references issued before this instant (ms) are expired.
    #[serde(default)]
    pub references_not_before_ms: u64,
}

/// One upload in progress: its parts, and `file_total_parts` when its parts
/// came through `saveBigFilePart`.
#[derive(Debug, Default)]
struct Upload {
    parts: BTreeMap<i32, Vec<u8>>,
    big_total: Option<i32>,
}

/// A file rule violation, named as Telegram names it.
pub type FileError = &'static str;

impl Files {
    /// Stores one part. `total` is `Some` for `saveBigFilePart`.
    pub fn save_part(
        &mut self,
        owner: i64,
        file_id: i64,
        part: i32,
        total: Option<i32>,
        bytes: Vec<u8>,
    ) -> Result<(), FileError> {
        if bytes.is_empty() {
            return Err("FILE_PART_EMPTY");
        }
        if bytes.len() > MAX_PART {
            return Err("FILE_PART_TOO_BIG");
        }
        match total {
            Some(t) if !(1..=MAX_BIG_PARTS).contains(&t) || !(0..t).contains(&part) => {
                return Err("FILE_PARTS_INVALID")
            }
            None if !(0..MAX_SMALL_PARTS).contains(&part) => return Err("FILE_PART_INVALID"),
            _ => {}
        }
        let upload = self.uploads.entry((owner, file_id)).or_default();
        if !upload.parts.is_empty() && upload.big_total != total {
            // Parts of one file through both methods, or totals that differ.
            return Err("FILE_PARTS_INVALID");
        }
        upload.big_total = total;
        upload.parts.insert(part, bytes);
        Ok(())
    }

    /// Assembles an upload of `parts` parts into a new document on `dc`,
    /// as a big file if its parts came through `saveBigFilePart` (the
    /// big-file rules of [`Self::assemble`] apply either way).
    pub fn finish(
        &mut self,
        owner: i64,
        file_id: i64,
        parts: i32,
        meta: (i32, i32, String, String),
        access_hash: impl FnOnce(i64) -> i64,
    ) -> Result<Document, FileError> {
        let big = self
            .uploads
            .get(&(owner, file_id))
            .is_some_and(|u| u.big_total.is_some());
        let bytes = self.assemble(owner, file_id, parts, big)?;
        let id = self.next_id();
        let (dc, date, mime_type, name) = meta;
        let doc = Document {
            id,
            access_hash: access_hash(id),
            dc,
            date,
            mime_type,
            name,
            bytes: bytes.into(),
            thumb: None,
            image_size: None,
        };
        self.documents.insert(id, doc.clone());
        Ok(doc)
    }

    /// A fresh photo or document id.
    pub fn next_id(&mut self) -> i64 {
        self.next_id += 1;
        5_000_000_000 + self.next_id
    }

    /// Takes the complete upload `file_id` of `owner` out of the part store;
    /// `big`: it is used as `inputFileBig`.
    pub fn assemble(
        &mut self,
        owner: i64,
        file_id: i64,
        parts: i32,
        big: bool,
    ) -> Result<Vec<u8>, FileError> {
        let upload = self
            .uploads
            .get(&(owner, file_id))
            .ok_or("FILE_PARTS_INVALID")?;
        let stored = &upload.parts;
        if parts <= 0 || stored.len() != parts as usize || stored.keys().copied().ne(0..parts) {
            return Err("FILE_PARTS_INVALID");
        }
        let size: usize = stored.values().map(Vec::len).sum();
        let big_ok = match upload.big_total {
            Some(total) => big && total == parts && size > BIG_FILE,
            None => !big && size <= BIG_FILE,
        };
        if !big_ok {
            return Err("FILE_PARTS_INVALID");
        }
        let sizes: Vec<usize> = stored.values().map(Vec::len).collect();
        let first = sizes[0];
        let body_ok = sizes[..sizes.len() - 1].iter().all(|s| *s == first)
            && (sizes.len() == 1 || (first.is_multiple_of(1024) && MAX_PART.is_multiple_of(first)))
            && sizes[sizes.len() - 1] <= first;
        if !body_ok {
            return Err("FILE_PART_SIZE_INVALID");
        }
        // Joined part by part (a flattening iterator goes byte by byte).
        let mut bytes = Vec::with_capacity(size);
        for part in self
            .uploads
            .remove(&(owner, file_id))
            .unwrap_or_default()
            .parts
            .into_values()
        {
            bytes.extend_from_slice(&part);
        }
        Ok(bytes)
    }

    /// Expires every file reference issued before `now_ms`.
    pub fn expire_references(&mut self, now_ms: u64) {
        self.references_not_before_ms = self.references_not_before_ms.max(now_ms + 1);
    }

    pub fn add_document(&mut self, doc: Document) {
        self.documents.insert(doc.id, doc);
    }

    pub fn add_photo(&mut self, photo: Photo) {
        self.photos.insert(photo.id, photo);
    }

    /// Registers world media under its world id, to be made on first use.
    /// `access_hash` and `date` are those the object will have.
    /// Documents are made at once (their content is the world's text),
    /// photos when first used.
    pub fn add_world_media(&mut self, id: i64, access_hash: i64, date: i32, media: WorldMedia) {
        let eager = matches!(media, WorldMedia::Document { .. });
        self.world_media.insert(id, (access_hash, date, media));
        if eager {
            self.materialize(id);
        }
    }

    pub fn document(&self, id: i64) -> Option<&Document> {
        self.documents.get(&id)
    }

    pub fn photo(&mut self, id: i64) -> Option<&Photo> {
        self.materialize(id);
        self.photos.get(&id)
    }

    /// The photo or document with this id.
    pub fn media(&mut self, id: i64) -> Option<Media<'_>> {
        self.materialize(id);
        if let Some(p) = self.photos.get(&id) {
            return Some(Media::Photo(p));
        }
        self.documents.get(&id).map(Media::Document)
    }

    /// Makes world media `id` if it is still pending. A world photo that
    /// cannot be made (it can: the world file is validated) stays absent.
    pub fn materialize(&mut self, id: i64) {
        let Some((access_hash, date, spec)) = self.world_media.remove(&id) else {
            return;
        };
        match spec {
            WorldMedia::Photo { w, h, seed, dc } => match world_photo(w, h, seed) {
                Ok(sizes) => self.add_photo(Photo {
                    id,
                    access_hash,
                    dc,
                    date,
                    sizes,
                }),
                Err(e) => tracing::warn!("world photo {w}x{h}: {e}"),
            },
            WorldMedia::Document {
                name,
                mime,
                text,
                dc,
            } => self.add_document(Document {
                id,
                access_hash,
                dc,
                date,
                mime_type: mime,
                name,
                bytes: text.into_bytes().into(),
                thumb: None,
                image_size: None,
            }),
        }
    }

    /// Ids of every stored document.
    pub fn document_ids(&self) -> Vec<i64> {
        self.documents.keys().copied().collect()
    }

    /// Puts back the bytes of a restored document; false if there is none.
    pub fn restore_bytes(&mut self, id: i64, bytes: Vec<u8>) -> bool {
        match self.documents.get_mut(&id) {
            Some(d) => {
                d.bytes = bytes.into();
                true
            }
            None => false,
        }
    }
}

fn world_photo(w: u32, h: u32, seed: u64) -> Result<Sizes, PhotoError> {
    let img = image::DynamicImage::ImageRgb8(crate::photos::generated(w, h, seed));
    crate::photos::photo_sizes(&img)
}

/// Checks an `upload.getFile` range.
pub fn check_range(offset: i64, limit: i32) -> Result<(), FileError> {
    if offset < 0 || offset % 1024 != 0 {
        return Err("OFFSET_INVALID");
    }
    let limit = i64::from(limit);
    if limit <= 0 || limit % 1024 != 0 || WINDOW % limit != 0 {
        return Err("LIMIT_INVALID");
    }
    if offset / WINDOW != (offset + limit - 1) / WINDOW {
        return Err("LIMIT_INVALID");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn meta() -> (i32, i32, String, String) {
        (2, 0, "application/octet-stream".into(), "f.bin".into())
    }

    #[test]
    fn parts_are_checked_and_assembled_in_order() {
        let mut f = Files::default();
        assert_eq!(f.save_part(1, 9, 0, None, vec![]), Err("FILE_PART_EMPTY"));
        assert_eq!(
            f.save_part(1, 9, 0, None, vec![0; MAX_PART + 1]),
            Err("FILE_PART_TOO_BIG")
        );
        assert_eq!(
            f.save_part(1, 9, 4000, None, vec![1]),
            Err("FILE_PART_INVALID")
        );
        assert_eq!(
            f.save_part(1, 9, 3, Some(3), vec![1]),
            Err("FILE_PARTS_INVALID")
        );
        f.save_part(1, 9, 1, None, vec![2; 100]).unwrap();
        assert_eq!(
            f.finish(1, 9, 2, meta(), |_| 7).unwrap_err(),
            "FILE_PARTS_INVALID"
        );
        f.save_part(1, 9, 0, None, vec![1; 1024]).unwrap();
        let doc = f.finish(1, 9, 2, meta(), |_| 7).unwrap();
        assert_eq!(doc.bytes.len(), 1124);
        assert_eq!(&doc.bytes[1020..1028], &[1, 1, 1, 1, 2, 2, 2, 2]);
        assert_eq!(f.document(doc.id).unwrap().access_hash, 7);
        // Another account cannot use this account's parts.
        f.save_part(1, 10, 0, None, vec![1; 1000]).unwrap();
        f.save_part(1, 10, 1, None, vec![1; 10]).unwrap();
        assert_eq!(
            f.finish(2, 10, 2, meta(), |_| 7).unwrap_err(),
            "FILE_PARTS_INVALID"
        );
        assert_eq!(
            f.finish(1, 10, 2, meta(), |_| 7).unwrap_err(),
            "FILE_PART_SIZE_INVALID"
        );
    }

    #[test]
    fn big_files_go_through_big_parts_and_small_ones_not() {
        let mut f = Files::default();
        let part = vec![7u8; MAX_PART];
        // 21 parts of 512 KiB: above 10 MiB, so a big file.
        for i in 0..21 {
            f.save_part(1, 5, i, Some(21), part.clone()).unwrap();
        }
        assert_eq!(f.assemble(1, 5, 21, false), Err("FILE_PARTS_INVALID"));
        assert_eq!(f.assemble(1, 5, 21, true).unwrap().len(), 21 * MAX_PART);
        // The same size through saveFilePart is refused when used.
        for i in 0..21 {
            f.save_part(1, 6, i, None, part.clone()).unwrap();
        }
        assert_eq!(f.assemble(1, 6, 21, false), Err("FILE_PARTS_INVALID"));
        assert_eq!(f.assemble(1, 6, 21, true), Err("FILE_PARTS_INVALID"));
        // A small file may not pose as big, nor mix the two methods.
        f.save_part(1, 7, 0, Some(1), vec![1; 10]).unwrap();
        assert_eq!(f.assemble(1, 7, 1, true), Err("FILE_PARTS_INVALID"));
        assert_eq!(
            f.save_part(1, 7, 1, None, vec![1; 10]),
            Err("FILE_PARTS_INVALID")
        );
        assert_eq!(
            f.save_part(1, 7, 1, Some(3), vec![1; 10]),
            Err("FILE_PARTS_INVALID")
        );
        f.save_part(1, 8, 0, None, vec![1; 10]).unwrap();
        assert_eq!(f.assemble(1, 8, 1, false).unwrap(), vec![1; 10]);
        // `finish` takes a big upload as big, and still refuses a small
        // file sent in big parts.
        for i in 0..21 {
            f.save_part(1, 11, i, Some(21), part.clone()).unwrap();
        }
        let meta = (2, 0, "a/b".to_owned(), "x".to_owned());
        let doc = f.finish(1, 11, 21, meta.clone(), |_| 7).unwrap();
        assert_eq!(doc.bytes.len(), 21 * MAX_PART);
        f.save_part(1, 12, 0, Some(1), vec![1; 10]).unwrap();
        assert_eq!(
            f.finish(1, 12, 1, meta, |_| 7).unwrap_err(),
            "FILE_PARTS_INVALID"
        );
    }

    #[test]
    fn get_file_ranges_follow_the_alignment_rules() {
        assert_eq!(check_range(0, 128 * 1024), Ok(()));
        assert_eq!(check_range(WINDOW - 4096, 4096), Ok(()));
        assert_eq!(check_range(512, 1024), Err("OFFSET_INVALID"));
        assert_eq!(check_range(0, 1000), Err("LIMIT_INVALID"));
        assert_eq!(check_range(0, 3 * 1024), Err("LIMIT_INVALID"));
        assert_eq!(check_range(0, 2 * 1024 * 1024), Err("LIMIT_INVALID"));
        assert_eq!(check_range(WINDOW - 1024, 4096), Err("LIMIT_INVALID"));
    }
}
