//! Message sequence numbers (core.telegram.org/mtproto/description#message-sequence-number-msg-seqno).
//!
//! seqno = 2 × (content-related messages sent before) + 1 for a content-related
//! message, and 2 × (same count) for anything else (acks, containers, pings
//! that need no answer are still content-related — only `msgs_ack`,
//! `msg_container`, `http_wait` and such are not).

/// Counts content-related messages of one session.
#[derive(Debug, Clone, Default)]
pub struct SeqNo {
    content_sent: i32,
}

impl SeqNo {
    /// The seqno for the next message; counts it if `content_related`.
    pub fn next(&mut self, content_related: bool) -> i32 {
        if content_related {
            let n = self.content_sent.wrapping_mul(2).wrapping_add(1);
            self.content_sent = self.content_sent.wrapping_add(1);
            n
        } else {
            self.content_sent.wrapping_mul(2)
        }
    }

    /// Number of content-related messages sent so far.
    pub fn content_sent(&self) -> i32 {
        self.content_sent
    }

    /// Starts over (new session).
    pub fn reset(&mut self) {
        self.content_sent = 0;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_messages_are_odd_and_counted() {
        let mut s = SeqNo::default();
        assert_eq!(s.next(true), 1);
        assert_eq!(s.next(false), 2);
        assert_eq!(s.next(true), 3);
        assert_eq!(s.next(true), 5);
        assert_eq!(s.next(false), 6);
        assert_eq!(s.content_sent(), 3);
        s.reset();
        assert_eq!(s.next(false), 0);
    }
}
