//! `hearth-cli diagnose --network local FILE --json` against a running
//! localdc and real proxies; `tests/proxies/run.sh` starts them and exports
//! their addresses.

use std::collections::BTreeMap;
use std::process::Command;

use serde_json::Value;

mod support;

use support::{assert_probe_fields, lines, BIN};

fn env(name: &str) -> String {
    std::env::var(name).unwrap_or_else(|_| panic!("{name} is not set; run by tests/proxies/run.sh"))
}

#[test]
#[ignore = "needs real proxy servers; run by tests/proxies/run.sh"]
fn every_line_through_every_proxy() {
    let key = env("HEARTH_MTPROXY_KEY");
    let domain: String = env("HEARTH_MTPROXY_DOMAIN")
        .bytes()
        .map(|b| format!("{b:02x}"))
        .collect();
    let good = [
        format!("socks5://{}", env("HEARTH_SOCKS_OPEN")),
        format!(
            "socks5://{}:{}@{}",
            env("HEARTH_SOCKS_USER"),
            env("HEARTH_SOCKS_PASS"),
            env("HEARTH_SOCKS_AUTH")
        ),
        format!("http://{}", env("HEARTH_HTTP_OPEN")),
        format!(
            "http://{}:{}@{}",
            env("HEARTH_HTTP_USER"),
            env("HEARTH_HTTP_PASS"),
            env("HEARTH_HTTP_AUTH")
        ),
        format!("mtproxy://{key}@{}", env("HEARTH_MTPROXY_CLASSIC")),
        format!("mtproxy://dd{key}@{}", env("HEARTH_MTPROXY_SECURE")),
        format!("mtproxy://ee{key}{domain}@{}", env("HEARTH_MTPROXY_TLS")),
    ];
    let bad_socks = format!(
        "socks5://{}:wrong@{}",
        env("HEARTH_SOCKS_USER"),
        env("HEARTH_SOCKS_AUTH")
    );
    let mut cmd = Command::new(BIN);
    cmd.args([
        "diagnose",
        "--network",
        "local",
        &env("HEARTH_LOCALDC_FILE"),
    ])
    .args(["--json", "--timeout", "4000", "--concurrency", "8"]);
    for p in good.iter().chain([&bad_socks]) {
        cmd.args(["--proxy", p]);
    }
    let out = cmd.output().expect("run hearth-cli");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let lines = lines(&out.stdout);
    let (summary, probes) = lines.split_last().expect("output");
    // 5 DCs × (direct + 4 SOCKS/HTTP + bad SOCKS) × 4 transports + 5 DCs × 3 MTProxies.
    assert_eq!(probes.len(), 5 * 6 * 4 + 5 * 3);
    let mut by_route: BTreeMap<String, Vec<&Value>> = BTreeMap::new();
    for p in probes {
        assert_probe_fields(p);
        by_route
            .entry(p["route"].as_str().unwrap_or("").to_owned())
            .or_default()
            .push(p);
    }
    let bad_label = format!("socks5 {}", env("HEARTH_SOCKS_AUTH"));
    for (route, ps) in &by_route {
        for p in ps {
            let bad = route == &bad_label && p["verdict"] == "proxy_auth_rejected";
            let good = p["ok"] == true
                && p["verdict"] == "ok"
                && p["rtt_ms"].as_f64().is_some_and(|v| v > 0.0)
                && p["connect_ms"].as_f64().is_some();
            assert!(bad || good, "{route}: {p}");
        }
    }
    // The wrong password shares its label with the right one: half of that route failed.
    assert_eq!(
        by_route[&bad_label]
            .iter()
            .filter(|p| p["ok"] == false)
            .count(),
        20
    );
    let mt: Vec<_> = probes
        .iter()
        .filter(|p| {
            p["route"]
                .as_str()
                .is_some_and(|r| r.starts_with("mtproxy"))
        })
        .collect();
    let modes: std::collections::BTreeSet<_> =
        mt.iter().filter_map(|p| p["transport"].as_str()).collect();
    assert_eq!(
        modes.into_iter().collect::<Vec<_>>(),
        ["dd", "ee", "mtproxy"]
    );
    assert_eq!(summary["summary"], true);
    assert_eq!(summary["failed"], 20);
    assert_eq!(summary["reachable_dcs"], serde_json::json!([1, 2, 3, 4, 5]));
}
