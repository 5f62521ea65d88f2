//! Encrypting answers off the connection task, in order, two at a time.
//!
//! A 1 MiB `upload.file` answer costs SHA-256 over the message (its msg_key)
//! and AES-IGE over it: serial work of about a millisecond and a half on one
//! core. The connection queues such messages while it answers the requests
//! it has read, then hands them to tokio's blocking pool ([`SealQueue::start`]),
//! two in one task where two wait (`Outgoing::seal_pair`: their chains
//! interleaved, the pair costs about 1.3 times one message), and goes on
//! reading, answering the next requests and sending what is encrypted;
//! packets still leave in the order they were numbered (msg_ids stay
//! increasing on the wire).

use std::collections::VecDeque;

use tokio::sync::oneshot;

use crate::session::Outgoing;

/// Messages at least this long are encrypted off the connection task.
pub const OFF_TASK_BYTES: usize = 64 * 1024;

/// Large messages of one connection being encrypted at the same time, at
/// most: one pair.
///
/// Encrypting every waiting part at once (as before) shared the cores between
/// them, so the first part left only when nearly all were done and the client
/// waited, then had a burst to decrypt while the server waited for new
/// requests. Encrypting a few at a time keeps the parts coming one after
/// another, each sent while the next ones are encrypted. Other connections
/// (clients) encrypt in parallel regardless.
pub const MAX_SEALING: usize = 2;

/// The encrypting task ended without its packet (it panicked).
#[derive(Debug, thiserror::Error)]
#[error("the task encrypting an answer stopped without it")]
pub struct SealError;

enum Pending {
    Ready(Vec<u8>),
    Sealing(oneshot::Receiver<Vec<u8>>),
    /// A large message waiting for [`SealQueue::start`].
    Queued(Outgoing),
}

/// Packets waiting to be sent, oldest first; empty most of the time.
#[derive(Default)]
pub struct SealQueue {
    queue: VecDeque<Pending>,
}

impl SealQueue {
    pub fn is_empty(&self) -> bool {
        self.queue.is_empty()
    }

    fn sealing(&self) -> usize {
        self.queue
            .iter()
            .filter(|p| matches!(p, Pending::Sealing(_)))
            .count()
    }

    /// Queues a numbered message. A small one is encrypted at once; a large
    /// one waits for [`SealQueue::start`], so that answers to requests read
    /// together can be encrypted together.
    pub fn push(&mut self, out: Outgoing) {
        let pending = if out.len() < OFF_TASK_BYTES {
            Pending::Ready(out.seal())
        } else {
            Pending::Queued(out)
        };
        self.queue.push_back(pending);
    }

    /// Starts encrypting the oldest waiting messages, two per task, while
    /// fewer than [`MAX_SEALING`] are. A lone waiting message starts alone;
    /// two waiting ones wait for room for both.
    pub fn start(&mut self) {
        let mut free = MAX_SEALING.saturating_sub(self.sealing());
        let queued: Vec<usize> = (0..self.queue.len())
            .filter(|&i| matches!(self.queue[i], Pending::Queued(_)))
            .collect();
        let mut next = queued.iter().copied().peekable();
        while free > 0 {
            let Some(i) = next.next() else { break };
            match next.peek().copied() {
                Some(j) if free >= 2 => {
                    next.next();
                    let (a, b) = (self.take(i), self.take(j));
                    let ((ta, ra), (tb, rb)) = (oneshot::channel(), oneshot::channel());
                    self.queue[i] = Pending::Sealing(ra);
                    self.queue[j] = Pending::Sealing(rb);
                    tokio::task::spawn_blocking(move || {
                        let (a, b) = Outgoing::seal_pair(a, b);
                        // A receiver is gone only with its connection.
                        let _ = (ta.send(a), tb.send(b));
                    });
                    free -= 2;
                }
                Some(_) => break,
                None => {
                    let a = self.take(i);
                    let (ta, ra) = oneshot::channel();
                    self.queue[i] = Pending::Sealing(ra);
                    tokio::task::spawn_blocking(move || {
                        let _ = ta.send(a.seal());
                    });
                    free -= 1;
                }
            }
        }
    }

    /// The queued message at `i`, leaving a placeholder.
    fn take(&mut self, i: usize) -> Outgoing {
        let Pending::Queued(out) =
            std::mem::replace(&mut self.queue[i], Pending::Ready(Vec::new()))
        else {
            unreachable!("only queued entries are taken")
        };
        out
    }

    /// Queues a packet encrypted already (a pushed update), behind the rest.
    pub fn push_sealed(&mut self, packet: Vec<u8>) {
        self.queue.push_back(Pending::Ready(packet));
    }

    /// The oldest packet, once encrypted. Cancel-safe: dropped before it
    /// resolves, the packet stays first in the queue. Never resolves on an
    /// empty queue.
    pub async fn next(&mut self) -> Result<Vec<u8>, SealError> {
        if matches!(self.queue.front(), Some(Pending::Queued(_))) {
            self.start();
        }
        let packet = match self.queue.front_mut() {
            None => std::future::pending().await,
            Some(Pending::Ready(p)) => std::mem::take(p),
            Some(Pending::Sealing(rx)) => rx.await.map_err(|_| SealError)?,
            Some(Pending::Queued(_)) => unreachable!("started above"),
        };
        self.queue.pop_front();
        // The next ones encrypt while this one is being sent.
        self.start();
        Ok(packet)
    }
}

#[cfg(test)]
mod tests {
    use hearth_crypto::auth_key::AuthKey;
    use hearth_crypto::message::{decrypt, PlainMessage, Side};

    use super::*;

    fn msg_id_of(key: &AuthKey, packet: &[u8]) -> i64 {
        let plain = decrypt(Side::Client, key, packet).expect("a packet for this key");
        PlainMessage::parse(&plain).expect("a message").msg_id
    }

    #[tokio::test]
    async fn two_waiting_messages_are_sealed_as_a_pair_with_the_same_packets() {
        let key = AuthKey::from_bytes([7; 256]);
        let big = |id, len| Outgoing::for_test(key.clone(), id, vec![id as u8; len]);
        let mut q = SealQueue::default();
        q.push(big(4, OFF_TASK_BYTES + 16));
        q.push(big(8, (1 << 20) + 12));
        q.start();
        assert_eq!(q.sealing(), 2);
        for (id, len) in [(4, OFF_TASK_BYTES + 16), (8, (1 << 20) + 12)] {
            let packet = q.next().await.expect("sealed");
            let plain = decrypt(Side::Client, &key, &packet).expect("a packet for this key");
            let m = PlainMessage::parse(&plain).expect("a message");
            assert_eq!((m.msg_id, m.body), (id, &vec![id as u8; len][..]));
        }
        assert!(q.is_empty());
    }

    #[tokio::test]
    async fn large_messages_are_encrypted_a_few_at_a_time_and_leave_in_order() {
        let key = AuthKey::from_bytes([7; 256]);
        let big = |id| Outgoing::for_test(key.clone(), id, vec![id as u8; OFF_TASK_BYTES + 16]);
        let mut q = SealQueue::default();
        q.push(big(4));
        q.push(Outgoing::for_test(key.clone(), 8, vec![1; 40]));
        q.push(big(12));
        q.push(big(16));
        q.push_sealed(vec![0; 3]);
        assert_eq!(
            q.sealing(),
            0,
            "nothing starts before the requests read are answered"
        );
        q.start();
        assert_eq!(q.sealing(), MAX_SEALING, "the rest wait their turn");
        assert!(matches!(q.queue[3], Pending::Queued(_)), "16 waits");
        let mut ids = Vec::new();
        for _ in 0..4 {
            let packet = q.next().await.expect("sealed");
            ids.push(msg_id_of(&key, &packet));
            assert!(q.sealing() <= MAX_SEALING);
        }
        assert_eq!(ids, [4, 8, 12, 16], "in the order they were numbered");
        assert_eq!(
            q.next().await.unwrap(),
            vec![0; 3],
            "an update stays behind"
        );
        assert!(q.is_empty());
    }
}
