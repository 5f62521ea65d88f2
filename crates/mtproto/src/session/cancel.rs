//! Cancelling a request the caller no longer waits for
//! (core.telegram.org/mtproto/service_messages#cancellation-of-an-rpc-query).

use hearth_tl::mtproto::functions::RpcDropAnswer;
use hearth_tl::Serializable;

use super::{RequestId, Session};

impl Session {
    /// Cancels `request`. Not sent yet: it is dropped from the queue and never
    /// sent. Sent and unanswered: it is forgotten (never resent, and an answer
    /// that still arrives is ignored) and `rpc_drop_answer` is sent so the
    /// server can skip or discard the answer. Returns whether the request was
    /// still pending; cancelling an answered or unknown request does nothing.
    pub fn cancel(&mut self, request: RequestId) -> bool {
        if let Some(pos) = self.queue.iter().position(|q| q.request == request) {
            self.queue.remove(pos);
            self.forget_salts_request(request);
            return true;
        }
        let Some(msg_id) = self
            .in_flight
            .iter()
            .find(|(_, f)| f.request == request)
            .map(|(id, _)| *id)
        else {
            return false;
        };
        if let Some(f) = self.in_flight.remove(&msg_id) {
            self.detach_from_container(msg_id, f.container);
        }
        self.forget_salts_request(request);
        // Content-related: the server answers it with an rpc_result, which
        // matches no request and is only acknowledged.
        let drop = RpcDropAnswer { req_msg_id: msg_id };
        self.service_out.push((drop.to_bytes(), true));
        true
    }

    fn forget_salts_request(&mut self, request: RequestId) {
        if self.salts_request == Some(request) {
            self.salts_request = None;
        }
    }
}
