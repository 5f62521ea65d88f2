//! Proxies for the sweep: a pasted link or the fields typed by hand become a
//! [`ProxySpec`]; saved ones live in the `proxies` table (secrets in the
//! keyring, through `hearth_diagnose::proxies_db`); when the keyring refuses
//! a secret the proxy is kept for this run only.

use std::sync::{Mutex, MutexGuard, PoisonError};

use hearth_diagnose::proxies_db::{self, DbAccess, ProxySecrets, SavedProxy};
use hearth_diagnose::ProxySpec;
use hearth_sender::connect::{Credentials, Endpoint};
use hearth_transport::MtProxySecret;

use super::types::{ProxyEntry, ProxyInput};
use crate::error::{codes, CommandError};

/// Why a proxy could not be added or removed.
#[derive(Debug, thiserror::Error)]
pub enum ProxyError {
    #[error("{0}")]
    Parse(#[from] hearth_diagnose::proxy::ProxyParseError),
    #[error(
        "the MTProxy secret is not valid: {0}; paste it as the link gives it (hex, dd… or ee…)"
    )]
    Secret(#[from] hearth_transport::SecretError),
    #[error("enter the proxy's host name or address")]
    MissingHost,
    #[error("enter the proxy's port (1–65535)")]
    MissingPort,
    #[error("an MTProxy needs its secret")]
    MissingSecret,
    #[error("a password needs a user name")]
    PasswordWithoutUser,
    #[error("proxy type \"{0}\" is not supported; choose SOCKS5, HTTP or MTProxy")]
    Kind(String),
    #[error("{0}")]
    Store(#[from] proxies_db::ProxyStoreError),
}

impl From<ProxyError> for CommandError {
    fn from(error: ProxyError) -> Self {
        use proxies_db::ProxyStoreError as Store;
        let (code, field) = match &error {
            ProxyError::Parse(_) => (codes::INVALID_INPUT, Some("link")),
            ProxyError::Secret(_) | ProxyError::MissingSecret => {
                (codes::INVALID_INPUT, Some("secret"))
            }
            ProxyError::MissingHost => (codes::INVALID_INPUT, Some("host")),
            ProxyError::MissingPort => (codes::INVALID_INPUT, Some("port")),
            ProxyError::PasswordWithoutUser => (codes::INVALID_INPUT, Some("username")),
            ProxyError::Kind(_) => (codes::INVALID_INPUT, Some("kind")),
            ProxyError::Store(Store::Secret { .. }) => (codes::KEYRING, None),
            ProxyError::Store(Store::NoSuchAccount(_)) => (codes::NOT_FOUND, None),
            ProxyError::Store(_) => (codes::STORAGE, None),
        };
        let out = CommandError::new(code, error.to_string());
        match field {
            Some(field) => out.on_field(field),
            None => out,
        }
    }
}

fn filled(s: &Option<String>) -> Option<&str> {
    s.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

/// The proxy a form describes.
pub fn spec_of(input: &ProxyInput) -> Result<ProxySpec, ProxyError> {
    if let Some(link) = filled(&input.link) {
        return Ok(ProxySpec::parse(link)?);
    }
    let host = input.host.trim();
    if host.is_empty() {
        return Err(ProxyError::MissingHost);
    }
    if input.port == 0 {
        return Err(ProxyError::MissingPort);
    }
    let addr = Endpoint::new(host, input.port);
    let credentials = match (filled(&input.username), input.password.as_deref()) {
        (None, Some(p)) if !p.is_empty() => return Err(ProxyError::PasswordWithoutUser),
        (None, _) => None,
        (Some(u), p) => Some(Credentials::new(u, p.unwrap_or(""))),
    };
    match input.kind.as_str() {
        "socks5" => Ok(ProxySpec::Socks5 { addr, credentials }),
        "http" => Ok(ProxySpec::Http { addr, credentials }),
        "mtproxy" => {
            let secret = filled(&input.secret).ok_or(ProxyError::MissingSecret)?;
            Ok(ProxySpec::MtProxy {
                addr,
                secret: MtProxySecret::parse(secret)?,
            })
        }
        other => Err(ProxyError::Kind(other.to_owned())),
    }
}

/// Whether saving `spec` puts anything in the keyring.
pub fn has_secret(spec: &ProxySpec) -> bool {
    match spec {
        ProxySpec::Socks5 { credentials, .. } | ProxySpec::Http { credentials, .. } => {
            credentials.is_some()
        }
        ProxySpec::MtProxy { .. } => true,
    }
}

/// A list entry.
pub fn entry(id: i64, spec: &ProxySpec, note: Option<String>) -> ProxyEntry {
    ProxyEntry {
        id,
        label: spec.label(),
        kind: spec.kind().as_str().into(),
        saved: id > 0,
        damaged: false,
        note,
    }
}

/// The list entry of a saved proxy: a damaged one says what is wrong and
/// what to do in its note.
pub fn saved_entry(saved: &SavedProxy) -> ProxyEntry {
    match &saved.state {
        Ok(spec) => entry(saved.id, spec, None),
        Err(damage) => ProxyEntry {
            id: saved.id,
            label: saved.label.clone(),
            kind: saved.kind.clone(),
            saved: true,
            damaged: true,
            note: Some(format!("Not usable: {damage}.")),
        },
    }
}

/// Proxies kept in memory for this run (the keyring refused their secret).
#[derive(Default)]
pub struct SessionProxies {
    next: i64,
    list: Vec<(i64, ProxySpec, String)>,
}

impl SessionProxies {
    pub fn add(&mut self, spec: ProxySpec, why: String) -> ProxyEntry {
        self.next -= 1;
        let e = entry(self.next, &spec, Some(why.clone()));
        self.list.push((self.next, spec, why));
        e
    }

    pub fn remove(&mut self, id: i64) -> bool {
        let before = self.list.len();
        self.list.retain(|(i, _, _)| *i != id);
        self.list.len() != before
    }

    pub fn entries(&self) -> impl Iterator<Item = ProxyEntry> + '_ {
        self.list
            .iter()
            .map(|(id, spec, why)| entry(*id, spec, Some(why.clone())))
    }

    pub fn specs(&self) -> impl Iterator<Item = &ProxySpec> {
        self.list.iter().map(|(_, s, _)| s)
    }
}

fn lock(session: &Mutex<SessionProxies>) -> MutexGuard<'_, SessionProxies> {
    // The list is a plain Vec; a panic elsewhere cannot leave it half-changed.
    session.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Saves `spec`; when the keyring refuses its secret, keeps it in `session`
/// instead and says why in the entry's note. The database is held only for
/// each SQL step, never while the keyring is called.
pub fn add(
    db: &impl DbAccess,
    secrets: &dyn ProxySecrets,
    session: &Mutex<SessionProxies>,
    spec: ProxySpec,
) -> Result<ProxyEntry, ProxyError> {
    match proxies_db::save(db, secrets, &spec) {
        Ok(id) => Ok(entry(id, &spec, None)),
        Err(e @ proxies_db::ProxyStoreError::Secret { .. }) => Ok(lock(session).add(
            spec,
            format!("Not saved: {e}. It is used for this run only."),
        )),
        Err(e) => Err(e.into()),
    }
}

/// Saved proxies (damaged ones included, with what to do), then this run's;
/// and the usable ones, for the sweep. A damaged proxy costs only its own
/// row: the others and the direct routes are probed as usual.
pub fn all(
    db: &impl DbAccess,
    secrets: &dyn ProxySecrets,
    session: &Mutex<SessionProxies>,
) -> Result<(Vec<ProxyEntry>, Vec<ProxySpec>), ProxyError> {
    let saved = proxies_db::load_all(db, secrets)?;
    let mut entries: Vec<ProxyEntry> = saved.iter().map(saved_entry).collect();
    let mut specs: Vec<ProxySpec> = saved.into_iter().filter_map(|p| p.state.ok()).collect();
    let session = lock(session);
    entries.extend(session.entries());
    specs.extend(session.specs().cloned());
    Ok((entries, specs))
}

/// Removes a saved (positive id) or session (negative id) proxy. A saved
/// one goes even when the keyring is locked; its entry is removed as soon
/// as the keyring answers.
pub fn remove(
    db: &impl DbAccess,
    secrets: &dyn ProxySecrets,
    session: &Mutex<SessionProxies>,
    id: i64,
) -> Result<(), ProxyError> {
    if id < 0 {
        lock(session).remove(id);
        return Ok(());
    }
    Ok(proxies_db::delete(db, secrets, id)?)
}
