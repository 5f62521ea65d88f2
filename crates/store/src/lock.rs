//! Single-instance lock on a data directory.
//!
//! The lock is an OS advisory lock (`flock` on Unix, `LockFileEx` on Windows, via `fs4`) on
//! `<dir>/hearth.lock`, held for as long as the [`InstanceLock`] lives. The holder writes its PID
//! into the file so a second process can tell the user which process to look for. The OS drops
//! the lock when the holder exits, even after a crash, so a lock file left behind without a lock
//! on it is stale and simply taken over.

use std::fs::{File, OpenOptions};
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::time::Duration;

use fs4::fs_std::FileExt;

/// Name of the lock file inside the data directory.
pub const LOCK_FILE_NAME: &str = "hearth.lock";

/// How often, and how far apart, a contender re-reads a lock file that does not hold a PID
/// yet (the holder takes the lock an instant before it writes its PID). Bounded: acquiring
/// never waits for the holder to go away.
const PID_READ_ATTEMPTS: u32 = 20;
const PID_READ_PAUSE: Duration = Duration::from_millis(5);

/// Why the data directory could not be locked.
#[derive(Debug, thiserror::Error)]
pub enum LockError {
    /// Another live process holds the lock. `pid` is 0 when its PID could not be read.
    #[error("{}", held_message(*pid, path))]
    HeldByOther { pid: u32, path: PathBuf },

    /// The lock file could not be created, locked or written.
    #[error(
        "cannot lock the data directory {path}: {source}; check that the directory is writable"
    )]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

fn held_message(pid: u32, dir: &Path) -> String {
    let who = if pid == 0 {
        "Another Hearth".to_owned()
    } else {
        format!("Another Hearth (PID {pid})")
    };
    format!(
        "{who} is already using the data directory {}. Switch to that window, or close it and try again. \
         To run a second profile, start Hearth with HEARTH_DATA_DIR set to a different directory.",
        dir.display()
    )
}

/// Proof that this process is the only Hearth using a data directory. Dropping it releases the
/// lock (and the OS releases it if the process dies).
#[derive(Debug)]
pub struct InstanceLock {
    file: File,
    dir: PathBuf,
}

impl InstanceLock {
    /// Locks `dir` (which must exist) for this process. Never blocks: if another process holds
    /// the lock this returns [`LockError::HeldByOther`] with that process's PID at once. It does
    /// not open or touch the database.
    pub fn acquire(dir: &Path) -> Result<InstanceLock, LockError> {
        let path = dir.join(LOCK_FILE_NAME);
        let io = |source| LockError::Io {
            path: path.clone(),
            source,
        };
        let mut file = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(&path)
            .map_err(io)?;
        if !file.try_lock_exclusive().map_err(io)? {
            let pid = read_holder_pid(&mut file);
            tracing::info!(dir = %dir.display(), pid, "data directory is locked by another process");
            return Err(LockError::HeldByOther {
                pid,
                path: dir.to_path_buf(),
            });
        }
        // We hold the lock, so whatever the file says is left over from a holder that exited.
        if let Some(stale) = read_pid(&mut file) {
            tracing::info!(dir = %dir.display(), stale_pid = stale, "taking over a stale lock file");
        }
        file.set_len(0).map_err(io)?;
        file.seek(SeekFrom::Start(0)).map_err(io)?;
        writeln!(file, "{}", std::process::id()).map_err(io)?;
        file.sync_all().map_err(io)?;
        tracing::debug!(dir = %dir.display(), "acquired the instance lock");
        Ok(InstanceLock {
            file,
            dir: dir.to_path_buf(),
        })
    }

    /// The locked data directory.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The lock file.
    pub fn path(&self) -> PathBuf {
        self.dir.join(LOCK_FILE_NAME)
    }
}

impl Drop for InstanceLock {
    fn drop(&mut self) {
        // Clear the PID first so nobody reads ours after we are gone; the file itself stays
        // (deleting it would let a contender lock an unlinked inode).
        let _ = self.file.set_len(0);
        if let Err(e) = FileExt::unlock(&self.file) {
            tracing::warn!(dir = %self.dir.display(), error = %e, "could not release the instance lock; it is released when the process exits");
        }
    }
}

/// Reads the holder's PID, giving it a few milliseconds to write it. 0 if unreadable (on
/// Windows a locked file cannot be read by others).
fn read_holder_pid(file: &mut File) -> u32 {
    for _ in 0..PID_READ_ATTEMPTS {
        if let Some(pid) = read_pid(file) {
            return pid;
        }
        std::thread::sleep(PID_READ_PAUSE);
    }
    0
}

fn read_pid(file: &mut File) -> Option<u32> {
    let mut text = String::new();
    file.seek(SeekFrom::Start(0)).ok()?;
    Read::take(&mut *file, 32).read_to_string(&mut text).ok()?;
    text.trim().parse().ok().filter(|&pid| pid != 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn message_names_pid_dir_and_remedy() {
        let err = LockError::HeldByOther {
            pid: 1234,
            path: PathBuf::from("/x/hearth"),
        };
        let text = err.to_string();
        assert!(text.contains("PID 1234"), "{text}");
        assert!(text.contains("/x/hearth"), "{text}");
        assert!(text.contains("close it and try again"), "{text}");
    }

    #[test]
    fn unknown_pid_is_not_shown_as_zero() {
        let err = LockError::HeldByOther {
            pid: 0,
            path: PathBuf::from("/x"),
        };
        assert!(!err.to_string().contains("PID 0"));
    }
}
