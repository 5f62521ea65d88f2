//! Probes against in-process localdc and in-test loopback servers.

mod support;

use std::net::{IpAddr, SocketAddr};
use std::time::Duration;

use hearth_diagnose::networks::{DcEndpoint, NetworkKind};
use hearth_diagnose::{
    build_plan, run_sweep, Network, PlanOptions, ProbeConfig, ProbeResult, ProxySpec, Summary,
    Transport,
};

const KEY: &str = "00112233445566778899aabbccddeeff";

fn config(net: &Network, ms: u64) -> ProbeConfig {
    ProbeConfig {
        timeout: Duration::from_millis(ms),
        fingerprints: net.fingerprints.clone(),
        test_network: false,
        ping: None,
    }
}

fn single(addr: SocketAddr, fingerprints: Vec<u64>) -> Network {
    Network {
        kind: NetworkKind::Local,
        endpoints: vec![DcEndpoint {
            dc_id: 2,
            ip: addr.ip(),
            port: addr.port(),
            media_only: false,
        }],
        fingerprints,
    }
}

async fn sweep(net: &Network, proxies: &[ProxySpec], ms: u64) -> Vec<ProbeResult> {
    let plan = build_plan(net, proxies, &PlanOptions::default());
    assert!(!plan.is_empty());
    run_sweep(plan, config(net, ms), 8).await
}

fn codes(results: &[ProbeResult]) -> Vec<&'static str> {
    results.iter().map(|r| r.verdict.code()).collect()
}

#[tokio::test]
async fn every_direct_transport_reaches_localdc() {
    let (_dc, net) = support::localdc().await;
    let results = sweep(&net, &[], 5000).await;
    // Five DCs (media-only endpoints left out) × four transports.
    assert_eq!(results.len(), 5 * 4);
    for r in &results {
        assert!(r.ok(), "{:?}: {}", r.spec, r.verdict.explanation());
        assert!(r.connect.is_some() && r.rtt.is_some());
        let names: Vec<_> = r.steps.iter().map(|s| s.name).collect();
        assert_eq!(names, ["connect", "handshake", "request", "answer"]);
        assert!(r.fingerprints.iter().any(|f| net.knows(*f)));
    }
    let s = Summary::of(&results);
    assert_eq!(s.reachable_dcs, vec![1, 2, 3, 4, 5]);
    assert!(s.unreachable_dcs.is_empty() && s.next_steps.is_empty());
    assert_eq!(s.working_routes, vec!["direct"]);
}

#[tokio::test]
async fn another_networks_key_is_not_a_dc() {
    let (_dc, mut net) = support::localdc().await;
    net.fingerprints = vec![hearth_diagnose::networks::PRODUCTION_FINGERPRINT];
    let results = sweep(&net, &[], 5000).await;
    assert!(results
        .iter()
        .all(|r| r.verdict.code() == "unknown_server_key"));
    assert!(results[0]
        .verdict
        .explanation()
        .contains("none of which belongs"));
}

#[tokio::test]
async fn closed_port_is_refused() {
    let addr = support::closed_port().await;
    let results = sweep(&single(addr, vec![1]), &[], 2000).await;
    assert!(codes(&results).iter().all(|c| *c == "connection_refused"));
    assert!(results[0].verdict.title().contains(&addr.to_string()));
    assert!(!Summary::of(&results).any_reachable());
}

#[tokio::test]
async fn web_server_is_not_mtproto() {
    let addr = support::http_server().await;
    let results = sweep(&single(addr, vec![1]), &[], 2000).await;
    for r in &results {
        assert_eq!(
            r.verdict.code(),
            "not_mtproto",
            "{:?} {:?}",
            r.spec.transport,
            r.verdict
        );
    }
    // Plain transports see the status line itself.
    let plain = results
        .iter()
        .find(|r| r.spec.transport == Transport::Intermediate)
        .expect("intermediate probe");
    assert!(
        plain.verdict.explanation().contains("HTTP/1.0 400"),
        "{:?}",
        plain.verdict
    );
}

#[tokio::test]
async fn silent_server_times_out_within_the_bound() {
    let addr = support::silent_server().await;
    let started = std::time::Instant::now();
    let results = sweep(&single(addr, vec![1]), &[], 300).await;
    // A silent server never answers, so without the bound the sweep would never end; the
    // slack above 300 ms is for a loaded machine, not for the probe.
    assert!(started.elapsed() < Duration::from_millis(300 * 10));
    for r in &results {
        assert_eq!(r.verdict.code(), "timed_out");
        assert!(
            r.verdict.explanation().contains("answer"),
            "{:?}",
            r.verdict
        );
        assert!(r.verdict.next_step().contains("proxy"));
    }
}

#[tokio::test]
async fn socks5_and_http_proxies_with_and_without_auth() {
    let (_dc, net) = support::localdc().await;
    let s_open = support::socks5_server(None).await;
    let s_auth = support::socks5_server(Some(("alice", "secret"))).await;
    let h_open = support::http_proxy_server(None).await;
    let h_auth = support::http_proxy_server(Some("bob:pw")).await;
    let proxies: Vec<ProxySpec> = [
        format!("socks5://{s_open}"),
        format!("socks5://alice:secret@{s_auth}"),
        format!("http://{h_open}"),
        format!("http://bob:pw@{h_auth}"),
    ]
    .iter()
    .map(|u| ProxySpec::parse(u).expect("url"))
    .collect();
    let results = sweep(&net, &proxies, 5000).await;
    assert_eq!(results.len(), 5 * 4 * 5);
    for r in &results {
        assert!(r.ok(), "{}: {:?}", r.spec.route_label(), r.verdict);
    }

    let wrong: Vec<ProxySpec> = [
        format!("socks5://alice:nope@{s_auth}"),
        format!("socks5://{s_auth}"),
        format!("http://bob:nope@{h_auth}"),
    ]
    .iter()
    .map(|u| ProxySpec::parse(u).expect("url"))
    .collect();
    let one = single(
        SocketAddr::new(net.endpoints[0].ip, net.endpoints[0].port),
        net.fingerprints.clone(),
    );
    let results = sweep(&one, &wrong, 5000).await;
    let by_route = |label: &str| -> Vec<&'static str> {
        results
            .iter()
            .filter(|r| r.spec.route_label() == label && r.spec.proxy.is_some())
            .map(|r| r.verdict.code())
            .collect()
    };
    assert_eq!(by_route(&format!("socks5 {s_auth}")).len(), 8);
    assert!(by_route(&format!("socks5 {s_auth}")).contains(&"proxy_auth_rejected"));
    assert!(by_route(&format!("socks5 {s_auth}")).contains(&"proxy_auth_required"));
    assert!(by_route(&format!("http {h_auth}"))
        .iter()
        .all(|c| *c == "proxy_auth_rejected"));

    // The proxy works but the DC port is closed behind it.
    let closed = support::closed_port().await;
    let results = sweep(&single(closed, vec![1]), &proxies[..1], 5000).await;
    let via: Vec<_> = results.iter().filter(|r| r.spec.proxy.is_some()).collect();
    assert!(via
        .iter()
        .all(|r| r.verdict.code() == "proxy_cannot_reach_dc"));
    assert!(via[0].verdict.title().contains(&closed.to_string()));
}

#[tokio::test]
async fn mtproxy_plain_dd_and_ee() {
    let (_dc, net) = support::localdc().await;
    let mut proxies = Vec::new();
    for secret in [
        KEY.to_string(),
        format!("dd{KEY}"),
        format!("ee{KEY}{}", hex_domain("localhost")),
    ] {
        let parsed = hearth_transport::MtProxySecret::parse(&secret).expect("secret");
        let addr = support::mtproxy(parsed, &net).await;
        proxies.push(ProxySpec::parse(&format!("mtproxy://{secret}@{addr}")).expect("url"));
    }
    let plan = build_plan(
        &net,
        &proxies,
        &PlanOptions {
            transports: vec![],
            ..PlanOptions::default()
        },
    );
    assert_eq!(plan.len(), 5 * 3);
    let results = run_sweep(plan, config(&net, 5000), 8).await;
    let bad: Vec<_> = results
        .iter()
        .filter(|r| !r.ok())
        .map(|r| (r.spec.dc_id, r.spec.route_label(), r.verdict.code()))
        .collect();
    assert!(bad.is_empty(), "{bad:?}");
    let transports: std::collections::BTreeSet<_> =
        results.iter().map(|r| r.spec.transport.as_str()).collect();
    assert_eq!(
        transports.into_iter().collect::<Vec<_>>(),
        ["dd", "ee", "mtproxy"]
    );

    // The same servers with another key: the proxy hangs up.
    let other = "ffeeddccbbaa99887766554433221100";
    let wrong: Vec<ProxySpec> = proxies
        .iter()
        .map(|p| {
            let (addr, secret) = match p {
                ProxySpec::MtProxy { addr, secret } => (addr.clone(), secret.to_hex()),
                _ => unreachable!("only MTProxies here"),
            };
            let bad = secret.replacen(KEY, other, 1);
            ProxySpec::parse(&format!("mtproxy://{bad}@{addr}")).expect("url")
        })
        .collect();
    let one = single(
        SocketAddr::new(net.endpoints[0].ip, net.endpoints[0].port),
        net.fingerprints.clone(),
    );
    let plan = build_plan(
        &one,
        &wrong,
        &PlanOptions {
            transports: vec![],
            ..PlanOptions::default()
        },
    );
    let results = run_sweep(plan, config(&net, 2000), 8).await;
    assert_eq!(results.len(), 3);
    for r in &results {
        assert_eq!(
            r.verdict.code(),
            "mtproxy_rejected",
            "{}: {:?}",
            r.spec.route_label(),
            r.verdict
        );
        assert!(r.verdict.next_step().contains("secret"));
    }
}

fn hex_domain(d: &str) -> String {
    d.bytes().map(|b| format!("{b:02x}")).collect()
}

#[tokio::test]
async fn missing_ipv6_or_unused_address_is_reported() {
    // Nothing is bound to ::1 here at this port; where the machine has IPv6
    // on loopback that is a refusal, without it a missing route.
    let addr = SocketAddr::new(
        IpAddr::from([0u16, 0, 0, 0, 0, 0, 0, 1]),
        support::closed_port().await.port(),
    );
    let results = sweep(&single(addr, vec![1]), &[], 2000).await;
    for r in &results {
        assert!(
            matches!(r.verdict.code(), "connection_refused" | "no_ipv6_route"),
            "{:?}",
            r.verdict
        );
    }
}

#[tokio::test]
async fn results_stream_before_the_sweep_ends() {
    let (_dc, net) = support::localdc().await;
    let silent = support::silent_server().await;
    let mut mixed = net.clone();
    mixed.endpoints.retain(|e| e.dc_id == 1 && !e.media_only);
    mixed.endpoints.push(DcEndpoint {
        dc_id: 9,
        ip: silent.ip(),
        port: silent.port(),
        media_only: false,
    });
    let plan = build_plan(&mixed, &[], &PlanOptions::default());
    // The silent DC times out after 6 s; the first result must come well before that.
    let mut rx = hearth_diagnose::start_sweep(plan, config(&net, 6000), 8);
    let started = std::time::Instant::now();
    let first = rx.recv().await.expect("a result");
    assert!(first.ok());
    assert!(
        started.elapsed() < Duration::from_millis(4000),
        "first result waited for the slow ones"
    );
    let mut rest = 1;
    while let Some(r) = rx.recv().await {
        rest += 1;
        if r.spec.dc_id == 9 {
            assert_eq!(r.verdict.code(), "timed_out");
        }
    }
    assert_eq!(rest, 8);
}

/// Creates an auth key with localdc's DC `dc_id` through hearth-sender.
async fn auth_key(
    dc: &localdc::LocalDc,
    net: &Network,
    dc_id: i32,
) -> hearth_sender::sender::SessionKey {
    use hearth_mtproto::auth::{KeyParams, KeyTable};
    use hearth_sender::connect::{Endpoint, Peer, Route};
    use hearth_sender::sender::{AuthKeyExchange, Config, Mtproto};
    let ep = net
        .endpoints
        .iter()
        .find(|e| e.dc_id == dc_id && !e.media_only)
        .expect("dc");
    let peer = Peer::Dc {
        id: Some(dc_id),
        addr: Endpoint::from(SocketAddr::new(ep.ip, ep.port)),
    };
    let mut keys = KeyTable::empty();
    keys.add_pem(&dc.announcement().rsa_public_key_pem)
        .expect("pem");
    let (sender, key) = hearth_sender::Sender::connect_creating_key(
        Config::new(peer, Route::Direct),
        Mtproto::new(hearth_transport::DcId::new(dc_id as u16)),
        AuthKeyExchange::new(KeyParams::permanent(dc_id), keys),
    )
    .await
    .expect("auth key with localdc");
    sender.shutdown();
    key
}

#[tokio::test]
async fn encrypted_ping_with_an_auth_key() {
    let (dc, net) = support::localdc().await;
    let key = auth_key(&dc, &net, 2).await;
    let plan = build_plan(&net, &[], &PlanOptions::default());
    let mut cfg = config(&net, 5000);
    cfg.ping = Some(hearth_diagnose::PingKey {
        dc_id: 2,
        key: key.clone(),
    });
    let results = run_sweep(plan, cfg, 8).await;
    for r in &results {
        assert!(r.ok(), "{:?} {:?}", r.spec.transport, r.verdict);
        if r.spec.dc_id == 2 {
            assert!(r.ping_rtt.is_some(), "{:?}", r.spec.transport);
            assert_eq!(r.steps.last().map(|s| s.name), Some("ping"));
        } else {
            assert!(r.ping_rtt.is_none());
        }
    }
    assert!(!format!("{key:?}").contains("auth_key: "));

    // A key the server never saw: the DC answers -404.
    let other = hearth_sender::sender::SessionKey {
        auth_key: hearth_mtproto::AuthKey::from_bytes([7; 256]),
        ..key
    };
    let mut only2 = net.clone();
    only2.endpoints.retain(|e| e.dc_id == 2 && !e.media_only);
    let plan = build_plan(&only2, &[], &PlanOptions::default());
    let mut cfg = config(&net, 3000);
    cfg.ping = Some(hearth_diagnose::PingKey {
        dc_id: 2,
        key: other,
    });
    for r in run_sweep(plan, cfg, 8).await {
        assert!(!r.ok(), "{:?}", r.spec.transport);
        assert!(r.rtt.is_some(), "resPQ still answered");
        assert_eq!(r.steps.last().map(|s| s.name), Some("ping"));
        assert!(
            matches!(
                r.verdict.code(),
                "transport_error" | "closed_without_answer"
            ),
            "{:?}",
            r.verdict
        );
    }
}
