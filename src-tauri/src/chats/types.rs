//! The chats' IPC types, exported to TypeScript with `ts-rs`.
//!
//! Invariants: a chat is named by its Bot API id (user ids as they are, basic groups
//! negative, channels `-100…`), all within 2^53 so they cross as numbers; photo and
//! document ids use all 64 bits and cross as decimal strings; entity offsets are UTF-16
//! code units, as JavaScript strings count them.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// One page of the dialog list.
#[derive(Clone, Debug, PartialEq, Serialize, TS)]
pub struct DialogsPage {
    pub dialogs: Vec<DialogView>,
    /// No further page.
    pub done: bool,
    /// How many dialogs the server reports, when it does.
    pub total: Option<i32>,
}

/// One page of search results, newest first (`search_chat`, `search_messages`).
#[derive(Clone, Debug, PartialEq, Serialize, TS)]
pub struct ChatSearch {
    pub messages: Vec<ChatMessage>,
    /// Matches in all, as the server counts them.
    pub total: i32,
    /// Where the next page of a search across every chat starts (pass it back to
    /// `search_messages`); `null` when there is none, and for a chat's own search, which
    /// pages by its oldest message.
    pub next: Option<SearchAfter>,
}

/// Where a page of a search across every chat ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct SearchAfter {
    pub rate: i32,
    #[ts(type = "number")]
    pub chat: i64,
    pub id: i32,
}

/// One dialog as the list shows it.
#[derive(Clone, Debug, PartialEq, Serialize, TS)]
pub struct DialogView {
    #[ts(type = "number")]
    pub chat: i64,
    pub title: String,
    /// A group or channel: sender names are shown.
    pub is_group: bool,
    /// The newest message, for the preview and the date.
    pub top: Option<ChatMessage>,
    pub unread_count: i32,
    pub unread_mentions: i32,
    pub read_inbox_max_id: i32,
    pub read_outbox_max_id: i32,
    pub pinned: bool,
}

/// What a message's media is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum MediaKind {
    Photo,
    Document,
    Other,
}

/// A message's media, summarised (nothing downloaded).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, TS)]
pub struct MediaView {
    pub kind: MediaKind,
    /// Words for it: "Photo", the file name, or the kind of other media.
    pub label: String,
    /// The photo's or document's id, in decimal.
    pub id: Option<String>,
    pub file_name: Option<String>,
    /// Bytes of the file, when known.
    #[ts(type = "number | null")]
    pub size: Option<i64>,
    pub mime: Option<String>,
    pub width: Option<i32>,
    pub height: Option<i32>,
    /// The stripped thumbnail as a `data:image/jpeg;base64,…` URL.
    pub thumbnail: Option<String>,
    /// Whether a bubble-size picture can be fetched (`load_media`'s `thumb`): a photo
    /// with a size, a document with a thumbnail beyond the stripped one.
    pub has_picture: bool,
    /// The Bot API `file_id` (bot accounts only).
    pub file_id: Option<String>,
    /// The Bot API `file_unique_id` (bot accounts only).
    pub file_unique_id: Option<String>,
}

/// An entity of a message's text.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, TS)]
pub struct EntityView {
    /// UTF-16 code units from the start of the text.
    pub offset: i32,
    pub length: i32,
    /// `bold`, `italic`, `underline`, `strike`, `spoiler`, `blockquote`, `code`, `pre`,
    /// `text_link`, `mention_name`, `mention`, `url`, `email`, `hashtag`, `bot_command`, …
    pub kind: String,
    /// A `text_link`'s URL, a `pre` block's language.
    pub detail: Option<String>,
}

/// One message as the chat shows it.
#[derive(Clone, Debug, PartialEq, Serialize, TS)]
pub struct ChatMessage {
    pub id: i32,
    #[ts(type = "number")]
    pub chat: i64,
    #[ts(type = "number | null")]
    pub sender: Option<i64>,
    pub sender_name: Option<String>,
    /// Unix seconds.
    pub date: i32,
    pub text: String,
    pub entities: Vec<EntityView>,
    pub reply_to: Option<i32>,
    pub edit_date: Option<i32>,
    /// Sent by the account.
    pub out: bool,
    /// Mentions the account.
    pub mentioned: bool,
    pub forwarded_from: Option<String>,
    /// A service message's action in plain words ("Alice joined the group").
    pub service: Option<String>,
    pub media: Option<MediaView>,
}

/// The chat open when the app last quit, reopened at start.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct OpenChat {
    #[ts(type = "number")]
    pub account: i64,
    #[ts(type = "number")]
    pub chat: i64,
}

/// Which page of a chat's history to fetch (at most one of the three ids).
#[derive(Clone, Debug, PartialEq, Eq, Deserialize, TS)]
pub struct HistoryRequest {
    #[ts(type = "number")]
    pub chat: i64,
    pub older_than: Option<i32>,
    pub newer_than: Option<i32>,
    /// The page around this message, it included (a jump).
    pub around: Option<i32>,
    /// 1 to 100.
    pub limit: i32,
}

/// What the message event channel carries.
#[derive(Clone, Debug, PartialEq, Serialize, TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ChatEvent {
    New {
        message: ChatMessage,
    },
    Edited {
        message: ChatMessage,
    },
    /// Deleted in channel `channel`, else in the account's private chats and basic groups.
    Deleted {
        #[ts(type = "number | null")]
        channel: Option<i64>,
        ids: Vec<i32>,
    },
    /// The account read `chat` up to `max_id` (here or on another device).
    ReadInbox {
        #[ts(type = "number")]
        chat: i64,
        max_id: i32,
        still_unread: i32,
    },
    /// The other side read the account's messages up to `max_id`.
    ReadOutbox {
        #[ts(type = "number")]
        chat: i64,
        max_id: i32,
    },
    /// Some changes were missed: reload what is shown.
    Reload,
}
