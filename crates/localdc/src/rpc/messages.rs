//! Private messaging: `contacts.resolveUsername`, `messages.sendMessage`
//! (Saved Messages and other users), `messages.getDialogs`,
//! `messages.getHistory`, and the updates they push
//! (core.telegram.org/api/updates): the sender's request is answered with
//! `updateShortSentMessage`, its other sessions get `updates` with
//! `updateNewMessage`, the recipient's sessions `updateShortMessage`, each
//! with the `pts` of the box it lands in.

use hearth_tl::{enums, functions, types, Serializable};

use super::{RpcCtx, RpcError};
use crate::mailbox::StoredMessage;
use crate::state::unix_now;
use crate::users::tl_user;

fn peer_user(id: i64) -> enums::Peer {
    enums::Peer::PeerUser(types::PeerUser { user_id: id })
}

/// The user behind an input peer, if `me` may address it: itself, or a user
/// it has met with the right access_hash; anything else is `PEER_ID_INVALID`.
pub fn resolve_peer(ctx: &RpcCtx<'_>, me: i64, peer: &enums::InputPeer) -> Result<i64, RpcError> {
    let invalid = || RpcError::bad_request("PEER_ID_INVALID");
    match peer {
        enums::InputPeer::InputPeerSelf => Ok(me),
        enums::InputPeer::InputPeerUser(p) => {
            let known = ctx
                .state
                .users()
                .get(p.user_id)
                .is_some_and(|u| u.access_hash_for(me) == p.access_hash);
            if known && ctx.state.mailboxes().has_met(me, p.user_id) {
                Ok(p.user_id)
            } else {
                Err(invalid())
            }
        }
        _ => Err(invalid()),
    }
}

/// A stored message as `message#...` for its box owner, with its media.
pub fn tl_message_with(ctx: &RpcCtx<'_>, m: &StoredMessage) -> enums::Message {
    let mut msg = tl_message(m);
    if let (enums::Message::Message(inner), Some(doc)) = (&mut msg, m.document) {
        inner.media = super::upload::tl_media(ctx, doc).map(Box::new);
    }
    msg
}

/// A stored message as `message#...` for its box owner, without media.
pub fn tl_message(m: &StoredMessage) -> enums::Message {
    enums::Message::Message(types::Message {
        out: m.out,
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
        id: m.id,
        from_id: Some(peer_user(m.from)),
        from_boosts_applied: None,
        from_rank: None,
        peer_id: peer_user(m.peer),
        saved_peer_id: None,
        fwd_from: None,
        via_bot_id: None,
        via_business_bot_id: None,
        guestchat_via_from: None,
        reply_to: None,
        date: m.date,
        message: m.text.clone(),
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
    })
}

/// `user` objects for `ids` as `viewer` sees them.
pub fn tl_users(
    ctx: &RpcCtx<'_>,
    viewer: i64,
    ids: impl IntoIterator<Item = i64>,
) -> Vec<enums::User> {
    let users = ctx.state.users();
    let mut seen = std::collections::BTreeSet::new();
    ids.into_iter()
        .filter(|id| seen.insert(*id))
        .filter_map(|id| users.get(id).map(|u| tl_user(u, Some(viewer))))
        .collect()
}

/// `contacts.resolveUsername` → `contacts.resolvedPeer`; the user is met.
pub fn resolve_username(
    ctx: &mut RpcCtx<'_>,
    req: functions::contacts::ResolveUsername,
) -> Result<Vec<u8>, RpcError> {
    if let Some(r) = super::channel_messages::resolve_username(ctx, &req.username)? {
        return Ok(r);
    }
    let me = ctx.require_user()?;
    let name = req.username.trim_start_matches('@').to_ascii_lowercase();
    let found = ctx
        .state
        .users()
        .find_username(&name)
        .map(|u| u.id)
        .ok_or_else(|| RpcError::bad_request("USERNAME_NOT_OCCUPIED"))?;
    ctx.state.mailboxes().meet(me, found);
    Ok(types::contacts::ResolvedPeer {
        peer: peer_user(found),
        chats: Vec::new(),
        users: tl_users(ctx, me, [found]),
    }
    .to_bytes())
}

/// `messages.sendMessage` to oneself (Saved Messages) or another user.
pub fn send_message(
    ctx: &mut RpcCtx<'_>,
    req: functions::messages::SendMessage,
) -> Result<Vec<u8>, RpcError> {
    if let enums::InputPeer::InputPeerChannel(p) = &req.peer {
        return super::channel_messages::send_message(ctx, p, &req.message, req.random_id);
    }
    let me = ctx.require_user()?;
    let to = resolve_peer(ctx, me, &req.peer)?;
    if req.message.trim().is_empty() {
        return Err(RpcError::bad_request("MESSAGE_EMPTY"));
    }
    if req.message.chars().count() > 4096 {
        return Err(RpcError::bad_request("MESSAGE_TOO_LONG"));
    }
    let date = unix_now() as i32;
    let (sent, received) = ctx.state.mailboxes().send(me, to, &req.message, date, None);
    let origin = (ctx.key_id, ctx.session_id);
    let mine = types::Updates {
        updates: vec![enums::Update::UpdateNewMessage(types::UpdateNewMessage {
            message: Box::new(tl_message(&sent)),
            pts: sent.pts,
            pts_count: 1,
        })],
        users: tl_users(ctx, me, [me, to]),
        chats: Vec::new(),
        date,
        seq: 0,
    };
    ctx.state.push_to_user(me, origin, &mine.to_bytes());
    if let Some(r) = received {
        let theirs = types::UpdateShortMessage {
            out: false,
            mentioned: false,
            media_unread: false,
            silent: false,
            id: r.id,
            user_id: me,
            message: r.text.clone(),
            pts: r.pts,
            pts_count: 1,
            date,
            fwd_from: None,
            via_bot_id: None,
            reply_to: None,
            entities: None,
            ttl_period: None,
        };
        ctx.state.push_to_user(to, origin, &theirs.to_bytes());
    }
    Ok(types::UpdateShortSentMessage {
        out: true,
        id: sent.id,
        pts: sent.pts,
        pts_count: 1,
        date,
        media: None,
        entities: None,
        ttl_period: None,
    }
    .to_bytes())
}

pub(crate) fn default_notify_settings() -> Box<enums::PeerNotifySettings> {
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

/// `messages.getDialogs` → `messages.dialogs`: one dialog per private peer
/// and per channel the account is in, most recent first (`offset_*` are
/// not honoured yet; `limit` is).
pub fn get_dialogs(
    ctx: &mut RpcCtx<'_>,
    req: functions::messages::GetDialogs,
) -> Result<Vec<u8>, RpcError> {
    let me = ctx.require_user()?;
    let limit = req.limit.clamp(1, 100) as usize;
    let tops: Vec<StoredMessage> = ctx
        .state
        .mailboxes()
        .get(me)
        .map(|b| b.dialogs().into_iter().take(limit).cloned().collect())
        .unwrap_or_default();
    let dialogs = tops
        .iter()
        .map(|m| {
            enums::Dialog::Dialog(types::Dialog {
                pinned: false,
                unread_mark: false,
                view_forum_as_messages: false,
                peer: peer_user(m.peer),
                top_message: m.id,
                read_inbox_max_id: m.id,
                read_outbox_max_id: m.id,
                unread_count: 0,
                unread_mentions_count: 0,
                unread_reactions_count: 0,
                unread_poll_votes_count: 0,
                notify_settings: default_notify_settings(),
                pts: None,
                draft: None,
                folder_id: None,
                ttl_period: None,
            })
        })
        .collect();
    let users = tl_users(
        ctx,
        me,
        std::iter::once(me).chain(tops.iter().map(|m| m.peer)),
    );
    let mut out = types::messages::Dialogs {
        dialogs,
        messages: tops.iter().map(|m| tl_message_with(ctx, m)).collect(),
        chats: Vec::new(),
        users,
    };
    super::channel_messages::merge_dialogs(ctx, me, &mut out, limit);
    Ok(out.to_bytes())
}

/// `messages.getHistory` → `messages.messages`, newest first, below
/// `offset_id` when given.
pub fn get_history(
    ctx: &mut RpcCtx<'_>,
    req: functions::messages::GetHistory,
) -> Result<Vec<u8>, RpcError> {
    if let enums::InputPeer::InputPeerChannel(p) = &req.peer {
        return super::channel_messages::get_history(ctx, p, &req);
    }
    let me = ctx.require_user()?;
    let peer = resolve_peer(ctx, me, &req.peer)?;
    let limit = req.limit.clamp(1, 100) as usize;
    let messages: Vec<StoredMessage> = ctx
        .state
        .mailboxes()
        .get(me)
        .map(|b| {
            b.messages
                .iter()
                .rev()
                .filter(|m| m.peer == peer)
                .filter(|m| req.offset_id <= 0 || m.id < req.offset_id)
                .filter(|m| req.max_id <= 0 || m.id < req.max_id)
                .filter(|m| m.id > req.min_id)
                .skip(req.add_offset.max(0) as usize)
                .take(limit)
                .cloned()
                .collect()
        })
        .unwrap_or_default();
    Ok(types::messages::Messages {
        messages: messages.iter().map(|m| tl_message_with(ctx, m)).collect(),
        topics: Vec::new(),
        chats: Vec::new(),
        users: tl_users(ctx, me, [me, peer]),
    }
    .to_bytes())
}
