//! What the chat screens read: dialogs, messages and their changes with names resolved from
//! the account's peer cache and media summarised for display (the stripped thumbnail inflated
//! into a JPEG `data:` URL, core.telegram.org/api/files#stripped-thumbnails).
//!
//! Invariants: chats are named by their Bot API id (`PeerId::bot_api_id`, within 2^53, so
//! exact as a JavaScript number); entity offsets and lengths stay UTF-16 code units, as
//! JavaScript strings count; a thumbnail that fails to inflate is left out, never an error;
//! Bot API file ids (`file_id`, `file_unique_id`, `hearth_client::bot_file_ids`) are given
//! only to bot accounts, the only ones that can use them.

use base64::Engine;
use hearth_client::files::stripped;
use hearth_client::{
    bot_file_ids, Dialog, Entity, EntityKind, Media, Message, MessageEvent, PeerId, PeerKind, Peers,
};

/// One dialog of the list.
#[derive(Clone, Debug, PartialEq)]
pub struct ChatDialog {
    /// The chat's Bot API id.
    pub chat: i64,
    pub title: String,
    /// A group or channel (sender names are shown), not a private chat.
    pub is_group: bool,
    pub top: Option<ChatMessage>,
    pub unread_count: i32,
    pub unread_mentions: i32,
    pub read_inbox_max_id: i32,
    pub read_outbox_max_id: i32,
    pub pinned: bool,
}

/// What kind of media a message carries.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MediaKind {
    Photo,
    Document,
    Other,
}

/// A message's media as the chat shows it (nothing is downloaded).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MediaSummary {
    pub kind: MediaKind,
    /// Words for it: "Photo", the file name, or the kind of other media.
    pub label: String,
    /// The photo's or document's id (a decimal string: ids use all 64 bits).
    pub id: Option<String>,
    pub file_name: Option<String>,
    /// Bytes of the largest file, when known.
    pub size: Option<i64>,
    pub mime: Option<String>,
    pub width: Option<i32>,
    pub height: Option<i32>,
    /// The stripped thumbnail as `data:image/jpeg;base64,…`.
    pub thumbnail: Option<String>,
    /// Whether a picture for the bubble can be fetched ([`super::super::media`]'s `Thumb`):
    /// a photo with a size, a document with a thumbnail size beyond the stripped one.
    pub has_picture: bool,
    /// The Bot API `file_id` (bot accounts only).
    pub file_id: Option<String>,
    /// The Bot API `file_unique_id` (bot accounts only).
    pub file_unique_id: Option<String>,
}

/// An entity of a message's text (UTF-16 offsets).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ChatEntity {
    pub offset: i32,
    pub length: i32,
    /// `bold`, `italic`, `underline`, `strike`, `spoiler`, `blockquote`, `code`, `pre`,
    /// `text_link`, `mention_name`, `mention`, `url`, `email`, `hashtag`, `bot_command`, or
    /// another entity's TL name.
    pub kind: String,
    /// The link of a `text_link`, the language of a `pre`.
    pub detail: Option<String>,
}

/// One message as the chat shows it.
#[derive(Clone, Debug, PartialEq)]
pub struct ChatMessage {
    pub id: i32,
    pub chat: i64,
    pub sender: Option<i64>,
    pub sender_name: Option<String>,
    pub date: i32,
    pub text: String,
    pub entities: Vec<ChatEntity>,
    pub reply_to: Option<i32>,
    pub edit_date: Option<i32>,
    pub out: bool,
    pub mentioned: bool,
    /// The original author's name when forwarded.
    pub forwarded_from: Option<String>,
    /// A service message's action in plain words.
    pub service: Option<String>,
    pub media: Option<MediaSummary>,
}

/// A change to the account's messages.
#[derive(Clone, Debug, PartialEq)]
pub enum ChatEvent {
    New(ChatMessage),
    Edited(ChatMessage),
    /// Deleted in channel `channel` (its Bot API id), else in the account's private chats
    /// and basic groups (whose ids are unique over them).
    Deleted {
        channel: Option<i64>,
        ids: Vec<i32>,
    },
    /// The account read `chat` up to `max_id`.
    ReadInbox {
        chat: i64,
        max_id: i32,
        still_unread: i32,
    },
    /// The other side read the account's messages up to `max_id`.
    ReadOutbox {
        chat: i64,
        max_id: i32,
    },
}

fn name(peers: &Peers, peer: PeerId) -> Option<String> {
    peers.get(peer).map(|p| p.title)
}

fn entity(e: &Entity) -> ChatEntity {
    let (kind, detail) = match &e.kind {
        EntityKind::Bold => ("bold".to_owned(), None),
        EntityKind::Italic => ("italic".into(), None),
        EntityKind::Underline => ("underline".into(), None),
        EntityKind::Strike => ("strike".into(), None),
        EntityKind::Spoiler => ("spoiler".into(), None),
        EntityKind::Blockquote => ("blockquote".into(), None),
        EntityKind::Code => ("code".into(), None),
        EntityKind::Pre { language } => ("pre".into(), Some(language.clone())),
        EntityKind::TextLink { url } => ("text_link".into(), Some(url.clone())),
        EntityKind::MentionName { user_id } => ("mention_name".into(), Some(user_id.to_string())),
        EntityKind::Mention => ("mention".into(), None),
        EntityKind::Url => ("url".into(), None),
        EntityKind::Email => ("email".into(), None),
        EntityKind::Hashtag => ("hashtag".into(), None),
        EntityKind::BotCommand => ("bot_command".into(), None),
        EntityKind::Other(name) => (name.clone(), None),
    };
    ChatEntity {
        offset: e.offset,
        length: e.length,
        kind,
        detail,
    }
}

/// Whether `size` is one to download (a stripped thumbnail or a vector outline has no pixels
/// of its own: core.telegram.org/api/files#image-thumbnail-types).
fn fetchable(size: &hearth_client::messages::PhotoSize) -> bool {
    size.width > 0 && size.height > 0
}

/// `bytes` of a stripped thumbnail as a JPEG `data:` URL.
pub fn thumbnail_url(bytes: &[u8]) -> Option<String> {
    let jpeg = stripped::to_jpeg(bytes).ok()?;
    Some(format!(
        "data:image/jpeg;base64,{}",
        base64::engine::general_purpose::STANDARD.encode(jpeg)
    ))
}

/// The summary of `media`; with its Bot API file ids when `bot`.
pub fn media_summary(media: &Media, bot: bool) -> MediaSummary {
    let mut summary = summary(media);
    if let Some(ids) = bot.then(|| bot_file_ids(media)).flatten() {
        summary.file_id = Some(ids.file_id);
        summary.file_unique_id = Some(ids.file_unique_id);
    }
    summary
}

fn summary(media: &Media) -> MediaSummary {
    match media {
        Media::Photo {
            id,
            sizes,
            stripped,
            ..
        } => {
            let largest = sizes.iter().max_by_key(|s| (s.width, s.height));
            MediaSummary {
                kind: MediaKind::Photo,
                label: "Photo".into(),
                id: Some(id.to_string()),
                file_name: None,
                size: largest.map(|s| s.bytes).filter(|b| *b > 0),
                mime: Some("image/jpeg".into()),
                width: largest.map(|s| s.width).filter(|w| *w > 0),
                height: largest.map(|s| s.height).filter(|h| *h > 0),
                thumbnail: stripped.as_deref().and_then(thumbnail_url),
                has_picture: sizes.iter().any(fetchable),
                file_id: None,
                file_unique_id: None,
            }
        }
        Media::Document {
            id,
            name,
            mime,
            size,
            dimensions,
            thumbs,
            stripped,
            ..
        } => MediaSummary {
            kind: MediaKind::Document,
            label: name.clone().unwrap_or_else(|| format!("File ({mime})")),
            id: Some(id.to_string()),
            file_name: name.clone(),
            size: Some(*size),
            mime: Some(mime.clone()),
            width: dimensions.map(|d| d.0),
            height: dimensions.map(|d| d.1),
            thumbnail: stripped.as_deref().and_then(thumbnail_url),
            has_picture: thumbs.iter().any(fetchable),
            file_id: None,
            file_unique_id: None,
        },
        Media::Other(kind) => MediaSummary {
            kind: MediaKind::Other,
            label: other_label(kind),
            id: None,
            file_name: None,
            size: None,
            mime: None,
            width: None,
            height: None,
            thumbnail: None,
            has_picture: false,
            file_id: None,
            file_unique_id: None,
        },
    }
}

/// `messageMediaGeo` → "Geo", in words for the bubble.
fn other_label(tl_name: &str) -> String {
    let name = tl_name.strip_prefix("MessageMedia").unwrap_or(tl_name);
    if name.is_empty() {
        "Media".into()
    } else {
        name.to_owned()
    }
}

/// The view of `m` for an account that is a bot when `bot`.
pub fn chat_message(m: &Message, peers: &Peers, bot: bool) -> ChatMessage {
    ChatMessage {
        id: m.id,
        chat: m.chat.bot_api_id(),
        sender: m.sender.map(PeerId::bot_api_id),
        sender_name: m.sender.and_then(|s| name(peers, s)),
        date: m.date,
        text: m.text.clone(),
        entities: m.entities.iter().map(entity).collect(),
        reply_to: m.reply_to,
        edit_date: m.edit_date,
        out: m.out,
        mentioned: m.mentioned,
        forwarded_from: m.forwarded.as_ref().and_then(|f| {
            f.from_name
                .clone()
                .or_else(|| f.from.and_then(|p| name(peers, p)))
        }),
        service: m.service.clone(),
        media: m.media.as_ref().map(|media| media_summary(media, bot)),
    }
}

/// The view of `d`.
pub fn chat_dialog(d: &Dialog, peers: &Peers, bot: bool) -> ChatDialog {
    let is_group = match d.peer {
        PeerId::User(_) => false,
        PeerId::Chat(_) => true,
        PeerId::Channel(_) => peers
            .get(d.peer)
            .is_none_or(|p| p.kind != PeerKind::Channel),
    };
    ChatDialog {
        chat: d.peer.bot_api_id(),
        title: d.title.clone(),
        is_group,
        top: d.top_message.as_ref().map(|m| chat_message(m, peers, bot)),
        unread_count: d.unread_count,
        unread_mentions: d.unread_mentions_count,
        read_inbox_max_id: d.read_inbox_max_id,
        read_outbox_max_id: d.read_outbox_max_id,
        pinned: d.pinned,
    }
}

/// The view of `e`.
pub fn chat_event(e: &MessageEvent, peers: &Peers, bot: bool) -> ChatEvent {
    match e {
        MessageEvent::New(m) => ChatEvent::New(chat_message(m, peers, bot)),
        MessageEvent::Edited(m) => ChatEvent::Edited(chat_message(m, peers, bot)),
        MessageEvent::Deleted { channel, ids } => ChatEvent::Deleted {
            channel: channel.map(|c| PeerId::Channel(c).bot_api_id()),
            ids: ids.clone(),
        },
        MessageEvent::ReadInbox {
            chat,
            max_id,
            still_unread,
        } => ChatEvent::ReadInbox {
            chat: chat.bot_api_id(),
            max_id: *max_id,
            still_unread: *still_unread,
        },
        MessageEvent::ReadOutbox { chat, max_id } => ChatEvent::ReadOutbox {
            chat: chat.bot_api_id(),
            max_id: *max_id,
        },
    }
}

#[cfg(test)]
mod tests {
    use hearth_client::messages::{DocumentKind, PhotoSize};

    use super::*;

    fn size(kind: &str, side: i32) -> PhotoSize {
        PhotoSize {
            kind: kind.into(),
            width: side,
            height: side,
            bytes: if side > 0 { 900 } else { 0 },
            inline: if side > 0 { 0 } else { 40 },
        }
    }

    fn video(thumbs: Vec<PhotoSize>, stripped: Option<Vec<u8>>) -> Media {
        Media::Document {
            id: 5,
            access_hash: 1,
            file_reference: vec![1],
            dc_id: 2,
            kind: DocumentKind::Video,
            name: Some("clip.mp4".into()),
            mime: "video/mp4".into(),
            size: 4096,
            dimensions: Some((640, 360)),
            thumbs,
            stripped,
        }
    }

    #[test]
    fn a_document_has_a_picture_when_a_thumbnail_size_can_be_fetched() {
        // A thumbnail size and no stripped one: the bubble still asks for the picture.
        let plain = media_summary(&video(vec![size("m", 320)], None), false);
        assert!(plain.has_picture && plain.thumbnail.is_none());
        // Only the stripped bytes: shown inline, nothing to fetch.
        let only_stripped = media_summary(&video(vec![size("i", 0)], None), false);
        assert!(!only_stripped.has_picture);
        assert!(!media_summary(&video(Vec::new(), None), false).has_picture);
    }
}
