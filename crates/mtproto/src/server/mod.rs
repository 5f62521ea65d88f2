//! The server half, for the `localdc` emulator and this crate's tests:
//! auth key creation ([`auth::ServerAuth`]) and server-side message
//! encryption and framing ([`message`]). Same TL and crypto as the client,
//! other direction (x = 8 for server → client, odd msg_ids).
//!
//! The emulator keeps one [`auth::ServerAuth`] per connection until it
//! yields a key, then decrypts client payloads with [`message::open`] and
//! answers with [`message::seal`], numbering messages with
//! [`message::ServerMsgIds`].

pub mod auth;
pub mod message;
