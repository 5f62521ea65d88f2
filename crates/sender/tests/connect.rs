//! The connect layer against loopback servers written here: every success
//! path round-trips bytes, every failure maps to the right typed error whose
//! message names the DC or proxy.

mod support;

use std::net::SocketAddr;
use std::time::Duration;

use hearth_sender::connect::{open_stream, ConnectError, Credentials, Endpoint, Peer, Proxy};
use support::proxies::*;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

const T: Duration = Duration::from_secs(5);
const SHORT: Duration = Duration::from_millis(300);

/// Asserts that `$e` matches `$p`, printing it if not.
macro_rules! assert_is {
    ($e:expr, $p:pat) => {
        assert!(matches!($e, $p), "{:?}", $e)
    };
}

/// Opens a stream that must fail; returns why.
async fn fails(target: &Peer, via: Option<&Proxy>, timeout: Duration) -> ConnectError {
    open_stream(target, via, timeout)
        .await
        .expect_err("must fail")
}

fn dc(a: SocketAddr) -> Peer {
    Peer::Dc {
        id: Some(2),
        addr: a.into(),
    }
}

fn socks(a: SocketAddr, creds: Option<(&str, &str)>) -> Proxy {
    Proxy::Socks5 {
        addr: a.into(),
        credentials: creds.map(|(u, p)| Credentials::new(u, p)),
    }
}

fn http(a: SocketAddr, creds: Option<(&str, &str)>) -> Proxy {
    Proxy::Http {
        addr: a.into(),
        credentials: creds.map(|(u, p)| Credentials::new(u, p)),
    }
}

async fn assert_echo(mut s: TcpStream) {
    s.write_all(b"ping through the tunnel")
        .await
        .expect("write");
    let mut buf = [0u8; 23];
    s.read_exact(&mut buf).await.expect("read");
    assert_eq!(&buf, b"ping through the tunnel");
}

#[tokio::test]
async fn direct_ipv4_round_trips() {
    let echo = echo_server().await;
    assert_echo(open_stream(&dc(echo), None, T).await.expect("connect")).await;
}

#[tokio::test]
async fn direct_ipv6_round_trips() {
    let l = tokio::net::TcpListener::bind("[::1]:0")
        .await
        .expect("bind ::1");
    let a = l.local_addr().expect("addr");
    tokio::spawn(async move {
        let (mut s, _) = l.accept().await.expect("accept");
        let (mut r, mut w) = s.split();
        let _ = tokio::io::copy(&mut r, &mut w).await;
    });
    let peer = Peer::Dc {
        id: Some(4),
        addr: Endpoint::new("[::1]", a.port()),
    };
    assert_eq!(peer.to_string(), format!("DC 4 ([::1]:{})", a.port()));
    assert_echo(open_stream(&peer, None, T).await.expect("connect")).await;
}

#[tokio::test]
async fn direct_refused_names_the_dc() {
    let port = closed_port().await;
    let err = fails(&dc(port), None, T).await;
    assert_is!(err, ConnectError::Refused { .. });
    let msg = err.to_string();
    assert!(msg.contains(&format!("DC 2 ({port})")), "{msg}");
    assert!(msg.contains("refused"), "{msg}");
}

#[tokio::test]
async fn direct_timeout_against_full_backlog() {
    // A listener with a backlog of 1 that never accepts: once its queue is
    // full the kernel drops further SYNs, so a connect hangs.
    let sock = tokio::net::TcpSocket::new_v4().expect("socket");
    sock.bind("127.0.0.1:0".parse().expect("addr"))
        .expect("bind");
    let listener = sock.listen(1).expect("listen");
    let a = listener.local_addr().expect("addr");
    let mut held = Vec::new();
    let mut timed_out = None;
    for _ in 0..8 {
        match open_stream(&dc(a), None, SHORT).await {
            Ok(s) => held.push(s),
            Err(e) => {
                timed_out = Some(e);
                break;
            }
        }
    }
    let err = timed_out.expect("the backlog must fill within 8 connections");
    assert_is!(err, ConnectError::TimedOut { .. });
    assert!(err.to_string().contains(&a.to_string()), "{err}");
    drop(listener);
}

#[tokio::test]
async fn socks5_without_auth_round_trips() {
    let (echo, proxy) = (echo_server().await, socks5_server(None).await);
    let s = open_stream(&dc(echo), Some(&socks(proxy, None)), T).await;
    assert_echo(s.expect("connect")).await;
}

#[tokio::test]
async fn socks5_with_auth_round_trips() {
    let echo = echo_server().await;
    let proxy = socks5_server(Some(("alice", "s3cret"))).await;
    let s = open_stream(&dc(echo), Some(&socks(proxy, Some(("alice", "s3cret")))), T).await;
    assert_echo(s.expect("connect")).await;
}

#[tokio::test]
async fn socks5_wrong_password_is_auth_rejected() {
    let echo = echo_server().await;
    let proxy = socks5_server(Some(("alice", "s3cret"))).await;
    let err = fails(&dc(echo), Some(&socks(proxy, Some(("alice", "nope")))), T).await;
    assert_is!(err, ConnectError::ProxyAuthRejected { .. });
    assert!(
        err.to_string().contains(&format!("SOCKS5 proxy {proxy}")),
        "{err}"
    );
    assert!(
        !format!("{err:?}").contains("nope"),
        "password leaked: {err:?}"
    );
}

#[tokio::test]
async fn socks5_missing_credentials_is_auth_required() {
    let echo = echo_server().await;
    let proxy = socks5_server(Some(("alice", "s3cret"))).await;
    let err = fails(&dc(echo), Some(&socks(proxy, None)), T).await;
    assert_is!(err, ConnectError::ProxyAuthRequired { .. });
}

#[tokio::test]
async fn socks5_unreachable_target() {
    let (target, proxy) = (closed_port().await, socks5_server(None).await);
    let err = fails(&dc(target), Some(&socks(proxy, None)), T).await;
    assert_is!(err, ConnectError::ProxyTargetUnreachable { .. });
    let msg = err.to_string();
    assert!(
        msg.contains(&proxy.to_string()) && msg.contains(&target.to_string()),
        "{msg}"
    );
}

#[tokio::test]
async fn socks5_proxy_port_refused_names_proxy() {
    let (echo, proxy) = (echo_server().await, closed_port().await);
    let err = fails(&dc(echo), Some(&socks(proxy, None)), T).await;
    assert_is!(err, ConnectError::Refused { .. });
    assert_eq!(err.peer(), &Peer::Socks5(proxy.into()));
}

#[tokio::test]
async fn socks5_silent_proxy_times_out() {
    let (echo, proxy) = (echo_server().await, silent_server().await);
    let err = fails(&dc(echo), Some(&socks(proxy, None)), SHORT).await;
    assert_is!(err, ConnectError::TimedOut { .. });
    assert_eq!(err.peer(), &Peer::Socks5(proxy.into()));
}

#[tokio::test]
async fn socks5_against_non_proxy_is_unexpected_reply() {
    let echo = echo_server().await;
    let garbage = reply_server(b"SSH-2.0-OpenSSH_9.6\r\n").await;
    let err = fails(&dc(echo), Some(&socks(garbage, None)), T).await;
    assert_is!(err, ConnectError::UnexpectedReply { .. });
    assert!(err.to_string().contains("SOCKS5"), "{err}");
}

#[tokio::test]
async fn socks5_closing_server_is_closed_during_handshake() {
    let (echo, closing) = (echo_server().await, closing_server().await);
    let err = fails(&dc(echo), Some(&socks(closing, None)), T).await;
    assert!(
        matches!(
            err,
            ConnectError::ClosedDuringHandshake { .. } | ConnectError::Io { .. }
        ),
        "{err:?}"
    );
    assert_eq!(err.peer(), &Peer::Socks5(closing.into()));
}

#[tokio::test]
async fn http_connect_round_trips_with_basic_auth() {
    let echo = echo_server().await;
    let proxy = http_proxy_server(Some("bob:hunter2")).await;
    let s = open_stream(&dc(echo), Some(&http(proxy, Some(("bob", "hunter2")))), T).await;
    assert_echo(s.expect("connect")).await;
}

#[tokio::test]
async fn http_connect_without_auth_round_trips() {
    let (echo, proxy) = (echo_server().await, http_proxy_server(None).await);
    let s = open_stream(&dc(echo), Some(&http(proxy, None)), T).await;
    assert_echo(s.expect("connect")).await;
}

/// 407, and 401 as tinyproxy 1.11 answers a failed Basic login, both mean
/// the credentials are missing or wrong.
#[tokio::test]
async fn http_407_and_401_map_to_auth_required_or_rejected() {
    let echo = echo_server().await;
    for proxy in [
        http_proxy_server(Some("bob:hunter2")).await,
        reply_server(b"HTTP/1.1 401 Unauthorized\r\n\r\n").await,
    ] {
        let err = fails(&dc(echo), Some(&http(proxy, None)), T).await;
        assert_is!(err, ConnectError::ProxyAuthRequired { .. });
        let err = fails(&dc(echo), Some(&http(proxy, Some(("bob", "wrong")))), T).await;
        assert_is!(err, ConnectError::ProxyAuthRejected { .. });
        assert!(
            err.to_string().contains(&format!("HTTP proxy {proxy}")),
            "{err}"
        );
    }
}

#[tokio::test]
async fn http_502_is_target_unreachable() {
    let (target, proxy) = (closed_port().await, http_proxy_server(None).await);
    let err = fails(&dc(target), Some(&http(proxy, None)), T).await;
    assert_is!(err, ConnectError::ProxyTargetUnreachable { .. });
    assert!(err.to_string().contains("502"), "{err}");
}

#[tokio::test]
async fn http_403_is_refused_target() {
    let echo = echo_server().await;
    let proxy = reply_server(b"HTTP/1.1 403 Forbidden\r\n\r\n").await;
    let err = fails(&dc(echo), Some(&http(proxy, None)), T).await;
    assert_is!(err, ConnectError::ProxyRefusedTarget { .. });
}

#[tokio::test]
async fn http_against_non_proxy_is_unexpected_reply() {
    let echo = echo_server().await;
    let garbage = reply_server(b"\x05\x00garbage that is not HTTP\r\n\r\n").await;
    let err = fails(&dc(echo), Some(&http(garbage, None)), T).await;
    assert_is!(err, ConnectError::UnexpectedReply { .. });
    assert!(err.to_string().contains("HTTP proxy"), "{err}");
}

#[tokio::test]
async fn http_oversized_header_is_rejected() {
    static HUGE: std::sync::OnceLock<Vec<u8>> = std::sync::OnceLock::new();
    let huge = HUGE.get_or_init(|| {
        let mut v = b"HTTP/1.1 200 OK\r\n".to_vec();
        for i in 0..2000 {
            v.extend_from_slice(format!("X-Filler-{i}: aaaaaaaa\r\n").as_bytes());
        }
        v.extend_from_slice(b"\r\n");
        v
    });
    let echo = echo_server().await;
    let proxy = reply_server(huge.as_slice()).await;
    let err = fails(&dc(echo), Some(&http(proxy, None)), T).await;
    assert_is!(err, ConnectError::UnexpectedReply { .. });
    assert!(err.to_string().contains("longer than"), "{err}");
}

#[tokio::test]
async fn http_silent_proxy_times_out() {
    let (echo, proxy) = (echo_server().await, silent_server().await);
    let err = fails(&dc(echo), Some(&http(proxy, None)), SHORT).await;
    assert_is!(err, ConnectError::TimedOut { .. });
    assert_eq!(err.peer(), &Peer::Http(proxy.into()));
}

#[tokio::test]
async fn credentials_debug_is_redacted() {
    let c = Credentials::new("alice", "s3cret");
    assert!(!format!("{c:?}").contains("s3cret"));
}
