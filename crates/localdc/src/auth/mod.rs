//! Auth key creation, the server's side (core.telegram.org/mtproto/auth_key).

pub mod handshake;
