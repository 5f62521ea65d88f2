//! Direct TCP connection with a timeout, trying every resolved address
//! (IPv4 and IPv6) in order.

use std::io;
use std::net::{IpAddr, SocketAddr};
use std::time::Duration;

use tokio::net::TcpStream;

use super::{ConnectError, Peer};

/// Connects to `peer`'s address; the whole attempt (resolution included) is
/// bounded by `timeout`.
pub(super) async fn connect(peer: &Peer, timeout: Duration) -> Result<TcpStream, ConnectError> {
    match tokio::time::timeout(timeout, connect_any(peer)).await {
        Ok(r) => r,
        Err(_) => Err(ConnectError::TimedOut {
            peer: peer.clone(),
            timeout,
        }),
    }
}

async fn connect_any(peer: &Peer) -> Result<TcpStream, ConnectError> {
    let ep = peer.addr();
    let addrs: Vec<SocketAddr> = match ep.host.parse::<IpAddr>() {
        Ok(ip) => vec![SocketAddr::new(ip, ep.port)],
        Err(_) => tokio::net::lookup_host((ep.host.as_str(), ep.port))
            .await
            .map_err(|e| ConnectError::Resolve {
                peer: peer.clone(),
                detail: e.to_string(),
            })?
            .collect(),
    };
    let mut last: Option<io::Error> = None;
    for addr in addrs {
        match TcpStream::connect(addr).await {
            Ok(s) => {
                // MTProto packets are small and latency-sensitive.
                let _ = s.set_nodelay(true);
                tracing::debug!(%addr, "tcp connected");
                return Ok(s);
            }
            Err(e) => {
                tracing::debug!(%addr, error = %e, "tcp connect failed");
                last = Some(e);
            }
        }
    }
    Err(match last {
        Some(e) if e.kind() == io::ErrorKind::ConnectionRefused => ConnectError::Refused {
            peer: peer.clone(),
            source: e,
        },
        Some(e) => ConnectError::Unreachable {
            peer: peer.clone(),
            source: e,
        },
        None => ConnectError::Resolve {
            peer: peer.clone(),
            detail: "the name has no addresses".into(),
        },
    })
}
