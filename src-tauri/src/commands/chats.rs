//! Chat commands: each is one call into [`crate::chats::AppChats`] (over the shared
//! `hearth-accounts` service); each needs a permission in `capabilities/`. Failures carry
//! the field where the user acted (`composer`, `message`), so the UI shows them there.

use tauri::ipc::Channel;
use tauri::State;

use crate::chats::types::{
    ChatEvent, ChatMessage, ChatSearch, DialogsPage, HistoryRequest, OpenChat, SearchAfter,
};
use crate::chats::AppChats;
use crate::error::CommandError;
use crate::startup::AppState;

fn chats(state: &AppState) -> AppChats<'_> {
    AppChats(state.accounts().service())
}

/// `list_dialogs`: the next page of the account's dialogs (`restart`: the first).
#[tauri::command]
pub async fn list_dialogs(
    state: State<'_, AppState>,
    account: i64,
    restart: bool,
) -> Result<DialogsPage, CommandError> {
    chats(&state).dialogs(account, restart).await
}

/// `chat_history`: a page of a chat's history, oldest first.
#[tauri::command]
pub async fn chat_history(
    state: State<'_, AppState>,
    account: i64,
    request: HistoryRequest,
) -> Result<Vec<ChatMessage>, CommandError> {
    chats(&state).history(account, request).await
}

/// `search_chat`: the messages of `chat` whose text contains `query`, newest first, older
/// than `older_than` (the next page) when given.
#[tauri::command]
pub async fn search_chat(
    state: State<'_, AppState>,
    account: i64,
    chat: i64,
    query: String,
    older_than: Option<i32>,
) -> Result<ChatSearch, CommandError> {
    chats(&state)
        .search(account, chat, &query, older_than)
        .await
}

/// `search_messages`: the messages of every chat whose text contains `query`, newest
/// first: the first page, or the one after `after` (the previous page's `next`).
#[tauri::command]
pub async fn search_messages(
    state: State<'_, AppState>,
    account: i64,
    query: String,
    after: Option<SearchAfter>,
) -> Result<ChatSearch, CommandError> {
    chats(&state).search_all(account, &query, after).await
}

/// `send_message`: sends `text` (markup) to `chat`, replying to `reply_to` if set.
#[tauri::command]
pub async fn send_message(
    state: State<'_, AppState>,
    account: i64,
    chat: i64,
    text: String,
    reply_to: Option<i32>,
) -> Result<ChatMessage, CommandError> {
    chats(&state).send(account, chat, &text, reply_to).await
}

/// `send_file_id`: sends the photo or document a pasted Bot API `file_id` names to `chat`
/// (bot accounts), with `caption`.
#[tauri::command]
pub async fn send_file_id(
    state: State<'_, AppState>,
    account: i64,
    chat: i64,
    file_id: String,
    caption: Option<String>,
) -> Result<ChatMessage, CommandError> {
    chats(&state)
        .send_file_id(
            account,
            chat,
            &file_id,
            caption.as_deref().unwrap_or_default(),
        )
        .await
}

/// `edit_message`: replaces a message's text.
#[tauri::command]
pub async fn edit_message(
    state: State<'_, AppState>,
    account: i64,
    chat: i64,
    message: i32,
    text: String,
) -> Result<ChatMessage, CommandError> {
    chats(&state).edit(account, chat, message, &text).await
}

/// `delete_messages`: deletes for the account, or for everyone with `revoke`.
#[tauri::command]
pub async fn delete_messages(
    state: State<'_, AppState>,
    account: i64,
    chat: i64,
    ids: Vec<i32>,
    revoke: bool,
) -> Result<(), CommandError> {
    chats(&state).delete(account, chat, &ids, revoke).await
}

/// `last_open_chat`: the chat open when the app last quit, to reopen at start.
#[tauri::command]
pub fn last_open_chat(state: State<'_, AppState>) -> Result<Option<OpenChat>, CommandError> {
    chats(&state).last_open()
}

/// `set_open_chat`: remembers the open chat (`null`: none) for the next start.
#[tauri::command]
pub fn set_open_chat(
    state: State<'_, AppState>,
    open: Option<OpenChat>,
) -> Result<(), CommandError> {
    chats(&state).set_last_open(open)
}

/// `read_chat`: marks the chat read up to `max_id` on the server.
#[tauri::command]
pub async fn read_chat(
    state: State<'_, AppState>,
    account: i64,
    chat: i64,
    max_id: i32,
) -> Result<(), CommandError> {
    chats(&state).read(account, chat, max_id).await
}

/// `subscribe_chat_events`: the account's message changes on `on_event`, until the page
/// goes away.
#[tauri::command]
pub async fn subscribe_chat_events(
    state: State<'_, AppState>,
    account: i64,
    on_event: Channel<ChatEvent>,
) -> Result<(), CommandError> {
    chats(&state)
        .subscribe(account, move |event| on_event.send(event).is_ok())
        .await
}
