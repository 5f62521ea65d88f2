//! One task per account reads its client's [`MessageEvent`](hearth_client::MessageEvent)s
//! and broadcasts their views to every subscriber (core.telegram.org/api/updates: the
//! client has already put the updates in order and recovered gaps).
//!
//! Invariants: at most one reader per account (the update stream is consumed, so two
//! would split it); the task ends when its last subscriber is gone (seen at the next event),
//! when the account can no longer be opened, or when the service is dropped; a client that
//! was closed and reopened (a proxy change) is followed.

use std::sync::{Arc, Weak};
use std::time::Duration;

use hearth_store::AccountId;
use tokio::sync::broadcast;

use super::view::{chat_event, ChatEvent};
use crate::error::AccountsError;
use crate::service::{lock, Accounts, Inner};

/// Events a slow subscriber may fall behind before it misses some (it then reloads).
const BUFFER: usize = 1024;

/// How long to wait before asking for a client again after its stream ended.
const REOPEN_WAIT: Duration = Duration::from_millis(500);

/// A receiver of account `id`'s changes, starting its reader when none runs.
pub(crate) fn subscribe(accounts: &Accounts, id: AccountId) -> broadcast::Receiver<ChatEvent> {
    let mut streams = lock(&accounts.inner.chats.streams);
    if let Some(tx) = streams.get(&id) {
        return tx.subscribe();
    }
    let (tx, rx) = broadcast::channel(BUFFER);
    streams.insert(id, tx.clone());
    tokio::spawn(read(Arc::downgrade(&accounts.inner), id, tx));
    rx
}

fn finish(service: &Weak<Inner>, id: AccountId) {
    if let Some(inner) = service.upgrade() {
        lock(&inner.chats.streams).remove(&id);
    }
}

async fn read(service: Weak<Inner>, id: AccountId, tx: broadcast::Sender<ChatEvent>) {
    loop {
        let Some(inner) = service.upgrade() else {
            return;
        };
        let accounts = Accounts { inner };
        let client = match accounts.client(id).await {
            Ok(c) => c,
            Err(AccountsError::NoSuchAccount(_) | AccountsError::NotSignedIn(_)) => {
                drop(accounts);
                finish(&service, id);
                return;
            }
            Err(e) => {
                tracing::debug!(account = %id, error = %e, "message events wait for the client");
                drop(accounts);
                tokio::time::sleep(REOPEN_WAIT * 4).await;
                continue;
            }
        };
        drop(accounts);
        let messages = client.messages();
        loop {
            match messages.next_event().await {
                Ok(event) => {
                    let view = chat_event(&event, &client.peers(), super::is_bot(&client));
                    if tx.send(view).is_err() {
                        // Nobody listens any more. Checked under the map's lock so a new
                        // subscriber either sees this sender or starts another reader.
                        if let Some(inner) = service.upgrade() {
                            let mut streams = lock(&inner.chats.streams);
                            if tx.receiver_count() == 0 {
                                streams.remove(&id);
                                return;
                            }
                        } else {
                            return;
                        }
                    }
                }
                Err(e) => {
                    tracing::debug!(account = %id, error = %e, "message events ended; reopening");
                    break;
                }
            }
        }
        tokio::time::sleep(REOPEN_WAIT).await;
    }
}
