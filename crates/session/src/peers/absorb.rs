//! Taking `User` and `Chat` constructors (and the updates that change a user's names or phone)
//! into the cache, with the `min` rules of core.telegram.org/api/min: a `min` constructor's
//! access hash is only usable inside its message, so it never replaces a full one, and fields
//! it leaves out are not cleared. A full constructor replaces every field, unset ones included
//! (core.telegram.org/constructor/user).

use hearth_tl::enums;

use super::{PeerCache, PeerId, PeerInfo, PeerKind};

impl PeerCache {
    /// Takes in the users and chats every answer and update carries.
    pub fn absorb(&mut self, users: &[enums::User], chats: &[enums::Chat]) {
        for u in users {
            self.absorb_user(u);
        }
        for c in chats {
            self.absorb_chat(c);
        }
    }

    /// Takes in one user. A `min` user never overwrites a full access hash.
    pub fn absorb_user(&mut self, user: &enums::User) {
        let u = match user {
            enums::User::UserEmpty(e) => return self.mark_gone(PeerId::User(e.id)),
            enums::User::User(u) => u,
        };
        if u.self_ {
            self.set_self(u.id);
        }
        let id = PeerId::User(u.id);
        let old = self.peers.get(&id);
        let kind = if self.self_id == Some(u.id) {
            PeerKind::SelfUser
        } else if u.bot {
            PeerKind::Bot
        } else {
            PeerKind::User
        };
        let title = full_name(u.first_name.as_deref(), u.last_name.as_deref());
        let (username, usernames) = split_usernames(u.username.as_deref(), u.usernames.as_deref());
        let phone = u.phone.clone().filter(|p| !p.is_empty());
        let new = if u.min {
            let mut p = min_base(old, id, kind, u.access_hash);
            if u.first_name.is_some() || u.last_name.is_some() {
                p.title = title;
            }
            if u.username.is_some() || u.usernames.is_some() {
                p.username = username;
                p.usernames = usernames;
            }
            if phone.is_some() {
                p.phone = phone;
            }
            p.deleted = u.deleted;
            p
        } else {
            let (access_hash, min) = full_hash(old, u.access_hash);
            PeerInfo {
                id,
                kind,
                access_hash,
                min,
                username,
                usernames,
                phone,
                title,
                deleted: u.deleted,
            }
        };
        self.put(new, true);
    }

    /// Takes in one group or channel. A `min` channel never overwrites a full access hash;
    /// a forbidden channel keeps its (full) access hash and is marked deleted.
    pub fn absorb_chat(&mut self, chat: &enums::Chat) {
        let new = match chat {
            enums::Chat::ChatEmpty(e) => return self.mark_gone(PeerId::Chat(e.id)),
            enums::Chat::Chat(c) => PeerInfo {
                title: c.title.clone(),
                ..PeerInfo::new(PeerId::Chat(c.id), PeerKind::Chat)
            },
            enums::Chat::ChatForbidden(c) => PeerInfo {
                title: c.title.clone(),
                deleted: true,
                ..PeerInfo::new(PeerId::Chat(c.id), PeerKind::Chat)
            },
            enums::Chat::Channel(c) => {
                let id = PeerId::Channel(c.id);
                let kind = channel_kind(c.megagroup, c.gigagroup);
                let (username, usernames) =
                    split_usernames(c.username.as_deref(), c.usernames.as_deref());
                let old = self.peers.get(&id);
                if c.min {
                    let mut p = min_base(old, id, kind, c.access_hash);
                    p.kind = kind;
                    p.title = c.title.clone();
                    if c.username.is_some() || c.usernames.is_some() {
                        p.username = username;
                        p.usernames = usernames;
                    }
                    p.deleted = false;
                    p
                } else {
                    let (access_hash, min) = full_hash(old, c.access_hash);
                    PeerInfo {
                        access_hash,
                        min,
                        username,
                        usernames,
                        title: c.title.clone(),
                        ..PeerInfo::new(id, kind)
                    }
                }
            }
            enums::Chat::ChannelForbidden(c) => PeerInfo {
                access_hash: Some(c.access_hash),
                title: c.title.clone(),
                deleted: true,
                ..PeerInfo::new(PeerId::Channel(c.id), channel_kind(c.megagroup, false))
            },
            enums::Chat::CommunityForbidden(_) | enums::Chat::Community(_) => {
                // Communities are not addressed through Peer/InputPeer in this layer.
                tracing::trace!("community constructor not cached");
                return;
            }
        };
        self.put(new, true);
    }

    /// Applies the updates that change a cached user without carrying the `user` constructor
    /// (`updateUserName`, `updateUserPhone`). Returns whether the update was one of them.
    pub fn apply_update(&mut self, update: &enums::Update) -> bool {
        match update {
            enums::Update::UpdateUserName(u) => {
                let title = full_name(Some(&u.first_name), Some(&u.last_name));
                let (main, others) = split_usernames(None, Some(&u.usernames));
                self.update_existing(PeerId::User(u.user_id), |p| {
                    p.title = title;
                    p.username = main;
                    p.usernames = others;
                });
                true
            }
            enums::Update::UpdateUserPhone(u) => {
                let phone = Some(u.phone.clone()).filter(|p| !p.is_empty());
                self.update_existing(PeerId::User(u.user_id), |p| p.phone = phone);
                true
            }
            _ => false,
        }
    }

    /// `userEmpty`/`chatEmpty`: the peer no longer exists. Its access hash is kept (harmless,
    /// and some calls such as deleting the chat still take it); usernames and phone are
    /// dropped from the indexes.
    fn mark_gone(&mut self, id: PeerId) {
        self.update_existing(id, |p| {
            p.deleted = true;
            p.username = None;
            p.usernames.clear();
            p.phone = None;
        });
    }
}

/// The entry a `min` constructor updates: the cached one, or a new `min` entry. Its access
/// hash is taken only while no full hash is known.
fn min_base(old: Option<&PeerInfo>, id: PeerId, kind: PeerKind, hash: Option<i64>) -> PeerInfo {
    let mut p = old.cloned().unwrap_or_else(|| PeerInfo {
        min: true,
        ..PeerInfo::new(id, kind)
    });
    let has_full = p.access_hash.is_some() && !p.min;
    if let (false, Some(hash)) = (has_full, hash) {
        p.access_hash = Some(hash);
        p.min = true;
    }
    if p.kind != PeerKind::SelfUser {
        p.kind = kind;
    }
    p
}

/// The access hash of a full constructor; when it carries none, the cached one stays.
fn full_hash(old: Option<&PeerInfo>, hash: Option<i64>) -> (Option<i64>, bool) {
    match (hash, old) {
        (Some(h), _) => (Some(h), false),
        (None, Some(o)) => (o.access_hash, o.min && o.access_hash.is_some()),
        (None, None) => (None, false),
    }
}

fn channel_kind(megagroup: bool, gigagroup: bool) -> PeerKind {
    if gigagroup {
        PeerKind::Gigagroup
    } else if megagroup {
        PeerKind::Megagroup
    } else {
        PeerKind::Channel
    }
}

/// First and last name joined by one space, either may be missing.
fn full_name(first: Option<&str>, last: Option<&str>) -> String {
    let parts: Vec<&str> = [first, last]
        .into_iter()
        .flatten()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .collect();
    parts.join(" ")
}

/// The main username and the other active ones (case-insensitively distinct, without '@').
/// With no main username the first active one of the list is the main one.
fn split_usernames(
    main: Option<&str>,
    list: Option<&[enums::Username]>,
) -> (Option<String>, Vec<String>) {
    let mut all: Vec<String> = Vec::new();
    let active = list.into_iter().flatten().filter_map(|u| {
        let enums::Username::Username(u) = u;
        u.active.then_some(u.username.as_str())
    });
    for name in main.into_iter().chain(active) {
        let name = name.trim().trim_start_matches('@');
        if !name.is_empty() && !all.iter().any(|n| n.eq_ignore_ascii_case(name)) {
            all.push(name.to_owned());
        }
    }
    let mut all = all.into_iter();
    (all.next(), all.collect())
}
