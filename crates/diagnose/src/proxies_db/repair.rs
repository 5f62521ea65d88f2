//! Re-entering the secret of a damaged saved proxy: saving the same proxy
//! (kind, address, user name) again fills the damaged row's keyring entry
//! instead of adding a second row, so the id (and every account that uses
//! it) is kept.
//!
//! Only rows whose secret is known to be absent qualify: a save that was
//! interrupted, or an entry the keyring says it does not have. A healthy
//! row is never touched (two SOCKS5 proxies on one address with one user
//! name and different passwords stay two rows), nor one the keyring could
//! not be asked about.

use rusqlite::params;

use super::{rows, DbAccess, ProxySecrets};

/// The oldest row for this kind, address and user name whose secret is
/// missing or whose save was interrupted.
pub(super) fn damaged_twin(
    db: &impl DbAccess,
    secrets: &dyn ProxySecrets,
    kind: &str,
    host: &str,
    port: u16,
    username: Option<&str>,
) -> rusqlite::Result<Option<i64>> {
    let candidates = db.with_db(|db| {
        rows::select(
            db.connection(),
            "WHERE kind = ?1 AND host = ?2 AND port = ?3 AND username IS ?4 \
             AND has_secret = 1 ORDER BY id",
            params![kind, host, port, username],
        )
    })?;
    // The keyring is asked with the database released.
    Ok(candidates
        .into_iter()
        .find(|row| row.saving || matches!(secrets.get(row.id), Ok(None)))
        .map(|row| row.id))
}

/// Marks row `id` as being saved; false if it is gone.
pub(super) fn mark_saving(db: &impl DbAccess, id: i64) -> rusqlite::Result<bool> {
    db.with_db(|db| {
        db.connection()
            .execute("UPDATE proxies SET saving = 1 WHERE id = ?1", [id])
            .map(|n| n == 1)
    })
}
