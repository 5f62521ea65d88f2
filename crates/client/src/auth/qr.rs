//! QR code login (core.telegram.org/api/qr-login).
//!
//! 1. `auth.exportLoginToken` gives a token, shown as
//!    `tg://login?token=<base64url>`, valid until `expires`.
//! 2. A signed-in app of the account scans it and calls
//!    `auth.acceptLoginToken` ([`Client::accept_login_token`]); the server
//!    pushes `updateLoginToken` to this session.
//! 3. This client exports again and gets `auth.loginTokenSuccess`, or
//!    `auth.loginTokenMigrateTo` when the account lives on another DC,
//!    where `auth.importLoginToken` finishes (that DC becomes home). An
//!    account with two-step verification then needs its password.
//!
//! A token that expires unused is replaced by a fresh one
//! ([`QrWait::Refreshed`]), so the shown code must be redrawn.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use base64::Engine;
use hearth_tl::{enums, functions};

use super::{PasswordToken, User};
use crate::client::Client;
use crate::error::ClientError;
use crate::AuthorizationInfo;

/// A QR login in progress.
pub struct QrLogin {
    client: Client,
    /// The token the QR code encodes.
    pub token: Vec<u8>,
    /// When the token stops being accepted.
    pub expires: SystemTime,
    /// `updateLoginToken`s seen before this token was exported.
    seen: u64,
    /// The export already finished the login (accepted before it was asked).
    ready: Option<enums::auth::LoginToken>,
}

impl std::fmt::Debug for QrLogin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("QrLogin")
            .field("expires", &self.expires)
            .finish_non_exhaustive()
    }
}

/// What [`QrLogin::wait`] ended with.
// Made once per login: the size of `User` costs nothing here.
#[allow(clippy::large_enum_variant)]
#[derive(Debug)]
pub enum QrWait {
    /// Signed in.
    Done(User),
    /// Accepted; the account has two-step verification: finish with
    /// [`Client::check_password`].
    PasswordRequired(PasswordToken),
    /// The token expired unused: show this new one.
    Refreshed(QrLogin),
}

/// The URL a QR code for `token` encodes.
pub fn login_url(token: &[u8]) -> String {
    format!(
        "tg://login?token={}",
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(token)
    )
}

/// The token inside a `tg://login?token=...` URL (as a scanner reads it).
pub fn parse_login_url(url: &str) -> Option<Vec<u8>> {
    let rest = url.trim().strip_prefix("tg://login?")?;
    let value = rest
        .split('&')
        .find_map(|pair| pair.strip_prefix("token="))?;
    base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(value.trim_end_matches('='))
        .ok()
}

impl QrLogin {
    /// `tg://login?token=...` for the QR code.
    pub fn url(&self) -> String {
        login_url(&self.token)
    }

    /// Waits until the token is accepted (then finishes the login) or
    /// expires (then exports a new one). Cancel-safe: dropping the future
    /// changes nothing.
    pub async fn wait(&self) -> Result<QrWait, ClientError> {
        if let Some(ready) = &self.ready {
            return self.client.finish_qr(ready.clone()).await;
        }
        let mut tokens = self.client.inner.updates.login_tokens();
        let mut stop = self.client.inner.stop.subscribe();
        let left = self
            .expires
            .duration_since(SystemTime::now())
            .unwrap_or_default();
        let expired = tokio::time::sleep(left);
        tokio::select! {
            r = tokens.wait_for(|n| *n > self.seen) => {
                r.map_err(|_| ClientError::Shutdown)?;
            }
            _ = expired => {}
            _ = stop.wait_for(|s| *s) => return Err(ClientError::Shutdown),
        }
        self.finish_accepted().await
    }

    /// Finishes without waiting for `updateLoginToken`: for a token this
    /// process accepted itself ([`Client::accept_login_token`] returned).
    pub(crate) async fn finish_accepted(&self) -> Result<QrWait, ClientError> {
        if let Some(ready) = &self.ready {
            return self.client.finish_qr(ready.clone()).await;
        }
        let exported = match self.client.export_login_token().await {
            Ok(x) => x,
            Err(e) if e.is_rpc("SESSION_PASSWORD_NEEDED") => {
                return Ok(QrWait::PasswordRequired(
                    self.client.password_token().await?,
                ));
            }
            Err(e) => return Err(e),
        };
        self.client.finish_qr(exported).await
    }
}

impl Client {
    /// Starts a QR login: the token to show and when it expires.
    pub async fn qr_login(&self) -> Result<QrLogin, ClientError> {
        let seen = *self.inner.updates.login_tokens().borrow();
        match self.export_login_token().await? {
            enums::auth::LoginToken::LoginToken(t) => Ok(QrLogin {
                client: self.clone(),
                token: t.token,
                expires: UNIX_EPOCH + Duration::from_secs(t.expires.max(0) as u64),
                seen,
                ready: None,
            }),
            other => Ok(QrLogin {
                client: self.clone(),
                token: Vec::new(),
                expires: SystemTime::now(),
                seen,
                ready: Some(other),
            }),
        }
    }

    async fn export_login_token(&self) -> Result<enums::auth::LoginToken, ClientError> {
        self.invoke(&functions::auth::ExportLoginToken {
            api_id: self.inner.init.api_id,
            api_hash: self.inner.init.api_hash.clone(),
            except_ids: Vec::new(),
        })
        .await
    }

    /// Turns an export's answer into the outcome, importing on the
    /// account's DC when told to migrate.
    async fn finish_qr(&self, answer: enums::auth::LoginToken) -> Result<QrWait, ClientError> {
        let answer = match answer {
            enums::auth::LoginToken::LoginTokenMigrateTo(m) => {
                self.inner.set_home_dc(m.dc_id)?;
                let import = functions::auth::ImportLoginToken { token: m.token };
                match self.invoke(&import).await {
                    Ok(a) => a,
                    Err(e) if e.is_rpc("SESSION_PASSWORD_NEEDED") => {
                        return Ok(QrWait::PasswordRequired(self.password_token().await?));
                    }
                    Err(e) => return Err(e),
                }
            }
            other => other,
        };
        match answer {
            enums::auth::LoginToken::LoginTokenSuccess(s) => {
                Ok(QrWait::Done(self.authorized(s.authorization)?))
            }
            enums::auth::LoginToken::LoginToken(t) => {
                let seen = *self.inner.updates.login_tokens().borrow();
                Ok(QrWait::Refreshed(QrLogin {
                    client: self.clone(),
                    token: t.token,
                    expires: UNIX_EPOCH + Duration::from_secs(t.expires.max(0) as u64),
                    seen,
                    ready: None,
                }))
            }
            enums::auth::LoginToken::LoginTokenMigrateTo(m) => Err(ClientError::Protocol {
                dc: m.dc_id,
                detail: "the QR login was sent to another DC twice".into(),
            }),
        }
    }

    /// Accepts a QR login token shown by another app (this client must be
    /// signed in as the account to log into): the new session's details.
    pub async fn accept_login_token(&self, token: &[u8]) -> Result<AuthorizationInfo, ClientError> {
        let enums::Authorization::Authorization(a) = self
            .invoke(&functions::auth::AcceptLoginToken {
                token: token.to_vec(),
            })
            .await?;
        Ok(AuthorizationInfo::from_tl(a, None))
    }
}
