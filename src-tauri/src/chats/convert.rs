//! From the chat service's views to the IPC types.

use super::types::{
    ChatEvent, ChatMessage, ChatSearch, DialogView, DialogsPage, EntityView, MediaKind, MediaView,
    SearchAfter,
};

fn media(m: &hearth_accounts::MediaSummary) -> MediaView {
    MediaView {
        kind: match m.kind {
            hearth_accounts::MediaKind::Photo => MediaKind::Photo,
            hearth_accounts::MediaKind::Document => MediaKind::Document,
            hearth_accounts::MediaKind::Other => MediaKind::Other,
        },
        label: m.label.clone(),
        id: m.id.clone(),
        file_name: m.file_name.clone(),
        size: m.size,
        mime: m.mime.clone(),
        width: m.width,
        height: m.height,
        thumbnail: m.thumbnail.clone(),
        has_picture: m.has_picture,
        file_id: m.file_id.clone(),
        file_unique_id: m.file_unique_id.clone(),
    }
}

pub fn chat_message(m: &hearth_accounts::ChatMessage) -> ChatMessage {
    ChatMessage {
        id: m.id,
        chat: m.chat,
        sender: m.sender,
        sender_name: m.sender_name.clone(),
        date: m.date,
        text: m.text.clone(),
        entities: m
            .entities
            .iter()
            .map(|e| EntityView {
                offset: e.offset,
                length: e.length,
                kind: e.kind.clone(),
                detail: e.detail.clone(),
            })
            .collect(),
        reply_to: m.reply_to,
        edit_date: m.edit_date,
        out: m.out,
        mentioned: m.mentioned,
        forwarded_from: m.forwarded_from.clone(),
        service: m.service.clone(),
        media: m.media.as_ref().map(media),
    }
}

pub fn dialogs_page(p: hearth_accounts::DialogsPage) -> DialogsPage {
    DialogsPage {
        dialogs: p
            .dialogs
            .iter()
            .map(|d| DialogView {
                chat: d.chat,
                title: d.title.clone(),
                is_group: d.is_group,
                top: d.top.as_ref().map(chat_message),
                unread_count: d.unread_count,
                unread_mentions: d.unread_mentions,
                read_inbox_max_id: d.read_inbox_max_id,
                read_outbox_max_id: d.read_outbox_max_id,
                pinned: d.pinned,
            })
            .collect(),
        done: p.done,
        total: p.total,
    }
}

pub fn chat_event(e: &hearth_accounts::ChatEvent) -> ChatEvent {
    use hearth_accounts::ChatEvent as E;
    match e {
        E::New(m) => ChatEvent::New {
            message: chat_message(m),
        },
        E::Edited(m) => ChatEvent::Edited {
            message: chat_message(m),
        },
        E::Deleted { channel, ids } => ChatEvent::Deleted {
            channel: *channel,
            ids: ids.clone(),
        },
        E::ReadInbox {
            chat,
            max_id,
            still_unread,
        } => ChatEvent::ReadInbox {
            chat: *chat,
            max_id: *max_id,
            still_unread: *still_unread,
        },
        E::ReadOutbox { chat, max_id } => ChatEvent::ReadOutbox {
            chat: *chat,
            max_id: *max_id,
        },
    }
}

pub fn chat_search(s: &hearth_accounts::ChatSearch) -> ChatSearch {
    ChatSearch {
        messages: s.messages.iter().map(chat_message).collect(),
        total: s.total,
        next: s.next.map(|a| SearchAfter {
            rate: a.rate,
            chat: a.chat,
            id: a.id,
        }),
    }
}
