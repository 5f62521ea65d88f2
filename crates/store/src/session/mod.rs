//! [`SqliteSessionStorage`]: `hearth-session`'s [`SessionStorage`] for one account, in the
//! data directory's SQLite database (tables of migration 4, `session_*`) and the OS keyring.
//!
//! Invariants:
//! * auth keys go only to the [`AuthKeyBackend`] — the OS keyring through [`SecretStore`],
//!   entry `<account>/auth_key/dc<N>` ([`crate::secrets::auth_key_kind`]); SQLite records only
//!   which DCs have one (`session_auth_keys`), never a key byte;
//! * every row is keyed by the account and removed with it (`ON DELETE CASCADE`); removing an
//!   account row does not reach the keyring, so call [`SessionStorage::clear`] first;
//! * each save is one transaction: a failure leaves the previous data intact.
//!
//! The database handle is shared with the rest of the app (`Arc<Mutex<Database>>`); each call
//! holds the lock only for its own statements.

mod errors;
mod keys;
mod rows;

use std::collections::BTreeSet;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use hearth_session::{
    DcOption, PeerInfo, SessionData, SessionStorage, StorageError, StorageErrorKind, UpdateState,
    AUTH_KEY_LEN,
};
use rusqlite::{params, OptionalExtension};
use zeroize::Zeroizing;

pub use keys::AuthKeyBackend;

use crate::secrets::{auth_key_kind, SecretStore};
use crate::{AccountId, Database};

/// Telegram's DC numbers; [`SessionStorage::clear`] also tries these, in case a key was saved
/// but its record was not.
const KNOWN_DCS: std::ops::RangeInclusive<i32> = 1..=5;

/// One account's session in SQLite and the OS keyring.
pub struct SqliteSessionStorage {
    db: Arc<Mutex<Database>>,
    keys: Box<dyn AuthKeyBackend>,
    account: AccountId,
}

impl std::fmt::Debug for SqliteSessionStorage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SqliteSessionStorage")
            .field("account", &self.account)
            .finish_non_exhaustive()
    }
}

impl SqliteSessionStorage {
    /// The session of `account`, with its auth keys in the keyring `secrets` (use
    /// [`SecretStore::for_data_dir`] of the same data directory as `db`).
    pub fn new(db: Arc<Mutex<Database>>, secrets: SecretStore, account: AccountId) -> Self {
        Self::with_key_backend(db, Box::new(secrets), account)
    }

    /// The same with another place for auth keys (tests).
    pub fn with_key_backend(
        db: Arc<Mutex<Database>>,
        keys: Box<dyn AuthKeyBackend>,
        account: AccountId,
    ) -> Self {
        SqliteSessionStorage { db, keys, account }
    }

    /// The account this storage belongs to.
    pub fn account(&self) -> AccountId {
        self.account
    }

    fn db(&self) -> MutexGuard<'_, Database> {
        // A panic while holding the lock cannot leave a half-written save: every save is one
        // transaction, rolled back when dropped.
        self.db.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Runs `f` in one transaction of the shared connection.
    fn write(
        &self,
        action: &str,
        f: impl FnOnce(&rusqlite::Transaction<'_>, i64) -> rusqlite::Result<()>,
    ) -> Result<(), StorageError> {
        let db = self.db();
        let run = || -> rusqlite::Result<()> {
            let tx = db.conn.unchecked_transaction()?;
            f(&tx, self.account.0)?;
            tx.commit()
        };
        run().map_err(|e| self.db_error(action, e))
    }

    /// The DCs whose key may be in the keyring.
    fn key_dcs(&self) -> Result<BTreeSet<i32>, StorageError> {
        let db = self.db();
        let read = || -> rusqlite::Result<BTreeSet<i32>> {
            let mut dcs: BTreeSet<i32> = KNOWN_DCS.collect();
            for sql in [
                "SELECT dc_id FROM session_auth_keys WHERE account_id = ?1",
                "SELECT home_dc FROM session_info WHERE account_id = ?1 AND home_dc IS NOT NULL",
                "SELECT DISTINCT dc_id FROM session_dc_options WHERE account_id = ?1 AND dc_id > 0",
                "SELECT dc_id FROM accounts WHERE id = ?1",
            ] {
                let mut stmt = db.conn.prepare(sql)?;
                for dc in stmt.query_map([self.account.0], |r| r.get::<_, i32>(0))? {
                    dcs.insert(dc?);
                }
            }
            Ok(dcs)
        };
        read().map_err(|e| self.db_error("list the DCs with auth keys", e))
    }
}

impl SessionStorage for SqliteSessionStorage {
    fn load(&self) -> Result<SessionData, StorageError> {
        let db = self.db();
        let read = || -> rusqlite::Result<SessionData> {
            let tx = db.conn.unchecked_transaction()?;
            let account = self.account.0;
            let mut data = SessionData::default();
            if let Some((home_dc, self_user, is_bot)) = tx
                .query_row(
                    "SELECT home_dc, self_user, is_bot FROM session_info WHERE account_id = ?1",
                    [account],
                    |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
                )
                .optional()?
            {
                data.home_dc = home_dc;
                data.self_user = self_user;
                data.is_bot = is_bot;
            }
            let sql = format!(
                "SELECT {} FROM session_dc_options WHERE account_id = ?1 ORDER BY position",
                rows::DC_COLUMNS
            );
            let mut stmt = tx.prepare(&sql)?;
            for o in stmt.query_map([account], rows::dc_option)? {
                data.dc_options.extend(o?);
            }
            let sql = format!(
                "SELECT {} FROM session_peers WHERE account_id = ?1",
                rows::PEER_COLUMNS
            );
            let mut stmt = tx.prepare(&sql)?;
            for p in stmt.query_map([account], rows::peer)? {
                data.peers.extend(p?);
            }
            data.update_state = tx
                .query_row(
                    "SELECT pts, qts, date, seq FROM session_update_state WHERE account_id = ?1",
                    [account],
                    |r| {
                        Ok(UpdateState {
                            pts: r.get(0)?,
                            qts: r.get(1)?,
                            date: r.get(2)?,
                            seq: r.get(3)?,
                            channels: Default::default(),
                        })
                    },
                )
                .optional()?;
            if let Some(state) = data.update_state.as_mut() {
                let mut stmt = tx.prepare(
                    "SELECT channel_id, pts FROM session_channel_pts WHERE account_id = ?1",
                )?;
                for row in stmt.query_map([account], |r| Ok((r.get(0)?, r.get(1)?)))? {
                    let (id, pts) = row?;
                    state.channels.insert(id, pts);
                }
            }
            Ok(data)
        };
        read().map_err(|e| self.db_error("load the session", e))
    }

    fn set_home_dc(&self, dc: i32) -> Result<(), StorageError> {
        self.write("save the home DC", |tx, account| {
            tx.execute(
                "INSERT INTO session_info (account_id, home_dc) VALUES (?1, ?2)
                 ON CONFLICT (account_id) DO UPDATE SET home_dc = excluded.home_dc",
                params![account, dc],
            )
            .map(drop)
        })
    }

    fn save_dc_options(&self, options: &[DcOption]) -> Result<(), StorageError> {
        self.write("save the DC addresses", |tx, account| {
            tx.execute(
                "DELETE FROM session_dc_options WHERE account_id = ?1",
                [account],
            )?;
            let mut insert = tx.prepare(
                "INSERT INTO session_dc_options (account_id, position, dc_id, ip, port, ipv6,
                 media_only, cdn, tcpo_only, is_static, secret)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
            )?;
            for (i, o) in options.iter().enumerate() {
                insert.execute(params![
                    account,
                    i64::try_from(i).unwrap_or(i64::MAX),
                    o.id,
                    o.ip.to_string(),
                    o.port,
                    o.ip.is_ipv6(),
                    o.media_only,
                    o.cdn,
                    o.tcpo_only,
                    o.is_static,
                    o.secret,
                ])?;
            }
            Ok(())
        })
    }

    fn save_peers(&self, peers: &[PeerInfo]) -> Result<(), StorageError> {
        self.write("save the peers", |tx, account| {
            let mut upsert = tx.prepare(
                "INSERT INTO session_peers (account_id, peer_type, peer_id, kind, access_hash,
                 min, username, usernames, phone, title, deleted)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)
                 ON CONFLICT (account_id, peer_type, peer_id) DO UPDATE SET
                 kind = excluded.kind, access_hash = excluded.access_hash, min = excluded.min,
                 username = excluded.username, usernames = excluded.usernames,
                 phone = excluded.phone, title = excluded.title, deleted = excluded.deleted",
            )?;
            for p in peers {
                let (peer_type, peer_id) = rows::peer_key(p.id);
                let usernames: Vec<&str> = p
                    .usernames
                    .iter()
                    .map(String::as_str)
                    .filter(|u| !u.is_empty() && !u.contains(char::is_whitespace))
                    .collect();
                upsert.execute(params![
                    account,
                    peer_type,
                    peer_id,
                    p.kind.as_str(),
                    p.access_hash,
                    p.min,
                    p.username,
                    usernames.join(" "),
                    p.phone,
                    p.title,
                    p.deleted,
                ])?;
            }
            Ok(())
        })
    }

    fn save_update_state(&self, state: &UpdateState) -> Result<(), StorageError> {
        self.write("save the update state", |tx, account| {
            tx.execute(
                "INSERT INTO session_update_state (account_id, pts, qts, date, seq)
                 VALUES (?1, ?2, ?3, ?4, ?5)
                 ON CONFLICT (account_id) DO UPDATE SET pts = excluded.pts, qts = excluded.qts,
                 date = excluded.date, seq = excluded.seq",
                params![account, state.pts, state.qts, state.date, state.seq],
            )?;
            tx.execute(
                "DELETE FROM session_channel_pts WHERE account_id = ?1",
                [account],
            )?;
            let mut insert = tx.prepare(
                "INSERT INTO session_channel_pts (account_id, channel_id, pts) VALUES (?1, ?2, ?3)",
            )?;
            for (channel, pts) in &state.channels {
                insert.execute(params![account, channel, pts])?;
            }
            Ok(())
        })
    }

    fn set_self(&self, user_id: i64, is_bot: bool) -> Result<(), StorageError> {
        self.write("save who the account is", |tx, account| {
            tx.execute(
                "INSERT INTO session_info (account_id, self_user, is_bot) VALUES (?1, ?2, ?3)
                 ON CONFLICT (account_id) DO UPDATE SET self_user = excluded.self_user,
                 is_bot = excluded.is_bot",
                params![account, user_id, is_bot],
            )
            .map(drop)
        })
    }

    fn auth_key(&self, dc: i32) -> Result<Option<Zeroizing<[u8; AUTH_KEY_LEN]>>, StorageError> {
        let Some(secret) = self
            .keys
            .get(self.account, &auth_key_kind(dc))
            .map_err(|e| self.key_error("read", dc, e))?
        else {
            return Ok(None);
        };
        if secret.len() != AUTH_KEY_LEN {
            return Err(StorageError::new(
                StorageErrorKind::Corrupt,
                format!("read the auth key of account {} for DC {dc}", self.account),
                format!(
                    "the keyring entry holds {} bytes, not {AUTH_KEY_LEN}",
                    secret.len()
                ),
            ));
        }
        let mut key = Zeroizing::new([0u8; AUTH_KEY_LEN]);
        key.copy_from_slice(secret.expose());
        Ok(Some(key))
    }

    fn save_auth_key(&self, dc: i32, key: &[u8; AUTH_KEY_LEN]) -> Result<(), StorageError> {
        if dc <= 0 {
            return Err(StorageError::new(
                StorageErrorKind::Other,
                format!("save the auth key of account {} for DC {dc}", self.account),
                "DC numbers are positive",
            )
            .with_hint("this is a bug in the caller"));
        }
        self.keys
            .put(self.account, &auth_key_kind(dc), key)
            .map_err(|e| self.key_error("save", dc, e))?;
        self.write("record the DC of a saved auth key", |tx, account| {
            tx.execute(
                "INSERT OR IGNORE INTO session_auth_keys (account_id, dc_id) VALUES (?1, ?2)",
                params![account, dc],
            )
            .map(drop)
        })
    }

    fn delete_auth_key(&self, dc: i32) -> Result<(), StorageError> {
        self.keys
            .delete(self.account, &auth_key_kind(dc))
            .map_err(|e| self.key_error("delete", dc, e))?;
        self.write("forget the DC of a deleted auth key", |tx, account| {
            tx.execute(
                "DELETE FROM session_auth_keys WHERE account_id = ?1 AND dc_id = ?2",
                params![account, dc],
            )
            .map(drop)
        })
    }

    fn clear(&self) -> Result<(), StorageError> {
        // Keys first: if the keyring fails, the records stay and a retry finds every key.
        for dc in self.key_dcs()? {
            self.keys
                .delete(self.account, &auth_key_kind(dc))
                .map_err(|e| self.key_error("delete", dc, e))?;
        }
        self.write("clear the session", |tx, account| {
            for table in [
                "session_info",
                "session_auth_keys",
                "session_dc_options",
                "session_peers",
                "session_update_state",
                "session_channel_pts",
            ] {
                tx.execute(
                    &format!("DELETE FROM {table} WHERE account_id = ?1"),
                    [account],
                )?;
            }
            Ok(())
        })?;
        tracing::info!(account = %self.account, "session cleared (auth keys deleted from the keyring)");
        Ok(())
    }
}
