//! Framing codecs: how MTProto packets are delimited on a byte stream
//! (core.telegram.org/mtproto/mtproto-transports).
//!
//! Every codec is sans-IO and usable from both ends of a connection: the
//! [`Role`] decides which direction-specific features apply (quick-ack
//! requests are read by servers, quick-ack tokens and transport error codes
//! by clients).
//!
//! Incremental reading contract of [`Framing::unpack`]: pass everything
//! received and not yet consumed; `Ok(None)` means "need more bytes" and
//! consumes nothing, `Ok(Some((frame, n)))` means the first `n` bytes formed
//! `frame` and must be dropped before the next call. A codec never keeps a
//! copy of unconsumed input, so a caller may grow its buffer freely.

mod abridged;
mod full;
mod intermediate;

pub use abridged::Abridged;
pub use full::Full;
pub use intermediate::{Intermediate, PaddedIntermediate};

use crate::error::{TransportError, TransportErrorCode};

/// Default largest frame payload accepted or produced: 4 MiB, well above the
/// largest MTProto message (1 MiB file parts plus container overhead).
pub const DEFAULT_MAX_FRAME: usize = 4 * 1024 * 1024;

/// Which end of the connection a codec serves.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Role {
    /// Sends requests to the server and reads its replies.
    Client,
    /// Reads client packets and sends replies (our DC emulator, probes).
    Server,
}

/// The 4-byte protocol tag naming a codec in an obfuscated2 header, or
/// (abridged: only its first byte) sent plainly at connection start.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ProtocolTag {
    /// `0xefefefef`.
    Abridged,
    /// `0xeeeeeeee`.
    Intermediate,
    /// `0xdddddddd`.
    PaddedIntermediate,
}

impl ProtocolTag {
    /// The tag as the 4 bytes written to an obfuscated2 header.
    pub fn bytes(self) -> [u8; 4] {
        match self {
            Self::Abridged => [0xef; 4],
            Self::Intermediate => [0xee; 4],
            Self::PaddedIntermediate => [0xdd; 4],
        }
    }

    /// Parses the 4 tag bytes of an obfuscated2 header.
    pub fn from_bytes(bytes: [u8; 4]) -> Result<Self, TransportError> {
        match bytes {
            [0xef, 0xef, 0xef, 0xef] => Ok(Self::Abridged),
            [0xee, 0xee, 0xee, 0xee] => Ok(Self::Intermediate),
            [0xdd, 0xdd, 0xdd, 0xdd] => Ok(Self::PaddedIntermediate),
            other => Err(TransportError::BadProtocolTag(u32::from_le_bytes(other))),
        }
    }

    /// The plain (non-obfuscated) connection preamble for this codec.
    pub fn plain_preamble(self) -> &'static [u8] {
        match self {
            Self::Abridged => &[0xef],
            Self::Intermediate => &[0xee; 4],
            Self::PaddedIntermediate => &[0xdd; 4],
        }
    }
}

/// One decoded unit of a framed stream.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Frame {
    /// A complete packet: exactly the MTProto message that was sent. The
    /// padded intermediate codec strips its 0..15 random padding bytes
    /// itself (this is the only place padding is removed). In the client
    /// role, a frame that is a transport error code (a lone negative
    /// `int32`; with padded intermediate any negative frame shorter than 20
    /// bytes) is returned as [`TransportError::Server`] instead.
    Packet {
        payload: Vec<u8>,
        /// Server role only: the client asked for a quick acknowledgement.
        quick_ack_requested: bool,
    },
    /// Client role only: a quick-ack token the server sent for an earlier
    /// packet (the token has its most significant bit set).
    QuickAck(u32),
}

/// A framing codec. See the module docs for the incremental contract.
pub trait Framing: Send {
    /// The role this codec was built for.
    fn role(&self) -> Role;

    /// The obfuscated2 tag for this codec; `None` for the full transport,
    /// which cannot be obfuscated.
    fn tag(&self) -> Option<ProtocolTag>;

    /// Bytes a client must send before its first frame when the connection
    /// is not obfuscated (`0xef`, `0xeeeeeeee`, `0xdddddddd`, nothing).
    fn preamble(&self) -> &'static [u8] {
        self.tag().map_or(&[], ProtocolTag::plain_preamble)
    }

    /// Appends one framed packet to `out`.
    fn pack(&mut self, payload: &[u8], out: &mut Vec<u8>) -> Result<(), TransportError> {
        self.pack_with(payload, false, out)
    }

    /// Like [`Framing::pack`]; with `quick_ack` set a client asks the server
    /// for a quick acknowledgement of this packet.
    fn pack_with(
        &mut self,
        payload: &[u8],
        quick_ack: bool,
        out: &mut Vec<u8>,
    ) -> Result<(), TransportError> {
        let mut tail = Vec::new();
        self.pack_around(payload, quick_ack, out, &mut tail)?;
        out.extend_from_slice(payload);
        out.extend_from_slice(&tail);
        Ok(())
    }

    /// The frame of `payload` without the payload: appends what goes before
    /// it to `head` and what goes after it to `tail`, so a large payload can
    /// be written where it is (a vectored write) instead of being copied
    /// into the frame. On an error neither buffer changed.
    fn pack_around(
        &mut self,
        payload: &[u8],
        quick_ack: bool,
        head: &mut Vec<u8>,
        tail: &mut Vec<u8>,
    ) -> Result<(), TransportError>;

    /// Server role: appends a quick-ack token (MSB set) for the client.
    fn pack_quick_ack(&mut self, _token: u32, _out: &mut Vec<u8>) -> Result<(), TransportError> {
        Err(TransportError::QuickAckUnsupported)
    }

    /// Server role: appends a transport error frame (`-404`, `-429`, ...).
    fn pack_error(
        &mut self,
        code: TransportErrorCode,
        out: &mut Vec<u8>,
    ) -> Result<(), TransportError> {
        self.pack(&code.to_payload(), out)
    }

    /// Decodes the next frame from the start of `input`.
    fn unpack(&mut self, input: &[u8]) -> Result<Option<(Frame, usize)>, TransportError>;
}

/// Which codec to build; convenient for configuration and detection.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FramingKind {
    Abridged,
    Intermediate,
    PaddedIntermediate,
    Full,
}

impl FramingKind {
    /// The obfuscated2 tag of this codec (`None` for full).
    pub fn tag(self) -> Option<ProtocolTag> {
        match self {
            Self::Abridged => Some(ProtocolTag::Abridged),
            Self::Intermediate => Some(ProtocolTag::Intermediate),
            Self::PaddedIntermediate => Some(ProtocolTag::PaddedIntermediate),
            Self::Full => None,
        }
    }

    /// Builds the codec. `rng` supplies padding for padded intermediate and
    /// is dropped by the others.
    pub fn build(self, role: Role, rng: Box<dyn rand_core::Rng + Send>) -> Box<dyn Framing> {
        match self {
            Self::Abridged => Box::new(Abridged::new(role)),
            Self::Intermediate => Box::new(Intermediate::new(role)),
            Self::PaddedIntermediate => Box::new(PaddedIntermediate::new(role, rng)),
            Self::Full => Box::new(Full::new(role)),
        }
    }
}

impl From<ProtocolTag> for FramingKind {
    fn from(tag: ProtocolTag) -> Self {
        match tag {
            ProtocolTag::Abridged => Self::Abridged,
            ProtocolTag::Intermediate => Self::Intermediate,
            ProtocolTag::PaddedIntermediate => Self::PaddedIntermediate,
        }
    }
}

/// Strips padded-intermediate padding from an MTProto message by reading its
/// own length: an unencrypted message (auth_key_id 0) states its body length
/// at bytes 16..20; an encrypted one is 24 header bytes plus whole 16-byte
/// AES blocks. Returns `None` if `packet` is too short or inconsistent.
/// Used by [`PaddedIntermediate`]'s unpacking only.
pub(crate) fn trim_mtproto_padding(packet: &[u8]) -> Option<&[u8]> {
    let auth_key_id = packet.get(..8)?;
    if auth_key_id.iter().all(|&b| b == 0) {
        let len = packet.get(16..20)?;
        let body = u32::from_le_bytes([len[0], len[1], len[2], len[3]]) as usize;
        packet.get(..20usize.checked_add(body)?)
    } else {
        let blocks = packet.len().checked_sub(24)? / 16;
        packet.get(..24 + blocks * 16)
    }
}

/// Client-role check shared by codecs: turns short negative payloads into
/// the server's transport error.
pub(crate) fn client_packet(
    role: Role,
    payload: &[u8],
    quick_ack_requested: bool,
    padded: bool,
) -> Result<Frame, TransportError> {
    if role == Role::Client {
        if let Some(code) = TransportErrorCode::from_frame(payload, padded) {
            return Err(TransportError::Server(code));
        }
    }
    Ok(Frame::Packet {
        payload: payload.to_vec(),
        quick_ack_requested,
    })
}

#[cfg(test)]
mod tests;
