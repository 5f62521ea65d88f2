//! Persistent server state: auth keys and which user each is signed in as.
//!
//! SQLite (`localdc.sqlite3` in the state dir) or an in-memory database when the
//! server runs without one; one code path either way.
//!
//! Each permanent key that is signed in is one *authorization*
//! (core.telegram.org/method/account.getAuthorizations): the row also keeps
//! what the client's `initConnection` said, when the key was created, signed
//! in and last active, and the random nonzero `hash` that names the
//! authorization in `account.resetAuthorization`.
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

/// Authorization columns added after the first schema; old databases gain them.
const AUTHZ_COLUMNS: [(&str, &str); 10] = [
    ("api_id", "INTEGER"),
    ("device_model", "TEXT"),
    ("system_version", "TEXT"),
    ("app_version", "TEXT"),
    ("system_lang_code", "TEXT"),
    ("lang_code", "TEXT"),
    ("created_at", "INTEGER"),
    ("active_at", "INTEGER"),
    ("signed_in_at", "INTEGER"),
    ("auth_hash", "INTEGER"),
];

fn migrate(conn: &Connection) -> Result<(), StoreError> {
    let existing: Vec<String> = conn
        .prepare("SELECT name FROM pragma_table_info('auth_key')")?
        .query_map([], |r| r.get(0))?
        .collect::<Result<_, _>>()?;
    for (name, ty) in AUTHZ_COLUMNS {
        if !existing.iter().any(|e| e == name) {
            conn.execute_batch(&format!("ALTER TABLE auth_key ADD COLUMN {name} {ty};"))?;
        }
    }
    Ok(())
}

/// What a client said about itself in `initConnection`
/// (core.telegram.org/method/initConnection).
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ClientInfo {
    pub api_id: i32,
    pub device_model: String,
    pub system_version: String,
    pub app_version: String,
    pub system_lang_code: String,
    pub lang_code: String,
}

/// One signed-in permanent key: an authorization of its user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuthorizationRow {
    pub key_id: u64,
    pub dc: i32,
    pub hash: i64,
    pub info: ClientInfo,
    /// Unix time of the sign-in (falls back to the key's creation).
    pub date_created: i64,
    /// Unix time of the last `initConnection` or sign-in.
    pub date_active: i64,
}

impl Store {
    /// Records `initConnection` for key `id` and marks it active at `now`.
    pub fn set_client_info(&self, id: u64, info: &ClientInfo, now: i64) -> Result<(), StoreError> {
        self.conn.execute(
            "UPDATE auth_key SET api_id = ?2, device_model = ?3, system_version = ?4,
                app_version = ?5, system_lang_code = ?6, lang_code = ?7, active_at = ?8
             WHERE id = ?1",
            params![
                id as i64,
                info.api_id,
                info.device_model,
                info.system_version,
                info.app_version,
                info.system_lang_code,
                info.lang_code,
                now
            ],
        )?;
        Ok(())
    }

    /// Signs permanent key `id` in as `user_id`: a new authorization named `hash`.
    pub fn sign_in(&self, id: u64, user_id: i64, hash: i64, now: i64) -> Result<(), StoreError> {
        self.conn.execute(
            "UPDATE auth_key SET user_id = ?2, auth_hash = ?3, signed_in_at = ?4, active_at = ?4
             WHERE id = ?1",
            params![id as i64, user_id, hash, now],
        )?;
        Ok(())
    }

    /// Ends the authorization on key `id` (logOut, resetAuthorization): the key
    /// stays known but is signed out.
    pub fn sign_out(&self, id: u64) -> Result<(), StoreError> {
        self.conn.execute(
            "UPDATE auth_key SET user_id = NULL, auth_hash = NULL, signed_in_at = NULL WHERE id = ?1",
            params![id as i64],
        )?;
        Ok(())
    }

    /// Every permanent key signed in as `user_id`, oldest sign-in first.
    pub fn authorizations(&self, user_id: i64) -> Result<Vec<AuthorizationRow>, StoreError> {
        let mut stmt = self.conn.prepare(&format!(
            "SELECT {AUTHZ_SELECT} FROM auth_key WHERE user_id = ?1 AND expires_at IS NULL
             ORDER BY signed_in_at, id"
        ))?;
        let rows = stmt.query_map(params![user_id], authorization_row)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Key `id` described as an authorization (signed in or not).
    pub fn authorization(&self, id: u64) -> Result<Option<AuthorizationRow>, StoreError> {
        Ok(self
            .conn
            .query_row(
                &format!("SELECT {AUTHZ_SELECT} FROM auth_key WHERE id = ?1"),
                params![id as i64],
                authorization_row,
            )
            .optional()?)
    }
}

const AUTHZ_SELECT: &str = "id, dc, auth_hash, api_id, device_model, system_version, app_version,
    system_lang_code, lang_code, signed_in_at, created_at, active_at";

fn authorization_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<AuthorizationRow> {
    let created = r
        .get::<_, Option<i64>>(9)?
        .or(r.get::<_, Option<i64>>(10)?)
        .unwrap_or(0);
    Ok(AuthorizationRow {
        key_id: r.get::<_, i64>(0)? as u64,
        dc: r.get(1)?,
        hash: r.get::<_, Option<i64>>(2)?.unwrap_or(0),
        info: ClientInfo {
            api_id: r.get::<_, Option<i32>>(3)?.unwrap_or(0),
            device_model: r.get::<_, Option<String>>(4)?.unwrap_or_default(),
            system_version: r.get::<_, Option<String>>(5)?.unwrap_or_default(),
            app_version: r.get::<_, Option<String>>(6)?.unwrap_or_default(),
            system_lang_code: r.get::<_, Option<String>>(7)?.unwrap_or_default(),
            lang_code: r.get::<_, Option<String>>(8)?.unwrap_or_default(),
        },
        date_created: created,
        date_active: r.get::<_, Option<i64>>(11)?.unwrap_or(created),
    })
}

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
    fn authorizations_list_signed_in_permanent_keys_with_client_info() {
        let s = Store::open(None).unwrap();
        let (a, b, temp) = (
            AuthKey::from_bytes([1u8; 256]),
            AuthKey::from_bytes([2u8; 256]),
            AuthKey::from_bytes([3u8; 256]),
        );
        s.insert_key(&a, 2, None).unwrap();
        s.insert_key(&b, 4, None).unwrap();
        s.insert_key(&temp, 2, Some(i64::MAX)).unwrap();
        let info = ClientInfo {
            api_id: 12345,
            device_model: "Laptop".into(),
            system_version: "Linux".into(),
            app_version: "1.0".into(),
            system_lang_code: "en".into(),
            lang_code: "en".into(),
        };
        s.set_client_info(a.key_id(), &info, 1_000).unwrap();
        s.sign_in(a.key_id(), 42, 77, 900).unwrap();
        s.sign_in(b.key_id(), 42, 88, 950).unwrap();
        s.sign_in(temp.key_id(), 42, 99, 960).unwrap();
        let rows = s.authorizations(42).unwrap();
        assert_eq!(rows.len(), 2, "temporary keys are no authorization");
        assert_eq!(
            (rows[0].key_id, rows[0].hash, rows[0].dc),
            (a.key_id(), 77, 2)
        );
        assert_eq!(rows[0].info, info);
        assert_eq!((rows[0].date_created, rows[0].date_active), (900, 900));
        assert_eq!((rows[1].hash, rows[1].info.api_id), (88, 0));
        let one = s.authorization(b.key_id()).unwrap().unwrap();
        assert_eq!((one.key_id, one.dc, one.hash), (b.key_id(), 4, 88));
        assert!(s.authorization(12345).unwrap().is_none());
        s.sign_out(a.key_id()).unwrap();
        assert_eq!(s.key(a.key_id()).unwrap().unwrap().user_id, None);
        assert_eq!(s.authorizations(42).unwrap().len(), 1);
    }

    #[test]
    fn old_databases_gain_the_authorization_columns() {
        let dir = tempfile::tempdir().unwrap();
        {
            let c = Connection::open(dir.path().join(DB_FILE)).unwrap();
            c.execute_batch(
                "CREATE TABLE auth_key (id INTEGER PRIMARY KEY, key BLOB NOT NULL,
                 dc INTEGER NOT NULL, expires_at INTEGER, perm_key_id INTEGER,
                 user_id INTEGER, layer INTEGER);",
            )
            .unwrap();
        }
        let s = Store::open(Some(dir.path())).unwrap();
        let key = AuthKey::from_bytes([9u8; 256]);
        s.insert_key(&key, 3, None).unwrap();
        s.sign_in(key.key_id(), 5, 6, 7).unwrap();
        assert_eq!(s.authorizations(5).unwrap()[0].hash, 6);
        drop(s);
        Store::open(Some(dir.path())).expect("reopening a migrated database");
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
