//! The logins in progress, by the number the UI holds for each.
//!
//! Invariants: a flow id is never reused within a run; each flow sits
//! behind its own async mutex (`None` once finished or cancelled), so one
//! slow step blocks only its own flow; `cancel` wakes a QR wait holding that
//! mutex so the cancel can take the flow.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex, PoisonError};

use hearth_accounts::LoginFlow;
use tokio::sync::{Mutex as AsyncMutex, Notify, OwnedMutexGuard};

use crate::error::{codes, CommandError};

type Slot = Arc<AsyncMutex<Option<LoginFlow>>>;

#[derive(Clone)]
struct Entry {
    slot: Slot,
    cancel: Arc<Notify>,
}

/// Open login flows.
#[derive(Default)]
pub struct LoginFlows {
    last: AtomicU32,
    open: Mutex<HashMap<u32, Entry>>,
}

/// A flow locked for one step.
pub type FlowGuard = OwnedMutexGuard<Option<LoginFlow>>;

/// The error for a flow that is no longer open.
pub fn ended(id: u32) -> CommandError {
    CommandError::new(
        codes::NOT_FOUND,
        format!("sign-in {id} was finished or cancelled; start again with Add account"),
    )
}

impl LoginFlows {
    fn map(&self) -> std::sync::MutexGuard<'_, HashMap<u32, Entry>> {
        // The map holds no invariant a panic could break halfway.
        self.open.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Keeps `flow`; its id.
    pub fn insert(&self, flow: LoginFlow) -> u32 {
        let id = self.last.fetch_add(1, Ordering::Relaxed) + 1;
        let entry = Entry {
            slot: Arc::new(AsyncMutex::new(Some(flow))),
            cancel: Arc::new(Notify::new()),
        };
        self.map().insert(id, entry);
        id
    }

    /// Locks flow `id` for one step (waiting for a step in progress).
    pub async fn lock(&self, id: u32) -> Result<FlowGuard, CommandError> {
        let entry = self.map().get(&id).cloned().ok_or_else(|| ended(id))?;
        let guard = entry.slot.lock_owned().await;
        if guard.is_none() {
            return Err(ended(id));
        }
        Ok(guard)
    }

    /// What wakes a QR wait of flow `id` when it is cancelled.
    pub fn cancel_signal(&self, id: u32) -> Result<Arc<Notify>, CommandError> {
        Ok(self.map().get(&id).ok_or_else(|| ended(id))?.cancel.clone())
    }

    /// Forgets flow `id` (finished); its value stays with whoever holds its lock.
    pub fn finish(&self, id: u32) {
        self.map().remove(&id);
    }

    /// Removes flow `id`, interrupting a QR wait, and hands the flow back.
    pub async fn take(&self, id: u32) -> Option<LoginFlow> {
        let entry = self.map().remove(&id)?;
        entry.cancel.notify_one();
        let flow = entry.slot.lock().await.take();
        flow
    }

    /// Number of open flows.
    pub fn len(&self) -> usize {
        self.map().len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// The flow inside a guard from [`LoginFlows::lock`].
pub fn open(guard: &mut FlowGuard, id: u32) -> Result<&mut LoginFlow, CommandError> {
    guard.as_mut().ok_or_else(|| ended(id))
}
