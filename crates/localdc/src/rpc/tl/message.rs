//! Messages of private chats and basic groups as TL objects
//! (core.telegram.org/constructor/message), the answers that carry pages of
//! them, and the rules every sending or editing method applies to a text.

use hearth_tl::{enums, types, Serializable};

use super::entities::{tl_peer, tl_service};
use super::message_extra::apply;
use crate::mailbox::StoredMessage;
use crate::rpc::ctx::{RpcCtx, RpcError};
use crate::rpc::media::tl_media_for;

/// `peerUser` of `id`.
pub fn peer_user(id: i64) -> enums::Peer {
    enums::Peer::PeerUser(types::PeerUser { user_id: id })
}

/// A stored message as `message#...` for its box owner, with its media.
pub fn tl_message_with(ctx: &RpcCtx<'_>, m: &StoredMessage) -> enums::Message {
    tl_message_for(ctx, m, ctx.user_id().unwrap_or_default())
}

/// [`tl_message_with`] for the box of `viewer` (the media's access hashes
/// are per viewer), for copies pushed to other accounts.
pub fn tl_message_for(ctx: &RpcCtx<'_>, m: &StoredMessage, viewer: i64) -> enums::Message {
    let mut msg = tl_message(m);
    if let (enums::Message::Message(inner), Some(doc)) = (&mut msg, m.document) {
        inner.media = tl_media_for(ctx, doc, viewer).map(Box::new);
    }
    msg
}

/// A stored message as `message#...` for its box owner, without media.
pub fn tl_message(m: &StoredMessage) -> enums::Message {
    if let Some(action) = &m.action {
        return tl_service(m, action);
    }
    let mut msg = types::Message {
        from_id: Some(peer_user(m.from)),
        edit_date: m.edit_date,
        ..text_message(m.id, m.out, tl_peer(m.peer), m.date, &m.text)
    };
    apply(&mut msg, m);
    enums::Message::Message(msg)
}

/// A text `message` with every optional field unset and every flag off:
/// the base the box and channel renderings fill in.
pub fn text_message(
    id: i32,
    out: bool,
    peer_id: enums::Peer,
    date: i32,
    text: &str,
) -> types::Message {
    types::Message {
        out,
        mentioned: false,
        media_unread: false,
        silent: false,
        post: false,
        from_scheduled: false,
        legacy: false,
        edit_hide: false,
        pinned: false,
        noforwards: false,
        invert_media: false,
        offline: false,
        video_processing_pending: false,
        paid_suggested_post_stars: false,
        paid_suggested_post_ton: false,
        id,
        from_id: None,
        from_boosts_applied: None,
        from_rank: None,
        peer_id,
        saved_peer_id: None,
        fwd_from: None,
        via_bot_id: None,
        via_business_bot_id: None,
        guestchat_via_from: None,
        reply_to: None,
        date,
        message: text.to_owned(),
        media: None,
        reply_markup: None,
        entities: None,
        views: None,
        forwards: None,
        replies: None,
        edit_date: None,
        post_author: None,
        grouped_id: None,
        reactions: None,
        restriction_reason: None,
        ttl_period: None,
        quick_reply_shortcut_id: None,
        effect: None,
        factcheck: None,
        report_delivery_until_date: None,
        paid_message_stars: None,
        suggested_post: None,
        schedule_repeat_period: None,
        summary_from_language: None,
        rich_message: None,
    }
}

/// `updateShortSentMessage`: how a text message to a user or a basic group
/// is answered (the client builds the message from its request).
pub fn short_sent(sent: &StoredMessage, date: i32) -> Vec<u8> {
    types::UpdateShortSentMessage {
        out: true,
        id: sent.id,
        pts: sent.pts,
        pts_count: 1,
        date,
        media: None,
        entities: None,
        ttl_period: None,
    }
    .to_bytes()
}

/// Telegram's rules for a message text: not blank, at most 4096 characters.
pub fn check_text(text: &str) -> Result<(), RpcError> {
    if text.trim().is_empty() {
        return Err(RpcError::bad_request("MESSAGE_EMPTY"));
    }
    if text.chars().count() > 4096 {
        return Err(RpcError::bad_request("MESSAGE_TOO_LONG"));
    }
    Ok(())
}

/// A dialog's `peerNotifySettings` with nothing set (Telegram's defaults).
pub fn default_notify_settings() -> Box<enums::PeerNotifySettings> {
    Box::new(enums::PeerNotifySettings::PeerNotifySettings(
        types::PeerNotifySettings {
            show_previews: None,
            silent: None,
            mute_until: None,
            ios_sound: None,
            android_sound: None,
            other_sound: None,
            stories_muted: None,
            stories_hide_sender: None,
            stories_ios_sound: None,
            stories_android_sound: None,
            stories_other_sound: None,
        },
    ))
}

/// A page of messages: `messages.messages` when it holds all `count`
/// matches, else `messages.messagesSlice` with the total (and `next_rate`
/// for a global search).
pub fn messages_page(
    messages: Vec<enums::Message>,
    chats: Vec<enums::Chat>,
    users: Vec<enums::User>,
    count: usize,
    next_rate: Option<i32>,
) -> Vec<u8> {
    if count <= messages.len() {
        return types::messages::Messages {
            messages,
            topics: Vec::new(),
            chats,
            users,
        }
        .to_bytes();
    }
    types::messages::MessagesSlice {
        inexact: false,
        count: count as i32,
        next_rate,
        offset_id_offset: None,
        search_flood: None,
        messages,
        topics: Vec::new(),
        chats,
        users,
    }
    .to_bytes()
}

/// Equal to `edit_time_limit` in `help.getConfig` (`rpc::help`): outgoing messages can be edited for
/// 48 hours, those in Saved Messages forever
/// (core.telegram.org/method/messages.editMessage, `MESSAGE_EDIT_TIME_EXPIRED`).
pub const EDIT_TIME_LIMIT: i64 = 172_800;

/// `updateDeleteMessages` of `ids` in the account's box at `pts`.
pub fn deleted_update(ids: Vec<i32>, pts: i32) -> enums::Update {
    enums::Update::UpdateDeleteMessages(types::UpdateDeleteMessages {
        pts_count: ids.len() as i32,
        messages: ids,
        pts,
    })
}
