//! Persistent server state: auth keys and which user each is signed in as.
//!
//! SQLite (`localdc.sqlite3` in the state dir) or an in-memory database when the
//! server runs without one; one code path either way.
//!
//! Each permanent key that is signed in is one *authorization*
//! (core.telegram.org/method/account.getAuthorizations): the row also keeps
//! what the client's `initConnection` said, when the key was created, signed
//! in and last active, and the random nonzero `hash` that names the
//! authorization in `account.resetAuthorization` (columns and queries in
//! [`authorizations`]).
//!
//! Every encrypted packet needs its key (and, for the signed-in checks, the
//! permanent key and its user), so [`Store::key`] answers from an in-memory
//! cache. The cache cannot go stale: an SQLite update hook drops the cached
//! row whenever any statement on this connection inserts, updates or deletes
//! that `auth_key` row, whichever method runs it. (SQLite skips the hook for
//! `DELETE FROM auth_key` without a `WHERE` clause; [`Store::clear_cache`]
//! exists for such statements.)

use std::collections::HashMap;
use std::path::Path;
use std::sync::{Arc, Mutex};

use rusqlite::{params, Connection, OptionalExtension};

use authorizations::migrate;

use hearth_crypto::AuthKey;

/// File name of the database inside the state dir.
pub const DB_FILE: &str = "localdc.sqlite3";

#[derive(Debug, thiserror::Error)]
#[error("localdc state database: {0}")]
pub struct StoreError(#[from] rusqlite::Error);

/// An auth key the server knows.
#[derive(Debug, Clone)]
pub struct StoredKey {
    pub key: AuthKey,
    pub dc: i32,
    /// Unix time a temporary key expires; `None` for permanent keys.
    pub expires_at: Option<i64>,
    /// For a temporary key bound with `auth.bindTempAuthKey`: the permanent key's id.
    pub perm_key_id: Option<u64>,
    pub user_id: Option<i64>,
    pub layer: Option<i32>,
}

/// Cached rows of `auth_key` by id, shared with the update hook.
type KeyCache = Arc<Mutex<HashMap<u64, StoredKey>>>;

pub struct Store {
    conn: Connection,
    cache: KeyCache,
}

fn lock_cache(cache: &KeyCache) -> std::sync::MutexGuard<'_, HashMap<u64, StoredKey>> {
    // Entries are whole values inserted or removed at once: a panic elsewhere
    // cannot leave one half-written.
    cache.lock().unwrap_or_else(|e| e.into_inner())
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Store { .. }")
    }
}

impl Store {
    /// Opens `dir/localdc.sqlite3`, or an in-memory database for `None`.
    pub fn open(dir: Option<&Path>) -> Result<Self, StoreError> {
        let conn = match dir {
            Some(d) => Connection::open(d.join(DB_FILE))?,
            None => Connection::open_in_memory()?,
        };
        conn.execute_batch(
            "CREATE TABLE IF NOT EXISTS auth_key (
                id INTEGER PRIMARY KEY,
                key BLOB NOT NULL,
                dc INTEGER NOT NULL,
                expires_at INTEGER,
                perm_key_id INTEGER,
                user_id INTEGER,
                layer INTEGER
            );",
        )?;
        migrate(&conn)?;
        let cache = KeyCache::default();
        let hooked = cache.clone();
        conn.update_hook(Some(
            move |_: rusqlite::hooks::Action, _: &str, table: &str, rowid: i64| {
                if table == "auth_key" {
                    lock_cache(&hooked).remove(&(rowid as u64));
                }
            },
        ));
        Ok(Self { conn, cache })
    }

    /// Forgets every cached key (after statements the update hook misses).
    pub fn clear_cache(&self) {
        lock_cache(&self.cache).clear();
    }

    pub fn insert_key(
        &self,
        key: &AuthKey,
        dc: i32,
        expires_at: Option<i64>,
    ) -> Result<(), StoreError> {
        self.conn.execute(
            "INSERT OR REPLACE INTO auth_key (id, key, dc, expires_at, created_at)
             VALUES (?1, ?2, ?3, ?4, strftime('%s', 'now'))",
            params![key.key_id() as i64, &key.as_bytes()[..], dc, expires_at],
        )?;
        Ok(())
    }

    /// The stored key with this id (from the cache when it holds it).
    pub fn key(&self, id: u64) -> Result<Option<StoredKey>, StoreError> {
        if let Some(k) = lock_cache(&self.cache).get(&id) {
            return Ok(Some(k.clone()));
        }
        let key = self.load_key(id)?;
        if let Some(k) = &key {
            lock_cache(&self.cache).insert(id, k.clone());
        }
        Ok(key)
    }

    fn load_key(&self, id: u64) -> Result<Option<StoredKey>, StoreError> {
        let row = self
            .conn
            .query_row(
                "SELECT key, dc, expires_at, perm_key_id, user_id, layer FROM auth_key WHERE id = ?1",
                params![id as i64],
                |r| {
                    Ok((
                        r.get::<_, Vec<u8>>(0)?,
                        r.get::<_, i32>(1)?,
                        r.get::<_, Option<i64>>(2)?,
                        r.get::<_, Option<i64>>(3)?,
                        r.get::<_, Option<i64>>(4)?,
                        r.get::<_, Option<i32>>(5)?,
                    ))
                },
            )
            .optional()?;
        Ok(
            row.and_then(|(bytes, dc, expires_at, perm, user_id, layer)| {
                let key: [u8; 256] = bytes.try_into().ok()?;
                Some(StoredKey {
                    key: AuthKey::from_bytes(key),
                    dc,
                    expires_at,
                    perm_key_id: perm.map(|p| p as u64),
                    user_id,
                    layer,
                })
            }),
        )
    }

    /// Forgets a key (and the temporary keys bound to it).
    pub fn delete_key(&self, id: u64) -> Result<(), StoreError> {
        self.conn.execute(
            "DELETE FROM auth_key WHERE id = ?1 OR perm_key_id = ?1",
            params![id as i64],
        )?;
        Ok(())
    }

    pub fn contains(&self, id: u64) -> Result<bool, StoreError> {
        Ok(self.key(id)?.is_some())
    }

    pub fn bind(&self, temp_id: u64, perm_id: u64) -> Result<(), StoreError> {
        self.conn.execute(
            "UPDATE auth_key SET perm_key_id = ?2 WHERE id = ?1",
            params![temp_id as i64, perm_id as i64],
        )?;
        Ok(())
    }

    pub fn set_user(&self, id: u64, user_id: Option<i64>) -> Result<(), StoreError> {
        self.conn.execute(
            "UPDATE auth_key SET user_id = ?2 WHERE id = ?1",
            params![id as i64, user_id],
        )?;
        Ok(())
    }

    pub fn set_layer(&self, id: u64, layer: i32) -> Result<(), StoreError> {
        self.conn.execute(
            "UPDATE auth_key SET layer = ?2 WHERE id = ?1",
            params![id as i64, layer],
        )?;
        Ok(())
    }
}
mod authorizations;

pub use authorizations::{AuthorizationRow, ClientInfo};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_persist_across_reopen() {
        let dir = tempfile::tempdir().unwrap();
        let key = AuthKey::from_bytes([5u8; 256]);
        {
            let s = Store::open(Some(dir.path())).unwrap();
            s.insert_key(&key, 2, None).unwrap();
            s.set_user(key.key_id(), Some(42)).unwrap();
            s.set_layer(key.key_id(), 229).unwrap();
        }
        let s = Store::open(Some(dir.path())).unwrap();
        let got = s.key(key.key_id()).unwrap().unwrap();
        assert_eq!(got.key.as_bytes(), key.as_bytes());
        assert_eq!((got.dc, got.user_id, got.layer), (2, Some(42), Some(229)));
        assert!(s.key(1).unwrap().is_none());
    }

    #[test]
    fn cached_keys_follow_every_write() {
        let s = Store::open(None).unwrap();
        let key = AuthKey::from_bytes([9u8; 256]);
        let id = key.key_id();
        s.insert_key(&key, 2, None).unwrap();
        assert_eq!(s.key(id).unwrap().unwrap().user_id, None);
        s.set_user(id, Some(7)).unwrap();
        assert_eq!(s.key(id).unwrap().unwrap().user_id, Some(7));
        s.bind(id, 99).unwrap();
        assert_eq!(s.key(id).unwrap().unwrap().perm_key_id, Some(99));
        // A statement no method of ours runs still reaches the cache.
        s.conn
            .execute(
                "UPDATE auth_key SET dc = 4 WHERE id = ?1",
                params![id as i64],
            )
            .unwrap();
        assert_eq!(s.key(id).unwrap().unwrap().dc, 4);
        s.conn
            .execute("DELETE FROM auth_key WHERE id = ?1", params![id as i64])
            .unwrap();
        assert!(s.key(id).unwrap().is_none());
    }
}
