//! Supergroups and broadcast channels (core.telegram.org/api/channel).
//!
//! Unlike private chats, a channel is ONE message box shared by all its
//! members (core.telegram.org/api/updates#channel-pts): message ids count
//! 1, 2, ... per channel and every change of the box (a new message, a
//! deletion) advances the channel's own `pts` by its `pts_count`, the same
//! number for every member. The world's `[[channel]]` messages are history:
//! they fill the box at start-up without advancing `pts`.
//!
//! Access follows Telegram's rules (core.telegram.org/api/peers#access-hash):
//! the `access_hash` is specific to the account looking, and only an account
//! that has met the channel (membership, `contacts.resolveUsername`,
//! dialogs) may use it.

use std::collections::{BTreeMap, BTreeSet};

use hearth_crypto::hash::sha256;
use serde::{Deserialize, Serialize};

use crate::world::World;

pub use crate::usernames::valid_username;

/// The id of the first channel; later ones count up from it.
pub const FIRST_CHANNEL_ID: i64 = 1_500_000_001;

/// What a service message records.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Action {
    /// `messageActionChannelCreate`.
    Create { title: String },
    /// `messageActionChatAddUser` (members joined or were added to a supergroup).
    AddUser(Vec<i64>),
    /// `messageActionChatDeleteUser` (a member left a supergroup).
    DeleteUser(i64),
    /// `messageActionChatEditTitle`.
    EditTitle { title: String },
}

/// One message of a channel's box.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChannelMessage {
    pub id: i32,
    pub from: i64,
    pub text: String,
    pub date: i32,
    /// The `pts` this message produced; 0 for world history.
    pub pts: i32,
    /// Set for service messages.
    pub action: Option<Action>,
    /// The view counter of broadcast posts.
    pub views: i32,
    /// An attached photo or document (see [`crate::files`]).
    #[serde(default)]
    pub document: Option<i64>,
    /// When the message was last edited.
    #[serde(default)]
    pub edit_date: Option<i32>,
}

/// What one `pts` step of a channel did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Event {
    New {
        id: i32,
    },
    Delete {
        ids: Vec<i32>,
    },
    /// Message `id` was edited (`updateEditChannelMessage`).
    Edit {
        id: i32,
    },
}

/// One entry of a channel's update log: the `pts` after it and its count.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PtsEvent {
    pub pts: i32,
    pub pts_count: i32,
    pub event: Event,
}

/// One channel or supergroup.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Channel {
    pub id: i64,
    /// Secret the viewer-specific access hashes derive from.
    pub hash_secret: i64,
    pub title: String,
    pub about: String,
    /// Set for public channels.
    pub username: Option<String>,
    pub creator: i64,
    pub admins: BTreeSet<i64>,
    /// Members (the creator included) with the date they joined.
    pub members: BTreeMap<i64, i32>,
    /// A supergroup; otherwise a broadcast channel.
    pub megagroup: bool,
    pub date: i32,
    /// Current `pts` of the box (1 for a box nothing happened to yet).
    pub pts: i32,
    pub messages: BTreeMap<i32, ChannelMessage>,
    pub next_id: i32,
    pub log: Vec<PtsEvent>,
    /// Per member: the highest message id read.
    pub read_inbox: BTreeMap<i64, i32>,
    /// Deleted by its creator (`channels.deleteChannel`): no members, no
    /// username; every former member still knows it, as `channelForbidden`.
    #[serde(default)]
    pub deleted: bool,
}

impl Channel {
    fn new(
        id: i64,
        hash_secret: i64,
        title: &str,
        creator: i64,
        megagroup: bool,
        date: i32,
    ) -> Self {
        Self {
            id,
            hash_secret,
            title: title.to_owned(),
            about: String::new(),
            username: None,
            creator,
            admins: BTreeSet::new(),
            members: BTreeMap::from([(creator, date)]),
            megagroup,
            date,
            pts: 1,
            messages: BTreeMap::new(),
            next_id: 1,
            log: Vec::new(),
            read_inbox: BTreeMap::new(),
            deleted: false,
        }
    }

    /// The `access_hash` `viewer` sees for this channel; as for users, one
    /// account's hash is no good to another.
    pub fn access_hash_for(&self, viewer: i64) -> i64 {
        let h = sha256(&[
            &self.hash_secret.to_le_bytes(),
            b"channel viewer",
            &viewer.to_le_bytes(),
        ]);
        i64::from_le_bytes([h[0], h[1], h[2], h[3], h[4], h[5], h[6], h[7]])
    }

    pub fn broadcast(&self) -> bool {
        !self.megagroup
    }
    pub fn is_public(&self) -> bool {
        self.username.is_some()
    }
    pub fn is_member(&self, user: i64) -> bool {
        self.members.contains_key(&user)
    }
    pub fn is_admin(&self, user: i64) -> bool {
        user == self.creator || self.admins.contains(&user)
    }
    /// Broadcast channels: only the creator and admins post; supergroups:
    /// every member writes.
    pub fn can_post(&self, user: i64) -> bool {
        if self.megagroup {
            self.is_member(user)
        } else {
            self.is_admin(user)
        }
    }

    /// Appends a message; `update` advances `pts` and logs it.
    pub fn post(
        &mut self,
        from: i64,
        text: &str,
        date: i32,
        action: Option<Action>,
        update: bool,
    ) -> ChannelMessage {
        let id = self.next_id;
        self.next_id += 1;
        if update {
            self.pts += 1;
            self.log.push(PtsEvent {
                pts: self.pts,
                pts_count: 1,
                event: Event::New { id },
            });
        }
        let m = ChannelMessage {
            id,
            from,
            text: text.to_owned(),
            date,
            pts: if update { self.pts } else { 0 },
            action,
            views: 1,
            document: None,
            edit_date: None,
        };
        self.messages.insert(id, m.clone());
        m
    }

    /// Deletes the messages among `ids` that exist: one `pts` per message
    /// removed. Returns them; `pts` stays if none existed.
    pub fn delete(&mut self, ids: &[i32]) -> Vec<i32> {
        let mut gone: Vec<i32> = ids
            .iter()
            .copied()
            .filter(|id| self.messages.remove(id).is_some())
            .collect();
        gone.dedup();
        if !gone.is_empty() {
            self.pts += gone.len() as i32;
            self.log.push(PtsEvent {
                pts: self.pts,
                pts_count: gone.len() as i32,
                event: Event::Delete { ids: gone.clone() },
            });
        }
        gone
    }

    /// Log entries after `pts`, oldest first.
    pub fn since(&self, pts: i32) -> impl Iterator<Item = &PtsEvent> {
        self.log.iter().filter(move |e| e.pts > pts)
    }

    /// The newest message.
    pub fn top(&self) -> Option<&ChannelMessage> {
        self.messages.values().next_back()
    }

    pub fn read_max(&self, user: i64) -> i32 {
        self.read_inbox.get(&user).copied().unwrap_or(0)
    }

    /// Marks messages up to `max_id` read for `user` (0 = all); the read
    /// mark never moves back. Returns the new mark.
    pub fn read(&mut self, user: i64, max_id: i32) -> i32 {
        let top = self.top().map_or(0, |m| m.id);
        let target = if max_id <= 0 { top } else { max_id.min(top) };
        let mark = self.read_inbox.entry(user).or_insert(0);
        *mark = (*mark).max(target);
        *mark
    }

    /// Messages after `user`'s read mark that others wrote.
    pub fn unread_count(&self, user: i64) -> i32 {
        let mark = self.read_max(user);
        self.messages
            .range(mark + 1..)
            .filter(|(_, m)| m.from != user)
            .count() as i32
    }
}

/// Every channel, and which accounts have met which.
#[derive(Debug, Default, Serialize, Deserialize)]
pub struct Channels {
    by_id: BTreeMap<i64, Channel>,
    met: BTreeMap<i64, BTreeSet<i64>>,
    next_id: i64,
    secret: [u8; 32],
}

impl Channels {
    /// The world's channels with their history (no updates). World files
    /// are validated before, so unknown names cannot occur; they are skipped.
    pub fn from_world(world: &World, secret: &[u8; 32], date: i32) -> Self {
        let mut all = Self {
            next_id: FIRST_CHANNEL_ID,
            secret: sha256(&[secret, b"channels"]),
            ..Self::default()
        };
        for c in &world.channels {
            let Some(creator) = world.user_id(&c.creator) else {
                continue;
            };
            let id = all.create(creator, &c.title, &c.about, c.megagroup, date, false);
            let Some(ch) = all.by_id.get_mut(&id) else {
                continue;
            };
            ch.username = c.username.clone();
            for name in &c.members {
                if let Some(u) = world.user_id(name) {
                    ch.members.insert(u, date);
                }
            }
            for name in &c.admins {
                if let Some(u) = world.user_id(name) {
                    ch.admins.insert(u);
                    ch.members.insert(u, date);
                }
            }
            for m in &c.messages {
                let Some(from) = world.user_id(&m.from) else {
                    continue;
                };
                match m.media_id() {
                    Some(media) => ch.post_media(from, &m.text, date, media, false),
                    None => ch.post(from, &m.text, date, None, false),
                };
            }
        }
        all
    }

    /// A new channel created by `creator`, with its `messageActionChannelCreate`
    /// service message (logged as an update when `update`).
    pub fn create(
        &mut self,
        creator: i64,
        title: &str,
        about: &str,
        megagroup: bool,
        date: i32,
        update: bool,
    ) -> i64 {
        let id = self.next_id.max(FIRST_CHANNEL_ID);
        self.next_id = id + 1;
        let h = sha256(&[&self.secret, b"access_hash", &id.to_le_bytes()]);
        let hash_secret = i64::from_le_bytes([h[0], h[1], h[2], h[3], h[4], h[5], h[6], h[7]]);
        let mut ch = Channel::new(id, hash_secret, title, creator, megagroup, date);
        ch.about = about.to_owned();
        let action = Action::Create {
            title: title.to_owned(),
        };
        ch.post(creator, "", date, Some(action), update);
        self.by_id.insert(id, ch);
        id
    }

    pub fn get(&self, id: i64) -> Option<&Channel> {
        self.by_id.get(&id)
    }
    pub fn get_mut(&mut self, id: i64) -> Option<&mut Channel> {
        self.by_id.get_mut(&id)
    }

    /// The public channel with this username (case-insensitive).
    pub fn find_username(&self, name: &str) -> Option<&Channel> {
        self.by_id.values().find(|c| {
            c.username
                .as_deref()
                .is_some_and(|u| u.eq_ignore_ascii_case(name))
        })
    }

    /// `user` has now seen channel `id`.
    pub fn meet(&mut self, user: i64, id: i64) {
        self.met.entry(user).or_default().insert(id);
    }

    /// Members have met their channels; others only through [`Self::meet`].
    pub fn has_met(&self, user: i64, id: i64) -> bool {
        self.get(id).is_some_and(|c| c.is_member(user))
            || self.met.get(&user).is_some_and(|s| s.contains(&id))
    }

    /// The channels `user` is a member of.
    pub fn of_member(&self, user: i64) -> impl Iterator<Item = &Channel> {
        self.by_id.values().filter(move |c| c.is_member(user))
    }
}

mod changes;

#[cfg(test)]
mod tests;
