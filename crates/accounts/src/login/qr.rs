//! QR login (core.telegram.org/api/qr-login) inside a [`LoginFlow`]: a `tg://login?token=…`
//! URL to show as a QR code, replaced by a fresh one whenever it expires unused
//! (`auth.exportLoginToken` again), until a signed-in app of the account scans it
//! (`updateLoginToken`), possibly on another DC (`auth.loginTokenMigrateTo`, handled by
//! hearth-client), and then maybe the 2FA password.

use std::time::SystemTime;

use hearth_client::{QrLogin, QrWait};

use super::{LoginFlow, LoginStep};
use crate::error::AccountsError;
use crate::view::AccountView;

/// One QR code to show.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct QrCode {
    /// `tg://login?token=…`, what the QR code encodes.
    pub url: String,
    /// When it stops being accepted (a new one follows).
    pub expires: SystemTime,
}

/// What waiting on a QR code ended with.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum QrStep {
    /// The code expired unused: show this one instead.
    Refreshed(QrCode),
    /// Scanned and accepted: the new account.
    Done(AccountView),
    /// Accepted; the account has two-step verification: call
    /// [`LoginFlow::submit_password`].
    PasswordRequired { hint: Option<String> },
}

fn code_of(q: &QrLogin) -> Option<QrCode> {
    (!q.token.is_empty()).then(|| QrCode {
        url: q.url(),
        expires: q.expires,
    })
}

impl LoginFlow {
    /// Starts a QR login: the first code to show (`None` when the server finished the login
    /// at once; call [`LoginFlow::qr_wait`]).
    pub async fn qr_start(&mut self) -> Result<Option<QrCode>, AccountsError> {
        self.open()?;
        let q = self
            .client
            .qr_login()
            .await
            .map_err(|e| AccountsError::client(e, Some("qr")))?;
        let code = code_of(&q);
        self.qr = Some(q);
        Ok(code)
    }

    /// Waits until the current code is scanned (then finishes the login) or expires (then
    /// gives the next code). Cancel-safe: dropping the future changes nothing.
    pub async fn qr_wait(&mut self) -> Result<QrStep, AccountsError> {
        self.open()?;
        let q = self
            .qr
            .as_ref()
            .ok_or_else(|| AccountsError::LoginStep("start the QR login first".into()))?;
        let outcome = q
            .wait()
            .await
            .map_err(|e| AccountsError::client(e, Some("qr")))?;
        match outcome {
            QrWait::Done(user) => {
                self.qr = None;
                self.finish(user).await.map(QrStep::Done)
            }
            QrWait::PasswordRequired(p) => {
                self.qr = None;
                let hint = p.hint().map(str::to_owned);
                self.password = Some(p);
                Ok(QrStep::PasswordRequired { hint })
            }
            QrWait::Refreshed(next) => {
                let code = code_of(&next);
                self.qr = Some(next);
                match code {
                    Some(code) => Ok(QrStep::Refreshed(code)),
                    // An export that finished at once: the next wait completes it.
                    None => Box::pin(self.qr_wait()).await,
                }
            }
        }
    }

    /// The whole QR login: `show` is called with each code to display (the first, then
    /// every refresh) until the login is accepted. Ends with [`LoginStep::Done`] or
    /// [`LoginStep::PasswordRequired`].
    pub async fn qr(&mut self, mut show: impl FnMut(&QrCode)) -> Result<LoginStep, AccountsError> {
        if let Some(code) = self.qr_start().await? {
            show(&code);
        }
        loop {
            match self.qr_wait().await? {
                QrStep::Refreshed(code) => show(&code),
                QrStep::Done(view) => return Ok(LoginStep::Done(view)),
                QrStep::PasswordRequired { hint } => {
                    return Ok(LoginStep::PasswordRequired { hint })
                }
            }
        }
    }
}
