//! Full framing (core.telegram.org/mtproto/mtproto-transports#full).
//!
//! `len:int32 seqno:int32 payload crc:int32`, all little-endian, where `len`
//! counts the whole frame (payload + 12) and `crc` is the CRC32 of everything
//! before it. Each direction numbers its frames from 0; a receiver rejects
//! any frame whose seqno is not the next expected one. The full transport has
//! no quick acks and cannot be obfuscated.

use super::{client_packet, Frame, Framing, ProtocolTag, Role, DEFAULT_MAX_FRAME};
use crate::error::TransportError;

/// Envelope bytes around the payload: length, seqno and CRC32.
const OVERHEAD: usize = 12;

/// Full codec with its per-direction sequence counters.
#[derive(Debug, Clone)]
pub struct Full {
    role: Role,
    max_frame: usize,
    send_seqno: u32,
    recv_seqno: u32,
}

impl Full {
    /// A codec with the default frame limit and both counters at 0.
    pub fn new(role: Role) -> Self {
        Self {
            role,
            max_frame: DEFAULT_MAX_FRAME,
            send_seqno: 0,
            recv_seqno: 0,
        }
    }

    /// Sets the largest payload accepted or produced.
    pub fn with_max_frame(mut self, max_frame: usize) -> Self {
        self.max_frame = max_frame;
        self
    }

    fn limit(&self) -> usize {
        self.max_frame.min(i32::MAX as usize - OVERHEAD)
    }
}

impl Framing for Full {
    fn role(&self) -> Role {
        self.role
    }

    fn tag(&self) -> Option<ProtocolTag> {
        None
    }

    fn pack_around(
        &mut self,
        payload: &[u8],
        quick_ack: bool,
        out: &mut Vec<u8>,
        tail: &mut Vec<u8>,
    ) -> Result<(), TransportError> {
        if quick_ack {
            return Err(TransportError::QuickAckUnsupported);
        }
        if payload.len() > self.limit() {
            return Err(TransportError::FrameTooLarge {
                len: payload.len(),
                max: self.limit(),
            });
        }
        let start = out.len();
        out.extend_from_slice(&((payload.len() + OVERHEAD) as u32).to_le_bytes());
        out.extend_from_slice(&self.send_seqno.to_le_bytes());
        let mut crc = crc32fast::Hasher::new();
        crc.update(&out[start..]);
        crc.update(payload);
        tail.extend_from_slice(&crc.finalize().to_le_bytes());
        self.send_seqno = self.send_seqno.wrapping_add(1);
        Ok(())
    }

    fn unpack(&mut self, input: &[u8]) -> Result<Option<(Frame, usize)>, TransportError> {
        let Some(head) = input.get(..8) else {
            return Ok(None);
        };
        let len = u32::from_le_bytes([head[0], head[1], head[2], head[3]]) as usize;
        if len < OVERHEAD {
            return Err(TransportError::FrameTooShort { len, min: OVERHEAD });
        }
        if len - OVERHEAD > self.limit() {
            return Err(TransportError::FrameTooLarge {
                len: len - OVERHEAD,
                max: self.limit(),
            });
        }
        let Some(frame) = input.get(..len) else {
            return Ok(None);
        };
        let (body, crc) = frame.split_at(len - 4);
        let expected = u32::from_le_bytes([crc[0], crc[1], crc[2], crc[3]]);
        let actual = crc32fast::hash(body);
        if expected != actual {
            return Err(TransportError::BadCrc { expected, actual });
        }
        let seqno = u32::from_le_bytes([head[4], head[5], head[6], head[7]]);
        if seqno != self.recv_seqno {
            return Err(TransportError::BadSeqno {
                expected: self.recv_seqno,
                actual: seqno,
            });
        }
        let frame = client_packet(self.role, &body[8..], false, false)?;
        self.recv_seqno = self.recv_seqno.wrapping_add(1);
        Ok(Some((frame, len)))
    }
}
