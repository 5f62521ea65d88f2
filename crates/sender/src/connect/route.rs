//! How a connection reaches its DC.

use std::fmt;
use std::time::Duration;

use tokio::net::TcpStream;
use zeroize::Zeroizing;

use super::{open_stream, ConnectError, Endpoint, Peer, Proxy};

/// The raw bytes of an MTProxy secret (16 bytes, `dd` + 16, or `ee` + 16 +
/// the fake-TLS domain). Parsing and validation belong to
/// `hearth-transport`; here they are only carried, zeroized on drop and
/// never printed.
#[derive(Clone, PartialEq, Eq)]
pub struct MtProxySecret(pub Zeroizing<Vec<u8>>);

impl MtProxySecret {
    pub fn new(bytes: Vec<u8>) -> Self {
        Self(Zeroizing::new(bytes))
    }

    pub fn as_bytes(&self) -> &[u8] {
        &self.0
    }
}

impl fmt::Debug for MtProxySecret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "MtProxySecret(<{} bytes redacted>)", self.0.len())
    }
}

/// The path from this machine to a DC.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Route {
    /// Straight TCP to the DC.
    Direct,
    /// TCP to the DC through a SOCKS5 or HTTP proxy.
    Proxy(Proxy),
    /// An MTProxy server (reached directly or through `via`); the framing
    /// layer applies obfuscated2 (and fake-TLS for `ee` secrets) keyed with
    /// `secret`, and the proxy forwards to the DC named in the init payload.
    MtProxy {
        server: Endpoint,
        secret: MtProxySecret,
        via: Option<Proxy>,
    },
}

impl Route {
    /// The peer the TCP stream ultimately ends at.
    pub fn target(&self, dc: &Peer) -> Peer {
        match self {
            Route::Direct | Route::Proxy(_) => dc.clone(),
            Route::MtProxy { server, .. } => Peer::MtProxy(server.clone()),
        }
    }

    /// Whether the connection ends at an MTProxy.
    pub fn is_mtproxy(&self) -> bool {
        matches!(self, Route::MtProxy { .. })
    }

    /// Opens the stream for `dc` along this route.
    pub async fn open(&self, dc: &Peer, timeout: Duration) -> Result<TcpStream, ConnectError> {
        let target = self.target(dc);
        let via = match self {
            Route::Direct => None,
            Route::Proxy(p) => Some(p),
            Route::MtProxy { via, .. } => via.as_ref(),
        };
        open_stream(&target, via, timeout).await
    }
}
