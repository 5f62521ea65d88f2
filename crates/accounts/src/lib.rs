//! hearth-accounts: the one account service the app (`src-tauri`) and `hearth-cli` share, in
//! the way GitButler's `but-api` serves its app and CLI. Both are thin shells over
//! [`Accounts`]:
//!
//! * the accounts of a data directory in sidebar order ([`Accounts::list`],
//!   [`Accounts::reorder`]) with their connection state ([`ConnectionState`]) and a broadcast
//!   of changes ([`Accounts::subscribe`], [`AccountEvent`]);
//! * the network each account lives on ([`NetworkSpec`]): Telegram, its test network, a
//!   localdc from its announcement file, or the app's built-in Local test network;
//! * removing an account ([`Accounts::remove`]): session and keyring keys first, then the row.
//!
//! Errors ([`AccountsError`]) carry a stable code, the form field they concern and a message
//! that says what to do next.
//!
//! Invariant: auth keys are kept only where the service's [`AuthKeyBackend`] puts them (the
//! OS keyring in the app and the CLI), never in the database or a log.
//!
//! [`AuthKeyBackend`]: hearth_store::session::AuthKeyBackend

mod error;
mod keys;
mod login;
mod service;
mod spec;
mod view;

pub use error::AccountsError;
pub use hearth_client::{AuthorizationInfo, Client, ClientError, CodeKind, NextCodeKind};
pub use hearth_store::{AccountId, Network};
pub use keys::{MemoryKeys, SharedKeys};
pub use login::{CodeSent, LoginFlow, LoginStep, QrCode, QrStep};
pub use service::{Accounts, AccountsOptions, SharedProxySecrets};
pub use spec::{
    AnnouncementFuture, ApiCredentials, BuiltinLocalNetwork, NetworkSpec, BUILTIN_LOCAL,
};
pub use view::{AccountEvent, AccountView, ConnectionState};
