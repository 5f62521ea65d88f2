//! `hearth-cli upload` and `download`: media transfers through `hearth-accounts`'
//! [`Transfers`] (the same manager the app uses), with a progress bar on a terminal
//! ([`progress`]) or, with `--json`, progress lines (at most five a second) and a final line.
//!
//! PEER is given as for `history` (`me`, `@username`, `+phone`, an id from `dialogs`).
//! A download is saved under the file's own name (the document's, else `photo_<id>.jpg`) in
//! `--out` when that is a directory (the current directory by default), else at `--out`; it is
//! written to `<path>.part` first and renamed when complete, and a later download to the same
//! path resumes from that file. Ctrl-C cancels the transfer (exit 130).

mod progress;

use std::path::PathBuf;

use clap::Args;
use hearth_accounts::{
    AccountId, Destination, DownloadRequest, TransferError, TransferState, TransferView, Transfers,
    UploadRequest,
};
use tokio::sync::broadcast::{self, error::RecvError};

use crate::chats;
use crate::context::Context;
use crate::exit::{self, Failure};
use crate::output::Output;
use progress::{final_json, final_line, Reporter};

/// The exit codes of `upload` and `download`, for their `--help`.
pub const HELP: &str = "\
Exit codes:
  0  the file was sent or saved
  1  the transfer failed (Telegram refused, the network failed, the disk could not be written)
  2  bad arguments: no such local file, a peer the account has not met, a message that is not
     in the chat or holds no photo or document
  6  the OS keyring is unreachable or locked
  7  no account has the given id
  8  the account is signed out (its session was ended elsewhere); sign in again
  130  interrupted (Ctrl-C); the transfer was cancelled (a download keeps its .part file)

With --json: progress lines {\"transfer\":…,\"state\":\"running\",\"done\":…,\"total\":…,
\"bytes_per_sec\":…,\"eta_secs\":…} at most five a second, then one line with the final state.";

#[derive(Debug, Clone, Args)]
pub struct UploadArgs {
    /// The account's id (from `account list`).
    pub account: i64,
    /// `me`, `@username`, a phone number, or an id from `dialogs`.
    pub peer: String,
    /// The file to send: a JPEG or PNG up to 10 MB goes as a photo, anything else as a document.
    pub file: PathBuf,
    /// A caption under the photo or document.
    #[arg(long, default_value = "")]
    pub caption: String,
}

#[derive(Debug, Clone, Args)]
pub struct DownloadArgs {
    /// The account's id (from `account list`).
    pub account: i64,
    /// `me`, `@username`, a phone number, or an id from `dialogs`.
    pub peer: String,
    /// The message holding the photo or document (its id from `history`).
    pub message_id: i32,
    /// A directory to save into under the file's own name, or the file's path
    /// (default: the current directory).
    #[arg(long, value_name = "PATH")]
    pub out: Option<PathBuf>,
}

/// A transfer error as a CLI failure: bad input exits 2, account trouble as `account`'s
/// commands do, everything else 1.
pub fn failure(e: &TransferError) -> Failure {
    let exit = match e.code() {
        "NO_SUCH_ACCOUNT" => exit::NO_SUCH_ACCOUNT,
        "KEYRING" => exit::KEYRING,
        "DATABASE" => exit::DATABASE,
        "NOT_SIGNED_IN" | "UNAUTHORIZED" | "AUTH_KEY_UNREGISTERED" | "SESSION_REVOKED" => {
            exit::SIGNED_OUT
        }
        "PEER_NOT_MET"
        | "PEER_ID_INVALID"
        | "USERNAME_NOT_OCCUPIED"
        | "USERNAME_INVALID"
        | "MESSAGE_NOT_FOUND"
        | "NO_MEDIA"
        | "LOCAL_FILE"
        | "FILE_EMPTY"
        | "FILE_TOO_BIG"
        | "INVALID_INPUT"
        | "LOCAL_NETWORK" => exit::USAGE,
        "CANCELLED" => exit::INTERRUPTED,
        _ => exit::FAILED,
    };
    let mut f = Failure::new(exit, e.code(), e.to_string());
    f.field = e.field();
    f
}

pub async fn upload(ctx: &Context, out: Output, args: UploadArgs) -> Result<(), Failure> {
    let c = chats::client(ctx, args.account).await?;
    let peer = chats::peer(&c, &args.peer).await?;
    let transfers = Transfers::new(ctx.accounts.clone());
    let events = transfers.subscribe();
    let request = UploadRequest {
        account: AccountId(args.account),
        peer,
        path: args.file,
        caption: args.caption,
    };
    let view = transfers
        .start_upload(request)
        .await
        .map_err(|e| failure(&e))?;
    follow(&transfers, events, view, out).await
}

pub async fn download(ctx: &Context, out: Output, args: DownloadArgs) -> Result<(), Failure> {
    let c = chats::client(ctx, args.account).await?;
    let peer = chats::peer(&c, &args.peer).await?;
    let destination = match args.out {
        Some(path) if path.is_dir() => Destination::Directory(path),
        Some(path) => Destination::File(path),
        None => Destination::Directory(PathBuf::from(".")),
    };
    let transfers = Transfers::new(ctx.accounts.clone());
    let events = transfers.subscribe();
    let request = DownloadRequest {
        account: AccountId(args.account),
        peer,
        message_id: args.message_id,
        destination,
    };
    let view = transfers
        .start_download(request)
        .await
        .map_err(|e| failure(&e))?;
    follow(&transfers, events, view, out).await
}

/// Shows transfer `view` until it ends (Ctrl-C cancels it); its end as the command's result.
async fn follow(
    transfers: &Transfers,
    mut events: broadcast::Receiver<TransferView>,
    view: TransferView,
    out: Output,
) -> Result<(), Failure> {
    let id = view.id;
    let mut reporter = Reporter::new(out, &view);
    let mut interrupted = false;
    let last = loop {
        tokio::select! {
            e = events.recv() => match e {
                Ok(v) if v.id == id => {
                    if v.state.is_finished() {
                        break v;
                    }
                    reporter.update(&v);
                }
                Ok(_) | Err(RecvError::Lagged(_)) => {}
                Err(RecvError::Closed) => match transfers.get(id) {
                    Some(v) => break v,
                    None => return Err(Failure::new(exit::FAILED, "LOST", "the transfer was lost")),
                },
            },
            _ = tokio::signal::ctrl_c(), if !interrupted => {
                interrupted = true;
                let _ = transfers.cancel(id);
            }
        }
    };
    reporter.finish(&last);
    match &last.state {
        TransferState::Done => {
            out.result(final_json(&last), || final_line(&last));
            Ok(())
        }
        TransferState::Failed(e) => Err(failure(e)),
        TransferState::Cancelled | TransferState::Running => Err(Failure::new(
            exit::INTERRUPTED,
            "CANCELLED",
            "the transfer was cancelled",
        )),
    }
}
