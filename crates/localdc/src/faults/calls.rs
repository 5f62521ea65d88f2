//! Faults decided per API call: injected `500` errors, `303 NETWORK_MIGRATE_X`,
//! flood waits, `406 AUTH_KEY_DUPLICATED` and the media-only DCs' refusal.
//!
//! The rules are applied before every query (wrappers included) is answered,
//! by `rpc::hook::before_call`.

use hearth_crypto::hash::sha256;
use hearth_tl::{functions as f, Identifiable, RawQuery};
use serde::{Deserialize, Serialize};

use super::method_id;

fn default_error() -> String {
    "INTERNAL_SERVER_ERROR".into()
}

fn check_probability(p: Option<f64>, what: &str) -> Result<(), String> {
    match p {
        Some(p) if !(0.0..=1.0).contains(&p) => {
            Err(format!("{what}: probability {p} must be within 0..=1"))
        }
        _ => Ok(()),
    }
}

fn check_method(m: &Option<String>, what: &str) -> Result<(), String> {
    match m {
        Some(m) if method_id(m).is_none() => Err(format!("{what}: unknown TL method {m:?}")),
        _ => Ok(()),
    }
}

/// `kind = "error"`: answer `500 <error>` (core.telegram.org/api/errors#500-internal).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ErrorRule {
    /// TL method name; every method when absent.
    #[serde(default)]
    pub method: Option<String>,
    /// The 500 error's name, e.g. `RPC_CALL_FAIL`.
    #[serde(default = "default_error")]
    pub error: String,
    /// Fail every n-th matching call (counted from the rule's installation).
    #[serde(default)]
    pub every: Option<u32>,
    /// Fail each matching call with this probability (seeded).
    #[serde(default)]
    pub probability: Option<f64>,
}

impl ErrorRule {
    pub(super) fn validate(&self) -> Result<(), String> {
        check_method(&self.method, "error rule")?;
        check_probability(self.probability, "error rule")?;
        if self.every == Some(0) {
            return Err("error rule: every must be at least 1".into());
        }
        let valid = |c: char| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_';
        if self.error.is_empty() || !self.error.chars().all(valid) {
            return Err(format!(
                "error rule: error {:?} must be an UPPER_CASE error name",
                self.error
            ));
        }
        Ok(())
    }
}

/// `kind = "migrate"`: answer `303 NETWORK_MIGRATE_<to>`. Every given
/// condition must hold; a rule with none applies to every request on
/// every DC but `to`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MigrateRule {
    /// The DC the client should use instead.
    pub to: i32,
    /// Only requests arriving at this DC.
    #[serde(default)]
    pub dc: Option<i32>,
    /// Only requests of this account (world account or bot name, or phone).
    #[serde(default)]
    pub account: Option<String>,
    /// Only this TL method.
    #[serde(default)]
    pub method: Option<String>,
}

impl MigrateRule {
    pub(super) fn validate(&self) -> Result<(), String> {
        check_method(&self.method, "migrate rule")?;
        for dc in std::iter::once(self.to).chain(self.dc) {
            if !(1..=5).contains(&dc) {
                return Err(format!("migrate rule: DC {dc} must be 1..5"));
            }
        }
        Ok(())
    }
}

/// An error rule with its call counter.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct CountedError {
    pub rule: ErrorRule,
    method: Option<u32>,
    calls: u64,
}

#[derive(Debug, Default, Clone, Serialize, Deserialize)]
pub struct CallRules {
    pub errors: Vec<CountedError>,
    pub migrates: Vec<MigrateRule>,
}

impl CallRules {
    pub fn is_empty(&self) -> bool {
        self.errors.is_empty() && self.migrates.is_empty()
    }

    pub(super) fn add_error(&mut self, rule: ErrorRule) {
        let method = rule.method.as_deref().and_then(method_id);
        self.errors.push(CountedError {
            rule,
            method,
            calls: 0,
        });
    }

    /// Counts a call of `method`; the 500 error to answer, if any.
    pub fn error_for(&mut self, method: u32, secret: &[u8; 32]) -> Option<String> {
        for (i, e) in self.errors.iter_mut().enumerate() {
            if e.method.is_some_and(|m| m != method) {
                continue;
            }
            e.calls += 1;
            let hit = match (e.rule.every, e.rule.probability) {
                (None, None) => true,
                (every, p) => {
                    every.is_some_and(|n| e.calls % u64::from(n) == 0)
                        || p.is_some_and(|p| draw(secret, i as u64, e.calls) < p)
                }
            };
            if hit {
                return Some(e.rule.error.clone());
            }
        }
        None
    }

    /// The DC a request must migrate to, if a rule says so.
    pub fn migrate_for(&self, method: u32, dc: i32, account: impl Fn(&str) -> bool) -> Option<i32> {
        self.migrates
            .iter()
            .find(|r| {
                r.to != dc
                    && r.dc.is_none_or(|d| d == dc)
                    && r.method
                        .as_deref()
                        .is_none_or(|m| method_id(m) == Some(method))
                    && r.account.as_deref().is_none_or(&account)
            })
            .map(|r| r.to)
    }
}

/// A uniform draw in `[0, 1)` from the secret, a rule index and a call ordinal.
fn draw(secret: &[u8; 32], rule: u64, n: u64) -> f64 {
    let h = sha256(&[secret, b"error", &rule.to_le_bytes(), &n.to_le_bytes()]);
    let v = u64::from_le_bytes([h[0], h[1], h[2], h[3], h[4], h[5], h[6], h[7]]);
    (v >> 11) as f64 / (1u64 << 53) as f64
}

/// Invoke wrappers: they carry a query and are never failed themselves.
pub fn is_wrapper(id: u32) -> bool {
    id == f::InvokeWithLayer::<RawQuery>::CONSTRUCTOR_ID
        || id == f::InitConnection::<RawQuery>::CONSTRUCTOR_ID
        || id == f::InvokeWithoutUpdates::<RawQuery>::CONSTRUCTOR_ID
        || id == f::InvokeAfterMsg::<RawQuery>::CONSTRUCTOR_ID
        || id == f::InvokeAfterMsgs::<RawQuery>::CONSTRUCTOR_ID
}

/// Whether a media-only endpoint serves this query: file transfer, the
/// connection set-up around it and importing the authorization that lets a
/// fresh key download. Service messages (pings, acks, salts) never get here.
pub fn media_allowed(id: u32) -> bool {
    is_wrapper(id)
        || id == f::upload::GetFile::CONSTRUCTOR_ID
        || id == f::upload::GetFileHashes::CONSTRUCTOR_ID
        || id == f::upload::SaveFilePart::CONSTRUCTOR_ID
        || id == f::upload::SaveBigFilePart::CONSTRUCTOR_ID
        || id == f::help::GetConfig::CONSTRUCTOR_ID
        || id == f::auth::ImportAuthorization::CONSTRUCTOR_ID
        || id == f::auth::BindTempAuthKey::CONSTRUCTOR_ID
}

#[cfg(test)]
mod tests {
    use super::*;

    fn send_message() -> u32 {
        method_id("messages.sendMessage").unwrap()
    }

    #[test]
    fn every_nth_call_fails_and_other_methods_pass() {
        let mut r = CallRules::default();
        r.add_error(ErrorRule {
            method: Some("messages.sendMessage".into()),
            error: "RPC_CALL_FAIL".into(),
            every: Some(3),
            probability: None,
        });
        let s = [1; 32];
        let got: Vec<_> = (0..6).map(|_| r.error_for(send_message(), &s)).collect();
        let fail = Some("RPC_CALL_FAIL".to_string());
        assert_eq!(got, [None, None, fail.clone(), None, None, fail]);
        assert_eq!(r.error_for(0x1234, &s), None);
    }

    #[test]
    fn probability_is_seeded_and_roughly_right() {
        let run = |secret: [u8; 32]| {
            let mut r = CallRules::default();
            r.add_error(ErrorRule {
                method: None,
                error: default_error(),
                every: None,
                probability: Some(0.25),
            });
            (0..400)
                .map(|_| r.error_for(7, &secret).is_some())
                .collect::<Vec<_>>()
        };
        assert_eq!(run([3; 32]), run([3; 32]));
        assert_ne!(run([3; 32]), run([4; 32]));
        let hits = run([3; 32]).iter().filter(|h| **h).count();
        assert!((60..140).contains(&hits), "{hits} of 400 at p = 0.25");
    }

    #[test]
    fn migrate_matches_every_condition_and_spares_the_target_dc() {
        let mut r = CallRules::default();
        r.migrates.push(MigrateRule {
            to: 4,
            dc: Some(2),
            account: Some("alice".into()),
            method: None,
        });
        let alice = |n: &str| n == "alice";
        let bob = |n: &str| n == "bob";
        assert_eq!(r.migrate_for(send_message(), 2, alice), Some(4));
        assert_eq!(r.migrate_for(send_message(), 2, bob), None);
        assert_eq!(r.migrate_for(send_message(), 3, alice), None);
        r.migrates[0] = MigrateRule {
            to: 4,
            dc: None,
            account: None,
            method: Some("messages.sendMessage".into()),
        };
        assert_eq!(r.migrate_for(send_message(), 1, bob), Some(4));
        assert_eq!(r.migrate_for(send_message(), 4, bob), None);
        assert_eq!(r.migrate_for(0x1234, 1, bob), None);
    }

    #[test]
    fn media_only_endpoints_serve_files_and_set_up_only() {
        assert!(media_allowed(f::upload::GetFile::CONSTRUCTOR_ID));
        assert!(media_allowed(
            f::InvokeWithLayer::<RawQuery>::CONSTRUCTOR_ID
        ));
        assert!(media_allowed(f::auth::ImportAuthorization::CONSTRUCTOR_ID));
        assert!(!media_allowed(method_id("messages.sendMessage").unwrap()));
        assert!(!media_allowed(f::auth::SendCode::CONSTRUCTOR_ID));
    }

    #[test]
    fn rules_validate_their_values() {
        let bad = ErrorRule {
            method: None,
            error: "oops".into(),
            every: None,
            probability: None,
        };
        assert!(bad.validate().unwrap_err().contains("UPPER_CASE"));
        let bad = ErrorRule {
            error: default_error(),
            probability: Some(1.5),
            ..bad
        };
        assert!(bad.validate().unwrap_err().contains("probability"));
        let m = MigrateRule {
            to: 9,
            dc: None,
            account: None,
            method: None,
        };
        assert!(m.validate().unwrap_err().contains("1..5"));
    }
}
