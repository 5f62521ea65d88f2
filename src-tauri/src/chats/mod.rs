//! Chats in the app: the IPC types of the dialog list and the chat view ([`types`]) and
//! the thin layer that answers the chat commands from the shared account service
//! (`hearth-accounts`' chats), so the logic lives there and this module only translates.

pub mod convert;
pub mod types;

use hearth_accounts::{AccountId, Accounts, HistoryAnchor, LastChat};
use tokio::sync::broadcast::error::RecvError;

use crate::error::CommandError;
use convert::{chat_event, chat_message, chat_search, dialogs_page};
use types::{
    ChatEvent, ChatMessage, ChatSearch, DialogsPage, HistoryRequest, OpenChat, SearchAfter,
};

/// Results per page of a chat's search.
const SEARCH_PAGE: i32 = 30;

/// Each chat command is one call here.
pub struct AppChats<'a>(pub &'a Accounts);

impl AppChats<'_> {
    pub async fn dialogs(&self, account: i64, restart: bool) -> Result<DialogsPage, CommandError> {
        Ok(dialogs_page(
            self.0.dialogs_page(AccountId(account), restart).await?,
        ))
    }

    pub async fn history(
        &self,
        account: i64,
        request: HistoryRequest,
    ) -> Result<Vec<ChatMessage>, CommandError> {
        let anchor = match (request.older_than, request.newer_than, request.around) {
            (Some(id), None, None) => HistoryAnchor::Older(id),
            (None, Some(id), None) => HistoryAnchor::Newer(id),
            (None, None, Some(id)) => HistoryAnchor::Around(id),
            (None, None, None) => HistoryAnchor::Latest,
            _ => {
                return Err(CommandError::new(
                    crate::error::codes::INVALID_INPUT,
                    "ask for history older than, newer than or around one message, not several",
                ))
            }
        };
        let list = self
            .0
            .history(AccountId(account), request.chat, anchor, request.limit)
            .await?;
        Ok(list.iter().map(chat_message).collect())
    }

    pub async fn search(
        &self,
        account: i64,
        chat: i64,
        query: &str,
        older_than: Option<i32>,
    ) -> Result<ChatSearch, CommandError> {
        let found = self
            .0
            .search_chat(
                AccountId(account),
                chat,
                query,
                older_than.unwrap_or(0),
                SEARCH_PAGE,
            )
            .await?;
        Ok(chat_search(&found))
    }

    pub async fn search_all(
        &self,
        account: i64,
        query: &str,
        after: Option<SearchAfter>,
    ) -> Result<ChatSearch, CommandError> {
        let after = after.map(|a| hearth_accounts::SearchAfter {
            rate: a.rate,
            chat: a.chat,
            id: a.id,
        });
        let found = self
            .0
            .search_all(AccountId(account), query, after, SEARCH_PAGE)
            .await?;
        Ok(chat_search(&found))
    }

    pub async fn send(
        &self,
        account: i64,
        chat: i64,
        text: &str,
        reply_to: Option<i32>,
    ) -> Result<ChatMessage, CommandError> {
        let sent = self
            .0
            .send_message(AccountId(account), chat, text, reply_to)
            .await?;
        Ok(chat_message(&sent))
    }

    pub async fn send_file_id(
        &self,
        account: i64,
        chat: i64,
        file_id: &str,
        caption: &str,
    ) -> Result<ChatMessage, CommandError> {
        let sent = self
            .0
            .send_file_id(AccountId(account), chat, file_id, caption)
            .await?;
        Ok(chat_message(&sent))
    }

    pub async fn edit(
        &self,
        account: i64,
        chat: i64,
        message: i32,
        text: &str,
    ) -> Result<ChatMessage, CommandError> {
        let edited = self
            .0
            .edit_message(AccountId(account), chat, message, text)
            .await?;
        Ok(chat_message(&edited))
    }

    pub async fn delete(
        &self,
        account: i64,
        chat: i64,
        ids: &[i32],
        revoke: bool,
    ) -> Result<(), CommandError> {
        Ok(self
            .0
            .delete_messages(AccountId(account), chat, ids, revoke)
            .await?)
    }

    /// The chat open when the app last quit, if its account is still here.
    pub fn last_open(&self) -> Result<Option<OpenChat>, CommandError> {
        Ok(self.0.last_chat()?.map(|l| OpenChat {
            account: l.account.0,
            chat: l.chat,
        }))
    }

    /// Remembers the open chat (`None`: none is open).
    pub fn set_last_open(&self, open: Option<OpenChat>) -> Result<(), CommandError> {
        Ok(self.0.set_last_chat(open.map(|o| LastChat {
            account: AccountId(o.account),
            chat: o.chat,
        }))?)
    }

    pub async fn read(&self, account: i64, chat: i64, max_id: i32) -> Result<(), CommandError> {
        Ok(self.0.read_chat(AccountId(account), chat, max_id).await?)
    }

    /// Forwards account `account`'s message changes to `sink` until it refuses one (the
    /// page is gone); a subscriber that fell behind is told to reload.
    pub async fn subscribe(
        &self,
        account: i64,
        sink: impl Fn(ChatEvent) -> bool + Send + 'static,
    ) -> Result<(), CommandError> {
        let mut rx = self.0.subscribe_messages(AccountId(account)).await?;
        tokio::spawn(async move {
            loop {
                let out = match rx.recv().await {
                    Ok(e) => chat_event(&e),
                    Err(RecvError::Lagged(_)) => ChatEvent::Reload,
                    Err(RecvError::Closed) => return,
                };
                if !sink(out) {
                    return;
                }
            }
        });
        Ok(())
    }
}
