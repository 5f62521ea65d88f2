//! hearth-diagnose: "I started a client and nothing happens", answered.
//!
//! A sweep probes every DC of a network over every address family,
//! transport and route (direct, SOCKS5, HTTP `CONNECT`, MTProxy plain/`dd`/
//! `ee`). Each probe times the TCP connect (through the proxy), then sends
//! an unencrypted `req_pq_multi` and checks the `resPQ` — our nonce echoed
//! and a server key fingerprint of that network
//! (core.telegram.org/mtproto/auth_key) — which proves a genuine DC
//! answered, with no account needed. Outcomes become plain-language
//! [`Verdict`]s naming the DC or proxy.
//!
//! ```no_run
//! # async fn demo() {
//! use hearth_diagnose::{build_plan, start_sweep, Network, PlanOptions, ProbeConfig};
//! let network = Network::production();
//! let plan = build_plan(&network, &[], &PlanOptions::default());
//! let config = ProbeConfig {
//!     timeout: std::time::Duration::from_secs(5),
//!     fingerprints: network.fingerprints.clone(),
//!     test_network: false,
//!     ping: None,
//! };
//! let mut results = start_sweep(plan, config, 16);
//! while let Some(r) = results.recv().await {
//!     println!("DC {} {}: {}", r.spec.dc_id, r.spec.route_label(), r.verdict.title());
//! }
//! # }
//! ```
//!
//! Layers: [`networks`] (DC tables and keys), [`proxy`] (proxy specs and
//! links), [`plan`], [`handshake`] (sans-IO request and answer checks),
//! [`probe`] (one probe over tokio), [`ping`] (optional encrypted ping with
//! an auth key), [`engine`] (bounded concurrent sweep),
//! [`verdict`], [`report`] (JSON), [`proxies_db`] (saved proxies) and
//! [`redact`] (proxy text without its secrets, for error messages).

pub mod engine;
pub mod handshake;
pub mod networks;
pub mod ping;
pub mod plan;
pub mod probe;
pub mod proxies_db;
pub mod proxy;
pub mod redact;
pub mod report;
pub mod verdict;
mod wire;

pub use engine::{run_sweep, start_sweep, Summary};
pub use networks::{Network, NetworkKind};
pub use ping::PingKey;
pub use plan::{build_plan, Family, PlanOptions, ProbeSpec, Transport};
pub use probe::{run_probe, ProbeConfig, ProbeResult, StepRecord};
pub use proxy::{ProxyKind, ProxySpec};
pub use verdict::Verdict;
