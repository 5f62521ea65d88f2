//! localdc: a Telegram data-centre emulator speaking MTProto 2.0 over TCP.

pub mod auth;
pub mod crypto;
pub mod keys;
pub mod net;
pub mod rpc;
pub mod server;
pub mod session;
pub mod state;
pub mod store;
pub mod tl;
pub mod users;
pub mod world;

pub use server::{AnnouncedDc, Announcement, Config, LocalDc, StartError};
