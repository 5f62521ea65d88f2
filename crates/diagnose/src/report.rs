//! The JSON shape of results: one object per probe, then a summary object
//! (`hearth-cli diagnose --json` prints each on its own line).

use serde_json::{json, Value};

use crate::engine::Summary;
use crate::probe::ProbeResult;

fn ms(d: Option<std::time::Duration>) -> Value {
    d.map_or(Value::Null, |d| {
        json!((d.as_secs_f64() * 1000.0 * 1000.0).round() / 1000.0)
    })
}

/// One probe as a JSON object: `dc`, `family`, `address`, `transport`,
/// `route`, `ok`, `connect_ms`, `rtt_ms`, `verdict`, `detail`, plus
/// `title`, `next_step`, `media_only` and the timed `steps`.
pub fn probe_json(r: &ProbeResult) -> Value {
    let fingerprints: Vec<String> = r
        .fingerprints
        .iter()
        .map(|f| format!("{f:#018x}"))
        .collect();
    json!({
        "dc": r.spec.dc_id,
        "media_only": r.spec.media_only,
        "family": r.spec.family.as_str(),
        "address": r.spec.address.to_string(),
        "transport": r.spec.transport.as_str(),
        "route": r.spec.route_label(),
        "ok": r.ok(),
        "connect_ms": ms(r.connect),
        "rtt_ms": ms(r.rtt),
        "ping_ms": ms(r.ping_rtt),
        "verdict": r.verdict.code(),
        "title": r.verdict.title(),
        "detail": r.verdict.explanation(),
        "next_step": r.verdict.next_step(),
        "fingerprints": fingerprints,
        "steps": r.steps,
    })
}

/// The closing summary object (`"summary": true` tells it apart).
pub fn summary_json(s: &Summary) -> Value {
    let mut v = serde_json::to_value(s).unwrap_or_else(|_| json!({}));
    if let Value::Object(m) = &mut v {
        m.insert("summary".into(), Value::Bool(true));
    }
    v
}
