//! The callers waiting for answers, by session [`RequestId`].
//!
//! Invariants: a request is answered at most once (the first result removes
//! it; a later one for the same id is ignored), and a request whose caller
//! went away (dropped future, timeout) is forgotten, so its answer, should
//! one still arrive, is discarded.

use std::collections::HashMap;

use tokio::sync::oneshot;

use super::protocol::RequestId;
use super::InvocationError;

pub(crate) type Reply = oneshot::Sender<Result<Vec<u8>, InvocationError>>;

#[derive(Default)]
pub(crate) struct Pending {
    /// request → (caller's id, reply)
    by_request: HashMap<RequestId, (u64, Reply)>,
    /// caller's id → request
    by_caller: HashMap<u64, RequestId>,
}

impl Pending {
    pub fn len(&self) -> usize {
        self.by_request.len()
    }

    pub fn insert(&mut self, caller: u64, request: RequestId, reply: Reply) {
        self.by_request.insert(request, (caller, reply));
        self.by_caller.insert(caller, request);
    }

    /// Answers `request`; false if nobody waits for it.
    pub fn complete(
        &mut self,
        request: RequestId,
        result: Result<Vec<u8>, InvocationError>,
    ) -> bool {
        match self.by_request.remove(&request) {
            Some((caller, reply)) => {
                self.by_caller.remove(&caller);
                // The caller may have stopped waiting; nothing to do then.
                let _ = reply.send(result);
                true
            }
            None => false,
        }
    }

    /// Forgets the request of `caller`; returns its session id if it was
    /// still waiting.
    pub fn cancel(&mut self, caller: u64) -> Option<RequestId> {
        let request = self.by_caller.remove(&caller)?;
        self.by_request.remove(&request);
        Some(request)
    }

    /// Fails every request with `err`.
    pub fn fail_all(&mut self, err: InvocationError) {
        self.by_caller.clear();
        for (_, (_, reply)) in self.by_request.drain() {
            let _ = reply.send(Err(err.clone()));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    type Rx = oneshot::Receiver<Result<Vec<u8>, InvocationError>>;

    fn req(p: &mut Pending, caller: u64, request: RequestId) -> Rx {
        let (tx, rx) = oneshot::channel();
        p.insert(caller, request, tx);
        rx
    }

    #[test]
    fn answered_once() {
        let mut p = Pending::default();
        let mut r = req(&mut p, 1, 10);
        assert!(p.complete(10, Ok(b"a".to_vec())));
        assert!(!p.complete(10, Ok(b"b".to_vec())), "answered twice");
        assert_eq!(r.try_recv().expect("sent").expect("ok"), b"a".to_vec());
        assert_eq!(p.cancel(1), None, "answered request cannot be cancelled");
    }

    #[test]
    fn cancelled_request_discards_its_answer() {
        let mut p = Pending::default();
        let mut r = req(&mut p, 1, 10);
        let _keep = req(&mut p, 2, 11);
        assert_eq!(p.cancel(1), Some(10));
        assert!(!p.complete(10, Ok(b"late".to_vec())));
        assert!(r.try_recv().is_err());
        assert_eq!(p.len(), 1);
    }

    #[test]
    fn fail_all_answers_everyone() {
        let mut p = Pending::default();
        let mut a = req(&mut p, 1, 10);
        let mut b = req(&mut p, 2, 11);
        p.fail_all(InvocationError::Shutdown);
        assert!(matches!(a.try_recv(), Ok(Err(InvocationError::Shutdown))));
        assert!(matches!(b.try_recv(), Ok(Err(InvocationError::Shutdown))));
        assert_eq!(p.len(), 0);
        assert_eq!(p.cancel(1), None);
    }
}
