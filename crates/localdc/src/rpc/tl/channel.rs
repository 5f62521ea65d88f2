//! Channels and their messages as TL objects, as a given account sees them
//! (core.telegram.org/constructor/channel, /constructor/channelForbidden,
//! /constructor/message, /constructor/messageService, /constructor/dialog).

use hearth_tl::{enums, types, Serializable};

use super::entities::tl_users;
use super::message::{default_notify_settings, text_message};
use crate::channels::{Action, Channel, ChannelMessage};
use crate::rpc::ctx::RpcCtx;

pub fn peer_channel(id: i64) -> enums::Peer {
    enums::Peer::PeerChannel(types::PeerChannel { channel_id: id })
}

fn peer_user(id: i64) -> enums::Peer {
    enums::Peer::PeerUser(types::PeerUser { user_id: id })
}

/// The rights of the creator: everything an owner may do.
pub fn creator_rights() -> enums::ChatAdminRights {
    rights(true)
}

/// An admin's rights: all but adding other admins.
pub fn admin_rights() -> enums::ChatAdminRights {
    rights(false)
}

fn rights(owner: bool) -> enums::ChatAdminRights {
    enums::ChatAdminRights::ChatAdminRights(types::ChatAdminRights {
        change_info: true,
        post_messages: true,
        edit_messages: true,
        delete_messages: true,
        ban_users: true,
        invite_users: true,
        pin_messages: true,
        add_admins: owner,
        anonymous: false,
        manage_call: true,
        other: true,
        manage_topics: false,
        post_stories: true,
        edit_stories: true,
        delete_stories: true,
        manage_direct_messages: false,
        manage_ranks: false,
        manage_linked_peers: false,
        manage_welcome_messages: false,
    })
}

/// `channel` as `viewer` sees it; a private channel the viewer met but is
/// no member of is `channelForbidden`, as Telegram shows left channels.
pub fn tl_channel(ch: &Channel, viewer: i64) -> enums::Chat {
    let member = ch.is_member(viewer);
    if !member && !ch.is_public() {
        return enums::Chat::ChannelForbidden(types::ChannelForbidden {
            broadcast: ch.broadcast(),
            megagroup: ch.megagroup,
            monoforum: false,
            id: ch.id,
            access_hash: ch.access_hash_for(viewer),
            title: ch.title.clone(),
            until_date: None,
        });
    }
    let rights = if viewer == ch.creator {
        Some(creator_rights())
    } else if ch.admins.contains(&viewer) {
        Some(admin_rights())
    } else {
        None
    };
    enums::Chat::Channel(types::Channel {
        creator: viewer == ch.creator,
        left: !member,
        broadcast: ch.broadcast(),
        verified: false,
        megagroup: ch.megagroup,
        restricted: false,
        signatures: false,
        min: false,
        scam: false,
        has_link: false,
        has_geo: false,
        slowmode_enabled: false,
        call_active: false,
        call_not_empty: false,
        fake: false,
        gigagroup: false,
        noforwards: false,
        join_to_send: false,
        join_request: false,
        forum: false,
        stories_hidden: false,
        stories_hidden_min: false,
        stories_unavailable: false,
        signature_profiles: false,
        autotranslation: false,
        broadcast_messages_allowed: false,
        monoforum: false,
        forum_tabs: false,
        id: ch.id,
        access_hash: Some(ch.access_hash_for(viewer)),
        title: ch.title.clone(),
        username: ch.username.clone(),
        photo: enums::ChatPhoto::ChatPhotoEmpty,
        date: ch.members.get(&viewer).copied().unwrap_or(ch.date),
        restriction_reason: None,
        admin_rights: rights,
        banned_rights: None,
        default_banned_rights: None,
        participants_count: Some(ch.members.len() as i32),
        usernames: None,
        stories_max_id: None,
        color: None,
        profile_color: None,
        emoji_status: None,
        level: None,
        subscription_until_date: None,
        bot_verification_icon: None,
        send_paid_messages_stars: None,
        linked_monoforum_id: None,
        linked_community_id: None,
    })
}

/// A channel message as `viewer` sees it. Broadcast posts carry `post` and
/// `views` and no `from_id`; supergroup messages carry `from_id`.
pub fn tl_channel_message(
    ctx: &RpcCtx<'_>,
    ch: &Channel,
    m: &ChannelMessage,
    viewer: i64,
) -> enums::Message {
    let from_id = ch.megagroup.then(|| peer_user(m.from));
    let out = m.from == viewer;
    if let Some(action) = &m.action {
        let action = match action {
            Action::Create { title } => enums::MessageAction::MessageActionChannelCreate(
                types::MessageActionChannelCreate {
                    title: title.clone(),
                },
            ),
            Action::AddUser(users) => {
                enums::MessageAction::MessageActionChatAddUser(types::MessageActionChatAddUser {
                    users: users.clone(),
                })
            }
            Action::DeleteUser(u) => enums::MessageAction::MessageActionChatDeleteUser(
                types::MessageActionChatDeleteUser { user_id: *u },
            ),
            Action::EditTitle { title } => enums::MessageAction::MessageActionChatEditTitle(
                types::MessageActionChatEditTitle {
                    title: title.clone(),
                },
            ),
        };
        return enums::Message::MessageService(types::MessageService {
            out,
            mentioned: false,
            media_unread: false,
            reactions_are_possible: false,
            silent: false,
            post: ch.broadcast(),
            legacy: false,
            id: m.id,
            from_id,
            peer_id: peer_channel(ch.id),
            saved_peer_id: None,
            reply_to: None,
            date: m.date,
            action: Box::new(action),
            reactions: None,
            ttl_period: None,
        });
    }
    enums::Message::Message(types::Message {
        post: ch.broadcast(),
        from_id,
        media: m
            .document
            .and_then(|d| crate::rpc::media::tl_media_for(ctx, d, viewer))
            .map(Box::new),
        views: ch.broadcast().then_some(m.views),
        forwards: ch.broadcast().then_some(0),
        edit_date: m.edit_date,
        ..text_message(m.id, out, peer_channel(ch.id), m.date, &m.text)
    })
}

/// The dialog of channel `ch` for `viewer`, with the channel's `pts`.
pub fn tl_dialog(ch: &Channel, viewer: i64) -> enums::Dialog {
    let top = ch.top().map_or(0, |m| m.id);
    enums::Dialog::Dialog(types::Dialog {
        pinned: false,
        unread_mark: false,
        view_forum_as_messages: false,
        peer: peer_channel(ch.id),
        top_message: top,
        read_inbox_max_id: ch.read_max(viewer),
        read_outbox_max_id: ch.read_outbox(viewer),
        unread_count: ch.unread_count(viewer),
        unread_mentions_count: 0,
        unread_reactions_count: 0,
        unread_poll_votes_count: 0,
        notify_settings: default_notify_settings(),
        pts: Some(ch.pts),
        draft: None,
        folder_id: None,
        ttl_period: None,
    })
}

/// The user ids a list of channel messages mentions (senders, service
/// message subjects).
pub fn message_users<'a>(msgs: impl IntoIterator<Item = &'a ChannelMessage>) -> Vec<i64> {
    let mut ids = Vec::new();
    for m in msgs {
        ids.push(m.from);
        match &m.action {
            Some(Action::AddUser(users)) => ids.extend(users),
            Some(Action::DeleteUser(u)) => ids.push(*u),
            _ => {}
        }
    }
    ids
}

/// `channelFull` as `me` sees it (core.telegram.org/constructor/channelFull):
/// about, participant and admin counts, read marks and the channel's `pts`.
pub fn full_channel(ch: &Channel, me: i64) -> enums::ChatFull {
    enums::ChatFull::ChannelFull(types::ChannelFull {
        can_view_participants: ch.megagroup || ch.is_admin(me),
        can_set_username: me == ch.creator,
        can_set_stickers: false,
        hidden_prehistory: false,
        can_set_location: false,
        has_scheduled: false,
        can_view_stats: false,
        blocked: false,
        can_delete_channel: me == ch.creator,
        antispam: false,
        participants_hidden: false,
        translations_disabled: false,
        stories_pinned_available: false,
        view_forum_as_messages: false,
        restricted_sponsored: false,
        can_view_revenue: false,
        paid_media_allowed: false,
        can_view_stars_revenue: false,
        paid_reactions_available: false,
        stargifts_available: false,
        paid_messages_available: false,
        has_welcome_messages: false,
        id: ch.id,
        about: ch.about.clone(),
        participants_count: Some(ch.members.len() as i32),
        admins_count: Some(ch.admins.len() as i32 + 1),
        kicked_count: None,
        banned_count: None,
        online_count: None,
        read_inbox_max_id: ch.read_max(me),
        read_outbox_max_id: ch.read_outbox(me),
        unread_count: if ch.is_member(me) {
            ch.unread_count(me)
        } else {
            0
        },
        chat_photo: enums::Photo::PhotoEmpty(types::PhotoEmpty { id: 0 }),
        notify_settings: default_notify_settings(),
        exported_invite: None,
        bot_info: Vec::new(),
        migrated_from_chat_id: None,
        migrated_from_max_id: None,
        pinned_msg_id: None,
        stickerset: None,
        available_min_id: None,
        folder_id: None,
        linked_chat_id: None,
        location: None,
        slowmode_seconds: None,
        slowmode_next_send_date: None,
        stats_dc: None,
        pts: ch.pts,
        call: None,
        ttl_period: None,
        pending_suggestions: None,
        groupcall_default_join_as: None,
        theme_emoticon: None,
        requests_pending: None,
        recent_requesters: None,
        default_send_as: None,
        available_reactions: None,
        reactions_limit: None,
        stories: None,
        wallpaper: None,
        boosts_applied: None,
        boosts_unrestrict: None,
        emojiset: None,
        bot_verification: None,
        stargifts_count: None,
        send_paid_messages_stars: None,
        main_tab: None,
        guard_bot_id: None,
    })
}

/// `user` objects for `ids` as `viewer` sees them. As on Telegram, users
/// seen in a shared channel become known to the viewer: their access_hash
/// is accepted afterwards (core.telegram.org/api/peers#access-hash).
pub fn met_users(
    ctx: &RpcCtx<'_>,
    viewer: i64,
    ids: impl IntoIterator<Item = i64>,
) -> Vec<enums::User> {
    let ids: Vec<i64> = ids.into_iter().collect();
    {
        let mut boxes = ctx.state.mailboxes();
        for &id in ids.iter().filter(|id| **id != viewer) {
            boxes.meet(viewer, id);
        }
    }
    tl_users(ctx, viewer, ids)
}

/// A channel `me` is a member of, as a dialog with what a
/// `messages.dialogs` answer carries along.
pub struct ChannelDialog {
    /// Date of the top message (of the channel's creation when empty).
    pub date: i32,
    pub peer: enums::Peer,
    pub dialog: enums::Dialog,
    pub top: Option<enums::Message>,
    pub chat: enums::Chat,
    pub senders: Vec<i64>,
}

/// The channels `me` is a member of, as dialogs.
pub fn channel_dialogs(ctx: &RpcCtx<'_>, me: i64) -> Vec<ChannelDialog> {
    let all = ctx.state.channels();
    all.of_member(me)
        .map(|ch| ChannelDialog {
            date: ch.top().map_or(ch.date, |m| m.date),
            peer: peer_channel(ch.id),
            dialog: tl_dialog(ch, me),
            top: ch.top().map(|top| tl_channel_message(ctx, ch, top, me)),
            chat: tl_channel(ch, me),
            senders: ch.top().map(|t| message_users([t])).unwrap_or_default(),
        })
        .collect()
}

/// `messages.channelMessages` for a page of one channel: the channel in
/// `chats`, the page's senders (met by `me` from now on) in `users`.
pub fn channel_messages_answer(
    ctx: &RpcCtx<'_>,
    me: i64,
    messages: Vec<enums::Message>,
    senders: Vec<i64>,
    chat: enums::Chat,
    pts: i32,
    count: i32,
) -> Vec<u8> {
    types::messages::ChannelMessages {
        inexact: false,
        pts,
        count,
        offset_id_offset: None,
        messages,
        topics: Vec::new(),
        chats: vec![chat],
        users: met_users(ctx, me, senders),
    }
    .to_bytes()
}
