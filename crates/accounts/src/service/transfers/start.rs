//! Starting transfers: everything that can be checked before a byte moves is checked here
//! (the account's client, the peer, the message and its media, the local file), so a
//! transfer that is listed has a file to move.

use std::path::{Component, Path, PathBuf};
use std::time::Duration;

use hearth_client::files::{mime_of, CancellationToken};
use hearth_client::{
    Client, ClientError, DownloadOptions, FileError, FileLocation, MessageFile, MessageRef, PeerId,
    Progress, UploadOptions,
};
use hearth_store::AccountId;
use hearth_tl::{enums, types};
use tokio::sync::watch;

use super::{TransferError, TransferKind, TransferState, TransferView, Transfers};

/// The largest image sent as a photo; larger images (and every other file) go as documents
/// (Telegram's photo limit is 10 MB).
pub const PHOTO_MAX: u64 = 10 * 1000 * 1000;

/// Where a download goes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Destination {
    /// Into this directory, under the file's own name.
    Directory(PathBuf),
    /// To exactly this path.
    File(PathBuf),
}

/// A download of the photo or document of message `message_id` in `peer`.
#[derive(Clone, Debug)]
pub struct DownloadRequest {
    pub account: AccountId,
    pub peer: PeerId,
    pub message_id: i32,
    pub destination: Destination,
}

/// An upload of the file at `path`, sent to `peer` with `caption`: as a photo when it is a
/// JPEG or PNG of at most [`PHOTO_MAX`] bytes, else as a document.
#[derive(Clone, Debug)]
pub struct UploadRequest {
    pub account: AccountId,
    pub peer: PeerId,
    pub path: PathBuf,
    pub caption: String,
}

impl Transfers {
    /// Starts a download; the transfer as listed (running). Fails at once when the account,
    /// the peer, the message or its media cannot be found.
    pub async fn start_download(
        &self,
        req: DownloadRequest,
    ) -> Result<TransferView, TransferError> {
        let client = self.accounts().client(req.account).await?;
        let input = client
            .peers()
            .input_peer(req.peer)
            .map_err(ClientError::from)?;
        let source = MessageRef {
            peer: input.clone(),
            id: req.message_id,
        };
        let no_message = TransferError::NoMessage {
            message_id: req.message_id,
        };
        let message = client
            .refetch_message(&source)
            .await?
            .filter(|m| PeerId::from_peer(&m.peer_id) == req.peer)
            .ok_or(no_message)?;
        let no_media = TransferError::NoMedia {
            message_id: req.message_id,
        };
        let file = hearth_client::files::media_of(&message).ok_or(no_media.clone())?;
        let name = file_name(&file);
        let loc = FileLocation::of_message(input, &message).ok_or(no_media)?;
        let path = match req.destination {
            Destination::Directory(dir) => dir.join(&name),
            Destination::File(path) => path,
        };
        let view = new_view(TransferKind::Download, req.account, req.peer, name, path);
        let view = TransferView {
            message_id: Some(req.message_id),
            total: loc.size,
            ..view
        };
        let (tx, rx) = watch::channel(Progress::default());
        let cancel = CancellationToken::new();
        let opts = DownloadOptions {
            progress: Some(tx),
            cancel: Some(cancel.clone()),
            ..DownloadOptions::default()
        };
        let dest = view.path.clone();
        tracing::info!(account = %req.account, message = req.message_id, "download started");
        Ok(self.launch(view, cancel, rx, async move {
            client.download_to_path(&loc, &dest, &opts).await?;
            Ok(None)
        }))
    }

    /// Starts an upload and its sending; the transfer as listed (running). Fails at once when
    /// the account, the peer or the file cannot be used.
    pub async fn start_upload(&self, req: UploadRequest) -> Result<TransferView, TransferError> {
        let local = |reason: String| TransferError::LocalFile {
            path: req.path.clone(),
            reason,
        };
        let meta = tokio::fs::metadata(&req.path)
            .await
            .map_err(|e| local(local_reason(&e)))?;
        if !meta.is_file() {
            return Err(local("is not a file; choose a file to send".into()));
        }
        let name = req
            .path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "file".into());
        if meta.len() == 0 {
            return Err(FileError::Empty { name }.into());
        }
        let client = self.accounts().client(req.account).await?;
        let input = client
            .peers()
            .input_peer(req.peer)
            .map_err(ClientError::from)?;
        let mime = mime_of(&name);
        let as_photo =
            matches!(mime.as_str(), "image/jpeg" | "image/png") && meta.len() <= PHOTO_MAX;
        let view = new_view(
            TransferKind::Upload,
            req.account,
            req.peer,
            name,
            req.path.clone(),
        );
        let view = TransferView {
            total: Some(meta.len()),
            ..view
        };
        let (tx, rx) = watch::channel(Progress::default());
        let cancel = CancellationToken::new();
        let opts = UploadOptions {
            progress: Some(tx),
            cancel: Some(cancel.clone()),
            ..UploadOptions::default()
        };
        let (path, caption) = (req.path, req.caption);
        tracing::info!(account = %req.account, as_photo, "upload started");
        Ok(self.launch(view, cancel.clone(), rx, async move {
            let uploaded = client.upload_path(&path, &opts).await?;
            if cancel.is_cancelled() {
                return Err(FileError::Cancelled.into());
            }
            let sent = send(&client, input, &uploaded, &caption, as_photo).await?;
            Ok(sent.map(|m| m.id))
        }))
    }
}

async fn send(
    client: &Client,
    peer: enums::InputPeer,
    uploaded: &hearth_client::Uploaded,
    caption: &str,
    as_photo: bool,
) -> Result<Option<types::Message>, FileError> {
    if as_photo {
        client.send_photo(peer, uploaded, caption).await
    } else {
        client.send_document(peer, uploaded, caption, None).await
    }
}

fn new_view(
    kind: TransferKind,
    account: AccountId,
    peer: PeerId,
    file_name: String,
    path: PathBuf,
) -> TransferView {
    TransferView {
        id: 0,
        kind,
        account,
        peer: peer.bot_api_id(),
        file_name,
        path,
        message_id: None,
        done: 0,
        total: None,
        bytes_per_sec: 0.0,
        eta: None::<Duration>,
        state: TransferState::Running,
    }
}

/// The name a download is saved under: the document's file name (its last path component
/// only, so a name like `../x` cannot leave the chosen directory), else `document_<id>` or
/// `photo_<id>.jpg`.
pub(crate) fn file_name(file: &MessageFile) -> String {
    match file {
        MessageFile::Photo(p) => format!("photo_{}.jpg", p.id),
        MessageFile::Document(d) => d
            .attributes
            .iter()
            .find_map(|a| match a {
                enums::DocumentAttribute::DocumentAttributeFilename(f) => safe_name(&f.file_name),
                _ => None,
            })
            .unwrap_or_else(|| format!("document_{}", d.id)),
    }
}

fn safe_name(given: &str) -> Option<String> {
    let normal = given.replace('\\', "/");
    match Path::new(&normal).components().next_back()? {
        Component::Normal(n) => {
            let n = n.to_string_lossy().trim().to_owned();
            (!n.is_empty()).then_some(n)
        }
        _ => None,
    }
}

/// An I/O error opening a local file, in plain words.
fn local_reason(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "no such file; check the path".into(),
        std::io::ErrorKind::PermissionDenied => {
            "permission denied; check the file's permissions".into()
        }
        _ => format!("cannot be read ({e})"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(name: Option<&str>) -> MessageFile {
        MessageFile::Document(types::Document {
            id: 77,
            access_hash: 0,
            file_reference: vec![],
            date: 0,
            mime_type: "text/plain".into(),
            size: 1,
            thumbs: None,
            video_thumbs: None,
            dc_id: 2,
            attributes: name
                .map(|n| {
                    vec![enums::DocumentAttribute::DocumentAttributeFilename(
                        types::DocumentAttributeFilename {
                            file_name: n.into(),
                        },
                    )]
                })
                .unwrap_or_default(),
        })
    }

    #[test]
    fn download_names_never_leave_the_chosen_directory() {
        assert_eq!(file_name(&doc(Some("notes.txt"))), "notes.txt");
        assert_eq!(file_name(&doc(Some("../../etc/passwd"))), "passwd");
        assert_eq!(file_name(&doc(Some("..\\..\\boot.ini"))), "boot.ini");
        assert_eq!(file_name(&doc(Some(".."))), "document_77");
        assert_eq!(file_name(&doc(Some("  "))), "document_77");
        assert_eq!(file_name(&doc(None)), "document_77");
    }
}
