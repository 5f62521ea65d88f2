//! Sessions of other Telegram clients, read and written: Pyrogram (and its
//! maintained forks kurigram and pyrofork) and Telethon, as strings and as
//! SQLite `.session` files; Telegram Desktop's `tdata` folders, read.
//!
//! A session of another client is an MTProto authorization key (2048 bits,
//! core.telegram.org/mtproto/auth_key) plus what that client needs to reuse it:
//! the DC the key was made on and, depending on the format, the DC's address,
//! the test-server flag, the user id, whether the account is a bot and the
//! `api_id` it signed in with. [`PortableSession`] holds the union; each field a
//! format does not carry is `None`.
//!
//! Formats (each module cites the library source its layout follows):
//! - [`pyrogram::string`]: URL-safe base64 without padding of a packed struct;
//!   three layouts have shipped (32-bit user ids, 64-bit user ids, then with
//!   `api_id`), told apart by length.
//! - [`pyrogram::file`]: SQLite with a `sessions` table whose columns grew over
//!   schema versions 1–7 (Pyrogram 2.0 writes 3, pyrofork 4, kurigram 7);
//!   read by column name, so every version reads.
//! - [`telethon::string`]: `1` + URL-safe base64 of DC id, IPv4 or IPv6
//!   address, port and key.
//! - [`telethon::file`]: SQLite, schema versions 1–8 (`sessions` row with the
//!   address; `entities`, `sent_files`, `update_state`).
//! - [`tdata`]: Telegram Desktop's `tdata` folder, with or without a local
//!   passcode; every signed-in account (read only).
//!
//! Invariants:
//! - Reading never modifies the source: files are opened read-only, and a file
//!   another program holds locked is reported as in use, not waited for.
//! - The key is held in [`hearth_crypto::AuthKey`] (zeroed on drop, never in
//!   `Debug`); errors never quote key bytes or a whole session string.
//! - Bad input is an [`Error`] that names the format, what is wrong and what to
//!   do; nothing here panics on input.
//!
//! No network: whether the server still accepts a key is the caller's check.

mod base64url;
mod detect;
mod error;
pub mod pyrogram;
mod session;
mod sqlite;
pub mod tdata;
pub mod telethon;
#[cfg(test)]
mod testing;

pub use crate::detect::{read_file, read_string};
pub use crate::error::Error;
pub use crate::session::{Format, PortableSession, ServerAddress};
