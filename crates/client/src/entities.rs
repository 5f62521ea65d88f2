//! Feeding the peer cache from answers: every `user` and `chat` an answer
//! carries is absorbed, so a peer the account has met never yields
//! `PEER_ID_INVALID` (core.telegram.org/api/peers). Changes are saved to the
//! session storage at once.
//!
//! [`Client::invoke`](crate::Client::invoke) is generic over the request,
//! so answers are recognised by their type at run time (`Any`); the table
//! below lists every answer type of the methods a client uses that carries
//! users or chats. An answer type missing here is simply not absorbed.

use std::any::Any;

use hearth_session::{PeerCache, PeerId, PeerInfo, SessionData};
use hearth_tl::enums::{self, User};

use crate::client::Inner;

/// The users and chats inside an answer.
pub(crate) fn entities(value: &dyn Any) -> Option<(&[User], &[enums::Chat])> {
    macro_rules! table {
        ($($ty:ty => |$v:ident| $body:expr),* $(,)?) => {
            $(if let Some($v) = value.downcast_ref::<$ty>() {
                return $body;
            })*
        };
    }
    use enums as e;
    const NONE_U: &[User] = &[];
    const NONE_C: &[enums::Chat] = &[];
    table! {
        e::Updates => |v| match v {
            e::Updates::Updates(u) => Some((&u.users, &u.chats)),
            e::Updates::UpdatesCombined(u) => Some((&u.users, &u.chats)),
            _ => None,
        },
        e::auth::Authorization => |v| match v {
            e::auth::Authorization::Authorization(a) => Some((std::slice::from_ref(&*a.user), NONE_C)),
            _ => None,
        },
        e::auth::LoginToken => |v| match v {
            e::auth::LoginToken::LoginTokenSuccess(s) => match &s.authorization {
                e::auth::Authorization::Authorization(a) => Some((std::slice::from_ref(&*a.user), NONE_C)),
                _ => None,
            },
            _ => None,
        },
        User => |v| Some((std::slice::from_ref(v), NONE_C)),
        Vec<User> => |v| Some((v.as_slice(), NONE_C)),
        e::users::UserFull => |v| {
            let e::users::UserFull::UserFull(f) = v;
            Some((&f.users, &f.chats))
        },
        e::users::Users => |v| match v {
            e::users::Users::Users(u) => Some((&u.users, NONE_C)),
            e::users::Users::UsersSlice(u) => Some((&u.users, NONE_C)),
        },
        e::messages::Messages => |v| match v {
            e::messages::Messages::Messages(m) => Some((&m.users, &m.chats)),
            e::messages::Messages::MessagesSlice(m) => Some((&m.users, &m.chats)),
            e::messages::Messages::ChannelMessages(m) => Some((&m.users, &m.chats)),
            e::messages::Messages::MessagesNotModified(_) => None,
        },
        e::messages::Dialogs => |v| match v {
            e::messages::Dialogs::Dialogs(d) => Some((&d.users, &d.chats)),
            e::messages::Dialogs::DialogsSlice(d) => Some((&d.users, &d.chats)),
            e::messages::Dialogs::DialogsNotModified(_) => None,
        },
        e::messages::PeerDialogs => |v| {
            let e::messages::PeerDialogs::PeerDialogs(d) = v;
            Some((&d.users, &d.chats))
        },
        e::messages::Chats => |v| match v {
            e::messages::Chats::Chats(c) => Some((NONE_U, &c.chats)),
            e::messages::Chats::ChatsSlice(c) => Some((NONE_U, &c.chats)),
        },
        e::messages::ChatFull => |v| {
            let e::messages::ChatFull::ChatFull(f) = v;
            Some((&f.users, &f.chats))
        },
        e::contacts::ResolvedPeer => |v| {
            let e::contacts::ResolvedPeer::ResolvedPeer(r) = v;
            Some((&r.users, &r.chats))
        },
        e::contacts::Contacts => |v| match v {
            e::contacts::Contacts::Contacts(c) => Some((&c.users, NONE_C)),
            e::contacts::Contacts::ContactsNotModified => None,
        },
        e::contacts::Found => |v| {
            let e::contacts::Found::Found(f) = v;
            Some((&f.users, &f.chats))
        },
        e::contacts::ImportedContacts => |v| {
            let e::contacts::ImportedContacts::ImportedContacts(i) = v;
            Some((&i.users, NONE_C))
        },
        e::channels::ChannelParticipants => |v| match v {
            e::channels::ChannelParticipants::ChannelParticipants(p) => Some((&p.users, &p.chats)),
            e::channels::ChannelParticipants::ChannelParticipantsNotModified => None,
        },
        e::channels::ChannelParticipant => |v| {
            let e::channels::ChannelParticipant::ChannelParticipant(p) = v;
            Some((&p.users, &p.chats))
        },
        e::updates::Difference => |v| match v {
            e::updates::Difference::Difference(d) => Some((&d.users, &d.chats)),
            e::updates::Difference::DifferenceSlice(d) => Some((&d.users, &d.chats)),
            _ => None,
        },
        e::updates::ChannelDifference => |v| match v {
            e::updates::ChannelDifference::ChannelDifference(d) => Some((&d.users, &d.chats)),
            e::updates::ChannelDifference::ChannelDifferenceTooLong(d) => Some((&d.users, &d.chats)),
            e::updates::ChannelDifference::ChannelDifferenceEmpty(_) => None,
        },
    }
    None
}

impl Inner {
    /// Absorbs the users and chats of an answer and saves what changed;
    /// an `Updates` answer also goes to the update engine.
    pub(crate) fn absorb(&self, value: &dyn Any) {
        if let Some(updates) = value.downcast_ref::<enums::Updates>() {
            self.updates.answered(updates.clone());
        }
        if let Some((users, chats)) = entities(value) {
            self.absorb_entities(users, chats);
        }
    }

    /// Absorbs `users` and `chats` and saves the peers that changed.
    pub(crate) fn absorb_entities(&self, users: &[User], chats: &[enums::Chat]) {
        if users.is_empty() && chats.is_empty() {
            return;
        }
        let (changed, me) = {
            let mut peers = self.peers();
            peers.absorb(users, chats);
            let me = self_in(&peers, users.iter().filter_map(user_id));
            (peers.take_changed(), me)
        };
        if let Some(me) = me {
            self.watches.profile.send_replace(Some(me));
        }
        if changed.is_empty() {
            return;
        }
        if let Err(e) = self.storage.save_peers(&changed) {
            // The cache still has them; the next change saves again.
            tracing::warn!("saving {} peers failed: {e}", changed.len());
        }
    }

    /// Applies an update that changes a cached user without carrying it
    /// (`updateUserName`, `updateUserPhone`) and saves the change.
    pub(crate) fn apply_peer_update(&self, update: &enums::Update) {
        let (changed, me) = {
            let mut peers = self.peers();
            if !peers.apply_update(update) {
                return;
            }
            let me = self_in(&peers, updated_user(update).into_iter());
            (peers.take_changed(), me)
        };
        if let Some(me) = me {
            self.watches.profile.send_replace(Some(me));
        }
        if let Err(e) = self.storage.save_peers(&changed) {
            tracing::warn!("saving {} peers failed: {e}", changed.len());
        }
    }

    /// The account's own user as the cache has it now (after a sign-in or a
    /// load), published to [`crate::Client::profile`] watchers.
    pub(crate) fn publish_profile(&self) {
        let me = {
            let peers = self.peers();
            peers
                .self_id()
                .and_then(|id| peers.get(PeerId::User(id)).cloned())
        };
        if me.is_some() {
            self.watches.profile.send_replace(me);
        }
    }

    /// Fills the cache from the stored session.
    pub(crate) fn load_peers(&self, data: &SessionData) {
        let mut peers = self.peers();
        peers.load(data.peers.iter().cloned());
        if let Some(me) = data.self_user {
            peers.set_self(me);
            peers.take_changed();
        }
    }

    pub(crate) fn peers(&self) -> std::sync::MutexGuard<'_, PeerCache> {
        self.peers.lock().unwrap_or_else(|e| e.into_inner())
    }
}

fn user_id(u: &User) -> Option<i64> {
    match u {
        User::User(u) => Some(u.id),
        User::UserEmpty(u) => Some(u.id),
    }
}

/// The user an update changes without carrying it.
fn updated_user(update: &enums::Update) -> Option<i64> {
    match update {
        enums::Update::UpdateUserName(u) => Some(u.user_id),
        enums::Update::UpdateUserPhone(u) => Some(u.user_id),
        _ => None,
    }
}

/// The account's own entry, if one of `ids` is the account itself.
fn self_in(peers: &PeerCache, mut ids: impl Iterator<Item = i64>) -> Option<PeerInfo> {
    let me = peers.self_id()?;
    if !ids.any(|id| id == me) {
        return None;
    }
    peers.get(PeerId::User(me)).cloned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use hearth_tl::{types, Deserializable, Identifiable};

    /// `user#...` with no flags but its id.
    fn user(id: i64) -> User {
        let mut b = Vec::new();
        b.extend_from_slice(&types::User::CONSTRUCTOR_ID.to_le_bytes());
        b.extend_from_slice(&[0; 8]);
        b.extend_from_slice(&id.to_le_bytes());
        User::User(types::User::from_bytes(&b).expect("minimal user"))
    }

    #[test]
    fn users_and_chats_are_found_in_known_answers() {
        let auth = enums::auth::Authorization::Authorization(types::auth::Authorization {
            setup_password_required: false,
            otherwise_relogin_days: None,
            tmp_sessions: None,
            future_auth_token: None,
            user: Box::new(user(5)),
        });
        let (users, chats) = entities(&auth).unwrap();
        assert_eq!((users.len(), chats.len()), (1, 0));
        let list = vec![user(1), user(2)];
        assert_eq!(entities(&list).unwrap().0.len(), 2);
        assert!(entities(&true).is_none(), "a Bool carries nothing");
        assert!(entities(&enums::Updates::UpdatesTooLong).is_none());
    }
}
