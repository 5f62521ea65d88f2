//! Transport detection from the first bytes a client sends.
//!
//! Implements the server side of core.telegram.org/mtproto/mtproto-transports:
//! abridged opens with `0xef`, intermediate with `0xeeeeeeee`, padded intermediate
//! with `0xdddddddd`; the full transport has no header and its first packet starts
//! with a length followed by sequence number 0. Anything else is an obfuscated2
//! header of 64 bytes (core.telegram.org/mtproto/mtproto-transports#transport-obfuscation),
//! whose generator avoids exactly those openings and a zero second word.

/// The framing of packets on a connection.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Framing {
    Abridged,
    Intermediate,
    PaddedIntermediate,
    Full,
}

impl Framing {
    /// The 4-byte protocol tag that names this framing inside an obfuscated2 header.
    pub fn obfuscated_tag(self) -> Option<[u8; 4]> {
        match self {
            Framing::Abridged => Some([0xef; 4]),
            Framing::Intermediate => Some([0xee; 4]),
            Framing::PaddedIntermediate => Some([0xdd; 4]),
            Framing::Full => None,
        }
    }

    /// The framing an obfuscated2 protocol tag names.
    pub fn from_obfuscated_tag(tag: [u8; 4]) -> Option<Self> {
        match tag {
            [0xef, 0xef, 0xef, 0xef] => Some(Framing::Abridged),
            [0xee, 0xee, 0xee, 0xee] => Some(Framing::Intermediate),
            [0xdd, 0xdd, 0xdd, 0xdd] => Some(Framing::PaddedIntermediate),
            _ => None,
        }
    }
}

/// What the first bytes of a connection say.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Detected {
    /// Not enough bytes yet to decide.
    NeedMore,
    /// A plain transport; `header_len` bytes of transport header are to be dropped.
    Plain { framing: Framing, header_len: usize },
    /// An obfuscated2 connection: the first 64 bytes are its header.
    Obfuscated,
    /// An HTTP request or a TLS handshake, which localdc does not serve.
    Unsupported(&'static str),
}

/// Decides the transport from the bytes received so far.
pub fn detect(first: &[u8]) -> Detected {
    let Some(&b0) = first.first() else {
        return Detected::NeedMore;
    };
    if b0 == 0xef {
        return Detected::Plain {
            framing: Framing::Abridged,
            header_len: 1,
        };
    }
    if first.len() < 8 {
        return Detected::NeedMore;
    }
    let w0: [u8; 4] = [first[0], first[1], first[2], first[3]];
    match &w0 {
        [0xee, 0xee, 0xee, 0xee] => {
            return Detected::Plain {
                framing: Framing::Intermediate,
                header_len: 4,
            }
        }
        [0xdd, 0xdd, 0xdd, 0xdd] => {
            return Detected::Plain {
                framing: Framing::PaddedIntermediate,
                header_len: 4,
            }
        }
        b"HEAD" | b"POST" | b"GET " | b"OPTI" => return Detected::Unsupported("HTTP"),
        [0x16, 0x03, 0x01, 0x02] => return Detected::Unsupported("TLS"),
        _ => {}
    }
    if first[4..8] == [0, 0, 0, 0] {
        return Detected::Plain {
            framing: Framing::Full,
            header_len: 0,
        };
    }
    if first.len() < 64 {
        return Detected::NeedMore;
    }
    Detected::Obfuscated
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detects_each_plain_opening() {
        assert_eq!(
            detect(&[0xef]),
            Detected::Plain {
                framing: Framing::Abridged,
                header_len: 1
            }
        );
        assert_eq!(detect(&[0xee; 4]), Detected::NeedMore);
        assert_eq!(
            detect(&[0xee, 0xee, 0xee, 0xee, 40, 0, 0, 0]),
            Detected::Plain {
                framing: Framing::Intermediate,
                header_len: 4
            }
        );
        assert_eq!(
            detect(&[0xdd, 0xdd, 0xdd, 0xdd, 40, 0, 0, 0]),
            Detected::Plain {
                framing: Framing::PaddedIntermediate,
                header_len: 4
            }
        );
        assert_eq!(
            detect(&[52, 0, 0, 0, 0, 0, 0, 0]),
            Detected::Plain {
                framing: Framing::Full,
                header_len: 0
            }
        );
    }

    #[test]
    fn obfuscated_needs_the_whole_header() {
        let mut header = [0x55u8; 64];
        assert_eq!(detect(&header[..10]), Detected::NeedMore);
        assert_eq!(detect(&header), Detected::Obfuscated);
        header[..4].copy_from_slice(b"POST");
        assert_eq!(detect(&header), Detected::Unsupported("HTTP"));
    }
}
