//! MTProxy fake-TLS (`ee` secrets): the connection opens with a TLS
//! 1.3-looking handshake authenticated by HMAC-SHA256 under the proxy key,
//! then carries the obfuscated2 stream in application-data records
//! (core.telegram.org/mtproto/mtproto-proxy).
//!
//! Handshake, with `K` the 16-byte secret key:
//! - the client sends a ClientHello record whose 32-byte random (bytes
//!   11..43) is `HMAC(K, hello with zeroed random)`, its last 4 bytes XORed
//!   with the little-endian unix time;
//! - the server answers ServerHello + change_cipher_spec + one
//!   application-data record; its random (also bytes 11..43) is
//!   `HMAC(K, client random || answer with zeroed random)`.
//!
//! [`client`] builds and checks the client's side, [`server`] the proxy's
//! (for tests and our DC emulator), [`record`] the record layer.

pub mod client;
pub mod record;
pub mod server;

pub use client::{build_client_hello, verify_server_hello, ClientHello};
pub use record::{RecordReader, RecordWriter, MAX_RECORD_PAYLOAD, MAX_RECORD_READ};
pub use server::{build_server_hello, verify_client_hello, TimeWindow, VerifiedClientHello};

use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;

/// Offset of the 32-byte random in ClientHello and ServerHello records
/// (5 record header + 4 handshake header + 2 version bytes).
pub const RANDOM_AT: usize = 11;
/// Length of the TLS random.
pub const RANDOM_LEN: usize = 32;

/// `HMAC-SHA256(key, parts…)` where `zeroed` is a record whose random is
/// hashed as zeros.
fn hmac_with_zeroed_random(key: &[u8; 16], prefix: &[u8], record: &[u8]) -> Hmac<Sha256> {
    // A 16-byte key is always a valid HMAC key; the fallback is unreachable
    // but keeps this path free of panics.
    let mut mac = <Hmac<Sha256> as KeyInit>::new_from_slice(key)
        .unwrap_or_else(|_| <Hmac<Sha256> as KeyInit>::new(&Default::default()));
    mac.update(prefix);
    mac.update(&record[..RANDOM_AT]);
    mac.update(&[0u8; RANDOM_LEN]);
    mac.update(&record[RANDOM_AT + RANDOM_LEN..]);
    mac
}

#[cfg(test)]
mod tests;
