//! Sans-IO MTProto transports (core.telegram.org/mtproto/mtproto-transports,
//! core.telegram.org/mtproto/transports, core.telegram.org/mtproto/mtproto-proxy).
//!
//! Nothing here touches a socket: every codec turns payloads into bytes and
//! bytes back into frames, so the client, our DC emulator and diagnostic
//! probes share one implementation, and every edge case is a unit test.
//!
//! Layers, outermost first on the wire:
//! - [`fake_tls`]: MTProxy `ee` secrets disguise the stream as TLS 1.3;
//! - [`obfuscated`]: obfuscated2 AES-256-CTR stream with a 64-byte header;
//! - [`framing`]: abridged, intermediate, padded intermediate and full codecs;
//! - [`detect`]: how a server recognises which of these a client speaks.
//!
//! [`connect`](connect()) and [`Acceptor`] set up a whole [`Pipeline`] for
//! a client or a server; [`mtproxy`] parses proxy secrets and [`link`]
//! proxy links.
//!
//! ```
//! use hearth_transport::{connect, AcceptConfig, Acceptor, ClientMode, Connecting, DcId, Frame, ProtocolTag};
//! use rand::{rngs::StdRng, SeedableRng};
//!
//! let mut rng = StdRng::seed_from_u64(1);
//! let mode = ClientMode::Obfuscated { tag: ProtocolTag::Intermediate, dc: DcId::new(2) };
//! let (mut wire, connecting) = connect(&mut rng, mode, 0, Box::new(StdRng::seed_from_u64(2)))?;
//! let Connecting::Ready(mut client) = connecting else { unreachable!("no fake-TLS here") };
//! client.send(&[7; 24], &mut wire)?; // header and first packet go out together
//!
//! let mut acceptor = Acceptor::new(AcceptConfig::dc(), Box::new(StdRng::seed_from_u64(3)));
//! let accepted = acceptor.feed(&mut rng, &wire, 0, &mut Vec::new())?.expect("complete");
//! assert_eq!(accepted.dc, Some(DcId::new(2)));
//! let mut server = accepted.pipeline;
//! let Some(Frame::Packet { payload, .. }) = server.next_frame()? else { panic!() };
//! assert_eq!(payload, [7; 24]);
//! # Ok::<(), hearth_transport::TransportError>(())
//! ```

pub mod accept;
pub mod connect;
pub mod detect;
pub mod error;
pub mod fake_tls;
pub mod framing;
pub mod link;
pub mod mtproxy;
pub mod obfuscated;
pub mod pipeline;

pub use accept::{AcceptConfig, Accepted, Acceptor};
pub use connect::{connect, ClientMode, Connecting, FakeTlsClient};
pub use error::{TransportError, TransportErrorCode};
pub use framing::{
    Abridged, Frame, Framing, FramingKind, Full, Intermediate, PaddedIntermediate, ProtocolTag,
    Role, DEFAULT_MAX_FRAME,
};
pub use link::{LinkError, ProxyLink};
pub use mtproxy::{MtProxySecret, SecretError};
pub use obfuscated::DcId;
pub use pipeline::Pipeline;
