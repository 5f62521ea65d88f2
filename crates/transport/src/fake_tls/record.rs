//! The fake-TLS record layer: after the handshake, the obfuscated2 stream
//! travels inside TLS application-data records (`17 03 03` + big-endian
//! length), and the client sends one change_cipher_spec record
//! (`14 03 03 00 01 01`) before its first application data
//! (core.telegram.org/mtproto/mtproto-proxy, "Fake TLS").

use crate::error::TransportError;

/// Largest application-data payload we put in one record (TLS plaintext
/// limit, 2^14).
pub const MAX_RECORD_PAYLOAD: usize = 1 << 14;
/// Largest record body we accept: TLS 1.2's ciphertext limit (2^14 + 2048),
/// since proxies pad their records as real encrypted ones are padded.
pub const MAX_RECORD_READ: usize = (1 << 14) + 2048;

pub(crate) const CHANGE_CIPHER_SPEC: [u8; 6] = [0x14, 0x03, 0x03, 0x00, 0x01, 0x01];
pub(crate) const TYPE_HANDSHAKE: u8 = 0x16;
pub(crate) const TYPE_CCS: u8 = 0x14;
pub(crate) const TYPE_ALERT: u8 = 0x15;
pub(crate) const TYPE_APP_DATA: u8 = 0x17;

/// A record split off a buffer: `(content type, body, bytes taken)`.
pub(crate) type Record<'a> = (u8, &'a [u8], usize);

/// Splits the next complete record off `input`: `(type, body, total_len)`,
/// or `None` if it is incomplete. Checks the version bytes and length limit.
pub(crate) fn next_record(input: &[u8]) -> Result<Option<Record<'_>>, TransportError> {
    let Some(head) = input.get(..5) else {
        return Ok(None);
    };
    if head[1] != 0x03 || !(0x01..=0x04).contains(&head[2]) {
        return Err(TransportError::FakeTls(
            "record has no TLS version; the peer is not a fake-TLS proxy",
        ));
    }
    let len = usize::from(u16::from_be_bytes([head[3], head[4]]));
    if len > MAX_RECORD_READ {
        return Err(TransportError::FakeTls("record longer than TLS allows"));
    }
    Ok(input.get(5..5 + len).map(|body| (head[0], body, 5 + len)))
}

/// Wraps outgoing bytes into application-data records.
#[derive(Debug, Clone)]
pub struct RecordWriter {
    send_ccs: bool,
    max_payload: usize,
}

impl RecordWriter {
    /// A client writer: the first [`wrap`](Self::wrap) is preceded by the
    /// change_cipher_spec record.
    pub fn client() -> Self {
        Self {
            send_ccs: true,
            max_payload: MAX_RECORD_PAYLOAD,
        }
    }

    /// A server writer (its change_cipher_spec went out in the handshake).
    pub fn server() -> Self {
        Self {
            send_ccs: false,
            max_payload: MAX_RECORD_PAYLOAD,
        }
    }

    /// Sets the largest payload per record (clamped to 1..=2^14).
    pub fn with_max_payload(mut self, max: usize) -> Self {
        self.max_payload = max.clamp(1, MAX_RECORD_PAYLOAD);
        self
    }

    /// Appends `data` to `out` as one or more application-data records.
    pub fn wrap(&mut self, data: &[u8], out: &mut Vec<u8>) {
        if std::mem::take(&mut self.send_ccs) {
            out.extend_from_slice(&CHANGE_CIPHER_SPEC);
        }
        for chunk in data.chunks(self.max_payload) {
            out.extend_from_slice(&[TYPE_APP_DATA, 0x03, 0x03]);
            out.extend_from_slice(&(chunk.len() as u16).to_be_bytes());
            out.extend_from_slice(chunk);
        }
    }
}

/// Unwraps incoming application-data records.
#[derive(Debug, Clone, Default)]
pub struct RecordReader {
    seen_app_data: bool,
}

impl RecordReader {
    pub fn new() -> Self {
        Self::default()
    }

    /// Consumes every complete record at the start of `input`, appending
    /// application-data payloads to `out`; returns the bytes consumed. A
    /// change_cipher_spec is skipped before the first application data only.
    pub fn unwrap(&mut self, input: &[u8], out: &mut Vec<u8>) -> Result<usize, TransportError> {
        let mut at = 0;
        while let Some((kind, body, len)) = next_record(&input[at..])? {
            match kind {
                TYPE_APP_DATA => {
                    self.seen_app_data = true;
                    out.extend_from_slice(body);
                }
                TYPE_CCS if !self.seen_app_data && body == [1] => {}
                TYPE_ALERT => {
                    return Err(TransportError::FakeTls(
                        "the proxy sent a TLS alert and is closing the connection; check the secret and domain",
                    ))
                }
                _ => return Err(TransportError::FakeTls("unexpected TLS record type")),
            }
            at += len;
        }
        Ok(at)
    }
}
