//! [`MediaCache`]: one account's downloaded photo sizes and thumbnails, as files in a
//! directory of its own under the data directory, bounded in size.
//!
//! Invariants:
//! * a file in the directory is always whole: bytes go to a dot-named temporary file that
//!   is renamed into place, and the dot-named files are never served or counted;
//! * at most one fetch runs per key: concurrent requests for one key wait for the first and
//!   then read its file (a failed fetch lets the next waiter try again);
//! * after every write the directory is brought under its limit by removing the files
//!   used longest ago first (a hit refreshes a file's modification time), never the file
//!   just written;
//! * only media bytes live here: no session state, no auth key.
//!
//! Keys are made by the service from ids and size names (`[A-Za-z0-9_-]`), so a key never
//! names a path outside the directory; any other key is refused.

use std::collections::HashMap;
use std::future::Future;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::SystemTime;

use super::super::lock;

/// A bounded directory of cached media files.
pub struct MediaCache {
    dir: PathBuf,
    limit: u64,
    inflight: Mutex<HashMap<String, Arc<tokio::sync::Mutex<()>>>>,
}

impl MediaCache {
    /// The cache in `dir` (created on first write), holding at most `limit` bytes.
    pub fn new(dir: impl Into<PathBuf>, limit: u64) -> Self {
        MediaCache {
            dir: dir.into(),
            limit,
            inflight: Mutex::default(),
        }
    }

    /// The directory.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The bytes cached under `key`, else those `fetch` returns (then cached). Concurrent
    /// calls for one key run `fetch` once.
    pub async fn get_or_fetch<F, Fut, E>(&self, key: &str, fetch: F) -> Result<Vec<u8>, E>
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<Vec<u8>, E>>,
        E: From<io::Error>,
    {
        let path = self.path_of(key)?;
        if let Some(bytes) = read_touch(&path).await? {
            return Ok(bytes);
        }
        let gate = lock(&self.inflight)
            .entry(key.to_owned())
            .or_default()
            .clone();
        let _turn = gate.lock().await;
        // The request that held the gate before may have written it.
        if let Some(bytes) = read_touch(&path).await? {
            return Ok(bytes);
        }
        let result = fetch().await;
        if let Ok(bytes) = &result {
            if let Err(e) = self.store(key, &path, bytes).await {
                // The bytes are still shown; only caching them failed.
                tracing::warn!(error = %e, "media cache: could not keep a file");
            }
        }
        lock(&self.inflight).remove(key);
        result
    }

    /// Bytes in the cache's whole files.
    pub fn size(&self) -> u64 {
        entries(&self.dir).iter().map(|e| e.len).sum()
    }

    fn path_of(&self, key: &str) -> io::Result<PathBuf> {
        let fine = !key.is_empty()
            && key.len() <= 128
            && key
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-');
        if fine {
            Ok(self.dir.join(key))
        } else {
            Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                format!("{key:?} is not a media cache key"),
            ))
        }
    }

    async fn store(&self, key: &str, path: &Path, bytes: &[u8]) -> io::Result<()> {
        let (dir, limit) = (self.dir.clone(), self.limit);
        let (tmp, path, bytes) = (
            dir.join(format!(".{key}.tmp")),
            path.to_owned(),
            bytes.to_vec(),
        );
        tokio::task::spawn_blocking(move || {
            std::fs::create_dir_all(&dir)?;
            std::fs::write(&tmp, &bytes)?;
            std::fs::rename(&tmp, &path)?;
            evict(&dir, limit, &path);
            Ok(())
        })
        .await
        .map_err(io::Error::other)?
    }
}

/// The file's bytes with its modification time set to now, or `None` when it is not there.
async fn read_touch(path: &Path) -> io::Result<Option<Vec<u8>>> {
    let path = path.to_owned();
    tokio::task::spawn_blocking(move || {
        let bytes = match std::fs::read(&path) {
            Ok(b) => b,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(e),
        };
        // Best effort: a file whose time cannot be set is only evicted sooner.
        if let Ok(f) = std::fs::File::options().append(true).open(&path) {
            let _ = f.set_modified(SystemTime::now());
        }
        Ok(Some(bytes))
    })
    .await
    .map_err(io::Error::other)?
}

struct Entry {
    path: PathBuf,
    len: u64,
    used: SystemTime,
}

/// The whole files of `dir` (dot-named temporaries left out).
fn entries(dir: &Path) -> Vec<Entry> {
    let Ok(read) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    read.filter_map(Result::ok)
        .filter(|e| !e.file_name().to_string_lossy().starts_with('.'))
        .filter_map(|e| {
            let meta = e.metadata().ok().filter(|m| m.is_file())?;
            Some(Entry {
                path: e.path(),
                len: meta.len(),
                used: meta.modified().unwrap_or(SystemTime::UNIX_EPOCH),
            })
        })
        .collect()
}

/// Removes the files of `dir` used longest ago until it holds at most `limit` bytes,
/// keeping `keep`.
fn evict(dir: &Path, limit: u64, keep: &Path) {
    let mut all = entries(dir);
    let mut total: u64 = all.iter().map(|e| e.len).sum();
    if total <= limit {
        return;
    }
    all.sort_by_key(|e| e.used);
    for e in all {
        if total <= limit {
            break;
        }
        if e.path == keep {
            continue;
        }
        match std::fs::remove_file(&e.path) {
            Ok(()) => total -= e.len,
            Err(err) => tracing::warn!(error = %err, "media cache: could not evict a file"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::time::Duration;

    async fn put(cache: &MediaCache, key: &str, bytes: &[u8]) {
        let bytes = bytes.to_vec();
        let got: Result<_, io::Error> = cache.get_or_fetch(key, || async { Ok(bytes) }).await;
        got.unwrap();
        // File times must differ for the order to be seen.
        tokio::time::sleep(Duration::from_millis(20)).await;
    }

    #[tokio::test]
    async fn the_file_used_longest_ago_is_evicted_first() {
        let dir = tempfile::tempdir().unwrap();
        let cache = MediaCache::new(dir.path().join("m"), 10);
        put(&cache, "a", b"aaaa").await;
        put(&cache, "b", b"bbbb").await;
        // A hit makes `a` the newest.
        put(&cache, "a", b"never fetched").await;
        put(&cache, "c", b"cccc").await;
        let names: Vec<bool> = ["a", "b", "c"]
            .iter()
            .map(|k| dir.path().join("m").join(k).exists())
            .collect();
        assert_eq!(names, [true, false, true]);
        assert_eq!(cache.size(), 8);
        // A file larger than the limit is kept (it is the one just asked for), the rest go.
        put(&cache, "big", &[7; 32]).await;
        assert_eq!(cache.size(), 32);
        let again: Result<_, io::Error> = cache.get_or_fetch("big", || async { Ok(vec![0]) }).await;
        assert_eq!(again.unwrap(), vec![7; 32]);
    }

    #[tokio::test]
    async fn concurrent_requests_for_one_key_fetch_once() {
        let dir = tempfile::tempdir().unwrap();
        let cache = Arc::new(MediaCache::new(dir.path(), 1 << 20));
        let fetches = Arc::new(AtomicUsize::new(0));
        let mut tasks = Vec::new();
        for _ in 0..8 {
            let (cache, fetches) = (cache.clone(), fetches.clone());
            tasks.push(tokio::spawn(async move {
                cache
                    .get_or_fetch("photo_1_full", || async {
                        fetches.fetch_add(1, Ordering::SeqCst);
                        tokio::time::sleep(Duration::from_millis(50)).await;
                        Ok::<_, io::Error>(b"jpeg".to_vec())
                    })
                    .await
                    .unwrap()
            }));
        }
        for t in tasks {
            assert_eq!(t.await.unwrap(), b"jpeg");
        }
        assert_eq!(fetches.load(Ordering::SeqCst), 1);
    }

    #[tokio::test]
    async fn a_failed_fetch_is_not_cached_and_bad_keys_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let cache = MediaCache::new(dir.path(), 1 << 20);
        let failed: Result<Vec<u8>, io::Error> = cache
            .get_or_fetch("k", || async { Err(io::Error::other("offline")) })
            .await;
        assert!(failed.is_err());
        let ok: Result<_, io::Error> = cache.get_or_fetch("k", || async { Ok(vec![1]) }).await;
        assert_eq!(ok.unwrap(), vec![1]);
        for bad in ["", "../x", "a/b", ".hidden"] {
            let r: Result<_, io::Error> = cache.get_or_fetch(bad, || async { Ok(vec![1]) }).await;
            assert_eq!(r.unwrap_err().kind(), io::ErrorKind::InvalidInput, "{bad}");
        }
    }
}
