//! Persistent server state: auth keys and which user each is signed in as.
//!
//! SQLite (`localdc.sqlite3` in the state dir) or an in-memory database when the
//! server runs without one; one code path either way.

use std::path::Path;

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

pub struct Store {
    conn: Connection,
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
        Ok(Self { conn })
    }

    pub fn insert_key(
        &self,
        key: &AuthKey,
        dc: i32,
        expires_at: Option<i64>,
    ) -> Result<(), StoreError> {
        self.conn.execute(
            "INSERT OR REPLACE INTO auth_key (id, key, dc, expires_at) VALUES (?1, ?2, ?3, ?4)",
            params![key.key_id() as i64, &key.as_bytes()[..], dc, expires_at],
        )?;
        Ok(())
    }

    pub fn key(&self, id: u64) -> Result<Option<StoredKey>, StoreError> {
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
}
