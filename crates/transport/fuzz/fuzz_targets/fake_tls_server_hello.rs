//! The client's check of a proxy's ServerHello and the record reader, on
//! arbitrary bytes. A forged answer must never verify.
#![no_main]

use hearth_transport::fake_tls::{verify_server_hello, RecordReader};
use libfuzzer_sys::fuzz_target;

const KEY: [u8; 16] = *b"0123456789abcdef";

fuzz_target!(|data: &[u8]| {
    let random = [7u8; 32];
    if let Ok(Some(used)) = verify_server_hello(&KEY, &random, data) {
        panic!("forged ServerHello of {used} bytes verified");
    }
    let mut out = Vec::new();
    if let Ok(used) = RecordReader::new().unwrap(data, &mut out) {
        assert!(used <= data.len() && out.len() <= used);
    }
});
