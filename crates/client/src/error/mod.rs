//! [`ClientError`]: every way a client call can fail, typed, with a stable
//! machine-readable [`ClientError::code`] and a message in plain words that
//! names the DC (where one is involved) and says what to do next.
//!
//! RPC errors keep Telegram's names (core.telegram.org/api/errors) as their
//! code, so the UI can match `PHONE_CODE_INVALID` and friends; the client's
//! own failures use the codes listed on [`ClientError::code`].

mod advice;

use std::time::{Duration, SystemTime};

use hearth_mtproto::RpcError;
use hearth_session::{PeerNotMet, StorageError};

use crate::network::NetworkError;

pub use advice::rpc_advice;

/// Why a client call failed.
#[derive(Debug, Clone, thiserror::Error)]
pub enum ClientError {
    /// The server answered with an error this layer does not handle itself.
    #[error("{}", advice::describe(.0))]
    Rpc(RpcError),

    /// A flood wait longer than the client's threshold (or a second one in a
    /// row): the request may be repeated after `until`.
    #[error("Telegram (DC {dc}) asks to wait {seconds} s before repeating this request; try again after that")]
    FloodWait {
        seconds: u32,
        until: SystemTime,
        dc: i32,
    },

    /// The peer was never met, so no access hash is known; the message says
    /// how to meet it.
    #[error("{0}")]
    PeerNotMet(PeerNotMet),

    /// DC `dc` could not be reached or the connection broke for good.
    #[error(
        "cannot reach DC {dc}: {detail}; check the network connection (or the proxy) and try again"
    )]
    Connect { dc: i32, detail: String },

    /// No answer from DC `dc` in time.
    #[error("DC {dc} did not answer within {} s; the connection may be slow or blocked, try again", .after.as_secs())]
    Timeout { dc: i32, after: Duration },

    /// The account is not signed in (never was, logged out, or its session
    /// was ended from another device).
    #[error("this session is not signed in on DC {dc} ({reason}); sign in again")]
    Unauthorized { dc: i32, reason: String },

    /// Saving or loading the session failed.
    #[error("{0}")]
    Storage(std::sync::Arc<StorageError>),

    /// Another client in this process already runs a connection with the
    /// same auth key to this DC; two would make Telegram revoke the key.
    #[error("another client in this process is already connected to DC {dc} with this account's key; use that client (clone it) instead of connecting a second one")]
    KeyInUse { dc: i32 },

    /// The client was shut down.
    #[error("the client was shut down; connect again to continue")]
    Shutdown,

    /// The network description (a localdc announcement) is unusable.
    #[error("{0}")]
    Network(std::sync::Arc<NetworkError>),

    /// No address is known for DC `dc`.
    #[error("no address is known for DC {dc}; the network's address book lacks it (for a local network, check that the announcement is the one the running localdc printed)")]
    UnknownDc { dc: i32 },

    /// The server broke the protocol or sent an answer this client cannot use.
    #[error("DC {dc} sent something this client cannot use: {detail}; try again, and report it if it persists")]
    Protocol { dc: i32, detail: String },

    /// The server's 2FA parameters are unsafe or unknown.
    #[error("the two-step verification parameters from Telegram cannot be used ({0}); update Hearth or try again later")]
    Password(String),

    /// The answer needs a step this client does not implement yet.
    #[error("{0}")]
    Unsupported(String),
}

impl ClientError {
    /// A stable machine-readable code: the RPC error's name for
    /// [`ClientError::Rpc`] (`PHONE_CODE_INVALID`, `PASSWORD_HASH_INVALID`,
    /// ...), else one of `FLOOD_WAIT`, `PEER_NOT_MET`, `NETWORK`, `TIMEOUT`,
    /// `UNAUTHORIZED`, `STORAGE`, `KEY_IN_USE`, `SHUTDOWN`, `NETWORK_CONFIG`,
    /// `DC_UNKNOWN`, `PROTOCOL`, `PASSWORD_PARAMS`, `UNSUPPORTED`.
    pub fn code(&self) -> &str {
        match self {
            ClientError::Rpc(e) => &e.name,
            ClientError::FloodWait { .. } => "FLOOD_WAIT",
            ClientError::PeerNotMet(_) => "PEER_NOT_MET",
            ClientError::Connect { .. } => "NETWORK",
            ClientError::Timeout { .. } => "TIMEOUT",
            ClientError::Unauthorized { .. } => "UNAUTHORIZED",
            ClientError::Storage(_) => "STORAGE",
            ClientError::KeyInUse { .. } => "KEY_IN_USE",
            ClientError::Shutdown => "SHUTDOWN",
            ClientError::Network(_) => "NETWORK_CONFIG",
            ClientError::UnknownDc { .. } => "DC_UNKNOWN",
            ClientError::Protocol { .. } => "PROTOCOL",
            ClientError::Password(_) => "PASSWORD_PARAMS",
            ClientError::Unsupported(_) => "UNSUPPORTED",
        }
    }

    /// Seconds until a flood wait ends (rounded up), for countdowns.
    pub fn retry_after(&self) -> Option<u32> {
        match self {
            ClientError::FloodWait { until, .. } => {
                let left = until.duration_since(SystemTime::now()).unwrap_or_default();
                Some(left.as_secs_f64().ceil() as u32)
            }
            _ => None,
        }
    }

    /// Whether this is the RPC error `name`.
    pub fn is_rpc(&self, name: &str) -> bool {
        matches!(self, ClientError::Rpc(e) if e.is(name))
    }

    /// The RPC error, if this is one.
    pub fn rpc(&self) -> Option<&RpcError> {
        match self {
            ClientError::Rpc(e) => Some(e),
            _ => None,
        }
    }
}

impl From<StorageError> for ClientError {
    fn from(e: StorageError) -> Self {
        ClientError::Storage(std::sync::Arc::new(e))
    }
}

impl From<PeerNotMet> for ClientError {
    fn from(e: PeerNotMet) -> Self {
        ClientError::PeerNotMet(e)
    }
}

impl From<NetworkError> for ClientError {
    fn from(e: NetworkError) -> Self {
        ClientError::Network(std::sync::Arc::new(e))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_stable_and_rpc_errors_keep_their_names() {
        let e = ClientError::Rpc(RpcError::new(400, "PHONE_CODE_INVALID"));
        assert_eq!(e.code(), "PHONE_CODE_INVALID");
        assert!(e.is_rpc("PHONE_CODE_INVALID"));
        assert!(e.to_string().contains("code"), "{e}");
        let until = SystemTime::now() + Duration::from_secs(90);
        let f = ClientError::FloodWait {
            seconds: 90,
            until,
            dc: 4,
        };
        assert_eq!(f.code(), "FLOOD_WAIT");
        assert!((89..=90).contains(&f.retry_after().unwrap()));
        assert!(f.to_string().contains("DC 4") && f.to_string().contains("90 s"));
        let c = ClientError::Connect {
            dc: 2,
            detail: "connection refused".into(),
        };
        assert_eq!(c.code(), "NETWORK");
        assert!(c
            .to_string()
            .starts_with("cannot reach DC 2: connection refused"));
        assert_eq!(ClientError::KeyInUse { dc: 2 }.code(), "KEY_IN_USE");
    }
}
