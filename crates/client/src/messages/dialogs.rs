//! The dialog list with Telegram's paging (core.telegram.org/api/offsets,
//! /method/messages.getDialogs): each next page starts after the last
//! dialog of the previous one (`offset_date` of its top message,
//! `offset_id`, `offset_peer`), until a `messages.dialogs` (everything) or
//! a page that brings nothing new. Pinned dialogs come first, in the
//! server's order; folders are ignored (`dialogFolder` entries are skipped).
//!
//! Invariant: a pager never yields a dialog twice, and stops even if the
//! server repeats a page.

use std::collections::HashSet;

use hearth_session::PeerId;
use hearth_tl::{enums, functions, types};

use super::model::{Dialog, Message};
use super::Messages;
use crate::error::ClientError;

/// Pages through the account's dialogs.
#[derive(Debug)]
pub struct DialogPager {
    msgs: Messages,
    page_size: i32,
    offset_date: i32,
    offset_id: i32,
    offset_peer: enums::InputPeer,
    total: Option<i32>,
    seen: HashSet<PeerId>,
    done: bool,
}

impl Messages {
    /// The dialog list, `page_size` (1–100) dialogs per request.
    pub fn dialogs(&self, page_size: i32) -> DialogPager {
        DialogPager {
            msgs: self.clone(),
            page_size: page_size.clamp(1, 100),
            offset_date: 0,
            offset_id: 0,
            offset_peer: enums::InputPeer::InputPeerEmpty,
            total: None,
            seen: HashSet::new(),
            done: false,
        }
    }
}

impl Messages {
    /// Pins (or unpins) `peer`'s dialog (messages.toggleDialogPin).
    pub async fn pin_dialog(&self, peer: PeerId, pinned: bool) -> Result<(), ClientError> {
        self.client
            .invoke(&functions::messages::ToggleDialogPin {
                pinned,
                peer: enums::InputDialogPeer::InputDialogPeer(types::InputDialogPeer {
                    peer: self.input_peer(peer)?,
                }),
            })
            .await?;
        Ok(())
    }
}

impl DialogPager {
    /// How many dialogs the server says there are (after the first page).
    pub fn total(&self) -> Option<i32> {
        self.total
    }

    /// The next page; `None` once every dialog was given.
    pub async fn next_page(&mut self) -> Result<Option<Vec<Dialog>>, ClientError> {
        if self.done {
            return Ok(None);
        }
        let answer = self
            .msgs
            .client
            .invoke(&functions::messages::GetDialogs {
                exclude_pinned: false,
                folder_id: None,
                offset_date: self.offset_date,
                offset_id: self.offset_id,
                offset_peer: self.offset_peer.clone(),
                limit: self.page_size,
                hash: 0,
            })
            .await?;
        use enums::messages::Dialogs as D;
        let (dialogs, messages) = match answer {
            D::Dialogs(d) => {
                self.done = true;
                (d.dialogs, d.messages)
            }
            D::DialogsSlice(d) => {
                self.total = Some(d.count);
                (d.dialogs, d.messages)
            }
            D::DialogsNotModified(_) => {
                self.done = true;
                return Ok(None);
            }
        };
        let models = self.msgs.models(&messages);
        let page: Vec<(types::Dialog, Option<Message>)> = dialogs
            .into_iter()
            .filter_map(|d| match d {
                enums::Dialog::Dialog(d) => Some(d),
                _ => None,
            })
            .map(|d| {
                let peer = PeerId::from_peer(&d.peer);
                let top = models
                    .iter()
                    .find(|m| m.chat == peer && m.id == d.top_message)
                    .cloned();
                (d, top)
            })
            .collect();
        if let Some((last, top)) = page.last() {
            self.offset_peer = self.msgs.input_peer(PeerId::from_peer(&last.peer))?;
            self.offset_id = last.top_message;
            if let Some(top) = top {
                self.offset_date = top.date;
            }
        }
        let peers = self.msgs.client.peers();
        let fresh: Vec<Dialog> = page
            .into_iter()
            .filter(|(d, _)| self.seen.insert(PeerId::from_peer(&d.peer)))
            .map(|(d, top)| {
                let peer = PeerId::from_peer(&d.peer);
                Dialog {
                    peer,
                    title: peers.get(peer).map(|p| p.title).unwrap_or_default(),
                    top_message_id: d.top_message,
                    top_message: top,
                    unread_count: d.unread_count,
                    unread_mentions_count: d.unread_mentions_count,
                    read_inbox_max_id: d.read_inbox_max_id,
                    read_outbox_max_id: d.read_outbox_max_id,
                    pinned: d.pinned,
                }
            })
            .collect();
        let everything = self
            .total
            .is_some_and(|t| self.seen.len() >= usize::try_from(t).unwrap_or(0));
        if fresh.is_empty() || everything {
            self.done = true;
        }
        if fresh.is_empty() {
            return Ok(None);
        }
        Ok(Some(fresh))
    }

    /// Every remaining dialog, page after page.
    pub async fn all(mut self) -> Result<Vec<Dialog>, ClientError> {
        let mut out = Vec::new();
        while let Some(page) = self.next_page().await? {
            out.extend(page);
        }
        Ok(out)
    }
}
