//! What a probe's outcome means, in plain language: a [`Verdict`] with a
//! title, an explanation and the next step, each naming the DC or proxy
//! (`host:port`) it is about.

use std::io;

use hearth_sender::connect::{transport_meaning, ConnectError, Peer};

/// The outcome of one probe, as a user should read it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// A genuine DC of the network answered.
    Ok { dc: String },
    /// Nothing listens at that address (TCP RST).
    ConnectionRefused { peer: String },
    /// No answer within the timeout; `stage` says which step hung.
    TimedOut { peer: String, stage: &'static str },
    /// The proxy rejected the username or password.
    ProxyAuthRejected { proxy: String },
    /// The proxy wants a username and password and none were given.
    ProxyAuthRequired { proxy: String },
    /// The proxy accepted us but could not (or would not) open the tunnel.
    ProxyCannotReachDc {
        proxy: String,
        dc: String,
        reason: String,
    },
    /// The proxy is not speaking the protocol configured for it.
    ProxyProtocol { proxy: String, detail: String },
    /// The MTProxy dropped us (or went silent) after our handshake: wrong
    /// secret or wrong mode.
    MtProxyRejected { proxy: String, closed: bool },
    /// Something answered, but not MTProto (for example a web server).
    NotMtproto { peer: String, detail: String },
    /// An MTProto server answered, but with keys of another network.
    UnknownServerKey { peer: String, detail: String },
    /// The server closed the connection without a word.
    ClosedWithoutAnswer { peer: String },
    /// The DC answered with a transport error code (-404, -429, -444).
    TransportError { peer: String, code: i32 },
    /// This machine has no IPv6 route (ENETUNREACH/EADDRNOTAVAIL).
    NoIpv6Route { peer: String },
    /// This machine has no route to that IPv4 address.
    NoRoute { peer: String },
    /// The host name does not resolve.
    Dns { peer: String, detail: String },
    /// Anything else, with the underlying message.
    Other { peer: String, detail: String },
}

impl Verdict {
    /// A stable machine-readable name (JSON `verdict`).
    pub fn code(&self) -> &'static str {
        match self {
            Verdict::Ok { .. } => "ok",
            Verdict::ConnectionRefused { .. } => "connection_refused",
            Verdict::TimedOut { .. } => "timed_out",
            Verdict::ProxyAuthRejected { .. } => "proxy_auth_rejected",
            Verdict::ProxyAuthRequired { .. } => "proxy_auth_required",
            Verdict::ProxyCannotReachDc { .. } => "proxy_cannot_reach_dc",
            Verdict::ProxyProtocol { .. } => "proxy_protocol",
            Verdict::MtProxyRejected { .. } => "mtproxy_rejected",
            Verdict::NotMtproto { .. } => "not_mtproto",
            Verdict::UnknownServerKey { .. } => "unknown_server_key",
            Verdict::ClosedWithoutAnswer { .. } => "closed_without_answer",
            Verdict::TransportError { .. } => "transport_error",
            Verdict::NoIpv6Route { .. } => "no_ipv6_route",
            Verdict::NoRoute { .. } => "no_route",
            Verdict::Dns { .. } => "dns",
            Verdict::Other { .. } => "other",
        }
    }

    pub fn is_ok(&self) -> bool {
        matches!(self, Verdict::Ok { .. })
    }

    /// One short line.
    pub fn title(&self) -> String {
        match self {
            Verdict::Ok { dc } => format!("{dc} answered"),
            Verdict::ConnectionRefused { peer } => format!("{peer} refused the connection"),
            Verdict::TimedOut { peer, .. } => format!("{peer} did not answer in time"),
            Verdict::ProxyAuthRejected { proxy } => format!("{proxy} rejected the credentials"),
            Verdict::ProxyAuthRequired { proxy } => format!("{proxy} requires credentials"),
            Verdict::ProxyCannotReachDc { proxy, dc, .. } => {
                format!("{proxy} could not reach {dc}")
            }
            Verdict::ProxyProtocol { proxy, .. } => format!("{proxy} is not the proxy configured"),
            Verdict::MtProxyRejected { proxy, .. } => {
                format!("{proxy} refused the handshake")
            }
            Verdict::NotMtproto { peer, .. } => format!("{peer} is not a Telegram server"),
            Verdict::UnknownServerKey { peer, .. } => {
                format!("{peer} is not a Telegram DC of this network")
            }
            Verdict::ClosedWithoutAnswer { peer } => {
                format!("{peer} closed the connection without answering")
            }
            Verdict::TransportError { peer, code } => {
                format!("{peer} answered with transport error {code}")
            }
            Verdict::NoIpv6Route { peer } => format!("no IPv6 route to {peer}"),
            Verdict::NoRoute { peer } => format!("no route to {peer}"),
            Verdict::Dns { peer, .. } => format!("the host name of {peer} does not resolve"),
            Verdict::Other { peer, .. } => format!("probing {peer} failed"),
        }
    }

    /// What happened, in a sentence or two.
    pub fn explanation(&self) -> String {
        match self {
            Verdict::Ok { dc } => format!("{dc} answered req_pq_multi with our nonce and a server key this network uses: a genuine Telegram DC is reachable this way."),
            Verdict::ConnectionRefused { peer } => format!("The machine at {peer} is up but nothing accepts connections on that port."),
            Verdict::TimedOut { peer, stage } => format!("{peer} gave no answer during the {stage} step. Packets are being dropped on the way: a firewall or a network that blocks Telegram."),
            Verdict::ProxyAuthRejected { proxy } => format!("{proxy} answered but refused the username and password."),
            Verdict::ProxyAuthRequired { proxy } => format!("{proxy} only serves clients that log in, and no username and password are configured."),
            Verdict::ProxyCannotReachDc { proxy, dc, reason } => format!("{proxy} accepted us but could not open a connection to {dc} ({reason})."),
            Verdict::ProxyProtocol { proxy, detail } => format!("{proxy} answered in a way its proxy type does not ({detail})."),
            Verdict::MtProxyRejected { proxy, closed: true } => format!("{proxy} closed the connection right after our obfuscated handshake, which is what an MTProxy does when the secret or the mode (plain, dd, ee) does not match."),
            Verdict::MtProxyRejected { proxy, closed: false } => format!("{proxy} accepted the connection but never answered our handshake, which is what an MTProxy does when the secret or the mode (plain, dd, ee) does not match."),
            Verdict::NotMtproto { peer, detail } => format!("Something answered at {peer}, but not with MTProto ({detail}). The address or port probably belongs to another service."),
            Verdict::UnknownServerKey { peer, detail } => format!("{peer} speaks MTProto, but {detail}. It is not a DC of the network being probed, or someone is intercepting the connection."),
            Verdict::ClosedWithoutAnswer { peer } => format!("{peer} accepted the connection and closed it without answering our request."),
            Verdict::TransportError { peer, code } => format!("{peer} is an MTProto server but refused the request: {}.", transport_meaning(*code)),
            Verdict::NoIpv6Route { peer } => format!("This machine has no IPv6 connectivity (no route or no IPv6 address), so {peer} cannot be reached over IPv6."),
            Verdict::NoRoute { peer } => format!("This machine has no route to {peer}: the network is down or not configured."),
            Verdict::Dns { peer, detail } => format!("Looking up {peer} failed: {detail}."),
            Verdict::Other { peer, detail } => format!("Probing {peer} failed: {detail}."),
        }
    }

    /// What the user should try.
    pub fn next_step(&self) -> String {
        match self {
            Verdict::Ok { .. } => "Nothing to do: use this route.".into(),
            Verdict::ConnectionRefused { peer } => format!("Check the host and port of {peer} and that its server is running."),
            Verdict::TimedOut { .. } => "Your network probably blocks Telegram: configure a proxy (MTProxy or SOCKS5) and run the diagnosis again.".into(),
            Verdict::ProxyAuthRejected { proxy } => format!("Check the username and password of {proxy} in the proxy settings."),
            Verdict::ProxyAuthRequired { proxy } => format!("Add the username and password of {proxy} to the proxy settings."),
            Verdict::ProxyCannotReachDc { proxy, .. } => format!("{proxy} itself cannot reach Telegram (or forbids it): use another proxy or a direct connection."),
            Verdict::ProxyProtocol { proxy, .. } => format!("Check that {proxy} is really that kind of proxy and that the port is right."),
            Verdict::MtProxyRejected { proxy, .. } => format!("Copy the link of {proxy} again: the secret is probably wrong or from an outdated link."),
            Verdict::NotMtproto { .. } | Verdict::UnknownServerKey { .. } => "Check the DC address and port; if they are right, the connection is being redirected: use a proxy.".into(),
            Verdict::ClosedWithoutAnswer { peer } => format!("Check that {peer} is a Telegram DC; a middlebox may be cutting MTProto connections, in which case try the obfuscated transport or a proxy."),
            Verdict::TransportError { .. } => "Wait a little and retry; if it persists, use another DC address.".into(),
            Verdict::NoIpv6Route { .. } => "Turn IPv6 off in the connection settings; IPv4 is used instead.".into(),
            Verdict::NoRoute { .. } => "Check that this machine is connected to a network.".into(),
            Verdict::Dns { .. } => "Check the spelling of the host name and your DNS settings, or use an IP address.".into(),
            Verdict::Other { .. } => "Retry; if it persists, send the details of this diagnosis to support.".into(),
        }
    }
}

/// Whether `e` is "this machine has no route for that family": ENETUNREACH
/// or EADDRNOTAVAIL on connect (also EHOSTUNREACH without a default route).
pub fn is_no_route(e: &io::Error) -> bool {
    if e.kind() == io::ErrorKind::AddrNotAvailable {
        return true;
    }
    #[cfg(unix)]
    {
        matches!(
            e.raw_os_error(),
            Some(libc::ENETUNREACH | libc::EADDRNOTAVAIL | libc::EHOSTUNREACH)
        )
    }
    #[cfg(windows)]
    {
        // WSAENETUNREACH, WSAEADDRNOTAVAIL, WSAEHOSTUNREACH.
        matches!(e.raw_os_error(), Some(10051 | 10049 | 10065))
    }
    #[cfg(not(any(unix, windows)))]
    {
        false
    }
}

fn peer_label(p: &Peer, proxy_label: Option<&str>) -> String {
    match (p, proxy_label) {
        (Peer::Dc { .. }, _) | (_, None) => p.to_string(),
        (_, Some(label)) => label.to_owned(),
    }
}

/// Maps a connect-layer error. `dc` names the DC; `proxy` is the route's
/// proxy label; `ipv6` whether the address probed is IPv6.
pub fn from_connect(e: &ConnectError, dc: &str, proxy: Option<&str>, ipv6: bool) -> Verdict {
    let peer = peer_label(e.peer(), proxy);
    let detail = e.to_string();
    match e {
        ConnectError::Refused { .. } => Verdict::ConnectionRefused { peer },
        ConnectError::TimedOut { .. } => Verdict::TimedOut {
            peer,
            stage: "connect",
        },
        ConnectError::Unreachable { source, .. } if is_no_route(source) => {
            let target_v6 = match e.peer() {
                Peer::Dc { .. } => ipv6,
                other => other.addr().host.contains(':'),
            };
            if target_v6 {
                Verdict::NoIpv6Route { peer }
            } else {
                Verdict::NoRoute { peer }
            }
        }
        ConnectError::Resolve { detail, .. } => Verdict::Dns {
            peer,
            detail: detail.clone(),
        },
        ConnectError::ProxyAuthRejected { .. } => Verdict::ProxyAuthRejected { proxy: peer },
        ConnectError::ProxyAuthRequired { .. } => Verdict::ProxyAuthRequired { proxy: peer },
        ConnectError::ProxyTargetUnreachable { reason, .. }
        | ConnectError::ProxyRefusedTarget { reason, .. } => Verdict::ProxyCannotReachDc {
            proxy: peer,
            dc: dc.to_owned(),
            reason: reason.clone(),
        },
        ConnectError::UnexpectedReply { detail, .. } => match e.peer() {
            Peer::Dc { .. } => Verdict::NotMtproto {
                peer,
                detail: detail.clone(),
            },
            _ => Verdict::ProxyProtocol {
                proxy: peer,
                detail: detail.clone(),
            },
        },
        ConnectError::ClosedDuringHandshake { stage, .. } => match e.peer() {
            Peer::Dc { .. } => Verdict::ClosedWithoutAnswer { peer },
            _ => Verdict::ProxyProtocol {
                proxy: peer,
                detail: format!("it closed the connection during the {stage}"),
            },
        },
        ConnectError::MtProxyClosed { .. } => Verdict::MtProxyRejected {
            proxy: peer,
            closed: true,
        },
        ConnectError::Transport { code, .. } => Verdict::TransportError { peer, code: *code },
        _ => Verdict::Other { peer, detail },
    }
}

#[cfg(test)]
#[path = "verdict_tests.rs"]
mod tests;
