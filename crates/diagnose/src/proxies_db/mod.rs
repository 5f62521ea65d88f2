//! Saved proxies: a `proxies` table for everything but the secret parts,
//! and the OS keyring for passwords and MTProxy secrets (never SQLite).
//!
//! `hearth-store` owns the database and creates the table (its migration
//! `0002_proxies.sql`); these functions work on its connection
//! (`hearth_store::Database::connection`).

use hearth_sender::connect::{Credentials, Endpoint, Route};
use hearth_store::secrets::SecretStore;
use hearth_store::AccountId;
use hearth_transport::MtProxySecret;
use rusqlite::{params, Connection, OptionalExtension};
use zeroize::Zeroizing;

use crate::proxy::ProxySpec;

/// Where proxy passwords and secrets live.
pub trait ProxySecrets {
    fn put(&self, proxy_id: i64, secret: &[u8]) -> Result<(), String>;
    fn get(&self, proxy_id: i64) -> Result<Option<Zeroizing<Vec<u8>>>, String>;
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

fn kind(proxy_id: i64) -> String {
    format!("proxy/{proxy_id}")
}

/// Why saving or loading a proxy failed.
#[derive(Debug, thiserror::Error)]
pub enum ProxyStoreError {
    #[error("the proxies table could not be read or written: {0}")]
    Sql(#[from] rusqlite::Error),
    #[error("the keyring could not store or read the secret of proxy {id}: {detail}; check that the keyring is unlocked")]
    Secret { id: i64, detail: String },
    #[error("saved proxy {id} is damaged ({detail}); delete it and add it again")]
    Damaged { id: i64, detail: String },
    #[error("account {0} does not exist; it may have been removed")]
    NoSuchAccount(i64),
    #[error(transparent)]
    Store(#[from] hearth_store::StoreError),
}

fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64)
}

/// Saves `proxy`; returns its id. The secret part goes to `secrets`; if
/// that fails the row is removed again.
pub fn save(
    conn: &Connection,
    secrets: &dyn ProxySecrets,
    proxy: &ProxySpec,
) -> Result<i64, ProxyStoreError> {
    let (username, secret): (Option<&str>, Option<Zeroizing<Vec<u8>>>) = match proxy {
        ProxySpec::Socks5 { credentials, .. } | ProxySpec::Http { credentials, .. } => (
            credentials.as_ref().map(|c| c.username.as_str()),
            credentials
                .as_ref()
                .map(|c| Zeroizing::new(c.password.as_bytes().to_vec())),
        ),
        ProxySpec::MtProxy { secret, .. } => (None, Some(Zeroizing::new(secret.to_bytes()))),
    };
    let addr = proxy.addr();
    conn.execute(
        "INSERT INTO proxies (kind, host, port, username, has_secret, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![proxy.kind().as_str(), addr.host, addr.port, username, secret.is_some(), now()],
    )?;
    let id = conn.last_insert_rowid();
    if let Some(s) = secret {
        if let Err(detail) = secrets.put(id, &s) {
            conn.execute("DELETE FROM proxies WHERE id = ?1", [id])?;
            return Err(ProxyStoreError::Secret { id, detail });
        }
    }
    Ok(id)
}

/// Every saved proxy (enabled or not) with its id, oldest first.
pub fn load_all(
    conn: &Connection,
    secrets: &dyn ProxySecrets,
) -> Result<Vec<(i64, ProxySpec)>, ProxyStoreError> {
    query(conn, secrets, "ORDER BY id", [])
}

/// The saved proxy `id`, or `None` if there is none.
pub fn load(
    conn: &Connection,
    secrets: &dyn ProxySecrets,
    id: i64,
) -> Result<Option<ProxySpec>, ProxyStoreError> {
    Ok(query(conn, secrets, "WHERE id = ?1", [id])?
        .pop()
        .map(|(_, spec)| spec))
}

/// The route the engine connects `account` over: through its saved proxy
/// (`accounts.proxy_id`), or direct when it has none.
pub fn account_route(
    db: &hearth_store::Database,
    secrets: &dyn ProxySecrets,
    account: AccountId,
) -> Result<Route, ProxyStoreError> {
    let account = db
        .get_account(account)?
        .ok_or(ProxyStoreError::NoSuchAccount(account.0))?;
    let Some(id) = account.proxy_id else {
        return Ok(Route::Direct);
    };
    let spec = load(db.connection(), secrets, id)?.ok_or_else(|| ProxyStoreError::Damaged {
        id,
        detail: "the account names a proxy that is not saved".into(),
    })?;
    Ok(spec.route())
}

/// Saved proxies selected by `tail` (a WHERE and/or ORDER BY clause).
fn query<P: rusqlite::Params>(
    conn: &Connection,
    secrets: &dyn ProxySecrets,
    tail: &str,
    params: P,
) -> Result<Vec<(i64, ProxySpec)>, ProxyStoreError> {
    let mut stmt = conn.prepare(&format!(
        "SELECT id, kind, host, port, username, has_secret FROM proxies {tail}"
    ))?;
    let rows = stmt
        .query_map(params, |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, u16>(3)?,
                r.get::<_, Option<String>>(4)?,
                r.get::<_, bool>(5)?,
            ))
        })?
        .collect::<Result<Vec<_>, _>>()?;
    let mut out = Vec::with_capacity(rows.len());
    for (id, kind, host, port, username, has_secret) in rows {
        let secret = if has_secret {
            let s = secrets
                .get(id)
                .map_err(|detail| ProxyStoreError::Secret { id, detail })?;
            Some(s.ok_or_else(|| ProxyStoreError::Damaged {
                id,
                detail: "its secret is missing from the keyring".into(),
            })?)
        } else {
            None
        };
        let addr = Endpoint::new(host, port);
        let credentials = username.map(|u| {
            let pass = secret
                .as_ref()
                .map(|s| String::from_utf8_lossy(s).into_owned())
                .unwrap_or_default();
            Credentials::new(u, pass)
        });
        let spec = match kind.as_str() {
            "socks5" => ProxySpec::Socks5 { addr, credentials },
            "http" => ProxySpec::Http { addr, credentials },
            "mtproxy" => {
                let bytes = secret.ok_or_else(|| ProxyStoreError::Damaged {
                    id,
                    detail: "an MTProxy without a secret".into(),
                })?;
                let secret =
                    MtProxySecret::from_bytes(&bytes).map_err(|e| ProxyStoreError::Damaged {
                        id,
                        detail: e.to_string(),
                    })?;
                ProxySpec::MtProxy { addr, secret }
            }
            other => {
                return Err(ProxyStoreError::Damaged {
                    id,
                    detail: format!("unknown kind \"{other}\""),
                })
            }
        };
        out.push((id, spec));
    }
    Ok(out)
}

/// Deletes a saved proxy and, if it has one, its keyring entry: a proxy
/// without a secret can be removed even when no keyring is reachable.
pub fn delete(
    conn: &Connection,
    secrets: &dyn ProxySecrets,
    id: i64,
) -> Result<(), ProxyStoreError> {
    let has_secret: Option<bool> = conn
        .query_row("SELECT has_secret FROM proxies WHERE id = ?1", [id], |r| {
            r.get(0)
        })
        .optional()?;
    if has_secret == Some(true) {
        secrets
            .delete(id)
            .map_err(|detail| ProxyStoreError::Secret { id, detail })?;
    }
    conn.execute("DELETE FROM proxies WHERE id = ?1", [id])?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::cell::RefCell;
    use std::collections::HashMap;

    #[derive(Default)]
    struct Memory(RefCell<HashMap<i64, Vec<u8>>>, bool);

    /// A real Hearth database (all migrations applied) in a temporary directory.
    fn database() -> (tempfile::TempDir, hearth_store::Database) {
        let dir = tempfile::tempdir().unwrap();
        let db = hearth_store::Database::open(dir.path()).unwrap();
        (dir, db)
    }

    impl ProxySecrets for Memory {
        fn put(&self, id: i64, s: &[u8]) -> Result<(), String> {
            if self.1 {
                return Err("keyring locked".into());
            }
            self.0.borrow_mut().insert(id, s.to_vec());
            Ok(())
        }
        fn get(&self, id: i64) -> Result<Option<Zeroizing<Vec<u8>>>, String> {
            Ok(self.0.borrow().get(&id).cloned().map(Zeroizing::new))
        }
        fn delete(&self, id: i64) -> Result<(), String> {
            if self.1 {
                return Err("keyring locked".into());
            }
            self.0.borrow_mut().remove(&id);
            Ok(())
        }
    }

    #[test]
    fn round_trip_keeps_secrets_out_of_sqlite() {
        let (_dir, db) = database();
        let conn = db.connection();
        let keyring = Memory::default();
        let specs = [
            "socks5://alice:hunter2@127.0.0.1:1080",
            "http://127.0.0.1:8888",
            "mtproxy://ee0123456789abcdef0123456789abcdef6578616d706c652e636f6d@127.0.0.1:443",
        ];
        let mut ids = Vec::new();
        for s in specs {
            ids.push(save(conn, &keyring, &ProxySpec::parse(s).unwrap()).unwrap());
        }
        let loaded = load_all(conn, &keyring).unwrap();
        assert_eq!(loaded.len(), 3);
        for ((id, spec), text) in loaded.iter().zip(specs) {
            assert_eq!(spec, &ProxySpec::parse(text).unwrap());
            assert!(ids.contains(id));
        }
        // Nothing secret in any column.
        let dump: Vec<String> = conn
            .prepare("SELECT kind || host || port || coalesce(username, '') FROM proxies")
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        assert!(dump
            .iter()
            .all(|r| !r.contains("hunter2") && !r.contains("0123456789abcdef")));
        assert_eq!(keyring.0.borrow().len(), 2);
        delete(conn, &keyring, ids[0]).unwrap();
        assert_eq!(load_all(conn, &keyring).unwrap().len(), 2);
        assert_eq!(keyring.0.borrow().len(), 1);
    }

    #[test]
    fn keyring_failure_leaves_no_row_and_missing_secret_is_reported() {
        let (_dir, db) = database();
        let conn = db.connection();
        let locked = Memory(RefCell::default(), true);
        let spec = ProxySpec::parse("socks5://u:p@127.0.0.1:1080").unwrap();
        assert!(matches!(
            save(conn, &locked, &spec),
            Err(ProxyStoreError::Secret { .. })
        ));
        let n: i64 = conn
            .query_row("SELECT count(*) FROM proxies", [], |r| r.get(0))
            .unwrap();
        assert_eq!(n, 0);
        let keyring = Memory::default();
        let id = save(conn, &keyring, &spec).unwrap();
        keyring.0.borrow_mut().clear();
        assert!(matches!(
            load_all(conn, &keyring),
            Err(ProxyStoreError::Damaged { id: i, .. }) if i == id
        ));
    }

    #[test]
    fn a_proxy_without_a_secret_is_removed_without_the_keyring() {
        let (_dir, db) = database();
        let conn = db.connection();
        let keyring = Memory::default();
        let plain = save(
            conn,
            &keyring,
            &ProxySpec::parse("http://127.0.0.1:8888").unwrap(),
        )
        .unwrap();
        let secret = save(
            conn,
            &keyring,
            &ProxySpec::parse("socks5://u:p@127.0.0.1:1080").unwrap(),
        )
        .unwrap();
        let locked = Memory(RefCell::new(keyring.0.borrow().clone()), true);
        delete(conn, &locked, plain).unwrap();
        assert!(matches!(
            delete(conn, &locked, secret),
            Err(ProxyStoreError::Secret { id, .. }) if id == secret
        ));
        let left: Vec<i64> = load_all(conn, &keyring)
            .unwrap()
            .into_iter()
            .map(|(id, _)| id)
            .collect();
        assert_eq!(left, vec![secret]);
    }
}
