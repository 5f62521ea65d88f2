//! Where a download's parts go, in file order, and how an `upload.file`
//! answer gives up its bytes without a copy.
//!
//! Invariants:
//! * a sink receives parts strictly in file order and writes each whole
//!   before the next starts (one writer, in order), so what is on disk is
//!   always a prefix of the file (the `.part` resume rule of
//!   [`super::download`]);
//! * a [`Part`] is the decrypted answer buffer itself with the range of
//!   the file's bytes in it: a 1 MiB part is never copied in user space
//!   on its way to the file (the kernel's copy into the page cache is the
//!   only one).

use std::io;
use std::ops::Range;
use std::sync::Arc;

use hearth_tl::{enums, types, Cursor, Deserializable, Identifiable};
use tokio::io::{AsyncWrite, AsyncWriteExt};
use tokio::task::JoinHandle;

use super::error::FileError;
use crate::error::ClientError;

/// One part's bytes: `buf[range]`.
pub(crate) struct Part {
    buf: Vec<u8>,
    range: Range<usize>,
}

impl Part {
    pub fn bytes(&self) -> &[u8] {
        &self.buf[self.range.clone()]
    }

    pub fn len(&self) -> usize {
        self.range.len()
    }

    pub fn is_empty(&self) -> bool {
        self.range.is_empty()
    }
}

/// The bytes of an `upload.File` answer (core.telegram.org/constructor/upload.file:
/// `type:storage.FileType mtime:int bytes:bytes`), left where they are. The
/// fields before `bytes` are read with hearth-tl's own decoders; only the
/// generated struct is skipped, because it copies the part into a fresh
/// `Vec`. A `upload.fileCdnRedirect` or anything else goes through the
/// generated decoder, whose errors are the ones reported.
pub(crate) fn file_part(answer: Vec<u8>, dc: i32) -> Result<Part, FileError> {
    let protocol = |e: hearth_tl::DeserializeError| {
        FileError::Client(ClientError::Protocol {
            dc,
            detail: format!("the upload.File answer could not be decoded: {e}"),
        })
    };
    let mut cur = Cursor::new(&answer);
    if cur.peek_u32() == Ok(types::upload::File::CONSTRUCTOR_ID) {
        cur.read_u32().map_err(protocol)?;
        enums::storage::FileType::deserialize(&mut cur).map_err(protocol)?;
        i32::deserialize(&mut cur).map_err(protocol)?;
        let at = cur.position();
        let len = hearth_tl::deserialize_bytes(&mut cur)
            .map_err(protocol)?
            .len();
        let start = at + if answer[at] == 254 { 4 } else { 1 };
        return Ok(Part {
            buf: answer,
            range: start..start + len,
        });
    }
    match enums::upload::File::from_bytes(&answer) {
        Ok(enums::upload::File::File(f)) => {
            let range = 0..f.bytes.len();
            Ok(Part {
                buf: f.bytes,
                range,
            })
        }
        Ok(enums::upload::File::FileCdnRedirect(_)) => Err(FileError::CdnRedirect { dc }),
        Err(e) => Err(protocol(e)),
    }
}

/// Takes a download's parts in file order.
pub(crate) trait Sink {
    /// Writes `part` after everything written so far.
    async fn write(&mut self, part: Part) -> io::Result<()>;
    /// Waits until everything is written.
    async fn flush(&mut self) -> io::Result<()>;
}

/// Any async writer (already positioned where the download starts).
pub(crate) struct Stream<'a, W>(pub &'a mut W);

impl<W: AsyncWrite + Unpin> Sink for Stream<'_, W> {
    async fn write(&mut self, part: Part) -> io::Result<()> {
        self.0.write_all(part.bytes()).await
    }

    async fn flush(&mut self) -> io::Result<()> {
        self.0.flush().await
    }
}

/// A file written with positioned writes by one writer on tokio's blocking
/// pool, a part at a time in file order: the part's buffer moves to the
/// writer (tokio's `File` would copy it into its own buffer first). Up to
/// [`QUEUED_PARTS`] parts wait for it, so the download goes on asking for
/// and receiving parts while the disk (or a busy core) is slow; a download
/// that waited on each write stopped asking for parts meanwhile, and the
/// server ran dry.
pub(crate) struct FileSink {
    file: Arc<std::fs::File>,
    at: u64,
    writer: Option<Writer>,
}

/// Parts handed to the writer and not written yet, at most (their buffers
/// are held meanwhile: a few MiB).
const QUEUED_PARTS: usize = 8;

struct Writer {
    parts: tokio::sync::mpsc::Sender<(Part, u64)>,
    done: JoinHandle<io::Result<()>>,
    /// Set when the sink is dropped unflushed (the download's future was
    /// dropped): the writer finishes the write under way and drops the
    /// parts still queued, so nothing of this download lands in the file
    /// after that (another download may start on it at once).
    abandoned: Arc<std::sync::atomic::AtomicBool>,
}

impl FileSink {
    /// Writes from `start` on.
    pub fn new(file: std::fs::File, start: u64) -> Self {
        FileSink {
            file: Arc::new(file),
            at: start,
            writer: None,
        }
    }

    /// The writer, started on first use: writes what it is given in order,
    /// and stops at the first error, which [`Sink::flush`] returns.
    fn writer(&mut self) -> &mut Writer {
        self.writer.get_or_insert_with(|| {
            let (parts, mut queue) = tokio::sync::mpsc::channel::<(Part, u64)>(QUEUED_PARTS);
            let file = self.file.clone();
            let abandoned = Arc::new(std::sync::atomic::AtomicBool::new(false));
            let stop = abandoned.clone();
            let done = tokio::task::spawn_blocking(move || {
                while let Some((part, at)) = queue.blocking_recv() {
                    if stop.load(std::sync::atomic::Ordering::Acquire) {
                        break;
                    }
                    write_at(&file, part.bytes(), at)?;
                }
                Ok(())
            });
            Writer {
                parts,
                done,
                abandoned,
            }
        })
    }
}

impl Sink for FileSink {
    async fn write(&mut self, part: Part) -> io::Result<()> {
        let at = self.at;
        self.at += part.len() as u64;
        if self.writer().parts.send((part, at)).await.is_err() {
            // The writer stopped: its error says why.
            self.flush().await?;
            return Err(io::Error::other("the file writer stopped"));
        }
        Ok(())
    }

    async fn flush(&mut self) -> io::Result<()> {
        match self.writer.take() {
            Some(Writer { parts, done, .. }) => {
                drop(parts);
                done.await.map_err(io::Error::other)?
            }
            None => Ok(()),
        }
    }
}

impl Drop for FileSink {
    fn drop(&mut self) {
        if let Some(w) = &self.writer {
            w.abandoned
                .store(true, std::sync::atomic::Ordering::Release);
        }
    }
}

#[cfg(unix)]
fn write_at(file: &std::fs::File, bytes: &[u8], at: u64) -> io::Result<()> {
    std::os::unix::fs::FileExt::write_all_at(file, bytes, at)
}

#[cfg(windows)]
fn write_at(file: &std::fs::File, mut bytes: &[u8], mut at: u64) -> io::Result<()> {
    use std::os::windows::fs::FileExt;
    while !bytes.is_empty() {
        match file.seek_write(bytes, at) {
            Ok(0) => return Err(io::ErrorKind::WriteZero.into()),
            Ok(n) => {
                bytes = &bytes[n..];
                at += n as u64;
            }
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use hearth_tl::Serializable;

    fn answer(bytes: Vec<u8>) -> Vec<u8> {
        types::upload::File {
            type_: enums::storage::FileType::FilePartial,
            mtime: 7,
            bytes,
        }
        .to_bytes()
    }

    #[test]
    fn a_part_is_the_answer_s_bytes_in_place() {
        for len in [0, 1, 3, 253, 254, 255, 4096, 1 << 20] {
            let data: Vec<u8> = (0..len).map(|i| (i * 7 + 1) as u8).collect();
            let part = file_part(answer(data.clone()), 2).unwrap();
            assert_eq!(part.bytes(), &data[..], "{len} bytes");
            assert_eq!(part.len(), len);
        }
    }

    #[test]
    fn a_broken_answer_is_a_protocol_error_naming_the_dc() {
        let mut cut = answer(vec![1; 1000]);
        cut.truncate(500);
        let e = file_part(cut, 4).err().unwrap();
        assert!(
            e.to_string().contains("DC 4") || format!("{e:?}").contains("dc: 4"),
            "{e:?}"
        );
        let redirect = types::upload::FileCdnRedirect {
            dc_id: 5,
            file_token: vec![1],
            encryption_key: vec![2; 32],
            encryption_iv: vec![3; 32],
            file_hashes: Vec::new(),
        }
        .to_bytes();
        assert!(matches!(
            file_part(redirect, 2),
            Err(FileError::CdnRedirect { dc: 2 })
        ));
        assert!(matches!(
            file_part(vec![1, 2, 3], 2),
            Err(FileError::Client(ClientError::Protocol { dc: 2, .. }))
        ));
    }

    #[tokio::test]
    async fn the_file_sink_writes_parts_after_each_other() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("f");
        std::fs::write(&path, b"head").unwrap();
        let file = std::fs::OpenOptions::new().write(true).open(&path).unwrap();
        let mut sink = FileSink::new(file, 4);
        sink.write(file_part(answer(b"abcd".to_vec()), 1).unwrap())
            .await
            .unwrap();
        sink.write(file_part(answer(b"ef".to_vec()), 1).unwrap())
            .await
            .unwrap();
        sink.flush().await.unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"headabcdef");
    }

    #[tokio::test]
    async fn more_parts_than_the_queue_holds_land_in_order() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("f");
        let file = std::fs::File::create(&path).unwrap();
        let mut sink = FileSink::new(file, 0);
        let mut want = Vec::new();
        for i in 0..(3 * QUEUED_PARTS as u8) {
            let bytes = vec![i; 1000 + usize::from(i)];
            want.extend_from_slice(&bytes);
            sink.write(file_part(answer(bytes), 1).unwrap())
                .await
                .unwrap();
        }
        sink.flush().await.unwrap();
        assert!(std::fs::read(&path).unwrap() == want);
    }

    #[tokio::test]
    async fn a_failed_write_is_reported_by_flush_and_by_later_writes() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("f");
        std::fs::write(&path, b"").unwrap();
        // Opened for reading only: every write fails.
        let file = std::fs::File::open(&path).unwrap();
        let mut sink = FileSink::new(file, 0);
        let part = || file_part(answer(vec![1; 64]), 1).unwrap();
        sink.write(part()).await.unwrap();
        assert!(sink.flush().await.is_err(), "the write's error");
        let mut sink2 = FileSink::new(std::fs::File::open(&path).unwrap(), 0);
        let mut failed = false;
        for _ in 0..(2 * QUEUED_PARTS + 2) {
            if sink2.write(part()).await.is_err() {
                failed = true;
                break;
            }
        }
        assert!(failed, "writes after the writer stopped fail");
    }
}
