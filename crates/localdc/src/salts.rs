//! Rotating server salts (core.telegram.org/mtproto/description#server-salt).
//!
//! Time is cut into periods of `rotation` seconds; the salt of period `k` is
//! derived from a per-server secret and a generation number, so every DC and
//! connection agrees on it without storing anything. A message may carry the
//! current period's salt or the previous one (the grace Telegram gives while
//! clients switch over), or the key's first salt from the handshake during its
//! first period. [`Salts::force_change`] starts a new generation: every salt
//! handed out so far is retired at once, so clients get `bad_server_salt` with
//! the new one and resend (an injected fault, [`crate::faults`]). The
//! rotation period can be changed at run time as well.

use std::sync::atomic::{AtomicU32, AtomicU64, Ordering};

use hearth_crypto::hash::sha256;

pub struct Salts {
    secret: [u8; 32],
    rotation: AtomicU32,
    generation: AtomicU64,
}

impl Clone for Salts {
    fn clone(&self) -> Self {
        Self {
            secret: self.secret,
            rotation: AtomicU32::new(self.rotation_secs()),
            generation: AtomicU64::new(self.generation.load(Ordering::Relaxed)),
        }
    }
}

impl std::fmt::Debug for Salts {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Salts {{ rotation: {} }}", self.rotation_secs())
    }
}

/// One entry of `future_salts`.
pub use hearth_tl::mtproto::special::FutureSalt;

impl Salts {
    pub fn new(secret: [u8; 32], rotation_secs: u32) -> Self {
        Self {
            secret,
            rotation: AtomicU32::new(rotation_secs.max(1)),
            generation: AtomicU64::new(0),
        }
    }

    /// Seconds each salt is current.
    pub fn rotation_secs(&self) -> u32 {
        self.rotation.load(Ordering::Relaxed)
    }

    /// Rotates every `secs` seconds from now on (periods are renumbered, so
    /// the current salt changes too).
    pub fn set_rotation_secs(&self, secs: u32) {
        self.rotation.store(secs.max(1), Ordering::Relaxed);
    }

    /// Retires every salt handed out so far.
    pub fn force_change(&self) {
        self.generation.fetch_add(1, Ordering::Relaxed);
    }

    fn at_period(&self, k: i64) -> i64 {
        let generation = self.generation.load(Ordering::Relaxed);
        let h = if generation == 0 {
            sha256(&[&self.secret, &k.to_le_bytes()])
        } else {
            sha256(&[&self.secret, &k.to_le_bytes(), &generation.to_le_bytes()])
        };
        let mut b = [0u8; 8];
        b.copy_from_slice(&h[..8]);
        i64::from_le_bytes(b)
    }

    fn period(&self, now: i64) -> i64 {
        now.div_euclid(i64::from(self.rotation_secs()))
    }

    /// The salt clients should use at `now`.
    pub fn current(&self, now: i64) -> i64 {
        self.at_period(self.period(now))
    }

    /// Whether `salt` is accepted at `now`.
    pub fn is_valid(&self, salt: i64, now: i64) -> bool {
        let k = self.period(now);
        salt == self.at_period(k) || salt == self.at_period(k - 1)
    }

    /// `num` salts from the current one on (1..=64, as Telegram caps it).
    pub fn future(&self, now: i64, num: i32) -> Vec<FutureSalt> {
        let k = self.period(now);
        let r = i64::from(self.rotation_secs());
        (0..i64::from(num.clamp(1, 64)))
            .map(|i| FutureSalt {
                valid_since: ((k + i) * r) as i32,
                valid_until: ((k + i + 2) * r) as i32,
                salt: self.at_period(k + i),
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn salts_rotate_with_one_period_of_grace() {
        let s = Salts::new([1; 32], 100);
        let a = s.current(1000);
        assert_eq!(s.current(1099), a);
        let b = s.current(1100);
        assert_ne!(a, b);
        assert!(s.is_valid(a, 1150) && s.is_valid(b, 1150));
        assert!(!s.is_valid(a, 1200));
        let f = s.future(1050, 3);
        assert_eq!(f.len(), 3);
        assert_eq!((f[0].salt, f[0].valid_since), (a, 1000));
        assert_eq!((f[1].salt, f[1].valid_since), (b, 1100));
        assert!(s.future(0, 1000).len() == 64);
    }

    #[test]
    fn a_forced_change_retires_every_salt_and_rotation_can_change() {
        let s = Salts::new([1; 32], 100);
        let (a, prev) = (s.current(1050), s.current(950));
        s.force_change();
        let b = s.current(1050);
        assert_ne!(a, b);
        assert!(!s.is_valid(a, 1050) && !s.is_valid(prev, 1050));
        assert!(s.is_valid(b, 1050));
        assert_eq!(s.future(1050, 1)[0].salt, b);
        s.set_rotation_secs(10);
        assert_eq!(s.rotation_secs(), 10);
        assert_ne!(s.current(1050), s.current(1060));
    }
}
