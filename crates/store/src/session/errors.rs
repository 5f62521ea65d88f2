//! Storage failures in `hearth-session`'s terms: what was being done for which account, why,
//! and what to do.

use hearth_session::{StorageError, StorageErrorKind};

use super::SqliteSessionStorage;
use crate::secrets::SecretError;
use crate::StoreError;

impl SqliteSessionStorage {
    pub(super) fn db_error(&self, action: &str, e: impl Into<StoreError>) -> StorageError {
        let e: StoreError = e.into();
        let missing_account = matches!(&e, StoreError::Sqlite(rusqlite::Error::SqliteFailure(f, _))
            if f.extended_code == rusqlite::ffi::SQLITE_CONSTRAINT_FOREIGNKEY);
        let err = StorageError::new(
            StorageErrorKind::Database,
            format!("{action} of account {}", self.account),
            "",
        )
        .with_source(e);
        if missing_account {
            err.with_hint(format!(
                "account {} is not in the database (was it removed?); add the account again",
                self.account
            ))
        } else {
            err
        }
    }

    pub(super) fn key_error(&self, action: &str, dc: i32, e: SecretError) -> StorageError {
        // SecretError messages already say what to do.
        StorageError::new(
            StorageErrorKind::Keyring,
            format!(
                "{action} the auth key of account {} for DC {dc}",
                self.account
            ),
            "",
        )
        .with_source(e)
        .with_hint("")
    }
}
