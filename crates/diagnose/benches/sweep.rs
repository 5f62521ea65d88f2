//! A full sweep: 5 DCs × 2 families × 4 transports × 3 routes (direct, an
//! in-process SOCKS5 proxy, an in-process HTTP CONNECT proxy) against
//! localdc on 127.0.0.1 and ::1, with DC 5's IPv6 address replaced by a
//! port that accepts and never answers, so those probes run into the
//! timeout. The whole sweep must end within the probe timeout + 10 %.
//!
//! `cargo bench -p hearth-diagnose --bench sweep`

#[path = "../tests/support/mod.rs"]
mod support;

use std::net::{IpAddr, Ipv6Addr, SocketAddr};
use std::time::{Duration, Instant};

use criterion::{criterion_group, criterion_main, Criterion};
use hearth_diagnose::networks::DcEndpoint;
use hearth_diagnose::{build_plan, run_sweep, Network, PlanOptions, ProbeConfig, ProxySpec};

const TIMEOUT: Duration = Duration::from_millis(500);

struct Setup {
    network: Network,
    proxies: Vec<ProxySpec>,
    _dcs: (localdc::LocalDc, localdc::LocalDc),
}

async fn setup() -> Setup {
    let (v4, mut network) = support::localdc().await;
    let v6 = localdc::LocalDc::start(localdc::Config {
        host: IpAddr::V6(Ipv6Addr::LOCALHOST),
        ..localdc::Config::default()
    })
    .await
    .expect("localdc on ::1");
    let line = serde_json::to_string(&v6.announcement()).expect("announcement");
    let net6 = Network::from_localdc_line(&line).expect("announcement");
    let silent = support::silent_server_v6().await;
    network.endpoints.retain(|e| !e.media_only);
    for e in net6.endpoints.iter().filter(|e| !e.media_only) {
        let addr = if e.dc_id == 5 {
            silent
        } else {
            SocketAddr::new(e.ip, e.port)
        };
        network.endpoints.push(DcEndpoint {
            dc_id: e.dc_id,
            ip: addr.ip(),
            port: addr.port(),
            media_only: false,
        });
    }
    network.fingerprints.extend(net6.fingerprints);
    let socks = support::socks5_server(None).await;
    let http = support::http_proxy_server(None).await;
    let proxies = vec![
        ProxySpec::parse(&format!("socks5://{socks}")).expect("url"),
        ProxySpec::parse(&format!("http://{http}")).expect("url"),
    ];
    Setup {
        network,
        proxies,
        _dcs: (v4, v6),
    }
}

async fn sweep(s: &Setup) -> (usize, usize, Duration) {
    let plan = build_plan(&s.network, &s.proxies, &PlanOptions::default());
    let n = plan.len();
    let config = ProbeConfig {
        timeout: TIMEOUT,
        fingerprints: s.network.fingerprints.clone(),
        test_network: false,
        ping: None,
    };
    let started = Instant::now();
    let results = run_sweep(plan, config, n).await;
    let took = started.elapsed();
    let ok = results.iter().filter(|r| r.ok()).count();
    (n, ok, took)
}

fn bench(c: &mut Criterion) {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let s = rt.block_on(setup());
    let bound = TIMEOUT + TIMEOUT / 10;
    let (n, ok, took) = rt.block_on(sweep(&s));
    assert_eq!(n, 5 * 2 * 4 * 3, "the sweep covers every cell");
    // DC 5 over IPv6 never answers: 4 transports × 3 routes time out.
    assert_eq!(ok, n - 12, "only the silent cells fail");
    println!(
        "sweep: {n} probes, {ok} ok, {} timed out, {:.1} ms (bound {} ms)",
        n - ok,
        took.as_secs_f64() * 1000.0,
        bound.as_millis()
    );
    assert!(took <= bound, "sweep took {took:?}, more than {bound:?}");
    let mut group = c.benchmark_group("sweep");
    group.sample_size(10);
    group.measurement_time(Duration::from_secs(8));
    group.bench_function("120 probes, 12 silent, timeout 500 ms", |b| {
        b.iter(|| {
            let (_, _, took) = rt.block_on(sweep(&s));
            assert!(took <= bound, "sweep took {took:?}, more than {bound:?}");
        })
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
