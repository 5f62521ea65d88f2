//! Injected wall-clock time.
//!
//! The crate never reads the system clock: every call that depends on time
//! takes a [`UnixTime`], so tests can drive any edge case (clock skew, salt
//! expiry, the ±300/30 s message window) deterministically.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// A point in wall-clock time, as seconds and nanoseconds since the Unix epoch
/// (local clock, before any server time-offset correction).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct UnixTime {
    secs: i64,
    nanos: u32,
}

impl UnixTime {
    /// `secs` seconds after the epoch plus `nanos` (reduced modulo 10⁹).
    pub fn new(secs: i64, nanos: u32) -> Self {
        Self {
            secs: secs + i64::from(nanos / 1_000_000_000),
            nanos: nanos % 1_000_000_000,
        }
    }

    /// Whole seconds since the epoch.
    pub fn from_secs(secs: i64) -> Self {
        Self { secs, nanos: 0 }
    }

    /// The system clock, for callers that do I/O (the sender); never used inside
    /// this crate.
    pub fn now() -> Self {
        match SystemTime::now().duration_since(UNIX_EPOCH) {
            Ok(d) => Self::new(d.as_secs() as i64, d.subsec_nanos()),
            Err(_) => Self::default(),
        }
    }

    pub fn secs(self) -> i64 {
        self.secs
    }

    pub fn subsec_nanos(self) -> u32 {
        self.nanos
    }

    /// This time plus `d`.
    pub fn plus(self, d: Duration) -> Self {
        Self::new(
            self.secs.saturating_add(d.as_secs() as i64),
            self.nanos + d.subsec_nanos(),
        )
    }

    /// Time elapsed from `earlier` to `self` (zero if `earlier` is later).
    pub fn since(self, earlier: UnixTime) -> Duration {
        if self <= earlier {
            return Duration::ZERO;
        }
        let (mut secs, nanos) = if self.nanos >= earlier.nanos {
            (self.secs - earlier.secs, self.nanos - earlier.nanos)
        } else {
            (
                self.secs - earlier.secs - 1,
                self.nanos + 1_000_000_000 - earlier.nanos,
            )
        };
        if secs < 0 {
            secs = 0;
        }
        Duration::new(secs as u64, nanos)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nanos_overflow_carries_into_seconds() {
        let t = UnixTime::new(10, 2_500_000_000);
        assert_eq!((t.secs(), t.subsec_nanos()), (12, 500_000_000));
    }

    #[test]
    fn since_handles_borrow_and_ordering() {
        let a = UnixTime::new(10, 900_000_000);
        let b = UnixTime::new(12, 100_000_000);
        assert_eq!(b.since(a), Duration::from_millis(1200));
        assert_eq!(a.since(b), Duration::ZERO);
        assert_eq!(a.plus(Duration::from_millis(1200)), b);
    }
}
