//! The accounts' IPC types, exported to TypeScript with `ts-rs`.
//!
//! Invariants: nothing here is secret (no auth keys, no passwords, no bot
//! tokens travel back to the UI); 64-bit values that can exceed
//! JavaScript's safe integers (authorization hashes) cross as decimal
//! strings; account ids and Telegram user ids (at most 52 bits, per
//! <https://core.telegram.org/api/bots/ids>) cross as numbers.
//!
//! Login steps follow <https://core.telegram.org/api/auth>: a code is sent
//! (`auth.sentCode` with its `type`, `next_type` and `timeout`), then either
//! the account is signed in, or a 2FA password is needed
//! (<https://core.telegram.org/api/srp>), or the number is new and must sign
//! up; QR login (<https://core.telegram.org/api/qr-login>) shows a
//! `tg://login?token=…` URL that changes whenever the token expires.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::{codes, CommandError};

/// Which Telegram network an account lives on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum AccountNetwork {
    /// The built-in local test network (localdc inside the app).
    Local,
    /// Telegram's production DCs.
    Production,
    /// Telegram's test DCs.
    Test,
}

impl From<hearth_store::Network> for AccountNetwork {
    fn from(network: hearth_store::Network) -> Self {
        match network {
            hearth_store::Network::Local => AccountNetwork::Local,
            hearth_store::Network::Production => AccountNetwork::Production,
            hearth_store::Network::Test => AccountNetwork::Test,
        }
    }
}

/// An account's connection, as the sidebar's dot shows it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ConnectionState {
    /// No connection is open (accounts connect when first used).
    Offline,
    /// Connecting, or creating an auth key.
    Connecting,
    /// Connected and receiving updates.
    Online,
    /// The last attempt failed; retrying.
    Unreachable,
    /// The server no longer accepts this account's authorization (it was
    /// terminated elsewhere); it must sign in again.
    SignedOut,
}

/// One account as the sidebar and the account pages show it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, TS)]
pub struct AccountView {
    /// The account's id in the database (a small SQLite rowid).
    #[ts(type = "number")]
    pub id: i64,
    /// The name the user gave the account (defaults to the display name).
    pub label: String,
    /// First and last name from Telegram, or the label while unknown.
    pub display_name: String,
    /// One or two letters for the avatar.
    pub initials: String,
    /// The Telegram user id once signed in.
    #[ts(type = "number | null")]
    pub user_id: Option<i64>,
    /// The main @username, without the `@`.
    pub username: Option<String>,
    /// The phone number in international form (`+…`), if the account has one.
    pub phone: Option<String>,
    pub is_bot: bool,
    /// The account's home DC.
    pub dc_id: i32,
    pub network: AccountNetwork,
    /// The saved proxy its connections go through; `None` is direct.
    #[ts(type = "number | null")]
    pub proxy_id: Option<i64>,
    pub state: ConnectionState,
    /// Its place in the sidebar, from 0.
    pub position: u32,
}

/// One or two letters for an avatar: the first letter of the first two
/// words of `name` (upper-cased), or `?` for a name without letters.
pub fn initials(name: &str) -> String {
    let letters: String = name
        .split_whitespace()
        .filter_map(|word| word.chars().find(|c| c.is_alphanumeric()))
        .take(2)
        .flat_map(char::to_uppercase)
        .collect();
    if letters.is_empty() {
        "?".to_owned()
    } else {
        letters
    }
}

/// A network offered by the Add account page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, TS)]
pub struct NetworkOption {
    pub id: AccountNetwork,
    pub name: String,
    /// One sentence on what signing in there means.
    pub description: String,
    /// Chosen when the page opens (the local network while no account exists).
    pub preselected: bool,
    /// Production and Test need an `api_id`/`api_hash` once; false after
    /// they were saved.
    pub needs_api_credentials: bool,
    /// Accounts to try it with (the local network's demo world); empty elsewhere.
    pub demo: Vec<DemoAccount>,
}

/// A demo account of the local test network, with what signing in needs.
/// These are public test fixtures, not secrets.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, TS)]
pub struct DemoAccount {
    pub name: String,
    pub phone: Option<String>,
    /// The login code the local network sends this number.
    pub code: Option<String>,
    /// Its 2FA password, if it has one.
    pub password: Option<String>,
    pub password_hint: Option<String>,
    /// For bots: the token to sign in with.
    pub bot_token: Option<String>,
}

/// The networks in the order the page offers them. `has_accounts`: any
/// account exists; `has_credentials(network)`: an `api_id`/`api_hash` is
/// saved for it; `demo`: the local network's demo accounts.
pub fn network_options(
    has_accounts: bool,
    has_credentials: impl Fn(AccountNetwork) -> bool,
    demo: Vec<DemoAccount>,
) -> Vec<NetworkOption> {
    let option = |id, name: &str, description: &str, needs: bool| NetworkOption {
        id,
        name: name.to_owned(),
        description: description.to_owned(),
        preselected: !has_accounts && id == AccountNetwork::Local,
        needs_api_credentials: needs && !has_credentials(id),
        demo: if id == AccountNetwork::Local {
            demo.clone()
        } else {
            Vec::new()
        },
    };
    vec![
        option(
            AccountNetwork::Local,
            "Local test network",
            "A Telegram network running inside Hearth on this computer, with demo accounts; nothing leaves your machine.",
            false,
        ),
        option(
            AccountNetwork::Production,
            "Telegram",
            "Your real Telegram account.",
            true,
        ),
        option(
            AccountNetwork::Test,
            "Telegram test network",
            "Telegram's separate network for developers; its accounts are not your real ones.",
            true,
        ),
    ]
}

/// The app's `api_id`/`api_hash` from my.telegram.org, asked once per network.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize, TS)]
pub struct ApiCredentials {
    pub api_id: i32,
    pub api_hash: String,
}

impl ApiCredentials {
    /// Checks the form: `api_id` positive, `api_hash` 32 hex digits.
    pub fn validate(&self) -> Result<(), CommandError> {
        if self.api_id <= 0 {
            return Err(CommandError::new(
                codes::INVALID_INPUT,
                "the api_id is the number shown as \"App api_id\" on my.telegram.org",
            )
            .on_field("api_id"));
        }
        let hash = self.api_hash.trim();
        if hash.len() != 32 || !hash.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(CommandError::new(
                codes::INVALID_INPUT,
                "the api_hash is the 32 letters and digits shown as \"App api_hash\" on my.telegram.org",
            )
            .on_field("api_hash"));
        }
        Ok(())
    }
}

/// What `begin_login` needs.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize, TS)]
pub struct LoginRequest {
    pub network: AccountNetwork,
    /// Required for Production and Test until saved once.
    pub api: Option<ApiCredentials>,
    /// The account's label; defaults to the display name.
    pub label: Option<String>,
}

/// How a login code was sent, or will be sent next
/// (`auth.SentCodeType` / `auth.CodeType`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum CodeDelivery {
    /// A message from Telegram in another session of the account.
    App,
    Sms,
    /// A phone call that reads the code out.
    Call,
    /// A call that hangs up; the code is in the caller's number.
    FlashCall,
    /// A missed call; the code is the last digits of the caller's number.
    MissedCall,
    Email,
    /// An email address must be set up first (not possible from Hearth).
    SetUpEmail,
    /// A code from fragment.com (anonymous numbers).
    Fragment,
    /// An SMS through Firebase (official mobile apps).
    FirebaseSms,
    /// An SMS whose word is the code.
    SmsWord,
    /// An SMS whose phrase is the code.
    SmsPhrase,
}

/// Where a login stands; every `login_*` command answers with the next step.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, TS)]
#[serde(tag = "step", rename_all = "snake_case")]
pub enum LoginStep {
    /// Ask for the phone number (or offer QR code and bot token instead).
    Phone,
    /// A code was sent; ask for it.
    Code {
        code_type: CodeDelivery,
        /// How a resend would deliver it; `None`: no resend possible.
        next_type: Option<CodeDelivery>,
        /// Seconds after which a resend is allowed (or happens by itself).
        timeout_secs: Option<u32>,
        /// The number the code went to, as the user typed it.
        phone: String,
        /// Digits in the code, when known.
        length: Option<u32>,
        /// Pattern, prefix or URL that helps find the code, when known.
        detail: Option<String>,
    },
    /// The account has a 2FA password; ask for it.
    Password { hint: Option<String> },
    /// The number has no account; ask for a first and last name.
    SignUp {
        /// Telegram's terms of service to show, when given.
        terms: Option<String>,
    },
    /// Show `url` as a QR code until `expires_at` (Unix seconds); a new step
    /// replaces it when the token changes.
    Qr {
        url: String,
        #[ts(type = "number")]
        expires_at: i64,
    },
    /// Signed in; the account is saved.
    Done { account: AccountView },
}

/// One authorization (session) of an account (`account.getAuthorizations`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, TS)]
pub struct SessionView {
    /// The authorization's hash as a decimal string (64 bits do not fit a
    /// JavaScript number); `"0"` for the current one.
    pub hash: String,
    /// e.g. `Pixel 8`, `Hearth`.
    pub device: String,
    /// Platform and system version, e.g. `android 14`.
    pub platform: String,
    /// App name and version, e.g. `Telegram Android 11.2`.
    pub app: String,
    pub official_app: bool,
    pub ip: String,
    /// Country and region as Telegram reports them.
    pub country: String,
    /// Last activity, Unix seconds.
    #[ts(type = "number")]
    pub date_active: i64,
    /// Sign-in time, Unix seconds.
    #[ts(type = "number")]
    pub date_created: i64,
    /// The DC the session talks to; Telegram reports it only for the
    /// current session (the account's home DC).
    pub dc: Option<i32>,
    /// This is Hearth's own session.
    pub current: bool,
}

/// What the account event channel carries.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum AccountEvent {
    /// An account's connection changed.
    Connection {
        #[ts(type = "number")]
        account_id: i64,
        state: ConnectionState,
        /// Why, in words, when it went down (e.g. the DC that did not answer).
        detail: Option<String>,
    },
    /// Accounts were added, removed, renamed or reordered: reload the list.
    ListChanged,
}
