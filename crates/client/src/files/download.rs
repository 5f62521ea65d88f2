//! Downloads with `upload.getFile` (core.telegram.org/api/files#downloading-files):
//! parts of [`DownloadOptions::part_size`] bytes ([`super::parts`]' rules),
//! [`DownloadOptions::parallel`] of them in flight on the media connection
//! of the file's DC (the retry policy follows `FILE_MIGRATE_X`, and later
//! parts go straight to the DC that answered).
//!
//! Invariants:
//! * bytes are written strictly in file order (parts that arrive early wait
//!   in memory, at most `parallel` of them), so whatever is on disk is a
//!   correct prefix of the file: a download to a path resumes from its
//!   `.part` file after any failure, and progress never goes back;
//! * a part whose request failed on a lost connection or a timeout is asked
//!   for again (up to [`DownloadOptions::part_retries`] times); a flood wait
//!   up to [`DownloadOptions::max_flood_wait`] is waited out;
//! * `FILE_REFERENCE_EXPIRED` renews the reference from the file's message
//!   once per download ([`super::refresh`]); parts sent with the old
//!   reference are repeated with the new one;
//! * cancelling the token, or dropping the future, aborts every part in
//!   flight.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use hearth_tl::{functions, Serializable};
use tokio::io::{AsyncSeek, AsyncSeekExt, AsyncWrite};
use tokio::sync::watch;
use tokio::task::JoinSet;
use tokio_util::sync::CancellationToken;

use super::error::FileError;
use super::location::FileLocation;
use super::parts::{check_download_part, resume_offset, DOWNLOAD_PART};
use super::progress::{report, Meter, Progress};
use super::sink::{file_part, FileSink, Part, Sink, Stream};
use crate::client::Client;
use crate::error::ClientError;
use crate::invoke::Target;

/// How a download runs.
#[derive(Clone, Debug)]
pub struct DownloadOptions {
    /// Bytes per request: a multiple of 4 KiB dividing 1 MiB.
    pub part_size: u32,
    /// Requests in flight at once.
    pub parallel: usize,
    /// Where progress goes.
    pub progress: Option<watch::Sender<Progress>>,
    /// Cancels the download when triggered.
    pub cancel: Option<CancellationToken>,
    /// Times one part is asked for again after a lost connection or timeout.
    pub part_retries: u32,
    /// Longest flood wait the download sleeps through itself.
    pub max_flood_wait: Duration,
}

impl Default for DownloadOptions {
    fn default() -> Self {
        DownloadOptions {
            part_size: DOWNLOAD_PART,
            parallel: 6,
            progress: None,
            cancel: None,
            part_retries: 5,
            max_flood_wait: Duration::from_secs(60),
        }
    }
}

impl DownloadOptions {
    fn check(&self) -> Result<(), FileError> {
        check_download_part(self.part_size).map_err(FileError::Options)?;
        if !(1..=32).contains(&self.parallel) {
            return Err(FileError::Options(format!(
                "{} parts in flight: use 1 to 32",
                self.parallel
            )));
        }
        Ok(())
    }
}

/// The `.part` file a download to `path` writes until it is complete.
pub fn partial_path(path: &Path) -> PathBuf {
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(".part");
    path.with_file_name(name)
}

/// One answered (or failed) request.
struct PartResult {
    offset: u64,
    generation: u32,
    answer: Result<(Vec<u8>, i32), ClientError>,
}

impl Client {
    /// Downloads `loc` into `out` from its start; the file's size.
    pub async fn download_to<W>(
        &self,
        loc: &FileLocation,
        out: &mut W,
        opts: &DownloadOptions,
    ) -> Result<u64, FileError>
    where
        W: AsyncWrite + AsyncSeek + Unpin,
    {
        opts.check()?;
        out.seek(std::io::SeekFrom::Start(0))
            .await
            .map_err(|e| FileError::io("seeking the output", e))?;
        self.download_from(loc, &mut Stream(out), 0, opts).await
    }

    /// Downloads `loc` into memory.
    pub async fn download_bytes(
        &self,
        loc: &FileLocation,
        opts: &DownloadOptions,
    ) -> Result<Vec<u8>, FileError> {
        opts.check()?;
        let mut out = Vec::new();
        self.download_from(loc, &mut Stream(&mut out), 0, opts)
            .await?;
        Ok(out)
    }

    /// Downloads `loc` to `path` through [`partial_path`]: bytes a previous
    /// attempt left there are kept (from the last whole part on), and the
    /// file is renamed to `path` once complete. The file's size.
    pub async fn download_to_path(
        &self,
        loc: &FileLocation,
        path: &Path,
        opts: &DownloadOptions,
    ) -> Result<u64, FileError> {
        opts.check()?;
        let part_path = partial_path(path);
        let shown = part_path.display().to_string();
        let file = tokio::fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&part_path)
            .await
            .map_err(|e| FileError::io(format!("opening {shown}"), e))?;
        let have = file
            .metadata()
            .await
            .map_err(|e| FileError::io(format!("reading the size of {shown}"), e))?
            .len();
        let mut start = resume_offset(have, opts.part_size);
        if loc.size.is_some_and(|size| have > size) {
            start = 0; // not a prefix of this file
        }
        // Truncated only when there is something to cut: ext4 (and other
        // file systems with delayed allocation) take a truncated file for
        // one being replaced and write all of it out when it is closed,
        // which cost a 100 MB download 40 ms more on loopback.
        if have != start {
            file.set_len(start)
                .await
                .map_err(|e| FileError::io(format!("truncating {shown}"), e))?;
        }
        if start > 0 {
            tracing::info!(start, path = %shown, "resuming a download");
        }
        let mut sink = FileSink::new(file.into_std().await, start);
        let result = self.download_from(loc, &mut sink, start, opts).await;
        // Whatever was written stays for the next attempt, even on failure
        // or cancellation (a write under way finishes in the background).
        let flushed = sink.flush().await;
        let size = result?;
        // Not fsynced: after a crash the download is simply fetched again
        // (from what the `.part` file kept), and an fsync of a large file
        // can cost more than its whole download on loopback.
        flushed.map_err(|e| FileError::io(format!("writing {shown}"), e))?;
        drop(sink);
        tokio::fs::rename(&part_path, path)
            .await
            .map_err(|e| FileError::io(format!("renaming {shown}"), e))?;
        Ok(size)
    }

    /// The download engine: fetches from `start` (a multiple of the part
    /// size) and hands the parts to `out` in file order.
    async fn download_from<S: Sink>(
        &self,
        loc: &FileLocation,
        out: &mut S,
        start: u64,
        opts: &DownloadOptions,
    ) -> Result<u64, FileError> {
        opts.check()?;
        let part = u64::from(opts.part_size);
        let never = CancellationToken::new();
        let cancel = opts.cancel.as_ref().unwrap_or(&never);
        let mut loc = loc.clone();
        let mut dc = loc.dc;
        let mut end = loc.size;
        let mut meter = Meter::new(start, end, Instant::now());
        report(opts.progress.as_ref(), meter.progress(Instant::now()));

        let mut generation = 0u32;
        let mut renewed = false;
        let mut next = start;
        let mut written = start;
        let mut early: BTreeMap<u64, Part> = BTreeMap::new();
        let mut again: Vec<u64> = Vec::new();
        let mut retries: HashMap<u64, u32> = HashMap::new();
        let mut flight: JoinSet<PartResult> = JoinSet::new();
        loop {
            while flight.len() < opts.parallel {
                let offset = match again.pop() {
                    Some(o) => o,
                    None if end.is_none_or(|e| next < e) => {
                        next += part;
                        next - part
                    }
                    None => break,
                };
                let body = functions::upload::GetFile {
                    precise: false,
                    cdn_supported: false,
                    location: loc.input.clone(),
                    offset: offset as i64,
                    limit: opts.part_size as i32,
                }
                .to_bytes();
                let inner = self.inner.clone();
                let at = dc;
                flight.spawn(async move {
                    let answer = inner.call_raw(Target::Media(at), &body, true).await;
                    PartResult {
                        offset,
                        generation,
                        answer,
                    }
                });
            }
            // Parts received go to the sink after the requests that replace
            // them are out, so the server never waits on our disk writes.
            while let Some(b) = early.remove(&written) {
                if b.is_empty() {
                    break;
                }
                let n = b.len() as u64;
                out.write(b)
                    .await
                    .map_err(|e| FileError::io("writing the download", e))?;
                written += n;
                report(opts.progress.as_ref(), meter.advance(n, Instant::now()));
            }
            let joined = tokio::select! {
                biased;
                _ = cancel.cancelled() => return Err(FileError::Cancelled),
                j = flight.join_next() => j,
            };
            let Some(joined) = joined else { break };
            let r = joined.map_err(|e| {
                FileError::Client(ClientError::Protocol {
                    dc,
                    detail: format!("a download task failed: {e}"),
                })
            })?;
            let PartResult {
                offset,
                generation: sent_with,
                answer,
            } = r;
            let (bytes, answered) = match answer {
                Ok(ok) => ok,
                Err(e) => {
                    let failed = self.part_failed(
                        &e,
                        (offset, sent_with),
                        &mut loc,
                        (&mut generation, &mut renewed),
                        opts,
                        &mut retries,
                    );
                    tokio::select! {
                        biased;
                        _ = cancel.cancelled() => return Err(FileError::Cancelled),
                        r = failed => r?,
                    }
                    again.push(offset);
                    continue;
                }
            };
            dc = answered;
            let bytes = file_part(bytes, answered)?;
            let expected = end.map(|e| e.saturating_sub(offset).min(part) as usize);
            match expected {
                Some(n) if bytes.len() != n => {
                    return Err(FileError::ShortPart {
                        dc: answered,
                        offset,
                        got: bytes.len(),
                        expected: n,
                    })
                }
                None if (bytes.len() as u64) < part => {
                    // Unknown size: the first short part marks the end.
                    end = Some(offset + bytes.len() as u64);
                    meter = Meter::new(written, end, Instant::now());
                }
                _ => {}
            }
            early.insert(offset, bytes);
        }
        out.flush()
            .await
            .map_err(|e| FileError::io("writing the download", e))?;
        report(opts.progress.as_ref(), meter.finish(Instant::now()));
        Ok(written)
    }

    /// Decides what a failed part means: `Ok` to ask for it again.
    async fn part_failed(
        &self,
        e: &ClientError,
        (offset, sent_with): (u64, u32),
        loc: &mut FileLocation,
        (generation, renewed): (&mut u32, &mut bool),
        opts: &DownloadOptions,
        retries: &mut HashMap<u64, u32>,
    ) -> Result<(), FileError> {
        if e.is_rpc("FILE_REFERENCE_EXPIRED") {
            if sent_with < *generation {
                return Ok(()); // sent before the renewal
            }
            if *renewed {
                let message_id = loc.source.as_ref().map_or(0, |s| s.id);
                return Err(FileError::ReferenceExpired { message_id });
            }
            *renewed = true;
            self.renew_reference(loc).await?;
            *generation += 1;
            return Ok(());
        }
        let attempts = retries.entry(offset).or_default();
        self.before_part_retry(e, attempts, opts.part_retries, opts.max_flood_wait)
            .await
    }
}
