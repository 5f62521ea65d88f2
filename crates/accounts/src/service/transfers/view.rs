//! What a transfer looks like from outside: [`TransferView`], sent to subscribers on every
//! change and returned by [`super::Transfers::list`].

use std::path::PathBuf;
use std::time::Duration;

use hearth_client::Progress;
use hearth_store::AccountId;

use super::error::TransferError;

/// A transfer's number, unique within one [`super::Transfers`].
pub type TransferId = u64;

/// Which way the bytes go.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TransferKind {
    Download,
    Upload,
}

impl TransferKind {
    pub fn as_str(self) -> &'static str {
        match self {
            TransferKind::Download => "download",
            TransferKind::Upload => "upload",
        }
    }
}

/// Where a transfer stands.
#[derive(Clone, Debug)]
pub enum TransferState {
    Running,
    Done,
    Failed(TransferError),
    Cancelled,
}

impl TransferState {
    pub fn as_str(&self) -> &'static str {
        match self {
            TransferState::Running => "running",
            TransferState::Done => "done",
            TransferState::Failed(_) => "failed",
            TransferState::Cancelled => "cancelled",
        }
    }

    /// Done, failed or cancelled: nothing will change any more.
    pub fn is_finished(&self) -> bool {
        !matches!(self, TransferState::Running)
    }
}

/// One transfer as it is now.
#[derive(Clone, Debug)]
pub struct TransferView {
    pub id: TransferId,
    pub kind: TransferKind,
    pub account: AccountId,
    /// The chat, as a Bot API id (users as is, basic groups negative, channels `-100…`).
    pub peer: i64,
    /// The file's name (a download's: the document's, else `photo_<id>.jpg`).
    pub file_name: String,
    /// The local file: a download's destination, an upload's source.
    pub path: PathBuf,
    /// A download's message; an upload's sent message once done.
    pub message_id: Option<i32>,
    pub done: u64,
    pub total: Option<u64>,
    pub bytes_per_sec: f64,
    pub eta: Option<Duration>,
    pub state: TransferState,
}

impl TransferView {
    pub(crate) fn apply(&mut self, p: &Progress) {
        self.done = p.done;
        self.total = p.total.or(self.total);
        self.bytes_per_sec = p.bytes_per_sec;
        self.eta = p.eta;
    }
}
