//! Prints AES-256-IGE and AES-256-CTR throughput in MB/s (10^6 bytes per
//! second of this thread's CPU time), measured exactly like
//! `bench/tgcrypto/tgcrypto_throughput.py` measures TgCrypto: for each size,
//! repeat the operation on one buffer until at least `MIN_SECONDS` of thread
//! CPU time (CLOCK_THREAD_CPUTIME_ID, as Python's `time.thread_time`) have
//! passed, take the best of `ROUNDS` such runs. CPU time rather than wall
//! time keeps other processes on a shared machine out of the figures.
//! Output lines: `<op> <size> <MB/s>`.
//!
//! Run by `scripts/bench-crypto.sh`; build with `--release`.

use hearth_crypto::{decrypt_ige, encrypt_ige, Aes256Ctr};

const ROUNDS: usize = 40;
const MIN_SECONDS: f64 = 0.025;

/// Seconds of CPU time consumed by the calling thread.
fn thread_cpu_seconds() -> f64 {
    let mut ts = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: `ts` is a valid, writable timespec for the duration of the call.
    let rc = unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut ts) };
    assert_eq!(rc, 0, "clock_gettime(CLOCK_THREAD_CPUTIME_ID) failed");
    ts.tv_sec as f64 + ts.tv_nsec as f64 * 1e-9
}

fn measure(size: usize, mut op: impl FnMut(&mut [u8])) -> f64 {
    let mut buf: Vec<u8> = (0..size).map(|i| (i * 7 + 1) as u8).collect();
    let mut best = 0f64;
    for _ in 0..ROUNDS {
        let start = thread_cpu_seconds();
        let mut iterations = 0u64;
        while thread_cpu_seconds() - start < MIN_SECONDS {
            op(&mut buf);
            iterations += 1;
        }
        let secs = thread_cpu_seconds() - start;
        best = best.max(iterations as f64 * size as f64 / secs / 1e6);
    }
    std::hint::black_box(&buf);
    best
}

fn main() {
    let key = [0x42u8; 32];
    let iv32 = [0x24u8; 32];
    let iv16 = [0x24u8; 16];
    for size in [16 * 1024, 1024 * 1024] {
        let enc = measure(size, |b| encrypt_ige(b, &key, &iv32).expect("aligned"));
        println!("ige256_encrypt {size} {enc:.1}");
        let dec = measure(size, |b| decrypt_ige(b, &key, &iv32).expect("aligned"));
        println!("ige256_decrypt {size} {dec:.1}");
        let ctr = measure(size, |b| Aes256Ctr::new(&key, &iv16).apply_keystream(b));
        println!("ctr256_encrypt {size} {ctr:.1}");
    }
}
