//! Packet framing for each transport (core.telegram.org/mtproto/mtproto-transports).
//!
//! Sans-IO: [`Codec::decode`] takes whole packets off the front of a buffer of
//! (already deobfuscated) bytes, [`Codec::encode`] frames one outgoing packet.
//! Quick-ack requests (the high bit of the length) are accepted and ignored.

use super::detect::Framing;

/// Largest packet accepted from a client; Telegram closes larger ones too.
pub const MAX_PACKET: usize = 1 << 24;

/// Errors in the framing of a received packet.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum CodecError {
    #[error("packet of {0} bytes exceeds the {MAX_PACKET}-byte limit")]
    TooLong(usize),
    #[error("packet length {0} is not valid for this transport")]
    BadLength(usize),
    #[error("full transport sequence number {found}, expected {expected}")]
    BadSeq { found: u32, expected: u32 },
    #[error("full transport CRC32 mismatch")]
    BadCrc,
}

/// Frames packets of one connection.
#[derive(Debug)]
pub struct Codec {
    framing: Framing,
    recv_seq: u32,
    send_seq: u32,
}

impl Codec {
    pub fn new(framing: Framing) -> Self {
        Self {
            framing,
            recv_seq: 0,
            send_seq: 0,
        }
    }

    pub fn framing(&self) -> Framing {
        self.framing
    }

    /// Takes one packet off the front of `buf`, or returns `None` when incomplete.
    pub fn decode(&mut self, buf: &mut Vec<u8>) -> Result<Option<Vec<u8>>, CodecError> {
        let (header, len, trailer) = match self.framing {
            Framing::Abridged => {
                let Some(&b0) = buf.first() else {
                    return Ok(None);
                };
                if b0 & 0x7f == 0x7f {
                    if buf.len() < 4 {
                        return Ok(None);
                    }
                    let words = u32::from_le_bytes([buf[1], buf[2], buf[3], 0]) as usize;
                    (4, words * 4, 0)
                } else {
                    (1, (b0 & 0x7f) as usize * 4, 0)
                }
            }
            Framing::Intermediate | Framing::PaddedIntermediate => {
                if buf.len() < 4 {
                    return Ok(None);
                }
                let raw = u32::from_le_bytes([buf[0], buf[1], buf[2], buf[3]]) & 0x7fff_ffff;
                (4, raw as usize, 0)
            }
            Framing::Full => {
                if buf.len() < 4 {
                    return Ok(None);
                }
                let total = u32::from_le_bytes([buf[0], buf[1], buf[2], buf[3]]) as usize;
                if !(12..=MAX_PACKET).contains(&total) || total % 4 != 0 {
                    return Err(CodecError::BadLength(total));
                }
                (8, total - 12, 4)
            }
        };
        if len > MAX_PACKET {
            return Err(CodecError::TooLong(len));
        }
        let total = header + len + trailer;
        if buf.len() < total {
            return Ok(None);
        }
        if self.framing == Framing::Full {
            let seq = u32::from_le_bytes([buf[4], buf[5], buf[6], buf[7]]);
            let crc = u32::from_le_bytes([
                buf[total - 4],
                buf[total - 3],
                buf[total - 2],
                buf[total - 1],
            ]);
            if crc32fast::hash(&buf[..total - 4]) != crc {
                return Err(CodecError::BadCrc);
            }
            if seq != self.recv_seq {
                return Err(CodecError::BadSeq {
                    found: seq,
                    expected: self.recv_seq,
                });
            }
            self.recv_seq = self.recv_seq.wrapping_add(1);
        }
        let packet = buf[header..header + len].to_vec();
        buf.drain(..total);
        Ok(Some(packet))
    }

    /// Frames one packet. `padding` is appended in padded intermediate only.
    pub fn encode(&mut self, payload: &[u8], padding: &[u8]) -> Vec<u8> {
        let mut out = Vec::with_capacity(payload.len() + 16);
        match self.framing {
            Framing::Abridged => {
                let words = payload.len() / 4;
                if words < 0x7f {
                    out.push(words as u8);
                } else {
                    out.push(0x7f);
                    out.extend_from_slice(&(words as u32).to_le_bytes()[..3]);
                }
                out.extend_from_slice(payload);
            }
            Framing::Intermediate => {
                out.extend_from_slice(&(payload.len() as u32).to_le_bytes());
                out.extend_from_slice(payload);
            }
            Framing::PaddedIntermediate => {
                let pad = &padding[..padding.len().min(15)];
                out.extend_from_slice(&((payload.len() + pad.len()) as u32).to_le_bytes());
                out.extend_from_slice(payload);
                out.extend_from_slice(pad);
            }
            Framing::Full => {
                out.extend_from_slice(&((payload.len() + 12) as u32).to_le_bytes());
                out.extend_from_slice(&self.send_seq.to_le_bytes());
                out.extend_from_slice(payload);
                let crc = crc32fast::hash(&out);
                out.extend_from_slice(&crc.to_le_bytes());
                self.send_seq = self.send_seq.wrapping_add(1);
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn round_trip(framing: Framing, len: usize) {
        let payload: Vec<u8> = (0..len).map(|i| i as u8).collect();
        let mut tx = Codec::new(framing);
        let mut rx = Codec::new(framing);
        let mut buf = tx.encode(&payload, &[]);
        buf.extend(tx.encode(&payload, &[]));
        let half = buf.split_off(buf.len() - 3);
        assert_eq!(rx.decode(&mut buf).unwrap().as_deref(), Some(&payload[..]));
        assert_eq!(rx.decode(&mut buf).unwrap(), None);
        buf.extend(half);
        assert_eq!(rx.decode(&mut buf).unwrap().as_deref(), Some(&payload[..]));
        assert!(buf.is_empty());
    }

    #[test]
    fn every_framing_round_trips_small_and_large_packets() {
        for f in [
            Framing::Abridged,
            Framing::Intermediate,
            Framing::PaddedIntermediate,
            Framing::Full,
        ] {
            round_trip(f, 40);
            round_trip(f, 4 * 0x80);
        }
    }

    #[test]
    fn full_transport_rejects_bad_crc_and_sequence() {
        let mut tx = Codec::new(Framing::Full);
        let mut buf = tx.encode(&[1, 2, 3, 4], &[]);
        buf[9] ^= 1;
        assert_eq!(
            Codec::new(Framing::Full).decode(&mut buf),
            Err(CodecError::BadCrc)
        );
        let mut buf = tx.encode(&[1, 2, 3, 4], &[]);
        assert!(matches!(
            Codec::new(Framing::Full).decode(&mut buf),
            Err(CodecError::BadSeq { found: 1, .. })
        ));
    }

    #[test]
    fn oversized_intermediate_length_is_refused() {
        let mut buf = ((MAX_PACKET + 4) as u32).to_le_bytes().to_vec();
        assert!(matches!(
            Codec::new(Framing::Intermediate).decode(&mut buf),
            Err(CodecError::TooLong(_))
        ));
    }
}
