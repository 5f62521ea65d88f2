//! Server-side recognition of the transport a client speaks, from the first
//! bytes of a connection, as Telegram's servers do
//! (core.telegram.org/mtproto/mtproto-transports, "Transport obfuscation").
//!
//! The rules only work because obfuscated2 clients never start their random
//! header with any of the plain preambles (see
//! [`obfuscated::is_forbidden_header`](crate::obfuscated::is_forbidden_header)).

use crate::error::TransportError;
use crate::framing::FramingKind;

/// What a connection's first bytes announce.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Detected {
    /// A plain framing codec; drop `preamble_len` bytes, then unpack frames.
    Plain {
        kind: FramingKind,
        preamble_len: usize,
    },
    /// A 64-byte obfuscated2 header follows
    /// ([`obfuscated::ServerHandshake`](crate::obfuscated::ServerHandshake)).
    Obfuscated2,
    /// A TLS ClientHello record: an MTProxy fake-TLS client
    /// ([`fake_tls`](crate::fake_tls)).
    FakeTls,
}

/// First `int32` (little-endian) of the HTTP methods Telegram also accepts.
const HTTP_WORDS: [u32; 4] = [0x4441_4548, 0x5453_4f50, 0x2054_4547, 0x4954_504f];
/// `16 03 01 02`: a TLS handshake record of 0x2xx bytes, as fake-TLS sends.
const TLS_WORD: u32 = 0x0201_0316;

/// Classifies the start of a connection. `Ok(None)` means more bytes are
/// needed (at most 8 are ever examined).
pub fn detect(input: &[u8]) -> Result<Option<Detected>, TransportError> {
    let Some(&first) = input.first() else {
        return Ok(None);
    };
    if first == 0xef {
        return Ok(Some(Detected::Plain {
            kind: FramingKind::Abridged,
            preamble_len: 1,
        }));
    }
    let Some(word) = input.get(..4) else {
        return Ok(None);
    };
    let word = u32::from_le_bytes([word[0], word[1], word[2], word[3]]);
    match word {
        0xeeee_eeee => {
            return Ok(Some(Detected::Plain {
                kind: FramingKind::Intermediate,
                preamble_len: 4,
            }))
        }
        0xdddd_dddd => {
            return Ok(Some(Detected::Plain {
                kind: FramingKind::PaddedIntermediate,
                preamble_len: 4,
            }))
        }
        TLS_WORD => return Ok(Some(Detected::FakeTls)),
        w if HTTP_WORDS.contains(&w) => {
            return Err(TransportError::UnknownProtocol(
                "the client speaks HTTP, which this server does not support; use a TCP transport",
            ))
        }
        _ => {}
    }
    let Some(second) = input.get(4..8) else {
        return Ok(None);
    };
    if second == [0, 0, 0, 0] {
        // Full transport: length then seqno 0.
        return Ok(Some(Detected::Plain {
            kind: FramingKind::Full,
            preamble_len: 0,
        }));
    }
    Ok(Some(Detected::Obfuscated2))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recognises_plain_preambles() {
        assert_eq!(
            detect(&[0xef, 1]).unwrap(),
            Some(Detected::Plain {
                kind: FramingKind::Abridged,
                preamble_len: 1
            })
        );
        assert_eq!(
            detect(&[0xee; 4]).unwrap(),
            Some(Detected::Plain {
                kind: FramingKind::Intermediate,
                preamble_len: 4
            })
        );
        assert_eq!(
            detect(&[0xdd; 5]).unwrap(),
            Some(Detected::Plain {
                kind: FramingKind::PaddedIntermediate,
                preamble_len: 4
            })
        );
        assert_eq!(
            detect(&[40, 0, 0, 0, 0, 0, 0, 0]).unwrap(),
            Some(Detected::Plain {
                kind: FramingKind::Full,
                preamble_len: 0
            })
        );
    }

    #[test]
    fn recognises_tls_and_obfuscated() {
        assert_eq!(
            detect(&[0x16, 0x03, 0x01, 0x02, 0x00]).unwrap(),
            Some(Detected::FakeTls)
        );
        assert_eq!(
            detect(&[1, 2, 3, 4, 5, 6, 7, 8]).unwrap(),
            Some(Detected::Obfuscated2)
        );
    }

    #[test]
    fn asks_for_more_and_rejects_http() {
        assert_eq!(detect(&[]).unwrap(), None);
        assert_eq!(detect(&[0xee, 0xee]).unwrap(), None);
        assert_eq!(detect(&[1, 2, 3, 4, 5]).unwrap(), None);
        assert!(matches!(
            detect(b"POST /api"),
            Err(TransportError::UnknownProtocol(_))
        ));
        assert!(matches!(
            detect(b"GET / HTTP/1.1"),
            Err(TransportError::UnknownProtocol(_))
        ));
    }
}
