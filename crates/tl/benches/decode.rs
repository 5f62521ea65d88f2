//! Decoding a realistic `messages.messages` (100 messages with entities,
//! replies, photos and documents; 20 users; 5 chats).

#[path = "../tests/fixtures/mod.rs"]
mod fixtures;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use hearth_tl::{enums, Deserializable, Serializable};
use std::hint::black_box;

fn decode(c: &mut Criterion) {
    let value = fixtures::messages(100);
    let bytes = value.to_bytes();
    let mut group = c.benchmark_group("decode");
    group.throughput(Throughput::Bytes(bytes.len() as u64));
    group.bench_function("messages.messages/100", |b| {
        b.iter(|| enums::messages::Messages::from_bytes(black_box(&bytes)))
    });
    group.bench_function("messages.messages/100 encode", |b| {
        b.iter(|| black_box(&value).to_bytes())
    });
    group.finish();
}

criterion_group!(benches, decode);
criterion_main!(benches);
