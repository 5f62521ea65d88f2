//! `SqliteSessionStorage` against a real Secret Service. Ignored by default:
//! `tests/keyring/run.sh` starts a private D-Bus session with an unlocked gnome-keyring and
//! runs them. Each test uses the keyring service of its own temporary data directory.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use hearth_session::{
    DcOption, PeerId, PeerInfo, PeerKind, SessionStorage, UpdateState, AUTH_KEY_LEN,
};
use hearth_store::secrets::{auth_key_kind, SecretStore};
use hearth_store::session::SqliteSessionStorage;
use hearth_store::{Database, InstanceLock, Network, NewAccount};

/// Every regular file under `dir`, recursively.
fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut todo = vec![dir.to_path_buf()];
    while let Some(d) = todo.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            let meta = std::fs::symlink_metadata(&path).unwrap();
            if meta.is_dir() {
                todo.push(path);
            } else if meta.is_file() {
                out.push(path);
            }
        }
    }
    out
}

/// The files under `dir` holding `key` raw or hex-encoded (whole, or any 32-byte run of it).
fn files_with_key(dir: &Path, key: &[u8; AUTH_KEY_LEN]) -> Vec<PathBuf> {
    let hex: String = key.iter().map(|b| format!("{b:02x}")).collect();
    files_under(dir)
        .into_iter()
        .filter(|path| {
            let bytes = std::fs::read(path).unwrap();
            let raw = key
                .windows(32)
                .any(|run| bytes.windows(32).any(|w| w == run));
            let text = String::from_utf8_lossy(&bytes).to_lowercase();
            raw || text.contains(&hex[..64])
        })
        .collect()
}

fn test_key() -> [u8; AUTH_KEY_LEN] {
    // Distinct bytes in a pattern no SQLite page or WAL header contains by chance.
    std::array::from_fn(|i| (i as u8).wrapping_mul(167).wrapping_add(0x5d))
}

#[test]
#[ignore = "needs a Secret Service (gnome-keyring); run by tests/keyring/run.sh"]
fn auth_key_is_in_the_keyring_and_in_no_file_of_the_data_directory() {
    let data = tempfile::tempdir().unwrap();
    let dir = data.path();
    let _lock = InstanceLock::acquire(dir).unwrap();
    let db = Arc::new(Mutex::new(Database::open(dir).unwrap()));
    let account = db
        .lock()
        .unwrap()
        .insert_account(&NewAccount {
            label: "keyring test".into(),
            user_id: Some(5551234),
            phone: Some("99966651234".into()),
            is_bot: false,
            dc_id: 2,
            network: Network::Local,
        })
        .unwrap()
        .id;
    let secrets = SecretStore::for_data_dir(dir);
    secrets.probe().unwrap();
    let storage = SqliteSessionStorage::new(db.clone(), secrets.clone(), account);

    // A whole session, as a signed-in client writes it.
    storage.set_home_dc(2).unwrap();
    storage.set_self(5551234, false).unwrap();
    storage
        .save_dc_options(&[DcOption::new(2, "127.0.0.1".parse().unwrap(), 10443)])
        .unwrap();
    storage
        .save_peers(&[PeerInfo {
            access_hash: Some(99),
            title: "Friend".into(),
            ..PeerInfo::new(PeerId::User(7), PeerKind::User)
        }])
        .unwrap();
    storage
        .save_update_state(&UpdateState {
            pts: 10,
            ..UpdateState::default()
        })
        .unwrap();
    let key = test_key();
    storage.save_auth_key(2, &key).unwrap();

    // The key is in the keyring under the documented entry...
    let stored = secrets.get(account, &auth_key_kind(2)).unwrap().unwrap();
    assert_eq!(stored.expose(), &key[..]);
    assert_eq!(*storage.auth_key(2).unwrap().unwrap(), key);
    // ...and in no file of the data directory, WAL and lock file included, before and after a
    // checkpoint folds the WAL into the database file.
    assert!(files_under(dir).len() >= 2, "{:?}", files_under(dir));
    assert_eq!(files_with_key(dir, &key), Vec::<PathBuf>::new());
    db.lock()
        .unwrap()
        .connection()
        .execute_batch("PRAGMA wal_checkpoint(TRUNCATE)")
        .unwrap();
    assert_eq!(files_with_key(dir, &key), Vec::<PathBuf>::new());

    // The scanner does find a key written to a file (so the check above means something).
    let control = tempfile::tempdir().unwrap();
    std::fs::write(
        control.path().join("leak.bin"),
        [&b"xx"[..], &key[..]].concat(),
    )
    .unwrap();
    assert_eq!(files_with_key(control.path(), &key).len(), 1);

    // Sign-out removes the keyring entry.
    storage.clear().unwrap();
    assert!(secrets.get(account, &auth_key_kind(2)).unwrap().is_none());
    assert!(storage.auth_key(2).unwrap().is_none());
    assert_eq!(storage.load().unwrap(), Default::default());
}

#[test]
#[ignore = "needs a Secret Service (gnome-keyring); run by tests/keyring/run.sh"]
fn auth_keys_per_dc_round_trip_through_the_keyring() {
    let data = tempfile::tempdir().unwrap();
    let db = Arc::new(Mutex::new(Database::open(data.path()).unwrap()));
    let account = db
        .lock()
        .unwrap()
        .insert_account(&NewAccount {
            label: "dcs".into(),
            user_id: None,
            phone: None,
            is_bot: false,
            dc_id: 4,
            network: Network::Test,
        })
        .unwrap()
        .id;
    let secrets = SecretStore::for_data_dir(data.path());
    let storage = SqliteSessionStorage::new(db, secrets.clone(), account);
    let k2 = [2u8; AUTH_KEY_LEN];
    let k4: [u8; AUTH_KEY_LEN] = std::array::from_fn(|i| i as u8);
    storage.save_auth_key(2, &k2).unwrap();
    storage.save_auth_key(4, &k4).unwrap();
    assert_eq!(*storage.auth_key(2).unwrap().unwrap(), k2);
    assert_eq!(*storage.auth_key(4).unwrap().unwrap(), k4);
    storage.delete_auth_key(2).unwrap();
    assert!(storage.auth_key(2).unwrap().is_none());
    assert!(secrets.get(account, &auth_key_kind(2)).unwrap().is_none());
    // A key saved without its DC record (e.g. an older Hearth) is still deleted on sign-out.
    secrets.put(account, &auth_key_kind(5), &k2).unwrap();
    storage.clear().unwrap();
    for dc in [2, 4, 5] {
        assert!(
            secrets.get(account, &auth_key_kind(dc)).unwrap().is_none(),
            "DC {dc}"
        );
    }
}
