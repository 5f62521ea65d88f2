//! [`FileLocation`]: what `upload.getFile` needs (the input location, the
//! DC holding the file, its size) plus, when known, the message it came
//! from ([`MessageRef`]), so an expired `file_reference` can be renewed by
//! fetching that message again (core.telegram.org/api/file_reference).

use hearth_tl::{enums, types};

use super::thumbs;

/// The message a file was found in: its chat and id.
#[derive(Clone, Debug, PartialEq)]
pub struct MessageRef {
    pub peer: enums::InputPeer,
    pub id: i32,
}

/// A photo or document a message holds.
#[derive(Clone, Debug, PartialEq)]
pub enum MessageFile {
    Photo(types::Photo),
    Document(types::Document),
}

/// The photo or document of `message`, if it has one.
pub fn media_of(message: &types::Message) -> Option<MessageFile> {
    match message.media.as_deref()? {
        enums::MessageMedia::MessageMediaPhoto(m) => match m.photo.as_ref()? {
            enums::Photo::Photo(p) => Some(MessageFile::Photo(p.clone())),
            enums::Photo::PhotoEmpty(_) => None,
        },
        enums::MessageMedia::MessageMediaDocument(m) => match m.document.as_ref()? {
            enums::Document::Document(d) => Some(MessageFile::Document(d.clone())),
            enums::Document::DocumentEmpty(_) => None,
        },
        _ => None,
    }
}

/// Where a file (or one size of it) can be downloaded from.
#[derive(Clone, Debug, PartialEq)]
pub struct FileLocation {
    /// The DC that stores the file (`dc_id` of the photo or document).
    pub dc: i32,
    pub input: enums::InputFileLocation,
    /// Bytes, when known (downloads of unknown size stop at a short part).
    pub size: Option<u64>,
    /// The message it came from, to renew an expired reference.
    pub source: Option<MessageRef>,
}

impl FileLocation {
    /// A whole document.
    pub fn document(d: &types::Document) -> Self {
        FileLocation {
            dc: d.dc_id,
            input: doc_input(d, ""),
            size: u64::try_from(d.size).ok(),
            source: None,
        }
    }

    /// One thumbnail size (`kind`, e.g. `m`) of a document.
    pub fn document_thumb(d: &types::Document, kind: &str) -> Option<Self> {
        let size = thumbs::sizes(d.thumbs.as_deref().unwrap_or_default())
            .into_iter()
            .find(|s| s.kind == kind)?;
        Some(FileLocation {
            dc: d.dc_id,
            input: doc_input(d, kind),
            size: (size.bytes > 0).then_some(size.bytes),
            source: None,
        })
    }

    /// One size (`kind`) of a photo.
    pub fn photo(p: &types::Photo, kind: &str) -> Option<Self> {
        let size = thumbs::sizes(&p.sizes)
            .into_iter()
            .find(|s| s.kind == kind)?;
        Some(FileLocation {
            dc: p.dc_id,
            input: enums::InputFileLocation::InputPhotoFileLocation(
                types::InputPhotoFileLocation {
                    id: p.id,
                    access_hash: p.access_hash,
                    file_reference: p.file_reference.clone(),
                    thumb_size: kind.into(),
                },
            ),
            size: (size.bytes > 0).then_some(size.bytes),
            source: None,
        })
    }

    /// The largest size of a photo.
    pub fn largest_photo(p: &types::Photo) -> Option<Self> {
        Self::photo(p, &thumbs::largest(&p.sizes)?.kind)
    }

    /// The file of a message (a photo's largest size or the document),
    /// remembering the message so its reference can be renewed.
    pub fn of_message(peer: enums::InputPeer, message: &types::Message) -> Option<Self> {
        let loc = match media_of(message)? {
            MessageFile::Photo(p) => Self::largest_photo(&p)?,
            MessageFile::Document(d) => Self::document(&d),
        };
        Some(loc.with_source(peer, message.id))
    }

    /// The same location, renewable through message `id` in `peer`.
    pub fn with_source(mut self, peer: enums::InputPeer, id: i32) -> Self {
        self.source = Some(MessageRef { peer, id });
        self
    }

    /// The id of the photo or document, if this is one.
    fn object_id(&self) -> Option<i64> {
        match &self.input {
            enums::InputFileLocation::InputPhotoFileLocation(l) => Some(l.id),
            enums::InputFileLocation::InputDocumentFileLocation(l) => Some(l.id),
            _ => None,
        }
    }

    /// The current `file_reference`.
    pub fn reference(&self) -> Option<&[u8]> {
        match &self.input {
            enums::InputFileLocation::InputPhotoFileLocation(l) => Some(&l.file_reference),
            enums::InputFileLocation::InputDocumentFileLocation(l) => Some(&l.file_reference),
            _ => None,
        }
    }

    /// Takes the reference the same object has in `message` (fetched
    /// again); false when the message no longer holds it.
    pub fn renew_from(&mut self, message: &types::Message) -> bool {
        let Some(id) = self.object_id() else {
            return false;
        };
        let fresh = match media_of(message) {
            Some(MessageFile::Photo(p)) if p.id == id => p.file_reference,
            Some(MessageFile::Document(d)) if d.id == id => d.file_reference,
            _ => return false,
        };
        match &mut self.input {
            enums::InputFileLocation::InputPhotoFileLocation(l) => l.file_reference = fresh,
            enums::InputFileLocation::InputDocumentFileLocation(l) => l.file_reference = fresh,
            _ => return false,
        }
        true
    }
}

fn doc_input(d: &types::Document, thumb: &str) -> enums::InputFileLocation {
    enums::InputFileLocation::InputDocumentFileLocation(types::InputDocumentFileLocation {
        id: d.id,
        access_hash: d.access_hash,
        file_reference: d.file_reference.clone(),
        thumb_size: thumb.into(),
    })
}
