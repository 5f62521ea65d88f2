//! [`Framing`] over `hearth-transport`: a framing codec, optionally inside
//! the obfuscated2 stream cipher (core.telegram.org/mtproto/mtproto-transports,
//! "Transport obfuscation"; core.telegram.org/mtproto/mtproto-proxy).

use hearth_transport::framing::{trim_mtproto_padding, Frame};
use hearth_transport::obfuscated::{client_handshake, DcId, Obfuscated2};
use hearth_transport::{FramingKind, Role, TransportError};

use super::protocol::{Framing, FramingError};

/// A client-side transport codec for one connection.
pub struct TransportCodec {
    framing: Box<dyn hearth_transport::Framing>,
    cipher: Option<Obfuscated2>,
    start: Vec<u8>,
    /// How many bytes at the front of the read buffer are already decrypted.
    plain_len: usize,
    /// Padded intermediate: strip the random padding from each packet.
    padded: bool,
}

impl std::fmt::Debug for TransportCodec {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TransportCodec")
            .field("obfuscated", &self.cipher.is_some())
            .finish_non_exhaustive()
    }
}

fn map(e: TransportError) -> FramingError {
    match e {
        TransportError::Server(code) => FramingError::TransportCode(code.code()),
        other => FramingError::Malformed(other.to_string()),
    }
}

fn rng() -> Box<rand::rngs::StdRng> {
    Box::new(rand::make_rng())
}

impl TransportCodec {
    /// The codec sent in the clear, announced by its plain preamble.
    pub fn plain(kind: FramingKind) -> Self {
        let framing = kind.build(Role::Client, rng());
        let start = framing.preamble().to_vec();
        Self {
            framing,
            cipher: None,
            start,
            plain_len: 0,
            padded: kind == FramingKind::PaddedIntermediate,
        }
    }

    /// The codec inside obfuscated2 for `dc`, keyed with an MTProxy
    /// `secret` when given. The full transport cannot be obfuscated.
    pub fn obfuscated(
        kind: FramingKind,
        dc: DcId,
        secret: Option<&[u8; 16]>,
    ) -> Result<Self, FramingError> {
        let tag = kind.tag().ok_or_else(|| {
            FramingError::Malformed("the full transport cannot be obfuscated".into())
        })?;
        let (header, cipher) = client_handshake(&mut *rng(), tag, dc, secret).map_err(map)?;
        Ok(Self {
            framing: kind.build(Role::Client, rng()),
            cipher: Some(cipher),
            start: header.to_vec(),
            plain_len: 0,
            padded: kind == FramingKind::PaddedIntermediate,
        })
    }
}

impl Framing for TransportCodec {
    fn start(&mut self) -> Vec<u8> {
        std::mem::take(&mut self.start)
    }

    fn encode(&mut self, packet: &[u8], out: &mut Vec<u8>) -> Result<(), FramingError> {
        let from = out.len();
        self.framing.pack(packet, out).map_err(map)?;
        if let Some(c) = &mut self.cipher {
            c.encrypt(&mut out[from..]);
        }
        Ok(())
    }

    fn decode(&mut self, buf: &mut Vec<u8>) -> Result<Option<Vec<u8>>, FramingError> {
        if let Some(c) = &mut self.cipher {
            // Each byte passes through the stream cipher exactly once.
            c.decrypt(&mut buf[self.plain_len..]);
        }
        self.plain_len = buf.len();
        loop {
            match self.framing.unpack(buf).map_err(map)? {
                None => return Ok(None),
                Some((frame, used)) => {
                    buf.drain(..used);
                    self.plain_len -= used;
                    match frame {
                        Frame::Packet { payload, .. } if self.padded => {
                            return trim_mtproto_padding(&payload)
                                .map(|p| Some(p.to_vec()))
                                .ok_or_else(|| {
                                    FramingError::Malformed(
                                        "padded packet shorter than the MTProto message it carries"
                                            .into(),
                                    )
                                });
                        }
                        Frame::Packet { payload, .. } => return Ok(Some(payload)),
                        // Quick acks are not requested; skip any that come.
                        Frame::QuickAck(_) => continue,
                    }
                }
            }
        }
    }
}
