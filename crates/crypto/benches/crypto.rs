//! Criterion benchmarks: AES-256-IGE and AES-256-CTR on 16 KiB and 1 MiB; IGE
//! decryption and the msg_key's SHA-256 as two passes and fused into one; the
//! encrypt+decrypt path of one ~1 KiB MTProto 2.0 message and the in-place
//! decryption of a 1 MiB one (a file part).

use criterion::{criterion_group, criterion_main, BatchSize, BenchmarkId, Criterion, Throughput};
use rand::SeedableRng;

use hearth_crypto::hash::sha256;
use hearth_crypto::ige_sha::Job;
use hearth_crypto::message::{
    decrypt, decrypt_in_place, decrypt_in_place_pair, encrypt, encrypt_parts_pair, Side,
};
use hearth_crypto::{
    decrypt_ige, decrypt_ige_sha256, decrypt_ige_sha256_pair, encrypt_ige, Aes256Ctr, AuthKey,
};

const SIZES: [usize; 2] = [16 * 1024, 1024 * 1024];

fn ige(c: &mut Criterion) {
    let key = [0x42u8; 32];
    let iv = [0x24u8; 32];
    let mut group = c.benchmark_group("aes256_ige");
    for size in SIZES {
        let mut buf = vec![0x5au8; size];
        group.throughput(Throughput::Bytes(size as u64));
        group.bench_with_input(BenchmarkId::new("encrypt", size), &size, |b, _| {
            b.iter(|| encrypt_ige(&mut buf, &key, &iv).expect("aligned"))
        });
        group.bench_with_input(BenchmarkId::new("decrypt", size), &size, |b, _| {
            b.iter(|| decrypt_ige(&mut buf, &key, &iv).expect("aligned"))
        });
    }
    group.finish();
}

fn ige_sha256(c: &mut Criterion) {
    let key = [0x42u8; 32];
    let iv = [0x24u8; 32];
    let prefix = [0x11u8; 32];
    let mut group = c.benchmark_group("aes256_ige_decrypt_sha256");
    for size in SIZES {
        let mut buf = vec![0x5au8; size];
        group.throughput(Throughput::Bytes(size as u64));
        group.bench_with_input(BenchmarkId::new("two_passes", size), &size, |b, _| {
            b.iter(|| {
                decrypt_ige(&mut buf, &key, &iv).expect("aligned");
                sha256(&[&prefix, &buf])
            })
        });
        group.bench_with_input(BenchmarkId::new("fused", size), &size, |b, _| {
            b.iter(|| decrypt_ige_sha256(&mut buf, &key, &iv, &prefix).expect("aligned"))
        });
        // Two messages of `size` bytes each, so its throughput is twice the
        // group's figure; compare with twice `fused`'s time.
        let mut other = vec![0xa5u8; size];
        group.bench_with_input(BenchmarkId::new("fused_pair_of", size), &size, |b, _| {
            b.iter(|| {
                let job = |data| Job {
                    data,
                    key: &key,
                    iv: &iv,
                    prefix: &prefix,
                };
                let (x, y) = decrypt_ige_sha256_pair(job(&mut buf), job(&mut other));
                (x.expect("aligned"), y.expect("aligned"))
            })
        });
    }
    group.finish();
}

fn ctr(c: &mut Criterion) {
    let key = [0x42u8; 32];
    let iv = [0x24u8; 16];
    let mut group = c.benchmark_group("aes256_ctr");
    for size in SIZES {
        let mut buf = vec![0x5au8; size];
        group.throughput(Throughput::Bytes(size as u64));
        group.bench_with_input(BenchmarkId::new("apply_keystream", size), &size, |b, _| {
            b.iter(|| Aes256Ctr::new(&key, &iv).apply_keystream(&mut buf))
        });
    }
    group.finish();
}

fn message(c: &mut Criterion) {
    let key = AuthKey::from_bytes(core::array::from_fn(|i| i as u8));
    let mut plaintext = vec![0u8; 32];
    plaintext[28..32].copy_from_slice(&1000u32.to_le_bytes());
    plaintext.extend_from_slice(&[0x77; 1000]);
    let mut rng = rand::rngs::StdRng::seed_from_u64(1);
    let mut group = c.benchmark_group("mtproto_message");
    group.throughput(Throughput::Bytes(plaintext.len() as u64));
    group.bench_function("encrypt_decrypt_1KiB", |b| {
        b.iter(|| {
            let wire = encrypt(Side::Client, &key, &plaintext, &mut rng);
            decrypt(Side::Server, &key, &wire).expect("round trip")
        })
    });
    let mut body = vec![0u8; 32];
    body[28..32].copy_from_slice(&(1u32 << 20).to_le_bytes());
    body.resize(32 + (1 << 20), 0x77);
    let wire = encrypt(Side::Server, &key, &body, &mut rng);
    group.throughput(Throughput::Bytes(body.len() as u64));
    group.bench_function("decrypt_in_place_1MiB", |b| {
        b.iter_batched_ref(
            || wire.clone(),
            |buf| decrypt_in_place(Side::Client, &key, buf).map(|p| p.len()),
            BatchSize::LargeInput,
        )
    });
    // Pairs: two messages per iteration, so compare with twice the single
    // figures.
    let other = encrypt(Side::Server, &key, &body, &mut rng);
    group.bench_function("decrypt_in_place_pair_of_1MiB", |b| {
        b.iter_batched_ref(
            || (wire.clone(), other.clone()),
            |(x, y)| {
                let (p, q) = decrypt_in_place_pair(Side::Client, &key, x, y);
                (p.map(|p| p.len()), q.map(|q| q.len()))
            },
            BatchSize::LargeInput,
        )
    });
    group.bench_function("encrypt_1MiB", |b| {
        b.iter(|| encrypt(Side::Server, &key, &body, &mut rng))
    });
    group.bench_function("encrypt_pair_of_1MiB", |b| {
        b.iter(|| encrypt_parts_pair(Side::Server, &key, &[&body], &[&body], &mut rng))
    });
    group.finish();
}

criterion_group!(benches, ige, ige_sha256, ctr, message);
criterion_main!(benches);
