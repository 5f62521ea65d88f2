//! Server RSA keys the client accepts, by fingerprint
//! (core.telegram.org/mtproto/auth_key, step 4: the client picks one of the
//! fingerprints the server lists that it has a key for).

use hearth_crypto::rsa::{RsaError, RsaPublicKey};

/// Telegram's production servers' key (fingerprint 0xd09d1d85de64fd85).
pub const PRODUCTION_PEM: &str = include_str!("../../../../schema/rsa-production.pem");
/// Telegram's test servers' key (fingerprint 0xb25898df208d2603).
pub const TEST_PEM: &str = include_str!("../../../../schema/rsa-test.pem");

/// A set of server public keys. Starts with Telegram's production and test
/// keys; more (e.g. a local emulator's) can be added at run time.
#[derive(Clone, Debug)]
pub struct KeyTable {
    keys: Vec<RsaPublicKey>,
}

impl KeyTable {
    /// An empty table (accepts no server until keys are added).
    pub fn empty() -> Self {
        Self { keys: Vec::new() }
    }

    /// Telegram's production and test keys.
    pub fn builtin() -> Result<Self, RsaError> {
        let mut t = Self::empty();
        t.add_pem(PRODUCTION_PEM)?;
        t.add_pem(TEST_PEM)?;
        Ok(t)
    }

    /// Adds every PKCS#1 key in `pem`.
    pub fn add_pem(&mut self, pem: &str) -> Result<(), RsaError> {
        for k in RsaPublicKey::parse_all(pem)? {
            self.add(k);
        }
        Ok(())
    }

    /// Adds a key (ignored if one with the same fingerprint is present).
    pub fn add(&mut self, key: RsaPublicKey) {
        if self.get(key.fingerprint()).is_none() {
            self.keys.push(key);
        }
    }

    pub fn get(&self, fingerprint: u64) -> Option<&RsaPublicKey> {
        self.keys.iter().find(|k| k.fingerprint() == fingerprint)
    }

    /// The first of the server's `fingerprints` that this table knows.
    pub fn pick(&self, fingerprints: &[i64]) -> Option<&RsaPublicKey> {
        fingerprints.iter().find_map(|f| self.get(*f as u64))
    }

    pub fn fingerprints(&self) -> Vec<u64> {
        self.keys.iter().map(|k| k.fingerprint()).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_keys_have_the_documented_fingerprints() {
        let t = KeyTable::builtin().unwrap();
        assert_eq!(
            t.fingerprints(),
            vec![0xd09d1d85de64fd85, 0xb25898df208d2603]
        );
        assert!(t.pick(&[1, 0xb25898df208d2603u64 as i64]).is_some());
        assert!(t.pick(&[1, 2]).is_none());
    }

    #[test]
    fn runtime_keys_are_added_once_and_garbage_is_refused() {
        let mut t = KeyTable::empty();
        assert!(t.pick(&[0xd09d1d85de64fd85u64 as i64]).is_none());
        t.add_pem(PRODUCTION_PEM).unwrap();
        t.add_pem(PRODUCTION_PEM).unwrap();
        assert_eq!(t.fingerprints().len(), 1);
        assert!(t.add_pem("not a key").is_err());
    }
}
