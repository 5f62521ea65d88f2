//! Server-side recognition of arbitrary connection openings: detection,
//! obfuscated2 header parsing (with and without a secret) and the whole
//! acceptor, fed in two pieces.
#![no_main]

use hearth_transport::detect::detect;
use hearth_transport::obfuscated::{server_handshake, HEADER_LEN};
use hearth_transport::{AcceptConfig, Acceptor, MtProxySecret};
use libfuzzer_sys::fuzz_target;
use rand::rngs::StdRng;
use rand::SeedableRng;

const KEY: [u8; 16] = *b"0123456789abcdef";

fuzz_target!(|data: &[u8]| {
    let _ = detect(data);
    if let Some(header) = data.get(..HEADER_LEN) {
        let header: &[u8; HEADER_LEN] = header.try_into().unwrap();
        let _ = server_handshake(header, None);
        let _ = server_handshake(header, Some(&KEY));
    }
    let split = data.first().map_or(0, |&b| usize::from(b)).min(data.len());
    let configs = [
        AcceptConfig::dc(),
        AcceptConfig::proxy(MtProxySecret::Padded(KEY)),
        AcceptConfig::proxy(MtProxySecret::FakeTls { key: KEY, domain: "example.com".into() }),
    ];
    for config in configs {
        let mut acceptor = Acceptor::new(config, Box::new(StdRng::seed_from_u64(1)));
        let mut rng = StdRng::seed_from_u64(2);
        let mut out = Vec::new();
        let first = acceptor.feed(&mut rng, &data[..split], 1_700_000_000, &mut out);
        if let Ok(None) = first {
            if let Ok(Some(mut accepted)) =
                acceptor.feed(&mut rng, &data[split..], 1_700_000_000, &mut out)
            {
                while let Ok(Some(_)) = accepted.pipeline.next_frame() {}
            }
        }
    }
});
