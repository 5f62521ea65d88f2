//! The database on real files in temporary directories.

use hearth_store::{
    AccountId, Database, DcOption, Network, NewAccount, StoreError, APPLICATION_ID,
    DATABASE_FILE_NAME, SCHEMA_VERSION,
};
use rusqlite::Connection;

fn new_account(label: &str, user_id: Option<i64>) -> NewAccount {
    NewAccount {
        label: label.to_owned(),
        user_id,
        phone: Some("+99966612345".to_owned()),
        is_bot: false,
        dc_id: 2,
        network: Network::Local,
    }
}

#[test]
fn migrates_an_empty_directory() {
    let tmp = tempfile::tempdir().unwrap();
    let db = Database::open(tmp.path()).unwrap();
    assert_eq!(db.path(), tmp.path().join(DATABASE_FILE_NAME));
    assert_eq!(db.schema_version().unwrap(), SCHEMA_VERSION);
    let raw = Connection::open(db.path()).unwrap();
    let mut stmt = raw
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
        .unwrap();
    let tables: Vec<String> = stmt
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    for t in [
        "accounts",
        "dc_options",
        "proxies",
        "settings",
        "session_info",
        "session_auth_keys",
        "session_dc_options",
        "session_peers",
        "session_update_state",
        "session_channel_pts",
    ] {
        assert!(tables.iter().any(|x| x == t), "{t} missing from {tables:?}");
    }
}

#[test]
fn proxies_table_keeps_no_secret_column_and_checks_its_values() {
    let tmp = tempfile::tempdir().unwrap();
    let db = Database::open(tmp.path()).unwrap();
    let conn = db.connection();
    let columns: Vec<String> = conn
        .prepare("SELECT name FROM pragma_table_info('proxies') ORDER BY cid")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(
        columns,
        [
            "id",
            "kind",
            "host",
            "port",
            "username",
            "has_secret",
            "enabled",
            "created_at",
            "saving"
        ]
    );
    conn.execute(
        "INSERT INTO proxies (kind, host, port, created_at) VALUES ('socks5', '127.0.0.1', 1080, 0)",
        [],
    )
    .unwrap();
    for bad in [
        "INSERT INTO proxies (kind, host, port, created_at) VALUES ('ftp', '127.0.0.1', 1080, 0)",
        "INSERT INTO proxies (kind, host, port, created_at) VALUES ('http', '127.0.0.1', 0, 0)",
        "INSERT INTO proxies (kind, host, port, created_at, saving) VALUES ('http', '127.0.0.1', 1, 0, 2)",
    ] {
        assert!(conn.execute(bad, []).is_err(), "{bad} was accepted");
    }
}

#[test]
fn an_account_proxy_is_kept_and_falls_back_to_direct_when_the_proxy_goes() {
    let dir = tempfile::tempdir().unwrap();
    let db = Database::open(dir.path()).unwrap();
    let account = db.insert_account(&new_account("work", None)).unwrap();
    assert_eq!(account.proxy_id, None);
    db.connection()
        .execute(
            "INSERT INTO proxies (kind, host, port, created_at) VALUES ('socks5', '127.0.0.1', 1080, 0)",
            [],
        )
        .unwrap();
    let proxy = db.connection().last_insert_rowid();
    assert!(db.set_account_proxy(account.id, Some(proxy)).unwrap());
    assert!(!db
        .set_account_proxy(AccountId(account.id.0 + 100), Some(proxy))
        .unwrap());
    // A proxy that is not saved is refused, and the account keeps its proxy.
    assert!(db.set_account_proxy(account.id, Some(proxy + 100)).is_err());
    drop(db);
    let db = Database::open(dir.path()).unwrap();
    assert_eq!(
        db.get_account(account.id).unwrap().unwrap().proxy_id,
        Some(proxy)
    );
    db.connection()
        .execute("DELETE FROM proxies WHERE id = ?1", [proxy])
        .unwrap();
    assert_eq!(db.get_account(account.id).unwrap().unwrap().proxy_id, None);
}

#[test]
fn reopening_is_idempotent_and_keeps_data() {
    let tmp = tempfile::tempdir().unwrap();
    let id = {
        let db = Database::open(tmp.path()).unwrap();
        db.set_setting("theme", "dark").unwrap();
        db.insert_account(&new_account("Work", Some(1000)))
            .unwrap()
            .id
    };
    for _ in 0..3 {
        let db = Database::open(tmp.path()).unwrap();
        assert_eq!(db.schema_version().unwrap(), SCHEMA_VERSION);
        assert_eq!(db.get_setting("theme").unwrap().as_deref(), Some("dark"));
        let account = db.get_account(id).unwrap().unwrap();
        assert_eq!(account.label, "Work");
        assert_eq!(account.user_id, Some(1000));
        assert_eq!(db.list_accounts().unwrap().len(), 1);
    }
}

#[test]
fn a_newer_database_is_refused_untouched() {
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join(DATABASE_FILE_NAME);
    {
        let raw = Connection::open(&path).unwrap();
        raw.execute_batch(&format!(
            "CREATE TABLE future (x); PRAGMA user_version = 99; PRAGMA application_id = {APPLICATION_ID};"
        ))
        .unwrap();
    }
    let before = std::fs::read(&path).unwrap();
    let err = Database::open(tmp.path()).unwrap_err();
    match &err {
        StoreError::TooNew {
            found, supported, ..
        } => {
            assert_eq!(*found, 99);
            assert_eq!(*supported, SCHEMA_VERSION);
        }
        other => panic!("unexpected: {other}"),
    }
    let text = err.to_string();
    assert!(
        text.contains("newer Hearth") && text.contains("99"),
        "{text}"
    );
    assert!(text.contains(&path.display().to_string()), "{text}");
    assert_eq!(std::fs::read(&path).unwrap(), before, "file was modified");
    assert!(!tmp.path().join("hearth.sqlite3-wal").exists());
}

#[test]
fn another_programs_database_is_refused_untouched() {
    for (app_id, version) in [(0x1234_5678, 0), (0, 3)] {
        let tmp = tempfile::tempdir().unwrap();
        let path = tmp.path().join(DATABASE_FILE_NAME);
        {
            let raw = Connection::open(&path).unwrap();
            raw.execute_batch("CREATE TABLE theirs (x)").unwrap();
            raw.pragma_update(None, "application_id", app_id).unwrap();
            raw.pragma_update(None, "user_version", version).unwrap();
        }
        let before = std::fs::read(&path).unwrap();
        let err = Database::open(tmp.path()).unwrap_err();
        assert!(matches!(err, StoreError::NotADatabase { .. }), "{err}");
        assert!(err.to_string().contains("move it away"), "{err}");
        assert_eq!(std::fs::read(&path).unwrap(), before);
    }
}

#[test]
fn new_databases_carry_hearths_application_id() {
    let tmp = tempfile::tempdir().unwrap();
    let db = Database::open(tmp.path()).unwrap();
    let raw = Connection::open(db.path()).unwrap();
    let id: i32 = raw
        .query_row("PRAGMA application_id", [], |r| r.get(0))
        .unwrap();
    assert_eq!(id, APPLICATION_ID);
    assert_eq!(&APPLICATION_ID.to_be_bytes(), b"HRTH");
}

#[test]
fn a_non_database_file_is_reported() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join(DATABASE_FILE_NAME), vec![0x5Au8; 4096]).unwrap();
    let err = Database::open(tmp.path()).unwrap_err();
    assert!(matches!(err, StoreError::NotADatabase { .. }), "{err}");
}

#[test]
fn wal_foreign_keys_and_busy_timeout_are_on() {
    let tmp = tempfile::tempdir().unwrap();
    let db = Database::open(tmp.path()).unwrap();
    assert_eq!(db.journal_mode().unwrap(), "wal");
    db.set_setting("k", "v").unwrap();
    assert!(tmp.path().join("hearth.sqlite3-wal").exists());
    // WAL mode is persistent: a plain connection sees it too.
    let raw = Connection::open(db.path()).unwrap();
    let mode: String = raw
        .query_row("PRAGMA journal_mode", [], |r| r.get(0))
        .unwrap();
    assert_eq!(mode, "wal");
}

#[test]
fn second_connection_reads_while_first_writes() {
    let tmp = tempfile::tempdir().unwrap();
    let writer = Database::open(tmp.path()).unwrap();
    let reader = Database::open(tmp.path()).unwrap();
    writer
        .insert_account(&new_account("Committed", Some(1)))
        .unwrap();
    // Reader sees committed data.
    assert_eq!(reader.list_accounts().unwrap().len(), 1);

    // From another thread, while the writer holds an open write transaction, the reader
    // still reads the last committed state without waiting.
    let path = tmp.path().to_path_buf();
    std::thread::scope(|s| {
        let tx_conn = Connection::open(writer.path()).unwrap();
        tx_conn
            .execute_batch(
                "BEGIN IMMEDIATE; INSERT INTO settings (key, value) VALUES ('pending', '1');",
            )
            .unwrap();
        s.spawn(move || {
            let third = Database::open(&path).unwrap();
            let started = std::time::Instant::now();
            assert_eq!(third.list_accounts().unwrap().len(), 1);
            assert_eq!(third.get_setting("pending").unwrap(), None);
            assert!(started.elapsed() < std::time::Duration::from_secs(1));
        })
        .join()
        .unwrap();
        tx_conn.execute_batch("COMMIT").unwrap();
    });
    assert_eq!(reader.get_setting("pending").unwrap().as_deref(), Some("1"));
}

#[test]
fn account_repository() {
    let tmp = tempfile::tempdir().unwrap();
    let db = Database::open(tmp.path()).unwrap();
    let a = db.insert_account(&new_account("A", None)).unwrap();
    let mut bot = new_account("B", Some(42));
    bot.is_bot = true;
    bot.phone = None;
    bot.network = Network::Test;
    let b = db.insert_account(&bot).unwrap();
    assert_ne!(a.id, b.id);
    assert!(a.created_at > 1_600_000_000);
    assert_eq!(a.last_used_at, None);
    assert_eq!(db.get_account(b.id).unwrap().unwrap(), b);
    assert!(b.is_bot && b.phone.is_none() && b.network == Network::Test);

    // Touching orders most recently used first.
    assert!(db.touch_account(b.id).unwrap());
    let list = db.list_accounts().unwrap();
    assert_eq!(list.iter().map(|x| x.id).collect::<Vec<_>>(), [b.id, a.id]);
    assert!(list[0].last_used_at.is_some());

    assert!(db
        .set_account_user(a.id, 777, Some("+99966600000"), false)
        .unwrap());
    assert!(db.set_account_dc(a.id, 4).unwrap());
    assert!(db.rename_account(a.id, "Renamed").unwrap());
    let a2 = db.get_account(a.id).unwrap().unwrap();
    assert_eq!(
        (a2.user_id, a2.dc_id, a2.label.as_str()),
        (Some(777), 4, "Renamed")
    );

    // Same user on the same network twice is refused.
    let dup = db.insert_account(&NewAccount {
        network: Network::Local,
        ..new_account("dup", Some(777))
    });
    assert!(matches!(dup, Err(StoreError::Sqlite(_))));

    assert!(db.delete_account(a.id).unwrap());
    assert!(!db.delete_account(a.id).unwrap());
    assert!(!db.touch_account(a.id).unwrap());
    assert_eq!(db.get_account(a.id).unwrap(), None);
    assert_eq!(db.get_account(AccountId(9999)).unwrap(), None);
}

#[test]
fn schema_constraints_reject_bad_rows() {
    let tmp = tempfile::tempdir().unwrap();
    let db = Database::open(tmp.path()).unwrap();
    let mut bad = new_account("bad dc", None);
    bad.dc_id = 0;
    assert!(db.insert_account(&bad).is_err());
    let raw = Connection::open(db.path()).unwrap();
    let res = raw.execute(
        "INSERT INTO accounts (label, dc_id, network, created_at) VALUES ('x', 1, 'mars', 0)",
        [],
    );
    assert!(res.is_err(), "unknown network accepted");
}

#[test]
fn settings_repository() {
    let tmp = tempfile::tempdir().unwrap();
    let db = Database::open(tmp.path()).unwrap();
    assert_eq!(db.get_setting("missing").unwrap(), None);
    db.set_setting("b", "1").unwrap();
    db.set_setting("a", "2").unwrap();
    db.set_setting("b", "3").unwrap();
    assert_eq!(
        db.list_settings().unwrap(),
        [
            ("a".to_owned(), "2".to_owned()),
            ("b".to_owned(), "3".to_owned())
        ]
    );
    assert!(db.delete_setting("a").unwrap());
    assert!(!db.delete_setting("a").unwrap());
    assert_eq!(db.get_setting("a").unwrap(), None);
}

#[test]
fn dc_options_are_replaced_per_network() {
    let tmp = tempfile::tempdir().unwrap();
    let db = Database::open(tmp.path()).unwrap();
    let opt = |dc, ip: &str, port, media_only| DcOption {
        network: Network::Local,
        dc_id: dc,
        ip: ip.parse().unwrap(),
        port,
        media_only,
        cdn: false,
        updated_at: 0,
    };
    db.replace_dc_options(
        Network::Local,
        &[
            opt(2, "127.0.0.1", 4430, false),
            opt(1, "::1", 4431, false),
            opt(2, "127.0.0.1", 4432, true),
        ],
    )
    .unwrap();
    db.replace_dc_options(Network::Test, &[opt(1, "127.0.0.2", 443, false)])
        .unwrap();
    let local = db.dc_options(Network::Local).unwrap();
    assert_eq!(local.len(), 3);
    assert_eq!(local[0].dc_id, 1);
    assert!(local[0].ipv6());
    assert!(local
        .iter()
        .all(|o| o.network == Network::Local && o.updated_at > 0));
    assert_eq!(local[2].port, 4432);
    assert!(local[2].media_only);

    db.replace_dc_options(Network::Local, &[opt(3, "127.0.0.1", 4433, false)])
        .unwrap();
    let local = db.dc_options(Network::Local).unwrap();
    assert_eq!(local.len(), 1);
    assert_eq!(local[0].dc_id, 3);
    let test = db.dc_options(Network::Test).unwrap();
    assert_eq!(test.len(), 1);
    assert_eq!(test[0].network, Network::Test);
}

#[test]
fn handles_can_move_between_threads() {
    fn send<T: Send>() {}
    fn send_sync_static<T: Send + Sync + 'static>() {}
    send::<Database>();
    send_sync_static::<hearth_store::InstanceLock>();
    send_sync_static::<hearth_store::secrets::SecretStore>();
    send_sync_static::<StoreError>();
    send_sync_static::<hearth_store::LockError>();
    send_sync_static::<hearth_store::secrets::SecretError>();

    let tmp = tempfile::tempdir().unwrap();
    let db = Database::open(tmp.path()).unwrap();
    let db = std::thread::spawn(move || {
        db.set_setting("moved", "yes").unwrap();
        db
    })
    .join()
    .unwrap();
    assert_eq!(db.get_setting("moved").unwrap().as_deref(), Some("yes"));
}

#[test]
fn concurrent_first_opens_migrate_once() {
    let tmp = tempfile::tempdir().unwrap();
    let barrier = std::sync::Barrier::new(4);
    std::thread::scope(|s| {
        let handles: Vec<_> = (0..4)
            .map(|_| {
                s.spawn(|| {
                    barrier.wait();
                    Database::open(tmp.path()).map(|db| db.schema_version().unwrap())
                })
            })
            .collect();
        for h in handles {
            assert_eq!(h.join().unwrap().unwrap(), SCHEMA_VERSION);
        }
    });
}

#[test]
fn negative_schema_version_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join(DATABASE_FILE_NAME);
    let raw = Connection::open(&path).unwrap();
    raw.pragma_update(None, "application_id", APPLICATION_ID)
        .unwrap();
    raw.pragma_update(None, "user_version", -5).unwrap();
    drop(raw);
    let err = Database::open(tmp.path()).unwrap_err();
    assert!(
        matches!(err, StoreError::InvalidSchemaVersion { found: -5, .. }),
        "{err}"
    );
}
