//! The chats of an account: the dialog list page by page, history around any message both
//! ways, sending with the client's markup and replies, edits, deletion, read marks and the
//! live message changes (core.telegram.org/api/offsets, /api/updates). The app's chat
//! screens and `hearth-cli`'s `dialogs`/`history`/`send` go through here.
//!
//! Invariants:
//! * one dialog cursor per account: [`Accounts::dialogs_page`] with `restart` begins again
//!   from the top, otherwise it continues where the last page ended;
//! * history pages are oldest first (as a chat is drawn), whichever way they were fetched;
//! * one task per account reads the client's message events ([`events`]) and shares them
//!   with every subscriber, so no two readers split the update stream;
//! * a failure is an [`AccountsError`] on the field where the user acted: `composer` for
//!   sending, `message` for editing and deleting.

mod events;
pub mod view;

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use hearth_client::{DialogPager, OutgoingMessage, PeerId};
use hearth_store::AccountId;
use tokio::sync::broadcast;

use super::{lock, Accounts};
use crate::error::AccountsError;
use view::{chat_dialog, chat_message, ChatDialog, ChatEvent, ChatMessage};

/// Dialogs asked for at once (Telegram's most).
pub const DIALOG_PAGE: i32 = 100;

/// Where a history page starts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HistoryAnchor {
    /// The newest messages.
    Latest,
    /// Messages older than this id.
    Older(i32),
    /// Messages newer than this id.
    Newer(i32),
    /// Messages around this id, it included.
    Around(i32),
}

/// One page of a chat's search results, newest first.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ChatSearch {
    pub messages: Vec<ChatMessage>,
    /// Matches in all, as the server counts them.
    pub total: i32,
    /// Where the next page of a search across every chat starts; `None` when the
    /// server has no more (a chat's own search pages by its oldest message instead).
    pub next: Option<SearchAfter>,
}

/// The place a page of a search across every chat ended (`messages.searchGlobal`'s
/// `next_rate` with the chat and id of the page's last message).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SearchAfter {
    pub rate: i32,
    pub chat: i64,
    pub id: i32,
}

/// One page of the dialog list.
#[derive(Clone, Debug, PartialEq)]
pub struct DialogsPage {
    pub dialogs: Vec<ChatDialog>,
    /// No further page.
    pub done: bool,
    /// The number of dialogs the server reports, when it does.
    pub total: Option<i32>,
}

/// The chat state the service keeps per account.
#[derive(Default)]
pub(crate) struct ChatsState {
    pagers: Mutex<HashMap<AccountId, Arc<tokio::sync::Mutex<DialogPager>>>>,
    pub(crate) streams: Mutex<HashMap<AccountId, broadcast::Sender<ChatEvent>>>,
}

/// The chat named by the Bot API id `chat`.
fn peer(chat: i64) -> Result<PeerId, AccountsError> {
    PeerId::from_bot_api_id(chat)
        .ok_or_else(|| AccountsError::invalid("chat", format!("{chat} names no chat")))
}

/// Whether the account behind `client` is a bot (Bot API file ids are shown only then).
fn is_bot(client: &hearth_client::Client) -> bool {
    client.me().is_some_and(|m| m.bot)
}

fn on(field: &'static str) -> impl Fn(hearth_client::ClientError) -> AccountsError {
    move |e| AccountsError::client(e, Some(field))
}

impl Accounts {
    /// The next page of account `id`'s dialogs (pinned first, then newest first); with
    /// `restart`, the first page.
    pub async fn dialogs_page(
        &self,
        id: AccountId,
        restart: bool,
    ) -> Result<DialogsPage, AccountsError> {
        let client = self.client(id).await?;
        let pager = {
            let mut pagers = lock(&self.inner.chats.pagers);
            if restart {
                pagers.remove(&id);
            }
            pagers
                .entry(id)
                .or_insert_with(|| {
                    Arc::new(tokio::sync::Mutex::new(
                        client.messages().dialogs(DIALOG_PAGE),
                    ))
                })
                .clone()
        };
        let mut pager = pager.lock().await;
        let page = pager.next_page().await.map_err(on("dialogs"))?;
        let peers = client.peers();
        Ok(match page {
            Some(list) => DialogsPage {
                dialogs: list
                    .iter()
                    .map(|d| chat_dialog(d, &peers, is_bot(&client)))
                    .collect(),
                done: false,
                total: pager.total(),
            },
            None => DialogsPage {
                dialogs: Vec::new(),
                done: true,
                total: pager.total(),
            },
        })
    }

    /// Up to `limit` (1–100) messages of `chat` from `anchor`, oldest first.
    pub async fn history(
        &self,
        id: AccountId,
        chat: i64,
        anchor: HistoryAnchor,
        limit: i32,
    ) -> Result<Vec<ChatMessage>, AccountsError> {
        let peer = peer(chat)?;
        let limit = limit.clamp(1, 100);
        let client = self.client(id).await?;
        let msgs = client.messages();
        let mut list = match anchor {
            HistoryAnchor::Latest => msgs.older_than(peer, 0, limit).await,
            HistoryAnchor::Older(m) => msgs.older_than(peer, m, limit).await,
            HistoryAnchor::Newer(m) => msgs.newer_than(peer, m, limit).await,
            HistoryAnchor::Around(m) => msgs.around(peer, m, limit).await,
        }
        .map_err(on("history"))?;
        list.sort_by_key(|m| m.id);
        list.dedup_by_key(|m| m.id);
        let peers = client.peers();
        Ok(list
            .iter()
            .map(|m| chat_message(m, &peers, is_bot(&client)))
            .collect())
    }

    /// Messages of `chat` whose text contains `query` (`messages.search`, matched by the
    /// server), newest first, older than `older_than` (0: from the newest); at most `limit`
    /// (1–100) and how many match in all.
    pub async fn search_chat(
        &self,
        id: AccountId,
        chat: i64,
        query: &str,
        older_than: i32,
        limit: i32,
    ) -> Result<ChatSearch, AccountsError> {
        let peer = peer(chat)?;
        let query = query.trim();
        if query.is_empty() {
            // Telegram would answer every message of the chat: nothing was asked for.
            return Ok(ChatSearch::default());
        }
        let client = self.client(id).await?;
        let page = client
            .messages()
            .search(peer, query, older_than.max(0), limit.clamp(1, 100))
            .await
            .map_err(on("search"))?;
        Ok(found(&client, &page))
    }

    /// Messages of every chat of the account whose text contains `query`
    /// (`messages.searchGlobal`), newest first: `limit` (1–100) of them from the start,
    /// or after where a previous page ended (its `next`), and how many match in all.
    pub async fn search_all(
        &self,
        id: AccountId,
        query: &str,
        after: Option<SearchAfter>,
        limit: i32,
    ) -> Result<ChatSearch, AccountsError> {
        let query = query.trim();
        if query.is_empty() {
            return Ok(ChatSearch::default());
        }
        let (rate, offset) = match after {
            Some(a) => (a.rate, Some((peer(a.chat)?, a.id))),
            None => (0, None),
        };
        let client = self.client(id).await?;
        let page = client
            .messages()
            .search_global(query, rate, offset, limit.clamp(1, 100))
            .await
            .map_err(on("search"))?;
        let mut result = found(&client, &page);
        result.next = match (page.next_rate, result.messages.last()) {
            (Some(rate), Some(last)) => Some(SearchAfter {
                rate,
                chat: last.chat,
                id: last.id,
            }),
            _ => None,
        };
        Ok(result)
    }

    /// Sends `text` (the client's markup: `**bold**`, `__italic__`, …) to `chat`, as a
    /// reply to `reply_to` when given; the sent message.
    pub async fn send_message(
        &self,
        id: AccountId,
        chat: i64,
        text: &str,
        reply_to: Option<i32>,
    ) -> Result<ChatMessage, AccountsError> {
        let peer = peer(chat)?;
        if text.trim().is_empty() {
            return Err(AccountsError::invalid(
                "composer",
                "type a message before sending",
            ));
        }
        let mut msg = OutgoingMessage::markup(text);
        if let Some(r) = reply_to {
            msg = msg.reply_to(r);
        }
        let client = self.client(id).await?;
        let sent = client
            .messages()
            .send(peer, msg)
            .await
            .map_err(on("composer"))?;
        Ok(chat_message(&sent, &client.peers(), is_bot(&client)))
    }

    /// Sends the photo or document a Bot API `file_id` names to `chat` with `caption`; the
    /// sent message. Errors are on the `file_id` field: a malformed id names what is wrong
    /// (`FILE_ID_INVALID`, `FILE_ID_NOT_SENDABLE`), an id this account was not given is the
    /// server's `MEDIA_EMPTY` in plain words (file ids belong to the bot that received them).
    pub async fn send_file_id(
        &self,
        id: AccountId,
        chat: i64,
        file_id: &str,
        caption: &str,
    ) -> Result<ChatMessage, AccountsError> {
        let peer = peer(chat)?;
        if file_id.trim().is_empty() {
            return Err(AccountsError::invalid("file_id", "paste a file id first"));
        }
        let client = self.client(id).await?;
        let input = client
            .peers()
            .input_peer(peer)
            .map_err(|e| AccountsError::client(e.into(), Some("chat")))?;
        let sent = client
            .send_file_id(input, file_id, caption)
            .await
            .map_err(|e| match e {
                hearth_client::FileError::Client(source) => {
                    AccountsError::client(source, Some("file_id"))
                }
                other => AccountsError::FileId(other),
            })?
            .ok_or_else(|| {
                AccountsError::invalid(
                    "file_id",
                    "Telegram sent the file but returned no message; reload the chat",
                )
            })?;
        let message = hearth_client::Message::from_tl(
            &hearth_tl::enums::Message::Message(sent),
            &client.peers(),
        )
        .ok_or_else(|| AccountsError::invalid("file_id", "the sent message is empty"))?;
        Ok(chat_message(&message, &client.peers(), is_bot(&client)))
    }

    /// Replaces message `message`'s text with `text` (markup as for sending).
    pub async fn edit_message(
        &self,
        id: AccountId,
        chat: i64,
        message: i32,
        text: &str,
    ) -> Result<ChatMessage, AccountsError> {
        let peer = peer(chat)?;
        if text.trim().is_empty() {
            return Err(AccountsError::invalid(
                "message",
                "a message cannot be edited to nothing; delete it instead",
            ));
        }
        let client = self.client(id).await?;
        let edited = client
            .messages()
            .edit(peer, message, OutgoingMessage::markup(text))
            .await
            .map_err(on("message"))?;
        Ok(chat_message(&edited, &client.peers(), is_bot(&client)))
    }

    /// Deletes messages of `chat`: for the account only, or for everyone with `revoke`.
    pub async fn delete_messages(
        &self,
        id: AccountId,
        chat: i64,
        ids: &[i32],
        revoke: bool,
    ) -> Result<(), AccountsError> {
        let peer = peer(chat)?;
        let client = self.client(id).await?;
        client
            .messages()
            .delete(peer, ids, revoke)
            .await
            .map_err(on("message"))
    }

    /// Marks `chat` read up to `max_id` (on the server, so other devices follow).
    pub async fn read_chat(
        &self,
        id: AccountId,
        chat: i64,
        max_id: i32,
    ) -> Result<(), AccountsError> {
        let peer = peer(chat)?;
        let client = self.client(id).await?;
        client
            .messages()
            .read(peer, max_id)
            .await
            .map_err(on("chat"))
    }

    /// Account `id`'s message changes from now on (opens its client if needed).
    pub async fn subscribe_messages(
        &self,
        id: AccountId,
    ) -> Result<broadcast::Receiver<ChatEvent>, AccountsError> {
        self.client(id).await?;
        Ok(events::subscribe(self, id))
    }
}

/// A page of search results as the chats show them.
fn found(client: &hearth_client::Client, page: &hearth_client::SearchPage) -> ChatSearch {
    let peers = client.peers();
    ChatSearch {
        messages: page
            .messages
            .iter()
            .map(|m| chat_message(m, &peers, is_bot(client)))
            .collect(),
        total: page.total,
        next: None,
    }
}
