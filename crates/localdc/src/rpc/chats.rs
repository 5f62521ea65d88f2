//! Basic groups (core.telegram.org/api/channel#basic-groups):
//! `messages.createChat`, `getChats`, `getFullChat`, `addChatUser`,
//! `deleteChatUser`, and `messages.sendMessage` to `inputPeerChat`.
//!
//! A message to a basic group lands in every member's own box with that
//! box's id and `pts` ([`crate::mailbox`]). Updates as Telegram sends them
//! (core.telegram.org/api/updates): a text message is answered with
//! `updateShortSentMessage` as in private chats (a service message with
//! `updates` carrying the `updateNewMessage` and the chat), the sender's
//! other sessions get `updates` with the `updateNewMessage`; other members get `updateShortChatMessage`, or
//! `updates` with users and chats when the message is a service message or
//! names a user they have not met. A member added later gets the inviter's
//! last `fwd_limit` (at most 100) messages as read history.

use hearth_tl::{enums, functions, types, Identifiable, Serializable};

use super::ctx::{RpcCtx, RpcError};
use crate::chats::Membership;
use crate::mailbox::{ServiceAction, StoredMessage};
use crate::rpc::tl::{
    default_notify_settings, resolve_peer, short_sent, tl_chat, tl_participants, updates_for,
    users_met,
};
use crate::state::unix_now;

/// Answers the basic-group methods; `None` for any other method.
pub fn dispatch(ctx: &mut RpcCtx<'_>, id: u32, body: &[u8]) -> Option<Result<Vec<u8>, RpcError>> {
    use super::ctx::run;
    use functions::messages as m;
    Some(match id {
        m::CreateChat::CONSTRUCTOR_ID => run(ctx, body, create_chat),
        m::GetChats::CONSTRUCTOR_ID => run(ctx, body, get_chats),
        m::GetFullChat::CONSTRUCTOR_ID => run(ctx, body, get_full_chat),
        m::AddChatUser::CONSTRUCTOR_ID => run(ctx, body, add_chat_user),
        m::DeleteChatUser::CONSTRUCTOR_ID => run(ctx, body, delete_chat_user),
        _ => return None,
    })
}

fn forbidden() -> RpcError {
    RpcError::new(403, "CHAT_WRITE_FORBIDDEN")
}

/// `me`'s standing in `chat`: `CHAT_ID_INVALID` when there is no such chat
/// or `me` never was in it.
fn membership(ctx: &RpcCtx<'_>, me: i64, chat: i64) -> Result<Membership, RpcError> {
    match ctx.state.chats().get(chat).map(|c| c.membership(me)) {
        None | Some(Membership::Stranger) => Err(RpcError::bad_request("CHAT_ID_INVALID")),
        Some(m) => Ok(m),
    }
}

/// The user behind an `InputUser` that `me` may address (`USER_ID_INVALID`).
fn resolve_user(ctx: &RpcCtx<'_>, me: i64, user: &enums::InputUser) -> Result<i64, RpcError> {
    let invalid = || RpcError::bad_request("USER_ID_INVALID");
    match user {
        enums::InputUser::InputUserSelf => Ok(me),
        enums::InputUser::InputUser(u) => {
            let peer = enums::InputPeer::InputPeerUser(types::InputPeerUser {
                user_id: u.user_id,
                access_hash: u.access_hash,
            });
            resolve_peer(ctx, me, &peer).map_err(|_| invalid())
        }
        _ => Err(invalid()),
    }
}

/// Pushes each member's copy of a new chat message to its sessions and
/// returns the sender's `updates`. `answered_with_updates`: the sending
/// session gets that object as its answer, so it takes the sender's next
/// `seq`; otherwise (answered with `updateShortSentMessage`) the copy for the
/// sender's other sessions is unsequenced ([`crate::seq`]).
pub fn deliver(
    ctx: &RpcCtx<'_>,
    from: i64,
    copies: &[(i64, StoredMessage)],
    date: i32,
    answered_with_updates: bool,
) -> types::Updates {
    let origin = (ctx.key_id, ctx.session_id);
    let mut answer = None;
    for (user, copy) in copies {
        let new = enums::Update::UpdateNewMessage(types::UpdateNewMessage {
            message: Box::new(crate::rpc::tl::tl_message_for(ctx, copy, *user)),
            pts: copy.pts,
            pts_count: 1,
        });
        let crate::mailbox::Peer::Chat(chat_id) = copy.peer else {
            continue;
        };
        if *user == from {
            let mine = updates_for(ctx, *user, vec![new], std::slice::from_ref(copy), date);
            if answered_with_updates {
                answer = Some(crate::seq::push_updates(ctx.state, *user, origin, mine));
            } else {
                crate::seq::push_unsequenced(ctx.state, *user, origin, mine.clone());
                answer = Some(mine);
            }
        } else if copy.action.is_none()
            && copy.document.is_none()
            && ctx.state.mailboxes().has_met(*user, from)
        {
            let short = types::UpdateShortChatMessage {
                out: false,
                mentioned: copy.extra.mentioned,
                media_unread: false,
                silent: false,
                id: copy.id,
                from_id: from,
                chat_id,
                message: copy.text.clone(),
                pts: copy.pts,
                pts_count: 1,
                date,
                fwd_from: crate::rpc::tl::fwd_header(copy).map(Box::new),
                via_bot_id: None,
                reply_to: crate::rpc::tl::reply_header(copy),
                entities: crate::rpc::tl::entities(copy),
                ttl_period: None,
            };
            ctx.state.push_to_user(*user, origin, &short.to_bytes());
        } else {
            let theirs = updates_for(ctx, *user, vec![new], std::slice::from_ref(copy), date);
            crate::seq::push_updates(ctx.state, *user, origin, theirs);
        }
    }
    answer.unwrap_or(types::Updates {
        updates: Vec::new(),
        users: Vec::new(),
        chats: Vec::new(),
        date,
        seq: 0,
    })
}

/// `messages.sendMessage` to a basic group `me` is in; a former member gets
/// 403 `CHAT_WRITE_FORBIDDEN`.
pub fn send_to_chat(
    ctx: &mut RpcCtx<'_>,
    me: i64,
    chat: i64,
    text: &str,
    extra: &crate::rpc::tl::Sent,
) -> Result<Vec<u8>, RpcError> {
    let members = {
        let chats = ctx.state.chats();
        let c = chats
            .get(chat)
            .ok_or_else(|| RpcError::bad_request("CHAT_ID_INVALID"))?;
        if !c.is_member(me) {
            return Err(forbidden());
        }
        c.member_ids()
    };
    let date = unix_now() as i32;
    let mut copies = ctx
        .state
        .mailboxes()
        .post_to_chat(me, chat, &members, text, None, date, true);
    crate::rpc::tl::annotate(ctx, me, &mut copies, extra);
    deliver(ctx, me, &copies, date, false);
    let sent = copies
        .iter()
        .find(|(u, _)| *u == me)
        .map(|(_, m)| m)
        .ok_or_else(|| RpcError::internal("a member's message has no copy in its box"))?;
    Ok(short_sent(sent, date))
}

/// Posts service message `action` from `me` to `recipients` of `chat`.
fn post_service(
    ctx: &RpcCtx<'_>,
    me: i64,
    chat: i64,
    recipients: &[i64],
    action: ServiceAction,
) -> types::Updates {
    let date = unix_now() as i32;
    let copies =
        ctx.state
            .mailboxes()
            .post_to_chat(me, chat, recipients, "", Some(action), date, true);
    deliver(ctx, me, &copies, date, true)
}

fn invited(updates: types::Updates) -> Vec<u8> {
    types::messages::InvitedUsers {
        updates: Box::new(enums::Updates::Updates(updates)),
        missing_invitees: Vec::new(),
    }
    .to_bytes()
}

/// `messages.createChat` → `messages.invitedUsers` with the
/// `messageActionChatCreate` service message.
pub fn create_chat(
    ctx: &mut RpcCtx<'_>,
    req: functions::messages::CreateChat,
) -> Result<Vec<u8>, RpcError> {
    let me = ctx.require_user()?;
    let title = req.title.trim();
    if title.is_empty() {
        return Err(RpcError::bad_request("CHAT_TITLE_EMPTY"));
    }
    let mut others = Vec::new();
    for u in &req.users {
        others.push(resolve_user(ctx, me, u)?);
    }
    let date = unix_now() as i32;
    let (chat, members) = {
        let mut chats = ctx.state.chats();
        let c = chats.create(title, me, &others, date);
        (c.id, c.member_ids())
    };
    let action = ServiceAction::ChatCreate {
        title: title.to_owned(),
        users: members.clone(),
    };
    Ok(invited(post_service(ctx, me, chat, &members, action)))
}

/// `messages.getChats`: the chats `me` is or was in; others are left out.
pub fn get_chats(
    ctx: &mut RpcCtx<'_>,
    req: functions::messages::GetChats,
) -> Result<Vec<u8>, RpcError> {
    let me = ctx.require_user()?;
    let chats = ctx.state.chats();
    let found = req
        .id
        .iter()
        .filter_map(|id| chats.get(*id).and_then(|c| tl_chat(c, me)))
        .collect();
    Ok(types::messages::Chats { chats: found }.to_bytes())
}

/// `messages.getFullChat` → `messages.chatFull`; a former member gets
/// `chatParticipantsForbidden`.
pub fn get_full_chat(
    ctx: &mut RpcCtx<'_>,
    req: functions::messages::GetFullChat,
) -> Result<Vec<u8>, RpcError> {
    let me = ctx.require_user()?;
    let standing = membership(ctx, me, req.chat_id)?;
    let (participants, tl, members) = {
        let chats = ctx.state.chats();
        let c = chats
            .get(req.chat_id)
            .ok_or_else(|| RpcError::bad_request("CHAT_ID_INVALID"))?;
        let participants = if standing == Membership::Member {
            tl_participants(c)
        } else {
            enums::ChatParticipants::ChatParticipantsForbidden(types::ChatParticipantsForbidden {
                chat_id: c.id,
                self_participant: None,
            })
        };
        (participants, tl_chat(c, me), c.member_ids())
    };
    let shown = if standing == Membership::Member {
        members
    } else {
        Vec::new()
    };
    let full = types::ChatFull {
        can_set_username: false,
        has_scheduled: false,
        translations_disabled: false,
        has_welcome_messages: false,
        id: req.chat_id,
        about: String::new(),
        participants,
        chat_photo: None,
        notify_settings: default_notify_settings(),
        exported_invite: None,
        bot_info: None,
        pinned_msg_id: None,
        folder_id: None,
        call: None,
        ttl_period: None,
        groupcall_default_join_as: None,
        theme_emoticon: None,
        requests_pending: None,
        recent_requesters: None,
        available_reactions: None,
        reactions_limit: None,
    };
    Ok(types::messages::ChatFull {
        full_chat: Box::new(enums::ChatFull::ChatFull(full)),
        chats: tl.into_iter().collect(),
        users: users_met(ctx, me, std::iter::once(me).chain(shown)),
    }
    .to_bytes())
}

/// `messages.addChatUser`: any member may add a user it knows
/// (`USER_ALREADY_PARTICIPANT` if in), who gets the last `fwd_limit`
/// messages; a member that left may add itself back.
pub fn add_chat_user(
    ctx: &mut RpcCtx<'_>,
    req: functions::messages::AddChatUser,
) -> Result<Vec<u8>, RpcError> {
    let me = ctx.require_user()?;
    let standing = membership(ctx, me, req.chat_id)?;
    let user = resolve_user(ctx, me, &req.user_id)?;
    let rejoin = user == me && standing == Membership::Left;
    if standing != Membership::Member && !rejoin {
        return Err(forbidden());
    }
    let members = {
        let mut chats = ctx.state.chats();
        let c = chats
            .get_mut(req.chat_id)
            .ok_or_else(|| RpcError::bad_request("CHAT_ID_INVALID"))?;
        if !c.add(user, me, unix_now() as i32) {
            return Err(RpcError::bad_request("USER_ALREADY_PARTICIPANT"));
        }
        c.member_ids()
    };
    if !rejoin && req.fwd_limit > 0 {
        ctx.state
            .mailboxes()
            .share_history(me, user, req.chat_id, req.fwd_limit as usize);
    }
    let action = ServiceAction::ChatAddUser { users: vec![user] };
    Ok(invited(post_service(
        ctx,
        me,
        req.chat_id,
        &members,
        action,
    )))
}

/// `messages.deleteChatUser`: leaving (oneself) or removing a member, which
/// only the creator or whoever added that member may do
/// (`CHAT_ADMIN_REQUIRED`). The removed user gets the service message too.
/// With `revoke_history`, leaving also clears the chat from one's own box.
pub fn delete_chat_user(
    ctx: &mut RpcCtx<'_>,
    req: functions::messages::DeleteChatUser,
) -> Result<Vec<u8>, RpcError> {
    let me = ctx.require_user()?;
    let standing = membership(ctx, me, req.chat_id)?;
    let user = resolve_user(ctx, me, &req.user_id)?;
    if standing != Membership::Member {
        return Err(RpcError::bad_request("USER_NOT_PARTICIPANT"));
    }
    let recipients = {
        let mut chats = ctx.state.chats();
        let c = chats
            .get_mut(req.chat_id)
            .ok_or_else(|| RpcError::bad_request("CHAT_ID_INVALID"))?;
        let Some(p) = c.participant(user) else {
            return Err(RpcError::bad_request("USER_NOT_PARTICIPANT"));
        };
        if user != me && c.creator != me && p.inviter_id != me {
            return Err(RpcError::bad_request("CHAT_ADMIN_REQUIRED"));
        }
        let before = c.member_ids();
        c.remove(user, me);
        before
    };
    let action = ServiceAction::ChatDeleteUser { user };
    let mut answer = post_service(ctx, me, req.chat_id, &recipients, action);
    if req.revoke_history && user == me {
        let peer = crate::mailbox::Peer::Chat(req.chat_id);
        let cleared = {
            let mut boxes = ctx.state.mailboxes();
            let b = boxes.get_mut(me);
            let ids: Vec<i32> = b
                .messages
                .iter()
                .filter(|m| m.peer == peer)
                .map(|m| m.id)
                .collect();
            b.delete(&ids)
        };
        if let Some((ids, pts)) = cleared {
            let update = crate::rpc::tl::deleted_update(ids, pts);
            let date = answer.date;
            let body = crate::rpc::tl::short(update.clone(), date).to_bytes();
            ctx.state
                .push_to_user(me, (ctx.key_id, ctx.session_id), &body);
            answer.updates.push(update);
        }
    }
    Ok(answer.to_bytes())
}
