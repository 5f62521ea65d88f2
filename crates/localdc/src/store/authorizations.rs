//! Authorizations in the store: what each signed-in permanent key's client
//! said in `initConnection` and when it signed in and was last active
//! (core.telegram.org/method/account.getAuthorizations).
//!
//! Invariants: only permanent keys (`expires_at IS NULL`) signed in as a user
//! are authorizations; a sign-out clears the user, hash and sign-in time but
//! keeps the key; times are Unix seconds of the server's wall clock.

use rusqlite::{params, Connection, OptionalExtension};

use super::{Store, StoreError};

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

pub(super) fn migrate(conn: &Connection) -> Result<(), StoreError> {
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

    /// Moves the creation, sign-in and last activity of every authorization
    /// (only `user_id`'s, if given) `secs` seconds into the past, as if that
    /// much time had passed since: a test facility for rules that depend on
    /// an authorization's age (`auth.resetAuthorizations` needs a day).
    /// Returns how many authorizations were aged.
    pub fn age_authorizations(&self, secs: i64, user_id: Option<i64>) -> Result<usize, StoreError> {
        Ok(self.conn.execute(
            "UPDATE auth_key SET created_at = created_at - ?1,
                signed_in_at = signed_in_at - ?1, active_at = active_at - ?1
             WHERE user_id IS NOT NULL AND expires_at IS NULL
                AND (?2 IS NULL OR user_id = ?2)",
            params![secs, user_id],
        )?)
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
    use super::super::DB_FILE;
    use super::*;
    use hearth_crypto::AuthKey;

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
    fn aging_moves_every_time_of_the_chosen_authorizations_back() {
        let s = Store::open(None).unwrap();
        let keys: Vec<AuthKey> = (1..=4u8).map(|b| AuthKey::from_bytes([b; 256])).collect();
        for (i, k) in keys.iter().enumerate() {
            s.insert_key(k, 2, (i == 3).then_some(i64::MAX)).unwrap();
        }
        s.sign_in(keys[0].key_id(), 42, 1, 1_000).unwrap();
        s.sign_in(keys[1].key_id(), 42, 2, 2_000).unwrap();
        s.sign_in(keys[2].key_id(), 7, 3, 3_000).unwrap();
        s.sign_in(keys[3].key_id(), 42, 4, 4_000).unwrap();
        assert_eq!(
            s.age_authorizations(500, Some(42)).unwrap(),
            2,
            "temporary keys are no authorization"
        );
        let rows = s.authorizations(42).unwrap();
        let times: Vec<_> = rows
            .iter()
            .map(|r| (r.date_created, r.date_active))
            .collect();
        assert_eq!(times, [(500, 500), (1_500, 1_500)]);
        assert_eq!(
            s.authorizations(7).unwrap()[0].date_created,
            3_000,
            "user 7 untouched"
        );
        assert_eq!(s.age_authorizations(100, None).unwrap(), 3);
        assert_eq!(s.authorizations(7).unwrap()[0].date_created, 2_900);
        assert_eq!(s.authorizations(42).unwrap()[0].date_created, 400);
        s.sign_out(keys[2].key_id()).unwrap();
        assert_eq!(
            s.age_authorizations(100, Some(7)).unwrap(),
            0,
            "signed-out keys are not aged"
        );
    }
}
