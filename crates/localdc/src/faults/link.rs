//! Faults of the connection itself: dropped TCP connections and added latency.
//!
//! Each connection gets a [`ConnFaults`] with its own random stream, seeded
//! from the server secret and the connection's ordinal (the n-th connection
//! accepted), so under the same `--seed` the same sequence of connections
//! and packets fails at the same places.

use std::net::IpAddr;
use std::time::Duration;

use hearth_crypto::hash::sha256;
use rand::{RngExt, SeedableRng};
use serde::{Deserialize, Serialize};

use super::duplicate::KeyVerdict;
use super::{Injector, ARMED_LINK};

/// When a dropping connection closes, relative to the packet that triggers it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DropStage {
    /// The packet is answered, then the connection closes.
    #[default]
    AfterAnswer,
    /// The packet's queries run but their answers are lost with the
    /// connection: the client must resend (and the server must recognise
    /// repeats, e.g. by `random_id`).
    BeforeAnswer,
    /// The packet is discarded unprocessed.
    Unprocessed,
}

/// `kind = "drop"`: close connections after N encrypted packets or at random.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DropRule {
    /// Only connections to this DC (regular and media-only); all when absent.
    #[serde(default)]
    pub dc: Option<i32>,
    /// Close when a connection has received this many encrypted packets.
    #[serde(default)]
    pub after_messages: Option<u32>,
    /// Close with this probability per encrypted packet (seeded).
    #[serde(default)]
    pub probability: Option<f64>,
    #[serde(default)]
    pub stage: DropStage,
}

impl DropRule {
    pub(super) fn validate(&self) -> Result<(), String> {
        match (self.after_messages, self.probability) {
            (None, None) => Err("drop rule: set after_messages or probability".into()),
            (Some(0), _) => Err("drop rule: after_messages must be at least 1".into()),
            (_, Some(p)) if !(0.0..=1.0).contains(&p) => {
                Err(format!("drop rule: probability {p} must be within 0..=1"))
            }
            _ => Ok(()),
        }
    }
}

/// `kind = "latency"`: answers leave `fixed_ms + 0..=jitter_ms` late.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LatencyRule {
    /// Only this DC (regular and media-only); all when absent.
    #[serde(default)]
    pub dc: Option<i32>,
    #[serde(default)]
    pub fixed_ms: u32,
    #[serde(default)]
    pub jitter_ms: u32,
}

impl LatencyRule {
    pub(super) fn validate(&self) -> Result<(), String> {
        if u64::from(self.fixed_ms) + u64::from(self.jitter_ms) > 600_000 {
            return Err("latency rule: fixed_ms + jitter_ms must stay within 600000".into());
        }
        Ok(())
    }
}

#[derive(Debug, Default, Clone, Serialize, Deserialize)]
pub struct LinkRules {
    pub drops: Vec<DropRule>,
    pub latency: Vec<LatencyRule>,
}

impl LinkRules {
    pub fn is_empty(&self) -> bool {
        self.drops.is_empty() && self.latency.is_empty()
    }
}

/// The per-connection side of the faults.
#[derive(Debug)]
pub struct ConnFaults {
    dc: i32,
    conn: u64,
    ip: IpAddr,
    received: u64,
    rng: rand::rngs::StdRng,
    /// Keys registered for `AUTH_KEY_DUPLICATED`, released on close.
    keys: Vec<u64>,
    last_key: u64,
    /// [`Injector::deaths`] when `last_key` was last registered.
    seen_deaths: u64,
}

impl ConnFaults {
    /// A new connection `conn` to DC `dc` from `ip`.
    pub fn new(injector: &Injector, dc: i32, conn: u64, ip: IpAddr) -> Self {
        let ordinal = injector.next_conn_ordinal();
        let seed = sha256(&[injector.secret(), b"link", &ordinal.to_le_bytes()]);
        Self {
            dc,
            conn,
            ip,
            received: 0,
            rng: rand::rngs::StdRng::from_seed(seed),
            keys: Vec::new(),
            last_key: 0,
            seen_deaths: 0,
        }
    }

    /// Registers the auth key of an encrypted packet (see
    /// [`super::duplicate`]); cheap for every packet after the first.
    pub fn on_key(&mut self, injector: &Injector, key: u64) -> KeyVerdict {
        let deaths = injector.deaths();
        if key == self.last_key && deaths == self.seen_deaths {
            return KeyVerdict::Live;
        }
        let verdict = injector.register_key(self.conn, self.ip, key);
        if !self.keys.contains(&key) {
            self.keys.push(key);
        }
        self.last_key = key;
        self.seen_deaths = deaths;
        verdict
    }

    /// Counts one received encrypted packet; whether (and when) to close.
    pub fn on_packet(&mut self, injector: &Injector) -> Option<DropStage> {
        self.received += 1;
        if !injector.armed(ARMED_LINK) {
            return None;
        }
        let rules = injector.rules();
        for rule in &rules.link.drops {
            if rule.dc.is_some_and(|d| d != self.dc) {
                continue;
            }
            let counted = rule
                .after_messages
                .is_some_and(|n| self.received >= u64::from(n));
            // Drawn for every packet whatever the outcome, so one rule's
            // verdict does not shift another's random stream.
            let random = rule
                .probability
                .is_some_and(|p| self.rng.random_bool(p.clamp(0.0, 1.0)));
            if counted || random {
                injector
                    .dropped
                    .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                tracing::info!(dc = self.dc, packets = self.received, stage = ?rule.stage, "injected connection drop");
                return Some(rule.stage);
            }
        }
        None
    }

    /// How long to hold the next answer, if a latency rule applies.
    pub fn delay(&mut self, injector: &Injector) -> Option<Duration> {
        if !injector.armed(ARMED_LINK) {
            return None;
        }
        let rules = injector.rules();
        let rule = rules
            .link
            .latency
            .iter()
            .find(|r| r.dc.is_none_or(|d| d == self.dc))?;
        let jitter = match rule.jitter_ms {
            0 => 0,
            j => self.rng.random_range(0..=j),
        };
        Some(Duration::from_millis(u64::from(rule.fixed_ms + jitter)))
    }

    /// The connection closed: releases its keys; returns the invalidated
    /// keys nobody holds any more (to delete from the store).
    pub fn close(&mut self, injector: &Injector) -> Vec<u64> {
        let gone = injector.release_keys(self.conn, &self.keys);
        self.keys.clear();
        gone
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::faults::FaultRule;
    use crate::faults::Settings;

    const IP: IpAddr = IpAddr::V4(std::net::Ipv4Addr::LOCALHOST);

    fn injector(rules: &[FaultRule], secret: u8) -> Injector {
        Injector::new([secret; 32], rules, Settings::default())
    }

    fn drop_rule(after: Option<u32>, p: Option<f64>, dc: Option<i32>) -> FaultRule {
        FaultRule::Drop(DropRule {
            dc,
            after_messages: after,
            probability: p,
            stage: DropStage::BeforeAnswer,
        })
    }

    /// Packet numbers (1-based) at which successive connections drop.
    fn drops(inj: &Injector, dc: i32, conns: usize) -> Vec<u64> {
        (0..conns)
            .map(|i| {
                let mut c = ConnFaults::new(inj, dc, i as u64, IP);
                (1..=1000).find(|_| c.on_packet(inj).is_some()).unwrap_or(0)
            })
            .collect()
    }

    #[test]
    fn after_n_packets_every_connection_of_that_dc_drops() {
        let inj = injector(&[drop_rule(Some(3), None, Some(2))], 1);
        assert_eq!(drops(&inj, 2, 2), [3, 3]);
        assert_eq!(drops(&inj, 4, 1), [0], "other DCs are spared");
        let mut c = ConnFaults::new(&inj, 2, 9, IP);
        c.on_packet(&inj);
        c.on_packet(&inj);
        assert_eq!(c.on_packet(&inj), Some(DropStage::BeforeAnswer));
    }

    #[test]
    fn random_drops_are_deterministic_per_seed() {
        let a = injector(&[drop_rule(None, Some(0.2), None)], 1);
        let b = injector(&[drop_rule(None, Some(0.2), None)], 1);
        let c = injector(&[drop_rule(None, Some(0.2), None)], 2);
        let (da, db, dc) = (drops(&a, 1, 50), drops(&b, 1, 50), drops(&c, 1, 50));
        assert_eq!(da, db);
        assert_ne!(da, dc);
        let mean = da.iter().sum::<u64>() as f64 / 50.0;
        assert!(
            (3.0..8.0).contains(&mean),
            "mean packets to a drop {mean} at p = 0.2"
        );
    }

    #[test]
    fn no_rules_no_drops_no_delay_and_clearing_disarms() {
        let inj = injector(&[], 1);
        let mut c = ConnFaults::new(&inj, 1, 1, IP);
        assert_eq!(c.on_packet(&inj), None);
        assert_eq!(c.delay(&inj), None);
        inj.add(FaultRule::Latency(LatencyRule {
            dc: Some(1),
            fixed_ms: 50,
            jitter_ms: 10,
        }))
        .unwrap();
        let d = c.delay(&inj).unwrap();
        assert!((50..=60).contains(&d.as_millis()), "{d:?}");
        assert_eq!(ConnFaults::new(&inj, 3, 2, IP).delay(&inj), None);
        assert_eq!(inj.clear(Some("latency")).unwrap(), 1);
        assert_eq!(c.delay(&inj), None);
    }

    #[test]
    fn drop_rules_need_a_trigger() {
        let bad = DropRule {
            dc: None,
            after_messages: None,
            probability: None,
            stage: DropStage::AfterAnswer,
        };
        assert!(bad.validate().is_err());
        assert!(DropRule {
            probability: Some(2.0),
            ..bad.clone()
        }
        .validate()
        .is_err());
    }
}
