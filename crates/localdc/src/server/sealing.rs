//! Encrypting answers off the connection task, in order.
//!
//! A 1 MiB `upload.file` answer costs SHA-256 over the message (its msg_key)
//! and AES-IGE over it: serial work of about a millisecond and a half on one
//! core. The connection hands such messages to tokio's blocking pool, a few at
//! a time ([`MAX_SEALING`]), and goes on reading, answering the next requests
//! and sending what is encrypted; packets still leave in the order they were
//! numbered (msg_ids stay increasing on the wire).

use std::collections::VecDeque;

use tokio::task::JoinHandle;

use crate::session::Outgoing;

/// Messages at least this long are encrypted off the connection task.
pub const OFF_TASK_BYTES: usize = 64 * 1024;

/// Large messages of one connection encrypted at the same time, at most.
///
/// Encrypting every waiting part at once (as before) shared the cores between
/// them, so the first part left only when nearly all were done and the client
/// waited, then had a burst to decrypt while the server waited for new
/// requests. Two at a time keep the parts coming one after another, each sent
/// while the next ones are encrypted, and still let one connection use two
/// cores. `scripts/bench-files.sh` (2 cores, 100 MB, 6 parts in flight): 0.28 s
/// with all at once, 0.26 s with two (median of 5), 0.25–0.26 s with one;
/// `scripts/bench-localdc.sh`'s `upload.getFile` (4 in flight): 655 MB/s with
/// two, 1.02× what one core can encrypt for MTProto, against 578 MB/s (0.90×)
/// with one. Other connections (clients) encrypt in parallel regardless.
pub const MAX_SEALING: usize = 2;

enum Pending {
    Ready(Vec<u8>),
    Sealing(JoinHandle<Vec<u8>>),
    /// A large message waiting for an earlier one's encryption to end.
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

    /// Queues a numbered message; a large one starts encrypting at once unless
    /// [`MAX_SEALING`] of this connection's are encrypting already (it starts when
    /// the first of them is taken).
    pub fn push(&mut self, out: Outgoing) {
        let pending = if out.len() < OFF_TASK_BYTES {
            Pending::Ready(out.seal())
        } else if self.sealing() < MAX_SEALING {
            Pending::Sealing(tokio::task::spawn_blocking(move || out.seal()))
        } else {
            Pending::Queued(out)
        };
        self.queue.push_back(pending);
    }

    /// Starts encrypting the oldest waiting messages while fewer than
    /// [`MAX_SEALING`] are.
    fn start_waiting(&mut self) {
        let mut free = MAX_SEALING.saturating_sub(self.sealing());
        for p in self.queue.iter_mut() {
            if free == 0 {
                break;
            }
            if matches!(p, Pending::Queued(_)) {
                let Pending::Queued(out) = std::mem::replace(p, Pending::Ready(Vec::new())) else {
                    unreachable!("matched just above")
                };
                *p = Pending::Sealing(tokio::task::spawn_blocking(move || out.seal()));
                free -= 1;
            }
        }
    }

    /// Queues a packet encrypted already (a pushed update), behind the rest.
    pub fn push_sealed(&mut self, packet: Vec<u8>) {
        self.queue.push_back(Pending::Ready(packet));
    }

    /// The oldest packet, once encrypted. Cancel-safe: dropped before it
    /// resolves, the packet stays first in the queue. Never resolves on an
    /// empty queue.
    pub async fn next(&mut self) -> Result<Vec<u8>, tokio::task::JoinError> {
        if matches!(self.queue.front(), Some(Pending::Queued(_))) {
            self.start_waiting();
        }
        let packet = match self.queue.front_mut() {
            None => std::future::pending().await,
            Some(Pending::Ready(p)) => std::mem::take(p),
            Some(Pending::Sealing(handle)) => handle.await?,
            Some(Pending::Queued(_)) => unreachable!("started above"),
        };
        self.queue.pop_front();
        // The next ones encrypt while this one is being sent.
        self.start_waiting();
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
    async fn large_messages_are_encrypted_a_few_at_a_time_and_leave_in_order() {
        let key = AuthKey::from_bytes([7; 256]);
        let big = |id| Outgoing::for_test(key.clone(), id, vec![id as u8; OFF_TASK_BYTES + 16]);
        let mut q = SealQueue::default();
        q.push(big(4));
        q.push(Outgoing::for_test(key.clone(), 8, vec![1; 40]));
        q.push(big(12));
        q.push(big(16));
        q.push_sealed(vec![0; 3]);
        assert_eq!(q.sealing(), MAX_SEALING, "the rest wait their turn");
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
