//! Client-side connection setup: which bytes to send first and when the
//! pipeline is ready (core.telegram.org/mtproto/mtproto-transports,
//! core.telegram.org/mtproto/mtproto-proxy).

use rand_core::{CryptoRng, Rng};

use crate::error::TransportError;
use crate::fake_tls::{self, RecordReader, RecordWriter};
use crate::framing::{FramingKind, ProtocolTag, Role};
use crate::mtproxy::MtProxySecret;
use crate::obfuscated::{client_handshake, DcId, Obfuscated2, HEADER_LEN};
use crate::pipeline::Pipeline;

/// How a client reaches a DC.
#[derive(Debug, Clone)]
pub enum ClientMode {
    /// Plain framing with its preamble (no obfuscation).
    Plain(FramingKind),
    /// obfuscated2 straight to the DC.
    Obfuscated { tag: ProtocolTag, dc: DcId },
    /// Through an MTProxy. `dd` and `ee` secrets force padded intermediate
    /// whatever `tag` says; `ee` adds the fake-TLS handshake.
    MtProxy {
        secret: MtProxySecret,
        tag: ProtocolTag,
        dc: DcId,
    },
}

/// The outcome of [`connect`].
#[derive(Debug)]
pub enum Connecting {
    /// Ready now; send the returned bytes before any packet.
    Ready(Pipeline),
    /// Fake-TLS: wait for the proxy's answer (see [`FakeTlsClient::feed`]).
    AwaitingServerHello(FakeTlsClient),
}

/// Starts a client connection. Returns the bytes to send first and the
/// connection state. `unix_time` is the current time (fake-TLS only);
/// `padding` feeds padded intermediate's random padding.
pub fn connect(
    rng: &mut impl CryptoRng,
    mode: ClientMode,
    unix_time: u32,
    padding: Box<dyn Rng + Send>,
) -> Result<(Vec<u8>, Connecting), TransportError> {
    match mode {
        ClientMode::Plain(kind) => {
            let framing = kind.build(Role::Client, padding);
            let preamble = framing.preamble().to_vec();
            Ok((
                preamble,
                Connecting::Ready(Pipeline::new(framing, None, None)),
            ))
        }
        ClientMode::Obfuscated { tag, dc } => {
            let (header, obf) = client_handshake(rng, tag, dc, None)?;
            let framing = FramingKind::from(tag).build(Role::Client, padding);
            let pipeline = Pipeline::new(framing, Some(obf), None);
            Ok((header.to_vec(), Connecting::Ready(pipeline)))
        }
        ClientMode::MtProxy { secret, tag, dc } => {
            let tag = secret.required_tag().unwrap_or(tag);
            let (header, obf) = client_handshake(rng, tag, dc, Some(secret.key()))?;
            let framing = FramingKind::from(tag).build(Role::Client, padding);
            match &secret {
                MtProxySecret::FakeTls { key, domain } => {
                    let hello = fake_tls::build_client_hello(rng, key, domain, unix_time)?;
                    let pending = FakeTlsClient {
                        key: *key,
                        random: hello.random,
                        header,
                        parts: Some((framing, obf)),
                        buffer: Vec::new(),
                    };
                    Ok((hello.bytes, Connecting::AwaitingServerHello(pending)))
                }
                _ => Ok((
                    header.to_vec(),
                    Connecting::Ready(Pipeline::new(framing, Some(obf), None)),
                )),
            }
        }
    }
}

/// A fake-TLS client waiting for the proxy's ServerHello.
pub struct FakeTlsClient {
    key: [u8; 16],
    random: [u8; 32],
    header: [u8; HEADER_LEN],
    parts: Option<(Box<dyn crate::Framing>, Obfuscated2)>,
    buffer: Vec<u8>,
}

impl std::fmt::Debug for FakeTlsClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FakeTlsClient")
            .field("buffered", &self.buffer.len())
            .finish_non_exhaustive()
    }
}

impl Drop for FakeTlsClient {
    fn drop(&mut self) {
        use zeroize::Zeroize;
        self.key.zeroize();
        self.header.zeroize();
    }
}

impl FakeTlsClient {
    /// Feeds bytes from the proxy. Once its answer verifies, returns the
    /// bytes to send next (change_cipher_spec and the obfuscated2 header in
    /// a record) and the ready pipeline, which already holds any bytes that
    /// followed the answer. Call no more after that.
    pub fn feed(&mut self, bytes: &[u8]) -> Result<Option<(Vec<u8>, Pipeline)>, TransportError> {
        self.buffer.extend_from_slice(bytes);
        let Some(used) = fake_tls::verify_server_hello(&self.key, &self.random, &self.buffer)?
        else {
            return Ok(None);
        };
        let (framing, obf) = self
            .parts
            .take()
            .ok_or(TransportError::FakeTls("handshake already completed"))?;
        let tls = (RecordReader::new(), RecordWriter::client());
        let mut pipeline = Pipeline::new(framing, Some(obf), Some(tls));
        let mut out = Vec::new();
        pipeline.emit_encrypted(&self.header, &mut out);
        let rest = self.buffer.split_off(used);
        pipeline.feed(&rest)?;
        Ok(Some((out, pipeline)))
    }
}
