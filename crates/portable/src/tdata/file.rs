//! TDesktop's file container, as its `Storage::details::ReadFile`
//! (Telegram/SourceFiles/storage/details/storage_file_utilities.cpp) reads it:
//!
//! ```text
//! "TDF$"  version: i32 LE  payload  md5(payload ‖ len(payload): i32 LE ‖ version: i32 LE ‖ "TDF$")
//! ```
//!
//! A file named `NAME` is stored as `NAMEs`; Telegram Desktop before 2.x wrote
//! `NAME0` and `NAME1` in turn, and the valid one with the higher version is
//! the current one. `s` is tried first, then those two.
//!
//! Invariants: files are only opened for reading (`std::fs::read`); a file
//! that exists but fails the check is an error naming that file, never skipped
//! silently unless another copy of the same name is valid.

use std::path::{Path, PathBuf};

use md5::{Digest, Md5};

use crate::error::Error;

const MAGIC: &[u8; 4] = b"TDF$";
/// Larger than any file TDesktop keeps keys in: read no further.
const MAX_LEN: u64 = 16 << 20;

/// A file's payload, after the MD5 check.
pub struct TdfFile {
    pub path: PathBuf,
    pub payload: Vec<u8>,
}

/// Reads `dir/NAME` (as `NAMEs`, `NAME1` or `NAME0`); `None` when none exists.
pub fn read(dir: &Path, name: &str) -> Result<Option<TdfFile>, Error> {
    let mut first_error = None;
    let mut legacy: Option<(i32, TdfFile)> = None;
    for suffix in ['s', '1', '0'] {
        let path = dir.join(format!("{name}{suffix}"));
        let bytes = match read_bounded(&path) {
            Ok(Some(bytes)) => bytes,
            Ok(None) => continue,
            Err(e) => {
                first_error.get_or_insert(e);
                continue;
            }
        };
        match parse(&bytes) {
            Ok((version, payload)) => {
                let file = TdfFile { path, payload };
                if suffix == 's' {
                    return Ok(Some(file));
                }
                if legacy.as_ref().is_none_or(|(v, _)| version > *v) {
                    legacy = Some((version, file));
                }
            }
            Err(detail) => {
                first_error.get_or_insert(damaged(&path, detail));
            }
        }
    }
    match (legacy, first_error) {
        (Some((_, file)), _) => Ok(Some(file)),
        (None, Some(e)) => Err(e),
        (None, None) => Ok(None),
    }
}

pub fn damaged(path: &Path, detail: impl Into<String>) -> Error {
    Error::TdataDamaged {
        path: path.to_owned(),
        detail: detail.into(),
    }
}

fn read_bounded(path: &Path) -> Result<Option<Vec<u8>>, Error> {
    let meta = match std::fs::metadata(path) {
        Ok(m) => m,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(open_error(path, e)),
    };
    if !meta.is_file() {
        return Err(damaged(path, "it is not a regular file"));
    }
    if meta.len() > MAX_LEN {
        return Err(damaged(
            path,
            format!(
                "it is {} bytes, far more than such a file holds",
                meta.len()
            ),
        ));
    }
    std::fs::read(path)
        .map(Some)
        .map_err(|e| open_error(path, e))
}

fn open_error(path: &Path, e: std::io::Error) -> Error {
    Error::Open {
        path: path.to_owned(),
        detail: e.to_string(),
    }
}

/// The version and payload of a whole file, or what is wrong with it.
fn parse(bytes: &[u8]) -> Result<(i32, Vec<u8>), String> {
    if bytes.len() < 8 || &bytes[..4] != MAGIC {
        return Err("it does not start with Telegram Desktop's TDF$ mark".into());
    }
    let version = i32::from_le_bytes([bytes[4], bytes[5], bytes[6], bytes[7]]);
    let Some(body_len) = bytes.len().checked_sub(8 + 16) else {
        return Err(format!("it is cut short ({} bytes)", bytes.len()));
    };
    let (payload, digest) = bytes[8..].split_at(body_len);
    let mut md5 = Md5::new();
    md5.update(payload);
    md5.update((body_len as i32).to_le_bytes());
    md5.update(version.to_le_bytes());
    md5.update(MAGIC);
    if md5.finalize().as_slice() != digest {
        return Err("its MD5 check fails (cut short or changed)".into());
    }
    Ok((version, payload.to_vec()))
}

/// The container around `payload`, for the tests' independent writer.
#[cfg(any(test, feature = "test-util"))]
pub fn wrap(version: i32, payload: &[u8]) -> Vec<u8> {
    let mut md5 = Md5::new();
    md5.update(payload);
    md5.update((payload.len() as i32).to_le_bytes());
    md5.update(version.to_le_bytes());
    md5.update(MAGIC);
    let mut out = MAGIC.to_vec();
    out.extend(version.to_le_bytes());
    out.extend(payload);
    out.extend(md5.finalize());
    out
}
