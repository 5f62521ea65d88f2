//! The `accounts` table: one row per Telegram login Hearth manages. Auth keys are not here;
//! they live in the OS keyring under the account's id (see [`crate::secrets`]).
//!
//! Invariants: rows with `pending` set belong to a login in progress and are never listed;
//! the listed accounts' `position`s are their sidebar order (kept dense, from 0, by
//! [`Database::reorder_accounts`] and [`Database::set_account_position`]).

mod service;

pub use service::AccountProfile;

use rusqlite::{params, OptionalExtension, Row};

use crate::{unix_now, Database, Network, StoreError};

/// The primary key of an account; also the prefix of its keyring entries.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct AccountId(pub i64);

impl std::fmt::Display for AccountId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

/// A stored account.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Account {
    pub id: AccountId,
    /// The name the user gave the account in Hearth.
    pub label: String,
    /// Telegram user id, known once logged in.
    pub user_id: Option<i64>,
    /// Phone number, as entered at login (none for bots).
    pub phone: Option<String>,
    pub is_bot: bool,
    /// The account's home DC.
    pub dc_id: i32,
    pub network: Network,
    /// Seconds since the Unix epoch.
    pub created_at: i64,
    /// Seconds since the Unix epoch; `None` until first [`Database::touch_account`].
    pub last_used_at: Option<i64>,
    /// The saved proxy (a row of `proxies`) this account connects through; `None`: direct.
    pub proxy_id: Option<i64>,
    /// Place in the sidebar, from 0.
    pub position: i64,
    /// For `local` accounts: the localdc announcement file the account was created with, or
    /// `"builtin"` for the app's own Local test network. `None` for production and test.
    pub local_source: Option<String>,
    /// First and last name on Telegram, once known.
    pub display_name: Option<String>,
    /// Main @username (without the `@`), once known.
    pub username: Option<String>,
    /// A login is still signing in under this id; not an account yet.
    pub pending: bool,
}

/// The fields of an account to insert; id and timestamps are assigned by the database.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewAccount {
    pub label: String,
    pub user_id: Option<i64>,
    pub phone: Option<String>,
    pub is_bot: bool,
    pub dc_id: i32,
    pub network: Network,
}

const COLUMNS: &str = "id, label, user_id, phone, is_bot, dc_id, network, created_at, \
     last_used_at, proxy_id, position, local_source, display_name, username, pending";

/// The position after the last listed account.
const NEXT_POSITION: &str =
    "(SELECT COALESCE(max(position) + 1, 0) FROM accounts WHERE pending = 0)";

fn from_row(row: &Row<'_>) -> rusqlite::Result<Account> {
    Ok(Account {
        id: AccountId(row.get(0)?),
        label: row.get(1)?,
        user_id: row.get(2)?,
        phone: row.get(3)?,
        is_bot: row.get(4)?,
        dc_id: row.get(5)?,
        network: row.get(6)?,
        created_at: row.get(7)?,
        last_used_at: row.get(8)?,
        proxy_id: row.get(9)?,
        position: row.get(10)?,
        local_source: row.get(11)?,
        display_name: row.get(12)?,
        username: row.get(13)?,
        pending: row.get(14)?,
    })
}

impl Database {
    /// Inserts an account, last in the sidebar, and returns it as stored. Fails with a
    /// constraint error if another account already has the same `(network, user_id)`.
    pub fn insert_account(&self, new: &NewAccount) -> Result<Account, StoreError> {
        let sql = format!(
            "INSERT INTO accounts (label, user_id, phone, is_bot, dc_id, network, created_at,
             position) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, {NEXT_POSITION}) RETURNING {COLUMNS}"
        );
        let account = self.conn.query_row(
            &sql,
            params![
                new.label,
                new.user_id,
                new.phone,
                new.is_bot,
                new.dc_id,
                new.network,
                unix_now()
            ],
            from_row,
        )?;
        tracing::debug!(account = %account.id, network = %account.network, "account inserted");
        Ok(account)
    }

    /// All accounts, most recently used first, never-used ones last in creation order.
    /// Pending rows (logins in progress) are left out.
    pub fn list_accounts(&self) -> Result<Vec<Account>, StoreError> {
        let sql = format!(
            "SELECT {COLUMNS} FROM accounts WHERE pending = 0
             ORDER BY last_used_at IS NULL, last_used_at DESC, id"
        );
        let mut stmt = self.conn.prepare(&sql)?;
        let rows = stmt.query_map([], from_row)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// All accounts in sidebar order (`position`, then id). Pending rows are left out.
    pub fn accounts_in_order(&self) -> Result<Vec<Account>, StoreError> {
        let sql = format!("SELECT {COLUMNS} FROM accounts WHERE pending = 0 ORDER BY position, id");
        let mut stmt = self.conn.prepare(&sql)?;
        let rows = stmt.query_map([], from_row)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// The account with this id, if any (pending or not: see [`Account::pending`]).
    pub fn get_account(&self, id: AccountId) -> Result<Option<Account>, StoreError> {
        let sql = format!("SELECT {COLUMNS} FROM accounts WHERE id = ?1");
        Ok(self.conn.query_row(&sql, [id.0], from_row).optional()?)
    }

    /// Deletes the account row; `false` if there was none. The caller deletes its keyring
    /// secrets.
    pub fn delete_account(&self, id: AccountId) -> Result<bool, StoreError> {
        let n = self
            .conn
            .execute("DELETE FROM accounts WHERE id = ?1", [id.0])?;
        Ok(n > 0)
    }

    /// Sets `last_used_at` to now; `false` if there is no such account.
    pub fn touch_account(&self, id: AccountId) -> Result<bool, StoreError> {
        let n = self.conn.execute(
            "UPDATE accounts SET last_used_at = ?2 WHERE id = ?1",
            params![id.0, unix_now()],
        )?;
        Ok(n > 0)
    }

    /// Records who the account turned out to be after login; `false` if there is no such
    /// account.
    pub fn set_account_user(
        &self,
        id: AccountId,
        user_id: i64,
        phone: Option<&str>,
        is_bot: bool,
    ) -> Result<bool, StoreError> {
        let n = self.conn.execute(
            "UPDATE accounts SET user_id = ?2, phone = ?3, is_bot = ?4 WHERE id = ?1",
            params![id.0, user_id, phone, is_bot],
        )?;
        Ok(n > 0)
    }

    /// Changes the account's home DC (after a `*_MIGRATE_X` error); `false` if there is no
    /// such account.
    pub fn set_account_dc(&self, id: AccountId, dc_id: i32) -> Result<bool, StoreError> {
        let n = self.conn.execute(
            "UPDATE accounts SET dc_id = ?2 WHERE id = ?1",
            params![id.0, dc_id],
        )?;
        Ok(n > 0)
    }

    /// Renames the account; `false` if there is no such account.
    pub fn rename_account(&self, id: AccountId, label: &str) -> Result<bool, StoreError> {
        let n = self.conn.execute(
            "UPDATE accounts SET label = ?2 WHERE id = ?1",
            params![id.0, label],
        )?;
        Ok(n > 0)
    }

    /// Sets the saved proxy the account's connections go through (`None`: direct);
    /// `false` if there is no such account. A `proxy_id` that is not a saved proxy is a
    /// foreign-key error; deleting the proxy later sets the account back to direct.
    pub fn set_account_proxy(
        &self,
        id: AccountId,
        proxy_id: Option<i64>,
    ) -> Result<bool, StoreError> {
        let n = self.conn.execute(
            "UPDATE accounts SET proxy_id = ?2 WHERE id = ?1",
            params![id.0, proxy_id],
        )?;
        Ok(n > 0)
    }
}
