//! [`Framing`] over `hearth-transport`: a framing codec, optionally inside
//! the obfuscated2 stream cipher (core.telegram.org/mtproto/mtproto-transports,
//! "Transport obfuscation"; core.telegram.org/mtproto/mtproto-proxy).

use hearth_transport::fake_tls::{
    build_client_hello, verify_server_hello, ClientHello, RecordReader, RecordWriter,
};
use hearth_transport::framing::{trim_mtproto_padding, Frame};
use hearth_transport::obfuscated::{client_handshake, DcId, Obfuscated2};
use hearth_transport::{FramingKind, Role, TransportError};

use super::protocol::{Framing, FramingError};

/// A client-side transport codec for one connection.
pub struct TransportCodec {
    framing: Box<dyn hearth_transport::Framing>,
    cipher: Option<Obfuscated2>,
    start: Vec<u8>,
    /// The obfuscated2 stream received and not yet unframed; bytes before
    /// `plain_len` are already decrypted.
    stream: Vec<u8>,
    plain_len: usize,
    /// Fake-TLS (`ee` MTProxy secrets): the hello in flight, then the
    /// record layer around the obfuscated2 stream.
    tls: Option<FakeTls>,
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
            stream: Vec::new(),
            plain_len: 0,
            tls: None,
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
            stream: Vec::new(),
            plain_len: 0,
            tls: None,
            padded: kind == FramingKind::PaddedIntermediate,
        })
    }

    /// Padded intermediate inside obfuscated2 inside MTProxy fake-TLS for
    /// `domain` (core.telegram.org/mtproto/mtproto-proxy, `ee` secrets).
    pub fn fake_tls(dc: DcId, key: &[u8; 16], domain: &str) -> Result<Self, FramingError> {
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_secs() as u32)
            .unwrap_or(0);
        let hello = build_client_hello(&mut *rng(), key, domain, now).map_err(map)?;
        let mut codec = Self::obfuscated(FramingKind::PaddedIntermediate, dc, Some(key))?;
        codec.tls = Some(FakeTls {
            key: *key,
            hello: Some(hello),
            reader: RecordReader::new(),
            writer: RecordWriter::client(),
        });
        Ok(codec)
    }
}

struct FakeTls {
    key: [u8; 16],
    hello: Option<ClientHello>,
    reader: RecordReader,
    writer: RecordWriter,
}

impl Framing for TransportCodec {
    fn handshake(&mut self) -> Option<Vec<u8>> {
        let tls = self.tls.as_ref()?;
        tls.hello.as_ref().map(|h| h.bytes.clone())
    }

    fn handshake_reply(&mut self, input: &[u8]) -> Result<Option<usize>, FramingError> {
        let Some(tls) = &mut self.tls else {
            return Ok(Some(0));
        };
        let Some(hello) = &tls.hello else {
            return Ok(Some(0));
        };
        let done = verify_server_hello(&tls.key, &hello.random, input).map_err(map)?;
        if done.is_some() {
            tls.hello = None;
        }
        Ok(done)
    }

    fn start(&mut self) -> Vec<u8> {
        let header = std::mem::take(&mut self.start);
        match &mut self.tls {
            Some(tls) => {
                let mut out = Vec::new();
                tls.writer.wrap(&header, &mut out);
                out
            }
            None => header,
        }
    }

    fn encode(&mut self, packet: &[u8], out: &mut Vec<u8>) -> Result<(), FramingError> {
        let mut framed = Vec::with_capacity(packet.len() + 8);
        self.framing.pack(packet, &mut framed).map_err(map)?;
        if let Some(c) = &mut self.cipher {
            c.encrypt(&mut framed);
        }
        match &mut self.tls {
            Some(tls) => tls.writer.wrap(&framed, out),
            None => out.extend_from_slice(&framed),
        }
        Ok(())
    }

    fn decode(&mut self, buf: &mut Vec<u8>) -> Result<Option<Vec<u8>>, FramingError> {
        match &mut self.tls {
            Some(tls) => {
                let used = tls.reader.unwrap(buf, &mut self.stream).map_err(map)?;
                buf.drain(..used);
            }
            None => self.stream.append(buf),
        }
        if let Some(c) = &mut self.cipher {
            // Each byte passes through the stream cipher exactly once.
            c.decrypt(&mut self.stream[self.plain_len..]);
        }
        self.plain_len = self.stream.len();
        loop {
            match self.framing.unpack(&self.stream).map_err(map)? {
                None => return Ok(None),
                Some((frame, used)) => {
                    self.stream.drain(..used);
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
