//! The common update sequence `seq` of each account
//! (core.telegram.org/api/updates#update-handling): every `updates` or
//! `updatesCombined` object made for an account takes the account's next
//! `seq` (one per object, shared by all its sessions); `updateShort*`
//! objects carry none and leave it alone. `updates.getState` and
//! `updates.getDifference` report the current value.
//!
//! [`push_updates`] numbers and queues an object while holding the counter,
//! so an account's sessions always receive their `seq` values in order.
//! An object that not every session of the account receives — the copy of
//! a sent message for the sender's other sessions, when the sending session
//! itself was answered with `updateShortSentMessage` — goes out with
//! `seq = 0` ([`push_unsequenced`]), which clients apply by `pts` alone:
//! numbering it would leave a hole in the sending session's sequence and
//! send it to `getDifference` for nothing.
//!
//! Both push through an [`Outbox`] (the server state), so this module sits
//! below [`crate::state`].

use std::collections::HashMap;
use std::sync::MutexGuard;

use hearth_tl::{types, Serializable};

/// `seq` of an account nothing happened to yet.
pub const INITIAL_SEQ: i32 = 1;

/// Per-account `seq` counters.
#[derive(Debug, Default, serde::Serialize, serde::Deserialize)]
pub struct Seqs {
    by_user: HashMap<i64, i32>,
}

impl Seqs {
    /// The account's current `seq`.
    pub fn current(&self, user: i64) -> i32 {
        self.by_user.get(&user).copied().unwrap_or(INITIAL_SEQ)
    }

    /// Advances the account's `seq` and returns the new value.
    pub fn advance(&mut self, user: i64) -> i32 {
        let seq = self.by_user.entry(user).or_insert(INITIAL_SEQ);
        *seq += 1;
        *seq
    }
}

/// Where numbered updates go: the accounts' counters and their online
/// sessions ([`crate::state::ServerState`]).
pub trait Outbox {
    /// The counters, locked.
    fn seqs(&self) -> MutexGuard<'_, Seqs>;
    /// Queues `body` for every online session of `user` except `except`.
    fn push_to_user(&self, user: i64, except: (u64, i64), body: &[u8]);
}

/// Gives `updates` the next `seq` of `user`, queues it for every online
/// session of `user` except `origin` (the session whose request caused it),
/// and returns it numbered, e.g. to answer that request with.
pub fn push_updates(
    state: &impl Outbox,
    user: i64,
    origin: (u64, i64),
    mut updates: types::Updates,
) -> types::Updates {
    let mut seqs = state.seqs();
    updates.seq = seqs.advance(user);
    state.push_to_user(user, origin, &updates.to_bytes());
    updates
}

/// Queues `updates` with `seq = 0` for every online session of `user`
/// except `origin`, leaving the account's `seq` alone (see the module docs).
pub fn push_unsequenced(
    state: &impl Outbox,
    user: i64,
    origin: (u64, i64),
    mut updates: types::Updates,
) {
    updates.seq = 0;
    state.push_to_user(user, origin, &updates.to_bytes());
}

#[cfg(test)]
mod tests {
    use std::sync::Mutex;

    use hearth_tl::Deserializable;

    use super::*;

    /// Records what would be queued, as (user, except, seq).
    #[derive(Default)]
    struct Recorder {
        seqs: Mutex<Seqs>,
        sent: Mutex<Vec<(i64, (u64, i64), i32)>>,
    }

    impl Outbox for Recorder {
        fn seqs(&self) -> MutexGuard<'_, Seqs> {
            self.seqs.lock().unwrap()
        }
        fn push_to_user(&self, user: i64, except: (u64, i64), body: &[u8]) {
            let updates = types::Updates::from_bytes(body).unwrap();
            self.sent.lock().unwrap().push((user, except, updates.seq));
        }
    }

    fn empty() -> types::Updates {
        types::Updates {
            updates: vec![],
            users: vec![],
            chats: vec![],
            date: 1,
            seq: 99,
        }
    }

    #[test]
    fn pushed_objects_are_numbered_and_unsequenced_ones_are_not() {
        let out = Recorder::default();
        let origin = (7, 8);
        assert_eq!(push_updates(&out, 1, origin, empty()).seq, INITIAL_SEQ + 1);
        push_unsequenced(&out, 1, origin, empty());
        assert_eq!(push_updates(&out, 1, origin, empty()).seq, INITIAL_SEQ + 2);
        assert_eq!(push_updates(&out, 2, origin, empty()).seq, INITIAL_SEQ + 1);
        assert_eq!(
            *out.sent.lock().unwrap(),
            [
                (1, origin, INITIAL_SEQ + 1),
                (1, origin, 0),
                (1, origin, INITIAL_SEQ + 2),
                (2, origin, INITIAL_SEQ + 1)
            ]
        );
        assert_eq!(out.seqs().current(1), INITIAL_SEQ + 2);
    }

    #[test]
    fn each_account_counts_its_own_updates() {
        let mut s = Seqs::default();
        assert_eq!(s.current(1), INITIAL_SEQ);
        assert_eq!(s.advance(1), INITIAL_SEQ + 1);
        assert_eq!(s.advance(1), INITIAL_SEQ + 2);
        assert_eq!(s.advance(2), INITIAL_SEQ + 1);
        assert_eq!(
            (s.current(1), s.current(2)),
            (INITIAL_SEQ + 2, INITIAL_SEQ + 1)
        );
    }
}
