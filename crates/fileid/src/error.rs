//! Why an id could not be decoded or encoded. Every variant names what failed; none is a
//! panic, whatever the input.

use thiserror::Error;

/// A string that is not a valid `file_id` or `file_unique_id`.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum DecodeError {
    #[error("not base64url (A-Z a-z 0-9 - _, no padding needed): {0}; copy the whole id")]
    Base64(#[from] base64::DecodeError),
    #[error("the id is empty")]
    Empty,
    #[error("the zero run at byte {offset} has no length byte: the id is cut short")]
    ZeroRun { offset: usize },
    #[error(
        "unsupported file id version {major} (known: 2, 3, 4); \
         is this a file_unique_id, or an id of another client?"
    )]
    WrongVersion { major: u8 },
    #[error(
        "truncated: {what} needs {need} bytes at byte {offset}, {have} left; copy the whole id"
    )]
    Truncated {
        what: &'static str,
        offset: usize,
        need: usize,
        have: usize,
    },
    #[error("unknown file type {0} (known: 0 to 17)")]
    UnknownFileType(i32),
    #[error("unknown photo-size source {0} (known: 0 to 9)")]
    UnknownSource(i32),
    #[error("unknown file_unique_id type {0} (known: 0 web, 1 photo, 2 document)")]
    UnknownUniqueType(i32),
    #[error(
        "file_unique_id type {0} (3 secure, 4 encrypted, 5 temp) has no published layout; \
         neither this codec nor Pyrogram decodes it"
    )]
    UnsupportedUniqueType(i32),
    #[error("{count} trailing bytes after the {what}: not an id this codec knows, or two ids pasted together")]
    TrailingBytes { what: &'static str, count: usize },
    #[error("the {what} length byte 255 is not a TL string length")]
    BadLength { what: &'static str },
    #[error("the {what} is not UTF-8")]
    NotUtf8 { what: &'static str },
    #[error("thumbnail type {0} is not a character code")]
    BadThumbnailType(i32),
}

/// A [`crate::FileId`] whose parts do not fit its version.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum EncodeError {
    #[error(
        "photo ids of version {major}.{minor} carry volume_id and local_id before the source \
         (sub-versions below 32 and versions 2 and 3); give them exactly then"
    )]
    LegacyVolume { major: u8, minor: u8 },
    #[error("version {major} photo ids only have the legacy source (secret)")]
    SourceNeedsVersion4 { major: u8 },
    #[error("Pyrogram's document padding exists only in version 4 ids of common documents without a file reference")]
    Padding,
    #[error("the {what} is {len} bytes; TL strings hold at most 16777215")]
    TooLong { what: &'static str, len: usize },
    #[error("photo size type {0:?} is not one ASCII letter")]
    SizeType(char),
}

/// A flat field set (the JSON form) that does not describe one id.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum FieldsError {
    #[error("field `{0}` is missing")]
    Missing(&'static str),
    #[error("field `{field}` has no meaning for this {kind}")]
    Unexpected {
        field: &'static str,
        kind: &'static str,
    },
    #[error("field `{field}`: unknown value {value:?} (known: {known})")]
    UnknownName {
        field: &'static str,
        value: String,
        known: String,
    },
    #[error("field `{field}`: {reason}")]
    Invalid { field: &'static str, reason: String },
    #[error(transparent)]
    Encode(#[from] EncodeError),
}
