//! localdc: a Telegram data-centre emulator speaking MTProto 2.0 over TCP.

pub mod crypto;
pub mod net;
pub mod tl;
