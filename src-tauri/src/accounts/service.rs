//! What the account commands do: each is one call into the shared account
//! service (`hearth-accounts`), with its answer turned into IPC types. The
//! logins in progress are kept here by number ([`LoginFlows`]).

use hearth_accounts::{
    AccountId, Accounts, ApiCredentials as ServiceCredentials, NetworkSpec, QrStep,
};
use tokio::sync::broadcast::error::RecvError;

use super::convert::{account_view, code_step, event, login_step, qr_step, session_view};
use super::flows::{open, LoginFlows};
use super::import::{
    self, ImportFormat, ImportOutcome, ImportPreview, ImportRequest, ImportSource,
};
use super::types::{
    network_options, AccountEvent, AccountNetwork, AccountView, ApiCredentials, LoginRequest,
    LoginStep, NetworkOption, SessionView,
};
use crate::error::{codes, CommandError};

/// The app's side of the account service.
pub struct AppAccounts {
    accounts: Accounts,
    flows: LoginFlows,
}

fn network_of(network: AccountNetwork) -> hearth_store::Network {
    match network {
        AccountNetwork::Local => hearth_store::Network::Local,
        AccountNetwork::Production => hearth_store::Network::Production,
        AccountNetwork::Test => hearth_store::Network::Test,
    }
}

/// The service's description of `network`, with the `api_id`/`api_hash` the form gave.
fn spec_of(
    network: AccountNetwork,
    api: Option<ApiCredentials>,
) -> Result<NetworkSpec, CommandError> {
    let api = match api {
        Some(api) => {
            api.validate()?;
            Some(ServiceCredentials::new(api.api_id, &api.api_hash)?)
        }
        None => None,
    };
    Ok(match network {
        AccountNetwork::Local => NetworkSpec::BuiltinLocal,
        AccountNetwork::Production => NetworkSpec::Production { api },
        AccountNetwork::Test => NetworkSpec::Test { api },
    })
}

fn cancelled(id: u32) -> CommandError {
    CommandError::new(
        codes::NOT_FOUND,
        format!("sign-in {id} was cancelled while waiting for the QR code to be scanned"),
    )
}

impl AppAccounts {
    pub fn new(accounts: Accounts) -> Self {
        AppAccounts {
            accounts,
            flows: LoginFlows::default(),
        }
    }

    /// The shared service.
    pub fn service(&self) -> &Accounts {
        &self.accounts
    }

    /// Logins in progress.
    pub fn open_logins(&self) -> usize {
        self.flows.len()
    }

    pub fn list(&self) -> Result<Vec<AccountView>, CommandError> {
        Ok(self.accounts.list()?.iter().map(account_view).collect())
    }

    /// The networks the Add account page offers.
    pub fn networks(&self) -> Result<Vec<NetworkOption>, CommandError> {
        let has_accounts = !self.accounts.list()?.is_empty();
        let mut saved = Vec::new();
        for network in [AccountNetwork::Production, AccountNetwork::Test] {
            if self
                .accounts
                .api_credentials(network_of(network))?
                .is_some()
            {
                saved.push(network);
            }
        }
        Ok(network_options(
            has_accounts,
            |n| saved.contains(&n),
            super::demo::builtin_demo_accounts(),
        ))
    }

    /// Starts a login (connecting, creating the auth key); its flow id.
    pub async fn begin_login(&self, request: LoginRequest) -> Result<u32, CommandError> {
        let spec = spec_of(request.network, request.api)?;
        let flow = self.accounts.begin_login(spec, request.label).await?;
        Ok(self.flows.insert(flow))
    }

    /// Reads the sessions of `source` and refuses a key an account here holds; no
    /// connection is made (the user is warned next, before the key's first use).
    pub fn inspect_import(
        &self,
        source: &ImportSource,
        format: ImportFormat,
    ) -> Result<ImportPreview, CommandError> {
        let sessions = import::read(source, format)?;
        if let [only] = sessions.as_slice() {
            self.accounts.check_import(only)?;
        }
        // Of several (a tdata's accounts), each refused one is marked, not the lot.
        let sessions = sessions
            .iter()
            .map(|session| import::FoundSession {
                refused: self.accounts.check_import(session).err().map(|e| {
                    let e: CommandError = e.into();
                    e.message
                }),
                ..import::found(session)
            })
            .collect();
        Ok(ImportPreview { sessions })
    }

    /// Imports the chosen sessions of the request's source one by one, each
    /// checked with its DC first; one refused does not stop the others.
    pub async fn import(&self, request: ImportRequest) -> Result<Vec<ImportOutcome>, CommandError> {
        let sessions = import::read(&request.source, request.format)?;
        let chosen: Vec<_> = sessions
            .iter()
            .map(|s| (import::found(s).key_id, s))
            .filter(|(key_id, _)| {
                request
                    .key_ids
                    .as_ref()
                    .is_none_or(|ids| ids.contains(key_id))
            })
            .collect();
        if chosen.is_empty() {
            return Err(CommandError::new(
                codes::INVALID_INPUT,
                "none of the chosen accounts is in this source any more: read it again and tick one",
            )
            .on_field("session"));
        }
        let mut outcomes = Vec::new();
        for (key_id, session) in chosen {
            let spec = spec_of(request.network, request.api.clone())?;
            let result = self
                .accounts
                .import_session(spec, session, request.label.clone())
                .await;
            outcomes.push(match result {
                Ok(view) => ImportOutcome {
                    key_id,
                    account: Some(account_view(&view)),
                    error: None,
                },
                Err(e) => ImportOutcome {
                    key_id,
                    account: None,
                    error: Some(e.into()),
                },
            });
        }
        Ok(outcomes)
    }

    /// A finished step forgets its flow.
    fn settle(&self, id: u32, step: LoginStep) -> LoginStep {
        if matches!(step, LoginStep::Done { .. }) {
            self.flows.finish(id);
        }
        step
    }

    pub async fn submit_phone(&self, id: u32, phone: &str) -> Result<LoginStep, CommandError> {
        let mut guard = self.flows.lock(id).await?;
        let sent = open(&mut guard, id)?.request_code(phone).await?;
        Ok(code_step(&sent))
    }

    pub async fn resend_code(&self, id: u32) -> Result<LoginStep, CommandError> {
        let mut guard = self.flows.lock(id).await?;
        let sent = open(&mut guard, id)?.resend().await?;
        Ok(code_step(&sent))
    }

    pub async fn submit_code(&self, id: u32, code: &str) -> Result<LoginStep, CommandError> {
        let mut guard = self.flows.lock(id).await?;
        let step = open(&mut guard, id)?.submit_code(code).await?;
        Ok(self.settle(id, login_step(step)))
    }

    pub async fn submit_password(
        &self,
        id: u32,
        password: &str,
    ) -> Result<LoginStep, CommandError> {
        let mut guard = self.flows.lock(id).await?;
        let view = open(&mut guard, id)?.submit_password(password).await?;
        Ok(self.settle(
            id,
            LoginStep::Done {
                account: account_view(&view),
            },
        ))
    }

    pub async fn sign_up(
        &self,
        id: u32,
        first: &str,
        last: &str,
    ) -> Result<LoginStep, CommandError> {
        let mut guard = self.flows.lock(id).await?;
        let view = open(&mut guard, id)?.sign_up(first, last).await?;
        Ok(self.settle(
            id,
            LoginStep::Done {
                account: account_view(&view),
            },
        ))
    }

    pub async fn submit_bot_token(&self, id: u32, token: &str) -> Result<LoginStep, CommandError> {
        let mut guard = self.flows.lock(id).await?;
        let view = open(&mut guard, id)?.bot_token(token).await?;
        Ok(self.settle(
            id,
            LoginStep::Done {
                account: account_view(&view),
            },
        ))
    }

    /// QR login: every code to show goes to `show` (a new one whenever the
    /// last expired); resolves once a signed-in app scanned it: done, or the
    /// 2FA password is needed. `cancel` ends the wait.
    pub async fn qr(&self, id: u32, show: impl Fn(LoginStep)) -> Result<LoginStep, CommandError> {
        let cancel = self.flows.cancel_signal(id)?;
        let mut guard = self.flows.lock(id).await?;
        let flow = open(&mut guard, id)?;
        let first = tokio::select! {
            first = flow.qr_start() => first?,
            () = cancel.notified() => return Err(cancelled(id)),
        };
        if let Some(code) = first {
            show(qr_step(&code));
        }
        loop {
            let step = tokio::select! {
                step = flow.qr_wait() => step?,
                () = cancel.notified() => return Err(cancelled(id)),
            };
            match step {
                QrStep::Refreshed(code) => show(qr_step(&code)),
                QrStep::Done(view) => {
                    return Ok(self.settle(
                        id,
                        LoginStep::Done {
                            account: account_view(&view),
                        },
                    ))
                }
                QrStep::PasswordRequired { hint } => return Ok(LoginStep::Password { hint }),
            }
        }
    }

    /// Gives up login `id` (its pending account and keys are deleted).
    pub async fn cancel(&self, id: u32) -> Result<(), CommandError> {
        match self.flows.take(id).await {
            Some(flow) => Ok(flow.cancel().await?),
            None => Ok(()),
        }
    }

    pub fn reorder(&self, ids: &[i64]) -> Result<(), CommandError> {
        let ids: Vec<AccountId> = ids.iter().copied().map(AccountId).collect();
        Ok(self.accounts.reorder(&ids)?)
    }

    pub async fn log_out(&self, id: i64) -> Result<(), CommandError> {
        Ok(self.accounts.log_out(AccountId(id)).await?)
    }

    pub async fn remove(&self, id: i64) -> Result<(), CommandError> {
        Ok(self.accounts.remove(AccountId(id)).await?)
    }

    pub async fn set_proxy(&self, id: i64, proxy_id: Option<i64>) -> Result<(), CommandError> {
        Ok(self.accounts.set_proxy(AccountId(id), proxy_id).await?)
    }

    pub async fn sessions(&self, id: i64) -> Result<Vec<SessionView>, CommandError> {
        let list = self.accounts.sessions(AccountId(id)).await?;
        Ok(list.iter().map(session_view).collect())
    }

    pub async fn terminate(&self, id: i64, hash: &str) -> Result<(), CommandError> {
        let hash: i64 = hash.trim().parse().map_err(|_| {
            CommandError::new(
                codes::INVALID_INPUT,
                format!("\"{hash}\" is not a session hash; reload the sessions and try again"),
            )
            .on_field("hash")
        })?;
        Ok(self.accounts.terminate(AccountId(id), hash).await?)
    }

    pub async fn terminate_others(&self, id: i64) -> Result<(), CommandError> {
        Ok(self.accounts.terminate_others(AccountId(id)).await?)
    }

    /// Forwards account events to `sink` until it returns false (the page is
    /// gone) or the service shuts down; a subscriber that fell behind is
    /// told to reload the list. Must run inside a tokio runtime.
    pub fn subscribe(&self, sink: impl Fn(AccountEvent) -> bool + Send + 'static) {
        let mut rx = self.accounts.subscribe();
        tokio::spawn(async move {
            loop {
                let out = match rx.recv().await {
                    Ok(e) => event(e),
                    Err(RecvError::Lagged(_)) => AccountEvent::ListChanged,
                    Err(RecvError::Closed) => return,
                };
                if !sink(out) {
                    return;
                }
            }
        });
    }

    /// Closes every account's client (the app is quitting).
    pub async fn shutdown(&self) {
        self.accounts.shutdown().await;
    }
}
