//! Session throughput: one request through `poll_outgoing`, the server half's
//! decryption, an encrypted `rpc_result` back and `handle_incoming`; plus
//! the inbound path alone for a 4 KiB answer.

use criterion::{criterion_group, criterion_main, BatchSize, Criterion};
use hearth_mtproto::server::message::{open, rpc_result, seal, split_container, ServerMsgIds};
use hearth_mtproto::{AuthKey, Session, SessionConfig, UnixTime};
use rand::rngs::StdRng;
use rand::SeedableRng;

fn key() -> AuthKey {
    AuthKey::from_bytes(core::array::from_fn(|i| (i * 7 + 3) as u8))
}

fn session() -> Session {
    let config = SessionConfig {
        app: None,
        ..SessionConfig::default()
    };
    Session::new(key(), 1, 0, config, Box::new(StdRng::seed_from_u64(1)))
}

fn roundtrip(c: &mut Criterion) {
    let now = UnixTime::from_secs(1_700_000_000);
    let request = vec![0x11u8; 64];
    let mut rng = StdRng::seed_from_u64(2);
    c.bench_function("request_and_answer_roundtrip_64B", |b| {
        let mut s = session();
        let mut ids = ServerMsgIds::new();
        b.iter(|| {
            s.enqueue(request.clone());
            let out = s.poll_outgoing(now).expect("payload");
            let plain = open(&key(), &out).expect("decrypts");
            // The request is the last message (after the ack of the previous answer).
            let msgs = split_container(&plain).expect("container");
            let (req_id, _, _) = msgs.last().expect("request");
            let answer = rpc_result(*req_id, &[0u8; 64]);
            let p = seal(
                &key(),
                1,
                s.session_id(),
                ids.next(now, true),
                1,
                &answer,
                &mut rng,
            );
            let ev = s.handle_incoming(now, &p).expect("accepted");
            assert_eq!(ev.len(), 1);
        });
    });

    c.bench_function("handle_incoming_update_4KiB", |b| {
        let mut ids = ServerMsgIds::new();
        b.iter_batched(
            || {
                let s = session();
                let p = seal(
                    &key(),
                    1,
                    s.session_id(),
                    ids.next(now, false),
                    1,
                    &[7u8; 4096],
                    &mut rng,
                );
                (s, p)
            },
            |(mut s, p)| s.handle_incoming(now, &p).expect("accepted"),
            BatchSize::SmallInput,
        );
    });
}

criterion_group!(benches, roundtrip);
criterion_main!(benches);
