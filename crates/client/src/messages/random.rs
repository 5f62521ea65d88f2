//! `random_id`s for sending (core.telegram.org/method/messages.sendMessage):
//! Telegram drops a second message with a `random_id` it has seen, so each
//! send needs a fresh one and a retry of the same send the same one.
//!
//! Invariant: one [`RandomIds`] never returns the same id twice, nor 0;
//! the process-wide one draws from the operating system's generator.

use std::collections::HashSet;
use std::sync::{Arc, Mutex, OnceLock};

use rand::{Rng, SeedableRng};

/// A source of `random_id`s, injectable for tests.
pub struct RandomIds {
    state: Mutex<(Box<dyn Rng + Send>, HashSet<i64>)>,
}

impl std::fmt::Debug for RandomIds {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("RandomIds")
    }
}

impl RandomIds {
    /// Ids drawn from `rng`.
    pub fn new(rng: impl Rng + Send + 'static) -> RandomIds {
        RandomIds {
            state: Mutex::new((Box::new(rng), HashSet::new())),
        }
    }

    /// A generator seeded from the operating system.
    pub fn from_os() -> RandomIds {
        RandomIds::new(rand::rngs::StdRng::from_rng(&mut rand::rng()))
    }

    /// The process-wide generator ([`crate::Client::messages`] uses it).
    pub fn process() -> Arc<RandomIds> {
        static IDS: OnceLock<Arc<RandomIds>> = OnceLock::new();
        IDS.get_or_init(|| Arc::new(RandomIds::from_os())).clone()
    }

    /// A fresh id: never 0, never one this generator gave before.
    pub fn next(&self) -> i64 {
        let mut guard = self.state.lock().unwrap_or_else(|e| e.into_inner());
        let (rng, used) = &mut *guard;
        loop {
            let id = rng.next_u64() as i64;
            if id != 0 && used.insert(id) {
                return id;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A generator that repeats itself: the repeats are skipped.
    struct Cycle(u64);
    impl rand::TryRng for Cycle {
        type Error = std::convert::Infallible;
        fn try_next_u32(&mut self) -> Result<u32, Self::Error> {
            Ok(self.try_next_u64()? as u32)
        }
        fn try_next_u64(&mut self) -> Result<u64, Self::Error> {
            self.0 = (self.0 + 1) % 3;
            Ok(self.0)
        }
        fn try_fill_bytes(&mut self, dst: &mut [u8]) -> Result<(), Self::Error> {
            dst.fill(0);
            Ok(())
        }
    }

    #[test]
    fn ids_are_never_zero_nor_repeated() {
        let ids = RandomIds::new(Cycle(0));
        assert_eq!((ids.next(), ids.next()), (1, 2), "0 skipped");
        let os = RandomIds::from_os();
        let drawn: HashSet<i64> = (0..1000).map(|_| os.next()).collect();
        assert_eq!(drawn.len(), 1000);
    }
}
