//! hearth-accounts: the one account service the app (`src-tauri`) and `hearth-cli` share, in
//! the way GitButler's `but-api` serves its app and CLI. Both are thin shells over
//! [`Accounts`]:
//!
//! * the accounts of a data directory in sidebar order ([`Accounts::list`],
//!   [`Accounts::reorder`]) with their connection state ([`ConnectionState`]) and a broadcast
//!   of changes ([`Accounts::subscribe`], [`AccountEvent`]);
//! * the network each account lives on ([`NetworkSpec`]): Telegram, its test network, a
//!   localdc from its announcement file, or the app's built-in Local test network;
//! * adding one ([`Accounts::begin_login`] → [`LoginFlow`]): code (with resend), 2FA
//!   password, sign-up, bot token, or QR code; the flow signs in under a pending row, so the
//!   finished account keeps the session and the client that signed in;
//! * each account's client ([`Accounts::client`]), opened on first use over its saved proxy
//!   ([`Accounts::set_proxy`] reconnects), its sessions ([`Accounts::sessions`],
//!   [`Accounts::terminate`], [`Accounts::terminate_others`]), log-out ([`Accounts::log_out`]:
//!   the server session ended, keys deleted, row removed) and [`Accounts::shutdown`];
//! * its chats ([`Accounts::dialogs_page`], [`Accounts::history`], [`Accounts::send_message`],
//!   [`Accounts::edit_message`], [`Accounts::delete_messages`], [`Accounts::read_chat`]) and
//!   their live changes ([`Accounts::subscribe_messages`], [`ChatEvent`]);
//! * the chat open when the app quit ([`Accounts::last_chat`], [`Accounts::set_last_chat`]);
//! * removing an account ([`Accounts::remove`]): session and keyring keys first, then the row;
//! * media transfers ([`Transfers`]): downloads of a message's photo or document to a path
//!   (through a `.part` file), uploads sent as a photo or a document, progress, cancel.
//!
//! ```no_run
//! # async fn demo(accounts: hearth_accounts::Accounts) -> Result<(), hearth_accounts::AccountsError> {
//! use hearth_accounts::{LoginStep, NetworkSpec};
//! let spec = NetworkSpec::Local { announcement: "/tmp/localdc.json".into() };
//! let mut flow = accounts.begin_login(spec, None).await?;
//! flow.request_code("+999 662 5555").await?;
//! let account = match flow.submit_code("22222").await? {
//!     LoginStep::Done(account) => account,
//!     LoginStep::PasswordRequired { .. } => flow.submit_password("correct horse battery staple").await?,
//!     LoginStep::SignUpRequired { .. } => flow.sign_up("New", "User").await?,
//! };
//! for session in accounts.sessions(account.id).await? {
//!     println!("{} {} {}", session.hash, session.device, session.ip);
//! }
//! # Ok(()) }
//! ```
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
pub use hearth_client::network::file_advice as announcement_file_advice;
pub use hearth_client::{
    AuthorizationInfo, Client, ClientError, CodeKind, ConnectionStatus, NextCodeKind, PeerId,
    Progress,
};
pub use hearth_portable::{Format as SessionFormat, PortableSession};
pub use hearth_store::{AccountId, Network};
pub use keys::{MemoryKeys, SharedKeys};
pub use login::{CodeSent, LoginFlow, LoginStep, QrCode, QrStep};
pub use service::media::{
    Media, MediaCache, MediaRequest, MediaVariant, CACHE_LIMIT as MEDIA_CACHE_LIMIT, THUMB_BOX,
};
pub use service::transfers::{
    Destination, DownloadRequest, TransferError, TransferId, TransferKind, TransferState,
    TransferView, Transfers, UploadRequest, PHOTO_MAX,
};
pub use service::{
    Accounts, AccountsOptions, ChatDialog, ChatEntity, ChatEvent, ChatMessage, ChatSearch,
    DialogsPage, ExportRequest, ExportedSession, FreshLogin, FreshOptions, HistoryAnchor, LastChat,
    MediaKind, MediaSummary, SearchAfter, SharedProxySecrets,
};
pub use spec::{
    AnnouncementFuture, ApiCredentials, BuiltinLocalNetwork, NetworkSpec, BUILTIN_LOCAL,
};
pub use view::{AccountEvent, AccountView, ConnectionState};
