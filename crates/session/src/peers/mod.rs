//! The peer cache: every user, group and channel the account has met, with the access hash
//! needed to address it (core.telegram.org/api/peers, core.telegram.org/api/min).
//!
//! Telegram addresses users and channels by id *and* an access hash that is specific to the
//! account; a client learns the hash only from `user`/`channel` constructors the server sends
//! (in dialogs, messages, participant lists, resolved usernames, contacts, updates). The cache
//! is filled from every such answer ([`PeerCache::absorb`]) and builds `inputPeer*` values
//! from it.
//!
//! Invariants:
//! * a `min` constructor (core.telegram.org/api/min) never replaces a full access hash: the full
//!   hash is kept, only the names and usernames it carries are taken;
//! * the username index holds every active username of every peer, lowercased, and the phone
//!   index every phone (digits only); both follow the peers as they change, and entries of a
//!   deleted or forbidden peer are removed;
//! * an `inputPeer*` is only built from a full (non-`min`) access hash; otherwise the caller
//!   gets a [`PeerNotMet`] that says how to meet the peer;
//! * [`PeerCache::take_changed`] returns each peer whose stored fields changed since the last
//!   call exactly once, so the caller persists only real changes.

mod absorb;
mod id;
mod info;
mod not_met;

use std::collections::{BTreeSet, HashMap};

use hearth_tl::{enums, types};

pub use id::PeerId;
pub use info::{PeerInfo, PeerKind};
pub use not_met::{NotMetReason, PeerNotMet};

/// Every peer met so far, indexed by id, username and phone.
#[derive(Clone, Debug, Default)]
pub struct PeerCache {
    peers: HashMap<PeerId, PeerInfo>,
    /// Lowercased username → peer.
    usernames: HashMap<String, PeerId>,
    /// Phone digits → user.
    phones: HashMap<String, PeerId>,
    self_id: Option<i64>,
    changed: BTreeSet<PeerId>,
}

impl PeerCache {
    pub fn new() -> Self {
        Self::default()
    }

    /// The cached peer.
    pub fn get(&self, id: PeerId) -> Option<&PeerInfo> {
        self.peers.get(&id)
    }

    /// The peer with this username (any of its active ones), case-insensitive, '@' optional.
    pub fn by_username(&self, name: &str) -> Option<&PeerInfo> {
        let key = username_key(name)?;
        self.usernames.get(&key).and_then(|id| self.peers.get(id))
    }

    /// The user with this phone number; only the digits are compared ("+1 (555) 010-2030"
    /// finds "15550102030").
    pub fn by_phone(&self, phone: &str) -> Option<&PeerInfo> {
        let key = phone_key(phone)?;
        self.phones.get(&key).and_then(|id| self.peers.get(id))
    }

    /// The signed-in user's id, once a `user` with the `self` flag was absorbed or
    /// [`PeerCache::set_self`] was called.
    pub fn self_id(&self) -> Option<i64> {
        self.self_id
    }

    /// Records who the signed-in user is (from the stored session or the sign-in answer).
    pub fn set_self(&mut self, user_id: i64) {
        if self.self_id == Some(user_id) {
            return;
        }
        if let Some(old) = self.self_id.replace(user_id) {
            self.update_existing(PeerId::User(old), |p| {
                if p.kind == PeerKind::SelfUser {
                    p.kind = PeerKind::User;
                }
            });
        }
        self.update_existing(PeerId::User(user_id), |p| p.kind = PeerKind::SelfUser);
    }

    /// Number of cached peers.
    pub fn len(&self) -> usize {
        self.peers.len()
    }

    pub fn is_empty(&self) -> bool {
        self.peers.is_empty()
    }

    /// Every cached peer, in no particular order.
    pub fn iter(&self) -> impl Iterator<Item = &PeerInfo> {
        self.peers.values()
    }

    /// The `InputPeer` for `id`: `inputPeerSelf` for the signed-in user, `inputPeerChat` for a
    /// basic group (no hash needed), otherwise built from the peer's full access hash.
    pub fn input_peer(&self, id: PeerId) -> Result<enums::InputPeer, PeerNotMet> {
        Ok(match id {
            PeerId::User(user_id) if self.self_id == Some(user_id) => {
                enums::InputPeer::InputPeerSelf
            }
            PeerId::User(user_id) => enums::InputPeer::InputPeerUser(types::InputPeerUser {
                user_id,
                access_hash: self.full_hash(id)?,
            }),
            PeerId::Chat(chat_id) => {
                enums::InputPeer::InputPeerChat(types::InputPeerChat { chat_id })
            }
            PeerId::Channel(channel_id) => {
                enums::InputPeer::InputPeerChannel(types::InputPeerChannel {
                    channel_id,
                    access_hash: self.full_hash(id)?,
                })
            }
        })
    }

    /// The `InputUser` for user `id` (`inputUserSelf` for the signed-in user).
    pub fn input_user(&self, id: i64) -> Result<enums::InputUser, PeerNotMet> {
        if self.self_id == Some(id) {
            return Ok(enums::InputUser::InputUserSelf);
        }
        Ok(enums::InputUser::InputUser(types::InputUser {
            user_id: id,
            access_hash: self.full_hash(PeerId::User(id))?,
        }))
    }

    /// The `InputChannel` for channel `id`.
    pub fn input_channel(&self, id: i64) -> Result<enums::InputChannel, PeerNotMet> {
        Ok(enums::InputChannel::InputChannel(types::InputChannel {
            channel_id: id,
            access_hash: self.full_hash(PeerId::Channel(id))?,
        }))
    }

    /// The peers whose stored fields changed since the last call (new ones included), ordered
    /// by id; each is returned once.
    pub fn take_changed(&mut self) -> Vec<PeerInfo> {
        std::mem::take(&mut self.changed)
            .into_iter()
            .filter_map(|id| self.peers.get(&id).cloned())
            .collect()
    }

    /// Fills the cache from storage. Loaded peers are not reported by
    /// [`PeerCache::take_changed`]; a peer of kind [`PeerKind::SelfUser`] sets the self id.
    pub fn load(&mut self, peers: impl IntoIterator<Item = PeerInfo>) {
        for p in peers {
            if p.is_self() {
                if let PeerId::User(id) = p.id {
                    self.self_id = Some(id);
                }
            }
            self.put(p, false);
        }
    }

    fn full_hash(&self, id: PeerId) -> Result<i64, PeerNotMet> {
        match self.peers.get(&id) {
            None => Err(PeerNotMet::new(id, NotMetReason::Unknown)),
            Some(PeerInfo {
                access_hash: Some(hash),
                min: false,
                ..
            }) => Ok(*hash),
            Some(PeerInfo {
                access_hash: Some(_),
                ..
            }) => Err(PeerNotMet::new(id, NotMetReason::MinOnly)),
            Some(_) => Err(PeerNotMet::new(id, NotMetReason::NoAccessHash)),
        }
    }

    /// Changes a cached peer in place (re-indexing it); nothing if unknown.
    fn update_existing(&mut self, id: PeerId, change: impl FnOnce(&mut PeerInfo)) {
        if let Some(mut p) = self.peers.get(&id).cloned() {
            change(&mut p);
            self.put(p, true);
        }
    }

    /// Inserts or replaces `p`, keeping the indexes right; with `track`, a real change is
    /// remembered for [`PeerCache::take_changed`].
    fn put(&mut self, p: PeerInfo, track: bool) {
        if let Some(old) = self.peers.get(&p.id) {
            if *old == p {
                return;
            }
            let old = old.clone();
            self.unindex(&old);
        }
        self.index(&p);
        if track {
            self.changed.insert(p.id);
        }
        self.peers.insert(p.id, p);
    }

    fn index(&mut self, p: &PeerInfo) {
        for name in p.all_usernames() {
            if let Some(key) = username_key(name) {
                self.usernames.insert(key, p.id);
            }
        }
        if let Some(key) = p.phone.as_deref().and_then(phone_key) {
            self.phones.insert(key, p.id);
        }
    }

    /// Removes `p`'s index entries, leaving those another peer has claimed since.
    fn unindex(&mut self, p: &PeerInfo) {
        for name in p.all_usernames() {
            if let Some(key) = username_key(name) {
                if self.usernames.get(&key) == Some(&p.id) {
                    self.usernames.remove(&key);
                }
            }
        }
        if let Some(key) = p.phone.as_deref().and_then(phone_key) {
            if self.phones.get(&key) == Some(&p.id) {
                self.phones.remove(&key);
            }
        }
    }
}

/// A username as indexed: without '@' and surrounding spaces, lowercase; `None` if empty.
fn username_key(name: &str) -> Option<String> {
    let name = name.trim();
    let name = name.strip_prefix('@').unwrap_or(name).trim();
    (!name.is_empty()).then(|| name.to_lowercase())
}

/// A phone number as indexed: its ASCII digits; `None` if it has none.
fn phone_key(phone: &str) -> Option<String> {
    let digits: String = phone.chars().filter(char::is_ascii_digit).collect();
    (!digits.is_empty()).then_some(digits)
}

#[cfg(test)]
mod tests;
