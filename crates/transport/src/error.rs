//! Transport-level errors.
//!
//! Besides local framing failures this covers the one error channel the
//! server has below MTProto: a frame whose whole payload is a single negative
//! little-endian `int32` (core.telegram.org/mtproto/mtproto-transports,
//! "Transport errors").

use thiserror::Error;

/// An error code the server sent as a 4-byte transport frame.
///
/// The server closes the connection right after sending one of these.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TransportErrorCode {
    /// `-404`: the server does not know the auth key the packet was
    /// encrypted with (or it could not find a key/session matching it).
    AuthKeyNotFound,
    /// `-429`: too many connections or too many requests from this address
    /// (transport flood).
    TransportFlood,
    /// `-444`: the DC id the client asked for (in the obfuscated2 header or
    /// through an MTProxy) is invalid.
    InvalidDc,
    /// Any other negative code.
    Other(i32),
}

impl TransportErrorCode {
    /// Maps a raw negative code to its typed form.
    pub fn from_code(code: i32) -> Self {
        match code {
            -404 => Self::AuthKeyNotFound,
            -429 => Self::TransportFlood,
            -444 => Self::InvalidDc,
            other => Self::Other(other),
        }
    }

    /// The raw (negative) value as sent on the wire.
    pub fn code(self) -> i32 {
        match self {
            Self::AuthKeyNotFound => -404,
            Self::TransportFlood => -429,
            Self::InvalidDc => -444,
            Self::Other(code) => code,
        }
    }

    /// Interprets a complete frame payload as a transport error, if it is one.
    ///
    /// `payload` must be the payload of one frame. It qualifies when it
    /// starts with a negative `int32` and is exactly 4 bytes long, or, with
    /// `padded` (padded intermediate appends 0..15 random bytes), shorter
    /// than the smallest valid MTProto message (20 bytes).
    pub fn from_frame(payload: &[u8], padded: bool) -> Option<Self> {
        let max = if padded { MIN_MTPROTO_MESSAGE - 1 } else { 4 };
        if payload.len() < 4 || payload.len() > max {
            return None;
        }
        let code = i32::from_le_bytes([payload[0], payload[1], payload[2], payload[3]]);
        (code < 0).then(|| Self::from_code(code))
    }

    /// The 4-byte payload a server sends to report this error.
    pub fn to_payload(self) -> [u8; 4] {
        self.code().to_le_bytes()
    }
}

/// The smallest possible MTProto message: an unencrypted one with an empty
/// body (8-byte auth_key_id + 8-byte msg_id + 4-byte length).
pub const MIN_MTPROTO_MESSAGE: usize = 20;

impl std::fmt::Display for TransportErrorCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::AuthKeyNotFound => f.write_str(
                "the server does not know this auth key (-404); it was dropped or never \
                 registered on this data center: create a new auth key, and log in again if \
                 it was the account's permanent key",
            ),
            Self::TransportFlood => f.write_str(
                "too many connections or requests from this address (-429, transport flood); \
                 wait a while before reconnecting and keep fewer connections open",
            ),
            Self::InvalidDc => f.write_str(
                "the server rejected the data center id (-444); check the DC id in the \
                 configuration (and that the proxy serves it), then reconnect",
            ),
            Self::Other(code) => write!(
                f,
                "the server closed the connection with transport error {code}; reconnect, \
                 and report it if it keeps happening"
            ),
        }
    }
}

/// Everything that can go wrong below MTProto.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum TransportError {
    /// The server reported a transport error and will close the connection.
    #[error("{0}")]
    Server(TransportErrorCode),
    /// A frame (incoming or outgoing) is larger than the configured limit.
    #[error(
        "frame of {len} bytes exceeds the {max}-byte limit; the stream is corrupt or the \
         peer misbehaves: close the connection and reconnect"
    )]
    FrameTooLarge { len: usize, max: usize },
    /// A frame is shorter than its envelope allows.
    #[error("frame of {len} bytes is shorter than the minimum of {min}; the stream is corrupt")]
    FrameTooShort { len: usize, min: usize },
    /// A padded intermediate frame does not hold the whole MTProto message
    /// its header announces.
    #[error(
        "padded intermediate frame of {len} bytes is shorter than the MTProto message it \
         carries; the stream is corrupt or the peer is not speaking MTProto: reconnect"
    )]
    PaddedFrameTooShort { len: usize },
    /// The codec needs payloads whose length is a multiple of four.
    #[error("payload of {0} bytes is not a multiple of 4 bytes, which this transport requires")]
    Unaligned(usize),
    /// The full transport checksum did not match.
    #[error(
        "full transport CRC32 mismatch (frame says {expected:#010x}, computed {actual:#010x}); \
         the connection corrupted data: reconnect"
    )]
    BadCrc { expected: u32, actual: u32 },
    /// The full transport sequence number is not the next one.
    #[error(
        "full transport sequence number {actual} where {expected} was expected; packets were \
         lost or duplicated: reconnect"
    )]
    BadSeqno { expected: u32, actual: u32 },
    /// The codec cannot carry quick acknowledgements.
    #[error("this transport has no quick acknowledgements")]
    QuickAckUnsupported,
    /// A client-only or server-only operation was used from the other side.
    #[error("operation is only valid for the {0} side of a connection")]
    WrongRole(&'static str),
    /// The first bytes of a connection match no known transport.
    #[error("unrecognised transport: {0}")]
    UnknownProtocol(&'static str),
    /// The obfuscated2 header names a protocol tag that is not allowed.
    #[error("obfuscated2 header carries unknown protocol tag {0:#010x}; the secret is wrong or the client is not speaking MTProto")]
    BadProtocolTag(u32),
    /// A fake-TLS ClientHello's timestamp is outside the accepted window.
    #[error(
        "the client's clock is {seconds} s off the proxy's (positive: behind); set the \
         system clock correctly and reconnect"
    )]
    ClockSkew { seconds: i64 },
    /// A fake-TLS record or handshake failed to parse or verify.
    #[error("fake-TLS: {0}")]
    FakeTls(&'static str),
}
