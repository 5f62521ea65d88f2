//! The Diagnostics page's IPC types, exported to TypeScript with `ts-rs`.
//!
//! Nothing here is secret: proxy entries carry a label (host and port, the
//! MTProxy mode) but never a password or an MTProxy secret.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// A network the user can diagnose.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, TS)]
pub struct NetworkChoice {
    /// `local`, `production` or `test`: what [`SweepRequest::network`] takes.
    pub id: String,
    pub name: String,
    /// One sentence on what probing it means.
    pub description: String,
}

/// One DC endpoint of the running local test network.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, TS)]
pub struct LocalDcEntry {
    pub id: i32,
    /// `127.0.0.1:PORT`.
    pub address: String,
    pub media_only: bool,
}

/// The local test network as started (once per app run).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, TS)]
pub struct LocalNetworkInfo {
    pub dcs: Vec<LocalDcEntry>,
    /// Where its key and state live (`<data dir>/localdc`).
    pub state_dir: String,
}

/// What to probe.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize, TS)]
pub struct SweepRequest {
    /// A [`NetworkChoice::id`].
    pub network: String,
    /// Only these cells (keys from [`GridCell::key`]); `None` probes every cell.
    pub cells: Option<Vec<String>>,
}

/// One cell of the grid: a DC address (row) reached over one route and
/// transport (column).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, TS)]
pub struct GridCell {
    /// `row|column`, unique within a sweep.
    pub key: String,
    /// e.g. `DC 2 · ipv4`; rows sort by DC id.
    pub row: String,
    /// e.g. `direct · abridged`.
    pub column: String,
    pub dc_id: i32,
}

/// One timed step of a probe.
#[derive(Clone, Debug, PartialEq, Serialize, TS)]
pub struct ProbeStep {
    /// `connect`, `handshake`, `request`, `answer`.
    pub name: String,
    pub started_ms: f64,
    pub took_ms: f64,
    pub ok: bool,
    pub detail: String,
}

/// A finished probe, as the grid and the details drawer show it.
#[derive(Clone, Debug, PartialEq, Serialize, TS)]
pub struct ProbeOutcome {
    pub cell: GridCell,
    pub address: String,
    pub family: String,
    pub transport: String,
    pub route: String,
    pub media_only: bool,
    pub ok: bool,
    /// Stable verdict code (`ok`, `timed_out`, `connection_refused`, ...).
    pub verdict: String,
    pub title: String,
    pub explanation: String,
    pub next_step: String,
    pub connect_ms: Option<f64>,
    pub rtt_ms: Option<f64>,
    pub total_ms: f64,
    pub steps: Vec<ProbeStep>,
    /// The probe's report object (the CLI's JSON line), pretty-printed.
    pub raw: String,
}

/// What a sweep streams to the page, in order: `planned`, one `probe` per
/// cell as it finishes, `finished`.
#[derive(Clone, Debug, PartialEq, Serialize, TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum SweepEvent {
    Planned {
        run: u32,
        network: String,
        cells: Vec<GridCell>,
    },
    Probe {
        run: u32,
        // Boxed: an outcome is far larger than the other variants.
        outcome: Box<ProbeOutcome>,
    },
    Finished {
        run: u32,
        ok: u32,
        failed: u32,
    },
}

/// How a proxy is typed in by hand (a pasted link goes in `link`).
/// `Debug` hides the password, the secret and the link's secret parts; all
/// three are wiped from memory on drop.
#[derive(Clone, PartialEq, Eq, Deserialize, TS)]
pub struct ProxyInput {
    /// A `tg://proxy`, `tg://socks`, `https://t.me/proxy` or `https://t.me/socks`
    /// link; when set, the other fields are ignored.
    pub link: Option<String>,
    /// `socks5`, `http` or `mtproxy`.
    pub kind: String,
    pub host: String,
    pub port: u16,
    pub username: Option<String>,
    pub password: Option<String>,
    /// MTProxy secret (hex or base64; `dd`/`ee` prefixes choose the mode).
    pub secret: Option<String>,
}

impl std::fmt::Debug for ProxyInput {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let hidden = |s: &Option<String>| s.as_ref().map(|_| "<redacted>");
        f.debug_struct("ProxyInput")
            .field(
                "link",
                &self.link.as_deref().map(hearth_diagnose::redact::redact),
            )
            .field("kind", &self.kind)
            .field("host", &self.host)
            .field("port", &self.port)
            .field("username", &self.username)
            .field("password", &hidden(&self.password))
            .field("secret", &hidden(&self.secret))
            .finish()
    }
}

impl Drop for ProxyInput {
    fn drop(&mut self) {
        use zeroize::Zeroize;
        self.link.zeroize();
        self.password.zeroize();
        self.secret.zeroize();
    }
}

/// A proxy in the list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, TS)]
pub struct ProxyEntry {
    /// Saved proxies have their database id; proxies kept for this run only
    /// (the keyring refused their secret) have negative ids.
    #[ts(type = "number")]
    pub id: i64,
    /// e.g. `socks5 127.0.0.1:1080`, `mtproxy(dd) 127.0.0.1:443`.
    pub label: String,
    pub kind: String,
    pub saved: bool,
    /// A saved proxy that cannot be used (its keyring entry is missing or
    /// unreadable, or saving it was interrupted); `note` says what to do.
    /// It is left out of sweeps until it is fixed or deleted.
    pub damaged: bool,
    /// Why an unsaved proxy is not saved, or what is wrong with a damaged one.
    pub note: Option<String>,
}

/// Where a report was written.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, TS)]
pub struct SavedReport {
    pub path: String,
    pub probes: u32,
}
