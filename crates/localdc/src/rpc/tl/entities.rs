//! The `users`/`chats` vectors that go with messages and updates, and the
//! TL forms of basic groups (core.telegram.org/constructor/chat).
//!
//! As on Telegram, a user object handed to an account carries the access
//! hash for that account, so the account has now met the user
//! (core.telegram.org/api/peers#access-hash): [`users_met`] records that.

use hearth_tl::{enums, types};

use crate::chats::{Chat, Membership};
use crate::mailbox::{Peer, ServiceAction, StoredMessage};
use crate::rpc::ctx::RpcCtx;
use crate::users::tl_user;

pub fn tl_peer(peer: Peer) -> enums::Peer {
    match peer {
        Peer::User(user_id) => enums::Peer::PeerUser(types::PeerUser { user_id }),
        Peer::Chat(chat_id) => enums::Peer::PeerChat(types::PeerChat { chat_id }),
    }
}

/// `user` objects for `ids` as `viewer` sees them; `viewer` has met them all.
pub fn users_met(
    ctx: &RpcCtx<'_>,
    viewer: i64,
    ids: impl IntoIterator<Item = i64>,
) -> Vec<enums::User> {
    let users = tl_users(ctx, viewer, ids);
    let mut boxes = ctx.state.mailboxes();
    for u in &users {
        if let enums::User::User(u) = u {
            boxes.meet(viewer, u.id);
        }
    }
    users
}

/// Every user a message names: its sender, its dialog's user, the users
/// of its service action.
pub fn users_of(m: &StoredMessage) -> Vec<i64> {
    let mut ids = vec![m.from];
    if let Peer::User(u) = m.peer {
        ids.push(u);
    }
    match &m.action {
        Some(ServiceAction::ChatCreate { users, .. } | ServiceAction::ChatAddUser { users }) => {
            ids.extend(users)
        }
        Some(ServiceAction::ChatDeleteUser { user }) => ids.push(*user),
        None => {}
    }
    ids
}

/// The basic groups among `peers`, as `viewer` sees them, each once.
pub fn chats_of(
    ctx: &RpcCtx<'_>,
    viewer: i64,
    peers: impl IntoIterator<Item = Peer>,
) -> Vec<enums::Chat> {
    let chats = ctx.state.chats();
    let mut seen = std::collections::BTreeSet::new();
    peers
        .into_iter()
        .filter_map(|p| match p {
            Peer::Chat(c) if seen.insert(c) => chats.get(c).and_then(|c| tl_chat(c, viewer)),
            _ => None,
        })
        .collect()
}

/// `users` and `chats` for a list of messages `viewer` receives.
pub fn entities_of(
    ctx: &RpcCtx<'_>,
    viewer: i64,
    messages: &[StoredMessage],
) -> (Vec<enums::User>, Vec<enums::Chat>) {
    let users = users_met(
        ctx,
        viewer,
        std::iter::once(viewer).chain(messages.iter().flat_map(users_of)),
    );
    let chats = chats_of(ctx, viewer, messages.iter().map(|m| m.peer));
    (users, chats)
}

/// `chat#...` for a member or a former member that left (`left` flag),
/// `chatForbidden` for a removed one, nothing for a stranger.
pub fn tl_chat(chat: &Chat, viewer: i64) -> Option<enums::Chat> {
    let membership = chat.membership(viewer);
    match membership {
        Membership::Stranger => None,
        Membership::Kicked => Some(enums::Chat::ChatForbidden(types::ChatForbidden {
            id: chat.id,
            title: chat.title.clone(),
        })),
        Membership::Member | Membership::Left => Some(enums::Chat::Chat(types::Chat {
            creator: chat.creator == viewer,
            left: membership == Membership::Left,
            deactivated: false,
            call_active: false,
            call_not_empty: false,
            noforwards: false,
            id: chat.id,
            title: chat.title.clone(),
            photo: enums::ChatPhoto::ChatPhotoEmpty,
            participants_count: chat.participants.len() as i32,
            date: chat.date,
            version: chat.version,
            migrated_to: None,
            admin_rights: None,
            default_banned_rights: None,
        })),
    }
}

/// `chatParticipants` (creator first as `chatParticipantCreator`).
pub fn tl_participants(chat: &Chat) -> enums::ChatParticipants {
    let participants = chat
        .participants
        .iter()
        .map(|p| {
            if p.user_id == chat.creator {
                enums::ChatParticipant::ChatParticipantCreator(types::ChatParticipantCreator {
                    user_id: p.user_id,
                    rank: None,
                })
            } else {
                enums::ChatParticipant::ChatParticipant(types::ChatParticipant {
                    user_id: p.user_id,
                    inviter_id: p.inviter_id,
                    date: p.date,
                    rank: None,
                })
            }
        })
        .collect();
    enums::ChatParticipants::ChatParticipants(types::ChatParticipants {
        chat_id: chat.id,
        participants,
        version: chat.version,
    })
}

/// `messageService#...` for a stored service message.
pub fn tl_service(m: &StoredMessage, action: &ServiceAction) -> enums::Message {
    let action = match action {
        ServiceAction::ChatCreate { title, users } => {
            enums::MessageAction::MessageActionChatCreate(types::MessageActionChatCreate {
                title: title.clone(),
                users: users.clone(),
            })
        }
        ServiceAction::ChatAddUser { users } => {
            enums::MessageAction::MessageActionChatAddUser(types::MessageActionChatAddUser {
                users: users.clone(),
            })
        }
        ServiceAction::ChatDeleteUser { user } => {
            enums::MessageAction::MessageActionChatDeleteUser(types::MessageActionChatDeleteUser {
                user_id: *user,
            })
        }
    };
    enums::Message::MessageService(types::MessageService {
        out: m.out,
        mentioned: false,
        media_unread: false,
        reactions_are_possible: false,
        silent: false,
        post: false,
        legacy: false,
        id: m.id,
        from_id: Some(tl_peer(Peer::User(m.from))),
        peer_id: tl_peer(m.peer),
        saved_peer_id: None,
        reply_to: None,
        date: m.date,
        action: Box::new(action),
        reactions: None,
        ttl_period: None,
    })
}

/// An `updates` object for `viewer` carrying `updates` with the users and
/// chats `messages` name.
pub fn updates_for(
    ctx: &RpcCtx<'_>,
    viewer: i64,
    updates: Vec<enums::Update>,
    messages: &[StoredMessage],
    date: i32,
) -> types::Updates {
    let (users, chats) = entities_of(ctx, viewer, messages);
    types::Updates {
        updates,
        users,
        chats,
        date,
        seq: 0,
    }
}

/// `updateShort` around one update without entities.
pub fn short(update: enums::Update, date: i32) -> types::UpdateShort {
    types::UpdateShort {
        update: Box::new(update),
        date,
    }
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
