//! hearth-client: one Telegram account over Hearth's engine.
//!
//! Built on `hearth-sender` (connections) and `hearth-session` (DC options,
//! peer cache, update engine, storage), in the manner of grammers' client
//! but written for Hearth:
//!
//! * [`Client::connect`] opens the account's home DC with the auth key from
//!   its [`SessionStorage`](hearth_session::SessionStorage) (or a new one,
//!   saved at once); connections live in a `hearth_sender::pool` (one per
//!   DC and kind, opened lazily, closed when idle) and every new MTProto
//!   session starts with `initConnection` inside `invokeWithLayer` ([`conn`]);
//! * [`Client::invoke`] sends any TL function with the retry policy of
//!   [`invoke::policy`]: migrations, flood waits up to a threshold, 500s and
//!   lost connections, sign-in carried to other DCs; every answer's users
//!   and chats feed the peer cache ([`entities`]);
//! * sign-in ([`auth`]): login codes, sign-up, 2FA (SRP), bot tokens, QR
//!   login, log-out; sessions ([`authorizations`]);
//! * files ([`files`]): downloads and uploads in parts with several in
//!   flight, resumable and cancellable, with progress; expired file
//!   references renewed; photo sizes and stripped thumbnails;
//! * updates ([`updates`]): ordered, gap-recovered, caught up after a
//!   restart, through [`Client::next_update`];
//! * messages ([`messages`]): dialogs and history with Telegram's paging,
//!   sending with entities, edits, deletion, forwarding, read marks,
//!   search, and live [`MessageEvent`]s, through [`Client::messages`];
//! * [`ClientError`]: typed, with a stable [`ClientError::code`] and
//!   messages that say what to do.
//!
//! Invariants: at most one live connection per (auth key, DC, kind) in the
//! process ([`conn::registry`]); [`Client::shutdown`] never blocks, so it (and
//! [`Client::log_out`]) may be called from anywhere, update handlers
//! included; auth keys never appear in logs or `Debug` output.

pub mod auth;
pub mod authorizations;
mod client;
pub mod config;
pub mod conn;
mod entities;
pub mod error;
mod failure;
pub mod files;
pub mod invoke;
pub mod messages;
pub mod network;
pub mod peers;
pub mod status;
pub mod updates;

pub use auth::{
    CodeKind, FreshAuthorization, FreshMethod, LoginToken, NextCodeKind, PasswordToken, QrLogin,
    QrWait, SignIn, User,
};
pub use authorizations::AuthorizationInfo;
pub use client::{Client, Me};
pub use config::{ClientConfig, InitParams};
pub use conn::ConnKind;
pub use error::ClientError;
pub use files::{
    bot_file_ids, BotFileIds, DownloadOptions, FileError, FileLocation, MessageFile, MessageRef,
    Progress, UploadOptions, Uploaded,
};
pub use messages::{
    Dialog, DialogPager, DocumentKind, Entity, EntityKind, HistoryPager, Media, Message,
    MessageEvent, Messages, OutgoingMessage, RandomIds, SearchPage,
};
pub use network::{Network, NetworkError, NetworkKind};
pub use peers::Peers;
pub use status::ConnectionStatus;
pub use updates::Update;

pub use hearth_mtproto::RpcError;
pub use hearth_session::{
    MemoryStorage, PeerId, PeerInfo, PeerKind, PeerNotMet, SessionStorage, StorageError,
};
