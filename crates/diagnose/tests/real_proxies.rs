//! Probes through real proxy servers on loopback: microsocks (SOCKS5),
//! tinyproxy (HTTP CONNECT), mtprotoproxy (plain, dd, ee) forwarding to
//! localdc, and Python's http.server where a DC should be.
//! `tests/proxies/run.sh` starts them and exports their addresses.

use std::time::Duration;

use hearth_diagnose::networks::DcEndpoint;
use hearth_diagnose::{
    build_plan, run_sweep, Network, PlanOptions, ProbeConfig, ProbeResult, ProxySpec,
};

const IGNORE: &str = "needs real proxy servers; run by tests/proxies/run.sh";

fn env(name: &str) -> String {
    std::env::var(name).unwrap_or_else(|_| panic!("{name} is not set; {IGNORE}"))
}

fn network() -> Network {
    let text = std::fs::read_to_string(env("HEARTH_LOCALDC_FILE")).expect("localdc announcement");
    Network::from_localdc_line(text.lines().next().unwrap_or("")).expect("announcement")
}

/// localdc's DC 2 only.
fn dc2() -> Network {
    let mut n = network();
    n.endpoints.retain(|e| e.dc_id == 2 && !e.media_only);
    n
}

fn at(addr: &str) -> Network {
    let a: std::net::SocketAddr = addr.parse().expect("address");
    let mut n = network();
    n.endpoints = vec![DcEndpoint {
        dc_id: 2,
        ip: a.ip(),
        port: a.port(),
        media_only: false,
    }];
    n
}

async fn probe(net: &Network, proxy: Option<&str>, transports: bool) -> Vec<ProbeResult> {
    let proxies: Vec<ProxySpec> = proxy
        .iter()
        .map(|p| ProxySpec::parse(p).expect("proxy url"))
        .collect();
    let opts = PlanOptions {
        transports: if transports {
            PlanOptions::default().transports
        } else {
            vec![]
        },
        ..PlanOptions::default()
    };
    let mut plan = build_plan(net, &proxies, &opts);
    if proxy.is_some() {
        plan.retain(|p| p.proxy.is_some());
    }
    assert!(!plan.is_empty());
    let config = ProbeConfig {
        timeout: Duration::from_millis(4000),
        fingerprints: net.fingerprints.clone(),
        test_network: false,
        ping: None,
    };
    run_sweep(plan, config, 8).await
}

fn all(results: &[ProbeResult], code: &str) {
    for r in results {
        assert_eq!(
            r.verdict.code(),
            code,
            "{} {}: {}",
            r.spec.route_label(),
            r.spec.transport.as_str(),
            r.verdict.explanation()
        );
    }
}

#[tokio::test]
#[ignore = "needs real proxy servers; run by tests/proxies/run.sh"]
async fn socks5_without_auth() {
    let r = probe(
        &network(),
        Some(&format!("socks5://{}", env("HEARTH_SOCKS_OPEN"))),
        true,
    )
    .await;
    assert_eq!(r.len(), 5 * 4);
    all(&r, "ok");
    assert!(r.iter().all(|r| r.connect.is_some() && r.rtt.is_some()));
}

#[tokio::test]
#[ignore = "needs real proxy servers; run by tests/proxies/run.sh"]
async fn socks5_with_auth() {
    let (user, pass, addr) = (
        env("HEARTH_SOCKS_USER"),
        env("HEARTH_SOCKS_PASS"),
        env("HEARTH_SOCKS_AUTH"),
    );
    all(
        &probe(
            &network(),
            Some(&format!("socks5://{user}:{pass}@{addr}")),
            true,
        )
        .await,
        "ok",
    );
    let wrong = probe(
        &dc2(),
        Some(&format!("socks5://{user}:wrong-{pass}@{addr}")),
        true,
    )
    .await;
    all(&wrong, "proxy_auth_rejected");
    assert!(wrong[0].verdict.title().contains(&addr));
    all(
        &probe(&dc2(), Some(&format!("socks5://{addr}")), true).await,
        "proxy_auth_required",
    );
}

#[tokio::test]
#[ignore = "needs real proxy servers; run by tests/proxies/run.sh"]
async fn http_connect_without_and_with_auth() {
    all(
        &probe(
            &network(),
            Some(&format!("http://{}", env("HEARTH_HTTP_OPEN"))),
            true,
        )
        .await,
        "ok",
    );
    let (user, pass, addr) = (
        env("HEARTH_HTTP_USER"),
        env("HEARTH_HTTP_PASS"),
        env("HEARTH_HTTP_AUTH"),
    );
    all(
        &probe(
            &network(),
            Some(&format!("http://{user}:{pass}@{addr}")),
            true,
        )
        .await,
        "ok",
    );
    all(
        &probe(&dc2(), Some(&format!("http://{user}:nope@{addr}")), true).await,
        "proxy_auth_rejected",
    );
    all(
        &probe(&dc2(), Some(&format!("http://{addr}")), true).await,
        "proxy_auth_required",
    );
}

#[tokio::test]
#[ignore = "needs real proxy servers; run by tests/proxies/run.sh"]
async fn proxies_that_cannot_reach_the_dc() {
    let closed = at(&env("HEARTH_CLOSED_ADDR"));
    for proxy in [
        format!("socks5://{}", env("HEARTH_SOCKS_OPEN")),
        format!("http://{}", env("HEARTH_HTTP_OPEN")),
    ] {
        let r = probe(&closed, Some(&proxy), true).await;
        all(&r, "proxy_cannot_reach_dc");
        assert!(r[0].verdict.title().contains(&env("HEARTH_CLOSED_ADDR")));
    }
}

#[tokio::test]
#[ignore = "needs real proxy servers; run by tests/proxies/run.sh"]
async fn mtproxy_plain_dd_and_ee() {
    let key = env("HEARTH_MTPROXY_KEY");
    let domain: String = env("HEARTH_MTPROXY_DOMAIN")
        .bytes()
        .map(|b| format!("{b:02x}"))
        .collect();
    for (secret, addr) in [
        (key.clone(), env("HEARTH_MTPROXY_CLASSIC")),
        (format!("dd{key}"), env("HEARTH_MTPROXY_CLASSIC")),
        (format!("dd{key}"), env("HEARTH_MTPROXY_SECURE")),
        (format!("ee{key}{domain}"), env("HEARTH_MTPROXY_TLS")),
    ] {
        let r = probe(
            &network(),
            Some(&format!("mtproxy://{secret}@{addr}")),
            false,
        )
        .await;
        assert_eq!(r.len(), 5, "one probe per DC");
        all(&r, "ok");
    }
}

#[tokio::test]
#[ignore = "needs real proxy servers; run by tests/proxies/run.sh"]
async fn mtproxy_wrong_secret_or_mode() {
    let key = env("HEARTH_MTPROXY_KEY");
    let other: String = key.chars().rev().collect();
    let domain: String = env("HEARTH_MTPROXY_DOMAIN")
        .bytes()
        .map(|b| format!("{b:02x}"))
        .collect();
    for (secret, addr) in [
        (format!("dd{other}"), env("HEARTH_MTPROXY_CLASSIC")),
        (format!("ee{other}{domain}"), env("HEARTH_MTPROXY_TLS")),
        // Right key, wrong mode: plain to a dd-only proxy, dd to an ee-only one.
        (key.clone(), env("HEARTH_MTPROXY_SECURE")),
        (format!("dd{key}"), env("HEARTH_MTPROXY_TLS")),
    ] {
        let r = probe(&dc2(), Some(&format!("mtproxy://{secret}@{addr}")), false).await;
        all(&r, "mtproxy_rejected");
        assert!(r[0].verdict.next_step().contains("secret"));
    }
}

#[tokio::test]
#[ignore = "needs real proxy servers; run by tests/proxies/run.sh"]
async fn web_server_and_closed_port_where_a_dc_should_be() {
    let r = probe(&at(&env("HEARTH_WEB_ADDR")), None, true).await;
    all(&r, "not_mtproto");
    assert!(
        r.iter()
            .any(|r| r.verdict.explanation().contains("web server")),
        "{:?}",
        r[0].verdict
    );
    all(
        &probe(&at(&env("HEARTH_CLOSED_ADDR")), None, true).await,
        "connection_refused",
    );
}
