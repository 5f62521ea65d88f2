//! Which probes a sweep runs: DCs × address family × transport × route.
//!
//! Direct and SOCKS5/HTTP routes try every configured transport against
//! every DC address. An MTProxy decides the framing itself (its secret's
//! mode: plain, `dd` or `ee`) and picks the DC address from the DC id in
//! the obfuscated2 header, so it gets one probe per DC id.

use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;

use hearth_transport::MtProxySecret;

use crate::networks::Network;
use crate::proxy::ProxySpec;

/// An address family.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Family {
    Ipv4,
    Ipv6,
}

impl Family {
    pub fn of(ip: &IpAddr) -> Self {
        if ip.is_ipv6() {
            Family::Ipv6
        } else {
            Family::Ipv4
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Family::Ipv4 => "ipv4",
            Family::Ipv6 => "ipv6",
        }
    }
}

/// How the bytes are framed (core.telegram.org/mtproto/mtproto-transports).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Transport {
    Abridged,
    Intermediate,
    PaddedIntermediate,
    /// obfuscated2 around intermediate framing, straight to the DC.
    Obfuscated,
    /// MTProxy with a plain 16-byte secret (obfuscated2, intermediate).
    MtProxyPlain,
    /// MTProxy `dd` secret (obfuscated2, padded intermediate).
    MtProxyDd,
    /// MTProxy `ee` secret (fake-TLS around `dd`).
    MtProxyEe,
}

impl Transport {
    /// The transports tried on direct and SOCKS5/HTTP routes.
    pub const DIRECT: [Transport; 4] = [
        Transport::Abridged,
        Transport::Intermediate,
        Transport::PaddedIntermediate,
        Transport::Obfuscated,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Transport::Abridged => "abridged",
            Transport::Intermediate => "intermediate",
            Transport::PaddedIntermediate => "padded",
            Transport::Obfuscated => "obfuscated",
            Transport::MtProxyPlain => "mtproxy",
            Transport::MtProxyDd => "dd",
            Transport::MtProxyEe => "ee",
        }
    }

    /// The transport an MTProxy secret's mode requires.
    pub fn for_secret(secret: &MtProxySecret) -> Self {
        match secret {
            MtProxySecret::Simple(_) => Transport::MtProxyPlain,
            MtProxySecret::Padded(_) => Transport::MtProxyDd,
            MtProxySecret::FakeTls { .. } => Transport::MtProxyEe,
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::DIRECT.into_iter().find(|t| t.as_str() == s)
    }
}

/// One probe to run.
#[derive(Debug, Clone)]
pub struct ProbeSpec {
    pub dc_id: i32,
    pub media_only: bool,
    /// The DC address (for MTProxy routes: the DC the proxy is asked for,
    /// reached at the address the proxy knows).
    pub address: SocketAddr,
    pub family: Family,
    pub transport: Transport,
    /// `None`: direct.
    pub proxy: Option<Arc<ProxySpec>>,
}

impl ProbeSpec {
    /// `direct` or the proxy's label.
    pub fn route_label(&self) -> String {
        match &self.proxy {
            None => "direct".into(),
            Some(p) => p.label(),
        }
    }
}

/// What to include in a sweep.
#[derive(Debug, Clone)]
pub struct PlanOptions {
    pub ipv4: bool,
    pub ipv6: bool,
    /// Also probe media-only DC addresses.
    pub media: bool,
    /// Transports for direct and SOCKS5/HTTP routes.
    pub transports: Vec<Transport>,
}

impl Default for PlanOptions {
    /// IPv4 and IPv6, no media DCs, all four transports.
    fn default() -> Self {
        Self {
            ipv4: true,
            ipv6: true,
            media: false,
            transports: Transport::DIRECT.to_vec(),
        }
    }
}

/// Builds the probe list: for each DC address, direct and each proxy.
pub fn build_plan(network: &Network, proxies: &[ProxySpec], opts: &PlanOptions) -> Vec<ProbeSpec> {
    let proxies: Vec<Arc<ProxySpec>> = proxies.iter().cloned().map(Arc::new).collect();
    let mut plan = Vec::new();
    let mut mtproxy_done: Vec<(usize, i32, bool)> = Vec::new();
    for ep in &network.endpoints {
        let family = Family::of(&ep.ip);
        let wanted = match family {
            Family::Ipv4 => opts.ipv4,
            Family::Ipv6 => opts.ipv6,
        };
        if !wanted || (ep.media_only && !opts.media) {
            continue;
        }
        let address = SocketAddr::new(ep.ip, ep.port);
        let base = ProbeSpec {
            dc_id: ep.dc_id,
            media_only: ep.media_only,
            address,
            family,
            transport: Transport::Abridged,
            proxy: None,
        };
        let routes = std::iter::once(None).chain(proxies.iter().cloned().map(Some));
        for (i, proxy) in routes.enumerate() {
            match proxy.as_deref() {
                Some(ProxySpec::MtProxy { addr, secret }) => {
                    let key = (i, ep.dc_id, ep.media_only);
                    if mtproxy_done.contains(&key) {
                        continue;
                    }
                    mtproxy_done.push(key);
                    let family = addr
                        .host
                        .parse::<IpAddr>()
                        .map(|ip| Family::of(&ip))
                        .unwrap_or(family);
                    plan.push(ProbeSpec {
                        family,
                        transport: Transport::for_secret(secret),
                        proxy: proxy.clone(),
                        ..base.clone()
                    });
                }
                _ => {
                    for &transport in &opts.transports {
                        plan.push(ProbeSpec {
                            transport,
                            proxy: proxy.clone(),
                            ..base.clone()
                        });
                    }
                }
            }
        }
    }
    plan
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::networks::{DcEndpoint, NetworkKind};

    fn net() -> Network {
        let ep = |dc_id, ip: &str, media_only| DcEndpoint {
            dc_id,
            ip: ip.parse().unwrap(),
            port: 4000 + dc_id as u16,
            media_only,
        };
        Network {
            kind: NetworkKind::Local,
            endpoints: vec![
                ep(1, "127.0.0.1", false),
                ep(1, "::1", false),
                ep(2, "127.0.0.1", false),
                ep(2, "127.0.0.1", true),
            ],
            fingerprints: vec![1],
        }
    }

    fn proxies() -> Vec<ProxySpec> {
        vec![
            ProxySpec::parse("socks5://127.0.0.1:1080").unwrap(),
            ProxySpec::parse("mtproxy://dd0123456789abcdef0123456789abcdef@127.0.0.1:4443")
                .unwrap(),
        ]
    }

    #[test]
    fn full_plan_counts() {
        let plan = build_plan(&net(), &proxies(), &PlanOptions::default());
        // 3 non-media addresses × (direct + socks) × 4 transports + 2 DC ids via MTProxy.
        assert_eq!(plan.len(), 3 * 2 * 4 + 2);
        let mt: Vec<_> = plan
            .iter()
            .filter(|p| p.transport == Transport::MtProxyDd)
            .collect();
        assert_eq!(mt.iter().map(|p| p.dc_id).collect::<Vec<_>>(), vec![1, 2]);
        assert!(mt
            .iter()
            .all(|p| p.route_label() == "mtproxy(dd) 127.0.0.1:4443"));
        assert_eq!(
            plan.iter().filter(|p| p.family == Family::Ipv6).count(),
            2 * 4
        );
    }

    #[test]
    fn options_filter_families_media_and_transports() {
        let opts = PlanOptions {
            ipv6: false,
            media: true,
            transports: vec![Transport::Obfuscated],
            ..PlanOptions::default()
        };
        let plan = build_plan(&net(), &[], &opts);
        assert_eq!(plan.len(), 3);
        assert!(plan
            .iter()
            .all(|p| p.family == Family::Ipv4 && p.proxy.is_none()));
        assert_eq!(plan.iter().filter(|p| p.media_only).count(), 1);
        assert_eq!(
            Transport::parse("padded"),
            Some(Transport::PaddedIntermediate)
        );
        assert_eq!(Transport::parse("dd"), None);
    }
}
