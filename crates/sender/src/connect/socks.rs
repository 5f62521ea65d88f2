//! SOCKS5 (RFC 1928, RFC 1929 username/password) through `tokio-socks`,
//! with its errors mapped onto [`ConnectError`].

use tokio::net::TcpStream;
use tokio_socks::tcp::Socks5Stream;
use tokio_socks::Error as SocksError;

use super::{ConnectError, Credentials, Peer};

pub(super) async fn handshake(
    stream: TcpStream,
    proxy: &Peer,
    target: &Peer,
    credentials: Option<&Credentials>,
) -> Result<TcpStream, ConnectError> {
    let t = target.addr();
    let dest = (t.host.as_str(), t.port);
    let result = match credentials {
        None => Socks5Stream::connect_with_socket(stream, dest).await,
        Some(c) => {
            Socks5Stream::connect_with_password_and_socket(stream, dest, &c.username, &c.password)
                .await
        }
    };
    match result {
        Ok(s) => Ok(s.into_inner()),
        Err(e) => Err(map_error(e, proxy, target, credentials.is_some())),
    }
}

fn map_error(e: SocksError, proxy: &Peer, target: &Peer, had_credentials: bool) -> ConnectError {
    let proxy = proxy.clone();
    let target = target.addr().clone();
    let unreachable = |reason: &str| ConnectError::ProxyTargetUnreachable {
        proxy: proxy.clone(),
        target: target.clone(),
        reason: reason.to_owned(),
    };
    match e {
        SocksError::Io(io) => ConnectError::from_io(&proxy, "SOCKS5 handshake", io),
        SocksError::PasswordAuthFailure(_) => ConnectError::ProxyAuthRejected { proxy },
        SocksError::NoAcceptableAuthMethods if !had_credentials => {
            ConnectError::ProxyAuthRequired { proxy }
        }
        SocksError::NoAcceptableAuthMethods => ConnectError::UnexpectedReply {
            peer: proxy,
            expected: "a SOCKS5 proxy accepting username/password authentication",
            detail: "it accepted none of the offered authentication methods".into(),
        },
        SocksError::AuthorizationRequired => ConnectError::ProxyAuthRequired { proxy },
        SocksError::HostUnreachable => unreachable("host unreachable"),
        SocksError::NetworkUnreachable => unreachable("network unreachable"),
        SocksError::ConnectionRefused => unreachable("connection refused by the target"),
        SocksError::TtlExpired => unreachable("TTL expired"),
        SocksError::GeneralSocksServerFailure => unreachable("general SOCKS server failure"),
        SocksError::ConnectionNotAllowedByRuleset => ConnectError::ProxyRefusedTarget {
            proxy,
            target,
            reason: "connection not allowed by the proxy's rules".into(),
        },
        SocksError::InvalidTargetAddress(what) => ConnectError::ProxyRefusedTarget {
            proxy,
            target,
            reason: format!("invalid target address ({what})"),
        },
        other => ConnectError::UnexpectedReply {
            peer: proxy,
            expected: "a SOCKS5 proxy",
            detail: other.to_string(),
        },
    }
}
