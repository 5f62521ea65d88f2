//! [`Transfers`]: the media transfers of one data directory's accounts — downloads of a
//! message's photo or document to a chosen path, uploads of a local file sent to a chat as a
//! photo or a document — with their progress, cancellation and end state, shared by the app
//! and `hearth-cli` (core.telegram.org/api/files; the bytes move in `hearth_client::files`).
//!
//! Invariants:
//! * a transfer that cannot start (no account, peer not met, no such message, no media, no
//!   local file) is refused with its error and never listed;
//! * a download writes `<path>.part` and renames it to `<path>` only when complete, so a
//!   file at the destination is always whole; a failed or cancelled download leaves the
//!   `.part` file, from which the next download to the same path resumes;
//! * every change of a transfer (progress, end state) is announced on
//!   [`Transfers::subscribe`] after the table is updated, and a finished transfer never
//!   changes again.

mod error;
mod start;
mod view;

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use hearth_client::files::CancellationToken;
use hearth_client::{FileError, Progress};
use tokio::sync::{broadcast, watch};

use super::lock;
use crate::service::Accounts;

pub use error::TransferError;
pub use start::{Destination, DownloadRequest, UploadRequest, PHOTO_MAX};
pub use view::{TransferId, TransferKind, TransferState, TransferView};

/// How many changes a slow subscriber may fall behind before it misses some (it then sees
/// `RecvError::Lagged` and should list the transfers again).
const EVENT_BUFFER: usize = 512;

/// The transfer manager. Cheap to clone; clones share everything.
#[derive(Clone)]
pub struct Transfers {
    inner: Arc<Inner>,
}

struct Inner {
    accounts: Accounts,
    next: AtomicU64,
    table: Mutex<HashMap<TransferId, Entry>>,
    events: broadcast::Sender<TransferView>,
}

struct Entry {
    view: TransferView,
    cancel: CancellationToken,
}

impl Transfers {
    /// The transfers of `accounts`' data directory (one manager per service).
    pub fn new(accounts: Accounts) -> Self {
        Transfers {
            inner: Arc::new(Inner {
                accounts,
                next: AtomicU64::new(1),
                table: Mutex::default(),
                events: broadcast::channel(EVENT_BUFFER).0,
            }),
        }
    }

    pub(crate) fn accounts(&self) -> &Accounts {
        &self.inner.accounts
    }

    /// Every transfer of this run, oldest first.
    pub fn list(&self) -> Vec<TransferView> {
        let mut all: Vec<TransferView> = lock(&self.inner.table)
            .values()
            .map(|e| e.view.clone())
            .collect();
        all.sort_by_key(|v| v.id);
        all
    }

    /// One transfer.
    pub fn get(&self, id: TransferId) -> Option<TransferView> {
        lock(&self.inner.table).get(&id).map(|e| e.view.clone())
    }

    /// Every change of every transfer, from now on.
    pub fn subscribe(&self) -> broadcast::Receiver<TransferView> {
        self.inner.events.subscribe()
    }

    /// Stops a running transfer (it ends as cancelled; a finished one stays as it is).
    pub fn cancel(&self, id: TransferId) -> Result<(), TransferError> {
        let table = lock(&self.inner.table);
        let entry = table.get(&id).ok_or(TransferError::NoSuchTransfer(id))?;
        entry.cancel.cancel();
        Ok(())
    }

    /// Waits until transfer `id` has finished; its last view (`None`: no such transfer).
    pub async fn wait(&self, id: TransferId) -> Option<TransferView> {
        let mut rx = self.subscribe();
        loop {
            let now = self.get(id)?;
            if now.state.is_finished() {
                return Some(now);
            }
            match rx.recv().await {
                Ok(v) if v.id == id && v.state.is_finished() => return Some(v),
                Ok(_) | Err(broadcast::error::RecvError::Lagged(_)) => {}
                Err(broadcast::error::RecvError::Closed) => return self.get(id),
            }
        }
    }

    /// Lists a new transfer and runs `work` for it, forwarding `progress` until it ends.
    fn launch<F>(
        &self,
        mut view: TransferView,
        cancel: CancellationToken,
        mut progress: watch::Receiver<Progress>,
        work: F,
    ) -> TransferView
    where
        F: std::future::Future<Output = Result<Option<i32>, TransferError>> + Send + 'static,
    {
        view.id = self.inner.next.fetch_add(1, Ordering::Relaxed);
        let id = view.id;
        lock(&self.inner.table).insert(
            id,
            Entry {
                view: view.clone(),
                cancel,
            },
        );
        self.announce(id, |_| {});
        let this = self.clone();
        tokio::spawn(async move {
            tokio::pin!(work);
            let result = loop {
                tokio::select! {
                    r = &mut work => break r,
                    changed = progress.changed() => {
                        if changed.is_err() {
                            break work.await;
                        }
                        let p = *progress.borrow_and_update();
                        this.announce(id, |v| v.apply(&p));
                    }
                }
            };
            let last = *progress.borrow();
            this.announce(id, |v| {
                v.apply(&last);
                match result {
                    Ok(message_id) => {
                        v.message_id = message_id.or(v.message_id);
                        if let Some(total) = v.total {
                            v.done = total;
                        }
                        v.eta = None;
                        v.state = TransferState::Done;
                    }
                    Err(TransferError::File(FileError::Cancelled)) => {
                        v.state = TransferState::Cancelled
                    }
                    Err(e) => {
                        tracing::info!(transfer = id, error = %e, "transfer failed");
                        v.state = TransferState::Failed(e);
                    }
                }
            });
        });
        view
    }

    /// Changes transfer `id` (never a finished one) and announces it.
    fn announce(&self, id: TransferId, change: impl FnOnce(&mut TransferView)) {
        let view = {
            let mut table = lock(&self.inner.table);
            let Some(entry) = table.get_mut(&id) else {
                return;
            };
            if entry.view.state.is_finished() {
                return;
            }
            change(&mut entry.view);
            entry.view.clone()
        };
        // No subscriber is fine.
        let _ = self.inner.events.send(view);
    }
}
