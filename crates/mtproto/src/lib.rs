//! Sans-IO MTProto 2.0 (placeholder doc, replaced below).

pub mod auth;
pub mod error;
pub mod pfs;
pub mod plain;
pub mod server;
pub mod session;
pub mod time;
pub(crate) mod wire;

pub use error::{DecodeError, InboundError};
pub use hearth_crypto::AuthKey;
pub use session::{Event, RequestId, RpcError, Session, SessionConfig};
pub use time::UnixTime;
