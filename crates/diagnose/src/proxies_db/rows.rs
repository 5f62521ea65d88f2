//! One row of the `proxies` table and the [`ProxySpec`] it makes together
//! with its keyring entry; what is wrong with it when it makes none.

use hearth_sender::connect::{Credentials, Endpoint};
use hearth_transport::MtProxySecret;
use rusqlite::Connection;
use zeroize::Zeroizing;

use crate::proxy::ProxySpec;

/// Why a saved proxy cannot be used, with what to do about it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Damage {
    /// The keyring has no entry for it (removed outside Hearth, or a
    /// keyring reset).
    #[error("its password or secret is no longer in the keyring; add the proxy again with its password or secret to repair it, or delete it")]
    SecretMissing,
    /// The keyring refused to be read (locked, or no Secret Service).
    #[error("its password or secret could not be read from the keyring ({0}); unlock the keyring and open this page again, or delete the proxy")]
    KeyringUnreadable(String),
    /// Hearth stopped between writing the row and the keyring entry.
    #[error("saving it did not finish, so its password or secret may be missing; add the proxy again to repair it, or delete it")]
    Interrupted,
    /// The row or the keyring entry holds something no proxy has.
    #[error("its saved data is not valid ({0}); delete it and add it again")]
    Invalid(String),
}

/// The columns of a `proxies` row.
#[derive(Debug, Clone)]
pub(super) struct Row {
    pub id: i64,
    pub kind: String,
    pub host: String,
    pub port: u16,
    pub username: Option<String>,
    pub has_secret: bool,
    pub saving: bool,
}

impl Row {
    /// `socks5 host:port`, as [`ProxySpec::label`] shows a proxy, without
    /// the MTProxy mode (that lives in the secret).
    pub fn label(&self) -> String {
        format!(
            "{} {}",
            self.kind,
            Endpoint::new(self.host.clone(), self.port)
        )
    }

    /// Whether the keyring must be read to use this row.
    pub fn needs_secret(&self) -> bool {
        self.has_secret && !self.saving
    }

    /// The proxy this row and `secret` (its keyring entry, when
    /// [`Row::needs_secret`]) describe.
    pub fn spec(&self, secret: Option<Zeroizing<Vec<u8>>>) -> Result<ProxySpec, Damage> {
        if self.has_secret && self.saving {
            return Err(Damage::Interrupted);
        }
        if self.has_secret && secret.is_none() {
            return Err(Damage::SecretMissing);
        }
        let addr = Endpoint::new(self.host.clone(), self.port);
        let credentials = self.username.as_ref().map(|u| {
            let pass = secret
                .as_ref()
                .map(|s| Zeroizing::new(String::from_utf8_lossy(s).into_owned()))
                .unwrap_or_default();
            Credentials::new(u.clone(), pass.as_str())
        });
        match self.kind.as_str() {
            "socks5" => Ok(ProxySpec::Socks5 { addr, credentials }),
            "http" => Ok(ProxySpec::Http { addr, credentials }),
            "mtproxy" => {
                let bytes =
                    secret.ok_or_else(|| Damage::Invalid("an MTProxy without a secret".into()))?;
                let secret = MtProxySecret::from_bytes(&bytes)
                    .map_err(|e| Damage::Invalid(e.to_string()))?;
                Ok(ProxySpec::MtProxy { addr, secret })
            }
            other => Err(Damage::Invalid(format!("unknown kind \"{other}\""))),
        }
    }
}

/// Rows selected by `tail` (a WHERE and/or ORDER BY clause).
pub(super) fn select<P: rusqlite::Params>(
    conn: &Connection,
    tail: &str,
    params: P,
) -> rusqlite::Result<Vec<Row>> {
    let mut stmt = conn.prepare(&format!(
        "SELECT id, kind, host, port, username, has_secret, saving FROM proxies {tail}"
    ))?;
    let rows = stmt.query_map(params, |r| {
        Ok(Row {
            id: r.get(0)?,
            kind: r.get(1)?,
            host: r.get(2)?,
            port: r.get(3)?,
            username: r.get(4)?,
            has_secret: r.get(5)?,
            saving: r.get(6)?,
        })
    })?;
    rows.collect()
}
