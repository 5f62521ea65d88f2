//! Updates (core.telegram.org/api/updates): a background task receives what
//! the server pushes and the `Updates` answers of requests, puts them in
//! order through `hearth_session`'s update engine (fetching
//! `updates.getDifference`/`getChannelDifference` when it finds a gap or the
//! server starts a new session), and hands them out through
//! [`Client::next_update`] in order, each once.
//!
//! The update state is saved when a batch has been handed out, so a restart
//! continues after the last update the app received and catches up with
//! what happened meanwhile.
//!
//! `updateLoginToken` (QR login) is taken out before ordering: it arrives
//! on a session that is not signed in yet.

mod task;

use std::sync::{Arc, Mutex};

use hearth_session::{SessionStorage, UpdateState};
use hearth_tl::enums;
use tokio::sync::{mpsc, watch, Mutex as AsyncMutex};

use crate::client::Client;
use crate::error::ClientError;

/// How many server pushes may wait for the update task before the
/// connection drops further ones (a gap the task then recovers).
pub(crate) const PUSH_QUEUE: usize = 1024;

/// One update, in order, with the users and chats of the batch it came in.
#[derive(Clone, Debug)]
pub struct Update {
    pub update: enums::Update,
    pub users: Arc<Vec<enums::User>>,
    pub chats: Arc<Vec<enums::Chat>>,
}

/// An update handed to the app, and the state to save once it is taken.
pub(crate) struct Delivery {
    pub update: Update,
    /// Set on the last update of a batch.
    pub state_after: Option<UpdateState>,
}

/// What the client and its update task share.
pub(crate) struct Shared {
    login_tokens: watch::Sender<u64>,
    answered_tx: mpsc::UnboundedSender<enums::Updates>,
    answered_rx: Mutex<Option<mpsc::UnboundedReceiver<enums::Updates>>>,
    delivered_tx: Mutex<Option<mpsc::UnboundedSender<Delivery>>>,
    delivered_rx: AsyncMutex<mpsc::UnboundedReceiver<Delivery>>,
    ended: Arc<watch::Sender<bool>>,
    pub(crate) signed_in: Arc<tokio::sync::Notify>,
    /// Updates queued but not yet taken, and a state to save once none is.
    backlog: Mutex<Backlog>,
}

#[derive(Default)]
struct Backlog {
    queued: usize,
    deferred: Option<UpdateState>,
}

impl Shared {
    pub fn new() -> Self {
        let (answered_tx, answered_rx) = mpsc::unbounded_channel();
        let (delivered_tx, delivered_rx) = mpsc::unbounded_channel();
        Self {
            login_tokens: watch::channel(0).0,
            answered_tx,
            answered_rx: Mutex::new(Some(answered_rx)),
            delivered_tx: Mutex::new(Some(delivered_tx)),
            delivered_rx: AsyncMutex::new(delivered_rx),
            ended: Arc::new(watch::channel(false).0),
            signed_in: Arc::default(),
            backlog: Mutex::default(),
        }
    }

    /// An `Updates` object that came as the answer to a request.
    pub fn answered(&self, updates: enums::Updates) {
        let _ = self.answered_tx.send(updates);
    }

    /// How many `updateLoginToken` arrived so far.
    pub fn login_tokens(&self) -> watch::Receiver<u64> {
        self.login_tokens.subscribe()
    }

    pub(crate) fn login_token_arrived(&self) {
        self.login_tokens.send_modify(|n| *n += 1);
    }

    /// The account just signed in: the task fetches the update state.
    pub fn signed_in(&self) {
        self.signed_in.notify_one();
    }

    fn backlog(&self) -> std::sync::MutexGuard<'_, Backlog> {
        self.backlog.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// One more update is on its way to the app.
    pub(crate) fn queued(&self) {
        self.backlog().queued += 1;
    }

    /// Saves `state` now when every update before it was taken, else once
    /// they are.
    pub(crate) fn save_or_defer(&self, storage: &dyn SessionStorage, state: UpdateState) {
        let mut backlog = self.backlog();
        if backlog.queued == 0 {
            drop(backlog);
            if let Err(e) = storage.save_update_state(&state) {
                tracing::warn!("saving the update state failed: {e}");
            }
        } else {
            backlog.deferred = Some(state);
        }
    }

    /// An update was taken: the state to save now, if any.
    fn taken(&self, state_after: Option<UpdateState>) -> Option<UpdateState> {
        let mut backlog = self.backlog();
        backlog.queued = backlog.queued.saturating_sub(1);
        if backlog.queued == 0 {
            if let Some(d) = backlog.deferred.take() {
                return Some(d);
            }
        }
        state_after
    }

    /// Waits until the update task has ended.
    pub async fn task_ended(&self) {
        let mut ended = self.ended.subscribe();
        let _ = ended.wait_for(|e| *e).await;
    }
}

/// Starts the update task. With `catch_up` off it only watches for login
/// tokens and otherwise discards what the server pushes.
pub(crate) fn start(
    client: &Client,
    pushes: mpsc::Receiver<hearth_sender::sender::UpdateEvent>,
    state: Option<UpdateState>,
    catch_up: bool,
) {
    let shared = &client.inner.updates;
    let answered = shared
        .answered_rx
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .take();
    let delivered = shared
        .delivered_tx
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .take();
    let (Some(answered), Some(delivered)) = (answered, delivered) else {
        return;
    };
    let weak = Arc::downgrade(&client.inner);
    let ended = shared.ended.clone();
    let task = task::Task::new(
        weak,
        pushes,
        answered,
        delivered,
        client.inner.stop.subscribe(),
        shared.signed_in.clone(),
        state,
        catch_up,
    );
    tokio::spawn(async move {
        task.run().await;
        ended.send_replace(true);
    });
}

impl Client {
    /// The next update, in order and each once; waits until one arrives.
    /// Fails with [`ClientError::Shutdown`] once the client stops.
    pub async fn next_update(&self) -> Result<Update, ClientError> {
        let mut stop = self.inner.stop.subscribe();
        let mut queue = tokio::select! {
            q = self.inner.updates.delivered_rx.lock() => q,
            _ = stop.wait_for(|s| *s) => return Err(ClientError::Shutdown),
        };
        let delivery = tokio::select! {
            d = queue.recv() => d.ok_or(ClientError::Shutdown)?,
            _ = stop.wait_for(|s| *s) => return Err(ClientError::Shutdown),
        };
        if let Some(state) = self.inner.updates.taken(delivery.state_after) {
            self.inner.storage.save_update_state(&state)?;
        }
        Ok(delivery.update)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use hearth_session::MemoryStorage;

    fn state(pts: i32) -> UpdateState {
        UpdateState {
            pts,
            ..UpdateState::default()
        }
    }

    #[test]
    fn a_state_is_saved_only_once_every_update_before_it_was_taken() {
        let shared = Shared::new();
        let storage = MemoryStorage::new();
        shared.save_or_defer(&storage, state(1));
        assert_eq!(
            storage.load().unwrap().update_state,
            Some(state(1)),
            "nothing queued: at once"
        );

        // Two updates queued (the second carries pts 3), then a difference
        // with nothing new moves the state to 4.
        shared.queued();
        shared.queued();
        shared.save_or_defer(&storage, state(4));
        assert_eq!(
            storage.load().unwrap().update_state,
            Some(state(1)),
            "deferred"
        );
        assert_eq!(shared.taken(None), None, "one still waits");
        assert_eq!(
            shared.taken(Some(state(3))),
            Some(state(4)),
            "the newest, once all are taken"
        );
        assert_eq!(shared.taken(Some(state(5))), Some(state(5)));
    }
}
