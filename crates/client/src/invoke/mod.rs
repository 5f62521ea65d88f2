//! Sending a request with the retry [`policy`]: to the home DC, a DC the
//! caller picked, or a DC's media connection; following migrations,
//! sleeping short flood waits, repeating after 500s and lost connections,
//! and carrying the sign-in to other DCs (core.telegram.org/api/datacenter#authorization-transfer).
//!
//! Every decoded answer passes through [`crate::entities`] so the peer
//! cache (and the update engine, for `Updates` answers) sees it.

pub(crate) mod policy;

use std::any::Any;
use std::time::SystemTime;

use hearth_tl::{functions, Deserializable, RemoteCall};
use policy::{Action, Attempted, History};

use crate::client::{Client, Inner};
use crate::conn::ConnKind;
use crate::error::ClientError;
use crate::failure::Failure;

/// Where a request goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Target {
    /// The account's home DC (follows migrations).
    Home,
    /// A DC the caller picked.
    Dc(i32),
    /// A DC's media connection (file transfer).
    Media(i32),
}

impl Inner {
    /// The DC and connection of `target`, and whether it follows the home DC.
    fn resolve(&self, target: Target) -> (i32, ConnKind, bool) {
        match target {
            Target::Home => (self.home_dc(), ConnKind::Main, true),
            Target::Dc(dc) => (dc, ConnKind::Main, false),
            Target::Media(dc) => (dc, ConnKind::Media, false),
        }
    }

    /// Sends serialized `body` to `target` under the retry policy; the
    /// answer's bytes and the DC that gave them. `may_import`: allow
    /// importing the authorization into another DC on 401.
    pub(crate) async fn call_raw(
        &self,
        mut target: Target,
        body: &[u8],
        may_import: bool,
    ) -> Result<(Vec<u8>, i32), ClientError> {
        let mut history = History::default();
        loop {
            let (dc, kind, home) = self.resolve(target);
            let outcome = match self.conns.get(dc, kind).await {
                Ok(sender) => sender
                    .invoke_raw(body.to_vec())
                    .await
                    .map_err(|e| Failure::from_invocation(dc, e)),
                Err(ClientError::Connect { dc, detail }) => Err(Failure::Connection { dc, detail }),
                Err(e) => Err(Failure::Fatal(e)),
            };
            let failure = match outcome {
                Ok(bytes) => return Ok((bytes, dc)),
                Err(_) if self.conns.is_shut_down() => return Err(ClientError::Shutdown),
                Err(f) => f,
            };
            if let Failure::Rpc { error, .. } = &failure {
                if error.is("AUTH_KEY_DUPLICATED") {
                    // Telegram revoked the key: the next connection makes a new one.
                    tracing::warn!(dc, "auth key revoked as duplicated; it is forgotten");
                    self.storage.delete_auth_key(dc)?;
                    self.conns.forget(dc);
                }
            }
            let at = Attempted {
                dc,
                home,
                home_dc: self.home_dc(),
                may_import: may_import && self.is_signed_in(),
            };
            let action = policy::decide(failure, at, &mut history, &self.limits, SystemTime::now());
            tracing::debug!(dc, ?action, "request failed");
            match action {
                Action::MoveHome(to) => {
                    // The DC that answered, not the home DC now: another
                    // request may have moved home meanwhile.
                    let from = dc;
                    self.set_home_dc(to)?;
                    if may_import && self.is_signed_in() && from != to {
                        // The account moved: carry its sign-in along.
                        Box::pin(self.import_authorization(Target::Dc(from), to)).await?;
                    }
                    target = Target::Home;
                }
                Action::UseDc(to) => target = Target::Dc(to),
                Action::UseMedia(to) => target = Target::Media(to),
                Action::Sleep(d) => self.sleep(d).await?,
                // The pool replaces a connection whose sender gave up.
                Action::Reconnect(d) => self.sleep(d).await?,
                Action::Import(to) => Box::pin(self.import_authorization(Target::Home, to)).await?,
                Action::Fail(e) => {
                    if let ClientError::Unauthorized { reason, .. } = &e {
                        // The home DC no longer accepts the sign-in we hold.
                        if home && self.is_signed_in() {
                            self.mark_signed_out(reason);
                        }
                    }
                    return Err(e);
                }
            }
        }
    }

    /// Carries the sign-in from `from` (a signed-in DC) to `dc`, once per DC
    /// per run.
    async fn import_authorization(&self, from: Target, dc: i32) -> Result<(), ClientError> {
        let _one_at_a_time = self.import_lock.lock().await;
        if self.imported(dc) {
            return Ok(());
        }
        let export = functions::auth::ExportAuthorization { dc_id: dc };
        let exported: hearth_tl::enums::auth::ExportedAuthorization =
            self.call(from, &export, false).await?;
        let hearth_tl::enums::auth::ExportedAuthorization::ExportedAuthorization(e) = exported;
        let import = functions::auth::ImportAuthorization {
            id: e.id,
            bytes: e.bytes,
        };
        let _: hearth_tl::enums::auth::Authorization =
            self.call(Target::Dc(dc), &import, false).await?;
        tracing::info!(dc, "authorization imported");
        self.mark_imported(dc);
        Ok(())
    }

    /// [`Inner::call_raw`] with (de)serialization and entity absorption.
    pub(crate) async fn call<R>(
        &self,
        target: Target,
        req: &R,
        may_import: bool,
    ) -> Result<R::Return, ClientError>
    where
        R: RemoteCall,
        R::Return: Any,
    {
        let body = req.to_bytes();
        let (bytes, dc) = self.call_raw(target, &body, may_import).await?;
        let value = R::Return::from_bytes(&bytes).map_err(|e| ClientError::Protocol {
            dc,
            detail: format!("the answer could not be decoded: {e}"),
        })?;
        self.absorb(&value);
        Ok(value)
    }

    /// Waits `d`, or fails when the client shuts down meanwhile.
    pub(crate) async fn sleep(&self, d: std::time::Duration) -> Result<(), ClientError> {
        let mut stop = self.stop.subscribe();
        if *stop.borrow() {
            return Err(ClientError::Shutdown);
        }
        tokio::select! {
            _ = tokio::time::sleep(d) => Ok(()),
            _ = stop.wait_for(|s| *s) => Err(ClientError::Shutdown),
        }
    }
}

impl Client {
    /// Sends `req` to the account's home DC and returns its answer, with
    /// the retry policy of [`policy`].
    pub async fn invoke<R>(&self, req: &R) -> Result<R::Return, ClientError>
    where
        R: RemoteCall,
        R::Return: Any,
    {
        self.inner.call(Target::Home, req, true).await
    }

    /// Sends `req` to DC `dc` (the home DC's connection when it is home),
    /// importing the authorization there first when needed.
    pub async fn invoke_in_dc<R>(&self, dc: i32, req: &R) -> Result<R::Return, ClientError>
    where
        R: RemoteCall,
        R::Return: Any,
    {
        let target = if dc == self.inner.home_dc() {
            Target::Home
        } else {
            Target::Dc(dc)
        };
        self.inner.call(target, req, true).await
    }

    /// Sends `req` (file transfer) to DC `dc`'s media connection.
    pub async fn invoke_media<R>(&self, dc: i32, req: &R) -> Result<R::Return, ClientError>
    where
        R: RemoteCall,
        R::Return: Any,
    {
        self.inner.call(Target::Media(dc), req, true).await
    }
}
