//! What the service shows of an account ([`AccountView`]), its connection
//! ([`ConnectionState`]) and the changes it announces ([`AccountEvent`]).
//!
//! Nothing here is secret: no auth key, password or bot token.

use hearth_store::{Account, AccountId, Network};
use serde::Serialize;

/// An account's connection, as the sidebar's dot shows it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ConnectionState {
    /// No connection is open (accounts connect when first used).
    Offline,
    /// Connecting, or creating an auth key.
    Connecting,
    /// Connected.
    Online,
    /// The last attempt to connect failed.
    Unreachable,
    /// The server no longer accepts this account's authorization (it was ended from another
    /// device, or the account logged out); it must sign in again.
    SignedOut,
}

impl ConnectionState {
    pub fn as_str(self) -> &'static str {
        match self {
            ConnectionState::Offline => "offline",
            ConnectionState::Connecting => "connecting",
            ConnectionState::Online => "online",
            ConnectionState::Unreachable => "unreachable",
            ConnectionState::SignedOut => "signed_out",
        }
    }
}

/// One account as the sidebar, the account pages and `hearth-cli account list` show it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct AccountView {
    #[serde(serialize_with = "account_id")]
    pub id: AccountId,
    /// The name the user gave the account in Hearth.
    pub label: String,
    /// First and last name on Telegram, once known.
    pub name: Option<String>,
    /// Main @username, without the `@`.
    pub username: Option<String>,
    /// Phone number as Telegram gives it (digits, no `+`); none for bots.
    pub phone: Option<String>,
    pub user_id: Option<i64>,
    pub is_bot: bool,
    /// The home DC.
    pub dc: i32,
    #[serde(serialize_with = "network")]
    pub network: Network,
    /// For local accounts: the announcement file, or `builtin`.
    pub local_source: Option<String>,
    /// The saved proxy its connections go through; `None` is direct.
    pub proxy_id: Option<i64>,
    /// Place in the sidebar, from 0.
    pub position: i64,
    pub state: ConnectionState,
}

impl AccountView {
    pub(crate) fn new(a: Account, state: ConnectionState) -> Self {
        AccountView {
            id: a.id,
            label: a.label,
            name: a.display_name,
            username: a.username,
            phone: a.phone,
            user_id: a.user_id,
            is_bot: a.is_bot,
            dc: a.dc_id,
            network: a.network,
            local_source: a.local_source,
            proxy_id: a.proxy_id,
            position: a.position,
            state,
        }
    }

    /// The name to show: the Telegram name, else the label.
    pub fn display_name(&self) -> &str {
        self.name
            .as_deref()
            .filter(|n| !n.trim().is_empty())
            .unwrap_or(&self.label)
    }
}

fn account_id<S: serde::Serializer>(id: &AccountId, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_i64(id.0)
}

fn network<S: serde::Serializer>(n: &Network, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(n.as_str())
}

/// A change the service announces to every [`crate::Accounts::subscribe`]r.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AccountEvent {
    /// Accounts were added, removed, renamed, reordered or changed (list them again).
    ListChanged,
    /// An account's connection changed.
    State {
        id: AccountId,
        state: ConnectionState,
    },
}
