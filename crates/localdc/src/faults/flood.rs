//! Per-method flood limits answered with `420 FLOOD_WAIT_X`
//! (core.telegram.org/api/errors#420-flood).
//!
//! A rule lets an account (its permanent key) call a method `limit` times
//! within `window_secs`; the next call is refused with `FLOOD_WAIT_X` and so
//! is every call for the following X seconds, after which the count starts
//! over. X is `wait_secs` plus a jitter of `0..=jitter_secs` drawn from the
//! server secret, so a given `--seed` always produces the same waits.

use std::collections::HashMap;

use hearth_crypto::hash::sha256;
use serde::{Deserialize, Serialize};

/// One `[[fault]]` table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FloodRule {
    /// TL method name, e.g. `messages.sendMessage`.
    pub method: String,
    /// Calls allowed per window before the flood wait (0: every call waits).
    #[serde(default)]
    pub limit: u32,
    #[serde(default = "default_window")]
    pub window_secs: u32,
    pub wait_secs: u32,
    #[serde(default)]
    pub jitter_secs: u32,
}

fn default_window() -> u32 {
    60
}

/// The constructor id of a method of `schema/api.tl`, by its TL name: a
/// table `hearth-tl` generates at build time, so nothing is parsed here.
pub fn method_id(name: &str) -> Option<u32> {
    hearth_tl::api_function_id(name)
}

#[derive(Debug, Default, Clone, Serialize, Deserialize)]
struct Counter {
    /// Call times (unix ms) in the current window.
    calls: Vec<i64>,
    /// Refused until this time (unix ms).
    blocked_until: i64,
    floods: u64,
}

/// Active rules and per-(method, key) counters.
#[derive(Debug, Default, Clone, Serialize, Deserialize)]
pub struct Floods {
    rules: HashMap<u32, FloodRule>,
    counters: HashMap<(u32, u64), Counter>,
}

impl Floods {
    /// The installed rules.
    pub fn rules(&self) -> impl Iterator<Item = &FloodRule> {
        self.rules.values()
    }

    pub fn is_empty(&self) -> bool {
        self.rules.is_empty()
    }

    /// Removes every rule and counter.
    pub fn clear_all(&mut self) {
        self.rules.clear();
        self.counters.clear();
    }

    /// Installs (or replaces) a rule; fails for an unknown method name.
    pub fn set(&mut self, rule: FloodRule) -> Result<(), String> {
        let id = method_id(&rule.method)
            .ok_or_else(|| format!("unknown TL method {:?} in a flood rule", rule.method))?;
        self.counters.retain(|(m, _), _| *m != id);
        self.rules.insert(id, rule);
        Ok(())
    }

    /// Removes the rule for `method`; whether there was one.
    pub fn clear(&mut self, method: &str) -> bool {
        method_id(method).is_some_and(|id| {
            self.counters.retain(|(m, _), _| *m != id);
            self.rules.remove(&id).is_some()
        })
    }

    /// Counts a call of `method` by `key` at `now_ms`; `Some(X)` when it
    /// must be answered `FLOOD_WAIT_X`.
    pub fn check(&mut self, method: u32, key: u64, now_ms: i64, secret: &[u8; 32]) -> Option<u32> {
        let rule = self.rules.get(&method)?;
        let c = self.counters.entry((method, key)).or_default();
        if now_ms < c.blocked_until {
            let left = (c.blocked_until - now_ms + 999) / 1000;
            return Some(left.max(1) as u32);
        }
        let window = i64::from(rule.window_secs) * 1000;
        c.calls.retain(|t| now_ms - *t < window);
        if (c.calls.len() as u32) < rule.limit {
            c.calls.push(now_ms);
            return None;
        }
        c.floods += 1;
        // Keyed by the seed-derived secret and the flood's ordinal only, so the
        // same scenario under the same --seed waits the same (auth keys are random).
        let h = sha256(&[secret, rule.method.as_bytes(), &c.floods.to_le_bytes()]);
        let jitter = u32::from_le_bytes([h[0], h[1], h[2], h[3]]) % (rule.jitter_secs + 1);
        let wait = rule.wait_secs.max(1) + jitter;
        c.blocked_until = now_ms + i64::from(wait) * 1000;
        c.calls.clear();
        Some(wait)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rule(limit: u32, jitter: u32) -> FloodRule {
        FloodRule {
            method: "messages.sendMessage".into(),
            limit,
            window_secs: 10,
            wait_secs: 3,
            jitter_secs: jitter,
        }
    }

    #[test]
    fn limit_then_flood_wait_then_the_count_restarts() {
        let id = method_id("messages.sendMessage").unwrap();
        assert_eq!(id, 0xfef48f62, "the id in schema/api.tl");
        assert_eq!(method_id("messages.noSuchMethod"), None);
        let mut f = Floods::default();
        assert!(f
            .set(FloodRule {
                method: "nope.nope".into(),
                ..rule(1, 0)
            })
            .is_err());
        f.set(rule(2, 0)).unwrap();
        let s = [1u8; 32];
        assert_eq!(f.check(id, 1, 0, &s), None);
        assert_eq!(f.check(id, 1, 100, &s), None);
        assert_eq!(f.check(id, 1, 200, &s), Some(3));
        assert_eq!(
            f.check(id, 2, 200, &s),
            None,
            "other keys are counted apart"
        );
        assert_eq!(f.check(id, 1, 1200, &s), Some(2), "remaining wait");
        assert_eq!(f.check(id, 1, 3200, &s), None);
        assert_eq!(f.check(0x1234, 1, 0, &s), None, "methods without a rule");
        assert!(f.clear("messages.sendMessage"));
        assert_eq!(f.check(id, 1, 3300, &s), None);
    }

    #[test]
    fn jitter_is_deterministic_for_a_secret() {
        let id = method_id("messages.sendMessage").unwrap();
        let waits = |secret: [u8; 32]| {
            let mut f = Floods::default();
            f.set(rule(0, 50)).unwrap();
            (0..5)
                .map(|i| f.check(id, 1, i * 100_000, &secret).unwrap())
                .collect::<Vec<_>>()
        };
        assert_eq!(waits([1; 32]), waits([1; 32]));
        assert_ne!(waits([1; 32]), waits([2; 32]));
        assert!(waits([3; 32]).iter().all(|w| (3..=53).contains(w)));
    }
}
