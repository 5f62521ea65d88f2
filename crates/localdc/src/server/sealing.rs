//! Encrypting answers off the connection task, in order.
//!
//! A 1 MiB `upload.file` answer costs SHA-256 over the message (its msg_key)
//! and AES-IGE over it: serial work of about a millisecond and a half on one
//! core. The connection hands such messages to tokio's blocking pool and goes
//! on reading and answering the next requests, so a client with several
//! downloads in flight keeps every core encrypting; packets still leave in
//! the order they were numbered (msg_ids stay increasing on the wire).

use std::collections::VecDeque;

use tokio::task::JoinHandle;

use crate::session::Outgoing;

/// Messages at least this long are encrypted off the connection task.
pub const OFF_TASK_BYTES: usize = 64 * 1024;

enum Pending {
    Ready(Vec<u8>),
    Sealing(JoinHandle<Vec<u8>>),
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

    /// Queues a numbered message; a large one starts encrypting at once.
    pub fn push(&mut self, out: Outgoing) {
        let pending = if out.len() >= OFF_TASK_BYTES {
            Pending::Sealing(tokio::task::spawn_blocking(move || out.seal()))
        } else {
            Pending::Ready(out.seal())
        };
        self.queue.push_back(pending);
    }

    /// Queues a packet encrypted already (a pushed update), behind the rest.
    pub fn push_sealed(&mut self, packet: Vec<u8>) {
        self.queue.push_back(Pending::Ready(packet));
    }

    /// The oldest packet, once encrypted. Cancel-safe: dropped before it
    /// resolves, the packet stays first in the queue. Never resolves on an
    /// empty queue.
    pub async fn next(&mut self) -> Result<Vec<u8>, tokio::task::JoinError> {
        let packet = match self.queue.front_mut() {
            None => std::future::pending().await,
            Some(Pending::Ready(p)) => std::mem::take(p),
            Some(Pending::Sealing(handle)) => handle.await?,
        };
        self.queue.pop_front();
        Ok(packet)
    }
}
