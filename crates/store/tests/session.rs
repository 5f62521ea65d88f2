//! `SqliteSessionStorage`'s SQLite part, with auth keys in an in-memory backend so the tests
//! run without a Secret Service (the keyring itself: tests/keyring.rs).

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use hearth_session::{
    DcOption, PeerId, PeerInfo, PeerKind, SessionData, SessionStorage, StorageErrorKind,
    UpdateState, AUTH_KEY_LEN,
};
use hearth_store::secrets::{Secret, SecretError};
use hearth_store::session::{AuthKeyBackend, SqliteSessionStorage};
use hearth_store::{AccountId, Database, Network, NewAccount};

/// Auth keys in memory, shared so a test can look inside.
#[derive(Clone, Default)]
struct MemoryKeys(Arc<Mutex<HashMap<String, Vec<u8>>>>);

impl AuthKeyBackend for MemoryKeys {
    fn get(&self, account: AccountId, kind: &str) -> Result<Option<Secret>, SecretError> {
        Ok(self
            .0
            .lock()
            .unwrap()
            .get(&format!("{account}/{kind}"))
            .cloned()
            .map(Secret::from))
    }
    fn put(&self, account: AccountId, kind: &str, secret: &[u8]) -> Result<(), SecretError> {
        self.0
            .lock()
            .unwrap()
            .insert(format!("{account}/{kind}"), secret.to_vec());
        Ok(())
    }
    fn delete(&self, account: AccountId, kind: &str) -> Result<(), SecretError> {
        self.0.lock().unwrap().remove(&format!("{account}/{kind}"));
        Ok(())
    }
}

struct Fixture {
    _dir: tempfile::TempDir,
    path: std::path::PathBuf,
    db: Arc<Mutex<Database>>,
    keys: MemoryKeys,
}

impl Fixture {
    fn new() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().to_path_buf();
        let db = Arc::new(Mutex::new(Database::open(&path).unwrap()));
        Fixture {
            _dir: dir,
            path,
            db,
            keys: MemoryKeys::default(),
        }
    }

    fn account(&self, user_id: i64) -> AccountId {
        self.db
            .lock()
            .unwrap()
            .insert_account(&NewAccount {
                label: format!("user {user_id}"),
                user_id: Some(user_id),
                phone: None,
                is_bot: false,
                dc_id: 2,
                network: Network::Local,
            })
            .unwrap()
            .id
    }

    fn storage(&self, account: AccountId) -> SqliteSessionStorage {
        SqliteSessionStorage::with_key_backend(
            self.db.clone(),
            Box::new(self.keys.clone()),
            account,
        )
    }
}

fn peer(id: PeerId, kind: PeerKind, title: &str) -> PeerInfo {
    PeerInfo {
        title: title.into(),
        access_hash: Some(0x1234_5678_9abc_def0),
        ..PeerInfo::new(id, kind)
    }
}

fn sample_state() -> UpdateState {
    let mut s = UpdateState {
        pts: 120,
        qts: 7,
        date: 1_700_000_000,
        seq: 33,
        ..UpdateState::default()
    };
    s.channels.insert(1_000_000_001, 55);
    s.channels.insert(42, 9);
    s
}

fn fill(s: &SqliteSessionStorage) -> SessionData {
    let media = DcOption {
        media_only: true,
        is_static: true,
        tcpo_only: true,
        secret: Some(vec![9, 8, 7]),
        ..DcOption::new(4, "2001:db8::4".parse().unwrap(), 8443)
    };
    let options = vec![DcOption::new(2, "127.0.0.1".parse().unwrap(), 10443), media];
    let mut user = peer(PeerId::User(77), PeerKind::User, "Ann Lee");
    user.username = Some("ann".into());
    user.usernames = vec!["ann_collectible".into(), "ann2".into()];
    user.phone = Some("15550100".into());
    let mut min = peer(PeerId::Channel(5), PeerKind::Megagroup, "Talk");
    min.min = true;
    let mut gone = peer(PeerId::Chat(6), PeerKind::Chat, "Old group");
    gone.access_hash = None;
    gone.deleted = true;
    let me = peer(PeerId::User(1), PeerKind::SelfUser, "Me");
    let peers = vec![user, min, gone, me];
    s.set_home_dc(4).unwrap();
    s.set_self(1, false).unwrap();
    s.save_dc_options(&options).unwrap();
    s.save_peers(&peers).unwrap();
    s.save_update_state(&sample_state()).unwrap();
    SessionData {
        home_dc: Some(4),
        dc_options: options,
        peers,
        update_state: Some(sample_state()),
        self_user: Some(1),
        is_bot: false,
    }
}

fn sorted(mut d: SessionData) -> SessionData {
    d.peers.sort_by_key(|p| p.id);
    d
}

#[test]
fn a_new_session_loads_empty() {
    let f = Fixture::new();
    let s = f.storage(f.account(1));
    assert_eq!(s.load().unwrap(), SessionData::default());
    assert!(s.auth_key(2).unwrap().is_none());
}

#[test]
fn everything_saved_loads_back_also_after_reopening() {
    let f = Fixture::new();
    let account = f.account(1);
    let expected = fill(&f.storage(account));
    assert_eq!(
        sorted(f.storage(account).load().unwrap()),
        sorted(expected.clone())
    );

    // A fresh connection to the same file sees the same (WAL, committed).
    let db = Arc::new(Mutex::new(Database::open(&f.path).unwrap()));
    let again = SqliteSessionStorage::with_key_backend(db, Box::new(f.keys.clone()), account);
    assert_eq!(sorted(again.load().unwrap()), sorted(expected));
}

#[test]
fn saves_replace_and_upsert() {
    let f = Fixture::new();
    let s = f.storage(f.account(1));
    fill(&s);
    // Peers: upsert by id, others kept.
    let renamed = peer(PeerId::User(77), PeerKind::Bot, "Ann's bot");
    s.save_peers(&[
        renamed.clone(),
        peer(PeerId::Channel(8), PeerKind::Channel, "New"),
    ])
    .unwrap();
    let d = s.load().unwrap();
    assert_eq!(d.peers.len(), 5);
    assert_eq!(
        d.peers.iter().find(|p| p.id == PeerId::User(77)),
        Some(&renamed)
    );
    // DC options and channel pts: replaced whole.
    s.save_dc_options(&[DcOption::new(1, "10.0.0.1".parse().unwrap(), 443)])
        .unwrap();
    let mut state = sample_state();
    state.channels.remove(&42);
    state.pts = 121;
    s.save_update_state(&state).unwrap();
    s.set_home_dc(2).unwrap();
    s.set_self(1, true).unwrap();
    let d = s.load().unwrap();
    assert_eq!(d.dc_options.len(), 1);
    assert_eq!(d.update_state, Some(state));
    assert_eq!((d.home_dc, d.self_user, d.is_bot), (Some(2), Some(1), true));
}

#[test]
fn accounts_are_kept_apart_and_clear_removes_only_its_own() {
    let f = Fixture::new();
    let (a, b) = (f.account(1), f.account(2));
    let (sa, sb) = (f.storage(a), f.storage(b));
    let expected_b = fill(&sb);
    fill(&sa);
    let key = [0x42u8; AUTH_KEY_LEN];
    sa.save_auth_key(2, &key).unwrap();
    sa.save_auth_key(4, &key).unwrap();
    sb.save_auth_key(2, &[0x43u8; AUTH_KEY_LEN]).unwrap();
    assert_eq!(*sa.auth_key(4).unwrap().unwrap(), key);

    sa.clear().unwrap();
    assert_eq!(sa.load().unwrap(), SessionData::default());
    assert!(sa.auth_key(2).unwrap().is_none() && sa.auth_key(4).unwrap().is_none());
    assert_eq!(sorted(sb.load().unwrap()), sorted(expected_b));
    assert_eq!(*sb.auth_key(2).unwrap().unwrap(), [0x43u8; AUTH_KEY_LEN]);
    let left: Vec<String> = f.keys.0.lock().unwrap().keys().cloned().collect();
    assert_eq!(left, [format!("{b}/auth_key/dc2")]);
}

#[test]
fn deleting_an_auth_key_forgets_it() {
    let f = Fixture::new();
    let s = f.storage(f.account(1));
    s.save_auth_key(3, &[1u8; AUTH_KEY_LEN]).unwrap();
    s.delete_auth_key(3).unwrap();
    s.delete_auth_key(3).unwrap();
    assert!(s.auth_key(3).unwrap().is_none());
    assert!(s.save_auth_key(0, &[1u8; AUTH_KEY_LEN]).is_err());
}

#[test]
fn removing_the_account_removes_its_session_rows() {
    let f = Fixture::new();
    let account = f.account(1);
    let s = f.storage(account);
    fill(&s);
    assert!(f.db.lock().unwrap().delete_account(account).unwrap());
    assert_eq!(s.load().unwrap(), SessionData::default());
    // Saving for an account that no longer exists says so.
    let err = s.set_home_dc(2).unwrap_err();
    assert_eq!(err.kind(), StorageErrorKind::Database);
    let text = err.to_string();
    assert!(
        text.contains(&format!("account {account} is not in the database")),
        "{text}"
    );
}

#[test]
fn a_wrong_sized_key_is_reported_not_truncated() {
    let f = Fixture::new();
    let account = f.account(1);
    f.keys.put(account, "auth_key/dc2", &[7u8; 17]).unwrap();
    let err = f.storage(account).auth_key(2).unwrap_err();
    assert_eq!(err.kind(), StorageErrorKind::Corrupt);
    assert!(err.to_string().contains("17 bytes, not 256"), "{err}");
}

#[test]
fn unreadable_rows_are_skipped() {
    let f = Fixture::new();
    let account = f.account(1);
    let s = f.storage(account);
    s.save_dc_options(&[DcOption::new(2, "127.0.0.1".parse().unwrap(), 443)])
        .unwrap();
    f.db.lock()
        .unwrap()
        .connection()
        .execute(
            "INSERT INTO session_dc_options (account_id, position, dc_id, ip, port, ipv6,
             media_only, cdn, tcpo_only, is_static) VALUES (?1, 1, 3, 'not an ip', 443, 0, 0, 0, 0, 0)",
            [account.0],
        )
        .unwrap();
    let d = s.load().unwrap();
    assert_eq!(d.dc_options.len(), 1);
}

#[test]
fn auth_keys_never_reach_the_database_files() {
    let f = Fixture::new();
    let s = f.storage(f.account(1));
    fill(&s);
    let key: [u8; AUTH_KEY_LEN] =
        std::array::from_fn(|i| (i as u8).wrapping_mul(31).wrapping_add(7));
    s.save_auth_key(2, &key).unwrap();
    for entry in std::fs::read_dir(&f.path).unwrap() {
        let bytes = std::fs::read(entry.unwrap().path()).unwrap();
        assert!(!bytes.windows(32).any(|w| w == &key[..32]));
    }
}
