//! Transfer progress: bytes done, total, speed and time left, pushed through
//! a `tokio::sync::watch` as the bytes land (downloads: when written in
//! order; uploads: when the server acknowledged a part), so the values a
//! watcher sees never go back.
//!
//! Speed is measured over a sliding window of recent samples (time passed
//! in, so the arithmetic is unit-tested without a clock).

use std::collections::VecDeque;
use std::time::{Duration, Instant};

/// How far back the speed looks.
pub const SPEED_WINDOW: Duration = Duration::from_secs(3);

/// A transfer's progress at one moment.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Progress {
    /// Bytes transferred (for a resumed download: including those already on disk).
    pub done: u64,
    /// The file's size, when known.
    pub total: Option<u64>,
    /// Bytes per second over the last few seconds.
    pub bytes_per_sec: f64,
    /// Time left at that speed, when both are known.
    pub eta: Option<Duration>,
    /// The transfer has finished.
    pub finished: bool,
}

/// Folds byte counts into [`Progress`] values.
#[derive(Debug)]
pub struct Meter {
    total: Option<u64>,
    done: u64,
    samples: VecDeque<(Instant, u64)>,
}

impl Meter {
    /// A meter starting at `done` bytes (a resumed download) at `now`.
    pub fn new(done: u64, total: Option<u64>, now: Instant) -> Self {
        let mut samples = VecDeque::new();
        samples.push_back((now, done));
        Meter {
            total,
            done,
            samples,
        }
    }

    /// Adds `n` bytes done at `now`; the progress after them.
    pub fn advance(&mut self, n: u64, now: Instant) -> Progress {
        self.done += n;
        self.samples.push_back((now, self.done));
        while self.samples.len() > 2 {
            let (t, _) = self.samples[1];
            if now.saturating_duration_since(t) < SPEED_WINDOW {
                break;
            }
            self.samples.pop_front();
        }
        self.progress(now)
    }

    /// The progress at `now`.
    pub fn progress(&self, now: Instant) -> Progress {
        let (t0, d0) = self.samples.front().copied().unwrap_or((now, self.done));
        let secs = now.saturating_duration_since(t0).as_secs_f64();
        let bytes_per_sec = if secs > 0.0 {
            (self.done - d0) as f64 / secs
        } else {
            0.0
        };
        let eta = match self.total {
            Some(t) if t <= self.done => Some(Duration::ZERO),
            Some(t) if bytes_per_sec > 0.0 => Some(Duration::from_secs_f64(
                (t - self.done) as f64 / bytes_per_sec,
            )),
            _ => None,
        };
        Progress {
            done: self.done,
            total: self.total,
            bytes_per_sec,
            eta,
            finished: false,
        }
    }

    /// The final progress: everything done.
    pub fn finish(&mut self, now: Instant) -> Progress {
        if self.total.is_none() {
            self.total = Some(self.done);
        }
        Progress {
            finished: true,
            ..self.progress(now)
        }
    }
}

/// Sends `p` to the watcher, if any (a watcher that went away is fine).
pub(crate) fn report(to: Option<&tokio::sync::watch::Sender<Progress>>, p: Progress) {
    if let Some(tx) = to {
        tx.send_replace(p);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn speed_and_eta_follow_the_recent_samples() {
        let t0 = Instant::now();
        let mut m = Meter::new(0, Some(1000), t0);
        assert_eq!(m.progress(t0).eta, None, "no speed yet");
        let p = m.advance(100, t0 + Duration::from_secs(1));
        assert_eq!(p.done, 100);
        assert!((p.bytes_per_sec - 100.0).abs() < 1e-9);
        assert_eq!(p.eta, Some(Duration::from_secs(9)));
        // Ten seconds later at 300 B/s: the old samples have left the window.
        let mut at = t0 + Duration::from_secs(1);
        let mut last = p;
        for _ in 0..10 {
            at += Duration::from_millis(500);
            let p = m.advance(150, at);
            assert!(p.done > last.done);
            last = p;
        }
        assert!((last.bytes_per_sec - 300.0).abs() < 1e-6, "{last:?}");
        let end = m.finish(at);
        assert!(end.finished);
        assert_eq!(end.done, 1600);
    }

    #[test]
    fn a_resumed_transfer_counts_what_it_had() {
        let t0 = Instant::now();
        let mut m = Meter::new(500, None, t0);
        let p = m.advance(100, t0 + Duration::from_secs(2));
        assert_eq!((p.done, p.total, p.eta), (600, None, None));
        assert!((p.bytes_per_sec - 50.0).abs() < 1e-9);
        assert_eq!(m.finish(t0 + Duration::from_secs(2)).total, Some(600));
    }
}
