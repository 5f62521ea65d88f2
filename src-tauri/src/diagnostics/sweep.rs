//! Glue between `hearth-diagnose` and the page: which network an id names,
//! the grid cell a probe belongs to, and a probe result in IPC form.

use std::time::Duration;

use hearth_diagnose::report::probe_json;
use hearth_diagnose::{Network, NetworkKind, ProbeConfig, ProbeResult, ProbeSpec};

use super::types::{GridCell, NetworkChoice, ProbeOutcome, ProbeStep};

/// How long one probe may take before it counts as timed out.
pub const PROBE_TIMEOUT: Duration = Duration::from_secs(5);
/// Probes in flight at once.
pub const CONCURRENCY: usize = 16;

/// The networks the page offers, local first (it works offline).
pub fn network_choices() -> Vec<NetworkChoice> {
    vec![
        NetworkChoice {
            id: "local".into(),
            name: "Local test network".into(),
            description: "DC emulator started inside Hearth on this computer (loopback only); try everything offline.".into(),
        },
        NetworkChoice {
            id: "production".into(),
            name: "Production".into(),
            description: "Telegram's production DCs 1–5 at their published addresses.".into(),
        },
        NetworkChoice {
            id: "test".into(),
            name: "Test".into(),
            description: "Telegram's test DCs 1–3 at their published addresses.".into(),
        },
    ]
}

/// A built-in network by id (`local` is started elsewhere).
pub fn builtin_network(id: &str) -> Option<Network> {
    match id {
        "production" => Some(Network::production()),
        "test" => Some(Network::test()),
        _ => None,
    }
}

/// The probe settings for `network`.
pub fn probe_config(network: &Network) -> ProbeConfig {
    ProbeConfig {
        timeout: PROBE_TIMEOUT,
        fingerprints: network.fingerprints.clone(),
        test_network: network.kind == NetworkKind::Test,
        ping: None,
    }
}

/// The grid cell of a probe: rows are DC addresses by family, columns are
/// route and transport.
pub fn cell_of(spec: &ProbeSpec) -> GridCell {
    let media = if spec.media_only { " media" } else { "" };
    let row = format!("DC {}{media} · {}", spec.dc_id, spec.family.as_str());
    let column = format!("{} · {}", spec.route_label(), spec.transport.as_str());
    GridCell {
        key: format!("{row}|{column}"),
        row,
        column,
        dc_id: spec.dc_id,
    }
}

fn ms(d: Duration) -> f64 {
    (d.as_secs_f64() * 1_000_000.0).round() / 1000.0
}

/// A finished probe in the form the page shows.
pub fn outcome(result: &ProbeResult) -> ProbeOutcome {
    let raw = serde_json::to_string_pretty(&probe_json(result)).unwrap_or_default();
    ProbeOutcome {
        cell: cell_of(&result.spec),
        address: result.spec.address.to_string(),
        family: result.spec.family.as_str().into(),
        transport: result.spec.transport.as_str().into(),
        route: result.spec.route_label(),
        media_only: result.spec.media_only,
        ok: result.ok(),
        verdict: result.verdict.code().into(),
        title: result.verdict.title(),
        explanation: result.verdict.explanation(),
        next_step: result.verdict.next_step(),
        connect_ms: result.connect.map(ms),
        rtt_ms: result.rtt.map(ms),
        total_ms: ms(result.total),
        steps: result
            .steps
            .iter()
            .map(|s| ProbeStep {
                name: s.name.into(),
                started_ms: ms(s.started),
                took_ms: ms(s.took),
                ok: s.ok,
                detail: s.detail.clone(),
            })
            .collect(),
        raw,
    }
}

/// Keeps the probes of `plan` whose cell is in `only` (all when `None`).
pub fn select(plan: Vec<ProbeSpec>, only: Option<&[String]>) -> Vec<ProbeSpec> {
    match only {
        None => plan,
        Some(keys) => plan
            .into_iter()
            .filter(|s| keys.contains(&cell_of(s).key))
            .collect(),
    }
}

/// The whole report: every latest probe (grid order) and the summary.
pub fn report_json(network: &str, results: &[ProbeResult]) -> serde_json::Value {
    let summary = hearth_diagnose::Summary::of(results);
    serde_json::json!({
        "hearth_version": env!("CARGO_PKG_VERSION"),
        "network": network,
        "generated_at_unix": std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs()),
        "probes": results.iter().map(probe_json).collect::<Vec<_>>(),
        "summary": summary,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use hearth_diagnose::{build_plan, PlanOptions, ProxySpec};

    #[test]
    fn cells_are_unique_per_probe_and_select_keeps_only_those_asked_for() {
        let network = Network::production();
        let proxy = ProxySpec::parse("socks5://127.0.0.1:1080").unwrap();
        let plan = build_plan(&network, &[proxy], &PlanOptions::default());
        let keys: std::collections::BTreeSet<String> =
            plan.iter().map(|s| cell_of(s).key).collect();
        assert_eq!(keys.len(), plan.len());
        let first = cell_of(&plan[0]);
        assert_eq!(first.row, "DC 1 · ipv4");
        assert_eq!(first.column, "direct · abridged");
        let wanted = vec![first.key.clone(), cell_of(&plan[9]).key];
        let picked = select(plan.clone(), Some(&wanted));
        assert_eq!(picked.len(), 2);
        assert_eq!(select(plan.clone(), None).len(), plan.len());
        assert!(select(plan, Some(&["DC 9 · ipv4|direct · abridged".into()])).is_empty());
    }

    #[test]
    fn networks_resolve_and_test_uses_test_dc_ids() {
        let ids: Vec<String> = network_choices().into_iter().map(|c| c.id).collect();
        assert_eq!(ids, ["local", "production", "test"]);
        assert!(builtin_network("local").is_none());
        assert!(builtin_network("elsewhere").is_none());
        let test = builtin_network("test").unwrap();
        assert!(probe_config(&test).test_network);
        assert!(!probe_config(&builtin_network("production").unwrap()).test_network);
    }
}
