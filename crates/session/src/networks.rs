//! The networks a client can talk to, as plain data: Telegram's production
//! and test bootstrap addresses with the RSA keys their servers hold, and a
//! localdc's DCs and key read from the JSON line it prints on start (its
//! "announcement").
//!
//! The bootstrap tables are Telegram's published addresses
//! (core.telegram.org/api/datacenter), IPv4 and IPv6, port 443; the account's
//! own address book from `help.getConfig` later replaces them. The server
//! keys are the ones `schema/rsa-*.pem` ship (core.telegram.org/mtproto/auth_key).
//! hearth-client (which connects) and hearth-diagnose (which probes) build
//! their own views from this one definition.
//!
//! Invariant: a [`LocalAnnouncement`] lists at least one DC, every DC at an
//! IP address, and its announced fingerprint is the one of its key.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use hearth_crypto::rsa::RsaPublicKey;
pub use hearth_mtproto::auth::keys::{PRODUCTION_PEM, TEST_PEM};

/// Which network a client or a sweep talks to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum NetworkKind {
    Production,
    Test,
    /// A localdc on loopback.
    Local,
}

impl NetworkKind {
    /// `production`, `test` or `local` (as stored by hearth-store).
    pub fn as_str(self) -> &'static str {
        match self {
            NetworkKind::Production => "production",
            NetworkKind::Test => "test",
            NetworkKind::Local => "local",
        }
    }

    /// Telegram's bootstrap DCs of this network (none for local, whose DCs
    /// come from the announcement).
    pub fn bootstrap_dcs(self) -> &'static [DcAddress] {
        match self {
            NetworkKind::Production => &PRODUCTION_DCS,
            NetworkKind::Test => &TEST_DCS,
            NetworkKind::Local => &[],
        }
    }

    /// The PEM of the key this network's servers use (`None` for local).
    pub fn builtin_pem(self) -> Option<&'static str> {
        match self {
            NetworkKind::Production => Some(PRODUCTION_PEM),
            NetworkKind::Test => Some(TEST_PEM),
            NetworkKind::Local => None,
        }
    }

    /// The fingerprint of [`NetworkKind::builtin_pem`] (`None` for local).
    pub fn builtin_fingerprint(self) -> Option<u64> {
        match self {
            NetworkKind::Production => Some(PRODUCTION_FINGERPRINT),
            NetworkKind::Test => Some(TEST_FINGERPRINT),
            NetworkKind::Local => None,
        }
    }
}

impl std::fmt::Display for NetworkKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

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

/// One DC endpoint a localdc announced.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AnnouncedDc {
    pub id: i32,
    pub ip: IpAddr,
    pub port: u16,
    pub media_only: bool,
}

/// What a localdc announcement says, checked: its DCs (in the order
/// announced) and its RSA key with that key's fingerprint.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LocalAnnouncement {
    pub dcs: Vec<AnnouncedDc>,
    pub rsa_public_key_pem: String,
    pub fingerprint: u64,
}

/// Why a localdc announcement could not be used.
#[derive(Debug, thiserror::Error)]
pub enum AnnouncementError {
    #[error("the localdc announcement is not the JSON line localdc prints on start: {0}")]
    Json(#[from] serde_json::Error),
    #[error("the localdc announcement lists DC {id} at \"{host}\", which is not an IP address")]
    BadHost { id: i32, host: String },
    #[error("the RSA key in the localdc announcement cannot be read ({0}); copy the whole line localdc printed")]
    BadKey(String),
    #[error("the localdc announcement's fingerprint \"{announced}\" is not a signed 64-bit number; copy the whole line localdc printed")]
    BadFingerprint { announced: String, computed: u64 },
    #[error("the localdc announcement's fingerprint {announced:#x} does not match its key ({computed:#x}); the line is corrupt, copy it again")]
    FingerprintMismatch { announced: u64, computed: u64 },
    #[error("the localdc announcement lists no DC")]
    Empty,
}

/// The fields of localdc's announcement read here (others are ignored).
#[derive(serde::Deserialize)]
struct RawAnnouncement {
    dcs: Vec<RawDc>,
    rsa_public_key_pem: String,
    rsa_fingerprint: String,
}

#[derive(serde::Deserialize)]
struct RawDc {
    id: i32,
    host: String,
    port: u16,
    #[serde(default)]
    media_only: bool,
}

/// The fingerprint of the first key in `pem`, or why there is none.
pub fn pem_fingerprint(pem: &str) -> Result<u64, String> {
    let keys = RsaPublicKey::parse_all(pem).map_err(|e| e.to_string())?;
    keys.first()
        .map(RsaPublicKey::fingerprint)
        .ok_or_else(|| "no RSA PUBLIC KEY block".to_string())
}

impl LocalAnnouncement {
    /// Reads the JSON line localdc printed on start. Hosts may be bracketed
    /// IPv6 literals; the announced fingerprint (a signed decimal, as
    /// localdc prints it) must be the key's.
    pub fn parse(line: &str) -> Result<Self, AnnouncementError> {
        let raw: RawAnnouncement = serde_json::from_str(line.trim())?;
        let computed =
            pem_fingerprint(&raw.rsa_public_key_pem).map_err(AnnouncementError::BadKey)?;
        let announced = match raw.rsa_fingerprint.trim().parse::<i64>() {
            Ok(f) => f.cast_unsigned(),
            Err(_) => {
                return Err(AnnouncementError::BadFingerprint {
                    announced: raw.rsa_fingerprint,
                    computed,
                })
            }
        };
        if announced != computed {
            return Err(AnnouncementError::FingerprintMismatch {
                announced,
                computed,
            });
        }
        let mut dcs = Vec::with_capacity(raw.dcs.len());
        for d in raw.dcs {
            let host = d.host.trim_start_matches('[').trim_end_matches(']');
            let ip = host
                .parse::<IpAddr>()
                .map_err(|_| AnnouncementError::BadHost {
                    id: d.id,
                    host: d.host.clone(),
                })?;
            dcs.push(AnnouncedDc {
                id: d.id,
                ip,
                port: d.port,
                media_only: d.media_only,
            });
        }
        if dcs.is_empty() {
            return Err(AnnouncementError::Empty);
        }
        Ok(Self {
            dcs,
            rsa_public_key_pem: raw.rsa_public_key_pem,
            fingerprint: computed,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_fingerprints_match_the_schema_keys() {
        for kind in [NetworkKind::Production, NetworkKind::Test] {
            let pem = kind.builtin_pem().unwrap();
            assert_eq!(pem_fingerprint(pem).ok(), kind.builtin_fingerprint());
        }
        assert_eq!(NetworkKind::Local.builtin_pem(), None);
        assert!(NetworkKind::Local.bootstrap_dcs().is_empty());
        assert_eq!(NetworkKind::Production.bootstrap_dcs().len(), 5);
        assert_eq!(TEST_DCS[2].ipv4.to_string(), "149.154.175.117");
    }

    fn line(fingerprint: &str, host: &str) -> String {
        serde_json::json!({
            "dcs": [
                {"id": 2, "host": host, "port": 40123},
                {"id": 4, "host": "[::1]", "port": 40124, "media_only": true},
            ],
            "rsa_public_key_pem": TEST_PEM,
            "rsa_fingerprint": fingerprint,
            "control": "127.0.0.1:1",
        })
        .to_string()
    }

    #[test]
    fn an_announcement_gives_its_dcs_and_checked_key() {
        let fp = TEST_FINGERPRINT.cast_signed().to_string();
        let a = LocalAnnouncement::parse(&line(&fp, "127.0.0.1")).unwrap();
        assert_eq!(a.fingerprint, TEST_FINGERPRINT);
        assert_eq!(a.rsa_public_key_pem, TEST_PEM);
        assert_eq!(
            a.dcs[1],
            AnnouncedDc {
                id: 4,
                ip: "::1".parse().unwrap(),
                port: 40124,
                media_only: true
            }
        );
        assert!(!a.dcs[0].media_only);
    }

    #[test]
    fn bad_announcements_are_refused_with_the_reason() {
        let fp = TEST_FINGERPRINT.cast_signed().to_string();
        assert!(matches!(
            LocalAnnouncement::parse(&line("5", "127.0.0.1")),
            Err(AnnouncementError::FingerprintMismatch { announced: 5, .. })
        ));
        assert!(matches!(
            LocalAnnouncement::parse(&line("five", "127.0.0.1")),
            Err(AnnouncementError::BadFingerprint { .. })
        ));
        assert!(matches!(
            LocalAnnouncement::parse(&line(&fp, "localhost")),
            Err(AnnouncementError::BadHost { id: 2, .. })
        ));
        assert!(matches!(
            LocalAnnouncement::parse("{\"dcs\": 1}"),
            Err(AnnouncementError::Json(_))
        ));
        let mut no_dcs: serde_json::Value = serde_json::from_str(&line(&fp, "127.0.0.1")).unwrap();
        no_dcs["dcs"] = serde_json::json!([]);
        let no_dcs = no_dcs.to_string();
        assert!(matches!(
            LocalAnnouncement::parse(&no_dcs),
            Err(AnnouncementError::Empty)
        ));
        let no_key = line(&fp, "127.0.0.1").replace("RSA PUBLIC KEY", "CERTIFICATE");
        assert!(matches!(
            LocalAnnouncement::parse(&no_key),
            Err(AnnouncementError::BadKey(_))
        ));
    }
}
