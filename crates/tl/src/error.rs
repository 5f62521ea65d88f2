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
    /// A `gzip_packed` object decompressing to more than the allowed size.
    #[error("gzip_packed data decompresses to more than {limit} bytes")]
    GzipTooLarge { limit: usize },
    /// A `msg_container` message whose `bytes` length does not fit the input.
    #[error("container message declares {declared} body bytes; {available} remain")]
    BadMessageLength { declared: i32, available: usize },
}
