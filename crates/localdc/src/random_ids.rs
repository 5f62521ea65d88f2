//! `random_id` de-duplication for sending methods
//! (core.telegram.org/method/messages.sendMessage): a client that lost the
//! answer to a send (a dropped connection) resends it under a new msg_id but
//! with the same `random_id`; Telegram does not deliver it twice and answers
//! `500 RANDOM_ID_DUPLICATE` instead, leaving the client to learn the message
//! from updates or history.
//!
//! Ids are remembered per (sender, peer), as Telegram scopes them.

use std::collections::HashSet;

use serde::{Deserialize, Serialize};

/// Every `random_id` each sender used in each dialog.
#[derive(Debug, Default, Clone, Serialize, Deserialize)]
pub struct RandomIds {
    used: HashSet<(i64, i64, i64)>,
}

impl RandomIds {
    /// Claims `random_id` for a message from `from` to `peer`; false when
    /// it was claimed before (the send is a repeat).
    pub fn claim(&mut self, from: i64, peer: i64, random_id: i64) -> bool {
        self.used.insert((from, peer, random_id))
    }
}

/// The error a repeated `random_id` is answered with.
pub fn duplicate() -> crate::rpc_error::RpcError {
    crate::rpc_error::RpcError::new(500, "RANDOM_ID_DUPLICATE")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_random_id_is_claimed_once_per_sender_and_peer() {
        let mut ids = RandomIds::default();
        assert!(ids.claim(1, 1, 42));
        assert!(!ids.claim(1, 1, 42));
        assert!(ids.claim(1, 2, 42), "another dialog");
        assert!(ids.claim(2, 1, 42), "another sender");
    }
}
