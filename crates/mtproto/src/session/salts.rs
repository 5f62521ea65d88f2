//! Server salts (core.telegram.org/mtproto/description#server-salt and
//! service_messages#request-for-several-future-salts).
//!
//! The current salt is replaced by `bad_server_salt` / `new_session_created`,
//! and the store also keeps the `future_salts` the server announced: once the
//! current salt's validity ends (server time), the next future salt valid at
//! that moment takes over.

/// One announced salt, valid for server times in `valid_since..valid_until`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FutureSalt {
    pub valid_since: i32,
    pub valid_until: i32,
    pub salt: i64,
}

/// The salt in use and the ones announced for later.
#[derive(Debug, Clone, Default)]
pub struct Salts {
    current: i64,
    /// Validity end of `current` if it came from `future_salts`.
    current_until: Option<i32>,
    /// Sorted by `valid_since`.
    future: Vec<FutureSalt>,
}

impl Salts {
    pub fn new(current: i64) -> Self {
        Self {
            current,
            current_until: None,
            future: Vec::new(),
        }
    }

    /// The salt to put into the next outgoing message at server time `server_now`.
    /// Switches to a stored future salt when the current one has expired.
    pub fn current(&mut self, server_now: i64) -> i64 {
        let expired = self
            .current_until
            .map(|until| i64::from(until) <= server_now)
            .unwrap_or(false);
        // Drop salts whose validity has ended.
        self.future
            .retain(|s| i64::from(s.valid_until) > server_now);
        if expired || self.current_until.is_none() {
            if let Some(pos) = self
                .future
                .iter()
                .position(|s| i64::from(s.valid_since) <= server_now)
            {
                let s = self.future.remove(pos);
                self.current = s.salt;
                self.current_until = Some(s.valid_until);
            }
        }
        self.current
    }

    /// The salt as stored, without switching.
    pub fn peek(&self) -> i64 {
        self.current
    }

    /// A salt the server told us to use (bad_server_salt, new_session_created,
    /// or the first salt from the auth key exchange). It stays current until a
    /// stored future salt becomes valid.
    pub fn set(&mut self, salt: i64) {
        self.current = salt;
        self.current_until = None;
    }

    /// Stores the salts of a `future_salts` answer.
    pub fn add_future(&mut self, salts: impl IntoIterator<Item = FutureSalt>) {
        for s in salts {
            if s.valid_until > s.valid_since && !self.future.contains(&s) {
                self.future.push(s);
            }
        }
        self.future.sort_by_key(|s| s.valid_since);
    }

    /// Number of announced salts still stored; the caller asks for more
    /// (`get_future_salts`) when this runs low.
    pub fn future_len(&self) -> usize {
        self.future.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fs(since: i32, until: i32, salt: i64) -> FutureSalt {
        FutureSalt {
            valid_since: since,
            valid_until: until,
            salt,
        }
    }

    #[test]
    fn switches_when_valid_until_passes() {
        let mut s = Salts::new(1);
        s.add_future([fs(100, 200, 10), fs(200, 300, 20)]);
        assert_eq!(s.current(150), 10);
        assert_eq!(s.current(199), 10);
        assert_eq!(s.current(200), 20);
        assert_eq!(s.future_len(), 0);
        // after the last one expires the last salt stays (server will correct it)
        assert_eq!(s.current(400), 20);
    }

    #[test]
    fn server_salt_overrides_until_future_salt_available() {
        let mut s = Salts::new(1);
        assert_eq!(s.current(0), 1);
        s.set(7);
        assert_eq!(s.current(0), 7);
        s.add_future([fs(50, 60, 9)]);
        assert_eq!(s.current(10), 7, "future salt not yet valid");
        assert_eq!(s.current(55), 9);
    }

    #[test]
    fn expired_and_bogus_future_salts_are_dropped() {
        let mut s = Salts::new(1);
        s.add_future([fs(0, 10, 5), fs(30, 20, 6)]);
        assert_eq!(s.future_len(), 1);
        assert_eq!(s.current(11), 1);
        assert_eq!(s.future_len(), 0);
    }
}
