//! The typed message model the app and `hearth-cli` read
//! (core.telegram.org/type/Message, /type/Dialog), built from raw TL with
//! the peer cache for names.
//!
//! Invariants: a [`Message`] always names its chat as seen by the account
//! (the other user for a private chat, never the account itself unless it
//! is Saved Messages); service messages carry their action in plain words
//! in [`Message::service`] and an empty `text`; media is summarised (ids,
//! sizes, names, MIME types, and what a Bot API file id needs: access
//! hash, file reference, DC and a document's kind), never fetched here.

use hearth_session::PeerId;
use hearth_tl::enums;

use super::entity::Entity;
use super::service::describe;
use crate::Peers;

/// One message as the app shows it.
#[derive(Clone, Debug, PartialEq)]
pub struct Message {
    /// Id in its chat's numbering (the account's box, or the channel's).
    pub id: i32,
    /// The dialog it belongs to.
    pub chat: PeerId,
    /// Who sent it (`None` for channel posts without a signature).
    pub sender: Option<PeerId>,
    /// Unix time it was sent.
    pub date: i32,
    pub text: String,
    pub entities: Vec<Entity>,
    /// The id of the message this one replies to (same chat).
    pub reply_to: Option<i32>,
    /// Unix time of the last edit.
    pub edit_date: Option<i32>,
    /// Sent by the account.
    pub out: bool,
    /// Mentions the account.
    pub mentioned: bool,
    /// The original author and date when forwarded.
    pub forwarded: Option<Forwarded>,
    pub media: Option<Media>,
    /// A service message's action in plain words ("Alice joined").
    pub service: Option<String>,
}

/// Where a forwarded message came from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Forwarded {
    pub from: Option<PeerId>,
    /// The author's name when the account may not see who it was.
    pub from_name: Option<String>,
    pub date: i32,
}

/// A message's media, summarised.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Media {
    Photo {
        id: i64,
        /// The access hash the account was given for it (per account).
        access_hash: i64,
        /// The file reference it came with (core.telegram.org/api/file_reference).
        file_reference: Vec<u8>,
        /// The DC that stores it.
        dc_id: i32,
        /// Each size: (type letter, width, height, bytes when known).
        sizes: Vec<PhotoSize>,
        /// The stripped thumbnail's bytes (`photoStrippedSize`), to inflate
        /// into a JPEG with `files::stripped::to_jpeg`.
        stripped: Option<Vec<u8>>,
    },
    Document {
        id: i64,
        access_hash: i64,
        file_reference: Vec<u8>,
        dc_id: i32,
        /// What the Bot API would call it, from its attributes.
        kind: DocumentKind,
        name: Option<String>,
        mime: String,
        size: i64,
        /// Pixels of an image or video document (its size attribute).
        dimensions: Option<(i32, i32)>,
        /// The document's thumbnail sizes (`thumbs`, the stripped one included, as
        /// `sizes` of a photo): a picture to show for it whenever one has a size to fetch.
        thumbs: Vec<PhotoSize>,
        /// The stripped thumbnail's bytes among the document's `thumbs`.
        stripped: Option<Vec<u8>>,
    },
    /// Any other media, by its TL constructor name.
    Other(String),
}

/// What kind of file a document is, chosen from its attributes in the
/// order Pyrogram's `Message._parse` uses (which gives the Bot API's
/// answer): animated first, then sticker, then video (a round one is a
/// video note), then audio (a voice note when `voice`), else a document.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DocumentKind {
    Animation,
    Sticker,
    Video,
    VideoNote,
    Voice,
    Audio,
    Document,
}

impl DocumentKind {
    /// The kind of a document with `attributes`.
    pub fn of(attributes: &[enums::DocumentAttribute]) -> DocumentKind {
        use enums::DocumentAttribute as A;
        let has = |f: fn(&A) -> bool| attributes.iter().any(f);
        if has(|a| matches!(a, A::DocumentAttributeAnimated)) {
            return DocumentKind::Animation;
        }
        if has(|a| matches!(a, A::DocumentAttributeSticker(_))) {
            return DocumentKind::Sticker;
        }
        for a in attributes {
            if let A::DocumentAttributeVideo(v) = a {
                return if v.round_message {
                    DocumentKind::VideoNote
                } else {
                    DocumentKind::Video
                };
            }
        }
        for a in attributes {
            if let A::DocumentAttributeAudio(v) = a {
                return if v.voice {
                    DocumentKind::Voice
                } else {
                    DocumentKind::Audio
                };
            }
        }
        DocumentKind::Document
    }

    /// The snake_case name the Bot API uses for the message field.
    pub fn name(self) -> &'static str {
        match self {
            DocumentKind::Animation => "animation",
            DocumentKind::Sticker => "sticker",
            DocumentKind::Video => "video",
            DocumentKind::VideoNote => "video_note",
            DocumentKind::Voice => "voice",
            DocumentKind::Audio => "audio",
            DocumentKind::Document => "document",
        }
    }
}

/// One size of a photo.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PhotoSize {
    pub kind: String,
    pub width: i32,
    pub height: i32,
    /// Bytes of the largest file of this size (0 for stripped thumbnails'
    /// inline bytes, which are counted in `inline`).
    pub bytes: i64,
    /// Bytes carried inline (stripped or cached sizes).
    pub inline: usize,
}

/// One dialog of the dialog list.
#[derive(Clone, Debug, PartialEq)]
pub struct Dialog {
    pub peer: PeerId,
    /// The peer's name or title from the peer cache.
    pub title: String,
    pub top_message_id: i32,
    /// The top message, when the answer carried it.
    pub top_message: Option<Message>,
    pub unread_count: i32,
    pub unread_mentions_count: i32,
    pub read_inbox_max_id: i32,
    pub read_outbox_max_id: i32,
    pub pinned: bool,
}

/// The chat a TL message belongs to, as the account sees it.
fn chat_of(peer: &enums::Peer) -> PeerId {
    PeerId::from_peer(peer)
}

impl Message {
    /// The model of a TL message; `None` for `messageEmpty`.
    pub fn from_tl(m: &enums::Message, peers: &Peers) -> Option<Message> {
        match m {
            enums::Message::MessageEmpty(_) => None,
            enums::Message::Message(m) => {
                let chat = chat_of(&m.peer_id);
                let sender = m.from_id.as_ref().map(PeerId::from_peer).or(match chat {
                    PeerId::User(u) if !m.out => Some(PeerId::User(u)),
                    _ if m.out => peers.self_id().map(PeerId::User),
                    _ => None,
                });
                Some(Message {
                    id: m.id,
                    chat,
                    sender,
                    date: m.date,
                    text: m.message.clone(),
                    entities: m.entities.iter().flatten().map(Entity::from_tl).collect(),
                    reply_to: reply_id(m.reply_to.as_ref()),
                    edit_date: m.edit_date,
                    out: m.out,
                    mentioned: m.mentioned,
                    forwarded: m.fwd_from.as_deref().map(forwarded),
                    media: m.media.as_deref().and_then(media),
                    service: None,
                })
            }
            enums::Message::MessageService(m) => {
                let chat = chat_of(&m.peer_id);
                let sender = m.from_id.as_ref().map(PeerId::from_peer);
                Some(Message {
                    id: m.id,
                    chat,
                    sender,
                    date: m.date,
                    text: String::new(),
                    entities: Vec::new(),
                    reply_to: reply_id(m.reply_to.as_ref()),
                    edit_date: None,
                    out: m.out,
                    mentioned: m.mentioned,
                    forwarded: None,
                    media: None,
                    service: Some(describe(&m.action, sender, peers)),
                })
            }
        }
    }

    /// Whether this is a service message (joined, title changed, …).
    pub fn is_service(&self) -> bool {
        self.service.is_some()
    }
}

pub(crate) fn reply_id(r: Option<&enums::MessageReplyHeader>) -> Option<i32> {
    match r? {
        enums::MessageReplyHeader::MessageReplyHeader(h) => h.reply_to_msg_id,
        enums::MessageReplyHeader::MessageReplyStoryHeader(_) => None,
    }
}

fn forwarded(f: &enums::MessageFwdHeader) -> Forwarded {
    let enums::MessageFwdHeader::MessageFwdHeader(f) = f;
    Forwarded {
        from: f.from_id.as_ref().map(PeerId::from_peer),
        from_name: f.from_name.clone(),
        date: f.date,
    }
}

fn photo_size(s: &enums::PhotoSize) -> Option<PhotoSize> {
    use enums::PhotoSize as S;
    Some(match s {
        S::PhotoSizeEmpty(_) => return None,
        S::PhotoSize(s) => PhotoSize {
            kind: s.type_.clone(),
            width: s.w,
            height: s.h,
            bytes: i64::from(s.size),
            inline: 0,
        },
        S::PhotoCachedSize(s) => PhotoSize {
            kind: s.type_.clone(),
            width: s.w,
            height: s.h,
            bytes: s.bytes.len() as i64,
            inline: s.bytes.len(),
        },
        S::PhotoStrippedSize(s) => PhotoSize {
            kind: s.type_.clone(),
            width: 0,
            height: 0,
            bytes: 0,
            inline: s.bytes.len(),
        },
        S::PhotoSizeProgressive(s) => PhotoSize {
            kind: s.type_.clone(),
            width: s.w,
            height: s.h,
            bytes: s.sizes.iter().copied().max().map_or(0, i64::from),
            inline: 0,
        },
        S::PhotoPathSize(s) => PhotoSize {
            kind: s.type_.clone(),
            width: 0,
            height: 0,
            bytes: 0,
            inline: s.bytes.len(),
        },
    })
}

/// The inline bytes of the stripped size, if `sizes` has one.
fn stripped(sizes: &[enums::PhotoSize]) -> Option<Vec<u8>> {
    sizes.iter().find_map(|s| match s {
        enums::PhotoSize::PhotoStrippedSize(s) => Some(s.bytes.clone()),
        _ => None,
    })
}

fn media(m: &enums::MessageMedia) -> Option<Media> {
    use enums::MessageMedia as M;
    Some(match m {
        M::MessageMediaEmpty => return None,
        M::MessageMediaPhoto(p) => match p.photo.as_ref() {
            Some(enums::Photo::Photo(photo)) => Media::Photo {
                id: photo.id,
                access_hash: photo.access_hash,
                file_reference: photo.file_reference.clone(),
                dc_id: photo.dc_id,
                sizes: photo.sizes.iter().filter_map(photo_size).collect(),
                stripped: stripped(&photo.sizes),
            },
            _ => Media::Other("photoEmpty".into()),
        },
        M::MessageMediaDocument(d) => match d.document.as_ref() {
            Some(enums::Document::Document(doc)) => Media::Document {
                id: doc.id,
                access_hash: doc.access_hash,
                file_reference: doc.file_reference.clone(),
                dc_id: doc.dc_id,
                kind: DocumentKind::of(&doc.attributes),
                name: doc.attributes.iter().find_map(|a| match a {
                    enums::DocumentAttribute::DocumentAttributeFilename(f) => {
                        Some(f.file_name.clone())
                    }
                    _ => None,
                }),
                mime: doc.mime_type.clone(),
                size: doc.size,
                dimensions: doc.attributes.iter().find_map(|a| match a {
                    enums::DocumentAttribute::DocumentAttributeImageSize(s) => Some((s.w, s.h)),
                    enums::DocumentAttribute::DocumentAttributeVideo(v) => Some((v.w, v.h)),
                    _ => None,
                }),
                thumbs: doc.thumbs.iter().flatten().filter_map(photo_size).collect(),
                stripped: doc.thumbs.as_deref().and_then(stripped),
            },
            _ => Media::Other("documentEmpty".into()),
        },
        other => {
            let name = format!("{other:?}");
            Media::Other(name.split('(').next().unwrap_or_default().to_owned())
        }
    })
}
