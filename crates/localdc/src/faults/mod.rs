//! Injected faults and the real server's refusals, deterministic from `--seed`.
//!
//! Every fault can be set in the world file (`[[fault]]` tables and three
//! `[server]` keys) and changed at run time through the control port
//! ([`crate::server::control`]). Rules are tagged by `kind` (`flood` when
//! omitted, so older world files keep working):
//!
//! * `flood` ([`FloodRule`]): per-method limits answered with
//!   `420 FLOOD_WAIT_X` (core.telegram.org/api/errors#420-flood).
//! * `drop` ([`DropRule`]): the server closes the TCP connection after a
//!   connection has received `after_messages` encrypted packets, or at random
//!   with `probability` per packet, on one DC (`dc`) or all. `stage` says when:
//!   `after_answer` (default), `before_answer` (the request ran, its answer is
//!   lost, so the client resends it) or `unprocessed` (the packet is discarded).
//! * `latency` ([`LatencyRule`]): every encrypted answer and pushed update on
//!   a DC (or all) leaves `fixed_ms` plus `0..=jitter_ms` later (the first
//!   matching rule counts); pipelined answers overlap, order is kept.
//! * `error` ([`ErrorRule`]): `500 INTERNAL_SERVER_ERROR` (or the named 500
//!   error, e.g. `RPC_CALL_FAIL`) for a method (or any), on every `every`-th
//!   matching call or with `probability` (core.telegram.org/api/errors#500-internal).
//! * `migrate` ([`MigrateRule`]): `303 NETWORK_MIGRATE_X` for requests on a DC,
//!   of an account, and/or of a method; requests arriving at DC X are served
//!   (core.telegram.org/api/errors#303-see-other).
//!
//! and the settings:
//!
//! * clock skew (`[server] clock_skew_secs`): the server's MTProto clock runs
//!   that many seconds off real time. It drives msg_id checks
//!   (`bad_msg_notification` 16/17), server msg_ids, `server_time` of the key
//!   exchange, `future_salts` and salt periods (API object dates such as a
//!   message's `date` keep real time).
//! * salt changes: `[server] salt_rotation_secs`, and the control port's `salt`
//!   command, which can also retire the current salt at once (clients then get
//!   `bad_server_salt` and resend) ([`crate::salts`]).
//! * `AUTH_KEY_DUPLICATED` (`[server] auth_key_duplicated`, on by default):
//!   Telegram's rule that an auth key used concurrently from two IP addresses
//!   is invalidated ([`duplicate`]).
//!
//! Media-only endpoints refuse everything but file transfer and connection
//! set-up ([`calls::media_allowed`]), which is real behaviour, not a fault.
//!
//! Randomness is drawn from the seed-derived server secret and the ordinal of
//! the connection or call, never from the clock or auth keys, so the same
//! scenario under the same `--seed` fails the same way. When no rule is set,
//! the hooks cost one atomic load each.

pub mod calls;
pub mod duplicate;
pub mod flood;
pub mod link;

use std::sync::atomic::{AtomicBool, AtomicI64, AtomicU32, AtomicU64, Ordering};
use std::sync::{Mutex, MutexGuard};

use hearth_mtproto::UnixTime;
use serde::{Deserialize, Serialize};

pub use calls::{ErrorRule, MigrateRule};
pub use flood::{method_id, FloodRule, Floods};
pub use link::{ConnFaults, DropRule, DropStage, LatencyRule};

/// One `[[fault]]` table or control-port rule.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum FaultRule {
    Flood(FloodRule),
    Drop(DropRule),
    Latency(LatencyRule),
    Error(ErrorRule),
    Migrate(MigrateRule),
}

impl FaultRule {
    /// Reads a rule from JSON-like data; a table without `kind` is a flood rule.
    pub fn from_value(mut v: serde_json::Value) -> Result<Self, String> {
        if let Some(obj) = v.as_object_mut() {
            obj.entry("kind").or_insert_with(|| "flood".into());
        }
        let rule: FaultRule = serde_json::from_value(v).map_err(|e| {
            format!("bad fault rule: {e}; kinds: flood, drop, latency, error, migrate")
        })?;
        rule.validate()?;
        Ok(rule)
    }

    /// The `kind` tag.
    pub fn kind(&self) -> &'static str {
        match self {
            FaultRule::Flood(_) => "flood",
            FaultRule::Drop(_) => "drop",
            FaultRule::Latency(_) => "latency",
            FaultRule::Error(_) => "error",
            FaultRule::Migrate(_) => "migrate",
        }
    }

    /// Checks values a type cannot express (method names, ranges).
    pub fn validate(&self) -> Result<(), String> {
        match self {
            FaultRule::Flood(r) => method_id(&r.method)
                .map(|_| ())
                .ok_or_else(|| format!("unknown TL method {:?} in a flood rule", r.method)),
            FaultRule::Drop(r) => r.validate(),
            FaultRule::Latency(r) => r.validate(),
            FaultRule::Error(r) => r.validate(),
            FaultRule::Migrate(r) => r.validate(),
        }
    }
}

/// Deserializes the world's `[[fault]]` array through [`FaultRule::from_value`].
pub fn de_rules<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Vec<FaultRule>, D::Error> {
    let values: Vec<serde_json::Value> = Vec::deserialize(d)?;
    values
        .into_iter()
        .map(|v| FaultRule::from_value(v).map_err(serde::de::Error::custom))
        .collect()
}

/// Everything set: the rules and the settings, as the control port lists them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FaultConfig {
    pub rules: Vec<FaultRule>,
    pub clock_skew_secs: i64,
    pub auth_key_duplicated: bool,
}

/// The settings the world's `[server]` section gives the faults
/// (`crate::world::ServerSettings::faults`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Settings {
    /// Seconds the server's MTProto clock runs ahead (negative: behind).
    pub clock_skew_secs: i64,
    /// Invalidate an auth key used from two IP addresses at once (406).
    pub auth_key_duplicated: bool,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            clock_skew_secs: 0,
            auth_key_duplicated: true,
        }
    }
}

/// Which hooks have work to do (bits of `Injector::armed`).
pub(crate) const ARMED_CALLS: u32 = 1;
const ARMED_LINK: u32 = 2;

/// The rules with their counters.
#[derive(Debug, Default, Clone, Serialize, Deserialize)]
pub struct Rules {
    pub floods: Floods,
    pub calls: calls::CallRules,
    pub link: link::LinkRules,
}

/// The fault state one localdc shares between its DCs.
#[derive(Debug)]
pub struct Injector {
    secret: [u8; 32],
    armed: AtomicU32,
    skew: AtomicI64,
    duplicated_enabled: AtomicBool,
    conn_ordinal: AtomicU64,
    rules: Mutex<Rules>,
    keys: Mutex<duplicate::KeyUse>,
    /// How many keys were invalidated: while 0 the per-call check is one
    /// load, and connections re-check their key only when it changes.
    deaths: AtomicU64,
    /// Connections closed by drop rules so far.
    dropped: AtomicU64,
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    // Every update is a single insert or field write: a panic cannot leave
    // the data half-changed, so recover the guard instead of cascading.
    m.lock().unwrap_or_else(|e| e.into_inner())
}

impl Injector {
    /// The faults of a world; `secret` is the seed-derived server secret.
    pub fn new(secret: [u8; 32], rules: &[FaultRule], settings: Settings) -> Self {
        let me = Self {
            secret: hearth_crypto::hash::sha256(&[b"faults", &secret]),
            armed: AtomicU32::new(0),
            skew: AtomicI64::new(settings.clock_skew_secs),
            duplicated_enabled: AtomicBool::new(settings.auth_key_duplicated),
            conn_ordinal: AtomicU64::new(0),
            rules: Mutex::new(Rules::default()),
            keys: Mutex::new(Default::default()),
            deaths: AtomicU64::new(0),
            dropped: AtomicU64::new(0),
        };
        for rule in rules {
            // World files are validated before the server starts.
            if let Err(e) = me.add(rule.clone()) {
                tracing::warn!("{e}");
            }
        }
        me
    }

    pub(crate) fn secret(&self) -> &[u8; 32] {
        &self.secret
    }

    /// Installs a rule. A flood rule replaces the one for its method; other
    /// rules add to those already set.
    pub fn add(&self, rule: FaultRule) -> Result<(), String> {
        rule.validate()?;
        let mut rules = lock(&self.rules);
        match rule {
            FaultRule::Flood(r) => rules.floods.set(r)?,
            FaultRule::Drop(r) => rules.link.drops.push(r),
            FaultRule::Latency(r) => rules.link.latency.push(r),
            FaultRule::Error(r) => rules.calls.add_error(r),
            FaultRule::Migrate(r) => rules.calls.migrates.push(r),
        }
        self.rearm(&rules);
        Ok(())
    }

    /// Removes the rules of one kind (every kind for `None`); how many went.
    pub fn clear(&self, kind: Option<&str>) -> Result<usize, String> {
        let mut rules = lock(&self.rules);
        let before = Self::rule_list(&rules).len();
        match kind {
            None => *rules = Rules::default(),
            Some("flood") => rules.floods.clear_all(),
            Some("drop") => rules.link.drops.clear(),
            Some("latency") => rules.link.latency.clear(),
            Some("error") => rules.calls.errors.clear(),
            Some("migrate") => rules.calls.migrates.clear(),
            Some(other) => {
                return Err(format!(
                    "unknown fault kind {other:?}; kinds: flood, drop, latency, error, migrate"
                ))
            }
        }
        let removed = before - Self::rule_list(&rules).len();
        self.rearm(&rules);
        Ok(removed)
    }

    /// Removes the flood rule of `method`; whether there was one.
    pub fn clear_flood(&self, method: &str) -> bool {
        let mut rules = lock(&self.rules);
        let removed = rules.floods.clear(method);
        self.rearm(&rules);
        removed
    }

    fn rule_list(rules: &Rules) -> Vec<FaultRule> {
        let mut out: Vec<FaultRule> = rules
            .floods
            .rules()
            .cloned()
            .map(FaultRule::Flood)
            .collect();
        out.extend(rules.link.drops.iter().cloned().map(FaultRule::Drop));
        out.extend(rules.link.latency.iter().cloned().map(FaultRule::Latency));
        out.extend(
            rules
                .calls
                .errors
                .iter()
                .map(|e| FaultRule::Error(e.rule.clone())),
        );
        out.extend(rules.calls.migrates.iter().cloned().map(FaultRule::Migrate));
        out
    }

    fn rearm(&self, rules: &Rules) {
        let mut armed = 0;
        if !rules.floods.is_empty() || !rules.calls.is_empty() {
            armed |= ARMED_CALLS;
        }
        if !rules.link.is_empty() {
            armed |= ARMED_LINK;
        }
        self.armed.store(armed, Ordering::Release);
    }

    pub(crate) fn armed(&self, bit: u32) -> bool {
        self.armed.load(Ordering::Acquire) & bit != 0
    }

    /// Every rule and setting now in force.
    pub fn config(&self) -> FaultConfig {
        FaultConfig {
            rules: Self::rule_list(&lock(&self.rules)),
            clock_skew_secs: self.skew_secs(),
            auth_key_duplicated: self.duplicated_enabled.load(Ordering::Relaxed),
        }
    }

    pub(crate) fn rules(&self) -> MutexGuard<'_, Rules> {
        lock(&self.rules)
    }

    /// Sets the server clock's offset from real time.
    pub fn set_skew_secs(&self, secs: i64) {
        self.skew.store(secs, Ordering::Relaxed);
    }

    pub fn skew_secs(&self) -> i64 {
        self.skew.load(Ordering::Relaxed)
    }

    /// The server's clock: real time plus the configured skew.
    pub fn clock(&self) -> UnixTime {
        let now = UnixTime::now();
        match self.skew_secs() {
            0 => now,
            s => UnixTime::new(now.secs() + s, now.subsec_nanos()),
        }
    }

    /// The server's clock in whole seconds.
    pub fn now_secs(&self) -> i64 {
        self.clock().secs()
    }

    /// Turns the `AUTH_KEY_DUPLICATED` rule on or off.
    pub fn set_auth_key_duplicated(&self, enabled: bool) {
        self.duplicated_enabled.store(enabled, Ordering::Relaxed);
    }

    /// How many connections drop rules have closed.
    pub fn connections_dropped(&self) -> u64 {
        self.dropped.load(Ordering::Relaxed)
    }

    /// A fresh ordinal for a new connection (its seeded randomness).
    fn next_conn_ordinal(&self) -> u64 {
        self.conn_ordinal.fetch_add(1, Ordering::Relaxed)
    }
}

#[cfg(test)]
mod tests;
