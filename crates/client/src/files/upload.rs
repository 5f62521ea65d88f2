//! Uploads with `upload.saveFilePart`, or `upload.saveBigFilePart` for files
//! above 10 MB (core.telegram.org/api/files#uploading-files), in 512 KiB
//! parts ([`super::parts`]), [`UploadOptions::parallel`] of them in flight
//! on the home DC's media connection, under a random `file_id` (drawn from
//! the caller's RNG through [`UploadOptions::file_id`], or the thread RNG).
//!
//! Invariants: the source is read once, in order, one part ahead of what is
//! in flight (memory stays at `parallel` parts); a part whose request failed
//! on a lost connection or a timeout is sent again with the same bytes
//! (saving a part twice is harmless: the server keeps the last copy); a
//! flood wait up to [`UploadOptions::max_flood_wait`] is waited out; progress
//! counts parts the server acknowledged; cancelling (or dropping the future)
//! aborts every part in flight.

use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

use hearth_tl::{enums, functions, types};
use tokio::io::{AsyncRead, AsyncReadExt};
use tokio::sync::watch;
use tokio::task::JoinSet;
use tokio_util::sync::CancellationToken;

use super::error::FileError;
use super::parts::{is_big, upload_parts, MAX_UPLOAD, UPLOAD_PART};
use super::progress::{report, Meter, Progress};
use crate::client::Client;
use crate::error::ClientError;
use crate::invoke::Target;

/// How an upload runs.
#[derive(Clone, Debug)]
pub struct UploadOptions {
    /// Parts in flight at once.
    pub parallel: usize,
    pub progress: Option<watch::Sender<Progress>>,
    pub cancel: Option<CancellationToken>,
    /// Times one part is sent again after a lost connection or timeout.
    pub part_retries: u32,
    /// Longest flood wait the upload sleeps through itself.
    pub max_flood_wait: Duration,
    /// The upload's `file_id` (random when `None`).
    pub file_id: Option<i64>,
}

impl Default for UploadOptions {
    fn default() -> Self {
        UploadOptions {
            parallel: 6,
            progress: None,
            cancel: None,
            part_retries: 5,
            max_flood_wait: Duration::from_secs(60),
            file_id: None,
        }
    }
}

/// A finished upload, ready for `messages.sendMedia`.
#[derive(Clone, Debug, PartialEq)]
pub struct Uploaded {
    /// `inputFile`, or `inputFileBig` above 10 MB.
    pub file: enums::InputFile,
    pub name: String,
    pub size: u64,
}

struct PartDone {
    index: i32,
    bytes: Arc<Vec<u8>>,
    answer: Result<bool, ClientError>,
}

impl Client {
    /// Uploads `bytes` as a file called `name`.
    pub async fn upload_bytes(
        &self,
        bytes: &[u8],
        name: &str,
        opts: &UploadOptions,
    ) -> Result<Uploaded, FileError> {
        let mut reader = bytes;
        self.upload_stream(&mut reader, bytes.len() as u64, name, opts)
            .await
    }

    /// Uploads the file at `path` under its file name.
    pub async fn upload_path(
        &self,
        path: &Path,
        opts: &UploadOptions,
    ) -> Result<Uploaded, FileError> {
        let shown = path.display().to_string();
        let mut file = tokio::fs::File::open(path)
            .await
            .map_err(|e| FileError::io(format!("opening {shown}"), e))?;
        let size = file
            .metadata()
            .await
            .map_err(|e| FileError::io(format!("reading the size of {shown}"), e))?
            .len();
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "file".into());
        self.upload_stream(&mut file, size, &name, opts).await
    }

    /// Uploads `size` bytes read from `reader` as a file called `name`.
    pub async fn upload_stream<R>(
        &self,
        reader: &mut R,
        size: u64,
        name: &str,
        opts: &UploadOptions,
    ) -> Result<Uploaded, FileError>
    where
        R: AsyncRead + Unpin,
    {
        if size == 0 {
            return Err(FileError::Empty { name: name.into() });
        }
        if size > MAX_UPLOAD {
            return Err(FileError::TooBig {
                name: name.into(),
                size,
                max: MAX_UPLOAD,
            });
        }
        if !(1..=32).contains(&opts.parallel) {
            return Err(FileError::Options(format!(
                "{} parts in flight: use 1 to 32",
                opts.parallel
            )));
        }
        let file_id = opts.file_id.unwrap_or_else(rand::random);
        let big = is_big(size);
        let total = upload_parts(size) as i32;
        let never = CancellationToken::new();
        let cancel = opts.cancel.as_ref().unwrap_or(&never);
        let dc = self.inner.home_dc();
        let mut meter = Meter::new(0, Some(size), Instant::now());
        report(opts.progress.as_ref(), meter.progress(Instant::now()));

        let mut next = 0i32;
        let mut read = 0u64;
        let mut retries = std::collections::HashMap::<i32, u32>::new();
        let mut again: Vec<(i32, Arc<Vec<u8>>)> = Vec::new();
        let mut flight: JoinSet<PartDone> = JoinSet::new();
        loop {
            while flight.len() < opts.parallel {
                let (index, bytes) = match again.pop() {
                    Some(p) => p,
                    None if next < total => {
                        let want = (size - read).min(u64::from(UPLOAD_PART)) as usize;
                        let bytes = read_part(reader, want, name).await?;
                        read += want as u64;
                        next += 1;
                        (next - 1, Arc::new(bytes))
                    }
                    None => break,
                };
                let inner = self.inner.clone();
                flight.spawn(async move {
                    let body = bytes.to_vec();
                    let answer = if big {
                        let req = functions::upload::SaveBigFilePart {
                            file_id,
                            file_part: index,
                            file_total_parts: total,
                            bytes: body,
                        };
                        inner.call(Target::Media(dc), &req, true).await
                    } else {
                        let req = functions::upload::SaveFilePart {
                            file_id,
                            file_part: index,
                            bytes: body,
                        };
                        inner.call(Target::Media(dc), &req, true).await
                    };
                    PartDone {
                        index,
                        bytes,
                        answer,
                    }
                });
            }
            let joined = tokio::select! {
                biased;
                _ = cancel.cancelled() => return Err(FileError::Cancelled),
                j = flight.join_next() => j,
            };
            let Some(joined) = joined else { break };
            let done = joined.map_err(|e| {
                FileError::Client(ClientError::Protocol {
                    dc,
                    detail: format!("an upload task failed: {e}"),
                })
            })?;
            match done.answer {
                Ok(true) => {
                    let n = done.bytes.len() as u64;
                    report(opts.progress.as_ref(), meter.advance(n, Instant::now()));
                }
                Ok(false) => {
                    return Err(FileError::Client(ClientError::Protocol {
                        dc,
                        detail: format!("part {} was refused (boolFalse)", done.index),
                    }))
                }
                Err(e) => {
                    let attempts = retries.entry(done.index).or_default();
                    let wait = self.before_part_retry(
                        &e,
                        attempts,
                        opts.part_retries,
                        opts.max_flood_wait,
                    );
                    tokio::select! {
                        biased;
                        _ = cancel.cancelled() => return Err(FileError::Cancelled),
                        r = wait => r?,
                    }
                    again.push((done.index, done.bytes));
                }
            }
        }
        report(opts.progress.as_ref(), meter.finish(Instant::now()));
        let file = if big {
            enums::InputFile::InputFileBig(types::InputFileBig {
                id: file_id,
                parts: total,
                name: name.into(),
            })
        } else {
            enums::InputFile::InputFile(types::InputFile {
                id: file_id,
                parts: total,
                name: name.into(),
                md5_checksum: String::new(),
            })
        };
        Ok(Uploaded {
            file,
            name: name.into(),
            size,
        })
    }
}

/// Reads exactly `want` bytes (a part) from `reader`.
async fn read_part<R: AsyncRead + Unpin>(
    reader: &mut R,
    want: usize,
    name: &str,
) -> Result<Vec<u8>, FileError> {
    let mut buf = vec![0u8; want];
    reader.read_exact(&mut buf).await.map_err(|e| {
        FileError::io(
            format!("reading {name:?} (it may have shrunk while uploading)"),
            e,
        )
    })?;
    Ok(buf)
}
