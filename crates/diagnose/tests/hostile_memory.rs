//! A diagnostics probe of a user-supplied address that answers
//! `req_pq_multi` with a decompression bomb (issue 14, "Hostile input:
//! memory"): nested `gzip_packed` that once unpacked 16 MiB per level, all
//! levels alive at once. A counting global allocator (this test binary only)
//! measures the peak bytes live during the probe; the verdict must say the
//! answer is not MTProto and why.

use std::alloc::{GlobalAlloc, Layout, System};
use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering::Relaxed};
use std::time::Duration;

use hearth_diagnose::networks::{DcEndpoint, NetworkKind};
use hearth_diagnose::{build_plan, run_sweep, Network, PlanOptions, ProbeConfig, Transport};
use hearth_mtproto::server::message::ServerMsgIds;
use hearth_mtproto::{plain, UnixTime};
use hearth_tl::mtproto::special::{GzipPacked, MAX_UNPACKED_SIZE};
use hearth_tl::Serializable;
use hearth_transport::framing::Frame;
use hearth_transport::{FramingKind, Role};
use rand::rngs::StdRng;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

struct Counting;

static CURRENT: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

fn grew(by: usize) {
    let now = CURRENT.fetch_add(by, Relaxed) + by;
    PEAK.fetch_max(now, Relaxed);
}

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let p = unsafe { System.alloc(layout) };
        if !p.is_null() {
            grew(layout.size());
        }
        p
    }
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        let p = unsafe { System.alloc_zeroed(layout) };
        if !p.is_null() {
            grew(layout.size());
        }
        p
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) };
        CURRENT.fetch_sub(layout.size(), Relaxed);
    }
    /// Counted as the change in size, as the system allocator resizes large
    /// blocks in place.
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let p = unsafe { System.realloc(ptr, layout, new_size) };
        if !p.is_null() {
            if new_size >= layout.size() {
                grew(new_size - layout.size());
            } else {
                CURRENT.fetch_sub(layout.size() - new_size, Relaxed);
            }
        }
        p
    }
}

#[global_allocator]
static ALLOC: Counting = Counting;

/// `levels` nested `gzip_packed` objects; each level's content is the next
/// level followed by zeros up to the old per-level limit of 16 MiB.
fn nested_bomb(levels: usize) -> Vec<u8> {
    let mut object = vec![0u8; 64];
    for _ in 0..levels {
        object.resize(MAX_UNPACKED_SIZE, 0);
        object = GzipPacked::pack(&object).to_bytes();
    }
    object
}

/// Answers every packet of every connection with `answer`, as an
/// unencrypted message over intermediate framing (hearth-transport's server
/// codec).
async fn hostile(answer: Vec<u8>) -> SocketAddr {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let addr = listener.local_addr().expect("addr");
    tokio::spawn(async move {
        while let Ok((mut s, _)) = listener.accept().await {
            let answer = answer.clone();
            tokio::spawn(async move {
                let rng: StdRng = rand::make_rng();
                let mut framing = FramingKind::Intermediate.build(Role::Server, Box::new(rng));
                let mut ids = ServerMsgIds::new();
                let mut tag = [0u8; 4];
                if s.read_exact(&mut tag).await.is_err() || tag != [0xee; 4] {
                    return;
                }
                let mut buf = Vec::new();
                let mut chunk = vec![0u8; 16 << 10];
                loop {
                    while let Ok(Some((frame, used))) = framing.unpack(&buf) {
                        buf.drain(..used);
                        if !matches!(frame, Frame::Packet { .. }) {
                            continue;
                        }
                        let message = plain::wrap(ids.next(UnixTime::now(), true), &answer);
                        let mut out = Vec::new();
                        if framing.pack(&message, &mut out).is_err()
                            || s.write_all(&out).await.is_err()
                        {
                            return;
                        }
                    }
                    match s.read(&mut chunk).await {
                        Ok(0) | Err(_) => return,
                        Ok(n) => buf.extend_from_slice(&chunk[..n]),
                    }
                }
            });
        }
    });
    addr
}

#[tokio::test]
async fn probe_of_an_address_answering_a_gzip_bomb_stays_small_and_says_why() {
    let bomb = nested_bomb(4);
    let addr = hostile(bomb).await;
    let net = Network {
        kind: NetworkKind::Local,
        endpoints: vec![DcEndpoint {
            dc_id: 2,
            ip: addr.ip(),
            port: addr.port(),
            media_only: false,
        }],
        fingerprints: vec![0x1234],
    };
    let options = PlanOptions {
        ipv4: true,
        ipv6: false,
        media: false,
        transports: vec![Transport::Intermediate],
    };
    let plan = build_plan(&net, &[], &options);
    assert_eq!(plan.len(), 1);
    let config = ProbeConfig {
        timeout: Duration::from_secs(4),
        fingerprints: net.fingerprints.clone(),
        test_network: false,
        ping: None,
    };
    let base = CURRENT.load(Relaxed);
    PEAK.store(base, Relaxed);
    let results = run_sweep(plan, config, 4).await;
    let peak = PEAK.load(Relaxed).saturating_sub(base);
    // Before the limits this probe held four 16 MiB levels at once.
    let bound = 8 << 20;
    assert!(
        peak < bound,
        "probe peaked at {} MiB live, more than {} MiB",
        peak >> 20,
        bound >> 20
    );
    let [result] = results.as_slice() else {
        panic!("one probe planned, {} results", results.len())
    };
    assert_eq!(result.verdict.code(), "not_mtproto");
    let text = result.verdict.explanation();
    assert!(text.contains("gzip_packed found where ResPQ"), "{text}");
}
