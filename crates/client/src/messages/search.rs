//! Search within a chat (core.telegram.org/method/messages.search) and
//! over every chat (/method/messages.searchGlobal), newest first, paged by
//! `offset_id` (global search also by `offset_rate` and `offset_peer`).

use hearth_session::PeerId;
use hearth_tl::{enums, functions};

use super::model::Message;
use super::Messages;
use crate::error::ClientError;

/// One page of search results.
#[derive(Clone, Debug, PartialEq)]
pub struct SearchPage {
    pub messages: Vec<Message>,
    /// Matches in all, as the server counts them.
    pub total: i32,
    /// For the next page of a global search: pass it back as `offset_rate`.
    pub next_rate: Option<i32>,
}

impl Messages {
    /// Messages of `peer` whose text contains `query`, older than
    /// `offset_id` (0: from the newest).
    pub async fn search(
        &self,
        peer: PeerId,
        query: &str,
        offset_id: i32,
        limit: i32,
    ) -> Result<SearchPage, ClientError> {
        let answer = self
            .client
            .invoke(&functions::messages::Search {
                peer: self.input_peer(peer)?,
                q: query.to_owned(),
                from_id: None,
                saved_peer_id: None,
                saved_reaction: None,
                top_msg_id: None,
                filter: enums::MessagesFilter::InputMessagesFilterEmpty,
                min_date: 0,
                max_date: 0,
                offset_id,
                add_offset: 0,
                limit,
                max_id: 0,
                min_id: 0,
                hash: 0,
            })
            .await?;
        Ok(self.page(answer))
    }

    /// Messages of every chat whose text contains `query`; `offset_rate`
    /// is 0 for the first page, then the previous page's `next_rate` (with
    /// `offset` the chat and id of the last message of that page).
    pub async fn search_global(
        &self,
        query: &str,
        offset_rate: i32,
        offset: Option<(PeerId, i32)>,
        limit: i32,
    ) -> Result<SearchPage, ClientError> {
        let (offset_peer, offset_id) = match offset {
            Some((chat, id)) => (self.input_peer(chat)?, id),
            None => (enums::InputPeer::InputPeerEmpty, 0),
        };
        let answer = self
            .client
            .invoke(&functions::messages::SearchGlobal {
                broadcasts_only: false,
                groups_only: false,
                users_only: false,
                folder_id: None,
                community: None,
                q: query.to_owned(),
                filter: enums::MessagesFilter::InputMessagesFilterEmpty,
                min_date: 0,
                max_date: 0,
                offset_rate,
                offset_peer,
                offset_id,
                limit,
            })
            .await?;
        Ok(self.page(answer))
    }

    fn page(&self, answer: enums::messages::Messages) -> SearchPage {
        let next_rate = match &answer {
            enums::messages::Messages::MessagesSlice(s) => s.next_rate,
            _ => None,
        };
        let (list, total) = super::split(answer);
        let messages = self.models(&list);
        SearchPage {
            total: total.unwrap_or(messages.len() as i32),
            messages,
            next_rate,
        }
    }
}
