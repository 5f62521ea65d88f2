//! Rotating server salts (core.telegram.org/mtproto/description#server-salt).
//!
//! Time is cut into periods of `rotation` seconds; the salt of period `k` is
//! derived from a per-server secret, so every DC and connection agrees on it
//! without storing anything. A message may carry the current period's salt or
//! the previous one (the grace Telegram gives while clients switch over), or the
//! key's first salt from the handshake during its first period.

use hearth_crypto::hash::sha256;

#[derive(Clone)]
pub struct Salts {
    secret: [u8; 32],
    rotation: u32,
}

impl std::fmt::Debug for Salts {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Salts {{ rotation: {} }}", self.rotation)
    }
}

/// One entry of `future_salts`.
pub use hearth_tl::mtproto::special::FutureSalt;

impl Salts {
    pub fn new(secret: [u8; 32], rotation_secs: u32) -> Self {
        Self {
            secret,
            rotation: rotation_secs.max(1),
        }
    }

    fn at_period(&self, k: i64) -> i64 {
        let h = sha256(&[&self.secret, &k.to_le_bytes()]);
        let mut b = [0u8; 8];
        b.copy_from_slice(&h[..8]);
        i64::from_le_bytes(b)
    }

    fn period(&self, now: i64) -> i64 {
        now.div_euclid(i64::from(self.rotation))
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
        let r = i64::from(self.rotation);
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
}
