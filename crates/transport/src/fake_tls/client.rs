//! Client side of the fake-TLS handshake.
//!
//! The ClientHello imitates a common browser's TLS 1.3 hello (GREASE
//! values, the usual extensions, an x25519 key share) padded to 517 bytes,
//! the size proxies expect (`16 03 01 02 00` record header).

use hmac::Mac;
use rand_core::CryptoRng;
use zeroize::Zeroize;

use super::record::{next_record, TYPE_APP_DATA, TYPE_CCS, TYPE_HANDSHAKE};
use super::{hmac_with_zeroed_random, RANDOM_AT, RANDOM_LEN};
use crate::error::TransportError;
use crate::mtproxy::is_host_name;

/// Total size of the ClientHello record.
pub const CLIENT_HELLO_LEN: usize = 517;

/// A ClientHello ready to send, with the random needed to check the reply.
pub struct ClientHello {
    /// The whole record.
    pub bytes: Vec<u8>,
    /// Its 32-byte random, the HMAC prefix of the server's answer.
    pub random: [u8; RANDOM_LEN],
}

impl std::fmt::Debug for ClientHello {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ClientHello")
            .field("len", &self.bytes.len())
            .finish_non_exhaustive()
    }
}

/// A GREASE value (RFC 8701): `0x?a?a` with both nibbles equal.
fn grease(rng: &mut impl CryptoRng) -> [u8; 2] {
    let b = (rng.next_u32() as u8 & 0xf0) | 0x0a;
    [b, b]
}

fn put_u16(out: &mut Vec<u8>, v: usize) {
    out.extend_from_slice(&(v as u16).to_be_bytes());
}

/// Appends an extension: type, length, body.
fn ext(out: &mut Vec<u8>, kind: [u8; 2], body: &[u8]) {
    out.extend_from_slice(&kind);
    put_u16(out, body.len());
    out.extend_from_slice(body);
}

/// Builds the extension list (without padding).
fn extensions(rng: &mut impl CryptoRng, domain: &str, g: [[u8; 2]; 4]) -> Vec<u8> {
    let mut e = Vec::with_capacity(400);
    ext(&mut e, g[0], &[]);
    let mut sni = Vec::new();
    put_u16(&mut sni, domain.len() + 3);
    sni.push(0); // host_name
    put_u16(&mut sni, domain.len());
    sni.extend_from_slice(domain.as_bytes());
    ext(&mut e, [0x00, 0x00], &sni);
    ext(&mut e, [0x00, 0x17], &[]); // extended_master_secret
    ext(&mut e, [0xff, 0x01], &[0x00]); // renegotiation_info
    let groups = [g[1][0], g[1][1], 0x00, 0x1d, 0x00, 0x17, 0x00, 0x18];
    ext(&mut e, [0x00, 0x0a], &[&[0x00, 0x08][..], &groups].concat()); // supported_groups
    ext(&mut e, [0x00, 0x0b], &[0x01, 0x00]); // ec_point_formats
    ext(&mut e, [0x00, 0x23], &[]); // session_ticket
    let alpn = b"\x00\x0c\x02h2\x08http/1.1";
    ext(&mut e, [0x00, 0x10], alpn);
    ext(&mut e, [0x00, 0x05], &[0x01, 0x00, 0x00, 0x00, 0x00]); // status_request
    let sigalgs = [
        0x00, 0x10, 0x04, 0x03, 0x08, 0x04, 0x04, 0x01, 0x05, 0x03, 0x08, 0x05, 0x05, 0x01, 0x08,
        0x06, 0x06, 0x01,
    ];
    ext(&mut e, [0x00, 0x0d], &sigalgs); // signature_algorithms
    ext(&mut e, [0x00, 0x12], &[]); // signed_certificate_timestamp
    let mut share = [0u8; 32];
    rng.fill_bytes(&mut share);
    share[31] &= 0x7f; // x25519 public keys have the top bit clear
    let mut ks = vec![
        0x00, 0x29, g[1][0], g[1][1], 0x00, 0x01, 0x00, 0x00, 0x1d, 0x00, 0x20,
    ];
    ks.extend_from_slice(&share);
    ext(&mut e, [0x00, 0x33], &ks); // key_share
    ext(&mut e, [0x00, 0x2d], &[0x01, 0x01]); // psk_key_exchange_modes
    let versions = [0x06, g[2][0], g[2][1], 0x03, 0x04, 0x03, 0x03];
    ext(&mut e, [0x00, 0x2b], &versions); // supported_versions
    ext(&mut e, [0x00, 0x1b], &[0x02, 0x00, 0x02]); // compress_certificate
    ext(&mut e, g[3], &[0x00]);
    e
}

/// Builds a ClientHello for `domain` authenticated with `key` at
/// `unix_time`. Fails if the domain is not a host name or is too long to
/// fit the 517-byte hello.
pub fn build_client_hello(
    rng: &mut impl CryptoRng,
    key: &[u8; 16],
    domain: &str,
    unix_time: u32,
) -> Result<ClientHello, TransportError> {
    if !is_host_name(domain) {
        return Err(TransportError::FakeTls(
            "the proxy's domain is not a valid host name",
        ));
    }
    let mut g = [grease(rng), grease(rng), grease(rng), grease(rng)];
    if g[0] == g[3] {
        g[3][0] ^= 0x10;
        g[3][1] ^= 0x10;
    }
    let mut body = vec![0x03, 0x03];
    body.extend_from_slice(&[0; RANDOM_LEN]);
    let mut session_id = [0u8; 32];
    rng.fill_bytes(&mut session_id);
    body.push(32);
    body.extend_from_slice(&session_id);
    let suites: [u8; 30] = [
        g[2][0], g[2][1], 0x13, 0x01, 0x13, 0x02, 0x13, 0x03, 0xc0, 0x2b, 0xc0, 0x2f, 0xc0, 0x2c,
        0xc0, 0x30, 0xcc, 0xa9, 0xcc, 0xa8, 0xc0, 0x13, 0xc0, 0x14, 0x00, 0x9c, 0x00, 0x9d, 0x00,
        0x2f,
    ];
    put_u16(&mut body, suites.len());
    body.extend_from_slice(&suites);
    body.extend_from_slice(&[0x01, 0x00]); // compression: null
    let mut exts = extensions(rng, domain, g);
    // record header 5 + handshake header 4 + body + ext length 2 + exts
    let unpadded = 5 + 4 + body.len() + 2 + exts.len();
    let padding = CLIENT_HELLO_LEN
        .checked_sub(unpadded + 4)
        .ok_or(TransportError::FakeTls(
            "the proxy's domain is too long for a fake-TLS hello",
        ))?;
    ext(&mut exts, [0x00, 0x15], &vec![0; padding]);
    put_u16(&mut body, exts.len());
    body.extend_from_slice(&exts);

    let mut bytes = Vec::with_capacity(CLIENT_HELLO_LEN);
    bytes.extend_from_slice(&[0x16, 0x03, 0x01]);
    put_u16(&mut bytes, body.len() + 4);
    bytes.push(0x01);
    bytes.extend_from_slice(&(body.len() as u32).to_be_bytes()[1..]);
    bytes.extend_from_slice(&body);

    let mut random: [u8; RANDOM_LEN] = hmac_with_zeroed_random(key, &[], &bytes)
        .finalize()
        .into_bytes()
        .into();
    for (r, t) in random[28..].iter_mut().zip(unix_time.to_le_bytes()) {
        *r ^= t;
    }
    bytes[RANDOM_AT..RANDOM_AT + RANDOM_LEN].copy_from_slice(&random);
    session_id.zeroize();
    Ok(ClientHello { bytes, random })
}

/// Checks the proxy's answer at the start of `input`: a ServerHello
/// handshake record, a change_cipher_spec and one application-data record,
/// authenticated by `HMAC(key, client_random || answer with zeroed random)`
/// (compared in constant time). Returns `Ok(None)` while incomplete, else
/// the number of bytes the answer took.
pub fn verify_server_hello(
    key: &[u8; 16],
    client_random: &[u8; RANDOM_LEN],
    input: &[u8],
) -> Result<Option<usize>, TransportError> {
    let mut at = 0;
    for expected in [TYPE_HANDSHAKE, TYPE_CCS, TYPE_APP_DATA] {
        let Some((kind, body, len)) = next_record(&input[at..])? else {
            return Ok(None);
        };
        if kind != expected {
            return Err(TransportError::FakeTls(
                "the proxy's answer is not a TLS ServerHello; the address may not be an MTProxy",
            ));
        }
        if at == 0 && (body.len() < RANDOM_AT + RANDOM_LEN - 5 || body[0] != 0x02) {
            return Err(TransportError::FakeTls("malformed ServerHello"));
        }
        at += len;
    }
    let answer = &input[..at];
    hmac_with_zeroed_random(key, client_random, answer)
        .verify_slice(&answer[RANDOM_AT..RANDOM_AT + RANDOM_LEN])
        .map_err(|_| {
            TransportError::FakeTls(
                "the proxy's ServerHello is not signed with this secret; check the proxy secret",
            )
        })?;
    Ok(Some(at))
}
