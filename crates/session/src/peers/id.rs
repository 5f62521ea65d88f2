//! Peer identifiers: the bare ids of the TL schema and their Bot API "marked" form.
//!
//! Users, basic groups ("chats") and channels (broadcast channels and supergroups) have
//! separate id spaces on the server: `peerUser`, `peerChat` and `peerChannel` carry bare ids
//! that may coincide. The Bot API (and most clients' databases) fold them into one signed
//! number: a user's id as is, a chat's as `-id`, a channel's as `-1000000000000 - id`
//! (core.telegram.org/api/bots/ids).

use std::fmt;

/// The offset of marked channel ids: channel `id` is `-1000000000000 - id`.
const CHANNEL_MARK: i64 = 1_000_000_000_000;
/// Largest user id (40 bits, as in TDLib's limits).
const MAX_USER_ID: i64 = (1 << 40) - 1;
/// Largest basic group id, so that `-id` stays above the channel range.
const MAX_CHAT_ID: i64 = 999_999_999_999;
/// Largest channel id, so that marked channel ids stay above the secret-chat range.
const MAX_CHANNEL_ID: i64 = CHANNEL_MARK - (1 << 31);

/// A peer by its bare TL id.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum PeerId {
    User(i64),
    Chat(i64),
    Channel(i64),
}

impl PeerId {
    /// The id of a TL `Peer`.
    pub fn from_peer(p: &hearth_tl::enums::Peer) -> Self {
        use hearth_tl::enums::Peer;
        match p {
            Peer::PeerUser(u) => PeerId::User(u.user_id),
            Peer::PeerChat(c) => PeerId::Chat(c.chat_id),
            Peer::PeerChannel(c) => PeerId::Channel(c.channel_id),
        }
    }

    /// The TL `Peer` for this id.
    pub fn to_peer(self) -> hearth_tl::enums::Peer {
        use hearth_tl::{enums::Peer, types};
        match self {
            PeerId::User(user_id) => Peer::PeerUser(types::PeerUser { user_id }),
            PeerId::Chat(chat_id) => Peer::PeerChat(types::PeerChat { chat_id }),
            PeerId::Channel(channel_id) => Peer::PeerChannel(types::PeerChannel { channel_id }),
        }
    }

    /// The bare id, without its kind.
    pub fn bare_id(self) -> i64 {
        match self {
            PeerId::User(id) | PeerId::Chat(id) | PeerId::Channel(id) => id,
        }
    }

    /// The Bot API ("marked") id: user `id`, chat `-id`, channel `-1000000000000 - id`.
    /// Saturates instead of overflowing for ids outside Telegram's ranges.
    pub fn bot_api_id(self) -> i64 {
        match self {
            PeerId::User(id) => id,
            PeerId::Chat(id) => id.saturating_neg(),
            PeerId::Channel(id) => (-CHANNEL_MARK).saturating_sub(id),
        }
    }

    /// The peer of a Bot API id; `None` for 0 and for numbers in no peer range (for example
    /// secret chat ids, which are below the channel range).
    pub fn from_bot_api_id(id: i64) -> Option<Self> {
        if (1..=MAX_USER_ID).contains(&id) {
            Some(PeerId::User(id))
        } else if (-MAX_CHAT_ID..=-1).contains(&id) {
            Some(PeerId::Chat(-id))
        } else if (-CHANNEL_MARK - MAX_CHANNEL_ID..-CHANNEL_MARK).contains(&id) {
            Some(PeerId::Channel(-CHANNEL_MARK - id))
        } else {
            None
        }
    }
}

impl fmt::Display for PeerId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PeerId::User(id) => write!(f, "user {id}"),
            PeerId::Chat(id) => write!(f, "group {id}"),
            PeerId::Channel(id) => write!(f, "channel {id}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bot_api_ids_round_trip() {
        for (peer, marked) in [
            (PeerId::User(777), 777),
            (PeerId::User(MAX_USER_ID), MAX_USER_ID),
            (PeerId::Chat(1), -1),
            (PeerId::Chat(123_456), -123_456),
            (PeerId::Chat(MAX_CHAT_ID), -MAX_CHAT_ID),
            (PeerId::Channel(1), -1_000_000_000_001),
            (PeerId::Channel(1_234_567_890), -1_001_234_567_890),
        ] {
            assert_eq!(peer.bot_api_id(), marked, "{peer}");
            assert_eq!(PeerId::from_bot_api_id(marked), Some(peer), "{marked}");
        }
    }

    #[test]
    fn numbers_outside_every_range_are_refused() {
        for bad in [
            0,
            MAX_USER_ID + 1,
            i64::MAX,
            -CHANNEL_MARK, // channel 0
            -CHANNEL_MARK - MAX_CHANNEL_ID - 1,
            -2_000_000_000_000, // a secret chat
            i64::MIN,
        ] {
            assert_eq!(PeerId::from_bot_api_id(bad), None, "{bad}");
        }
        // Bogus ids never overflow.
        assert_eq!(PeerId::Chat(i64::MIN).bot_api_id(), i64::MAX);
        assert_eq!(PeerId::Channel(i64::MAX).bot_api_id(), i64::MIN);
    }

    #[test]
    fn tl_peer_round_trip() {
        for p in [PeerId::User(5), PeerId::Chat(6), PeerId::Channel(7)] {
            assert_eq!(PeerId::from_peer(&p.to_peer()), p);
            assert_eq!(p.bare_id(), PeerId::from_peer(&p.to_peer()).bare_id());
        }
    }
}
