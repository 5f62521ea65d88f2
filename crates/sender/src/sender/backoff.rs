//! Reconnect delays: exponential backoff with "equal jitter" (half fixed,
//! half random) so many clients dropped at once do not return in lockstep.

use std::time::Duration;

/// Backoff settings.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Backoff {
    /// Delay before the first retry (before jitter).
    pub initial: Duration,
    /// Upper bound of any delay.
    pub max: Duration,
    /// Give up after this many failed attempts in a row (`None`: never).
    pub max_attempts: Option<u32>,
}

impl Default for Backoff {
    fn default() -> Self {
        Self {
            initial: Duration::from_millis(500),
            max: Duration::from_secs(30),
            max_attempts: None,
        }
    }
}

impl Backoff {
    /// The delay before retry number `attempt` (0-based): a value in
    /// `[d/2, d]` where `d = min(max, initial * 2^attempt)`.
    pub fn delay(&self, attempt: u32, rng: &mut fastrand::Rng) -> Duration {
        let factor = 1u32.checked_shl(attempt.min(20)).unwrap_or(u32::MAX);
        let d = self.initial.saturating_mul(factor).min(self.max);
        let half = d / 2;
        let jitter_ns = rng.u64(0..=half.as_nanos().min(u64::MAX as u128) as u64);
        half + Duration::from_nanos(jitter_ns)
    }

    /// Whether `failures` consecutive failures exhaust the attempts.
    pub fn exhausted(&self, failures: u32) -> bool {
        self.max_attempts.is_some_and(|m| failures >= m)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delays_grow_exponentially_within_jitter_bounds_and_cap() {
        let b = Backoff {
            initial: Duration::from_millis(100),
            max: Duration::from_secs(2),
            max_attempts: Some(3),
        };
        let mut rng = fastrand::Rng::with_seed(7);
        for attempt in 0..40 {
            let full = Duration::from_millis(100 * (1u64 << attempt.min(10))).min(b.max);
            for _ in 0..50 {
                let d = b.delay(attempt, &mut rng);
                assert!(
                    d >= full / 2 && d <= full,
                    "attempt {attempt}: {d:?} vs {full:?}"
                );
            }
        }
        assert!(!b.exhausted(2));
        assert!(b.exhausted(3));
        assert!(!Backoff::default().exhausted(u32::MAX));
    }

    #[test]
    fn jitter_spreads_delays() {
        let b = Backoff::default();
        let mut rng = fastrand::Rng::with_seed(1);
        let ds: std::collections::HashSet<_> = (0..20).map(|_| b.delay(3, &mut rng)).collect();
        assert!(
            ds.len() > 10,
            "jitter produced only {} distinct delays",
            ds.len()
        );
    }
}
