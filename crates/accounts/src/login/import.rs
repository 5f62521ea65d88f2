//! Bringing in a session another client made (a Pyrogram or Telethon string or
//! file, read by `hearth-portable`): [`Accounts::import_session`].
//!
//! Order, so a refused import leaves nothing behind: the key is compared with
//! every key Hearth holds for that DC (an `auth_key_id` match is refused: one
//! key in two accounts would be one session used twice); a pending account row
//! is made and the key saved for it (keyring only); the client connects with
//! that key and asks the server whom it is signed in as
//! (`users.getUsers(inputUserSelf)`, [`hearth_client::Client::resume_authorization`]).
//! A key the server rejects deletes the pending row and its keyring entry. On
//! success the row becomes the account, as after a sign-in.
//!
//! [`Accounts::check_import`] is the first step alone (no network), for callers that
//! warn the user between reading a session and its first use.
//!
//! The source is never touched; the caller decides the network (a session
//! string or file does not always say which one it belongs to).

use std::sync::Arc;

use hearth_client::{Client, ClientError};
use hearth_portable::PortableSession;
use hearth_session::SessionStorage;
use hearth_store::NewAccount;

use super::LoginFlow;
use crate::error::AccountsError;
use crate::service::Accounts;
use crate::spec::NetworkSpec;
use crate::view::AccountView;

impl Accounts {
    /// Adds the account `session` is signed in to, on `spec`, keeping its key
    /// (so the source and Hearth now share one session: the caller warns the
    /// user first). `label` names the account in Hearth.
    pub async fn import_session(
        &self,
        spec: NetworkSpec,
        session: &PortableSession,
        label: Option<String>,
    ) -> Result<AccountView, AccountsError> {
        self.refuse_held_key(session)?;
        let resolved = self.resolve(&spec).await?;
        let local_source = spec.local_source()?;
        let network = spec.network();
        let label = label.map(|l| l.trim().to_owned()).filter(|l| !l.is_empty());
        let row = self.db().insert_pending_account(
            &NewAccount {
                label: label.clone().unwrap_or_default(),
                user_id: None,
                phone: None,
                is_bot: session.is_bot.unwrap_or(false),
                dc_id: session.dc_id,
                network,
            },
            local_source.as_deref(),
        )?;
        let storage = Arc::new(self.storage(row.id));
        let prepared = storage
            .save_auth_key(session.dc_id, session.auth_key.as_bytes())
            .and_then(|()| storage.set_home_dc(session.dc_id));
        if let Err(e) = prepared {
            self.forget_pending(row.id);
            return Err(e.into());
        }
        let route = hearth_sender::connect::Route::Direct;
        let config = self.client_config(&resolved, storage, route, session.dc_id);
        let refused = |e: ClientError, field| match e {
            // An unknown key is refused at connect (-404 on fresh connections); a logged-out
            // or terminated one by the call (AUTH_KEY_UNREGISTERED, SESSION_REVOKED, ...).
            ClientError::Unauthorized { .. } => AccountsError::KeyRejected {
                dc: session.dc_id,
                source_format: session.format.describe(),
            },
            e => AccountsError::client(e, Some(field)),
        };
        let client = match Client::connect(config).await {
            Ok(c) => c,
            Err(e) => {
                self.forget_pending(row.id);
                return Err(refused(e, "network"));
            }
        };
        let user = match client.resume_authorization().await {
            Ok(user) => user,
            Err(e) => {
                client.shutdown();
                self.forget_pending(row.id);
                return Err(refused(e, "session"));
            }
        };
        tracing::info!(pending = %row.id, dc = session.dc_id, format = session.format.describe(), "imported session accepted");
        let mut flow = LoginFlow::new(self, row.id, client, network, label, resolved.api);
        flow.finish(user).await
    }

    /// Whether `session` may be imported: refused with `SESSION_ALREADY_HELD` when one
    /// of Hearth's accounts holds its key. No connection is made, so this runs before
    /// the user is warned and before [`Accounts::import_session`] first uses the key.
    pub fn check_import(&self, session: &PortableSession) -> Result<(), AccountsError> {
        self.refuse_held_key(session)
    }

    /// Refuses a key that one of Hearth's accounts already holds for its DC.
    fn refuse_held_key(&self, session: &PortableSession) -> Result<(), AccountsError> {
        for account in self.list()? {
            let Some(held) = self.storage(account.id).auth_key(session.dc_id)? else {
                continue;
            };
            if hearth_crypto::AuthKey::from_bytes(*held) == session.auth_key {
                return Err(AccountsError::KeyAlreadyHeld {
                    existing: account.id,
                    label: account.label.clone(),
                    key_id: session.key_id(),
                });
            }
        }
        Ok(())
    }

    fn forget_pending(&self, id: hearth_store::AccountId) {
        if let Err(e) = self.delete_account(id) {
            tracing::warn!(pending = %id, error = %e, "cannot clear a refused import; it is cleared at the next start");
        }
    }
}
