//! The versioned schema. Each entry of [`MIGRATIONS`] takes the database from version `n` to
//! `n + 1`; the version is kept in `PRAGMA user_version` by `rusqlite_migration`, which applies
//! pending migrations inside a transaction so a failure leaves the previous version intact.
//!
//! Invariant: released migrations are never edited, only appended.

use rusqlite_migration::{Migrations, M};

/// The SQL of each migration, in order; `SCHEMA_VERSION == MIGRATIONS_SQL.len()`.
const MIGRATIONS_SQL: &[&str] = &[include_str!("migrations/0001_initial.sql")];

/// The schema version this build creates and understands.
pub const SCHEMA_VERSION: i64 = MIGRATIONS_SQL.len() as i64;

pub(crate) fn migrations() -> Migrations<'static> {
    Migrations::new(MIGRATIONS_SQL.iter().map(|sql| M::up(sql)).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn migrations_are_valid() {
        migrations().validate().unwrap();
    }
}
