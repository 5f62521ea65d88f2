//! A new, separate authorization of the signed-in account for another
//! program (core.telegram.org/api/qr-login, with both ends in this process):
//! what "New session for another tool" hands out instead of a copy of the
//! account's own key.
//!
//! 1. A second [`Client`] connects to the account's home DC with an in-memory
//!    storage, so it creates a brand-new auth key that is never saved with
//!    the account and never claimed in the account's key registry slot. Its
//!    `initConnection` carries the other program's `api_id` and the user's
//!    label (device model and app version), which is what the account's
//!    Sessions list shows for it.
//! 2. That client asks for a login token (`auth.exportLoginToken` with the
//!    other program's `api_id`/`api_hash`).
//! 3. The signed-in client accepts it (`auth.acceptLoginToken`).
//! 4. The new client exports again and gets `auth.loginTokenSuccess`
//!    (or `auth.loginTokenMigrateTo`, finished with `auth.importLoginToken`
//!    on that DC, whose key is then the one handed out). An account with
//!    two-step verification needs its password here.
//! 5. The new client is shut down and its key returned: from then on only
//!    the other program uses it, so the two sessions never run one key twice
//!    (no `AUTH_KEY_DUPLICATED`). When anything after step 1 fails, the new
//!    session is logged out instead, so no authorization is left whose key
//!    nobody holds.
//!
//! Bots cannot accept login tokens (Telegram reserves QR login for users).
//! A bot's new session is instead steps 2–4 replaced by
//! `auth.importBotAuthorization` with the bot's token on the new key
//! ([`FreshMethod::BotToken`], core.telegram.org/method/auth.importBotAuthorization):
//! every import makes a separate authorization. The token must be this bot's
//! (the new session is checked to be signed in as this account, else it is
//! logged out and refused). Hearth keeps no bot token, so the caller asks.
//!
//! A user may also choose a code login ([`FreshMethod::Code`],
//! core.telegram.org/api/auth): the new session sends `auth.sendCode` for the
//! account's own phone; Telegram delivers the code to signed-in sessions as a
//! message from its service account 777000, which this (signed-in) client
//! reads from its chat with 777000 (`code.rs`), and the new session finishes
//! with `auth.signIn` (and the password when two-step verification is on).

use std::net::IpAddr;
use std::sync::Arc;
use std::time::Duration;

use hearth_crypto::AuthKey;
use hearth_session::{MemoryStorage, SessionStorage};

use super::QrWait;
use crate::client::Client;
use crate::config::ClientConfig;
use crate::error::ClientError;
use crate::network::NetworkKind;

/// How long the new session may take to finish signing in.
pub(super) const FINISH_WITHIN: Duration = Duration::from_secs(60);

/// A new authorization of the account, for another program. Holds the
/// key: hand it on, never store it with the account.
pub struct FreshAuthorization {
    /// The DC the key was made on (the account's home DC).
    pub dc_id: i32,
    /// That DC's address as the network's address book has it.
    pub address: Option<(IpAddr, u16)>,
    pub auth_key: AuthKey,
    pub user_id: i64,
    pub is_bot: bool,
    /// The key belongs to Telegram's test servers.
    pub test_mode: bool,
    /// The `api_id` the authorization was made with.
    pub api_id: i32,
}

impl std::fmt::Debug for FreshAuthorization {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FreshAuthorization")
            .field("dc_id", &self.dc_id)
            .field("address", &self.address)
            .field("key_id", &format_args!("{:016x}", self.auth_key.key_id()))
            .field("user_id", &self.user_id)
            .finish_non_exhaustive()
    }
}

/// How the new session signs in.
#[derive(Clone, Copy)]
pub enum FreshMethod<'a> {
    /// A user account: the new session's login token, accepted by this one.
    Qr,
    /// A user account: a login code for `phone` (the account's own number),
    /// read from the message Telegram's service account sends this session.
    Code { phone: &'a str },
    /// A bot: its token from @BotFather on the new key.
    BotToken(&'a str),
}

impl std::fmt::Debug for FreshMethod<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            FreshMethod::Qr => f.write_str("Qr"),
            FreshMethod::Code { .. } => f.write_str("Code"),
            // A bot token signs in as the bot: never printed.
            FreshMethod::BotToken(_) => f.write_str("BotToken(..)"),
        }
    }
}

impl Client {
    /// Makes a new authorization of this signed-in account for another
    /// program. `config` describes the other program's connection: its
    /// network and route (this account's), and its `init` (the other
    /// program's `api_id`/`api_hash`, with the label the user chose as
    /// device model). Its storage and start DC are replaced here; nothing of
    /// the new session is saved anywhere. `method` is how it signs in (a
    /// user's QR login, a bot's token); `password` answers two-step
    /// verification when the account has it.
    pub async fn fresh_authorization(
        &self,
        mut config: ClientConfig,
        method: FreshMethod<'_>,
        password: Option<&str>,
    ) -> Result<FreshAuthorization, ClientError> {
        let me = self.me().ok_or_else(|| ClientError::Unauthorized {
            dc: self.home_dc(),
            reason: "this account is not signed in".into(),
        })?;
        match (me.bot, method) {
            (true, FreshMethod::Qr) => {
                return Err(ClientError::Unsupported(
                    "a bot cannot approve a new session (Telegram allows QR login only for \
                     users): give the bot's token to sign the new session in with it, or move \
                     Hearth's own session (that signs Hearth out of this bot)"
                        .into(),
                ))
            }
            (true, FreshMethod::Code { .. }) => {
                return Err(ClientError::Unsupported(
                    "a bot has no phone number to send a login code to: give the bot's token \
                     to sign the new session in with it"
                        .into(),
                ))
            }
            (false, FreshMethod::BotToken(_)) => {
                return Err(ClientError::Unsupported(
                    "this account is a user, not a bot: its new session is approved by Hearth's \
                     session (QR login), no bot token is needed"
                        .into(),
                ))
            }
            _ => {}
        }
        let storage = Arc::new(MemoryStorage::new());
        config.storage = storage.clone();
        config.default_dc = self.home_dc();
        config.catch_up = false;
        let api_id = config.init.api_id;
        let test_mode = config.network.kind == NetworkKind::Test;
        let fresh = Client::connect(config).await?;
        let sign_in = async {
            match method {
                FreshMethod::Qr => self.approve(&fresh, password).await,
                FreshMethod::Code { phone } => {
                    self.code_sign_in(&fresh, me.user_id, phone, password).await
                }
                FreshMethod::BotToken(token) => {
                    self.bot_token_sign_in(&fresh, me.user_id, token).await
                }
            }
        };
        let made = tokio::time::timeout(FINISH_WITHIN, sign_in).await;
        let result = match made {
            Ok(Ok(user_id)) => take_key(&fresh, &storage, user_id, me.bot, api_id, test_mode),
            Ok(Err(e)) => Err(e),
            Err(_) => Err(ClientError::Timeout {
                dc: fresh.home_dc(),
                after: FINISH_WITHIN,
            }),
        };
        if result.is_err() {
            // An accepted token whose sign-in did not finish (a missing password, a lost
            // answer) leaves an authorization nobody holds the key of: end it.
            let _ = tokio::time::timeout(Duration::from_secs(5), fresh.log_out()).await;
        }
        fresh.shutdown();
        let _ = tokio::time::timeout(Duration::from_secs(3), fresh.closed()).await;
        result
    }

    /// A bot's new session: its token imported on the new key, which must sign
    /// in as this bot.
    async fn bot_token_sign_in(
        &self,
        fresh: &Client,
        me: i64,
        token: &str,
    ) -> Result<i64, ClientError> {
        let user = fresh.bot_sign_in(token).await?;
        if user.id != me {
            return Err(ClientError::Unsupported(format!(
                "that token belongs to another bot (user {}), not to this one (user {me}): give \
                 this bot's token from @BotFather",
                user.id
            )));
        }
        tracing::info!(
            user = user.id,
            dc = fresh.home_dc(),
            "a new bot session for another program was signed in"
        );
        Ok(user.id)
    }

    /// Steps 2–4: the new client's token, accepted here, finished there.
    async fn approve(&self, fresh: &Client, password: Option<&str>) -> Result<i64, ClientError> {
        let qr = fresh.qr_login().await?;
        if !qr.token.is_empty() {
            self.accept_login_token(&qr.token).await?;
        }
        let user = match qr.finish_accepted().await? {
            QrWait::Done(user) => user,
            QrWait::PasswordRequired(token) => match password {
                Some(pw) => fresh.check_password(token, pw).await?,
                None => {
                    return Err(ClientError::Unsupported(
                        "this account has two-step verification: give its password to approve \
                         the new session"
                            .into(),
                    ))
                }
            },
            QrWait::Refreshed(_) => {
                return Err(ClientError::Protocol {
                    dc: fresh.home_dc(),
                    detail: "the login token was not accepted although this account accepted it"
                        .into(),
                })
            }
        };
        tracing::info!(
            user = user.id,
            dc = fresh.home_dc(),
            "a new session for another program was approved"
        );
        Ok(user.id)
    }
}

/// Step 5: the new session's key and where it lives.
fn take_key(
    fresh: &Client,
    storage: &MemoryStorage,
    user_id: i64,
    is_bot: bool,
    api_id: i32,
    test_mode: bool,
) -> Result<FreshAuthorization, ClientError> {
    let dc_id = fresh.home_dc();
    let key = storage
        .auth_key(dc_id)?
        .ok_or_else(|| ClientError::Protocol {
            dc: dc_id,
            detail: "the new session signed in without an auth key".into(),
        })?;
    let address = {
        let dcs = fresh.inner.conns.dialer.dcs.lock();
        let dcs = dcs.unwrap_or_else(|e| e.into_inner());
        dcs.address(dc_id, false, false).map(|o| (o.ip, o.port))
    };
    Ok(FreshAuthorization {
        dc_id,
        address,
        auth_key: AuthKey::from_bytes(*key),
        user_id,
        is_bot,
        test_mode,
        api_id,
    })
}

mod code;
