//! Establishing the byte stream a connection runs over: direct TCP, or TCP
//! through a SOCKS5 or HTTP `CONNECT` proxy. MTProxy is TCP to the proxy
//! (itself optionally through SOCKS5/HTTP) with the obfuscated2 transport
//! keyed by the proxy secret applied on top by the framing layer.
//!
//! Every stage runs under one timeout and every failure is a [`ConnectError`]
//! naming the peer it is about.

mod error;
mod http;
mod route;
mod socks;
mod tcp;

use std::fmt;
use std::time::Duration;

use tokio::net::TcpStream;
use zeroize::Zeroize;

pub use error::{transport_advice, transport_meaning, ConnectError, Peer};
pub use route::{MtProxySecret, Route};

/// A `host:port` pair; `host` is a name or an IPv4/IPv6 literal (without
/// brackets).
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Endpoint {
    pub host: String,
    pub port: u16,
}

impl Endpoint {
    pub fn new(host: impl Into<String>, port: u16) -> Self {
        let host = host.into();
        // Accept "[::1]" as well as "::1".
        let host = host
            .strip_prefix('[')
            .and_then(|h| h.strip_suffix(']'))
            .map(str::to_owned)
            .unwrap_or(host);
        Self { host, port }
    }
}

impl From<std::net::SocketAddr> for Endpoint {
    fn from(a: std::net::SocketAddr) -> Self {
        Self::new(a.ip().to_string(), a.port())
    }
}

impl fmt::Display for Endpoint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.host.contains(':') {
            write!(f, "[{}]:{}", self.host, self.port)
        } else {
            write!(f, "{}:{}", self.host, self.port)
        }
    }
}

impl fmt::Debug for Endpoint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

/// Proxy credentials. The password is zeroized on drop and never printed.
#[derive(Clone, PartialEq, Eq)]
pub struct Credentials {
    pub username: String,
    pub password: String,
}

impl Credentials {
    pub fn new(username: impl Into<String>, password: impl Into<String>) -> Self {
        Self {
            username: username.into(),
            password: password.into(),
        }
    }
}

impl Drop for Credentials {
    fn drop(&mut self) {
        self.password.zeroize();
    }
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credentials")
            .field("username", &self.username)
            .field("password", &"<redacted>")
            .finish()
    }
}

/// A proxy that tunnels a TCP stream to a target.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Proxy {
    Socks5 {
        addr: Endpoint,
        credentials: Option<Credentials>,
    },
    Http {
        addr: Endpoint,
        credentials: Option<Credentials>,
    },
}

impl Proxy {
    /// The proxy as a [`Peer`] for error messages.
    pub fn peer(&self) -> Peer {
        match self {
            Proxy::Socks5 { addr, .. } => Peer::Socks5(addr.clone()),
            Proxy::Http { addr, .. } => Peer::Http(addr.clone()),
        }
    }

    fn addr(&self) -> &Endpoint {
        match self {
            Proxy::Socks5 { addr, .. } | Proxy::Http { addr, .. } => addr,
        }
    }
}

/// Opens a TCP stream to `target` (a DC or an MTProxy server), directly or
/// through `via`. Each stage (TCP connect, proxy handshake) gets `timeout`.
pub async fn open_stream(
    target: &Peer,
    via: Option<&Proxy>,
    timeout: Duration,
) -> Result<TcpStream, ConnectError> {
    match via {
        None => tcp::connect(target, timeout).await,
        Some(proxy) => {
            let proxy_peer = proxy.peer();
            let stream = tcp::connect(&proxy_peer, timeout).await?;
            let handshake = async {
                match proxy {
                    Proxy::Socks5 { credentials, .. } => {
                        socks::handshake(stream, &proxy_peer, target, credentials.as_ref()).await
                    }
                    Proxy::Http { credentials, .. } => {
                        http::handshake(stream, &proxy_peer, target, credentials.as_ref()).await
                    }
                }
            };
            tracing::debug!(proxy = %proxy.addr(), target = %target.addr(), "proxy handshake");
            match tokio::time::timeout(timeout, handshake).await {
                Ok(r) => r,
                Err(_) => Err(ConnectError::TimedOut {
                    peer: proxy_peer,
                    timeout,
                }),
            }
        }
    }
}
