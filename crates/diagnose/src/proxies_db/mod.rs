//! Saved proxies: a `proxies` table for everything but the secret parts,
//! and the OS keyring for passwords and MTProxy secrets (never SQLite).
//!
//! `hearth-store` owns the database and creates the tables (migrations
//! `0002_proxies.sql` and `0006_proxy_secret_writes.sql`); these functions
//! work on it through [`DbAccess`].
//!
//! Invariants:
//! - The keyring is never called while the database is held: every
//!   function takes the database for one short SQL step at a time (a locked
//!   keyring may block on an unlock prompt; nothing else may wait for it).
//! - The two stores share no transaction, so writes are ordered so that a
//!   crash between them leaves nothing, or a row [`load_all`] reports as
//!   damaged, and never a keyring entry nothing points at. Saving inserts
//!   the row marked `saving`, writes the secret under the row's id (ids are
//!   never reused), then clears the mark. Deleting removes the row and
//!   queues its id in `proxy_secrets_to_delete` in one transaction, then
//!   deletes the keyring entry and the queue record; [`sweep_orphans`]
//!   retries what a crash or a locked keyring left queued.
//! - One unreadable entry spoils only its own proxy: [`load_all`] lists it
//!   as damaged ([`Damage`] says what to do) and every other proxy as usual.

mod keyring;
mod repair;
mod rows;

use std::sync::Mutex;

use hearth_sender::connect::Route;
use hearth_store::{AccountId, Database};
use rusqlite::{params, OptionalExtension};
use zeroize::Zeroizing;

use crate::proxy::ProxySpec;
pub use keyring::{kind as keyring_kind, ProxySecrets};
pub use rows::Damage;

/// Short uses of the database, one closure at a time: a `Mutex<Database>`
/// is locked only for the closure, so the keyring is called between two
/// uses, never inside one.
pub trait DbAccess {
    fn with_db<R>(&self, f: impl FnOnce(&Database) -> R) -> R;
}

impl DbAccess for Mutex<Database> {
    fn with_db<R>(&self, f: impl FnOnce(&Database) -> R) -> R {
        // A panic elsewhere cannot leave a half-done SQL step behind (each
        // step is a statement or a transaction), so a poisoned lock is safe.
        let db = self
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        f(&db)
    }
}

/// A database owned by one thread (the CLI, tests): nothing to lock.
impl DbAccess for Database {
    fn with_db<R>(&self, f: impl FnOnce(&Database) -> R) -> R {
        f(self)
    }
}

/// Why saving or loading a proxy failed.
#[derive(Debug, thiserror::Error)]
pub enum ProxyStoreError {
    #[error("the proxies table could not be read or written: {0}")]
    Sql(#[from] rusqlite::Error),
    #[error("the keyring could not store or read the secret of proxy {id}: {detail}; check that the keyring is unlocked")]
    Secret { id: i64, detail: String },
    #[error("saved proxy {id} cannot be used: {damage}")]
    Damaged { id: i64, damage: Damage },
    #[error("saved proxy {0} was deleted while it was being saved; add it again")]
    DeletedWhileSaving(i64),
    #[error("account {0} does not exist; it may have been removed")]
    NoSuchAccount(i64),
    #[error(transparent)]
    Store(#[from] hearth_store::StoreError),
}

/// A saved proxy as the list shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SavedProxy {
    pub id: i64,
    /// `socks5`, `http` or `mtproxy` (as stored).
    pub kind: String,
    /// `socks5 127.0.0.1:1080`; for a damaged MTProxy without its mode.
    pub label: String,
    /// The proxy, or why it cannot be used.
    pub state: Result<ProxySpec, Damage>,
}

impl SavedProxy {
    /// The proxy, if it is usable.
    pub fn spec(&self) -> Option<&ProxySpec> {
        self.state.as_ref().ok()
    }
}

fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64)
}

/// The user name and the secret bytes `proxy` keeps in the keyring.
fn parts(proxy: &ProxySpec) -> (Option<&str>, Option<Zeroizing<Vec<u8>>>) {
    match proxy {
        ProxySpec::Socks5 { credentials, .. } | ProxySpec::Http { credentials, .. } => (
            credentials.as_ref().map(|c| c.username.as_str()),
            credentials
                .as_ref()
                .map(|c| Zeroizing::new(c.password.as_bytes().to_vec())),
        ),
        ProxySpec::MtProxy { secret, .. } => (None, Some(Zeroizing::new(secret.to_bytes()))),
    }
}

/// Saves `proxy`; returns its id. The row is written first, marked
/// `saving`, then the secret under the row's id, then the mark is cleared.
/// If the keyring refuses the secret the row is removed again and
/// [`ProxyStoreError::Secret`] returned.
///
/// Saving a proxy with the same kind, address and user name as a damaged
/// one whose secret is missing (or whose save was interrupted) re-enters
/// the secret into that row instead, keeping its id (and the accounts that
/// use it).
pub fn save(
    db: &impl DbAccess,
    secrets: &dyn ProxySecrets,
    proxy: &ProxySpec,
) -> Result<i64, ProxyStoreError> {
    let (username, secret) = parts(proxy);
    let addr = proxy.addr();
    let kind = proxy.kind().as_str();
    let Some(secret) = secret else {
        return Ok(insert(db, kind, &addr.host, addr.port, username, false)?);
    };
    if let Some(id) = repair::damaged_twin(db, secrets, kind, &addr.host, addr.port, username)? {
        if repair::mark_saving(db, id)? {
            return write_secret(db, secrets, id, &secret, false);
        }
    }
    let id = insert(db, kind, &addr.host, addr.port, username, true)?;
    write_secret(db, secrets, id, &secret, true)
}

/// Inserts a row (marked `saving` when it has a secret); its id.
fn insert(
    db: &impl DbAccess,
    kind: &str,
    host: &str,
    port: u16,
    username: Option<&str>,
    has_secret: bool,
) -> rusqlite::Result<i64> {
    db.with_db(|db| {
        db.connection().execute(
            "INSERT INTO proxies (kind, host, port, username, has_secret, saving, created_at) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?5, ?6)",
            params![kind, host, port, username, has_secret, now()],
        )?;
        Ok(db.connection().last_insert_rowid())
    })
}

/// Writes the secret of row `id` (marked `saving`) to the keyring, then
/// clears the mark. A `new_row` the keyring refuses is removed again; a
/// repaired one stays damaged.
fn write_secret(
    db: &impl DbAccess,
    secrets: &dyn ProxySecrets,
    id: i64,
    secret: &[u8],
    new_row: bool,
) -> Result<i64, ProxyStoreError> {
    if let Err(detail) = secrets.put(id, secret) {
        if new_row {
            // The entry may or may not exist now: queue it with the row's removal.
            remove_row(db, id)?;
            sweep_orphans(db, secrets);
        }
        return Err(ProxyStoreError::Secret { id, detail });
    }
    let marked = db.with_db(|db| {
        db.connection()
            .execute("UPDATE proxies SET saving = 0 WHERE id = ?1", [id])
    })?;
    if marked == 0 {
        // Deleted meanwhile (its removal may have swept before our put).
        queue_secret(db, id)?;
        sweep_orphans(db, secrets);
        return Err(ProxyStoreError::DeletedWhileSaving(id));
    }
    Ok(id)
}

/// Every saved proxy with its id, oldest first: usable ones with their
/// [`ProxySpec`], damaged ones with their [`Damage`]. Only a failure of the
/// database itself is an error. Sweeps orphaned keyring entries first.
pub fn load_all(
    db: &impl DbAccess,
    secrets: &dyn ProxySecrets,
) -> Result<Vec<SavedProxy>, ProxyStoreError> {
    sweep_orphans(db, secrets);
    let rows = db.with_db(|db| rows::select(db.connection(), "ORDER BY id", []))?;
    Ok(rows
        .into_iter()
        .map(|row| SavedProxy {
            id: row.id,
            label: row.label(),
            state: read_secret(&row, secrets).and_then(|s| row.spec(s)),
            kind: row.kind,
        })
        .collect())
}

/// The saved proxy `id`, `None` if there is none; a damaged one is
/// [`ProxyStoreError::Damaged`] (or [`ProxyStoreError::Secret`] when the
/// keyring could not be read).
pub fn load(
    db: &impl DbAccess,
    secrets: &dyn ProxySecrets,
    id: i64,
) -> Result<Option<ProxySpec>, ProxyStoreError> {
    let row = db.with_db(|db| rows::select(db.connection(), "WHERE id = ?1", [id]))?;
    let Some(row) = row.into_iter().next() else {
        return Ok(None);
    };
    let secret = match read_secret(&row, secrets) {
        Ok(s) => s,
        Err(Damage::KeyringUnreadable(detail)) => {
            return Err(ProxyStoreError::Secret { id, detail })
        }
        Err(damage) => return Err(ProxyStoreError::Damaged { id, damage }),
    };
    row.spec(secret)
        .map(Some)
        .map_err(|damage| ProxyStoreError::Damaged { id, damage })
}

/// The row's keyring entry when it has one to read.
fn read_secret(
    row: &rows::Row,
    secrets: &dyn ProxySecrets,
) -> Result<Option<Zeroizing<Vec<u8>>>, Damage> {
    if row.needs_secret() {
        secrets.get(row.id).map_err(Damage::KeyringUnreadable)
    } else {
        Ok(None)
    }
}

/// The route the engine connects `account` over: through its saved proxy
/// (`accounts.proxy_id`), or direct when it has none.
pub fn account_route(
    db: &impl DbAccess,
    secrets: &dyn ProxySecrets,
    account: AccountId,
) -> Result<Route, ProxyStoreError> {
    let account = db
        .with_db(|db| db.get_account(account))?
        .ok_or(ProxyStoreError::NoSuchAccount(account.0))?;
    let Some(id) = account.proxy_id else {
        return Ok(Route::Direct);
    };
    let spec = load(db, secrets, id)?.ok_or_else(|| ProxyStoreError::Damaged {
        id,
        damage: Damage::Invalid("the account names a proxy that is not saved".into()),
    })?;
    Ok(spec.route())
}

/// Deletes a saved proxy, then its keyring entry. Works with the keyring
/// locked or gone: the row goes at once and the entry is queued, to be
/// removed by a later [`sweep_orphans`].
pub fn delete(
    db: &impl DbAccess,
    secrets: &dyn ProxySecrets,
    id: i64,
) -> Result<(), ProxyStoreError> {
    if remove_row(db, id)? {
        sweep_orphans(db, secrets);
    }
    Ok(())
}

/// Removes row `id`, queueing its keyring entry if it had one (a row still
/// `saving` may have one). Returns whether an entry was queued.
fn remove_row(db: &impl DbAccess, id: i64) -> rusqlite::Result<bool> {
    db.with_db(|db| {
        let tx = db.connection().unchecked_transaction()?;
        let had: Option<bool> = tx
            .query_row(
                "SELECT has_secret OR saving FROM proxies WHERE id = ?1",
                [id],
                |r| r.get(0),
            )
            .optional()?;
        tx.execute("DELETE FROM proxies WHERE id = ?1", [id])?;
        if had == Some(true) {
            tx.execute(
                "INSERT OR IGNORE INTO proxy_secrets_to_delete (proxy_id) VALUES (?1)",
                [id],
            )?;
        }
        tx.commit()?;
        Ok(had == Some(true))
    })
}

fn queue_secret(db: &impl DbAccess, id: i64) -> rusqlite::Result<()> {
    db.with_db(|db| {
        db.connection()
            .execute(
                "INSERT OR IGNORE INTO proxy_secrets_to_delete (proxy_id) VALUES (?1)",
                [id],
            )
            .map(drop)
    })
}

/// Deletes the keyring entries of deleted proxies that are still queued
/// (a crash, or a keyring that was locked at the time). Returns how many
/// are still left. Never fails: what cannot be deleted now stays queued.
pub fn sweep_orphans(db: &impl DbAccess, secrets: &dyn ProxySecrets) -> usize {
    let queued: Vec<i64> = match db.with_db(|db| -> rusqlite::Result<Vec<i64>> {
        let mut stmt = db
            .connection()
            .prepare("SELECT proxy_id FROM proxy_secrets_to_delete ORDER BY proxy_id")?;
        let ids = stmt.query_map([], |r| r.get(0))?;
        ids.collect()
    }) {
        Ok(ids) => ids,
        Err(e) => {
            tracing::warn!(error = %e, "cannot read the proxy secrets queued for deletion");
            return 0;
        }
    };
    let mut left = 0;
    for id in queued {
        if let Err(detail) = secrets.delete(id) {
            tracing::warn!(proxy = id, %detail, "keyring entry of a deleted proxy not removed yet; will retry");
            left += 1;
            continue;
        }
        let done = db.with_db(|db| {
            db.connection().execute(
                "DELETE FROM proxy_secrets_to_delete WHERE proxy_id = ?1",
                [id],
            )
        });
        if let Err(e) = done {
            tracing::warn!(proxy = id, error = %e, "cannot unqueue a removed proxy secret");
            left += 1;
        }
    }
    left
}

#[cfg(test)]
mod tests;
