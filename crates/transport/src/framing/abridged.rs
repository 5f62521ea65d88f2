//! Abridged framing (core.telegram.org/mtproto/mtproto-transports#abridged).
//!
//! A payload of `4·n` bytes is prefixed by `n` as one byte when `n < 127`,
//! else by `0x7f` and `n` as 3 little-endian bytes. A client sets the most
//! significant bit of the first byte to request a quick ack; the server sends
//! quick-ack tokens as 4 byte-swapped (big-endian) bytes, recognisable by
//! their first byte having the most significant bit set.

use super::{client_packet, Frame, Framing, ProtocolTag, Role, DEFAULT_MAX_FRAME};
use crate::error::TransportError;

/// Abridged codec; stateless apart from its configuration.
#[derive(Debug, Clone)]
pub struct Abridged {
    role: Role,
    max_frame: usize,
}

impl Abridged {
    /// A codec with the default frame limit.
    pub fn new(role: Role) -> Self {
        Self {
            role,
            max_frame: DEFAULT_MAX_FRAME,
        }
    }

    /// Sets the largest payload accepted or produced. Abridged cannot carry
    /// more than `4·(2^24 − 1)` bytes whatever the limit.
    pub fn with_max_frame(mut self, max_frame: usize) -> Self {
        self.max_frame = max_frame;
        self
    }

    fn limit(&self) -> usize {
        self.max_frame.min(0x00ff_ffff * 4)
    }
}

impl Framing for Abridged {
    fn role(&self) -> Role {
        self.role
    }

    fn tag(&self) -> Option<ProtocolTag> {
        Some(ProtocolTag::Abridged)
    }

    fn pack_around(
        &mut self,
        payload: &[u8],
        quick_ack: bool,
        out: &mut Vec<u8>,
        _tail: &mut Vec<u8>,
    ) -> Result<(), TransportError> {
        if quick_ack && self.role != Role::Client {
            return Err(TransportError::WrongRole("client"));
        }
        if !payload.len().is_multiple_of(4) {
            return Err(TransportError::Unaligned(payload.len()));
        }
        if payload.len() > self.limit() {
            return Err(TransportError::FrameTooLarge {
                len: payload.len(),
                max: self.limit(),
            });
        }
        let words = payload.len() / 4;
        let ack_bit = if quick_ack { 0x80 } else { 0 };
        if words < 0x7f {
            out.push(words as u8 | ack_bit);
        } else {
            let len = (words as u32).to_le_bytes();
            out.extend_from_slice(&[0x7f | ack_bit, len[0], len[1], len[2]]);
        }
        Ok(())
    }

    fn pack_quick_ack(&mut self, token: u32, out: &mut Vec<u8>) -> Result<(), TransportError> {
        if self.role != Role::Server {
            return Err(TransportError::WrongRole("server"));
        }
        out.extend_from_slice(&(token | 0x8000_0000).to_be_bytes());
        Ok(())
    }

    fn unpack(&mut self, input: &[u8]) -> Result<Option<(Frame, usize)>, TransportError> {
        let Some(&first) = input.first() else {
            return Ok(None);
        };
        let ack_bit = first & 0x80 != 0;
        if ack_bit && self.role == Role::Client {
            // Server-sent quick ack: 4 big-endian bytes, no payload.
            return Ok(input.get(..4).map(|token| {
                let token = u32::from_be_bytes([token[0], token[1], token[2], token[3]]);
                (Frame::QuickAck(token), 4)
            }));
        }
        let (words, header) = if first & 0x7f == 0x7f {
            let Some(len) = input.get(1..4) else {
                return Ok(None);
            };
            (u32::from_le_bytes([len[0], len[1], len[2], 0]) as usize, 4)
        } else {
            (usize::from(first & 0x7f), 1)
        };
        let len = words * 4;
        if len > self.limit() {
            return Err(TransportError::FrameTooLarge {
                len,
                max: self.limit(),
            });
        }
        let Some(payload) = input.get(header..header + len) else {
            return Ok(None);
        };
        let frame = client_packet(self.role, payload, ack_bit, false)?;
        Ok(Some((frame, header + len)))
    }
}
