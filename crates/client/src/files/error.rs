//! [`FileError`]: how a download, an upload or a thumbnail can fail, with a
//! stable [`FileError::code`] like [`ClientError::code`]'s.

use std::sync::Arc;

use crate::error::ClientError;

/// Why a file transfer failed.
#[derive(Debug, Clone, thiserror::Error)]
pub enum FileError {
    /// A request failed (RPC error, flood wait above the threshold, network).
    #[error("{0}")]
    Client(#[from] ClientError),

    /// Reading or writing the local file failed.
    #[error("{what} failed: {source}; check the path, free disk space and permissions")]
    Io {
        what: String,
        #[source]
        source: Arc<std::io::Error>,
    },

    /// The transfer was cancelled by its caller.
    #[error("the transfer was cancelled")]
    Cancelled,

    /// The file reference stayed expired after re-fetching its message once.
    #[error("the file's reference expired and re-fetching message {message_id} did not renew it; the message may have been deleted or edited, open the chat again")]
    ReferenceExpired { message_id: i32 },

    /// The message no longer holds the media (deleted, or edited away).
    #[error("message {message_id} no longer holds this file; it may have been deleted or edited")]
    MediaGone { message_id: i32 },

    /// An upload of nothing (Telegram refuses empty files).
    #[error("{name:?} is empty; Telegram does not accept empty files")]
    Empty { name: String },

    /// An upload above Telegram's largest file.
    #[error("{name:?} is {size} bytes, more than the {max} bytes Telegram accepts in one file")]
    TooBig { name: String, size: u64, max: u64 },

    /// Options a transfer cannot run with.
    #[error("invalid transfer options: {0}")]
    Options(String),

    /// The server answered with a CDN redirect, which this client does not follow.
    #[error("DC {dc} redirected the download to a CDN, which Hearth does not support yet")]
    CdnRedirect { dc: i32 },

    /// The server sent fewer or more bytes than the file has.
    #[error(
        "DC {dc} sent {got} bytes at offset {offset} where {expected} were expected; try again"
    )]
    ShortPart {
        dc: i32,
        offset: u64,
        got: usize,
        expected: usize,
    },

    /// A pasted Bot API file id is not one (the codec says what is wrong).
    #[error("this is not a valid file id: {0}")]
    FileId(hearth_fileid::DecodeError),

    /// A valid file id that names something a message cannot send again.
    #[error("this file id names {what}, which cannot be sent as a message; paste the file id of a photo or a document")]
    FileIdNotSendable { what: &'static str },

    /// A stripped thumbnail is malformed.
    #[error("the stripped thumbnail cannot be decoded: {0}")]
    Thumb(&'static str),
}

impl FileError {
    /// A stable code: the client error's code for [`FileError::Client`],
    /// else `IO`, `CANCELLED`, `FILE_REFERENCE_EXPIRED`, `MEDIA_GONE`,
    /// `FILE_EMPTY`, `FILE_TOO_BIG`, `OPTIONS`, `CDN`, `SHORT_PART`, `THUMB`,
    /// `FILE_ID_INVALID`, `FILE_ID_NOT_SENDABLE`.
    pub fn code(&self) -> &str {
        match self {
            FileError::Client(e) => e.code(),
            FileError::Io { .. } => "IO",
            FileError::Cancelled => "CANCELLED",
            FileError::ReferenceExpired { .. } => "FILE_REFERENCE_EXPIRED",
            FileError::MediaGone { .. } => "MEDIA_GONE",
            FileError::Empty { .. } => "FILE_EMPTY",
            FileError::TooBig { .. } => "FILE_TOO_BIG",
            FileError::Options(_) => "OPTIONS",
            FileError::CdnRedirect { .. } => "CDN",
            FileError::ShortPart { .. } => "SHORT_PART",
            FileError::Thumb(_) => "THUMB",
            FileError::FileId(_) => "FILE_ID_INVALID",
            FileError::FileIdNotSendable { .. } => "FILE_ID_NOT_SENDABLE",
        }
    }

    pub(crate) fn io(what: impl Into<String>, e: std::io::Error) -> Self {
        FileError::Io {
            what: what.into(),
            source: Arc::new(e),
        }
    }

    /// The client error, if this is one.
    pub fn client(&self) -> Option<&ClientError> {
        match self {
            FileError::Client(e) => Some(e),
            _ => None,
        }
    }
}
