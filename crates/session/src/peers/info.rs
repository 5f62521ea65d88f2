//! What the cache knows about one peer.

use super::PeerId;

/// The kind of a peer, finer than [`PeerId`]'s three id spaces.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum PeerKind {
    /// A person's account.
    User,
    /// A bot account.
    Bot,
    /// The signed-in account itself (`user.self`).
    SelfUser,
    /// A basic group.
    Chat,
    /// A broadcast channel.
    Channel,
    /// A supergroup (a channel with `megagroup`).
    Megagroup,
    /// A broadcast group (a channel with `gigagroup`).
    Gigagroup,
}

impl PeerKind {
    /// A stable lowercase name, for storage.
    pub fn as_str(self) -> &'static str {
        match self {
            PeerKind::User => "user",
            PeerKind::Bot => "bot",
            PeerKind::SelfUser => "self",
            PeerKind::Chat => "chat",
            PeerKind::Channel => "channel",
            PeerKind::Megagroup => "megagroup",
            PeerKind::Gigagroup => "gigagroup",
        }
    }

    /// The kind named by [`PeerKind::as_str`].
    pub fn parse(name: &str) -> Option<Self> {
        Some(match name {
            "user" => PeerKind::User,
            "bot" => PeerKind::Bot,
            "self" => PeerKind::SelfUser,
            "chat" => PeerKind::Chat,
            "channel" => PeerKind::Channel,
            "megagroup" => PeerKind::Megagroup,
            "gigagroup" => PeerKind::Gigagroup,
            _ => return None,
        })
    }
}

/// One cached peer.
///
/// `access_hash` is the hash that makes an `inputPeer*` for this account; `min` says it came
/// from a `min` constructor (core.telegram.org/api/min) and may only be used inside the message
/// or participant list it came with, not as a full `inputPeerUser`/`inputPeerChannel`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PeerInfo {
    pub id: PeerId,
    pub kind: PeerKind,
    /// `None` for basic groups (they need none) and for peers met without one.
    pub access_hash: Option<i64>,
    /// The access hash (if any) is a `min` one.
    pub min: bool,
    /// The main @username, without '@'.
    pub username: Option<String>,
    /// Further active usernames (collectible ones), without '@'.
    pub usernames: Vec<String>,
    /// Phone number as the server sent it (digits, no '+').
    pub phone: Option<String>,
    /// A user's first and last name joined by a space; a group's or channel's title.
    pub title: String,
    /// A deleted account (`user.deleted` or `userEmpty`), or a group/channel the account lost
    /// access to (`chatForbidden`, `channelForbidden`).
    pub deleted: bool,
}

impl PeerInfo {
    /// A peer known by id only.
    pub fn new(id: PeerId, kind: PeerKind) -> Self {
        PeerInfo {
            id,
            kind,
            access_hash: None,
            min: false,
            username: None,
            usernames: Vec::new(),
            phone: None,
            title: String::new(),
            deleted: false,
        }
    }

    /// The signed-in account itself.
    pub fn is_self(&self) -> bool {
        self.kind == PeerKind::SelfUser
    }

    /// Every username, the main one first.
    pub fn all_usernames(&self) -> impl Iterator<Item = &str> {
        self.username
            .iter()
            .chain(self.usernames.iter())
            .map(String::as_str)
    }
}
