//! Which Telegram network a client talks to: the DC address book it starts
//! from and the RSA keys its servers must prove they hold
//! (core.telegram.org/api/datacenter, core.telegram.org/mtproto/auth_key).
//!
//! Production and test start from Telegram's published bootstrap addresses
//! (port 443, IPv4 and IPv6); `help.getConfig` later adds the account's own
//! address book. The local network is a localdc: its DCs and its own RSA key
//! come from the JSON line localdc prints on start (the "announcement"),
//! which is re-read at every start because a restarted localdc listens on
//! new ports.
//!
//! Invariant: a [`Network`] always carries at least one DC address and one
//! server key.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
use std::path::Path;

use hearth_mtproto::auth::keys::{PRODUCTION_PEM, TEST_PEM};
use hearth_mtproto::auth::KeyTable;
use hearth_session::{DcOption, DcOptions};

/// Which network a [`Network`] describes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
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
}

impl std::fmt::Display for NetworkKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A DC address book and the server keys of one network.
#[derive(Debug, Clone)]
pub struct Network {
    pub kind: NetworkKind,
    pub dcs: DcOptions,
    pub keys: KeyTable,
}

/// Why a network description could not be used.
#[derive(Debug, thiserror::Error)]
pub enum NetworkError {
    #[error("cannot read the localdc announcement {path}: {source}; start localdc and save the line it prints to that file")]
    Read {
        path: String,
        source: std::io::Error,
    },
    #[error("the localdc announcement is not the JSON line localdc prints on start: {0}")]
    Json(#[from] serde_json::Error),
    #[error("the localdc announcement lists DC {id} at \"{host}\", which is not an IP address")]
    BadHost { id: i32, host: String },
    #[error("the RSA key in the localdc announcement cannot be read ({0}); copy the whole line localdc printed")]
    BadKey(String),
    #[error("the localdc announcement's fingerprint {announced} does not match its key ({computed}); the line is corrupt, copy it again")]
    FingerprintMismatch { announced: String, computed: i64 },
    #[error("the localdc announcement lists no DC")]
    Empty,
}

/// The fields of localdc's announcement this crate reads.
#[derive(serde::Deserialize)]
struct Announcement {
    dcs: Vec<AnnouncedDc>,
    rsa_public_key_pem: String,
    rsa_fingerprint: String,
}

#[derive(serde::Deserialize)]
struct AnnouncedDc {
    id: i32,
    host: String,
    port: u16,
    #[serde(default)]
    media_only: bool,
}

/// Telegram's production bootstrap addresses: (DC, IPv4, IPv6).
const PRODUCTION: [(i32, [u8; 4], [u16; 8]); 5] = [
    (
        1,
        [149, 154, 175, 53],
        [0x2001, 0xb28, 0xf23d, 0xf001, 0, 0, 0, 0xa],
    ),
    (
        2,
        [149, 154, 167, 51],
        [0x2001, 0x67c, 0x4e8, 0xf002, 0, 0, 0, 0xa],
    ),
    (
        3,
        [149, 154, 175, 100],
        [0x2001, 0xb28, 0xf23d, 0xf003, 0, 0, 0, 0xa],
    ),
    (
        4,
        [149, 154, 167, 91],
        [0x2001, 0x67c, 0x4e8, 0xf004, 0, 0, 0, 0xa],
    ),
    (
        5,
        [91, 108, 56, 130],
        [0x2001, 0xb28, 0xf23f, 0xf005, 0, 0, 0, 0xa],
    ),
];

/// Telegram's test bootstrap addresses.
const TEST: [(i32, [u8; 4], [u16; 8]); 3] = [
    (
        1,
        [149, 154, 175, 10],
        [0x2001, 0xb28, 0xf23d, 0xf001, 0, 0, 0, 0xe],
    ),
    (
        2,
        [149, 154, 167, 40],
        [0x2001, 0x67c, 0x4e8, 0xf002, 0, 0, 0, 0xe],
    ),
    (
        3,
        [149, 154, 175, 117],
        [0x2001, 0xb28, 0xf23d, 0xf003, 0, 0, 0, 0xe],
    ),
];

/// The port every bootstrap address listens on.
const TELEGRAM_PORT: u16 = 443;

fn option(id: i32, ip: IpAddr, port: u16, media_only: bool, is_static: bool) -> DcOption {
    DcOption {
        id,
        ip,
        port,
        ipv6: ip.is_ipv6(),
        media_only,
        cdn: false,
        tcpo_only: false,
        is_static,
        secret: None,
    }
}

fn table(rows: &[(i32, [u8; 4], [u16; 8])]) -> DcOptions {
    let mut out = Vec::with_capacity(rows.len() * 2);
    for (id, v4, v6) in rows {
        let v4 = Ipv4Addr::from(*v4);
        let v6 = Ipv6Addr::new(v6[0], v6[1], v6[2], v6[3], v6[4], v6[5], v6[6], v6[7]);
        out.push(option(*id, IpAddr::V4(v4), TELEGRAM_PORT, false, true));
        out.push(option(*id, IpAddr::V6(v6), TELEGRAM_PORT, false, true));
    }
    DcOptions::new(out)
}

fn builtin_keys(pem: &str) -> KeyTable {
    let mut keys = KeyTable::empty();
    // The PEMs ship in the repository and are checked by hearth-mtproto's tests.
    if let Err(e) = keys.add_pem(pem) {
        tracing::error!("built-in server key unreadable: {e}");
    }
    keys
}

impl Network {
    /// Telegram's production DCs.
    pub fn production() -> Self {
        Self {
            kind: NetworkKind::Production,
            dcs: table(&PRODUCTION),
            keys: builtin_keys(PRODUCTION_PEM),
        }
    }

    /// Telegram's test DCs.
    pub fn test() -> Self {
        Self {
            kind: NetworkKind::Test,
            dcs: table(&TEST),
            keys: builtin_keys(TEST_PEM),
        }
    }

    /// A localdc from the JSON line it printed on start: its DC endpoints
    /// (media-only ones included) and its RSA key, whose fingerprint must
    /// match the announced one.
    pub fn local(announcement: &str) -> Result<Self, NetworkError> {
        let a: Announcement = serde_json::from_str(announcement.trim())?;
        let mut keys = KeyTable::empty();
        keys.add_pem(&a.rsa_public_key_pem)
            .map_err(|e| NetworkError::BadKey(e.to_string()))?;
        let computed = match keys.fingerprints().first() {
            Some(f) => *f as i64,
            None => return Err(NetworkError::BadKey("no RSA PUBLIC KEY block".into())),
        };
        if a.rsa_fingerprint.trim().parse::<i64>().ok() != Some(computed) {
            return Err(NetworkError::FingerprintMismatch {
                announced: a.rsa_fingerprint,
                computed,
            });
        }
        let mut options = Vec::with_capacity(a.dcs.len());
        for d in a.dcs {
            let host = d.host.trim_start_matches('[').trim_end_matches(']');
            let ip = host.parse::<IpAddr>().map_err(|_| NetworkError::BadHost {
                id: d.id,
                host: d.host.clone(),
            })?;
            options.push(option(d.id, ip, d.port, d.media_only, false));
        }
        if options.is_empty() {
            return Err(NetworkError::Empty);
        }
        Ok(Self {
            kind: NetworkKind::Local,
            dcs: DcOptions::new(options),
            keys,
        })
    }

    /// [`Network::local`] from a file holding the announcement line (the
    /// first non-empty line counts).
    pub fn local_from_file(path: &Path) -> Result<Self, NetworkError> {
        let text = std::fs::read_to_string(path).map_err(|source| NetworkError::Read {
            path: path.display().to_string(),
            source,
        })?;
        let line = text.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
        Self::local(line)
    }

    /// Whether key creation marks the DC as a test DC (`dc + 10000` in
    /// `p_q_inner_data`): Telegram's test network and localdc.
    pub fn test_dcs(&self) -> bool {
        self.kind != NetworkKind::Production
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(fingerprint: &str, host: &str) -> String {
        let mut keys = KeyTable::empty();
        keys.add_pem(TEST_PEM).unwrap();
        serde_json::json!({
            "dcs": [
                {"id": 2, "host": host, "port": 40123, "media_only": false},
                {"id": 2, "host": "::1", "port": 40124, "media_only": true},
            ],
            "rsa_public_key_pem": TEST_PEM,
            "rsa_fingerprint": fingerprint,
            "control": "127.0.0.1:1",
        })
        .to_string()
    }

    fn test_fingerprint() -> String {
        builtin_keys(TEST_PEM).fingerprints()[0]
            .cast_signed()
            .to_string()
    }

    #[test]
    fn an_announcement_gives_its_dcs_and_key() {
        let n = Network::local(&line(&test_fingerprint(), "127.0.0.1")).unwrap();
        assert_eq!(n.kind, NetworkKind::Local);
        assert_eq!(n.dcs.all().len(), 2);
        let main = n.dcs.address(2, false, false).unwrap();
        assert_eq!((main.port, main.media_only), (40123, false));
        let media = n.dcs.address(2, true, true).unwrap();
        assert_eq!((media.port, media.media_only), (40124, true));
        assert_eq!(n.keys.fingerprints().len(), 1);
        assert!(n.test_dcs());
    }

    #[test]
    fn bad_announcements_are_refused_with_the_reason() {
        assert!(matches!(
            Network::local(&line("5", "127.0.0.1")),
            Err(NetworkError::FingerprintMismatch { .. })
        ));
        assert!(matches!(
            Network::local(&line(&test_fingerprint(), "localhost")),
            Err(NetworkError::BadHost { id: 2, .. })
        ));
        assert!(matches!(
            Network::local("{\"dcs\": 1}"),
            Err(NetworkError::Json(_))
        ));
        let missing = Network::local_from_file(Path::new("/nonexistent/hearth/announcement.json"))
            .unwrap_err();
        assert!(missing
            .to_string()
            .contains("/nonexistent/hearth/announcement.json"));
    }

    #[test]
    fn builtin_networks_list_both_families_and_their_key() {
        let p = Network::production();
        assert_eq!(p.dcs.all().len(), 10);
        assert_eq!(
            p.dcs.address(2, false, false).unwrap().ip.to_string(),
            "149.154.167.51"
        );
        assert_eq!(p.keys.fingerprints(), [0xd09d_1d85_de64_fd85]);
        assert!(!p.test_dcs());
        let t = Network::test();
        assert_eq!(t.dcs.all().len(), 6);
        assert_eq!(t.keys.fingerprints(), [0xb258_98df_208d_2603]);
    }
}
