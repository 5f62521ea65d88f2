//! Server-side connection setup: recognises the client's transport
//! ([`detect`](crate::detect)), runs the obfuscated2 and fake-TLS
//! handshakes, and yields a ready [`Pipeline`]. Used by our DC emulator and
//! by tests that play an MTProxy.

use rand_core::{CryptoRng, Rng};

use crate::detect::{detect, Detected};
use crate::error::TransportError;
use crate::fake_tls::{self, RecordReader, RecordWriter, TimeWindow};
use crate::framing::{FramingKind, Role};
use crate::mtproxy::MtProxySecret;
use crate::obfuscated::{server_handshake, DcId, HEADER_LEN};
use crate::pipeline::Pipeline;

const ALREADY_DONE: &str =
    "the handshake already finished or failed; use the pipeline or close the connection";

/// What a server accepts.
#[derive(Debug, Clone)]
pub struct AcceptConfig {
    /// Proxy secret; `None` for a DC, which takes plain and obfuscated2
    /// clients. With a secret only obfuscated2 keyed by it is accepted, and
    /// only the modes the secret allows (`ee`: fake-TLS only).
    pub secret: Option<MtProxySecret>,
    /// Fake-TLS clock tolerance.
    pub window: TimeWindow,
    /// Size of the fake certificate record in the ServerHello answer.
    pub fake_cert_len: usize,
}

impl AcceptConfig {
    /// A DC endpoint: no secret.
    pub fn dc() -> Self {
        Self {
            secret: None,
            window: TimeWindow::default(),
            fake_cert_len: 2048,
        }
    }

    /// An MTProxy endpoint with `secret`.
    pub fn proxy(secret: MtProxySecret) -> Self {
        Self {
            secret: Some(secret),
            ..Self::dc()
        }
    }
}

/// A connection that is being accepted.
pub struct Acceptor {
    config: AcceptConfig,
    padding: Option<Box<dyn Rng + Send>>,
    buffer: Vec<u8>,
    /// Set after a verified ClientHello: reading the header from records.
    tls: Option<(RecordReader, Vec<u8>)>,
    /// Set once a pipeline was handed out or the handshake failed.
    done: bool,
}

impl std::fmt::Debug for Acceptor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Acceptor")
            .field("buffered", &self.buffer.len())
            .field("tls", &self.tls.is_some())
            .finish_non_exhaustive()
    }
}

/// A finished handshake.
#[derive(Debug)]
pub struct Accepted {
    pub pipeline: Pipeline,
    /// The DC the client asked for (`None` for plain transports).
    pub dc: Option<DcId>,
    pub kind: FramingKind,
}

impl Acceptor {
    /// `padding` feeds padded intermediate's random padding.
    pub fn new(config: AcceptConfig, padding: Box<dyn Rng + Send>) -> Self {
        Self {
            config,
            padding: Some(padding),
            buffer: Vec::new(),
            tls: None,
            done: false,
        }
    }

    /// Feeds bytes from the client; appends anything to send back to `out`
    /// (the fake-TLS answer). Returns the connection once established.
    /// `now` is the current unix time. After an error, close the connection;
    /// after success, feed the returned pipeline instead.
    pub fn feed(
        &mut self,
        rng: &mut impl CryptoRng,
        bytes: &[u8],
        now: u32,
        out: &mut Vec<u8>,
    ) -> Result<Option<Accepted>, TransportError> {
        if self.done {
            return Err(TransportError::UnknownProtocol(ALREADY_DONE));
        }
        let result = self.step(rng, bytes, now, out);
        self.done = !matches!(result, Ok(None));
        result
    }

    fn step(
        &mut self,
        rng: &mut impl CryptoRng,
        bytes: &[u8],
        now: u32,
        out: &mut Vec<u8>,
    ) -> Result<Option<Accepted>, TransportError> {
        self.buffer.extend_from_slice(bytes);
        if self.tls.is_some() {
            return self.tls_header();
        }
        let Some(detected) = detect(&self.buffer)? else {
            return Ok(None);
        };
        let secret = self.config.secret.as_ref();
        match detected {
            Detected::Plain { kind, preamble_len } => {
                if secret.is_some() {
                    return Err(TransportError::UnknownProtocol(
                        "a plain transport reached an MTProxy, which needs obfuscation",
                    ));
                }
                let mut pipeline = Pipeline::new(self.framing(kind)?, None, None);
                pipeline.feed(&self.buffer[preamble_len..])?;
                Ok(Some(Accepted {
                    pipeline,
                    dc: None,
                    kind,
                }))
            }
            Detected::Obfuscated2 => {
                if matches!(secret, Some(MtProxySecret::FakeTls { .. })) {
                    return Err(TransportError::UnknownProtocol(
                        "this proxy only accepts fake-TLS clients",
                    ));
                }
                let Some(header) = self.buffer.get(..HEADER_LEN) else {
                    return Ok(None);
                };
                let header: [u8; HEADER_LEN] = header
                    .try_into()
                    .map_err(|_| TransportError::UnknownProtocol("short obfuscated2 header"))?;
                let rest = self.buffer[HEADER_LEN..].to_vec();
                self.finish(&header, None, rest)
            }
            Detected::FakeTls => {
                let Some(MtProxySecret::FakeTls { key, domain }) = secret else {
                    return Err(TransportError::UnknownProtocol(
                        "a fake-TLS client reached an endpoint without an ee secret",
                    ));
                };
                let Some((hello, used)) = fake_tls::verify_client_hello(
                    key,
                    Some(domain),
                    &self.buffer,
                    now,
                    self.config.window,
                )?
                else {
                    return Ok(None);
                };
                out.extend(fake_tls::build_server_hello(
                    rng,
                    key,
                    &hello,
                    self.config.fake_cert_len,
                ));
                self.buffer.drain(..used);
                self.tls = Some((RecordReader::new(), Vec::new()));
                self.tls_header()
            }
        }
    }

    /// Fake-TLS: collects the obfuscated2 header from the records.
    fn tls_header(&mut self) -> Result<Option<Accepted>, TransportError> {
        let Some((reader, inner)) = &mut self.tls else {
            return Ok(None);
        };
        let used = reader.unwrap(&self.buffer, inner)?;
        self.buffer.drain(..used);
        let Some(header) = inner.get(..HEADER_LEN) else {
            return Ok(None);
        };
        let header: [u8; HEADER_LEN] = header
            .try_into()
            .map_err(|_| TransportError::UnknownProtocol("short obfuscated2 header"))?;
        let rest = inner[HEADER_LEN..].to_vec();
        let reader = reader.clone();
        self.finish(&header, Some(reader), rest)
    }

    /// The framing of the one pipeline this acceptor hands out (it owns the
    /// padding source, so a second call fails like a second `feed`).
    fn framing(&mut self, kind: FramingKind) -> Result<Box<dyn crate::Framing>, TransportError> {
        let padding = self
            .padding
            .take()
            .ok_or(TransportError::UnknownProtocol(ALREADY_DONE))?;
        Ok(kind.build(Role::Server, padding))
    }

    fn finish(
        &mut self,
        header: &[u8; HEADER_LEN],
        tls: Option<RecordReader>,
        mut inner: Vec<u8>,
    ) -> Result<Option<Accepted>, TransportError> {
        let secret = self.config.secret.as_ref();
        let hs = server_handshake(header, secret.map(MtProxySecret::key))?;
        if let Some(secret) = secret {
            if !secret.allows(hs.tag) {
                return Err(TransportError::UnknownProtocol(
                    "this proxy's secret requires padded intermediate framing (dd/ee)",
                ));
            }
        }
        let kind = FramingKind::from(hs.tag);
        let framing = self.framing(kind)?;
        let tls = tls.map(|reader| (reader, RecordWriter::server()));
        let mut pipeline = Pipeline::new(framing, Some(hs.cipher), tls);
        pipeline.feed_inner(&mut inner);
        if pipeline.layers().1 {
            let rest = std::mem::take(&mut self.buffer);
            pipeline.keep_raw(&rest);
            pipeline.feed(&[])?;
        }
        Ok(Some(Accepted {
            pipeline,
            dc: Some(hs.dc),
            kind,
        }))
    }
}
