//! [`TransferError`]: why a transfer could not start or did not finish, with a stable
//! [`TransferError::code`] (the file layer's codes, plus the service's own).

use std::path::PathBuf;

use hearth_client::FileError;

use crate::error::AccountsError;

/// Why a transfer failed. Cloneable, so a failed transfer's view keeps it.
#[derive(Debug, Clone, thiserror::Error)]
pub enum TransferError {
    /// The account could not be used (no such account, signed out, keyring, …).
    #[error("{message}")]
    Account {
        code: String,
        field: Option<&'static str>,
        message: String,
    },

    /// The download or upload itself failed (network, Telegram, disk, cancelled).
    #[error("{0}")]
    File(#[from] FileError),

    /// The message is not in the chat (never was, or deleted).
    #[error("message {message_id} was not found in this chat; it may have been deleted")]
    NoMessage { message_id: i32 },

    /// The message holds no photo or document.
    #[error("message {message_id} has no photo or document to download")]
    NoMedia { message_id: i32 },

    /// The local file to upload cannot be used.
    #[error("{}: {reason}", path.display())]
    LocalFile { path: PathBuf, reason: String },

    /// No transfer has this id.
    #[error("no transfer has id {0}")]
    NoSuchTransfer(u64),
}

impl TransferError {
    /// A stable code: the account service's or the file layer's code, else `MESSAGE_NOT_FOUND`,
    /// `NO_MEDIA`, `LOCAL_FILE`, `NO_SUCH_TRANSFER`.
    pub fn code(&self) -> &str {
        match self {
            TransferError::Account { code, .. } => code,
            TransferError::File(e) => e.code(),
            TransferError::NoMessage { .. } => "MESSAGE_NOT_FOUND",
            TransferError::NoMedia { .. } => "NO_MEDIA",
            TransferError::LocalFile { .. } => "LOCAL_FILE",
            TransferError::NoSuchTransfer(_) => "NO_SUCH_TRANSFER",
        }
    }

    /// The input the error concerns (`peer`, `message_id`, `file`, …), if any.
    pub fn field(&self) -> Option<&'static str> {
        match self {
            TransferError::Account { field, .. } => *field,
            TransferError::File(e) => match e.code() {
                "PEER_NOT_MET" | "PEER_ID_INVALID" => Some("peer"),
                "FILE_EMPTY" | "FILE_TOO_BIG" => Some("file"),
                _ => None,
            },
            TransferError::NoMessage { .. } | TransferError::NoMedia { .. } => Some("message_id"),
            TransferError::LocalFile { .. } => Some("file"),
            TransferError::NoSuchTransfer(_) => Some("id"),
        }
    }
}

impl From<AccountsError> for TransferError {
    fn from(e: AccountsError) -> Self {
        TransferError::Account {
            code: e.code().to_owned(),
            field: e.field(),
            message: e.to_string(),
        }
    }
}

impl From<hearth_client::ClientError> for TransferError {
    fn from(e: hearth_client::ClientError) -> Self {
        TransferError::File(FileError::Client(e))
    }
}

/// Reading or writing the media cache.
impl From<std::io::Error> for TransferError {
    fn from(e: std::io::Error) -> Self {
        TransferError::File(FileError::Io {
            what: "the media cache".into(),
            source: std::sync::Arc::new(e),
        })
    }
}
