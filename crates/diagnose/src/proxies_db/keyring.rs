//! Where proxy passwords and MTProxy secrets live: the [`ProxySecrets`]
//! seam, backed by the OS keyring in the app and by memory (or a failing
//! store) in tests.

use hearth_store::secrets::SecretStore;
use hearth_store::AccountId;
use zeroize::Zeroizing;

/// Where proxy passwords and secrets live. Implementations may block (a
/// D-Bus round trip, a keyring unlock prompt): `proxies_db` never calls them
/// while it holds the database.
pub trait ProxySecrets {
    fn put(&self, proxy_id: i64, secret: &[u8]) -> Result<(), String>;
    /// `Ok(None)`: there is no entry for `proxy_id`.
    fn get(&self, proxy_id: i64) -> Result<Option<Zeroizing<Vec<u8>>>, String>;
    /// Deleting an entry that does not exist succeeds.
    fn delete(&self, proxy_id: i64) -> Result<(), String>;
}

/// Keyring entries `0/proxy/<id>`: account 0 is never an account's id
/// (ids start at 1), so the entries stay apart from auth keys.
impl ProxySecrets for SecretStore {
    fn put(&self, proxy_id: i64, secret: &[u8]) -> Result<(), String> {
        SecretStore::put(self, AccountId(0), &kind(proxy_id), secret).map_err(|e| e.to_string())
    }

    fn get(&self, proxy_id: i64) -> Result<Option<Zeroizing<Vec<u8>>>, String> {
        SecretStore::get(self, AccountId(0), &kind(proxy_id))
            .map(|s| s.map(|s| Zeroizing::new(s.expose().to_vec())))
            .map_err(|e| e.to_string())
    }

    fn delete(&self, proxy_id: i64) -> Result<(), String> {
        SecretStore::delete(self, AccountId(0), &kind(proxy_id)).map_err(|e| e.to_string())
    }
}

/// The keyring entry kind of proxy `proxy_id` (under account 0).
pub fn kind(proxy_id: i64) -> String {
    format!("proxy/{proxy_id}")
}
