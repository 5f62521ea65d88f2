//! Handing an account's session to another program (Pyrogram, Telethon), written by
//! `hearth-portable` as a string or a new file.
//!
//! - [`Accounts::export_fresh_session`]: a new, separate authorization made for the other
//!   program ([`hearth_client::Client::fresh_authorization`]); Hearth keeps its own. Both
//!   run at the same time without `AUTH_KEY_DUPLICATED`, because they hold different keys.
//!   The new key is never saved in Hearth's storage.
//! - [`Accounts::move_session`]: Hearth's own key, written out, after which the account is
//!   removed from Hearth (keyring entries first, then its rows) without logging the key out
//!   on the server. Only with an explicit confirmation: one key in two programs is one
//!   session used twice, which Telegram ends.
//!
//! Invariants: a file is never overwritten (the destination is checked before the server is
//! asked for anything, and `hearth-portable` creates it exclusively); a string is returned
//! in a wiping buffer and never logged; a Pyrogram file is the layout Pyrogram 2.0,
//! pyrofork and kurigram all load (`Schema::Shared`), which carries the DC address for
//! kurigram (Pyrogram 2.0's schema 3 would be upgraded by kurigram with production
//! addresses, and kurigram's own schema 7 is refused by pyrofork and Pyrogram 2.0).

use std::path::{Path, PathBuf};
use std::sync::Arc;

use hearth_client::FreshMethod;
use hearth_portable::pyrogram::file::Schema;
use hearth_portable::{Format, PortableSession, ServerAddress};
use hearth_session::{DcOptions, MemoryStorage, SessionStorage};
use hearth_store::{AccountId, Network};
use zeroize::Zeroizing;

use super::Accounts;
use crate::error::AccountsError;
use crate::spec::{ApiCredentials, NetworkSpec};
use crate::view::AccountEvent;

/// Where an exported session goes.
#[derive(Clone, Debug)]
pub struct ExportRequest {
    pub format: Format,
    /// The new file, for the file formats (it must not exist yet).
    pub out: Option<PathBuf>,
}

/// How a user's new session signs in (a bot's uses its token).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum FreshLogin {
    /// Hearth's session accepts the new session's login token (QR login).
    #[default]
    Qr,
    /// A login code for the account's phone, which Telegram sends to Hearth's session as a
    /// message from 777000, where Hearth reads it.
    Code,
}

/// What the other program's session is called and signs in with (fresh exports only).
#[derive(Clone, Debug, Default)]
pub struct FreshOptions {
    /// The name the account's Sessions list shows for the new session.
    pub label: String,
    /// The other program's `api_id`/`api_hash`; by default the account network's own
    /// (Hearth's on a local network, the saved ones on production and test).
    pub api: Option<ApiCredentials>,
    /// The account's two-step verification password, when it has one.
    pub password: Option<Zeroizing<String>>,
    /// A bot account's token (from @BotFather): a bot's new session signs in with it, as
    /// bots cannot approve a login token. Hearth keeps no bot token, so it is asked for.
    pub bot_token: Option<Zeroizing<String>>,
    /// How a user's new session signs in.
    pub login: FreshLogin,
}

/// A session written out.
pub struct ExportedSession {
    pub format: Format,
    /// The file written, for the file formats.
    pub path: Option<PathBuf>,
    /// The session string, for the string formats: a secret, shown once.
    pub string: Option<Zeroizing<String>>,
    pub dc_id: i32,
    pub user_id: i64,
    /// `auth_key_id` of the exported key (public; tells sessions apart).
    pub key_id: u64,
}

impl std::fmt::Debug for ExportedSession {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ExportedSession")
            .field("format", &self.format)
            .field("path", &self.path)
            .field("dc_id", &self.dc_id)
            .field("user_id", &self.user_id)
            .field("key_id", &format_args!("{:016x}", self.key_id))
            .finish_non_exhaustive()
    }
}

impl Accounts {
    /// Makes a new authorization of account `id` for another program and writes it as
    /// `request` says. Hearth's own session is untouched and keeps working.
    pub async fn export_fresh_session(
        &self,
        id: AccountId,
        request: &ExportRequest,
        options: FreshOptions,
    ) -> Result<ExportedSession, AccountsError> {
        let label = options.label.trim().to_owned();
        if label.is_empty() || label.chars().count() > 64 {
            return Err(AccountsError::invalid(
                "label",
                "name the new session (1 to 64 characters): the account's Sessions list shows it under that name",
            ));
        }
        let out = destination(request)?;
        let account = self.account_row(id)?;
        let bot_token = options
            .bot_token
            .as_ref()
            .map(|t| t.trim())
            .filter(|t| !t.is_empty());
        match (account.is_bot, bot_token) {
            (true, None) => {
                return Err(AccountsError::invalid(
                    "bot_token",
                    "a bot's new session signs in with the bot's token (bots cannot approve a \
                     login): give the token @BotFather gave for this bot",
                ))
            }
            (false, Some(_)) => {
                return Err(AccountsError::invalid(
                    "bot_token",
                    "this account is a user, not a bot: leave the bot token empty (Hearth's \
                     session approves the new one)",
                ))
            }
            _ => {}
        }
        let client = self.client(id).await?;
        // An imported account has no phone on its row: the server tells its own user's.
        let phone = match (options.login, bot_token, &account.phone) {
            (FreshLogin::Code, None, None) => client
                .resume_authorization()
                .await
                .ok()
                .and_then(|me| me.phone),
            (_, _, phone) => phone.clone(),
        };
        let method =
            match (bot_token, options.login, phone.as_deref()) {
                (Some(token), _, _) => FreshMethod::BotToken(token),
                (None, FreshLogin::Qr, _) => FreshMethod::Qr,
                (None, FreshLogin::Code, Some(phone)) => FreshMethod::Code { phone },
                (None, FreshLogin::Code, None) => return Err(AccountsError::invalid(
                    "method",
                    "Telegram did not tell this account's phone number, so no login code can be \
                     sent to it: use QR login for the new session",
                )),
            };
        let mut resolved = self.resolve(&NetworkSpec::of_account(&account)?).await?;
        if let Some(api) = &options.api {
            resolved.init.api_id = api.api_id;
            resolved.init.api_hash = api.api_hash.clone();
        }
        resolved.init.device_model = label.clone();
        resolved.init.app_version = label.clone();
        let route = self.route(id)?;
        let config = self.client_config(
            &resolved,
            Arc::new(MemoryStorage::new()),
            route,
            client.home_dc(),
        );
        let password = options.password.as_ref().map(|p| p.as_str());
        let fresh = client
            .fresh_authorization(config, method, password)
            .await
            .map_err(|e| {
                let field = match method {
                    FreshMethod::BotToken(_) => "bot_token",
                    FreshMethod::Qr | FreshMethod::Code { .. } => "session",
                };
                AccountsError::client(e, Some(field))
            })?;
        let session = PortableSession {
            format: request.format,
            dc_id: fresh.dc_id,
            auth_key: fresh.auth_key,
            test_mode: Some(fresh.test_mode),
            user_id: Some(fresh.user_id),
            is_bot: Some(fresh.is_bot),
            api_id: Some(fresh.api_id),
            server: fresh.address.map(|(ip, port)| ServerAddress {
                host: ip.to_string(),
                port,
            }),
        };
        tracing::info!(account = %id, dc = session.dc_id, format = session.format.describe(), "new session made for another program");
        write(&session, out.as_deref(), account.network).map_err(|e| match e {
            AccountsError::InvalidInput { field, message } => AccountsError::InvalidInput {
                field,
                message: format!(
                    "{message}. The new session \"{label}\" was made but not saved: end it on the \
                     account's Sessions page, then try again"
                ),
            },
            e => e,
        })
    }

    /// Writes Hearth's own session of account `id` as `request` says, then removes the
    /// account from Hearth without logging it out: the other program continues the session.
    /// Refused unless `confirmed` (Hearth is signed out of this session by it).
    pub async fn move_session(
        &self,
        id: AccountId,
        request: &ExportRequest,
        confirmed: bool,
    ) -> Result<ExportedSession, AccountsError> {
        if !confirmed {
            return Err(AccountsError::invalid(
                "confirm",
                "moving the session signs Hearth out of this account (the other program takes the \
                 session over); confirm the move, or make a new session for the other program instead",
            ));
        }
        let out = destination(request)?;
        let account = self.account_row(id)?;
        let resolved = self.resolve(&NetworkSpec::of_account(&account)?).await?;
        // The client stops first, so nothing of Hearth uses the key once it is written out.
        self.close_client(id).await;
        let storage = self.storage(id);
        let data = storage.load()?;
        let (Some(user_id), Some(dc_id)) = (data.self_user, data.home_dc.or(Some(account.dc_id)))
        else {
            return Err(AccountsError::NotSignedIn(id));
        };
        let key = storage
            .auth_key(dc_id)?
            .ok_or(AccountsError::NotSignedIn(id))?;
        let dcs = match account.network {
            // A local network's announcement is the truth about its ports.
            Network::Local => resolved.network.dcs.clone(),
            _ => {
                let mut dcs = DcOptions::new(data.dc_options.clone());
                dcs.merge(resolved.network.dcs.clone());
                dcs
            }
        };
        let session = PortableSession {
            format: request.format,
            dc_id,
            auth_key: hearth_crypto::AuthKey::from_bytes(*key),
            test_mode: Some(account.network == Network::Test),
            user_id: Some(user_id),
            is_bot: Some(data.is_bot),
            api_id: Some(resolved.init.api_id),
            server: dcs.address(dc_id, false, false).map(|o| ServerAddress {
                host: o.ip.to_string(),
                port: o.port,
            }),
        };
        let exported = write(&session, out.as_deref(), account.network)?;
        self.delete_account(id)?;
        tracing::info!(account = %id, format = session.format.describe(), "session moved to another program; account removed");
        self.announce(AccountEvent::ListChanged);
        Ok(exported)
    }

    fn account_row(&self, id: AccountId) -> Result<hearth_store::Account, AccountsError> {
        match self.db().get_account(id)? {
            Some(a) if !a.pending => Ok(a),
            _ => Err(AccountsError::NoSuchAccount(id)),
        }
    }
}

/// The file to create, checked before anything is asked of the server.
fn destination(request: &ExportRequest) -> Result<Option<PathBuf>, AccountsError> {
    let is_file = matches!(request.format, Format::PyrogramFile | Format::TelethonFile);
    match (&request.out, is_file) {
        (None, true) => Err(AccountsError::invalid(
            "out",
            format!("choose where to save the {}", request.format),
        )),
        (Some(_), false) => Err(AccountsError::invalid(
            "out",
            format!(
                "a {} is text, not a file: choose a file format to save one",
                request.format
            ),
        )),
        (None, false) => Ok(None),
        (Some(path), true) => {
            if path.exists() {
                return Err(AccountsError::invalid(
                    "out",
                    format!(
                        "{} exists already and is never overwritten: choose a new file name",
                        path.display()
                    ),
                ));
            }
            let parent = path.parent().filter(|p| !p.as_os_str().is_empty());
            if parent.is_some_and(|p| !p.is_dir()) {
                return Err(AccountsError::invalid(
                    "out",
                    format!(
                        "the folder of {} does not exist: choose an existing folder",
                        path.display()
                    ),
                ));
            }
            Ok(Some(path.clone()))
        }
    }
}

/// Writes `session` in its format: a new file at `out`, or a string.
fn write(
    session: &PortableSession,
    out: Option<&Path>,
    network: Network,
) -> Result<ExportedSession, AccountsError> {
    let failed = |e: hearth_portable::Error| AccountsError::invalid("out", e.to_string());
    let string = match (session.format, out) {
        (Format::PyrogramString, _) => Some(hearth_portable::pyrogram::string::encode(session)),
        (Format::TelethonString, _) => Some(hearth_portable::telethon::string::encode(session)),
        (Format::PyrogramFile, Some(path)) => {
            // Without a known address only a production or test key can be written (the
            // forks' built-in tables know those DCs); a local network's needs its address.
            let schema = match (network, &session.server) {
                (_, Some(_)) | (Network::Local, None) => Schema::Shared,
                (_, None) => Schema::Pyrogram,
            };
            hearth_portable::pyrogram::file::write(path, session, schema).map_err(failed)?;
            None
        }
        (Format::TelethonFile, Some(path)) => {
            hearth_portable::telethon::file::write(path, session).map_err(failed)?;
            None
        }
        // Export formats map to Pyrogram and Telethon only; tdata is read, never written.
        (Format::Tdata, Some(_)) => {
            return Err(AccountsError::invalid(
                "format",
                "Hearth does not write Telegram Desktop tdata folders: choose a Pyrogram or Telethon format",
            ))
        }
        (_, None) => {
            return Err(AccountsError::invalid(
                "out",
                "choose where to save the file",
            ))
        }
    };
    Ok(ExportedSession {
        format: session.format,
        path: out.map(Path::to_path_buf),
        string: string.transpose().map_err(failed)?.map(Zeroizing::new),
        dc_id: session.dc_id,
        user_id: session.user_id.unwrap_or_default(),
        key_id: session.key_id(),
    })
}
