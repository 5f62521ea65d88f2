//! The process-wide registry of live connections, so Hearth itself never
//! uses one auth key twice at once.
//!
//! Telegram revokes an auth key used by two connections of different
//! origins at the same time (`406 AUTH_KEY_DUPLICATED`,
//! core.telegram.org/api/errors#406-not-acceptable). Across processes the
//! data directory's single-instance lock prevents it; inside one process
//! every connection claims `(auth key id, DC, kind)` here first, and a second
//! claim is refused while the first lives.
//!
//! Invariant: a [`Claim`] is held for exactly as long as its connection may
//! send; dropping it frees the slot.

use std::collections::HashSet;
use std::sync::{Mutex, OnceLock};

use hearth_sender::pool::ConnKind;

type Slot = (u64, i32, ConnKind);

fn slots() -> &'static Mutex<HashSet<Slot>> {
    static SLOTS: OnceLock<Mutex<HashSet<Slot>>> = OnceLock::new();
    SLOTS.get_or_init(Default::default)
}

fn lock() -> std::sync::MutexGuard<'static, HashSet<Slot>> {
    // Every change is one insert or remove: a panic cannot leave it half-done.
    slots().lock().unwrap_or_else(|e| e.into_inner())
}

/// Proof that this process has one connection on `(key, dc, kind)`.
#[derive(Debug)]
pub struct Claim {
    slot: Slot,
}

impl Claim {
    /// Claims the slot, or `None` when a live connection holds it.
    pub fn take(key_id: u64, dc: i32, kind: ConnKind) -> Option<Claim> {
        let slot = (key_id, dc, kind);
        // Decide under the lock, build the claim after it: a Claim made
        // and dropped under the lock would remove the holder's slot.
        let inserted = lock().insert(slot);
        inserted.then(|| Claim { slot })
    }

    /// Whether a live connection holds the slot.
    pub fn is_held(key_id: u64, dc: i32, kind: ConnKind) -> bool {
        lock().contains(&(key_id, dc, kind))
    }
}

impl Drop for Claim {
    fn drop(&mut self) {
        lock().remove(&self.slot);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_slot_is_held_once_and_freed_on_drop() {
        let key = 0x5eed_0000_0000_0001;
        let first = Claim::take(key, 2, ConnKind::Main).expect("free slot");
        assert!(
            Claim::take(key, 2, ConnKind::Main).is_none(),
            "second claim refused"
        );
        let media = Claim::take(key, 2, ConnKind::Media).expect("other kind is another slot");
        let other_dc = Claim::take(key, 4, ConnKind::Main).expect("other DC is another slot");
        assert!(Claim::is_held(key, 2, ConnKind::Main));
        drop(first);
        assert!(!Claim::is_held(key, 2, ConnKind::Main));
        let again = Claim::take(key, 2, ConnKind::Main).expect("freed slot");
        drop((again, media, other_dc));
    }
}
