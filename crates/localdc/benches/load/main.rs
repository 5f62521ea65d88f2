//! Load tool for localdc (issue 5, point 7): small RPCs per second on ONE
//! connection, and `upload.getFile` MB/s next to the raw AES-256-IGE speed of
//! `hearth-crypto` measured in the same run. Run by `scripts/bench-localdc.sh`.
//!
//! Method: an in-process localdc (demo world) on loopback. `hearth-sender`
//! creates a permanent auth key on DC 2 and signs Alice in with it; then a
//! lean client ([`lean::Lean`]) opens a fresh connection with that key and
//! pipelines pre-encrypted requests with a window of unanswered ones; the
//! answers are framed and counted, a sample is decrypted and checked. The
//! client thus does a fraction of the server's work and the figure is the
//! server's. Both share the machine's cores (a 2-worker tokio runtime).
//!
//! Environment: `LOAD_RPCS` (default 200000), `LOAD_WINDOW` (256),
//! `LOAD_FILE_MIB` (32), `LOAD_FILE_PARTS` (256), `LOAD_FILE_WINDOW` (4),
//! `LOAD_ROUNDS` (3).

#[path = "../../tests/it/common/mod.rs"]
mod common;
mod lean;

use std::time::{Duration, Instant};

use hearth_tl::{enums, functions, types, Deserializable, Serializable};
use hearth_transport::FramingKind;

fn env(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

/// Best MB/s (10^6 bytes) of `op` on a 1 MiB buffer on one core.
fn mb_s(mut op: impl FnMut(&mut [u8])) -> f64 {
    let mut buf = vec![7u8; 1 << 20];
    let mut best = 0f64;
    for _ in 0..5 {
        let start = Instant::now();
        let mut n = 0;
        while start.elapsed() < Duration::from_millis(200) {
            op(&mut buf);
            n += 1;
        }
        best = best.max((n * buf.len()) as f64 / start.elapsed().as_secs_f64() / 1e6);
    }
    best
}

fn load() -> String {
    std::fs::read_to_string("/proc/loadavg").unwrap_or_default()
}

fn main() {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("tokio runtime");
    rt.block_on(run());
}

async fn run() {
    let rpcs = env("LOAD_RPCS", 200_000);
    let window = env("LOAD_WINDOW", 256);
    let file_mib = env("LOAD_FILE_MIB", 32);
    let parts = env("LOAD_FILE_PARTS", 256);
    let file_window = env("LOAD_FILE_WINDOW", 4);
    let rounds = env("LOAD_ROUNDS", 3).max(1);
    println!("load average before: {}", load().trim());

    let dc = common::start_demo().await;
    let (sender, session) =
        common::engine::connect_keyed(&dc, 2, FramingKind::Intermediate, false).await;
    let hash = common::engine::sent_code_hash(
        &sender
            .invoke_raw(common::engine::send_code("9996621234"))
            .await
            .expect("sendCode"),
    );
    sender
        .invoke_raw(common::engine::sign_in("9996621234", &hash, "22222"))
        .await
        .expect("signIn");
    drop(sender);
    let key_id = session.auth_key.key_id();
    let alice = dc
        .state()
        .auth_key(key_id, localdc::state::unix_now())
        .and_then(|k| k.user_id)
        .expect("the key is signed in");
    let addr = dc.dc_addr(2).expect("DC 2");

    let small: Vec<Vec<u8>> = vec![
        functions::help::GetNearestDc {}.to_bytes(),
        functions::updates::GetState {}.to_bytes(),
        hearth_tl::mtproto::functions::Ping { ping_id: 42 }.to_bytes(),
    ];
    let mut rates = Vec::new();
    for round in 0..rounds {
        let mut client = lean::Lean::connect(addr, session.auth_key.clone(), session.salt).await;
        let state = client.call(&small[1]).await;
        assert!(
            enums::updates::State::from_bytes(&state).is_ok(),
            "getState answers a state"
        );
        let out = client.pipeline(&small, rpcs, window).await;
        assert_eq!(out.answers, rpcs);
        assert_eq!(out.samples.len(), 3, "sampled answers are rpc_results");
        for (_, result) in &out.samples {
            assert_ne!(
                result.get(..4),
                Some(&0x2144ca19u32.to_le_bytes()[..]),
                "not rpc_error"
            );
        }
        let rate = out.answers as f64 / out.elapsed.as_secs_f64();
        println!(
            "small RPCs round {round}: {} answers in {:.3} s = {rate:.0} RPC/s (window {window}, {} answer bytes)",
            out.answers,
            out.elapsed.as_secs_f64(),
            out.answer_bytes
        );
        rates.push(rate);
    }

    // A document of `file_mib` MiB stored on DC 2, owned by Alice.
    let size = file_mib << 20;
    // Random, hence incompressible, like real media.
    let mut bytes = vec![0u8; size];
    rand::RngExt::fill(&mut rand::rng(), &mut bytes[..]);
    let doc = {
        let mut files = dc.state().files();
        for (n, part) in bytes.chunks(512 * 1024).enumerate() {
            files
                .save_part(
                    alice,
                    1,
                    n as i32,
                    Some((size / (512 * 1024)) as i32),
                    part.to_vec(),
                )
                .expect("part accepted");
        }
        let meta = (2, 0, "application/octet-stream".into(), "load.bin".into());
        files
            .finish(alice, 1, (size / (512 * 1024)) as i32, meta, |id| {
                id ^ 0x5a5a
            })
            .expect("document assembled")
    };
    let reference = dc
        .state()
        .file_reference(localdc::file_ref::Kind::Document, doc.id);
    let get = |offset: usize| {
        functions::upload::GetFile {
            precise: false,
            cdn_supported: false,
            location: enums::InputFileLocation::InputDocumentFileLocation(
                types::InputDocumentFileLocation {
                    id: doc.id,
                    // Each account is given its own hash of a document.
                    access_hash: localdc::rpc::media::viewer_hash(doc.access_hash, alice),
                    file_reference: reference.clone(),
                    thumb_size: String::new(),
                },
            ),
            offset: offset as i64,
            limit: 1 << 20,
        }
        .to_bytes()
    };
    let requests: Vec<Vec<u8>> = (0..file_mib).map(|i| get(i << 20)).collect();
    let mut file_rates = Vec::new();
    for round in 0..rounds {
        let mut client = lean::Lean::connect(addr, session.auth_key.clone(), session.salt).await;
        let first = client.call(&requests[0]).await;
        let Ok(enums::upload::File::File(f)) = enums::upload::File::from_bytes(&first) else {
            panic!(
                "upload.getFile answers upload.file, not {:02x?}",
                &first[..first.len().min(64)]
            )
        };
        assert_eq!(f.bytes, bytes[..1 << 20], "first part byte for byte");
        let out = client.pipeline(&requests, parts, file_window).await;
        assert_eq!(out.answers, parts);
        for (_, body) in &out.samples {
            let Ok(enums::upload::File::File(f)) = enums::upload::File::from_bytes(body) else {
                panic!("upload.getFile answers upload.file")
            };
            assert_eq!(f.bytes.len(), 1 << 20);
        }
        assert!(out.answer_bytes >= parts << 20, "parts arrive uncompressed");
        let mb_s = (parts << 20) as f64 / out.elapsed.as_secs_f64() / 1e6;
        println!(
            "getFile round {round}: {parts} x 1 MiB in {:.3} s = {mb_s:.1} MB/s (window {file_window})",
            out.elapsed.as_secs_f64()
        );
        file_rates.push(mb_s);
    }
    let (key, iv) = ([1u8; 32], [2u8; 32]);
    let ige = mb_s(|b| hearth_crypto::ige::encrypt_ige(b, &key, &iv).expect("aligned"));
    let sha = mb_s(|b| b[0] = hearth_crypto::hash::sha256(&[b])[0]);
    // Every answer needs its msg_key (SHA-256 over the plaintext) and AES-IGE.
    let bound = 1.0 / (1.0 / ige + 1.0 / sha);
    println!("== summary");
    println!(
        "small RPCs on one connection: median {:.0} RPC/s, best {:.0} (target >= 50000)",
        median(rates.clone()),
        rates.iter().copied().fold(0., f64::max)
    );
    let fm = median(file_rates.clone());
    println!(
        "upload.getFile: median {fm:.1} MB/s, best {:.1}; raw AES-256-IGE on one core {ige:.1} MB/s (ratio {:.2})",
        file_rates.iter().copied().fold(0., f64::max),
        fm / ige
    );
    println!(
        "  SHA-256 on one core {sha:.1} MB/s; MTProto's floor per answer byte (SHA-256 + AES-IGE) allows {bound:.1} MB/s (ratio {:.2})",
        fm / bound
    );
    println!("load average after: {}", load().trim());
    dc.shutdown().await;
}
