//! Files: downloads and uploads in parts with several in flight, progress,
//! cancellation and resumption; renewal of expired file references; photo
//! sizes and stripped thumbnails (core.telegram.org/api/files).
//!
//! * [`parts`]: Telegram's part rules as pure functions;
//! * [`location`]: [`FileLocation`] (what `upload.getFile` needs, and the
//!   message it came from) and the media of a message;
//! * [`download`]: [`Client::download_to`], [`Client::download_to_path`]
//!   (resumable from its `.part` file), [`Client::download_bytes`];
//! * `sink`: where parts go in file order, and a part's bytes cut out of
//!   its `upload.file` answer without a copy;
//! * [`refresh`]: `FILE_REFERENCE_EXPIRED` → the message fetched again;
//! * [`upload`]: [`Client::upload_stream`], [`Client::upload_path`],
//!   [`Client::upload_bytes`] (big-file rules above 10 MB);
//! * [`send`]: [`Client::send_photo`], [`Client::send_document`],
//!   [`Client::send_file_id`];
//! * [`bot_ids`]: Bot API `file_id`/`file_unique_id` of a message's media,
//!   and the media a pasted id sends;
//! * [`progress`]: bytes, total, speed and ETA through a `watch`;
//! * [`thumbs`], [`stripped`]: choosing a size, inflating stripped thumbnails.
//!
//! Errors are [`FileError`]s (with the client's own inside).

pub mod bot_ids;
pub mod download;
mod error;
pub mod location;
pub mod parts;
pub mod progress;
mod refresh;
mod retry;
pub mod send;
mod sink;
pub mod stripped;
pub mod thumbs;
pub mod upload;

pub use bot_ids::{bot_file_ids, BotFileIds};
pub use download::{partial_path, DownloadOptions};
pub use error::FileError;
pub use location::{media_of, FileLocation, MessageFile, MessageRef};
pub use progress::Progress;
pub use send::{mime_of, sent_message};
pub use thumbs::{best_size, SizeInfo};
pub use tokio_util::sync::CancellationToken;
pub use upload::{UploadOptions, Uploaded};
