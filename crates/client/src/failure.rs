//! One failed attempt of a request, as the retry policy sees it: the
//! sender's [`InvocationError`] (or a connection that could not be opened)
//! turned into a [`Failure`], and a [`Failure`] turned into the
//! [`ClientError`] the caller gets when the policy gives up.

use std::time::Duration;

use hearth_mtproto::RpcError;
use hearth_sender::connect::ConnectError;
use hearth_sender::InvocationError;

use crate::error::ClientError;

/// Why one attempt failed.
#[derive(Debug)]
pub(crate) enum Failure {
    /// The server answered `rpc_error`.
    Rpc { dc: i32, error: RpcError },
    /// The connection broke and its own reconnects gave up, or the task
    /// stopped without being asked to: worth a new connection.
    Connection { dc: i32, detail: String },
    /// No answer in time; the request may have run, so it is not repeated.
    Timeout { dc: i32, after: Duration },
    /// A failure no retry can fix.
    Fatal(ClientError),
}

impl Failure {
    pub fn from_invocation(dc: i32, e: InvocationError) -> Failure {
        match e {
            InvocationError::Rpc(error) => Failure::Rpc { dc, error },
            InvocationError::BadMessage { code } => Failure::Fatal(ClientError::Protocol {
                dc,
                detail: format!(
                    "the server rejected the request's message (bad_msg_notification {code})"
                ),
            }),
            InvocationError::Timeout(after) => Failure::Timeout { dc, after },
            InvocationError::Shutdown => Failure::Connection {
                dc,
                detail: "the connection was closed".into(),
            },
            // The sender met -404 as the first answer of several new
            // connections in a row: the DC no longer knows the key, so the
            // sign-in it carried is gone. Another connection cannot help.
            InvocationError::Connect(e) => match &*e {
                ConnectError::AuthKeyUnknown { connections, .. } => {
                    Failure::Fatal(ClientError::Unauthorized {
                        dc,
                        reason: format!(
                            "the server no longer knows this session's auth key: it answered \
                             -404 on {connections} new connections in a row"
                        ),
                    })
                }
                _ => Failure::Connection {
                    dc,
                    detail: e.to_string(),
                },
            },
            InvocationError::Protocol(detail) => Failure::Connection { dc, detail },
            InvocationError::Decode(detail) => Failure::Fatal(ClientError::Protocol { dc, detail }),
        }
    }

    /// The error for the caller.
    pub fn into_error(self) -> ClientError {
        match self {
            Failure::Rpc { dc, error } => rpc_error(dc, error),
            Failure::Connection { dc, detail } => ClientError::Connect { dc, detail },
            Failure::Timeout { dc, after } => ClientError::Timeout { dc, after },
            Failure::Fatal(e) => e,
        }
    }
}

/// RPC errors that mean "not signed in" (core.telegram.org/api/errors#401-unauthorized).
pub(crate) fn is_signed_out(e: &RpcError) -> bool {
    e.code == 401
        && matches!(
            e.name.as_str(),
            "AUTH_KEY_UNREGISTERED" | "SESSION_REVOKED" | "SESSION_EXPIRED" | "AUTH_KEY_INVALID"
        )
}

/// The caller's error for an RPC error of DC `dc`.
pub(crate) fn rpc_error(dc: i32, error: RpcError) -> ClientError {
    if is_signed_out(&error) || error.is("AUTH_KEY_DUPLICATED") {
        ClientError::Unauthorized {
            dc,
            reason: error.message,
        }
    } else {
        ClientError::Rpc(error)
    }
}

/// The caller's error for a connection that could not be opened.
pub(crate) fn connect_error(dc: i32, e: &ConnectError) -> ClientError {
    ClientError::Connect {
        dc,
        detail: e.to_string(),
    }
}

/// Where `303 *_MIGRATE_X` sends a request (core.telegram.org/api/errors#303-see-other).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Migrate {
    /// PHONE_MIGRATE, USER_MIGRATE, NETWORK_MIGRATE: the account's home DC.
    Home(i32),
    /// FILE_MIGRATE: the file lives on this DC.
    File(i32),
    /// STATS_MIGRATE: statistics of a channel live there.
    Stats(i32),
}

pub(crate) fn migrate_of(e: &RpcError) -> Option<Migrate> {
    use hearth_mtproto::Migrate as M;
    if e.code != 303 {
        return None;
    }
    Some(match e.migrate()? {
        M::Phone(dc) | M::User(dc) | M::Network(dc) => Migrate::Home(dc),
        M::File(dc) => Migrate::File(dc),
        M::Stats(dc) => Migrate::Stats(dc),
    })
}

/// The wait a `420` asks for (`FLOOD_WAIT_X`, `FLOOD_PREMIUM_WAIT_X`,
/// `SLOWMODE_WAIT_X`; core.telegram.org/api/errors#420-flood).
pub(crate) fn flood_of(e: &RpcError) -> Option<Duration> {
    if e.code != 420 {
        return None;
    }
    e.flood_wait()
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use hearth_sender::connect::{Endpoint, Peer};

    use super::*;

    #[test]
    fn a_key_the_dc_forgot_is_unauthorized_in_plain_words_and_not_retried() {
        let peer = Peer::Dc {
            id: Some(2),
            addr: Endpoint::new("127.0.0.1", 443),
        };
        let e = InvocationError::Connect(Arc::new(ConnectError::AuthKeyUnknown {
            peer: peer.clone(),
            connections: 3,
        }));
        let Failure::Fatal(err) = Failure::from_invocation(2, e) else {
            panic!("a dead key is not worth another connection")
        };
        assert_eq!(err.code(), "UNAUTHORIZED");
        let text = err.to_string();
        assert!(
            text.contains("DC 2")
                && text.contains("no longer knows this session's auth key")
                && text.contains("sign in again"),
            "{text}"
        );
        // A single transport error is still only a lost connection.
        let e = InvocationError::Connect(Arc::new(ConnectError::Transport { peer, code: -404 }));
        assert!(matches!(
            Failure::from_invocation(2, e),
            Failure::Connection { dc: 2, .. }
        ));
    }
}
