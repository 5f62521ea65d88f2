//! Book-keeping of requests not yet answered.
//!
//! Invariants: a request is answered at most once (the first result for any
//! of its msg_ids completes and removes it; later results for its other ids
//! are ignored); a cancelled request is removed and never re-sent; on
//! reconnect every remaining request is re-sent under a new msg_id, in the
//! order the caller issued them.

use std::collections::{BTreeMap, HashMap};

use tokio::sync::oneshot;

use super::InvocationError;

pub(crate) type Reply = oneshot::Sender<Result<Vec<u8>, InvocationError>>;

struct Entry {
    body: Vec<u8>,
    reply: Reply,
    msg_ids: Vec<i64>,
}

#[derive(Default)]
pub(crate) struct Pending {
    requests: BTreeMap<u64, Entry>,
    by_msg: HashMap<i64, u64>,
}

impl Pending {
    pub fn len(&self) -> usize {
        self.requests.len()
    }

    pub fn insert(&mut self, id: u64, body: Vec<u8>, reply: Reply) {
        self.requests.insert(
            id,
            Entry {
                body,
                reply,
                msg_ids: Vec::new(),
            },
        );
    }

    /// Enqueues request `id` via `enqueue` and records the msg_id it got.
    pub fn send(&mut self, id: u64, enqueue: impl FnOnce(Vec<u8>) -> i64) {
        if let Some(e) = self.requests.get_mut(&id) {
            let msg_id = enqueue(e.body.clone());
            e.msg_ids.push(msg_id);
            self.by_msg.insert(msg_id, id);
        }
    }

    /// Re-enqueues every request, oldest first, each under a new msg_id.
    pub fn resend_all(&mut self, mut enqueue: impl FnMut(Vec<u8>) -> i64) -> usize {
        let ids: Vec<u64> = self.requests.keys().copied().collect();
        for id in &ids {
            self.send(*id, &mut enqueue);
        }
        ids.len()
    }

    /// The session re-sent `old` as `new`.
    pub fn alias(&mut self, old: i64, new: i64) {
        if let Some(&id) = self.by_msg.get(&old) {
            self.by_msg.insert(new, id);
            if let Some(e) = self.requests.get_mut(&id) {
                e.msg_ids.push(new);
            }
        }
    }

    /// Completes the request sent as `msg_id`; false if none is waiting.
    pub fn complete(&mut self, msg_id: i64, result: Result<Vec<u8>, InvocationError>) -> bool {
        let Some(id) = self.by_msg.remove(&msg_id) else {
            return false;
        };
        match self.remove(id) {
            Some(reply) => {
                // The caller may have stopped waiting; nothing to do then.
                let _ = reply.send(result);
                true
            }
            None => false,
        }
    }

    /// Forgets request `id` (cancelled or timed out by the caller).
    pub fn cancel(&mut self, id: u64) -> bool {
        self.remove(id).is_some()
    }

    fn remove(&mut self, id: u64) -> Option<Reply> {
        let e = self.requests.remove(&id)?;
        for m in &e.msg_ids {
            self.by_msg.remove(m);
        }
        Some(e.reply)
    }

    /// Fails every request with `err`.
    pub fn fail_all(&mut self, err: InvocationError) {
        self.by_msg.clear();
        for (_, e) in std::mem::take(&mut self.requests) {
            let _ = e.reply.send(Err(err.clone()));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn req(p: &mut Pending, id: u64) -> oneshot::Receiver<Result<Vec<u8>, InvocationError>> {
        let (tx, rx) = oneshot::channel();
        p.insert(id, vec![id as u8], tx);
        rx
    }

    #[test]
    fn answered_once_and_not_resent() {
        let mut p = Pending::default();
        let mut next = 100i64;
        let mut sent = Vec::new();
        let mut r1 = req(&mut p, 1);
        let mut r2 = req(&mut p, 2);
        let mut r3 = req(&mut p, 3);
        for id in 1..=3 {
            p.send(id, |b| {
                next += 4;
                sent.push((b, next));
                next
            });
        }
        assert!(p.complete(108, Ok(b"two".to_vec())));
        assert!(!p.complete(108, Ok(b"again".to_vec())), "answered twice");
        assert_eq!(
            r2.try_recv().expect("answered").expect("ok"),
            b"two".to_vec()
        );
        assert!(p.cancel(3));
        assert!(r3.try_recv().is_err());
        sent.clear();
        let n = p.resend_all(|b| {
            next += 4;
            sent.push((b, next));
            next
        });
        assert_eq!(n, 1);
        assert_eq!(sent, vec![(vec![1u8], 116)]);
        // The old msg_id still resolves it, once.
        assert!(p.complete(104, Ok(b"one".to_vec())));
        assert!(!p.complete(116, Ok(b"one".to_vec())));
        assert!(r1.try_recv().is_ok());
        assert_eq!(p.len(), 0);
    }

    #[test]
    fn alias_and_fail_all() {
        let mut p = Pending::default();
        let mut r = req(&mut p, 9);
        p.send(9, |_| 40);
        p.alias(40, 44);
        assert!(p.complete(44, Err(InvocationError::Shutdown)));
        assert!(matches!(r.try_recv(), Ok(Err(InvocationError::Shutdown))));
        let mut r = req(&mut p, 10);
        p.fail_all(InvocationError::Shutdown);
        assert!(matches!(r.try_recv(), Ok(Err(InvocationError::Shutdown))));
        assert_eq!(p.len(), 0);
    }
}
