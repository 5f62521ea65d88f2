//! The versioned schema and the runner that applies it.
//!
//! Migration `n` (1-based, `MIGRATIONS_SQL[n - 1]`) takes the database from version `n - 1` to
//! `n`; the version is kept in `PRAGMA user_version`. Each migration runs in its own `BEGIN
//! IMMEDIATE` transaction that also re-reads the version and sets the new one, so a failure
//! leaves the previous version intact and two connections migrating at once never apply a
//! migration twice.
//!
//! Hand-written rather than `rusqlite_migration`: that crate reads the version before opening
//! its transaction (racy between connections) and applies all pending steps in one
//! transaction; the runner needed here is a dozen lines.
//!
//! Invariant: released migrations are never edited, only appended.

use rusqlite::{Connection, TransactionBehavior};

/// The SQL of each migration, in order.
const MIGRATIONS_SQL: &[&str] = &[
    include_str!("migrations/0001_initial.sql"),
    include_str!("migrations/0002_proxies.sql"),
    include_str!("migrations/0003_account_proxy.sql"),
    include_str!("migrations/0004_session.sql"),
    include_str!("migrations/0005_account_service.sql"),
    include_str!("migrations/0006_proxy_secret_writes.sql"),
];

/// The schema version this build creates and understands.
pub const SCHEMA_VERSION: i64 = MIGRATIONS_SQL.len() as i64;

/// Why [`migrate`] stopped.
#[derive(Debug)]
pub(crate) enum MigrateError {
    /// The database is at `found`, above [`SCHEMA_VERSION`]; nothing was changed.
    TooNew { found: i64 },
    /// The version is negative: no Hearth writes that; nothing was changed.
    InvalidVersion { found: i64 },
    /// Migration to `version` failed and was rolled back.
    Failed {
        version: i64,
        source: rusqlite::Error,
    },
    /// Migration to `version` left rows violating foreign keys in `table`; rolled back.
    ForeignKeys { version: i64, table: String },
}

/// Applies every pending migration. Returns the version found before the first one.
pub(crate) fn migrate(conn: &mut Connection) -> Result<i64, MigrateError> {
    let mut first = None;
    loop {
        let failed = |version| move |source| MigrateError::Failed { version, source };
        // Until the version is read, the step being attempted is not known; report the target.
        let tx = conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(failed(SCHEMA_VERSION))?;
        let version: i64 = tx
            .query_row("PRAGMA user_version", [], |row| row.get(0))
            .map_err(failed(SCHEMA_VERSION))?;
        first.get_or_insert(version);
        if version > SCHEMA_VERSION {
            return Err(MigrateError::TooNew { found: version });
        }
        let Ok(index) = usize::try_from(version) else {
            return Err(MigrateError::InvalidVersion { found: version });
        };
        let Some(sql) = MIGRATIONS_SQL.get(index) else {
            return Ok(first.unwrap_or(version));
        };
        let target = version + 1;
        tx.execute_batch(sql).map_err(failed(target))?;
        let violation: Option<String> = {
            let mut check = tx
                .prepare("PRAGMA foreign_key_check")
                .map_err(failed(target))?;
            let mut rows = check.query([]).map_err(failed(target))?;
            match rows.next().map_err(failed(target))? {
                Some(row) => Some(row.get(0).map_err(failed(target))?),
                None => None,
            }
        };
        if let Some(table) = violation {
            return Err(MigrateError::ForeignKeys {
                version: target,
                table,
            });
        }
        tx.pragma_update(None, "user_version", target)
            .map_err(failed(target))?;
        tx.commit().map_err(failed(target))?;
        tracing::info!(version = target, "database migration applied");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn version(conn: &Connection) -> i64 {
        conn.query_row("PRAGMA user_version", [], |r| r.get(0))
            .unwrap()
    }

    #[test]
    fn applies_all_then_nothing() {
        let mut conn = Connection::open_in_memory().unwrap();
        assert_eq!(migrate(&mut conn).unwrap(), 0);
        assert_eq!(version(&conn), SCHEMA_VERSION);
        assert_eq!(migrate(&mut conn).unwrap(), SCHEMA_VERSION);
        assert_eq!(version(&conn), SCHEMA_VERSION);
    }

    #[test]
    fn failed_migration_rolls_back() {
        let mut conn = Connection::open_in_memory().unwrap();
        // A table in the way makes migration 1 fail half-way through.
        conn.execute_batch("CREATE TABLE dc_options (x)").unwrap();
        match migrate(&mut conn) {
            Err(MigrateError::Failed { version: 1, .. }) => {}
            other => panic!("unexpected: {other:?}"),
        }
        assert_eq!(version(&conn), 0);
        let accounts: i64 = conn
            .query_row(
                "SELECT count(*) FROM sqlite_master WHERE name = 'accounts'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(
            accounts, 0,
            "earlier statements of the failed migration were kept"
        );
    }

    #[test]
    fn newer_version_is_refused() {
        let mut conn = Connection::open_in_memory().unwrap();
        conn.pragma_update(None, "user_version", SCHEMA_VERSION + 1)
            .unwrap();
        match migrate(&mut conn) {
            Err(MigrateError::TooNew { found }) => assert_eq!(found, SCHEMA_VERSION + 1),
            other => panic!("unexpected: {other:?}"),
        }
    }

    #[test]
    fn negative_version_is_refused() {
        let mut conn = Connection::open_in_memory().unwrap();
        conn.pragma_update(None, "user_version", -1).unwrap();
        assert!(matches!(
            migrate(&mut conn),
            Err(MigrateError::InvalidVersion { found: -1 })
        ));
    }
}
