//! History around any message (core.telegram.org/api/offsets,
//! /method/messages.getHistory) and messages by id
//! (/method/messages.getMessages, /method/channels.getMessages).
//!
//! Every list is newest first, as Telegram gives it. "Older than X" is
//! `offset_id = X`; "newer than X" is `offset_id = X + 1, add_offset =
//! -limit` with `min_id = X`; "around X" is `offset_id = X, add_offset =
//! -limit/2` (X included when it exists).
//!
//! Invariant: a [`HistoryPager`] moves one way only and never yields a
//! message twice.

use std::collections::HashSet;

use hearth_session::PeerId;
use hearth_tl::{enums, functions, types};

use super::model::Message;
use super::{split, Messages};
use crate::error::ClientError;

/// Which way a [`HistoryPager`] pages.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Direction {
    Older,
    Newer,
}

/// Pages through a chat's history from a message, one way.
#[derive(Debug)]
pub struct HistoryPager {
    msgs: Messages,
    peer: PeerId,
    direction: Direction,
    /// Older: the oldest id given so far (0: start at the newest);
    /// newer: the newest id given so far.
    offset: i32,
    page_size: i32,
    seen: HashSet<i32>,
    done: bool,
}

impl Messages {
    async fn get_history(
        &self,
        peer: PeerId,
        offset_id: i32,
        add_offset: i32,
        limit: i32,
        min_id: i32,
    ) -> Result<(Vec<Message>, Option<i32>), ClientError> {
        let answer = self
            .client
            .invoke(&functions::messages::GetHistory {
                peer: self.input_peer(peer)?,
                offset_id,
                offset_date: 0,
                add_offset,
                limit,
                max_id: 0,
                min_id,
                hash: 0,
            })
            .await?;
        let (list, count) = split(answer);
        Ok((self.models(&list), count))
    }

    /// Up to `limit` messages older than `id` (0: the newest), newest first.
    pub async fn older_than(
        &self,
        peer: PeerId,
        id: i32,
        limit: i32,
    ) -> Result<Vec<Message>, ClientError> {
        Ok(self.get_history(peer, id, 0, limit, 0).await?.0)
    }

    /// Up to `limit` messages newer than `id`, newest first.
    pub async fn newer_than(
        &self,
        peer: PeerId,
        id: i32,
        limit: i32,
    ) -> Result<Vec<Message>, ClientError> {
        let offset = id.saturating_add(1);
        let (mut list, _) = self.get_history(peer, offset, -limit, limit, id).await?;
        list.retain(|m| m.id > id);
        Ok(list)
    }

    /// Up to `limit` messages around `id` (it included), newest first.
    pub async fn around(
        &self,
        peer: PeerId,
        id: i32,
        limit: i32,
    ) -> Result<Vec<Message>, ClientError> {
        Ok(self.get_history(peer, id, -(limit / 2), limit, 0).await?.0)
    }

    /// Pages through `peer`'s history from `from` (exclusive; 0 with
    /// [`Direction::Older`] starts at the newest message).
    pub fn history(
        &self,
        peer: PeerId,
        direction: Direction,
        from: i32,
        page_size: i32,
    ) -> HistoryPager {
        HistoryPager {
            msgs: self.clone(),
            peer,
            direction,
            offset: from,
            page_size: page_size.clamp(1, 100),
            seen: HashSet::new(),
            done: false,
        }
    }

    /// The messages with these ids, in the order asked; `None` for an id
    /// that does not exist (or was deleted).
    pub async fn get(
        &self,
        peer: PeerId,
        ids: &[i32],
    ) -> Result<Vec<Option<Message>>, ClientError> {
        let input: Vec<enums::InputMessage> = ids
            .iter()
            .map(|id| enums::InputMessage::InputMessageId(types::InputMessageId { id: *id }))
            .collect();
        let answer = match peer {
            PeerId::Channel(c) => {
                self.client
                    .invoke(&functions::channels::GetMessages {
                        channel: self.input_channel(c)?,
                        id: input,
                    })
                    .await?
            }
            _ => {
                self.client
                    .invoke(&functions::messages::GetMessages { id: input })
                    .await?
            }
        };
        let found = self.models(&split(answer).0);
        Ok(ids
            .iter()
            .map(|id| found.iter().find(|m| m.id == *id).cloned())
            .collect())
    }
}

impl HistoryPager {
    /// The next page, newest first; `None` at the end of the history.
    pub async fn next_page(&mut self) -> Result<Option<Vec<Message>>, ClientError> {
        if self.done {
            return Ok(None);
        }
        let (m, peer, n) = (&self.msgs, self.peer, self.page_size);
        let page = match self.direction {
            Direction::Older => m.older_than(peer, self.offset, n).await?,
            Direction::Newer => m.newer_than(peer, self.offset, n).await?,
        };
        let fresh: Vec<Message> = page
            .into_iter()
            .filter(|msg| self.seen.insert(msg.id))
            .collect();
        if fresh.len() < n as usize {
            self.done = true;
        }
        let next = match self.direction {
            Direction::Older => fresh.iter().map(|m| m.id).min(),
            Direction::Newer => fresh.iter().map(|m| m.id).max(),
        };
        match next {
            Some(id) => self.offset = id,
            None => {
                self.done = true;
                return Ok(None);
            }
        }
        Ok(Some(fresh))
    }
}
