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

#[cfg(test)]
mod tests {
    use super::*;
    use hearth_transport::fake_tls::{build_server_hello, verify_client_hello, TimeWindow};
    use hearth_transport::obfuscated::server_handshake;

    /// The proxy/server end: unwraps what the client codec produced.
    struct Server {
        framing: Box<dyn hearth_transport::Framing>,
        cipher: Obfuscated2,
        tls: Option<(RecordReader, RecordWriter)>,
    }

    fn server_for(first: &[u8], secret: Option<&[u8; 16]>, tls: bool) -> Server {
        let mut stream = Vec::new();
        let mut pair = None;
        if tls {
            let mut reader = RecordReader::new();
            let used = reader.unwrap(first, &mut stream).expect("records");
            assert_eq!(used, first.len());
            pair = Some((reader, RecordWriter::server()));
        } else {
            stream.extend_from_slice(first);
        }
        let header: [u8; 64] = stream[..64].try_into().expect("64-byte header");
        let hs = server_handshake(&header, secret).expect("valid header");
        Server {
            framing: FramingKind::from(hs.tag).build(Role::Server, rng()),
            cipher: hs.cipher,
            tls: pair,
        }
    }

    impl Server {
        fn send(&mut self, packet: &[u8]) -> Vec<u8> {
            let mut framed = Vec::new();
            self.framing.pack(packet, &mut framed).expect("pack");
            self.cipher.encrypt(&mut framed);
            match &mut self.tls {
                Some((_, w)) => {
                    let mut out = Vec::new();
                    w.wrap(&framed, &mut out);
                    out
                }
                None => framed,
            }
        }
    }

    /// An encrypted-looking MTProto packet (non-zero auth_key_id, 24 + 16k bytes).
    fn packet(seed: u8) -> Vec<u8> {
        (0..24 + 32)
            .map(|i| seed.wrapping_add(i as u8) | 1)
            .collect()
    }

    /// Feeds `bytes` one at a time and collects every packet decoded.
    fn feed_bytewise(codec: &mut TransportCodec, bytes: &[u8]) -> Vec<Vec<u8>> {
        let mut buf = Vec::new();
        let mut out = Vec::new();
        for b in bytes {
            buf.push(*b);
            while let Some(p) = codec.decode(&mut buf).expect("decode") {
                out.push(p);
            }
        }
        out
    }

    #[test]
    fn obfuscated_stream_decodes_fed_byte_by_byte() {
        let key = [9u8; 16];
        for kind in [FramingKind::Intermediate, FramingKind::PaddedIntermediate] {
            let mut client =
                TransportCodec::obfuscated(kind, DcId::new(2), Some(&key)).expect("codec");
            assert!(client.handshake().is_none());
            let start = client.start();
            assert_eq!(start.len(), 64);
            let mut server = server_for(&start, Some(&key), false);
            let mut wire = Vec::new();
            for seed in 0..5 {
                wire.extend(server.send(&packet(seed)));
            }
            let got = feed_bytewise(&mut client, &wire);
            assert_eq!(got, (0..5).map(packet).collect::<Vec<_>>(), "{kind:?}");
        }
    }

    #[test]
    fn fake_tls_handshake_then_records_round_trip() {
        let key = [0x42u8; 16];
        let mut client =
            TransportCodec::fake_tls(DcId::new(2), &key, "example.com").expect("codec");
        let hello = client.handshake().expect("fake-TLS sends a hello");
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .expect("clock")
            .as_secs() as u32;
        let (verified, used) = verify_client_hello(
            &key,
            Some("example.com"),
            &hello,
            now,
            TimeWindow::default(),
        )
        .expect("valid hello")
        .expect("complete hello");
        assert_eq!(used, hello.len());
        let answer = build_server_hello(&mut *rng(), &key, &verified, 512);
        // Incomplete answers are waited for, the complete one accepted.
        assert_eq!(
            client.handshake_reply(&answer[..10]).expect("partial"),
            None
        );
        assert_eq!(
            client.handshake_reply(&answer).expect("valid"),
            Some(answer.len())
        );
        let start = client.start();
        let mut server = server_for(&start, Some(&key), true);
        let wire = server.send(&packet(7));
        assert_eq!(feed_bytewise(&mut client, &wire), vec![packet(7)]);
        // And client → server.
        let mut out = Vec::new();
        client.encode(&packet(8), &mut out).expect("encode");
        let mut stream = Vec::new();
        let (reader, _) = server.tls.as_mut().expect("tls");
        reader.unwrap(&out, &mut stream).expect("records");
        server.cipher.decrypt(&mut stream);
        let (frame, _) = server
            .framing
            .unpack(&stream)
            .expect("frame")
            .expect("complete");
        let Frame::Packet { payload, .. } = frame else {
            panic!("not a packet")
        };
        assert_eq!(trim_mtproto_padding(&payload), Some(&packet(8)[..]));
    }

    #[test]
    fn fake_tls_rejects_a_forged_server_hello() {
        let key = [0x42u8; 16];
        let mut client =
            TransportCodec::fake_tls(DcId::new(2), &key, "example.com").expect("codec");
        let hello = client.handshake().expect("hello");
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .expect("clock")
            .as_secs() as u32;
        let (verified, _) = verify_client_hello(
            &key,
            Some("example.com"),
            &hello,
            now,
            TimeWindow::default(),
        )
        .expect("valid")
        .expect("complete");
        let forged = build_server_hello(&mut *rng(), &[0x43u8; 16], &verified, 512);
        assert!(client.handshake_reply(&forged).is_err());
    }

    #[test]
    fn server_transport_error_code_is_typed() {
        let mut client = TransportCodec::plain(FramingKind::Intermediate);
        assert_eq!(client.start(), vec![0xee; 4]);
        let mut wire = 4u32.to_le_bytes().to_vec();
        wire.extend_from_slice(&(-404i32).to_le_bytes());
        let err = client.decode(&mut wire).expect_err("transport error");
        assert_eq!(err, FramingError::TransportCode(-404));
    }
}
