//! The DC address books a sweep probes, each with the RSA keys its servers
//! must prove they hold.
//!
//! The production and test tables are Telegram's published bootstrap
//! addresses (core.telegram.org/api/datacenter; the Pyrogram FAQ lists the
//! same IPv4 and IPv6 addresses), port 443. After login the account's own
//! address book from `help.getConfig` replaces them
//! ([`Network::from_dc_options`]); the local network comes from the JSON
//! line `localdc` prints ([`Network::from_localdc_line`]).

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use hearth_crypto::rsa::RsaPublicKey;
use hearth_mtproto::auth::keys::{PRODUCTION_PEM, TEST_PEM};

/// One bootstrap DC: its id and both addresses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DcAddress {
    pub id: i32,
    pub ipv4: Ipv4Addr,
    pub ipv6: Ipv6Addr,
}

/// The port every bootstrap address listens on.
pub const TELEGRAM_PORT: u16 = 443;

/// Telegram's production DCs (DC3 is an alias of DC1's site).
pub const PRODUCTION_DCS: [DcAddress; 5] = [
    dc(
        1,
        [149, 154, 175, 53],
        [0x2001, 0xb28, 0xf23d, 0xf001, 0, 0, 0, 0xa],
    ),
    dc(
        2,
        [149, 154, 167, 51],
        [0x2001, 0x67c, 0x4e8, 0xf002, 0, 0, 0, 0xa],
    ),
    dc(
        3,
        [149, 154, 175, 100],
        [0x2001, 0xb28, 0xf23d, 0xf003, 0, 0, 0, 0xa],
    ),
    dc(
        4,
        [149, 154, 167, 91],
        [0x2001, 0x67c, 0x4e8, 0xf004, 0, 0, 0, 0xa],
    ),
    dc(
        5,
        [91, 108, 56, 130],
        [0x2001, 0xb28, 0xf23f, 0xf005, 0, 0, 0, 0xa],
    ),
];

/// Telegram's test DCs (DC3 is an alias).
pub const TEST_DCS: [DcAddress; 3] = [
    dc(
        1,
        [149, 154, 175, 10],
        [0x2001, 0xb28, 0xf23d, 0xf001, 0, 0, 0, 0xe],
    ),
    dc(
        2,
        [149, 154, 167, 40],
        [0x2001, 0x67c, 0x4e8, 0xf002, 0, 0, 0, 0xe],
    ),
    dc(
        3,
        [149, 154, 175, 117],
        [0x2001, 0xb28, 0xf23d, 0xf003, 0, 0, 0, 0xe],
    ),
];

/// Fingerprint of the production servers' RSA key (`schema/rsa-production.pem`).
pub const PRODUCTION_FINGERPRINT: u64 = 0xd09d_1d85_de64_fd85;
/// Fingerprint of the test servers' RSA key (`schema/rsa-test.pem`).
pub const TEST_FINGERPRINT: u64 = 0xb258_98df_208d_2603;

const fn dc(id: i32, v4: [u8; 4], v6: [u16; 8]) -> DcAddress {
    DcAddress {
        id,
        ipv4: Ipv4Addr::new(v4[0], v4[1], v4[2], v4[3]),
        ipv6: Ipv6Addr::new(v6[0], v6[1], v6[2], v6[3], v6[4], v6[5], v6[6], v6[7]),
    }
}

/// Which network a [`Network`] describes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum NetworkKind {
    Production,
    Test,
    Local,
}

/// One address of one DC to probe.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DcEndpoint {
    pub dc_id: i32,
    pub ip: IpAddr,
    pub port: u16,
    pub media_only: bool,
}

/// A DC address book plus the server key fingerprints a genuine DC of it
/// lists in `resPQ`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Network {
    pub kind: NetworkKind,
    pub endpoints: Vec<DcEndpoint>,
    pub fingerprints: Vec<u64>,
}

/// Why a network description could not be used.
#[derive(Debug, thiserror::Error)]
pub enum NetworkError {
    #[error("the localdc announcement is not valid JSON of the expected shape: {0}; pass the line localdc printed on start")]
    Announcement(#[from] serde_json::Error),
    #[error("the localdc announcement lists DC {id} at \"{host}\", which is not an IP address")]
    BadHost { id: i32, host: String },
    #[error("the localdc announcement's fingerprint \"{0}\" is not a signed 64-bit number")]
    BadFingerprint(String),
    #[error("the RSA key in the localdc announcement cannot be read: {0}")]
    BadKey(String),
    #[error("the localdc announcement's fingerprint {announced:#x} does not match its key ({computed:#x}); the line is corrupt")]
    FingerprintMismatch { announced: u64, computed: u64 },
    #[error("the DC list is empty; there is nothing to probe")]
    Empty,
}

/// The part of localdc's start-up line this crate needs.
#[derive(Debug, serde::Deserialize)]
struct Announcement {
    dcs: Vec<AnnouncedDc>,
    rsa_public_key_pem: String,
    rsa_fingerprint: String,
}

#[derive(Debug, serde::Deserialize)]
struct AnnouncedDc {
    id: i32,
    host: String,
    port: u16,
    #[serde(default)]
    media_only: bool,
}

fn from_table(kind: NetworkKind, table: &[DcAddress], fingerprint: u64) -> Network {
    let mut endpoints = Vec::with_capacity(table.len() * 2);
    for d in table {
        for ip in [IpAddr::V4(d.ipv4), IpAddr::V6(d.ipv6)] {
            endpoints.push(DcEndpoint {
                dc_id: d.id,
                ip,
                port: TELEGRAM_PORT,
                media_only: false,
            });
        }
    }
    Network {
        kind,
        endpoints,
        fingerprints: vec![fingerprint],
    }
}

/// The fingerprint of the first key in `pem`.
pub fn pem_fingerprint(pem: &str) -> Result<u64, NetworkError> {
    let keys = RsaPublicKey::parse_all(pem).map_err(|e| NetworkError::BadKey(e.to_string()))?;
    keys.first()
        .map(RsaPublicKey::fingerprint)
        .ok_or_else(|| NetworkError::BadKey("no RSA PUBLIC KEY block".into()))
}

impl Network {
    /// Telegram's production DCs, IPv4 and IPv6.
    pub fn production() -> Self {
        from_table(
            NetworkKind::Production,
            &PRODUCTION_DCS,
            PRODUCTION_FINGERPRINT,
        )
    }

    /// Telegram's test DCs, IPv4 and IPv6.
    pub fn test() -> Self {
        from_table(NetworkKind::Test, &TEST_DCS, TEST_FINGERPRINT)
    }

    /// The PEM of the key a network's servers use (`None` for local, whose
    /// key comes from the announcement).
    pub fn builtin_pem(kind: NetworkKind) -> Option<&'static str> {
        match kind {
            NetworkKind::Production => Some(PRODUCTION_PEM),
            NetworkKind::Test => Some(TEST_PEM),
            NetworkKind::Local => None,
        }
    }

    /// A network from an account's `dc_options` (help.getConfig), keeping
    /// the built-in key of `kind`. CDN entries are skipped: they do not
    /// speak the API.
    pub fn from_dc_options(
        kind: NetworkKind,
        options: &[hearth_store::DcOption],
    ) -> Result<Self, NetworkError> {
        let endpoints: Vec<DcEndpoint> = options
            .iter()
            .filter(|o| !o.cdn)
            .map(|o| DcEndpoint {
                dc_id: o.dc_id,
                ip: o.ip,
                port: o.port,
                media_only: o.media_only,
            })
            .collect();
        if endpoints.is_empty() {
            return Err(NetworkError::Empty);
        }
        let fingerprints = match kind {
            NetworkKind::Production => vec![PRODUCTION_FINGERPRINT],
            NetworkKind::Test => vec![TEST_FINGERPRINT],
            NetworkKind::Local => Vec::new(),
        };
        Ok(Network {
            kind,
            endpoints,
            fingerprints,
        })
    }

    /// The local network from the JSON line `localdc` prints on start: its
    /// DC endpoints and its own RSA key (the announced fingerprint must
    /// match the key).
    pub fn from_localdc_line(line: &str) -> Result<Self, NetworkError> {
        let a: Announcement = serde_json::from_str(line.trim())?;
        let announced = a
            .rsa_fingerprint
            .trim()
            .parse::<i64>()
            .map_err(|_| NetworkError::BadFingerprint(a.rsa_fingerprint.clone()))?
            as u64;
        let computed = pem_fingerprint(&a.rsa_public_key_pem)?;
        if computed != announced {
            return Err(NetworkError::FingerprintMismatch {
                announced,
                computed,
            });
        }
        let mut endpoints = Vec::with_capacity(a.dcs.len());
        for d in a.dcs {
            let ip = d
                .host
                .trim_start_matches('[')
                .trim_end_matches(']')
                .parse::<IpAddr>()
                .map_err(|_| NetworkError::BadHost {
                    id: d.id,
                    host: d.host.clone(),
                })?;
            endpoints.push(DcEndpoint {
                dc_id: d.id,
                ip,
                port: d.port,
                media_only: d.media_only,
            });
        }
        if endpoints.is_empty() {
            return Err(NetworkError::Empty);
        }
        Ok(Network {
            kind: NetworkKind::Local,
            endpoints,
            fingerprints: vec![computed],
        })
    }

    /// Whether `fingerprint` belongs to this network's servers.
    pub fn knows(&self, fingerprint: u64) -> bool {
        self.fingerprints.contains(&fingerprint)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_fingerprints_match_the_schema_keys() {
        assert_eq!(
            pem_fingerprint(PRODUCTION_PEM).unwrap(),
            PRODUCTION_FINGERPRINT
        );
        assert_eq!(pem_fingerprint(TEST_PEM).unwrap(), TEST_FINGERPRINT);
    }

    #[test]
    fn tables_list_both_families_per_dc() {
        let p = Network::production();
        assert_eq!(p.endpoints.len(), 10);
        assert_eq!(p.endpoints[0].ip.to_string(), "149.154.175.53");
        assert_eq!(p.endpoints[1].ip.to_string(), "2001:b28:f23d:f001::a");
        assert_eq!(p.endpoints[9].ip.to_string(), "2001:b28:f23f:f005::a");
        assert!(p.knows(PRODUCTION_FINGERPRINT) && !p.knows(TEST_FINGERPRINT));
        let t = Network::test();
        assert_eq!(t.endpoints.len(), 6);
        assert_eq!(t.endpoints[4].ip.to_string(), "149.154.175.117");
        assert_eq!(t.endpoints[3].ip.to_string(), "2001:67c:4e8:f002::e");
        assert!(t.knows(TEST_FINGERPRINT));
    }

    fn line(fp: i64) -> String {
        serde_json::json!({
            "dcs": [
                {"id": 2, "host": "127.0.0.1", "port": 40123, "media_only": false},
                {"id": 2, "host": "::1", "port": 40124, "media_only": true},
            ],
            "rsa_public_key_pem": TEST_PEM,
            "rsa_fingerprint": fp.to_string(),
            "control": "127.0.0.1:1",
        })
        .to_string()
    }

    #[test]
    fn localdc_line_is_read_and_checked() {
        let n = Network::from_localdc_line(&line(TEST_FINGERPRINT as i64)).unwrap();
        assert_eq!(n.kind, NetworkKind::Local);
        assert_eq!(n.endpoints.len(), 2);
        assert_eq!(n.endpoints[1].ip, "::1".parse::<IpAddr>().unwrap());
        assert!(n.endpoints[1].media_only);
        assert!(n.knows(TEST_FINGERPRINT));
        assert!(matches!(
            Network::from_localdc_line(&line(5)),
            Err(NetworkError::FingerprintMismatch { .. })
        ));
        assert!(matches!(
            Network::from_localdc_line("{\"dcs\": 1}"),
            Err(NetworkError::Announcement(_))
        ));
        let bad_host = line(TEST_FINGERPRINT as i64).replace("127.0.0.1\"", "localhost\"");
        assert!(matches!(
            Network::from_localdc_line(&bad_host),
            Err(NetworkError::BadHost { id: 2, .. })
        ));
    }

    #[test]
    fn dc_options_keep_the_network_key_and_skip_cdns() {
        let opt = |dc_id, ip: &str, cdn| hearth_store::DcOption {
            network: hearth_store::Network::Production,
            dc_id,
            ip: ip.parse().unwrap(),
            port: 443,
            media_only: false,
            cdn,
            updated_at: 0,
        };
        let n = Network::from_dc_options(
            NetworkKind::Production,
            &[opt(1, "127.0.0.1", false), opt(203, "127.0.0.2", true)],
        )
        .unwrap();
        assert_eq!(n.endpoints.len(), 1);
        assert!(n.knows(PRODUCTION_FINGERPRINT));
        assert!(matches!(
            Network::from_dc_options(NetworkKind::Test, &[]),
            Err(NetworkError::Empty)
        ));
    }
}
