//! How dialogs, messages and events are printed: a line of text, or one JSON object.

use hearth_client::{bot_file_ids, Dialog, Media, Message, MessageEvent, PeerId, Peers};
use serde_json::{json, Value};

fn id(p: PeerId) -> i64 {
    p.bot_api_id()
}

/// `m` as JSON; with its Bot API `file_id` and `file_unique_id` when the account is a
/// `bot` (the only accounts that can use them).
fn media_json(m: &Media, bot: bool) -> Value {
    let mut v = media_fields(m);
    if let (Some(ids), Some(o)) = (bot.then(|| bot_file_ids(m)).flatten(), v.as_object_mut()) {
        o.insert("file_id".into(), ids.file_id.into());
        o.insert("file_unique_id".into(), ids.file_unique_id.into());
    }
    v
}

fn media_fields(m: &Media) -> Value {
    match m {
        Media::Photo { id, sizes, .. } => json!({
            "kind": "photo",
            "id": id.to_string(),
            "sizes": sizes.iter().map(|s| json!({"type": s.kind, "w": s.width, "h": s.height, "bytes": s.bytes})).collect::<Vec<_>>(),
        }),
        Media::Document {
            id,
            name,
            mime,
            size,
            ..
        } => {
            json!({"kind": "document", "id": id.to_string(), "name": name, "mime": mime, "size": size})
        }
        Media::Other(name) => json!({"kind": name}),
    }
}

pub fn message_json(m: &Message, bot: bool) -> Value {
    json!({
        "id": m.id,
        "chat": id(m.chat),
        "sender": m.sender.map(id),
        "date": m.date,
        "text": m.text,
        "out": m.out,
        "reply_to": m.reply_to,
        "edit_date": m.edit_date,
        "forwarded_from": m.forwarded.as_ref().and_then(|f| f.from).map(id),
        "media": m.media.as_ref().map(|media| media_json(media, bot)),
        "service": m.service,
    })
}

fn name(peers: &Peers, p: Option<PeerId>) -> String {
    p.and_then(|p| peers.get(p))
        .map(|p| p.title)
        .unwrap_or_else(|| "?".into())
}

pub fn message_line(m: &Message, peers: &Peers) -> String {
    let body = match (&m.service, &m.media) {
        (Some(s), _) => format!("[{s}]"),
        (None, Some(Media::Document { name, size, .. })) => format!(
            "[document {} ({size} bytes)] {}",
            name.as_deref().unwrap_or("unnamed"),
            m.text
        ),
        (None, Some(Media::Photo { .. })) => format!("[photo] {}", m.text),
        (None, _) => m.text.clone(),
    };
    let edited = if m.edit_date.is_some() {
        " (edited)"
    } else {
        ""
    };
    let reply = m.reply_to.map(|r| format!(" ↩{r}")).unwrap_or_default();
    format!(
        "{:>7}  {}{reply}: {body}{edited}",
        m.id,
        name(peers, m.sender)
    )
}

pub fn dialog_json(d: &Dialog) -> Value {
    json!({
        "peer": id(d.peer),
        "title": d.title,
        "pinned": d.pinned,
        "top_message_id": d.top_message_id,
        "top_text": d.top_message.as_ref().map(|m| m.text.clone()),
        "date": d.top_message.as_ref().map(|m| m.date),
        "unread_count": d.unread_count,
        "unread_mentions_count": d.unread_mentions_count,
        "read_inbox_max_id": d.read_inbox_max_id,
        "read_outbox_max_id": d.read_outbox_max_id,
    })
}

pub fn dialog_line(d: &Dialog) -> String {
    let unread = match (d.unread_count, d.unread_mentions_count) {
        (0, _) => String::new(),
        (n, 0) => format!(" ({n} unread)"),
        (n, m) => format!(" ({n} unread, {m} @)"),
    };
    format!(
        "{:>16}  {}{}{unread}: {}",
        id(d.peer),
        if d.pinned { "📌 " } else { "" },
        d.title,
        d.top_message
            .as_ref()
            .map(|m| m.service.clone().unwrap_or_else(|| m.text.clone()))
            .unwrap_or_default()
    )
}

pub fn event_json(e: &MessageEvent, bot: bool) -> Value {
    match e {
        MessageEvent::New(m) => json!({"event": "new", "message": message_json(m, bot)}),
        MessageEvent::Edited(m) => json!({"event": "edited", "message": message_json(m, bot)}),
        MessageEvent::Deleted { channel, ids } => json!({
            "event": "deleted",
            "chat": channel.map(|c| id(PeerId::Channel(c))),
            "ids": ids,
        }),
        MessageEvent::ReadInbox {
            chat,
            max_id,
            still_unread,
        } => {
            json!({"event": "read_inbox", "chat": id(*chat), "max_id": max_id, "still_unread": still_unread})
        }
        MessageEvent::ReadOutbox { chat, max_id } => {
            json!({"event": "read_outbox", "chat": id(*chat), "max_id": max_id})
        }
    }
}

pub fn event_line(e: &MessageEvent, peers: &Peers) -> String {
    match e {
        MessageEvent::New(m) => format!("new in {}: {}", id(m.chat), message_line(m, peers)),
        MessageEvent::Edited(m) => format!("edited in {}: {}", id(m.chat), message_line(m, peers)),
        MessageEvent::Deleted { channel, ids } => match channel {
            Some(c) => format!("deleted in {}: {ids:?}", id(PeerId::Channel(*c))),
            None => format!("deleted: {ids:?}"),
        },
        MessageEvent::ReadInbox { chat, max_id, .. } => {
            format!("read by you in {} up to {max_id}", id(*chat))
        }
        MessageEvent::ReadOutbox { chat, max_id } => {
            format!("read by the other side in {} up to {max_id}", id(*chat))
        }
    }
}
