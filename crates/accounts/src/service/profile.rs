//! Keeps a signed-in account's name, username and phone as Telegram last showed them:
//! hearth-client announces the account's own user each time an answer or an update
//! carries it ([`Client::profile`]: `updateUserName`, `updateUserPhone`, `updateUser`
//! followed by a fresh `users.getUsers`, any answer listing the account's own user);
//! this writes what changed to the account's row and announces
//! [`AccountEvent::ListChanged`], so the sidebar shows the new name without a restart.
//!
//! Invariant: a phone the server leaves out is kept (Telegram hides it in some answers);
//! an absent username is written as none (the user removed it).

use std::sync::Weak;

use hearth_client::{Client, PeerInfo};
use hearth_store::{Account, AccountId, AccountProfile};

use super::{Accounts, Inner};
use crate::view::AccountEvent;

/// The row's profile after `me`, or `None` when nothing changed.
pub(crate) fn refreshed(account: &Account, me: &PeerInfo) -> Option<AccountProfile> {
    let name = Some(me.title.trim().to_owned()).filter(|n| !n.is_empty());
    let username = me.username.clone().filter(|u| !u.is_empty());
    let phone = me
        .phone
        .clone()
        .filter(|p| !p.is_empty())
        .or_else(|| account.phone.clone());
    if account.display_name == name && account.username == username && account.phone == phone {
        return None;
    }
    Some(AccountProfile {
        user_id: account.user_id.unwrap_or(match me.id {
            hearth_client::PeerId::User(id) => id,
            _ => return None,
        }),
        phone,
        is_bot: account.is_bot,
        dc_id: account.dc_id,
        display_name: name,
        username,
    })
}

/// Follows `client`'s own-user announcements for account `id` until the client or the
/// service is gone.
pub(crate) fn follow(accounts: &Accounts, id: AccountId, client: &Client) {
    let service: Weak<Inner> = std::sync::Arc::downgrade(&accounts.inner);
    let mut profile = client.profile();
    tokio::spawn(async move {
        loop {
            let me = profile.borrow_and_update().clone();
            if let Some(me) = me {
                let Some(inner) = service.upgrade() else {
                    return;
                };
                Accounts { inner }.refresh_profile(id, &me);
            }
            if profile.changed().await.is_err() {
                return;
            }
        }
    });
}

impl Accounts {
    /// Writes the account's own user `me` to its row when it differs.
    fn refresh_profile(&self, id: AccountId, me: &PeerInfo) {
        let db = self.db();
        let account = match db.get_account(id) {
            Ok(Some(a))
                if !a.pending
                    && a.user_id
                        .is_none_or(|u| me.id == hearth_client::PeerId::User(u)) =>
            {
                a
            }
            Ok(_) => return,
            Err(e) => {
                tracing::warn!(account = %id, error = %e, "cannot read the account to refresh its profile");
                return;
            }
        };
        let Some(profile) = refreshed(&account, me) else {
            return;
        };
        match db.update_account_profile(id, &profile) {
            Ok(true) => {
                drop(db);
                tracing::info!(account = %id, "profile refreshed from Telegram");
                self.announce(AccountEvent::ListChanged);
            }
            Ok(false) => {}
            Err(e) => {
                tracing::warn!(account = %id, error = %e, "cannot save the refreshed profile")
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use hearth_client::{PeerId, PeerKind};
    use hearth_store::Network;

    fn account() -> Account {
        Account {
            id: AccountId(1),
            label: "Alice".into(),
            user_id: Some(42),
            phone: Some("9996621234".into()),
            is_bot: false,
            dc_id: 2,
            display_name: Some("Alice Liddell".into()),
            username: Some("alice".into()),
            network: Network::Local,
            created_at: 0,
            last_used_at: None,
            proxy_id: None,
            position: 0,
            local_source: None,
            pending: false,
        }
    }

    fn me(title: &str, username: Option<&str>, phone: Option<&str>) -> PeerInfo {
        PeerInfo {
            id: PeerId::User(42),
            kind: PeerKind::SelfUser,
            access_hash: Some(1),
            min: false,
            username: username.map(Into::into),
            usernames: vec![],
            phone: phone.map(Into::into),
            title: title.into(),
            deleted: false,
        }
    }

    #[test]
    fn only_a_change_is_written_and_a_hidden_phone_is_kept() {
        let a = account();
        assert!(refreshed(&a, &me("Alice Liddell", Some("alice"), None)).is_none());
        let p = refreshed(&a, &me("Alice Pleasance", None, None)).expect("changed");
        assert_eq!(p.display_name.as_deref(), Some("Alice Pleasance"));
        assert_eq!(p.username, None, "the username was removed");
        assert_eq!(p.phone.as_deref(), Some("9996621234"), "kept");
        assert_eq!((p.user_id, p.dc_id, p.is_bot), (42, 2, false));
        let p = refreshed(&a, &me("Alice Liddell", Some("alice"), Some("9996620000")))
            .expect("changed");
        assert_eq!(p.phone.as_deref(), Some("9996620000"));
    }
}
