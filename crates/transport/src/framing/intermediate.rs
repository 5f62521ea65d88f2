//! Intermediate and padded intermediate framing
//! (core.telegram.org/mtproto/mtproto-transports#intermediate and
//! #padded-intermediate).
//!
//! Each packet is prefixed by its length as a little-endian `int32`. A client
//! sets the length's most significant bit to request a quick ack; the server
//! sends a quick-ack token as a bare 4-byte little-endian word with that bit
//! set. The padded variant appends 0..15 random bytes to every packet and
//! counts them in the length, hiding packet sizes from observers; since the
//! padding is not delimited, the receiving codec finds the message's end from
//! the MTProto message itself and strips the rest (invariant: padded
//! intermediate carries nothing but MTProto messages).

use rand_core::Rng;

use super::{
    client_packet, trim_mtproto_padding, Frame, Framing, ProtocolTag, Role, DEFAULT_MAX_FRAME,
};
use crate::error::TransportError;

const ACK_BIT: u32 = 0x8000_0000;

/// Shared reader/writer of 4-byte-length-prefixed frames.
#[derive(Debug, Clone)]
struct LengthPrefixed {
    role: Role,
    max_frame: usize,
    padded: bool,
}

impl LengthPrefixed {
    fn header(&self, len: usize, quick_ack: bool) -> Result<[u8; 4], TransportError> {
        if quick_ack && self.role != Role::Client {
            return Err(TransportError::WrongRole("client"));
        }
        let limit = self.max_frame.min(0x7fff_ffff);
        if len > limit {
            return Err(TransportError::FrameTooLarge { len, max: limit });
        }
        let ack = if quick_ack { ACK_BIT } else { 0 };
        Ok((len as u32 | ack).to_le_bytes())
    }

    fn quick_ack(&self, token: u32, out: &mut Vec<u8>) -> Result<(), TransportError> {
        if self.role != Role::Server {
            return Err(TransportError::WrongRole("server"));
        }
        out.extend_from_slice(&(token | ACK_BIT).to_le_bytes());
        Ok(())
    }

    fn unpack(&self, input: &[u8]) -> Result<Option<(Frame, usize)>, TransportError> {
        let Some(head) = input.get(..4) else {
            return Ok(None);
        };
        let raw = u32::from_le_bytes([head[0], head[1], head[2], head[3]]);
        let ack = raw & ACK_BIT != 0;
        if ack && self.role == Role::Client {
            return Ok(Some((Frame::QuickAck(raw), 4)));
        }
        let len = (raw & !ACK_BIT) as usize;
        if len > self.max_frame {
            return Err(TransportError::FrameTooLarge {
                len,
                max: self.max_frame,
            });
        }
        let Some(payload) = input.get(4..4 + len) else {
            return Ok(None);
        };
        let frame = client_packet(self.role, payload, ack, self.padded)?;
        Ok(Some((frame, 4 + len)))
    }
}

/// Intermediate codec; payloads must be multiples of 4 bytes.
#[derive(Debug, Clone)]
pub struct Intermediate(LengthPrefixed);

impl Intermediate {
    /// A codec with the default frame limit.
    pub fn new(role: Role) -> Self {
        Self(LengthPrefixed {
            role,
            max_frame: DEFAULT_MAX_FRAME,
            padded: false,
        })
    }

    /// Sets the largest payload accepted or produced.
    pub fn with_max_frame(mut self, max_frame: usize) -> Self {
        self.0.max_frame = max_frame;
        self
    }
}

impl Framing for Intermediate {
    fn role(&self) -> Role {
        self.0.role
    }

    fn tag(&self) -> Option<ProtocolTag> {
        Some(ProtocolTag::Intermediate)
    }

    fn pack_around(
        &mut self,
        payload: &[u8],
        quick_ack: bool,
        head: &mut Vec<u8>,
        _tail: &mut Vec<u8>,
    ) -> Result<(), TransportError> {
        if !payload.len().is_multiple_of(4) {
            return Err(TransportError::Unaligned(payload.len()));
        }
        head.extend_from_slice(&self.0.header(payload.len(), quick_ack)?);
        Ok(())
    }

    fn pack_quick_ack(&mut self, token: u32, out: &mut Vec<u8>) -> Result<(), TransportError> {
        self.0.quick_ack(token, out)
    }

    fn unpack(&mut self, input: &[u8]) -> Result<Option<(Frame, usize)>, TransportError> {
        self.0.unpack(input)
    }
}

/// Padded intermediate codec; the only one MTProxy `dd`/`ee` secrets allow.
/// Unpacked payloads come without their padding; a frame too short for the
/// MTProto message it claims to hold is
/// [`TransportError::PaddedFrameTooShort`].
pub struct PaddedIntermediate {
    inner: LengthPrefixed,
    rng: Box<dyn Rng + Send>,
}

impl PaddedIntermediate {
    /// A codec with the default frame limit drawing padding from `rng`.
    pub fn new(role: Role, rng: Box<dyn Rng + Send>) -> Self {
        Self {
            inner: LengthPrefixed {
                role,
                max_frame: DEFAULT_MAX_FRAME,
                padded: true,
            },
            rng,
        }
    }

    /// Sets the largest frame (payload plus padding) accepted or produced.
    pub fn with_max_frame(mut self, max_frame: usize) -> Self {
        self.inner.max_frame = max_frame;
        self
    }
}

impl std::fmt::Debug for PaddedIntermediate {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PaddedIntermediate")
            .field("role", &self.inner.role)
            .field("max_frame", &self.inner.max_frame)
            .finish_non_exhaustive()
    }
}

impl Framing for PaddedIntermediate {
    fn role(&self) -> Role {
        self.inner.role
    }

    fn tag(&self) -> Option<ProtocolTag> {
        Some(ProtocolTag::PaddedIntermediate)
    }

    fn pack_around(
        &mut self,
        payload: &[u8],
        quick_ack: bool,
        head: &mut Vec<u8>,
        tail: &mut Vec<u8>,
    ) -> Result<(), TransportError> {
        let mut padding = [0u8; 16];
        self.rng.fill_bytes(&mut padding);
        // Padding never pushes an acceptable payload over the limit.
        let room = self.inner.max_frame.saturating_sub(payload.len());
        let pad_len = usize::from(padding[0] & 0x0f).min(room);
        let padding = &padding[1..=pad_len];
        head.extend_from_slice(&self.inner.header(payload.len() + pad_len, quick_ack)?);
        tail.extend_from_slice(padding);
        Ok(())
    }

    fn pack_quick_ack(&mut self, token: u32, out: &mut Vec<u8>) -> Result<(), TransportError> {
        self.inner.quick_ack(token, out)
    }

    fn unpack(&mut self, input: &[u8]) -> Result<Option<(Frame, usize)>, TransportError> {
        let Some((frame, used)) = self.inner.unpack(input)? else {
            return Ok(None);
        };
        let frame = match frame {
            Frame::Packet {
                mut payload,
                quick_ack_requested,
            } => {
                let len = trim_mtproto_padding(&payload)
                    .map(<[u8]>::len)
                    .ok_or(TransportError::PaddedFrameTooShort { len: payload.len() })?;
                payload.truncate(len);
                Frame::Packet {
                    payload,
                    quick_ack_requested,
                }
            }
            ack @ Frame::QuickAck(_) => ack,
        };
        Ok(Some((frame, used)))
    }
}
