//! Where [`super::SqliteSessionStorage`] keeps auth keys: an [`AuthKeyBackend`]. The real one
//! is the OS keyring ([`SecretStore`]); tests of the SQLite part swap in their own so they run
//! without a Secret Service.

use crate::secrets::{Secret, SecretError, SecretStore};
use crate::AccountId;

/// A store of binary secrets by account and kind, with the semantics of [`SecretStore`]:
/// `get` of a missing entry is `Ok(None)`, `delete` of a missing entry succeeds.
///
/// Invariant for implementations used outside tests: nothing is written to disk in plaintext.
pub trait AuthKeyBackend: Send + Sync {
    fn get(&self, account: AccountId, kind: &str) -> Result<Option<Secret>, SecretError>;
    fn put(&self, account: AccountId, kind: &str, secret: &[u8]) -> Result<(), SecretError>;
    fn delete(&self, account: AccountId, kind: &str) -> Result<(), SecretError>;
}

impl AuthKeyBackend for SecretStore {
    fn get(&self, account: AccountId, kind: &str) -> Result<Option<Secret>, SecretError> {
        SecretStore::get(self, account, kind)
    }

    fn put(&self, account: AccountId, kind: &str, secret: &[u8]) -> Result<(), SecretError> {
        SecretStore::put(self, account, kind, secret)
    }

    fn delete(&self, account: AccountId, kind: &str) -> Result<(), SecretError> {
        SecretStore::delete(self, account, kind)
    }
}
