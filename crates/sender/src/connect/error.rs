//! Typed connection failures. Every message names the peer (DC, proxy or
//! MTProxy, as `host:port`), says what failed and what to try next; the
//! diagnostics screen shows these messages to users verbatim.

use std::fmt;
use std::io;
use std::time::Duration;

use super::Endpoint;

/// The machine a connection attempt was talking to when it failed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Peer {
    /// A Telegram data centre (or the local emulator standing in for one).
    Dc { id: Option<i32>, addr: Endpoint },
    /// A SOCKS5 proxy.
    Socks5(Endpoint),
    /// An HTTP proxy spoken to with `CONNECT`.
    Http(Endpoint),
    /// An MTProxy server.
    MtProxy(Endpoint),
}

impl Peer {
    /// The `host:port` of the peer.
    pub fn addr(&self) -> &Endpoint {
        match self {
            Peer::Dc { addr, .. } | Peer::Socks5(addr) | Peer::Http(addr) | Peer::MtProxy(addr) => {
                addr
            }
        }
    }
}

impl fmt::Display for Peer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Peer::Dc { id: Some(id), addr } => write!(f, "DC {id} ({addr})"),
            Peer::Dc { id: None, addr } => write!(f, "Telegram server {addr}"),
            Peer::Socks5(addr) => write!(f, "SOCKS5 proxy {addr}"),
            Peer::Http(addr) => write!(f, "HTTP proxy {addr}"),
            Peer::MtProxy(addr) => write!(f, "MTProxy {addr}"),
        }
    }
}

/// Why a byte stream to a DC could not be opened.
#[derive(Debug, thiserror::Error)]
pub enum ConnectError {
    #[error(
        "{peer} refused the connection; check the host and port, and that the server is running"
    )]
    Refused { peer: Peer, source: io::Error },

    #[error("{peer} did not answer within {} s; check your network connection and firewall, or try another route", timeout.as_secs_f32())]
    TimedOut { peer: Peer, timeout: Duration },

    #[error("could not reach {peer}: {source}; check the address and your network connection")]
    Unreachable { peer: Peer, source: io::Error },

    #[error("could not resolve the host name of {peer}: {detail}; check the spelling and your DNS settings")]
    Resolve { peer: Peer, detail: String },

    #[error("{proxy} rejected the username or password; check the proxy credentials in the connection settings")]
    ProxyAuthRejected { proxy: Peer },

    #[error("{proxy} requires a username and password; add them to the proxy settings")]
    ProxyAuthRequired { proxy: Peer },

    #[error("{proxy} could not reach {target}: {reason}; the proxy may be blocked from Telegram, try another proxy or a direct connection")]
    ProxyTargetUnreachable {
        proxy: Peer,
        target: Endpoint,
        reason: String,
    },

    #[error("{proxy} refused to open a tunnel to {target}: {reason}; the proxy does not allow this destination, try another proxy")]
    ProxyRefusedTarget {
        proxy: Peer,
        target: Endpoint,
        reason: String,
    },

    #[error("{peer} sent a reply that is not {expected} ({detail}); check that this address really is {expected} and that the port is right")]
    UnexpectedReply {
        peer: Peer,
        expected: &'static str,
        detail: String,
    },

    #[error("{peer} closed the connection during the {stage}; the server may be overloaded or not the kind of proxy configured")]
    ClosedDuringHandshake { peer: Peer, stage: &'static str },

    #[error("{proxy} closed the connection right after the handshake; the MTProxy secret is probably wrong or the proxy is out of date, check the proxy link")]
    MtProxyClosed { proxy: Peer },

    #[error("the MTProxy secret for {proxy} is not valid: {detail}; copy the proxy link again")]
    MtProxySecret { proxy: Peer, detail: String },

    #[error("creating an auth key with {peer} failed: {detail}; if this keeps happening the server is not a genuine Telegram server or the connection is being tampered with, try another route")]
    KeyExchange { peer: Peer, detail: String },

    #[error("{peer} answered with transport error {code}: {}", transport_advice(*.code))]
    Transport { peer: Peer, code: i32 },

    /// The DC answered `-404` (auth key not found) as the first answer of
    /// `connections` new connections in a row, with no valid encrypted
    /// packet in between: it really no longer knows the key. One `-404`
    /// alone proves nothing, as obfuscated2 is not authenticated.
    #[error("{peer} no longer knows this session's auth key (it answered -404, auth key not found, on {connections} new connections in a row); the server ended this sign-in: sign in again")]
    AuthKeyUnknown { peer: Peer, connections: u32 },

    #[error("the connection to {peer} was lost: {detail}; reconnecting")]
    ConnectionLost { peer: Peer, detail: String },

    #[error("connection to {peer} failed while {stage}: {source}")]
    Io {
        peer: Peer,
        stage: &'static str,
        source: io::Error,
    },
}

impl ConnectError {
    /// The DC or proxy the failure is about.
    pub fn peer(&self) -> &Peer {
        match self {
            ConnectError::Refused { peer, .. }
            | ConnectError::TimedOut { peer, .. }
            | ConnectError::Unreachable { peer, .. }
            | ConnectError::Resolve { peer, .. }
            | ConnectError::UnexpectedReply { peer, .. }
            | ConnectError::ClosedDuringHandshake { peer, .. }
            | ConnectError::KeyExchange { peer, .. }
            | ConnectError::Transport { peer, .. }
            | ConnectError::AuthKeyUnknown { peer, .. }
            | ConnectError::ConnectionLost { peer, .. }
            | ConnectError::Io { peer, .. } => peer,
            ConnectError::ProxyAuthRejected { proxy }
            | ConnectError::ProxyAuthRequired { proxy }
            | ConnectError::ProxyTargetUnreachable { proxy, .. }
            | ConnectError::ProxyRefusedTarget { proxy, .. }
            | ConnectError::MtProxyClosed { proxy }
            | ConnectError::MtProxySecret { proxy, .. } => proxy,
        }
    }

    /// Maps an I/O error seen while talking to `peer` during `stage`.
    pub(crate) fn from_io(peer: &Peer, stage: &'static str, e: io::Error) -> Self {
        match e.kind() {
            io::ErrorKind::ConnectionRefused => ConnectError::Refused {
                peer: peer.clone(),
                source: e,
            },
            io::ErrorKind::UnexpectedEof
            | io::ErrorKind::ConnectionReset
            | io::ErrorKind::ConnectionAborted
            | io::ErrorKind::BrokenPipe => ConnectError::ClosedDuringHandshake {
                peer: peer.clone(),
                stage,
            },
            _ => ConnectError::Io {
                peer: peer.clone(),
                stage,
                source: e,
            },
        }
    }
}

/// What a transport error code means, as a clause ("too many connections
/// from this address")
/// (core.telegram.org/mtproto/mtproto-transports#transport-errors).
pub fn transport_meaning(code: i32) -> &'static str {
    match code {
        -404 => "the server does not know this session's auth key",
        -429 => "too many connections from this address",
        -444 => "the DC id is not valid for this server",
        _ => "unexpected transport error",
    }
}

/// What a transport error code means to a user and what to do about it
/// (core.telegram.org/mtproto/mtproto-transports#transport-errors).
pub fn transport_advice(code: i32) -> String {
    let action = match code {
        // One -404 may be forged (obfuscated2 is unauthenticated): the
        // sender reconnects, and gives up with `AuthKeyUnknown` only after
        // it repeats on new connections.
        -404 => "reconnecting to check; if it keeps answering so, sign in again",
        -429 => "wait a while and retry",
        -444 => "check the DC settings",
        _ => "retry later",
    };
    format!("{}; {action}", transport_meaning(code))
}
