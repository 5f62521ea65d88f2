//! hearth-cli: command-line tools on Hearth's engine crates.
//!
//! * `hearth-cli diagnose` sweeps a network's DCs over every transport and route with
//!   `hearth-diagnose` and prints a table (or JSON lines) and the next steps;
//! * `hearth-cli login`, `account`, `sessions` sign in and manage accounts and their sessions
//!   through `hearth-accounts`, the same service the app uses, in the same data directory
//!   under the same lock;
//! * `hearth-cli session import` adds the account of a Pyrogram or Telethon session
//!   (`hearth-portable`), checked with the server first; `session export` writes one for
//!   such a program: a new authorization (`--fresh`), or Hearth's own (`--move`);
//! * `hearth-cli dialogs`, `history`, `send`, `updates` read and write an account's chats
//!   through the same service and `hearth-client`'s message layer;
//! * `hearth-cli file-id` decodes and encodes Bot API / Pyrogram `file_id` and
//!   `file_unique_id` strings with `hearth-fileid` (no data directory, no network).
//! * `hearth-cli upload`, `download` move files through the service's transfer manager.
//!
//! Exit codes are listed in [`exit::HELP`] (and `--help`).

pub mod account;
pub mod chats;
pub mod context;
pub mod diagnose;
pub mod exit;
pub mod file_id;
pub mod login;
pub mod output;
pub mod prompt;
mod qr;
pub mod session;
pub mod sessions;
mod table;
pub mod transfer;
