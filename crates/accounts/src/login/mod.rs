//! [`LoginFlow`]: adding an account (core.telegram.org/api/auth): a login code to a phone
//! (with resend), then the 2FA password (core.telegram.org/api/srp) or sign-up for a new
//! number; or a bot token; or a QR code ([`qr`], core.telegram.org/api/qr-login).
//!
//! The flow signs in under a pending account row ([`Accounts::begin_login`] inserts it), so
//! its session — auth keys in the keyring included — is stored where the account will keep
//! it, and the client that signed in goes on serving the account without reconnecting. On
//! success the row becomes an account; on [`LoginFlow::cancel`], on drop before success, or
//! when the same user already has an account on the network (whose new server session is
//! then logged out), the pending row and its session are deleted.
//!
//! Invariant: a flow never leaves a pending row behind while its process lives; rows left by
//! a process that died are cleared at the next start ([`Accounts::new`]).

mod import;
pub mod qr;

use std::sync::Arc;
use std::time::Duration;

use hearth_client::{Client, CodeKind, LoginToken, NextCodeKind, PasswordToken, SignIn, User};
use hearth_store::{AccountId, AccountProfile, NewAccount, StoreError};

use crate::error::AccountsError;
use crate::service::Accounts;
use crate::spec::{ApiCredentials, NetworkSpec};
use crate::view::{AccountEvent, AccountView};

pub use qr::{QrCode, QrStep};

/// A login code on its way.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CodeSent {
    /// The phone as Telegram got it (digits only).
    pub phone: String,
    /// How the code was sent.
    pub kind: CodeKind,
    /// Digits in the code, when the server says.
    pub length: Option<i32>,
    /// Where to look for the code: a flash call's number pattern, a missed call's number
    /// prefix, the masked login email, the Fragment URL, the start of an SMS word or phrase.
    pub hint: Option<String>,
    /// How [`LoginFlow::resend`] would send it.
    pub next: Option<NextCodeKind>,
    /// Wait this long before resending.
    pub timeout: Option<Duration>,
}

impl From<&LoginToken> for CodeSent {
    fn from(t: &LoginToken) -> Self {
        CodeSent {
            phone: t.phone.clone(),
            kind: t.kind.clone(),
            length: t.length,
            hint: t.hint.clone(),
            next: t.next,
            timeout: t.timeout,
        }
    }
}

/// Where a login stands after a step.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LoginStep {
    /// Signed in: the new account.
    Done(AccountView),
    /// The account has two-step verification: call [`LoginFlow::submit_password`].
    PasswordRequired { hint: Option<String> },
    /// No account uses the number: call [`LoginFlow::sign_up`]; show `terms` first.
    SignUpRequired { terms: Option<String> },
}

enum Stage {
    Open,
    Done,
    Closed,
}

/// One login in progress. Drop or [`cancel`](LoginFlow::cancel) it to give up.
pub struct LoginFlow {
    accounts: Accounts,
    id: AccountId,
    client: Client,
    network: hearth_store::Network,
    label: Option<String>,
    api: Option<ApiCredentials>,
    code: Option<LoginToken>,
    password: Option<PasswordToken>,
    qr: Option<hearth_client::QrLogin>,
    stage: Stage,
}

impl std::fmt::Debug for LoginFlow {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LoginFlow")
            .field("pending_account", &self.id)
            .field("network", &self.network)
            .finish_non_exhaustive()
    }
}

impl Accounts {
    /// Starts adding an account on `spec`: connects (creating an auth key) under a pending
    /// account row. `label` names the account in Hearth; by default its Telegram name.
    pub async fn begin_login(
        &self,
        spec: NetworkSpec,
        label: Option<String>,
    ) -> Result<LoginFlow, AccountsError> {
        self.begin_login_through(spec, label, None).await
    }

    /// [`Accounts::begin_login`] through the saved proxy `proxy_id` (where Telegram is only
    /// reachable through one); the new account keeps using it.
    pub async fn begin_login_through(
        &self,
        spec: NetworkSpec,
        label: Option<String>,
        proxy_id: Option<i64>,
    ) -> Result<LoginFlow, AccountsError> {
        let route = match proxy_id {
            Some(p) => self.saved_proxy(p)?.route(),
            None => hearth_sender::connect::Route::Direct,
        };
        let label = label.map(|l| l.trim().to_owned()).filter(|l| !l.is_empty());
        let resolved = self.resolve(&spec).await?;
        let local_source = spec.local_source()?;
        let network = spec.network();
        let row = self.db().insert_pending_account(
            &NewAccount {
                label: label.clone().unwrap_or_default(),
                user_id: None,
                phone: None,
                is_bot: false,
                dc_id: 2,
                network,
            },
            local_source.as_deref(),
        )?;
        if proxy_id.is_some() {
            self.db().set_account_proxy(row.id, proxy_id)?;
        }
        let storage = Arc::new(self.storage(row.id));
        let config = self.client_config(&resolved, storage, route, 2);
        let client = match Client::connect(config).await {
            Ok(c) => c,
            Err(e) => {
                if let Err(clean) = self.delete_account(row.id) {
                    tracing::warn!(error = %clean, "cannot clear the failed login's pending row");
                }
                return Err(AccountsError::client(e, Some("network")));
            }
        };
        tracing::info!(pending = %row.id, network = %network, "login started");
        Ok(LoginFlow::new(
            self,
            row.id,
            client,
            network,
            label,
            resolved.api,
        ))
    }
}

impl LoginFlow {
    /// A flow on pending row `id`, signing in with `client`.
    fn new(
        accounts: &Accounts,
        id: AccountId,
        client: Client,
        network: hearth_store::Network,
        label: Option<String>,
        api: Option<ApiCredentials>,
    ) -> Self {
        LoginFlow {
            accounts: accounts.clone(),
            id,
            client,
            network,
            label,
            api,
            code: None,
            password: None,
            qr: None,
            stage: Stage::Open,
        }
    }

    fn open(&self) -> Result<(), AccountsError> {
        match self.stage {
            Stage::Open => Ok(()),
            Stage::Done => Err(AccountsError::LoginStep(
                "this login already finished; start a new one to add another account".into(),
            )),
            Stage::Closed => Err(AccountsError::LoginStep(
                "this login was cancelled; start a new one".into(),
            )),
        }
    }

    /// The client the flow signs in with (to accept a QR code from another session in tests,
    /// or to read the home DC).
    pub fn client(&self) -> &Client {
        &self.client
    }

    /// Sends a login code to `phone` (international format; spaces and `+` are fine).
    pub async fn request_code(&mut self, phone: &str) -> Result<CodeSent, AccountsError> {
        self.open()?;
        let digits: String = phone.chars().filter(char::is_ascii_digit).collect();
        if digits.len() < 5 || phone.chars().any(|c| c.is_alphabetic()) {
            return Err(AccountsError::invalid(
                "phone",
                "type the phone number in international format with the country code, e.g. +44 7700 900123",
            ));
        }
        let token = self
            .client
            .request_login_code(&digits)
            .await
            .map_err(|e| AccountsError::client(e, Some("phone")))?;
        let sent = CodeSent::from(&token);
        self.code = Some(token);
        Ok(sent)
    }

    /// Asks for the code again (by the next way Telegram named).
    pub async fn resend(&mut self) -> Result<CodeSent, AccountsError> {
        self.open()?;
        let token = self.code.as_ref().ok_or_else(no_code)?;
        let token = self
            .client
            .resend_code(token)
            .await
            .map_err(|e| AccountsError::client(e, Some("code")))?;
        let sent = CodeSent::from(&token);
        self.code = Some(token);
        Ok(sent)
    }

    /// Signs in with the code the user received.
    pub async fn submit_code(&mut self, code: &str) -> Result<LoginStep, AccountsError> {
        self.open()?;
        let token = self.code.clone().ok_or_else(no_code)?;
        let code = code.trim();
        if code.is_empty() || !code.chars().all(|c| c.is_alphanumeric() || c == '-') {
            return Err(AccountsError::invalid(
                "code",
                "type the login code Telegram sent",
            ));
        }
        let answer = self
            .client
            .sign_in(&token, code)
            .await
            .map_err(|e| AccountsError::client(e, Some("code")))?;
        match answer {
            SignIn::Done(user) => self.finish(user).await.map(LoginStep::Done),
            SignIn::PasswordRequired(p) => {
                let hint = p.hint().map(str::to_owned);
                self.password = Some(p);
                Ok(LoginStep::PasswordRequired { hint })
            }
            SignIn::SignUpRequired { terms } => Ok(LoginStep::SignUpRequired { terms }),
        }
    }

    /// Finishes a login that needs the 2FA password.
    pub async fn submit_password(&mut self, password: &str) -> Result<AccountView, AccountsError> {
        self.open()?;
        let token = self.password.clone().ok_or_else(|| {
            AccountsError::LoginStep(
                "no password was asked for; sign in with a code or QR code first".into(),
            )
        })?;
        if password.is_empty() {
            return Err(AccountsError::invalid(
                "password",
                "type the two-step verification password",
            ));
        }
        let user = self
            .client
            .check_password(token, password)
            .await
            .map_err(|e| AccountsError::client(e, Some("password")))?;
        self.finish(user).await
    }

    /// Registers a new account for the number the code was sent to.
    pub async fn sign_up(
        &mut self,
        first_name: &str,
        last_name: &str,
    ) -> Result<AccountView, AccountsError> {
        self.open()?;
        let token = self.code.clone().ok_or_else(no_code)?;
        if first_name.trim().is_empty() {
            return Err(AccountsError::invalid(
                "first_name",
                "type a first name (1 to 64 characters)",
            ));
        }
        let user = self
            .client
            .sign_up(&token, first_name, last_name)
            .await
            .map_err(|e| AccountsError::client(e, Some("first_name")))?;
        self.finish(user).await
    }

    /// Signs a bot in with its token from @BotFather.
    pub async fn bot_token(&mut self, token: &str) -> Result<AccountView, AccountsError> {
        self.open()?;
        let token = token.trim();
        let well_formed = token.split_once(':').is_some_and(|(id, secret)| {
            !id.is_empty() && id.bytes().all(|b| b.is_ascii_digit()) && !secret.is_empty()
        });
        if !well_formed {
            return Err(AccountsError::invalid(
                "bot_token",
                "a bot token looks like 123456:ABC-DEF1234ghIkl; copy it from @BotFather",
            ));
        }
        let user = self
            .client
            .bot_sign_in(token)
            .await
            .map_err(|e| AccountsError::client(e, Some("bot_token")))?;
        self.finish(user).await
    }

    /// Gives up: the pending row and its session (keys included) are deleted.
    pub async fn cancel(mut self) -> Result<(), AccountsError> {
        self.close()
    }

    fn close(&mut self) -> Result<(), AccountsError> {
        if !matches!(self.stage, Stage::Open) {
            return Ok(());
        }
        self.stage = Stage::Closed;
        self.client.shutdown();
        self.accounts.delete_account(self.id)?;
        tracing::info!(pending = %self.id, "login cancelled");
        Ok(())
    }

    /// Turns the pending row into the account of `user`.
    async fn finish(&mut self, user: User) -> Result<AccountView, AccountsError> {
        let name = [user.first_name.as_deref(), user.last_name.as_deref()]
            .into_iter()
            .flatten()
            .filter(|s| !s.trim().is_empty())
            .collect::<Vec<_>>()
            .join(" ");
        let profile = AccountProfile {
            user_id: user.id,
            phone: user.phone.clone().filter(|p| !p.is_empty()),
            is_bot: user.bot,
            dc_id: self.client.home_dc(),
            display_name: Some(name.clone()).filter(|n| !n.is_empty()),
            username: user.username.clone().filter(|u| !u.is_empty()),
        };
        let completed = self
            .accounts
            .db()
            .complete_pending_account(self.id, &profile);
        let account = match completed {
            Ok(a) => a,
            Err(e @ StoreError::DuplicateAccount { .. }) => {
                // End the session just made on Telegram, so it does not linger in the
                // account's session list; the existing account is untouched.
                let err = AccountsError::from(e);
                if let Err(e) = self.client.log_out().await {
                    tracing::warn!(error = %e, "cannot end the duplicate login's server session");
                }
                self.close()?;
                return Err(err);
            }
            Err(e) => return Err(e.into()),
        };
        let label = self.label.clone().unwrap_or_else(|| {
            if !name.is_empty() {
                name
            } else if let Some(u) = &profile.username {
                format!("@{u}")
            } else {
                profile
                    .phone
                    .clone()
                    .map(|p| format!("+{p}"))
                    .unwrap_or_else(|| format!("Account {}", account.id))
            }
        });
        self.accounts.db().rename_account(account.id, &label)?;
        if let Some(api) = &self.api {
            self.accounts.set_api_credentials(self.network, api)?;
        }
        self.stage = Stage::Done;
        self.accounts.adopt(account.id, self.client.clone()).await;
        tracing::info!(account = %account.id, user = user.id, dc = profile.dc_id, "account added");
        self.accounts.announce(AccountEvent::ListChanged);
        self.accounts.get(account.id)
    }
}

impl Drop for LoginFlow {
    fn drop(&mut self) {
        if let Err(e) = self.close() {
            tracing::warn!(pending = %self.id, error = %e, "cannot clear an abandoned login; it is cleared at the next start");
        }
    }
}

fn no_code() -> AccountsError {
    AccountsError::LoginStep("request a login code first".into())
}
