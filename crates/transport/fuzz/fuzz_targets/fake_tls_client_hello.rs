//! The proxy's check of a ClientHello. Inputs are signed here with the
//! proxy key first (when long enough), so the fuzzer reaches the parsing
//! behind the HMAC check instead of stopping at it.
#![no_main]

use hearth_transport::fake_tls::{verify_client_hello, TimeWindow, RANDOM_AT, RANDOM_LEN};
use hmac::{Hmac, KeyInit, Mac};
use libfuzzer_sys::fuzz_target;
use sha2::Sha256;

const KEY: [u8; 16] = *b"0123456789abcdef";
const NOW: u32 = 1_700_000_000;

fuzz_target!(|data: &[u8]| {
    let window = TimeWindow::default();
    let _ = verify_client_hello(&KEY, Some("example.com"), data, NOW, window);
    if data.len() < RANDOM_AT + RANDOM_LEN {
        return;
    }
    let mut hello = data.to_vec();
    hello[RANDOM_AT..RANDOM_AT + RANDOM_LEN].fill(0);
    let mut mac = <Hmac<Sha256> as KeyInit>::new_from_slice(&KEY).unwrap();
    mac.update(&hello);
    let mut random: [u8; 32] = mac.finalize().into_bytes().into();
    for (r, t) in random[28..].iter_mut().zip(NOW.to_le_bytes()) {
        *r ^= t;
    }
    hello[RANDOM_AT..RANDOM_AT + RANDOM_LEN].copy_from_slice(&random);
    if let Ok(Some((verified, used))) = verify_client_hello(&KEY, None, &hello, NOW, window) {
        assert!(used <= hello.len());
        assert_eq!(verified.timestamp, NOW);
        assert!(verified.session_id.len() <= 32);
    }
});
