//! Server state that survives a restart with the same `--state-dir`
//! (issue 5, point 3: "persistent state (SQLite in the state dir, or memory)").
//!
//! Auth keys are written through at once by [`crate::store`]. Everything else
//! lives in memory and is snapshotted into the same SQLite file
//! (`localdc.sqlite3`, own connection, WAL) by a background task every
//! [`SNAPSHOT_INTERVAL`] when it changed, and once more on
//! [`crate::LocalDc::shutdown`]:
//!
//! * table `snapshot(name, data)`: one CBOR-encoded row per persisted state
//!   struct (listed in [`persisted!`]), rewritten only when its encoding
//!   changed, plus the server secret the access hashes derive from;
//! * `documents/ID.bin`: the bytes of each document, written once
//!   (`Document::bytes` is `#[serde(skip)]`) and synced to disk before the
//!   snapshot that names the document is committed (written to `ID.tmp`
//!   and renamed, so a file present is complete). A plain file costs one
//!   copy of the bytes into the page cache; a SQLite blob cost several (the
//!   bound value's copy, the WAL with its checksums, the checkpoint), which
//!   a server serving downloads while it saves an upload felt. State dirs
//!   of earlier versions keep their bytes in table `file_blob(id, bytes)`,
//!   still read when a document has no file.
//!
//! On start a present snapshot replaces what the world file seeded, struct
//! by struct; a struct missing from it (new in this version) keeps the
//! world's. Transient state is not kept: pending login codes, SRP
//! exchanges, unfinished uploads, sessions and first salts (clients get
//! `new_session_created` and `bad_server_salt` and carry on).
//!
//! **Persisting a new state struct** (it derives `serde::Serialize,
//! serde::Deserialize` and has an accessor on `ServerState` returning a
//! guard): add one line `"name" => accessor,` to the [`persisted!`] list
//! below.

use std::collections::{HashMap, HashSet};
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use rusqlite::{params, Connection, OptionalExtension};
use tokio::sync::watch;

use crate::state::ServerState;
use crate::store::DB_FILE;

/// How often the background task looks for changes.
pub const SNAPSHOT_INTERVAL: Duration = Duration::from_millis(500);

/// Row name of the server secret in `snapshot`.
const SECRET: &str = "secret";

/// Errors reading or writing the persisted state.
#[derive(Debug, thiserror::Error)]
pub enum PersistError {
    #[error("localdc state database: {0}")]
    Sql(#[from] rusqlite::Error),
    #[error("cannot encode {what} for the state dir: {reason}")]
    Encode { what: &'static str, reason: String },
    #[error(
        "the state dir holds {what} this localdc cannot read ({reason}); \
         use another --state-dir or delete {DB_FILE} in it to start from the world file"
    )]
    Decode { what: String, reason: String },
    #[error(
        "document {0} of the saved state has no bytes in the state dir; \
         delete {DB_FILE} in it to start from the world file"
    )]
    MissingBlob(i64),
    #[error("cannot {what} {}: {source}; check the state dir's permissions and free space", path.display())]
    Io {
        what: &'static str,
        path: std::path::PathBuf,
        source: std::io::Error,
    },
}

/// Folder of the state dir holding the documents' bytes.
pub const DOCUMENTS_DIR: &str = "documents";

fn io(what: &'static str, path: &Path) -> impl FnOnce(std::io::Error) -> PersistError {
    let path = path.to_owned();
    move |source| PersistError::Io { what, path, source }
}

fn encode<T: serde::Serialize>(what: &'static str, value: &T) -> Result<Vec<u8>, PersistError> {
    let mut out = Vec::new();
    ciborium::into_writer(value, &mut out).map_err(|e| PersistError::Encode {
        what,
        reason: e.to_string(),
    })?;
    Ok(out)
}

fn decode<T: serde::de::DeserializeOwned>(what: &str, bytes: &[u8]) -> Result<T, PersistError> {
    ciborium::from_reader(bytes).map_err(|e| PersistError::Decode {
        what: what.to_string(),
        reason: e.to_string(),
    })
}

/// Declares the persisted state structs: `"row name" => ServerState accessor`.
macro_rules! persisted {
    ($($name:literal => $accessor:ident),* $(,)?) => {
        /// Every persisted struct, encoded (each under its own lock).
        fn encode_all(state: &ServerState) -> Result<Vec<(&'static str, Vec<u8>)>, PersistError> {
            Ok(vec![$(($name, encode($name, &*state.$accessor())?)),*])
        }

        /// Replaces the struct named `name` by the decoded `bytes`; false
        /// for a name this version does not persist.
        fn restore_one(state: &ServerState, name: &str, bytes: &[u8]) -> Result<bool, PersistError> {
            match name {
                $($name => *state.$accessor() = decode(name, bytes)?,)*
                _ => return Ok(false),
            }
            Ok(true)
        }
    };
}

persisted! {
    "users" => users,
    "mailboxes" => mailboxes,
    "files" => files,
    "chats" => chats,
    "channels" => channels,
    "seqs" => seqs,
    "phone_book" => phone_book,
    "random_ids" => random_ids,
}

/// The snapshot writer of one state dir.
pub struct Persister {
    conn: Connection,
    /// `DOCUMENTS_DIR` in the state dir.
    documents: std::path::PathBuf,
    /// The encoding last written per row, to write only changes.
    written: HashMap<String, Vec<u8>>,
    /// Documents whose bytes are in `file_blob`.
    blobs: HashSet<i64>,
}

impl std::fmt::Debug for Persister {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Persister")
            .field("rows", &self.written.len())
            .field("blobs", &self.blobs.len())
            .finish()
    }
}

impl Persister {
    /// Opens (creating) the snapshot tables in `dir/localdc.sqlite3`.
    pub fn open(dir: &Path) -> Result<Self, PersistError> {
        let conn = Connection::open(dir.join(DB_FILE))?;
        conn.busy_timeout(Duration::from_secs(10))?;
        // WAL lets the auth-key store read while a snapshot is written.
        let _mode: String = conn.query_row("PRAGMA journal_mode=WAL", [], |r| r.get(0))?;
        conn.execute_batch(
            "CREATE TABLE IF NOT EXISTS snapshot (name TEXT PRIMARY KEY, data BLOB NOT NULL);
             CREATE TABLE IF NOT EXISTS file_blob (id INTEGER PRIMARY KEY, bytes BLOB NOT NULL);",
        )?;
        let documents = dir.join(DOCUMENTS_DIR);
        std::fs::create_dir_all(&documents).map_err(io("create", &documents))?;
        Ok(Self {
            conn,
            documents,
            written: HashMap::new(),
            blobs: HashSet::new(),
        })
    }

    /// The secret stored by an earlier run; else stores and returns `fresh`.
    /// Access hashes derive from it, so clients' saved ones stay valid.
    pub fn secret(&mut self, fresh: [u8; 32]) -> Result<[u8; 32], PersistError> {
        let stored: Option<Vec<u8>> = self
            .conn
            .query_row(
                "SELECT data FROM snapshot WHERE name = ?1",
                params![SECRET],
                |r| r.get(0),
            )
            .optional()?;
        match stored {
            Some(bytes) => bytes.try_into().map_err(|_| PersistError::Decode {
                what: SECRET.into(),
                reason: "not 32 bytes".into(),
            }),
            None => {
                self.conn.execute(
                    "INSERT INTO snapshot (name, data) VALUES (?1, ?2)",
                    params![SECRET, &fresh[..]],
                )?;
                Ok(fresh)
            }
        }
    }

    /// Replaces the world-seeded structs of `state` by the saved ones and
    /// puts back the document bytes. Returns how many structs were restored.
    pub fn restore(&mut self, state: &ServerState) -> Result<usize, PersistError> {
        let rows: Vec<(String, Vec<u8>)> = {
            let mut stmt = self.conn.prepare("SELECT name, data FROM snapshot")?;
            let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
            rows.collect::<Result<_, _>>()?
        };
        let mut restored = 0;
        let mut files_restored = false;
        for (name, data) in rows {
            if name == SECRET {
                continue;
            }
            if restore_one(state, &name, &data)? {
                restored += 1;
                files_restored |= name == "files";
            } else {
                tracing::warn!(%name, "saved state part unknown to this localdc, ignored");
            }
            self.written.insert(name, data);
        }
        // World documents of a fresh state dir have their bytes already;
        // only saved ones need theirs back.
        let ids = if files_restored {
            state.files().document_ids()
        } else {
            Vec::new()
        };
        for id in ids {
            let path = self.document_path(id);
            let bytes = match std::fs::read(&path) {
                Ok(b) => Some(b),
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => self
                    .conn
                    .query_row(
                        "SELECT bytes FROM file_blob WHERE id = ?1",
                        params![id],
                        |r| r.get(0),
                    )
                    .optional()?,
                Err(e) => return Err(io("read", &path)(e)),
            };
            let bytes = bytes.ok_or(PersistError::MissingBlob(id))?;
            state.files().restore_bytes(id, bytes);
            self.blobs.insert(id);
        }
        Ok(restored)
    }

    /// Writes what changed since the last save; true if anything was written.
    pub fn save(&mut self, state: &ServerState) -> Result<bool, PersistError> {
        let changed: Vec<(&'static str, Vec<u8>)> = encode_all(state)?
            .into_iter()
            .filter(|(name, data)| self.written.get(*name) != Some(data))
            .collect();
        // Listed after encoding: a document created in between gets its
        // bytes now and its snapshot entry next time, never the reverse.
        let new_docs: Vec<i64> = state
            .files()
            .document_ids()
            .into_iter()
            .filter(|id| !self.blobs.contains(id))
            .collect();
        if changed.is_empty() && new_docs.is_empty() {
            return Ok(false);
        }
        for id in &new_docs {
            // A handle: the table's lock is not held while the file is written.
            let bytes = state.files().document(*id).map(|d| d.bytes.clone());
            if let Some(bytes) = bytes {
                self.write_document(*id, &bytes)?;
            }
        }
        let tx = self.conn.transaction()?;
        for (name, data) in &changed {
            tx.execute(
                "INSERT OR REPLACE INTO snapshot (name, data) VALUES (?1, ?2)",
                params![name, data],
            )?;
        }
        tx.commit()?;
        self.blobs.extend(new_docs);
        for (name, data) in changed {
            self.written.insert(name.to_string(), data);
        }
        Ok(true)
    }
}

impl Persister {
    fn document_path(&self, id: i64) -> std::path::PathBuf {
        self.documents.join(format!("{id}.bin"))
    }

    /// Writes a document's bytes to its file, synced, through a temporary
    /// name (a file under the final name is always complete).
    fn write_document(&self, id: i64, bytes: &[u8]) -> Result<(), PersistError> {
        use std::io::Write;
        let tmp = self.documents.join(format!("{id}.tmp"));
        let mut file = std::fs::File::create(&tmp).map_err(io("create", &tmp))?;
        file.write_all(bytes).map_err(io("write", &tmp))?;
        file.sync_data().map_err(io("sync", &tmp))?;
        let path = self.document_path(id);
        std::fs::rename(&tmp, &path).map_err(io("rename into place", &path))
    }
}

/// A persister shared by the background task and the final save.
pub type SharedPersister = Arc<Mutex<Persister>>;

/// Saves off the async threads; errors are logged (the next save retries).
pub async fn save_now(persister: &SharedPersister, state: &Arc<ServerState>) {
    let (p, s) = (persister.clone(), state.clone());
    let saved =
        tokio::task::spawn_blocking(move || p.lock().unwrap_or_else(|e| e.into_inner()).save(&s))
            .await;
    match saved {
        Ok(Ok(_)) => {}
        Ok(Err(e)) => tracing::error!("saving state: {e}"),
        Err(e) => tracing::error!("saving state: task failed: {e}"),
    }
}

/// Snapshots `state` every [`SNAPSHOT_INTERVAL`] until `stop` changes.
pub async fn run(
    persister: SharedPersister,
    state: Arc<ServerState>,
    mut stop: watch::Receiver<bool>,
) {
    let mut tick = tokio::time::interval(SNAPSHOT_INTERVAL);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tokio::select! {
            _ = stop.changed() => break,
            _ = tick.tick() => save_now(&persister, &state).await,
        }
    }
}
