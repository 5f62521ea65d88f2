//! Which Telegram network a client talks to: the DC address book it starts
//! from and the RSA keys its servers must prove they hold
//! (core.telegram.org/api/datacenter, core.telegram.org/mtproto/auth_key).
//!
//! Production and test start from Telegram's published bootstrap addresses
//! (port 443, IPv4 and IPv6); `help.getConfig` later adds the account's own
//! address book. The local network is a localdc: its DCs and its own RSA key
//! come from the JSON line localdc prints on start (the "announcement"),
//! which is re-read at every start because a restarted localdc listens on
//! new ports. The tables, keys and announcement parsing are shared with
//! hearth-diagnose in [`hearth_session::networks`]; this module builds the
//! client's [`DcOptions`] and [`KeyTable`] from them.
//!
//! Invariant: a [`Network`] always carries at least one DC address and one
//! server key.

use std::net::IpAddr;
use std::path::Path;

use hearth_mtproto::auth::KeyTable;
pub use hearth_session::networks::NetworkKind;
use hearth_session::networks::{
    AnnouncementError, LocalAnnouncement, PRODUCTION_PEM, TELEGRAM_PORT, TEST_PEM,
};
use hearth_session::{DcOption, DcOptions};

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
    #[error(
        "cannot read the localdc announcement {path}: {source}; {}",
        file_advice(path)
    )]
    Read {
        path: String,
        source: std::io::Error,
    },
    /// A file was read but its announcement is truncated or invalid.
    #[error(
        "the localdc announcement in {path} cannot be used ({source}); {}",
        file_advice(path)
    )]
    File {
        path: String,
        source: Box<NetworkError>,
    },
    #[error("the localdc announcement is not the JSON line localdc prints on start: {0}; copy the whole line localdc printed")]
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

/// What to do about an announcement file that is missing, truncated or invalid: the same
/// advice for each, since the cure is the same (a fresh line from a running localdc).
/// `hearth-cli diagnose` gives it too.
pub fn file_advice(path: &str) -> String {
    format!(
        "start (or restart) localdc and save the first line it prints to that file again \
         (`localdc > {path}`), or pass the announcement.json the Hearth app \
         writes in <data dir>/localdc/ while its Local test network runs"
    )
}

impl From<AnnouncementError> for NetworkError {
    fn from(e: AnnouncementError) -> Self {
        match e {
            AnnouncementError::Json(e) => NetworkError::Json(e),
            AnnouncementError::BadHost { id, host } => NetworkError::BadHost { id, host },
            AnnouncementError::BadKey(e) => NetworkError::BadKey(e),
            AnnouncementError::BadFingerprint {
                announced,
                computed,
            } => NetworkError::FingerprintMismatch {
                announced,
                computed: computed.cast_signed(),
            },
            AnnouncementError::FingerprintMismatch {
                announced,
                computed,
            } => NetworkError::FingerprintMismatch {
                announced: announced.cast_signed().to_string(),
                computed: computed.cast_signed(),
            },
            AnnouncementError::Empty => NetworkError::Empty,
        }
    }
}

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

fn table(kind: NetworkKind) -> DcOptions {
    let rows = kind.bootstrap_dcs();
    let mut out = Vec::with_capacity(rows.len() * 2);
    for d in rows {
        for ip in [IpAddr::V4(d.ipv4), IpAddr::V6(d.ipv6)] {
            out.push(option(d.id, ip, TELEGRAM_PORT, false, true));
        }
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
            dcs: table(NetworkKind::Production),
            keys: builtin_keys(PRODUCTION_PEM),
        }
    }

    /// Telegram's test DCs.
    pub fn test() -> Self {
        Self {
            kind: NetworkKind::Test,
            dcs: table(NetworkKind::Test),
            keys: builtin_keys(TEST_PEM),
        }
    }

    /// A localdc from the JSON line it printed on start: its DC endpoints
    /// (media-only ones included) and its RSA key, whose fingerprint must
    /// match the announced one.
    pub fn local(announcement: &str) -> Result<Self, NetworkError> {
        let a = LocalAnnouncement::parse(announcement)?;
        let mut keys = KeyTable::empty();
        keys.add_pem(&a.rsa_public_key_pem)
            .map_err(|e| NetworkError::BadKey(e.to_string()))?;
        let options: Vec<DcOption> = a
            .dcs
            .iter()
            .map(|d| option(d.id, d.ip, d.port, d.media_only, false))
            .collect();
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
        Self::local(line).map_err(|source| NetworkError::File {
            path: path.display().to_string(),
            source: Box::new(source),
        })
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
    fn a_truncated_or_invalid_announcement_file_says_what_to_do() {
        let dir = tempfile::tempdir().unwrap();
        let full = line(&test_fingerprint(), "127.0.0.1");
        let missing_path = dir.path().join("gone.json");
        let missing = Network::local_from_file(&missing_path)
            .unwrap_err()
            .to_string();
        for (name, text) in [
            ("truncated.json", &full[..full.len() / 2]),
            ("empty.json", ""),
            ("wrong.json", "{\"dcs\": 1}"),
        ] {
            let path = dir.path().join(name);
            std::fs::write(&path, text).unwrap();
            let e = Network::local_from_file(&path).unwrap_err();
            let NetworkError::File { source, .. } = &e else {
                panic!("{name}: {e:?}")
            };
            assert!(
                matches!(**source, NetworkError::Json(_)),
                "{name}: {source:?}"
            );
            let text = e.to_string();
            assert!(text.contains(&path.display().to_string()), "{text}");
            assert!(
                text.contains("(the localdc announcement is not the JSON line"),
                "names the parse error: {text}"
            );
            assert!(
                text.contains(
                    "restart) localdc and save the first line it prints to that file again"
                ),
                "{text}"
            );
            assert!(
                text.contains(&format!("`localdc > {}`", path.display())),
                "{text}"
            );
            // The missing file gets the same advice.
            let advice = text
                .split("); ")
                .nth(1)
                .unwrap()
                .replace(&path.display().to_string(), "");
            assert!(
                missing
                    .replace(&missing_path.display().to_string(), "")
                    .ends_with(&advice),
                "{missing} / {advice}"
            );
        }
        // A good file still works.
        let path = dir.path().join("good.json");
        std::fs::write(&path, format!("\n{full}\n")).unwrap();
        assert!(Network::local_from_file(&path).is_ok());
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
