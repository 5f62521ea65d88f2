//! Live message changes as typed events, over the ordered, gap-recovered
//! updates of [`Client::next_update`](crate::Client::next_update)
//! (core.telegram.org/api/updates). Short updates (`updateShortMessage`,
//! `updateShortChatMessage`) reach this layer already expanded to
//! `updateNewMessage` by the update engine; what the client is offline for
//! arrives after reconnecting through `getDifference`, in order, once.
//!
//! Invariant: events come in the order of the updates that carry them; an
//! update that is no message change yields no event. A message the
//! account sent itself comes back from the engine without its content
//! (`messageEmpty`, the answer carried it) and yields no event.

use hearth_session::PeerId;
use hearth_tl::enums;

use super::model::Message;
use super::Messages;
use crate::error::ClientError;
use crate::updates::Update;
use crate::Peers;

/// One change to the account's messages.
#[derive(Clone, Debug, PartialEq)]
pub enum MessageEvent {
    New(Message),
    Edited(Message),
    /// Messages deleted: in a channel (`channel`), else in the account's
    /// private chats and basic groups (ids are unique over those).
    Deleted {
        channel: Option<i64>,
        ids: Vec<i32>,
    },
    /// The account read `chat` up to `max_id` (on this or another device).
    ReadInbox {
        chat: PeerId,
        max_id: i32,
        still_unread: i32,
    },
    /// The other side read the account's messages in `chat` up to `max_id`.
    ReadOutbox {
        chat: PeerId,
        max_id: i32,
    },
}

/// The event `update` carries, if any.
pub fn event_of(update: &enums::Update, peers: &Peers) -> Option<MessageEvent> {
    use enums::Update as U;
    Some(match update {
        U::UpdateNewMessage(u) => MessageEvent::New(Message::from_tl(&u.message, peers)?),
        U::UpdateNewChannelMessage(u) => MessageEvent::New(Message::from_tl(&u.message, peers)?),
        U::UpdateEditMessage(u) => MessageEvent::Edited(Message::from_tl(&u.message, peers)?),
        U::UpdateEditChannelMessage(u) => {
            MessageEvent::Edited(Message::from_tl(&u.message, peers)?)
        }
        U::UpdateDeleteMessages(u) => MessageEvent::Deleted {
            channel: None,
            ids: u.messages.clone(),
        },
        U::UpdateDeleteChannelMessages(u) => MessageEvent::Deleted {
            channel: Some(u.channel_id),
            ids: u.messages.clone(),
        },
        U::UpdateReadHistoryInbox(u) => MessageEvent::ReadInbox {
            chat: PeerId::from_peer(&u.peer),
            max_id: u.max_id,
            still_unread: u.still_unread_count,
        },
        U::UpdateReadHistoryOutbox(u) => MessageEvent::ReadOutbox {
            chat: PeerId::from_peer(&u.peer),
            max_id: u.max_id,
        },
        U::UpdateReadChannelInbox(u) => MessageEvent::ReadInbox {
            chat: PeerId::Channel(u.channel_id),
            max_id: u.max_id,
            still_unread: u.still_unread_count,
        },
        U::UpdateReadChannelOutbox(u) => MessageEvent::ReadOutbox {
            chat: PeerId::Channel(u.channel_id),
            max_id: u.max_id,
        },
        _ => return None,
    })
}

impl Messages {
    /// The next message change, in order; waits for one. Other updates
    /// are taken and dropped, so one task should read either this or
    /// [`Client::next_update`](crate::Client::next_update), not both.
    pub async fn next_event(&self) -> Result<MessageEvent, ClientError> {
        loop {
            let Update { update, .. } = self.client.next_update().await?;
            if let Some(e) = event_of(&update, &self.client.peers()) {
                return Ok(e);
            }
        }
    }
}
