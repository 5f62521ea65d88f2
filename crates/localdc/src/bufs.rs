//! Large buffers kept for reuse: the bodies and the encrypted packets of
//! `upload.file` answers (1 MiB parts).
//!
//! A fresh 1 MiB buffer per answer costs page faults, the kernel clearing
//! every page, then an `munmap` when it is dropped (the allocator hands
//! blocks this large straight to the kernel and back): more CPU than the
//! copy that fills it. A server sending file parts therefore takes its
//! buffers here and gives them back once sent.
//!
//! Invariants: a buffer taken is empty (its old contents are unreachable:
//! `take` clears it, and every user writes before it reads); at most
//! [`KEEP`] buffers are kept, each of [`MIN_KEPT`]..=[`MAX_KEPT`] bytes of
//! capacity, so the pool holds at most about 17 MiB. Smaller requests are
//! plain allocations (the allocator reuses small blocks well itself).
//!
//! Hand-written: a mutex over a short free list is all it needs; pool
//! crates add object wrappers and guards that would have to follow a
//! buffer across the blocking pool and back.

use std::sync::Mutex;

/// Buffers kept at most.
pub const KEEP: usize = 16;
/// Capacities below this are not kept.
pub const MIN_KEPT: usize = 64 * 1024;
/// Capacities above this are not kept (a 1 MiB part, its TL and MTProto
/// envelopes and padding fit below it).
pub const MAX_KEPT: usize = 1024 * 1024 + 8 * 1024;

/// A free list of large buffers, shared by every connection of a server.
#[derive(Debug, Default)]
pub struct BufPool {
    free: Mutex<Vec<Vec<u8>>>,
}

impl BufPool {
    /// An empty buffer of at least `capacity` bytes: a kept one when one is
    /// large enough.
    pub fn take(&self, capacity: usize) -> Vec<u8> {
        if (MIN_KEPT..=MAX_KEPT).contains(&capacity) {
            let mut free = self.free.lock().unwrap_or_else(|e| e.into_inner());
            if let Some(i) = free.iter().position(|b| b.capacity() >= capacity) {
                let mut buf = free.swap_remove(i);
                buf.clear();
                return buf;
            }
        }
        Vec::with_capacity(capacity)
    }

    /// Keeps `buf` for a later [`take`](Self::take) if its size is worth
    /// keeping and there is room; drops it otherwise.
    pub fn give(&self, buf: Vec<u8>) {
        if !(MIN_KEPT..=MAX_KEPT).contains(&buf.capacity()) {
            return;
        }
        let mut free = self.free.lock().unwrap_or_else(|e| e.into_inner());
        if free.len() < KEEP {
            free.push(buf);
        }
    }

    /// Buffers kept now.
    pub fn kept(&self) -> usize {
        self.free.lock().unwrap_or_else(|e| e.into_inner()).len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_given_buffer_comes_back_empty_with_its_memory() {
        let pool = BufPool::default();
        let mut buf = pool.take(1 << 20);
        buf.extend_from_slice(&[7u8; 1 << 20]);
        let at = buf.as_ptr();
        pool.give(buf);
        assert_eq!(pool.kept(), 1);
        let again = pool.take(1 << 20);
        assert_eq!(again.as_ptr(), at, "the same memory");
        assert!(again.is_empty(), "no old bytes readable");
        assert!(again.capacity() >= 1 << 20);
        assert_eq!(pool.kept(), 0);
    }

    #[test]
    fn only_buffers_of_the_kept_sizes_are_kept_and_never_too_many() {
        let pool = BufPool::default();
        pool.give(Vec::with_capacity(1024));
        pool.give(Vec::with_capacity(MAX_KEPT + 1));
        assert_eq!(pool.kept(), 0);
        for _ in 0..KEEP + 3 {
            pool.give(Vec::with_capacity(MIN_KEPT));
        }
        assert_eq!(pool.kept(), KEEP);
        // Too small for the request: a fresh buffer, the kept ones stay.
        let big = pool.take(MIN_KEPT + 1);
        assert!(big.capacity() > MIN_KEPT);
        assert_eq!(pool.kept(), KEEP);
        // Small requests never take a kept buffer.
        assert!(pool.take(100).capacity() < MIN_KEPT);
        assert_eq!(pool.kept(), KEEP);
    }
}
