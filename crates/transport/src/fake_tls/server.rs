//! Proxy side of the fake-TLS handshake: checks a ClientHello and answers
//! it. Lets tests and our DC emulator play an MTProxy.

use hmac::Mac;
use rand_core::CryptoRng;
use subtle::ConstantTimeEq;

use super::record::{next_record, CHANGE_CIPHER_SPEC, TYPE_HANDSHAKE};
use super::{hmac_with_zeroed_random, RANDOM_AT, RANDOM_LEN};
use crate::error::TransportError;

/// How far a client's clock may be from ours, in seconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TimeWindow {
    /// Largest accepted age of the client's timestamp.
    pub past: u32,
    /// Largest accepted lead of the client's timestamp.
    pub future: u32,
}

impl Default for TimeWindow {
    /// 20 minutes behind to 10 minutes ahead, as deployed proxies accept.
    fn default() -> Self {
        Self {
            past: 20 * 60,
            future: 10 * 60,
        }
    }
}

/// What the proxy learns from an authentic ClientHello.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifiedClientHello {
    /// The client's random, prefix of the answer's HMAC; its first 16 bytes
    /// serve replay detection.
    pub random: [u8; RANDOM_LEN],
    /// Session id to echo in the ServerHello.
    pub session_id: Vec<u8>,
    /// The client's unix time.
    pub timestamp: u32,
    /// The server_name extension, if present.
    pub sni: Option<String>,
}

/// Bounds-checked reader over a handshake body.
struct Cursor<'a>(&'a [u8]);

impl<'a> Cursor<'a> {
    fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        let (head, rest) = (self.0.get(..n)?, self.0.get(n..)?);
        self.0 = rest;
        Some(head)
    }
    fn u8(&mut self) -> Option<usize> {
        self.take(1).map(|b| usize::from(b[0]))
    }
    fn u16(&mut self) -> Option<usize> {
        self.take(2)
            .map(|b| usize::from(u16::from_be_bytes([b[0], b[1]])))
    }
}

/// Parses session id and SNI from a ClientHello record (None: malformed).
fn parse_hello(record: &[u8]) -> Option<(Vec<u8>, Option<String>)> {
    let mut c = Cursor(record.get(RANDOM_AT + RANDOM_LEN..)?);
    let sid_len = c.u8()?;
    if sid_len > 32 {
        return None;
    }
    let session_id = c.take(sid_len)?.to_vec();
    let suites = c.u16()?;
    c.take(suites)?;
    let compression = c.u8()?;
    c.take(compression)?;
    let mut sni = None;
    if let Some(len) = c.u16() {
        let mut exts = Cursor(c.take(len)?);
        while let Some(kind) = exts.u16() {
            let len = exts.u16()?;
            let mut body = Cursor(exts.take(len)?);
            if kind == 0 {
                let _list = body.u16()?;
                if body.u8()? == 0 {
                    let name_len = body.u16()?;
                    sni = Some(String::from_utf8(body.take(name_len)?.to_vec()).ok()?);
                }
            }
        }
    }
    Some((session_id, sni))
}

/// Checks the ClientHello record at the start of `input` against `key`, the
/// expected SNI `domain` (if given) and the clock `now` within `window`.
/// Returns `Ok(None)` while incomplete, else the hello and its length.
pub fn verify_client_hello(
    key: &[u8; 16],
    domain: Option<&str>,
    input: &[u8],
    now: u32,
    window: TimeWindow,
) -> Result<Option<(VerifiedClientHello, usize)>, TransportError> {
    if input.len() >= 3 && input[..3] != [TYPE_HANDSHAKE, 0x03, 0x01] {
        return Err(TransportError::FakeTls("not a TLS ClientHello record"));
    }
    let Some((_, body, len)) = next_record(input)? else {
        return Ok(None);
    };
    let record = &input[..len];
    if body.len() < RANDOM_AT + RANDOM_LEN - 5 || body[0] != 0x01 {
        return Err(TransportError::FakeTls("malformed ClientHello"));
    }
    let mut random = [0u8; RANDOM_LEN];
    random.copy_from_slice(&record[RANDOM_AT..RANDOM_AT + RANDOM_LEN]);
    let expected = hmac_with_zeroed_random(key, &[], record)
        .finalize()
        .into_bytes();
    let mut xored = [0u8; RANDOM_LEN];
    for (x, (a, b)) in xored.iter_mut().zip(random.iter().zip(expected.iter())) {
        *x = a ^ b;
    }
    if !bool::from(xored[..28].ct_eq(&[0u8; 28])) {
        return Err(TransportError::FakeTls(
            "ClientHello is not signed with this proxy's secret",
        ));
    }
    let timestamp = u32::from_le_bytes([xored[28], xored[29], xored[30], xored[31]]);
    let skew = i64::from(now) - i64::from(timestamp);
    if skew > i64::from(window.past) || -skew > i64::from(window.future) {
        return Err(TransportError::ClockSkew { seconds: skew });
    }
    let (session_id, sni) =
        parse_hello(record).ok_or(TransportError::FakeTls("malformed ClientHello"))?;
    if let Some(domain) = domain {
        if !sni
            .as_deref()
            .is_some_and(|s| s.eq_ignore_ascii_case(domain))
        {
            return Err(TransportError::FakeTls(
                "ClientHello names another domain than this proxy's secret",
            ));
        }
    }
    let hello = VerifiedClientHello {
        random,
        session_id,
        timestamp,
        sni,
    };
    Ok(Some((hello, len)))
}

/// Builds the proxy's answer: ServerHello (TLS 1.3, AES-128-GCM, x25519
/// share), change_cipher_spec, and an application-data record of
/// `fake_cert_len` random bytes standing in for the encrypted certificate.
pub fn build_server_hello(
    rng: &mut impl CryptoRng,
    key: &[u8; 16],
    hello: &VerifiedClientHello,
    fake_cert_len: usize,
) -> Vec<u8> {
    let fake_cert_len = fake_cert_len.clamp(1, super::MAX_RECORD_PAYLOAD);
    let mut body = vec![0x03, 0x03];
    body.extend_from_slice(&[0; RANDOM_LEN]);
    body.push(hello.session_id.len() as u8);
    body.extend_from_slice(&hello.session_id);
    body.extend_from_slice(&[0x13, 0x01, 0x00]); // cipher suite, compression
    let mut share = [0u8; 32];
    rng.fill_bytes(&mut share);
    share[31] &= 0x7f;
    body.extend_from_slice(&[0x00, 0x2e, 0x00, 0x33, 0x00, 0x24, 0x00, 0x1d, 0x00, 0x20]);
    body.extend_from_slice(&share);
    body.extend_from_slice(&[0x00, 0x2b, 0x00, 0x02, 0x03, 0x04]);

    let mut out = vec![TYPE_HANDSHAKE, 0x03, 0x03];
    out.extend_from_slice(&((body.len() + 4) as u16).to_be_bytes());
    out.push(0x02);
    out.extend_from_slice(&(body.len() as u32).to_be_bytes()[1..]);
    out.extend_from_slice(&body);
    out.extend_from_slice(&CHANGE_CIPHER_SPEC);
    out.extend_from_slice(&[super::record::TYPE_APP_DATA, 0x03, 0x03]);
    out.extend_from_slice(&(fake_cert_len as u16).to_be_bytes());
    let start = out.len();
    out.resize(start + fake_cert_len, 0);
    rng.fill_bytes(&mut out[start..]);

    let digest = hmac_with_zeroed_random(key, &hello.random, &out)
        .finalize()
        .into_bytes();
    out[RANDOM_AT..RANDOM_AT + RANDOM_LEN].copy_from_slice(&digest);
    out
}
