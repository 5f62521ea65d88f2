//! Where a session's state lives between runs: the [`SessionStorage`] trait, the data it loads
//! ([`SessionData`]), its error, and [`MemoryStorage`] for tests.
//!
//! One storage holds one account's session: its home DC, DC address book, peers, update state,
//! who the account is, and one auth key per DC. The real implementation
//! (`hearth_store::session::SqliteSessionStorage`) keeps everything but the auth keys in SQLite
//! and the auth keys only in the OS keyring.
//!
//! Invariants for every implementation: auth keys are never logged or `Debug`-printed; after
//! [`SessionStorage::clear`] a [`SessionStorage::load`] returns [`SessionData::default`] and no
//! auth key is found; saving is idempotent (saving the same peers or state twice is the same as
//! once).

use std::collections::BTreeMap;
use std::sync::{Mutex, MutexGuard};

use zeroize::Zeroizing;

use crate::dc_options::DcOption;
use crate::peers::{PeerId, PeerInfo};
use crate::updates::UpdateState;

/// Length of an MTProto auth key in bytes (2048 bits).
pub const AUTH_KEY_LEN: usize = 256;

/// Everything a session stores except its auth keys.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SessionData {
    /// The DC the account lives on (`None` until the first sign-in or migration decided it).
    pub home_dc: Option<i32>,
    /// The last saved DC address book (`help.getConfig`).
    pub dc_options: Vec<DcOption>,
    /// Every peer saved so far.
    pub peers: Vec<PeerInfo>,
    /// The update state, once `updates.getState` has been called.
    pub update_state: Option<UpdateState>,
    /// The signed-in user's id.
    pub self_user: Option<i64>,
    /// The signed-in account is a bot.
    pub is_bot: bool,
}

/// Where the failure happened, so callers can react (and map to an error code).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StorageErrorKind {
    /// The database (SQLite file) could not be read or written.
    Database,
    /// The OS keyring could not be reached, is locked, or refused.
    Keyring,
    /// Stored data exists but cannot be understood.
    Corrupt,
    /// Anything else.
    Other,
}

impl StorageErrorKind {
    fn default_hint(self) -> &'static str {
        match self {
            StorageErrorKind::Database => {
                "check that the data directory is writable and its disk is not full"
            }
            StorageErrorKind::Keyring => {
                "make sure the OS keyring (Secret Service such as gnome-keyring, Keychain, Credential Manager) is running and unlocked, then try again"
            }
            StorageErrorKind::Corrupt => "log this account in again to rebuild its session",
            StorageErrorKind::Other => "try again; if it persists, log the account in again",
        }
    }
}

/// A session storage operation failed. The message says what was being done, why it failed
/// and what to do next.
#[derive(Debug, thiserror::Error)]
pub struct StorageError {
    kind: StorageErrorKind,
    action: String,
    detail: String,
    hint: String,
    #[source]
    source: Option<Box<dyn std::error::Error + Send + Sync + 'static>>,
}

impl StorageError {
    /// `action` is what was attempted ("save the peers of account 3"), `detail` why it failed.
    pub fn new(
        kind: StorageErrorKind,
        action: impl Into<String>,
        detail: impl Into<String>,
    ) -> Self {
        StorageError {
            kind,
            action: action.into(),
            detail: detail.into(),
            hint: kind.default_hint().to_owned(),
            source: None,
        }
    }

    /// Replaces the default advice (empty: none, when the detail already says what to do).
    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = hint.into();
        self
    }

    /// Attaches the underlying error; its message becomes the detail.
    pub fn with_source(mut self, source: impl std::error::Error + Send + Sync + 'static) -> Self {
        if self.detail.is_empty() {
            self.detail = source.to_string();
        }
        self.source = Some(Box::new(source));
        self
    }

    pub fn kind(&self) -> StorageErrorKind {
        self.kind
    }

    /// What was attempted.
    pub fn action(&self) -> &str {
        &self.action
    }
}

impl std::fmt::Display for StorageError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "could not {}: {}", self.action, self.detail)?;
        if !self.hint.is_empty() {
            write!(f, "; {}", self.hint)?;
        }
        Ok(())
    }
}

/// Persistence of one account's session. Implementations are shared between tasks, so every
/// method takes `&self`.
pub trait SessionStorage: Send + Sync {
    /// Everything saved so far ([`SessionData::default`] for a new session).
    fn load(&self) -> Result<SessionData, StorageError>;
    fn set_home_dc(&self, dc: i32) -> Result<(), StorageError>;
    /// Replaces the stored DC address book.
    fn save_dc_options(&self, options: &[DcOption]) -> Result<(), StorageError>;
    /// Inserts or replaces these peers (by [`PeerInfo::id`]); other peers stay.
    fn save_peers(&self, peers: &[PeerInfo]) -> Result<(), StorageError>;
    /// Replaces the update state, the channel map included.
    fn save_update_state(&self, state: &UpdateState) -> Result<(), StorageError>;
    fn set_self(&self, user_id: i64, is_bot: bool) -> Result<(), StorageError>;
    /// The auth key for `dc`, 256 bytes, zeroized when dropped.
    fn auth_key(&self, dc: i32) -> Result<Option<Zeroizing<[u8; AUTH_KEY_LEN]>>, StorageError>;
    /// Stores the auth key for `dc`, replacing any previous one. The real implementation keeps
    /// it ONLY in the OS keyring.
    fn save_auth_key(&self, dc: i32, key: &[u8; AUTH_KEY_LEN]) -> Result<(), StorageError>;
    /// Forgets the auth key for `dc` (no error if there is none).
    fn delete_auth_key(&self, dc: i32) -> Result<(), StorageError>;
    /// Sign-out: every key, peer and update state of this session gone.
    fn clear(&self) -> Result<(), StorageError>;
}

/// A [`SessionStorage`] in memory, for tests and throw-away sessions.
#[derive(Default)]
pub struct MemoryStorage {
    data: Mutex<SessionData>,
    keys: Mutex<BTreeMap<i32, Zeroizing<[u8; AUTH_KEY_LEN]>>>,
}

impl MemoryStorage {
    pub fn new() -> Self {
        Self::default()
    }

    /// A storage that starts with `data` already saved.
    pub fn with_data(data: SessionData) -> Self {
        MemoryStorage {
            data: Mutex::new(data),
            keys: Mutex::default(),
        }
    }

    /// The DCs that have an auth key.
    pub fn auth_key_dcs(&self) -> Vec<i32> {
        lock(&self.keys).keys().copied().collect()
    }

    fn data(&self) -> MutexGuard<'_, SessionData> {
        lock(&self.data)
    }
}

/// A poisoned lock still holds consistent data here (every update is one assignment).
fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

impl std::fmt::Debug for MemoryStorage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MemoryStorage")
            .field("data", &*self.data())
            .field("auth_key_dcs", &self.auth_key_dcs())
            .finish()
    }
}

impl SessionStorage for MemoryStorage {
    fn load(&self) -> Result<SessionData, StorageError> {
        Ok(self.data().clone())
    }

    fn set_home_dc(&self, dc: i32) -> Result<(), StorageError> {
        self.data().home_dc = Some(dc);
        Ok(())
    }

    fn save_dc_options(&self, options: &[DcOption]) -> Result<(), StorageError> {
        self.data().dc_options = options.to_vec();
        Ok(())
    }

    fn save_peers(&self, peers: &[PeerInfo]) -> Result<(), StorageError> {
        let mut data = self.data();
        let mut index: BTreeMap<PeerId, usize> = data
            .peers
            .iter()
            .enumerate()
            .map(|(i, p)| (p.id, i))
            .collect();
        for p in peers {
            match index.get(&p.id) {
                Some(&i) => data.peers[i] = p.clone(),
                None => {
                    index.insert(p.id, data.peers.len());
                    data.peers.push(p.clone());
                }
            }
        }
        Ok(())
    }

    fn save_update_state(&self, state: &UpdateState) -> Result<(), StorageError> {
        self.data().update_state = Some(state.clone());
        Ok(())
    }

    fn set_self(&self, user_id: i64, is_bot: bool) -> Result<(), StorageError> {
        let mut data = self.data();
        data.self_user = Some(user_id);
        data.is_bot = is_bot;
        Ok(())
    }

    fn auth_key(&self, dc: i32) -> Result<Option<Zeroizing<[u8; AUTH_KEY_LEN]>>, StorageError> {
        Ok(lock(&self.keys).get(&dc).cloned())
    }

    fn save_auth_key(&self, dc: i32, key: &[u8; AUTH_KEY_LEN]) -> Result<(), StorageError> {
        lock(&self.keys).insert(dc, Zeroizing::new(*key));
        Ok(())
    }

    fn delete_auth_key(&self, dc: i32) -> Result<(), StorageError> {
        lock(&self.keys).remove(&dc);
        Ok(())
    }

    fn clear(&self) -> Result<(), StorageError> {
        *self.data() = SessionData::default();
        lock(&self.keys).clear();
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::peers::PeerKind;

    fn peer(id: i64, title: &str) -> PeerInfo {
        PeerInfo {
            title: title.into(),
            ..PeerInfo::new(PeerId::User(id), PeerKind::User)
        }
    }

    #[test]
    fn memory_storage_round_trip_and_clear() {
        let s = MemoryStorage::new();
        assert_eq!(s.load().unwrap(), SessionData::default());
        s.set_home_dc(2).unwrap();
        s.set_self(42, true).unwrap();
        s.save_dc_options(&[DcOption::new(2, "127.0.0.1".parse().unwrap(), 443)])
            .unwrap();
        s.save_peers(&[peer(1, "a"), peer(2, "b")]).unwrap();
        s.save_peers(&[peer(2, "b2"), peer(3, "c")]).unwrap();
        let mut state = UpdateState {
            pts: 10,
            qts: 1,
            date: 100,
            seq: 3,
            ..UpdateState::default()
        };
        state.channels.insert(55, 7);
        s.save_update_state(&state).unwrap();
        let key = [0x5Au8; AUTH_KEY_LEN];
        s.save_auth_key(2, &key).unwrap();

        let d = s.load().unwrap();
        assert_eq!(d.home_dc, Some(2));
        assert_eq!((d.self_user, d.is_bot), (Some(42), true));
        assert_eq!(d.dc_options.len(), 1);
        let titles: Vec<_> = d.peers.iter().map(|p| p.title.as_str()).collect();
        assert_eq!(titles, ["a", "b2", "c"]);
        assert_eq!(d.update_state, Some(state));
        assert_eq!(*s.auth_key(2).unwrap().unwrap(), key);
        assert!(s.auth_key(4).unwrap().is_none());
        assert!(!format!("{s:?}").contains("90, 90"), "key bytes in Debug");

        s.delete_auth_key(2).unwrap();
        s.delete_auth_key(2).unwrap();
        assert!(s.auth_key(2).unwrap().is_none());
        s.save_auth_key(4, &key).unwrap();
        s.clear().unwrap();
        assert_eq!(s.load().unwrap(), SessionData::default());
        assert!(s.auth_key_dcs().is_empty());
    }

    #[test]
    fn error_message_names_action_and_advice() {
        let e = StorageError::new(
            StorageErrorKind::Keyring,
            "read the auth key of account 3 for DC 2",
            "the keyring is locked",
        );
        let text = e.to_string();
        assert!(text.starts_with(
            "could not read the auth key of account 3 for DC 2: the keyring is locked; "
        ));
        assert!(text.contains("unlocked"), "{text}");
        assert_eq!(e.kind(), StorageErrorKind::Keyring);
        let e = StorageError::new(StorageErrorKind::Keyring, "read", "").with_hint("");
        let e = e.with_source(std::io::Error::other("locked: unlock it"));
        assert_eq!(e.to_string(), "could not read: locked: unlock it");
        assert!(std::error::Error::source(&e).is_some());
    }
}
