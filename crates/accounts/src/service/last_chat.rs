//! The chat that was open when the app quit, so the next start reopens it: one row of the
//! `settings` table, `last_chat` = `"ACCOUNT:CHAT"` (the account's row id and the chat's
//! peer id as the chat commands name it).
//!
//! Invariants: a value that does not parse, or names an account that is gone or still
//! signing in, reads as no chat (the app then opens the first account's dialog list, as it
//! does on a first start); removing an account forgets its chat.

use hearth_store::AccountId;

use super::Accounts;
use crate::error::AccountsError;

/// The settings key.
const KEY: &str = "last_chat";

/// An account's open chat.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LastChat {
    pub account: AccountId,
    /// The chat's peer id (users positive, basic groups negative, channels `-100…`).
    pub chat: i64,
}

fn parse(value: &str) -> Option<LastChat> {
    let (account, chat) = value.split_once(':')?;
    Some(LastChat {
        account: AccountId(account.parse().ok()?),
        chat: chat.parse().ok()?,
    })
}

impl Accounts {
    /// The chat open when the app last quit, if its account is still here.
    pub fn last_chat(&self) -> Result<Option<LastChat>, AccountsError> {
        let Some(value) = self.db().get_setting(KEY)? else {
            return Ok(None);
        };
        let Some(last) = parse(&value) else {
            tracing::warn!("the saved last chat is damaged; ignoring it");
            return Ok(None);
        };
        match self.get(last.account) {
            Ok(_) => Ok(Some(last)),
            Err(AccountsError::NoSuchAccount(_)) => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// Remembers the open chat (`None`: no chat is open).
    pub fn set_last_chat(&self, last: Option<LastChat>) -> Result<(), AccountsError> {
        match last {
            Some(l) => {
                self.get(l.account)?;
                self.db()
                    .set_setting(KEY, &format!("{}:{}", l.account.0, l.chat))?;
            }
            None => {
                self.db().delete_setting(KEY)?;
            }
        }
        Ok(())
    }

    /// Forgets the last chat if it belongs to `account` (which is being removed).
    pub(crate) fn forget_last_chat_of(&self, account: AccountId) -> Result<(), AccountsError> {
        let db = self.db();
        if db
            .get_setting(KEY)?
            .and_then(|v| parse(&v))
            .is_some_and(|l| l.account == account)
        {
            db.delete_setting(KEY)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_parse_or_read_as_nothing() {
        assert_eq!(
            parse("3:-1001234"),
            Some(LastChat {
                account: AccountId(3),
                chat: -1001234
            })
        );
        for bad in ["", "3", "3:", ":5", "a:5", "3:5:6", "3:x"] {
            assert_eq!(parse(bad), None, "{bad}");
        }
    }
}
