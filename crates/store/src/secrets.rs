//! Binary secrets (auth keys) in the OS keyring.
//!
//! Each secret is one keyring entry with service [`SERVICE`] (`"Hearth"`) and user
//! `"<account-id>/<kind>"`, e.g. `"7/auth_key/dc2"`. The backend is the platform store: the
//! freedesktop Secret Service on Linux (gnome-keyring, KeePassXC), the Keychain on macOS, the
//! Credential Manager on Windows. There is deliberately no fallback: if no keyring is reachable
//! the caller gets a [`SecretError`] that says what is missing, and nothing is written to disk.
//!
//! Invariant: secret bytes are held in [`Secret`] (zeroized on drop, redacted in `Debug`) and
//! never logged; log lines name only the entry.

mod errors;

use std::path::Path;

use zeroize::Zeroizing;

use crate::AccountId;
use errors::from_keyring;
pub use errors::SecretError;

/// The keyring service name of all of Hearth's entries.
pub const SERVICE: &str = "Hearth";

/// Longest accepted `kind`.
const MAX_KIND_LEN: usize = 128;

/// The `kind` under which the auth key for `dc_id` is stored: `auth_key/dc<dc_id>`.
pub fn auth_key_kind(dc_id: i32) -> String {
    format!("auth_key/dc{dc_id}")
}

/// A secret read from the keyring. The buffer is zeroized on drop and never printed.
pub struct Secret(Zeroizing<Vec<u8>>);

impl Secret {
    /// The secret bytes. Do not copy them into buffers that are not zeroized.
    pub fn expose(&self) -> &[u8] {
        &self.0
    }

    /// Number of bytes.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether the secret is empty.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl From<Vec<u8>> for Secret {
    fn from(bytes: Vec<u8>) -> Self {
        Secret(Zeroizing::new(bytes))
    }
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Secret(<{} bytes redacted>)", self.0.len())
    }
}

/// Access to Hearth's entries in the OS keyring. Cheap to create; every call talks to the
/// keyring afresh, so a keyring started or unlocked later is picked up without a restart of
/// the store.
#[derive(Clone, Debug)]
pub struct SecretStore {
    service: String,
}

impl Default for SecretStore {
    fn default() -> Self {
        Self::new()
    }
}

impl SecretStore {
    /// The store for service [`SERVICE`].
    pub fn new() -> Self {
        Self::with_service(SERVICE)
    }

    /// A store under another service name: keeps tests, or a second profile, apart from the
    /// user's real entries.
    pub fn with_service(service: impl Into<String>) -> Self {
        SecretStore {
            service: service.into(),
        }
    }

    /// The store for the profile in data directory `dir`: service [`SERVICE`] for the platform's
    /// default data directory, `"Hearth (<dir>)"` for any other (a `HEARTH_DATA_DIR` profile), so
    /// two profiles that both have an account 7 never share keyring entries. Moving a non-default
    /// profile's directory therefore leaves its keys behind (its accounts must log in again).
    pub fn for_data_dir(dir: &Path) -> Self {
        let canonical = |p: &Path| std::fs::canonicalize(p).unwrap_or_else(|_| p.to_path_buf());
        let is_default = crate::paths::default_data_dir()
            .map(|d| canonical(&d) == canonical(dir))
            .unwrap_or(false);
        if is_default {
            Self::new()
        } else {
            let shown = std::path::absolute(dir).unwrap_or_else(|_| dir.to_path_buf());
            Self::with_service(format!("{SERVICE} ({})", shown.display()))
        }
    }

    /// The service name entries are stored under.
    pub fn service(&self) -> &str {
        &self.service
    }

    /// Checks that the keyring is reachable and usable by reading an entry that does not
    /// exist. Call at startup to show a missing keyring to the user before any login.
    pub fn probe(&self) -> Result<(), SecretError> {
        let entry = self.entry_named("probe")?;
        match entry.get_secret() {
            Ok(bytes) => {
                drop(Zeroizing::new(bytes));
                Ok(())
            }
            Err(keyring::Error::NoEntry) => Ok(()),
            Err(e) => Err(from_keyring(e, "probe")),
        }
    }

    /// Stores `secret` as `<account>/<kind>`, replacing any previous value.
    pub fn put(&self, account: AccountId, kind: &str, secret: &[u8]) -> Result<(), SecretError> {
        let name = entry_name(account, kind)?;
        let entry = self.entry_named(&name)?;
        entry
            .set_secret(secret)
            .map_err(|e| from_keyring(e, &name))?;
        tracing::debug!(entry = %name, service = %self.service, "secret stored");
        Ok(())
    }

    /// Reads `<account>/<kind>`; `None` if there is no such entry.
    pub fn get(&self, account: AccountId, kind: &str) -> Result<Option<Secret>, SecretError> {
        let name = entry_name(account, kind)?;
        let entry = self.entry_named(&name)?;
        match entry.get_secret() {
            Ok(bytes) => Ok(Some(Secret::from(bytes))),
            Err(keyring::Error::NoEntry) => Ok(None),
            Err(e) => Err(from_keyring(e, &name)),
        }
    }

    /// Deletes `<account>/<kind>`. Deleting an entry that does not exist succeeds.
    pub fn delete(&self, account: AccountId, kind: &str) -> Result<(), SecretError> {
        let name = entry_name(account, kind)?;
        let entry = self.entry_named(&name)?;
        match entry.delete_credential() {
            Ok(()) => {
                tracing::debug!(entry = %name, service = %self.service, "secret deleted");
                Ok(())
            }
            Err(keyring::Error::NoEntry) => Ok(()),
            Err(e) => Err(from_keyring(e, &name)),
        }
    }

    fn entry_named(&self, name: &str) -> Result<keyring::Entry, SecretError> {
        keyring::Entry::new(&self.service, name).map_err(|e| from_keyring(e, name))
    }
}

/// `"<account>/<kind>"`, after checking that `kind` is a short printable ASCII path.
fn entry_name(account: AccountId, kind: &str) -> Result<String, SecretError> {
    let invalid = |reason: &str| SecretError::InvalidName {
        name: format!("{account}/{kind}"),
        reason: reason.to_owned(),
    };
    if kind.is_empty() {
        return Err(invalid("the kind is empty"));
    }
    if kind.len() > MAX_KIND_LEN {
        return Err(invalid("the kind is longer than 128 bytes"));
    }
    if !kind.bytes().all(|b| b.is_ascii_graphic()) {
        return Err(invalid(
            "the kind may only contain printable ASCII without spaces",
        ));
    }
    if kind.starts_with('/') || kind.ends_with('/') || kind.contains("//") {
        return Err(invalid("the kind has an empty path segment"));
    }
    Ok(format!("{account}/{kind}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entry_names() {
        assert_eq!(
            entry_name(AccountId(7), &auth_key_kind(2)).unwrap(),
            "7/auth_key/dc2"
        );
        for bad in ["", "/x", "x/", "a//b", "a b", "é", "a\nb"] {
            let err = entry_name(AccountId(1), bad).unwrap_err();
            assert!(matches!(err, SecretError::InvalidName { .. }), "{bad:?}");
        }
        assert!(entry_name(AccountId(1), &"k".repeat(MAX_KIND_LEN)).is_ok());
        assert!(entry_name(AccountId(1), &"k".repeat(MAX_KIND_LEN + 1)).is_err());
    }

    #[test]
    fn invalid_kind_is_refused_before_the_keyring_is_contacted() {
        // The service name is bogus on purpose: validation must fail first.
        let store = SecretStore::with_service("Hearth-unit-test");
        let err = store.put(AccountId(1), "a b", b"x").unwrap_err();
        assert!(matches!(err, SecretError::InvalidName { .. }));
    }

    #[test]
    fn profiles_get_their_own_service() {
        let default = crate::paths::default_data_dir().unwrap();
        assert_eq!(SecretStore::for_data_dir(&default).service(), SERVICE);
        let tmp = tempfile::tempdir().unwrap();
        let other = SecretStore::for_data_dir(tmp.path());
        assert_eq!(
            other.service(),
            format!("Hearth ({})", tmp.path().display())
        );
    }

    #[test]
    fn secret_debug_is_redacted() {
        let secret = Secret::from(vec![0xAB; 256]);
        let text = format!("{secret:?}");
        assert_eq!(text, "Secret(<256 bytes redacted>)");
        assert!(!text.to_lowercase().contains("ab, "));
        assert_eq!(secret.expose(), &[0xAB; 256][..]);
    }
}
