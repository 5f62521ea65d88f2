//! Where the accounts' auth keys are kept: an [`AuthKeyBackend`] shared by every account's
//! [`SqliteSessionStorage`](hearth_store::session::SqliteSessionStorage). The app and
//! `hearth-cli` use the OS keyring ([`hearth_store::secrets::SecretStore`]); tests use
//! [`MemoryKeys`].

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};

use hearth_store::secrets::{Secret, SecretError};
use hearth_store::session::AuthKeyBackend;
use hearth_store::AccountId;
use zeroize::Zeroizing;

/// One backend shared by many session storages (each wants its own `Box`).
#[derive(Clone)]
pub struct SharedKeys(pub Arc<dyn AuthKeyBackend>);

impl AuthKeyBackend for SharedKeys {
    fn get(&self, account: AccountId, kind: &str) -> Result<Option<Secret>, SecretError> {
        self.0.get(account, kind)
    }

    fn put(&self, account: AccountId, kind: &str, secret: &[u8]) -> Result<(), SecretError> {
        self.0.put(account, kind, secret)
    }

    fn delete(&self, account: AccountId, kind: &str) -> Result<(), SecretError> {
        self.0.delete(account, kind)
    }
}

/// Secrets by account and kind.
type Entries = HashMap<(AccountId, String), Zeroizing<Vec<u8>>>;

/// Secrets in this process's memory only (zeroized when replaced or dropped), never on disk:
/// for tests and throw-away sessions. Everything is lost when the process ends.
#[derive(Default)]
pub struct MemoryKeys {
    entries: Mutex<Entries>,
}

impl MemoryKeys {
    pub fn new() -> Self {
        Self::default()
    }

    /// How many secrets are held (tests check that removal deleted them).
    pub fn len(&self) -> usize {
        self.lock().len()
    }

    /// Whether no secret is held.
    pub fn is_empty(&self) -> bool {
        self.lock().is_empty()
    }

    /// How many secrets belong to `account`.
    pub fn count_for(&self, account: AccountId) -> usize {
        self.lock().keys().filter(|(a, _)| *a == account).count()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Entries> {
        self.entries.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl std::fmt::Debug for MemoryKeys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MemoryKeys")
            .field("entries", &self.len())
            .finish()
    }
}

impl AuthKeyBackend for MemoryKeys {
    fn get(&self, account: AccountId, kind: &str) -> Result<Option<Secret>, SecretError> {
        Ok(self
            .lock()
            .get(&(account, kind.to_owned()))
            .map(|s| Secret::from(s.to_vec())))
    }

    fn put(&self, account: AccountId, kind: &str, secret: &[u8]) -> Result<(), SecretError> {
        self.lock()
            .insert((account, kind.to_owned()), Zeroizing::new(secret.to_vec()));
        Ok(())
    }

    fn delete(&self, account: AccountId, kind: &str) -> Result<(), SecretError> {
        self.lock().remove(&(account, kind.to_owned()));
        Ok(())
    }
}
