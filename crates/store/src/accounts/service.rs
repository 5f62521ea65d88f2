//! What the account service needs beyond plain rows: logins in progress (pending rows), the
//! profile learnt at sign-in, and the sidebar order.

use rusqlite::{params, OptionalExtension};

use super::{from_row, Account, AccountId, NewAccount, COLUMNS, NEXT_POSITION};
use crate::{unix_now, Database, StoreError};

/// Who an account turned out to be at sign-in (or later, when its profile changed).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AccountProfile {
    pub user_id: i64,
    /// Phone number in international form without `+`, as Telegram gives it; none for bots.
    pub phone: Option<String>,
    pub is_bot: bool,
    /// The home DC.
    pub dc_id: i32,
    /// First and last name.
    pub display_name: Option<String>,
    /// Main @username, without the `@`.
    pub username: Option<String>,
}

impl Database {
    /// Inserts a pending row for a login in progress (never listed, see
    /// [`Account::pending`]); its id keys the session storage the login signs in with.
    pub fn insert_pending_account(
        &self,
        new: &NewAccount,
        local_source: Option<&str>,
    ) -> Result<Account, StoreError> {
        let sql = format!(
            "INSERT INTO accounts (label, user_id, phone, is_bot, dc_id, network, created_at,
             local_source, pending) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, 1) RETURNING {COLUMNS}"
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
                unix_now(),
                local_source
            ],
            from_row,
        )?;
        tracing::debug!(account = %account.id, network = %account.network, "pending account inserted");
        Ok(account)
    }

    /// Every pending row: logins in progress, or left over by a process that ended during one.
    pub fn pending_accounts(&self) -> Result<Vec<Account>, StoreError> {
        let sql = format!("SELECT {COLUMNS} FROM accounts WHERE pending = 1 ORDER BY id");
        let mut stmt = self.conn.prepare(&sql)?;
        let rows = stmt.query_map([], from_row)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Turns the pending row `id` into an account, last in the sidebar, with `profile`.
    /// [`StoreError::DuplicateAccount`] if the same user already has an account on the same
    /// network (the row stays pending; the caller deletes it).
    pub fn complete_pending_account(
        &self,
        id: AccountId,
        profile: &AccountProfile,
    ) -> Result<Account, StoreError> {
        let tx = self.conn.unchecked_transaction()?;
        let Some(row) = self.get_account(id)? else {
            return Err(StoreError::NoSuchAccount(id));
        };
        if let Some(existing) = self.account_of_user(row.network, profile.user_id)? {
            if existing.id != id {
                return Err(StoreError::DuplicateAccount {
                    network: row.network,
                    user_id: profile.user_id,
                    existing: existing.id,
                    label: existing.label,
                });
            }
        }
        tx.execute(
            &format!("UPDATE accounts SET pending = 0, position = {NEXT_POSITION} WHERE id = ?1"),
            [id.0],
        )?;
        self.write_profile(id, profile)?;
        tx.commit()?;
        self.get_account(id)?.ok_or(StoreError::NoSuchAccount(id))
    }

    /// Records a changed profile (name, username, phone, home DC) of an account; `false` if
    /// there is no such account.
    pub fn update_account_profile(
        &self,
        id: AccountId,
        profile: &AccountProfile,
    ) -> Result<bool, StoreError> {
        self.write_profile(id, profile)
    }

    fn write_profile(&self, id: AccountId, p: &AccountProfile) -> Result<bool, StoreError> {
        let n = self.conn.execute(
            "UPDATE accounts SET user_id = ?2, phone = ?3, is_bot = ?4, dc_id = ?5,
             display_name = ?6, username = ?7 WHERE id = ?1",
            params![
                id.0,
                p.user_id,
                p.phone,
                p.is_bot,
                p.dc_id,
                p.display_name,
                p.username
            ],
        )?;
        Ok(n > 0)
    }

    /// The account (pending or not) of `user_id` on `network`, if any.
    pub fn account_of_user(
        &self,
        network: crate::Network,
        user_id: i64,
    ) -> Result<Option<Account>, StoreError> {
        let sql = format!("SELECT {COLUMNS} FROM accounts WHERE network = ?1 AND user_id = ?2");
        Ok(self
            .conn
            .query_row(&sql, params![network, user_id], from_row)
            .optional()?)
    }

    /// Sets where a `local` account's network is described (see [`Account::local_source`]);
    /// `false` if there is no such account.
    pub fn set_account_local_source(
        &self,
        id: AccountId,
        source: Option<&str>,
    ) -> Result<bool, StoreError> {
        let n = self.conn.execute(
            "UPDATE accounts SET local_source = ?2 WHERE id = ?1",
            params![id.0, source],
        )?;
        Ok(n > 0)
    }

    /// Puts the listed accounts first, in the order given; the others follow in their
    /// previous order. Positions are rewritten 0, 1, 2, … in one transaction. An id that is
    /// not a listed account, or one given twice, is refused and nothing changes.
    pub fn reorder_accounts(&self, ids: &[AccountId]) -> Result<(), StoreError> {
        let tx = self.conn.unchecked_transaction()?;
        let current: Vec<AccountId> = self.accounts_in_order()?.iter().map(|a| a.id).collect();
        let mut order = Vec::with_capacity(current.len());
        for id in ids {
            if !current.contains(id) {
                return Err(StoreError::NoSuchAccount(*id));
            }
            if order.contains(id) {
                return Err(StoreError::InvalidValue {
                    what: "account order",
                    value: format!("account {id} is listed twice"),
                });
            }
            order.push(*id);
        }
        order.extend(current.into_iter().filter(|id| !ids.contains(id)));
        self.write_order(&order)?;
        tx.commit()?;
        Ok(())
    }

    /// Moves one account to `position` (0 is the top; past the end means last), shifting
    /// the others.
    pub fn set_account_position(&self, id: AccountId, position: usize) -> Result<(), StoreError> {
        let tx = self.conn.unchecked_transaction()?;
        let mut order: Vec<AccountId> = self.accounts_in_order()?.iter().map(|a| a.id).collect();
        let Some(from) = order.iter().position(|x| *x == id) else {
            return Err(StoreError::NoSuchAccount(id));
        };
        order.remove(from);
        order.insert(position.min(order.len()), id);
        self.write_order(&order)?;
        tx.commit()?;
        Ok(())
    }

    fn write_order(&self, order: &[AccountId]) -> Result<(), StoreError> {
        let mut stmt = self
            .conn
            .prepare("UPDATE accounts SET position = ?2 WHERE id = ?1")?;
        for (position, id) in (0i64..).zip(order) {
            stmt.execute(params![id.0, position])?;
        }
        Ok(())
    }
}
