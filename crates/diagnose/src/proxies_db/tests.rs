use std::cell::RefCell;
use std::collections::{HashMap, HashSet};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::{Arc, Mutex};

use super::*;

/// A keyring in memory with injectable failures. When it is given the
/// database, every call checks that nobody holds it.
#[derive(Default)]
struct Memory {
    entries: RefCell<HashMap<i64, Vec<u8>>>,
    /// Every call fails, as with a locked keyring or no Secret Service.
    locked: bool,
    /// Reading these ids fails.
    unreadable: HashSet<i64>,
    /// `put` stores, then panics (Hearth killed before clearing `saving`).
    crash_after_put: bool,
    db: Option<Arc<Mutex<Database>>>,
    calls_under_lock: RefCell<u32>,
}

impl Memory {
    fn check_db(&self) {
        if let Some(db) = &self.db {
            if db.try_lock().is_err() {
                *self.calls_under_lock.borrow_mut() += 1;
            }
        }
    }
    fn locked() -> Self {
        Self {
            locked: true,
            ..Self::default()
        }
    }
    fn copy_of(other: &Memory) -> Self {
        Self {
            entries: RefCell::new(other.entries.borrow().clone()),
            ..Self::default()
        }
    }
}

impl ProxySecrets for Memory {
    fn put(&self, id: i64, s: &[u8]) -> Result<(), String> {
        self.check_db();
        if self.locked {
            return Err("keyring locked".into());
        }
        self.entries.borrow_mut().insert(id, s.to_vec());
        if self.crash_after_put {
            panic!("killed after writing the keyring");
        }
        Ok(())
    }
    fn get(&self, id: i64) -> Result<Option<Zeroizing<Vec<u8>>>, String> {
        self.check_db();
        if self.locked || self.unreadable.contains(&id) {
            return Err("keyring locked".into());
        }
        Ok(self.entries.borrow().get(&id).cloned().map(Zeroizing::new))
    }
    fn delete(&self, id: i64) -> Result<(), String> {
        self.check_db();
        if self.locked {
            return Err("keyring locked".into());
        }
        self.entries.borrow_mut().remove(&id);
        Ok(())
    }
}

/// A real Hearth database (all migrations applied) in a temporary directory.
fn database() -> (tempfile::TempDir, Database) {
    let dir = tempfile::tempdir().unwrap();
    let db = Database::open(dir.path()).unwrap();
    (dir, db)
}

fn spec(text: &str) -> ProxySpec {
    ProxySpec::parse(text).unwrap()
}

fn count(db: &Database, table: &str) -> i64 {
    db.connection()
        .query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0))
        .unwrap()
}

fn states(db: &Database, keyring: &Memory) -> Vec<(i64, Result<ProxySpec, Damage>)> {
    load_all(db, keyring)
        .unwrap()
        .into_iter()
        .map(|p| (p.id, p.state))
        .collect()
}

#[test]
fn round_trip_keeps_secrets_out_of_sqlite() {
    let (_dir, db) = database();
    let keyring = Memory::default();
    let specs = [
        "socks5://alice:hunter2@127.0.0.1:1080",
        "http://127.0.0.1:8888",
        "mtproxy://ee0123456789abcdef0123456789abcdef6578616d706c652e636f6d@127.0.0.1:443",
    ];
    let mut ids = Vec::new();
    for s in specs {
        ids.push(save(&db, &keyring, &spec(s)).unwrap());
    }
    let loaded = load_all(&db, &keyring).unwrap();
    assert_eq!(loaded.len(), 3);
    for ((saved, text), id) in loaded.iter().zip(specs).zip(&ids) {
        assert_eq!(saved.spec(), Some(&spec(text)));
        assert_eq!(saved.id, *id);
        assert_eq!(saved.label, spec(text).label().replace("(ee)", ""));
        assert_eq!(saved.kind, spec(text).kind().as_str());
    }
    // Nothing secret in any column.
    let dump: Vec<String> = db
        .connection()
        .prepare("SELECT kind || host || port || coalesce(username, '') FROM proxies")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert!(dump
        .iter()
        .all(|r| !r.contains("hunter2") && !r.contains("0123456789abcdef")));
    assert_eq!(keyring.entries.borrow().len(), 2);
    delete(&db, &keyring, ids[0]).unwrap();
    assert_eq!(load_all(&db, &keyring).unwrap().len(), 2);
    assert_eq!(keyring.entries.borrow().len(), 1);
    assert_eq!(count(&db, "proxy_secrets_to_delete"), 0);
}

#[test]
fn a_refused_secret_leaves_no_row_and_no_orphan() {
    let (_dir, db) = database();
    let spec = spec("socks5://u:p@127.0.0.1:1080");
    assert!(matches!(
        save(&db, &Memory::locked(), &spec),
        Err(ProxyStoreError::Secret { .. })
    ));
    assert_eq!(count(&db, "proxies"), 0);
    // Whatever the keyring may hold under that id is queued, and swept
    // once it answers again.
    assert_eq!(count(&db, "proxy_secrets_to_delete"), 1);
    let keyring = Memory::default();
    assert!(load_all(&db, &keyring).unwrap().is_empty());
    assert_eq!(count(&db, "proxy_secrets_to_delete"), 0);
}

#[test]
fn one_damaged_proxy_spoils_only_its_own_row() {
    let (_dir, db) = database();
    let mut keyring = Memory::default();
    let good = save(&db, &keyring, &spec("socks5://u:p@127.0.0.1:1080")).unwrap();
    let gone = save(&db, &keyring, &spec("http://u:p@127.0.0.1:8080")).unwrap();
    let plain = save(&db, &keyring, &spec("http://127.0.0.1:8888")).unwrap();
    let locked = save(
        &db,
        &keyring,
        &spec("mtproxy://dd0123456789abcdef0123456789abcdef@127.0.0.1:443"),
    )
    .unwrap();
    keyring.entries.borrow_mut().remove(&gone);
    keyring.unreadable.insert(locked);
    let all = states(&db, &keyring);
    assert_eq!(all.len(), 4);
    assert_eq!(all[0], (good, Ok(spec("socks5://u:p@127.0.0.1:1080"))));
    assert_eq!(all[1], (gone, Err(Damage::SecretMissing)));
    assert_eq!(all[2], (plain, Ok(spec("http://127.0.0.1:8888"))));
    assert!(matches!(&all[3], (id, Err(Damage::KeyringUnreadable(_))) if *id == locked));
    // The advice says what to do.
    assert!(Damage::SecretMissing
        .to_string()
        .contains("add the proxy again with its password or secret to repair it, or delete it"));
    assert!(Damage::KeyringUnreadable("x".into())
        .to_string()
        .contains("unlock the keyring"));
    // One proxy alone says the same.
    assert!(matches!(
        load(&db, &keyring, gone),
        Err(ProxyStoreError::Damaged { id, damage: Damage::SecretMissing }) if id == gone
    ));
    assert!(matches!(
        load(&db, &keyring, locked),
        Err(ProxyStoreError::Secret { id, .. }) if id == locked
    ));
    // The damaged ones can be deleted; the others stay.
    delete(&db, &keyring, gone).unwrap();
    delete(&db, &keyring, locked).unwrap();
    let left: Vec<i64> = states(&db, &keyring)
        .into_iter()
        .map(|(id, _)| id)
        .collect();
    assert_eq!(left, vec![good, plain]);
}

#[test]
fn a_crash_during_save_leaves_a_damaged_row_and_no_orphan() {
    let (_dir, db) = database();
    // Killed after the keyring write, before the row was marked saved.
    let keyring = Memory {
        crash_after_put: true,
        ..Memory::default()
    };
    let spec = spec("socks5://u:p@127.0.0.1:1080");
    let crashed = catch_unwind(AssertUnwindSafe(|| save(&db, &keyring, &spec)));
    assert!(crashed.is_err());
    let keyring = Memory::copy_of(&keyring);
    let all = states(&db, &keyring);
    assert_eq!(all.len(), 1);
    let id = all[0].0;
    assert_eq!(all[0].1, Err(Damage::Interrupted));
    assert!(keyring.entries.borrow().contains_key(&id));
    delete(&db, &keyring, id).unwrap();
    assert!(keyring.entries.borrow().is_empty(), "no orphaned secret");
    assert_eq!(count(&db, "proxies"), 0);

    // Killed before the keyring write: the same damaged row, nothing in the keyring.
    db.connection()
        .execute(
            "INSERT INTO proxies (kind, host, port, username, has_secret, saving, created_at) \
             VALUES ('socks5', '127.0.0.1', 1080, 'u', 1, 1, 0)",
            [],
        )
        .unwrap();
    let all = states(&db, &keyring);
    assert_eq!(all[0].1, Err(Damage::Interrupted));
    delete(&db, &keyring, all[0].0).unwrap();
    assert_eq!(
        count(&db, "proxies") + count(&db, "proxy_secrets_to_delete"),
        0
    );
}

#[test]
fn delete_with_a_locked_keyring_removes_the_row_and_sweeps_the_secret_later() {
    let (_dir, db) = database();
    let keyring = Memory::default();
    let plain = save(&db, &keyring, &spec("http://127.0.0.1:8888")).unwrap();
    let secret = save(&db, &keyring, &spec("socks5://u:p@127.0.0.1:1080")).unwrap();
    let locked = Memory {
        locked: true,
        ..Memory::copy_of(&keyring)
    };
    delete(&db, &locked, plain).unwrap();
    delete(&db, &locked, secret).unwrap();
    assert_eq!(count(&db, "proxies"), 0);
    assert!(locked.entries.borrow().contains_key(&secret));
    assert_eq!(sweep_orphans(&db, &locked), 1);
    // The keyring answers again: the next list sweeps the entry away.
    let unlocked = Memory::copy_of(&locked);
    assert!(load_all(&db, &unlocked).unwrap().is_empty());
    assert!(unlocked.entries.borrow().is_empty());
    assert_eq!(sweep_orphans(&db, &unlocked), 0);
}

#[test]
fn the_keyring_is_never_called_while_the_database_is_held() {
    let (_dir, db) = database();
    let db = Arc::new(Mutex::new(db));
    let keyring = Memory {
        db: Some(db.clone()),
        ..Memory::default()
    };
    let a = save(db.as_ref(), &keyring, &spec("socks5://u:p@127.0.0.1:1080")).unwrap();
    let b = save(
        db.as_ref(),
        &keyring,
        &spec("mtproxy://dd0123456789abcdef0123456789abcdef@127.0.0.1:443"),
    )
    .unwrap();
    assert_eq!(load_all(db.as_ref(), &keyring).unwrap().len(), 2);
    assert!(load(db.as_ref(), &keyring, a).unwrap().is_some());
    delete(db.as_ref(), &keyring, b).unwrap();
    let locked = Memory {
        locked: true,
        db: Some(db.clone()),
        ..Memory::default()
    };
    assert!(save(db.as_ref(), &locked, &spec("http://u:p@127.0.0.1:1")).is_err());
    delete(db.as_ref(), &locked, a).unwrap();
    assert!(*keyring.calls_under_lock.borrow() == 0);
    assert!(*locked.calls_under_lock.borrow() == 0);
}

#[test]
fn adding_a_damaged_proxy_again_repairs_it_under_its_own_id() {
    let (_dir, db) = database();
    let keyring = Memory::default();
    let url = "socks5://alice:hunter2@127.0.0.1:1080";
    let lost = save(&db, &keyring, &spec(url)).unwrap();
    keyring.entries.borrow_mut().remove(&lost);
    assert_eq!(states(&db, &keyring)[0].1, Err(Damage::SecretMissing));
    assert_eq!(save(&db, &keyring, &spec(url)).unwrap(), lost);
    assert_eq!(states(&db, &keyring), vec![(lost, Ok(spec(url)))]);

    // A healthy twin with another password is a second proxy, untouched.
    let other = "socks5://alice:other@127.0.0.1:1080";
    let second = save(&db, &keyring, &spec(other)).unwrap();
    assert_ne!(second, lost);
    assert_eq!(
        states(&db, &keyring),
        vec![(lost, Ok(spec(url))), (second, Ok(spec(other)))]
    );

    // An interrupted save is repaired too; a different user name is not its twin.
    db.connection()
        .execute(
            "INSERT INTO proxies (kind, host, port, username, has_secret, saving, created_at) \
             VALUES ('http', '127.0.0.1', 8080, 'bob', 1, 1, 0)",
            [],
        )
        .unwrap();
    let stuck = db.connection().last_insert_rowid();
    let carol = save(&db, &keyring, &spec("http://carol:pw@127.0.0.1:8080")).unwrap();
    assert_ne!(carol, stuck);
    assert_eq!(
        save(&db, &keyring, &spec("http://bob:pw@127.0.0.1:8080")).unwrap(),
        stuck
    );
    let all = states(&db, &keyring);
    assert_eq!(all.len(), 4);
    assert!(all.iter().all(|(_, s)| s.is_ok()), "{all:?}");

    // A keyring that cannot be asked repairs nothing and leaves the row damaged.
    let mut locked_one = Memory::copy_of(&keyring);
    locked_one.unreadable.insert(lost);
    locked_one.entries.borrow_mut().remove(&lost);
    let fresh = save(&db, &locked_one, &spec(url)).unwrap();
    assert_ne!(fresh, lost);
}
