use std::io;
use std::time::Duration;

use hearth_sender::connect::{ConnectError, Endpoint, Peer};

use super::*;

fn dc() -> Peer {
    Peer::Dc {
        id: Some(2),
        addr: Endpoint::new("127.0.0.1", 4002),
    }
}

fn socks() -> Peer {
    Peer::Socks5(Endpoint::new("127.0.0.1", 1080))
}

const DC: &str = "DC 2 (127.0.0.1:4002)";
const SOCKS: &str = "socks5 127.0.0.1:1080";

/// Every verdict's three texts are non-empty and the title names the peer.
fn check_texts(v: &Verdict, names: &str) {
    assert!(v.title().contains(names), "{v:?}: {}", v.title());
    assert!(
        v.explanation().contains(names) || matches!(v, Verdict::NoIpv6Route { .. }),
        "{v:?}"
    );
    assert!(!v.next_step().is_empty());
}

#[test]
fn refused_names_the_dc() {
    let e = ConnectError::Refused {
        peer: dc(),
        source: io::Error::from(io::ErrorKind::ConnectionRefused),
    };
    let v = from_connect(&e, DC, None, false);
    assert_eq!(v, Verdict::ConnectionRefused { peer: DC.into() });
    assert_eq!(v.code(), "connection_refused");
    check_texts(&v, DC);
    assert!(v.next_step().contains(DC));
}

#[test]
fn timeout_suggests_a_proxy() {
    let e = ConnectError::TimedOut {
        peer: dc(),
        timeout: Duration::from_secs(1),
    };
    let v = from_connect(&e, DC, None, false);
    assert_eq!(v.code(), "timed_out");
    check_texts(&v, DC);
    assert!(v.next_step().contains("proxy"));
}

#[test]
fn proxy_credentials_and_reachability() {
    let v = from_connect(
        &ConnectError::ProxyAuthRejected { proxy: socks() },
        DC,
        Some(SOCKS),
        false,
    );
    assert_eq!(
        v,
        Verdict::ProxyAuthRejected {
            proxy: SOCKS.into()
        }
    );
    check_texts(&v, SOCKS);
    assert!(v.next_step().contains("password"));
    let v = from_connect(
        &ConnectError::ProxyAuthRequired { proxy: socks() },
        DC,
        Some(SOCKS),
        false,
    );
    assert_eq!(v.code(), "proxy_auth_required");
    let e = ConnectError::ProxyTargetUnreachable {
        proxy: socks(),
        target: Endpoint::new("127.0.0.1", 4002),
        reason: "connection refused by the target".into(),
    };
    let v = from_connect(&e, DC, Some(SOCKS), false);
    assert_eq!(v.code(), "proxy_cannot_reach_dc");
    assert_eq!(v.title(), format!("{SOCKS} could not reach {DC}"));
    assert!(v.explanation().contains("connection refused by the target"));
}

#[test]
fn mtproxy_closed_means_wrong_secret() {
    let label = "mtproxy(dd) 127.0.0.1:443";
    let e = ConnectError::MtProxyClosed {
        proxy: Peer::MtProxy(Endpoint::new("127.0.0.1", 443)),
    };
    let v = from_connect(&e, DC, Some(label), false);
    assert_eq!(
        v,
        Verdict::MtProxyRejected {
            proxy: label.into(),
            closed: true
        }
    );
    check_texts(&v, label);
    assert!(v.next_step().contains("secret"));
    let silent = Verdict::MtProxyRejected {
        proxy: label.into(),
        closed: false,
    };
    assert!(silent.explanation().contains("never answered"));
}

#[test]
fn not_a_dc() {
    let e = ConnectError::UnexpectedReply {
        peer: dc(),
        expected: "a Telegram DC",
        detail: "HTTP".into(),
    };
    let v = from_connect(&e, DC, None, false);
    assert_eq!(v.code(), "not_mtproto");
    check_texts(&v, DC);
    let key = Verdict::UnknownServerKey {
        peer: DC.into(),
        detail: "it lists 0x1".into(),
    };
    assert_eq!(key.code(), "unknown_server_key");
    check_texts(&key, DC);
    // A proxy replying oddly is a proxy problem, not a DC one.
    let e = ConnectError::UnexpectedReply {
        peer: socks(),
        expected: "a SOCKS5 proxy",
        detail: "garbage".into(),
    };
    assert_eq!(
        from_connect(&e, DC, Some(SOCKS), false).code(),
        "proxy_protocol"
    );
}

#[test]
fn no_route_by_family() {
    for (errno, v6, code) in [
        (libc::ENETUNREACH, true, "no_ipv6_route"),
        (libc::EADDRNOTAVAIL, true, "no_ipv6_route"),
        (libc::ENETUNREACH, false, "no_route"),
    ] {
        let e = ConnectError::Unreachable {
            peer: dc(),
            source: io::Error::from_raw_os_error(errno),
        };
        let v = from_connect(&e, DC, None, v6);
        assert_eq!(v.code(), code);
        assert!(v.title().contains(DC));
    }
    let v = Verdict::NoIpv6Route { peer: DC.into() };
    assert!(v.next_step().contains("IPv6"));
    // Other unreachable errors are not blamed on the routing table.
    let e = ConnectError::Unreachable {
        peer: dc(),
        source: io::Error::from_raw_os_error(libc::EPERM),
    };
    assert_eq!(from_connect(&e, DC, None, true).code(), "other");
}

#[test]
fn dns_and_ok() {
    let e = ConnectError::Resolve {
        peer: Peer::Dc {
            id: Some(2),
            addr: Endpoint::new("dc.invalid", 443),
        },
        detail: "no such host".into(),
    };
    let v = from_connect(&e, "DC 2 (dc.invalid:443)", None, false);
    assert_eq!(v.code(), "dns");
    check_texts(&v, "dc.invalid:443");
    assert!(v.explanation().contains("no such host"));
    let ok = Verdict::Ok { dc: DC.into() };
    assert!(ok.is_ok());
    check_texts(&ok, DC);
    let t = Verdict::TransportError {
        peer: DC.into(),
        code: -429,
    };
    assert!(t.explanation().contains("too many connections"));
}
