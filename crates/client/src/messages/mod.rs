//! Messages and dialogs over the client (core.telegram.org/api/offsets,
//! /api/entities, /api/updates): a typed model built from raw TL with the
//! peer cache ([`model`]), the dialog list with Telegram's paging
//! ([`dialogs`]), history both ways around any message and messages by id
//! ([`history`]), sending with entities from a Markdown-like markup
//! ([`markup`]), replies, edits, deletion, forwarding, read marks and search
//! ([`send`], [`search`]), and live changes as [`MessageEvent`]s
//! ([`events`]).
//!
//! Everything goes through a [`Messages`] handle ([`Client::messages`]):
//! a client plus the source of `random_id`s. Invariants: a `random_id` is
//! drawn from the handle's generator (the OS by default, injected in
//! tests) and never handed out twice by one generator; offsets and lengths
//! of entities are UTF-16 code units; channel messages use the `channels.*`
//! methods where Telegram requires them (get, delete, read).

pub mod dialogs;
pub mod entity;
pub mod events;
pub mod history;
pub mod markup;
pub mod model;
pub mod random;
pub mod search;
pub mod send;
mod service;

use std::sync::Arc;

use hearth_session::PeerId;
use hearth_tl::enums;

use crate::client::Client;
use crate::error::ClientError;

pub use dialogs::DialogPager;
pub use entity::{Entity, EntityKind};
pub use events::MessageEvent;
pub use history::HistoryPager;
pub use model::{Dialog, DocumentKind, Forwarded, Media, Message, PhotoSize};
pub use random::RandomIds;
pub use search::SearchPage;
pub use send::OutgoingMessage;

/// Message and dialog calls of one client. Cheap to clone.
#[derive(Clone)]
pub struct Messages {
    client: Client,
    ids: Arc<RandomIds>,
}

impl std::fmt::Debug for Messages {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Messages")
            .field("client", &self.client)
            .finish()
    }
}

impl Client {
    /// Message and dialog calls, with `random_id`s from the operating
    /// system's generator (one generator per process).
    pub fn messages(&self) -> Messages {
        Messages::with_random_ids(self.clone(), RandomIds::process())
    }
}

impl Messages {
    /// Message calls drawing `random_id`s from `ids`.
    pub fn with_random_ids(client: Client, ids: Arc<RandomIds>) -> Messages {
        Messages { client, ids }
    }

    pub fn client(&self) -> &Client {
        &self.client
    }

    fn input_peer(&self, peer: PeerId) -> Result<enums::InputPeer, ClientError> {
        Ok(self.client.peers().input_peer(peer)?)
    }

    fn input_channel(&self, channel: i64) -> Result<enums::InputChannel, ClientError> {
        Ok(self.client.peers().input_channel(channel)?)
    }

    /// The models of `list` (empty messages left out), in order.
    fn models(&self, list: &[enums::Message]) -> Vec<Message> {
        let peers = self.client.peers();
        list.iter()
            .filter_map(|m| Message::from_tl(m, &peers))
            .collect()
    }

    fn protocol(&self, detail: String) -> ClientError {
        ClientError::Protocol {
            dc: self.client.home_dc(),
            detail,
        }
    }
}

/// The messages and total count of a `messages.Messages` answer.
pub(crate) fn split(answer: enums::messages::Messages) -> (Vec<enums::Message>, Option<i32>) {
    use enums::messages::Messages as M;
    match answer {
        M::Messages(m) => {
            let n = m.messages.len() as i32;
            (m.messages, Some(n))
        }
        M::MessagesSlice(m) => (m.messages, Some(m.count)),
        M::ChannelMessages(m) => (m.messages, Some(m.count)),
        M::MessagesNotModified(m) => (Vec::new(), Some(m.count)),
    }
}
