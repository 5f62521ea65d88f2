use thiserror::Error;

/// Why bytes could not be decoded as the requested TL type.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum DeserializeError {
    /// The constructor id read is not one of the type's constructors.
    #[error("unexpected constructor {id:#010x} ({}) where {expected} was expected", crate::name_for_id(*id).unwrap_or("unknown"))]
    UnexpectedConstructor { id: u32, expected: &'static str },
    /// The input ended in the middle of a value.
    #[error("input ended before the value was complete")]
    UnexpectedEof,
    /// Recursive types nested deeper than [`crate::MAX_DEPTH`].
    #[error("recursive value nested deeper than {limit} levels")]
    TooDeep { limit: u32 },
    /// A `gzip_packed` object whose data is not valid gzip.
    #[error("gzip_packed data could not be decompressed: {0}")]
    BadGzip(String),
    /// A `gzip_packed` object decompressing to more than the allowed size
    /// (the inflate budget of the message it arrived in).
    #[error("gzip_packed data decompresses to more than {limit} bytes, the limit for one message")]
    GzipTooLarge { limit: usize },
    /// A `gzip_packed` object whose content is again a `gzip_packed`.
    #[error("gzip_packed data unpacks to another gzip_packed; nested packing is refused")]
    NestedGzip,
    /// A `gzip_packed` object inside a value, where only a whole RPC result or
    /// message body may be packed (always so for key-exchange types).
    #[error("gzip_packed found where {expected} was expected; only a whole RPC result or message may be packed")]
    GzipNotAllowed { expected: &'static str },
    /// A `bytes`/`string` length prefix of 255, which TL does not define
    /// (254 introduces the 3-byte long form).
    #[error("byte string length prefix 0xff is not valid TL (only 0xfe starts a long length)")]
    BadLengthPrefix,
    /// A `msg_container` message whose `bytes` length does not fit the input.
    #[error("container message declares {declared} body bytes; {available} remain")]
    BadMessageLength { declared: i32, available: usize },
}
