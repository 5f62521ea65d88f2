//! The DC address books a sweep probes, each with the RSA keys its servers
//! must prove they hold.
//!
//! The production and test tables are Telegram's published bootstrap
//! addresses (core.telegram.org/api/datacenter; the Pyrogram FAQ lists the
//! same IPv4 and IPv6 addresses), port 443. After login the account's own
//! address book from `help.getConfig` replaces them
//! ([`Network::from_dc_options`]); the local network comes from the JSON
//! line `localdc` prints ([`Network::from_localdc_line`]). The tables, keys
//! and announcement parsing are shared with hearth-client in
//! [`hearth_session::networks`]; this module builds the sweep's endpoint
//! list and fingerprints from them.

use std::net::IpAddr;

use hearth_session::networks::{AnnouncementError, LocalAnnouncement};
pub use hearth_session::networks::{
    DcAddress, NetworkKind, PRODUCTION_DCS, PRODUCTION_FINGERPRINT, TELEGRAM_PORT, TEST_DCS,
    TEST_FINGERPRINT,
};

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

impl From<AnnouncementError> for NetworkError {
    fn from(e: AnnouncementError) -> Self {
        match e {
            AnnouncementError::Json(e) => NetworkError::Announcement(e),
            AnnouncementError::BadHost { id, host } => NetworkError::BadHost { id, host },
            AnnouncementError::BadKey(e) => NetworkError::BadKey(e),
            AnnouncementError::BadFingerprint { announced, .. } => {
                NetworkError::BadFingerprint(announced)
            }
            AnnouncementError::FingerprintMismatch {
                announced,
                computed,
            } => NetworkError::FingerprintMismatch {
                announced,
                computed,
            },
            AnnouncementError::Empty => NetworkError::Empty,
        }
    }
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
    hearth_session::networks::pem_fingerprint(pem).map_err(NetworkError::BadKey)
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
        kind.builtin_pem()
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
        let fingerprints = kind.builtin_fingerprint().into_iter().collect();
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
        let a = LocalAnnouncement::parse(line)?;
        let endpoints = a
            .dcs
            .iter()
            .map(|d| DcEndpoint {
                dc_id: d.id,
                ip: d.ip,
                port: d.port,
                media_only: d.media_only,
            })
            .collect();
        Ok(Network {
            kind: NetworkKind::Local,
            endpoints,
            fingerprints: vec![a.fingerprint],
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
    use hearth_session::networks::{PRODUCTION_PEM, TEST_PEM};

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
