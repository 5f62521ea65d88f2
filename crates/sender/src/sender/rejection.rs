//! Telling a server that really rejects the session from a forged
//! rejection.
//!
//! A transport error (core.telegram.org/mtproto/mtproto-transports,
//! "Transport errors") is a 4-byte frame: `-404` says the server does not
//! know the auth key, `-444` that the DC id is invalid. It arrives before
//! any `msg_key` can be checked, and obfuscated2 is not authenticated
//! (core.telegram.org/mtproto/mtproto-transports#transport-obfuscation), so
//! anyone on the path can produce one by flipping bytes of the stream. One
//! such frame is therefore only a lost connection. The sender gives up when
//! the same code is the answer of [`REJECTIONS_TO_GIVE_UP`] new connections in a
//! row with no authenticated packet in between: a forger would have to win
//! every fresh connection, each with new obfuscation keys, and the cost of
//! being wrong is only a few reconnects.
//!
//! Invariant: a connection that carried an authenticated packet (one that
//! passed the session's `msg_key` check) clears the count.

use crate::connect::{ConnectError, Peer};

/// New connections in a row answered with the same fatal transport code
/// before the sender believes it.
pub const REJECTIONS_TO_GIVE_UP: u32 = 3;

/// The run of connections rejected with one transport code.
#[derive(Debug, Default)]
pub(super) struct Rejections {
    code: Option<i32>,
    count: u32,
}

impl Rejections {
    /// A connection ended. `authenticated`: an authenticated packet came on
    /// it; `code`: it ended with this transport error. Returns the error
    /// that ends the sender once the run is long enough.
    pub fn connection_ended(
        &mut self,
        peer: &Peer,
        authenticated: bool,
        code: Option<i32>,
    ) -> Option<ConnectError> {
        if authenticated {
            *self = Self::default();
            // A rejection after real traffic on the same connection is not
            // the first answer of a new connection: it starts no run.
            return None;
        }
        let code = code.filter(|c| matches!(c, -404 | -444))?;
        if self.code == Some(code) {
            self.count += 1;
        } else {
            *self = Self {
                code: Some(code),
                count: 1,
            };
        }
        if self.count < REJECTIONS_TO_GIVE_UP {
            return None;
        }
        let peer = peer.clone();
        Some(match code {
            -404 => ConnectError::AuthKeyUnknown {
                peer,
                connections: self.count,
            },
            code => ConnectError::Transport { peer, code },
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::connect::Endpoint;

    fn peer() -> Peer {
        Peer::Dc {
            id: Some(2),
            addr: Endpoint::new("127.0.0.1", 443),
        }
    }

    #[test]
    fn three_fresh_404s_in_a_row_declare_the_key_unknown() {
        let mut r = Rejections::default();
        assert!(r.connection_ended(&peer(), false, Some(-404)).is_none());
        assert!(r.connection_ended(&peer(), false, Some(-404)).is_none());
        let e = r.connection_ended(&peer(), false, Some(-404)).unwrap();
        assert!(matches!(
            e,
            ConnectError::AuthKeyUnknown { connections: 3, .. }
        ));
        let text = e.to_string();
        assert!(
            text.contains("DC 2") && text.contains("no longer knows"),
            "{text}"
        );
        assert!(text.contains("sign in again"), "{text}");
    }

    #[test]
    fn an_authenticated_connection_or_another_code_restarts_the_run() {
        let mut r = Rejections::default();
        r.connection_ended(&peer(), false, Some(-404));
        r.connection_ended(&peer(), false, Some(-404));
        // Real traffic, then a -404 on the same connection: not counted.
        assert!(r.connection_ended(&peer(), true, Some(-404)).is_none());
        r.connection_ended(&peer(), false, Some(-404));
        r.connection_ended(&peer(), false, Some(-404));
        // A -444 breaks the run of -404s and starts its own.
        assert!(r.connection_ended(&peer(), false, Some(-444)).is_none());
        assert!(r.connection_ended(&peer(), false, Some(-404)).is_none());
        // Connections that end otherwise (refused, closed) neither count
        // nor clear.
        assert!(r.connection_ended(&peer(), false, None).is_none());
        assert!(r.connection_ended(&peer(), false, Some(-429)).is_none());
        assert!(r.connection_ended(&peer(), false, Some(-404)).is_none());
        assert!(r.connection_ended(&peer(), false, Some(-404)).is_some());
    }

    #[test]
    fn repeated_444_ends_with_the_transport_error() {
        let mut r = Rejections::default();
        for _ in 1..REJECTIONS_TO_GIVE_UP {
            assert!(r.connection_ended(&peer(), false, Some(-444)).is_none());
        }
        let e = r.connection_ended(&peer(), false, Some(-444)).unwrap();
        assert!(
            matches!(e, ConnectError::Transport { code: -444, .. }),
            "{e}"
        );
    }
}
