//! Throughput of the codecs and cost of the handshakes.

use criterion::{criterion_group, criterion_main, BatchSize, Criterion, Throughput};
use hearth_transport::fake_tls::build_client_hello;
use hearth_transport::framing::{FramingKind, Role};
use hearth_transport::obfuscated::client_handshake;
use hearth_transport::{
    connect, AcceptConfig, Acceptor, ClientMode, Connecting, DcId, MtProxySecret, Pipeline,
    ProtocolTag,
};
use rand::rngs::StdRng;
use rand::SeedableRng;
use std::hint::black_box;

/// An encrypted-looking MTProto message: a 24-byte header and 64 KiB of
/// AES blocks (padded intermediate reads a message's end from that shape).
const PACKET: usize = 24 + 64 * 1024;

fn framing(c: &mut Criterion) {
    let mut group = c.benchmark_group("framing_round_trip_64KiB");
    group.throughput(Throughput::Bytes(PACKET as u64));
    let payload = vec![0x5au8; PACKET];
    for kind in [
        FramingKind::Abridged,
        FramingKind::Intermediate,
        FramingKind::PaddedIntermediate,
        FramingKind::Full,
    ] {
        let mut client = kind.build(Role::Client, Box::new(StdRng::seed_from_u64(1)));
        let mut server = kind.build(Role::Server, Box::new(StdRng::seed_from_u64(2)));
        let mut wire = Vec::with_capacity(PACKET + 32);
        group.bench_function(format!("{kind:?}"), |b| {
            b.iter(|| {
                wire.clear();
                client.pack(black_box(&payload), &mut wire).unwrap();
                black_box(server.unpack(&wire).unwrap());
            })
        });
    }
    group.finish();
}

/// Client and server pipelines for `mode`, already handshaken.
fn pair(mode: ClientMode, config: AcceptConfig) -> (Pipeline, Pipeline) {
    let now = 1_700_000_000;
    let mut rng = StdRng::seed_from_u64(3);
    let (first, connecting) =
        connect(&mut rng, mode, now, Box::new(StdRng::seed_from_u64(4))).unwrap();
    let mut acceptor = Acceptor::new(config, Box::new(StdRng::seed_from_u64(5)));
    let mut reply = Vec::new();
    let accepted = acceptor.feed(&mut rng, &first, now, &mut reply).unwrap();
    match connecting {
        Connecting::Ready(client) => (client, accepted.unwrap().pipeline),
        Connecting::AwaitingServerHello(mut pending) => {
            let (second, client) = pending.feed(&reply).unwrap().unwrap();
            let server = acceptor.feed(&mut rng, &second, now, &mut reply).unwrap();
            (client, server.unwrap().pipeline)
        }
    }
}

fn pipelines(c: &mut Criterion) {
    let mut group = c.benchmark_group("pipeline_client_to_server_64KiB");
    group.throughput(Throughput::Bytes(PACKET as u64));
    let payload = vec![0xa5u8; PACKET];
    let key = *b"0123456789abcdef";
    let tls = MtProxySecret::FakeTls {
        key,
        domain: "example.com".into(),
    };
    let modes = [
        (
            "obfuscated_abridged",
            ClientMode::Obfuscated {
                tag: ProtocolTag::Abridged,
                dc: DcId::new(2),
            },
            AcceptConfig::dc(),
        ),
        (
            "fake_tls",
            ClientMode::MtProxy {
                secret: tls.clone(),
                tag: ProtocolTag::PaddedIntermediate,
                dc: DcId::new(2),
            },
            AcceptConfig::proxy(tls),
        ),
    ];
    for (name, mode, config) in modes {
        let (mut client, mut server) = pair(mode, config);
        let mut wire = Vec::with_capacity(PACKET + 64);
        group.bench_function(name, |b| {
            b.iter(|| {
                wire.clear();
                client.send(black_box(&payload), &mut wire).unwrap();
                server.feed(&wire).unwrap();
                black_box(server.next_frame().unwrap());
            })
        });
    }
    group.finish();
}

fn handshakes(c: &mut Criterion) {
    let mut rng = StdRng::seed_from_u64(6);
    c.bench_function("obfuscated2_client_header", |b| {
        b.iter(|| {
            client_handshake(&mut rng, ProtocolTag::Intermediate, DcId::new(2), None).unwrap()
        })
    });
    let mut rng = StdRng::seed_from_u64(7);
    c.bench_function("fake_tls_client_hello", |b| {
        b.iter_batched(
            || (),
            |_| build_client_hello(&mut rng, b"0123456789abcdef", "example.com", 1).unwrap(),
            BatchSize::SmallInput,
        )
    });
}

criterion_group!(benches, framing, pipelines, handshakes);
criterion_main!(benches);
