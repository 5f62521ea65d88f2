//! The error for a peer the account cannot address yet.
//!
//! Telegram answers `PEER_ID_INVALID` (or `CHANNEL_INVALID`, `USER_ID_INVALID`) when a request
//! names a user or channel with a wrong or missing access hash. Instead of sending such a
//! request, the cache reports which peer it lacks and how the account can meet it — the ways
//! Pyrogram's FAQ on `PEER_ID_INVALID` lists: be in a dialog with it and load the dialogs,
//! resolve its @username, receive or read a message from it (or list the members of a group it
//! is in), or have it in the contacts by phone number.

use std::fmt;

use super::PeerId;

/// Why no usable access hash is known.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NotMetReason {
    /// The peer was never seen.
    Unknown,
    /// Only a `min` constructor was seen (in a group's message or a forward); its access hash
    /// cannot address the peer directly (core.telegram.org/api/min).
    MinOnly,
    /// The peer was seen, but without an access hash.
    NoAccessHash,
}

/// The peer was never met (with a full access hash); [`fmt::Display`] says how to meet it.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub struct PeerNotMet {
    pub id: PeerId,
    pub reason: NotMetReason,
}

impl PeerNotMet {
    pub fn new(id: PeerId, reason: NotMetReason) -> Self {
        PeerNotMet { id, reason }
    }
}

impl fmt::Display for PeerNotMet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let id = self.id;
        let marked = id.bot_api_id();
        match self.reason {
            NotMetReason::Unknown => write!(
                f,
                "{id} (Bot API id {marked}) was never met by this account, so there is no access hash to address it (Telegram would answer PEER_ID_INVALID)"
            )?,
            NotMetReason::MinOnly => write!(
                f,
                "{id} (Bot API id {marked}) was only seen inside another chat's messages (a \"min\" constructor), whose access hash cannot address it directly (Telegram would answer PEER_ID_INVALID)"
            )?,
            NotMetReason::NoAccessHash => write!(
                f,
                "{id} (Bot API id {marked}) was seen without an access hash, so it cannot be addressed yet (Telegram would answer PEER_ID_INVALID)"
            )?,
        }
        f.write_str(". Meet it first in one of these ways: ")?;
        match id {
            PeerId::User(_) => f.write_str(
                "if you have a chat with it, load your dialogs (messages.getDialogs); \
                 resolve its @username (contacts.resolveUsername); \
                 receive or read a message from it, or list the members of a group it is in \
                 (channels.getParticipants); \
                 or have it in your contacts by its phone number (contacts.importContacts, then contacts.getContacts)",
            ),
            PeerId::Chat(_) | PeerId::Channel(_) => f.write_str(
                "if you are a member, load your dialogs (messages.getDialogs); \
                 resolve its public @username (contacts.resolveUsername); \
                 open an invite link to it (messages.checkChatInvite); \
                 or receive or read a message that was forwarded from it or mentions it",
            ),
        }
    }
}
