//! Helpers shared by the `hearth-cli` integration tests.
#![allow(dead_code)]

use serde_json::Value;

pub const BIN: &str = env!("CARGO_BIN_EXE_hearth-cli");

/// Every JSON line of `--json` output.
pub fn lines(out: &[u8]) -> Vec<Value> {
    String::from_utf8_lossy(out)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("not JSON ({e}): {l}")))
        .collect()
}

/// Asserts that a probe line carries every field of the documented format.
pub fn assert_probe_fields(p: &Value) {
    for f in [
        "dc",
        "family",
        "address",
        "transport",
        "route",
        "ok",
        "connect_ms",
        "rtt_ms",
        "verdict",
        "detail",
    ] {
        assert!(p.get(f).is_some(), "{f} missing in {p}");
    }
}
