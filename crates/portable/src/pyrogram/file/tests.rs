use super::*;
use crate::testing::{key, session};

fn sample(schema: Schema) -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("my_account.session");
    write(&path, &session(Format::PyrogramFile), schema).unwrap();
    (dir, path)
}

#[test]
fn every_schema_round_trips() {
    for schema in [Schema::Pyrogram, Schema::Kurigram, Schema::Shared] {
        let (_dir, path) = sample(schema);
        let read = read(&path).unwrap();
        assert_eq!(read.len(), 1);
        let s = &read[0];
        let want = session(Format::PyrogramFile);
        assert_eq!(
            (s.dc_id, s.api_id, s.user_id),
            (want.dc_id, want.api_id, want.user_id)
        );
        assert_eq!((s.test_mode, s.is_bot), (Some(false), Some(false)));
        assert!(s.auth_key == key());
        match schema {
            Schema::Pyrogram => assert_eq!(s.server, None),
            Schema::Kurigram | Schema::Shared => assert_eq!(s.server, want.server),
        }
    }
}

/// Version 1 had no `api_id`; the row is still read, with `api_id` unknown.
#[test]
fn reads_a_version_1_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("old.session");
    let conn = Connection::open(&path).unwrap();
    conn.execute_batch(
        "CREATE TABLE sessions (dc_id INTEGER PRIMARY KEY, test_mode INTEGER, auth_key BLOB,
             date INTEGER NOT NULL, user_id INTEGER, is_bot INTEGER);
         CREATE TABLE version (number INTEGER PRIMARY KEY); INSERT INTO version VALUES (1);",
    )
    .unwrap();
    conn.execute(
        "INSERT INTO sessions VALUES (4, 1, ?1, 0, 42, 1)",
        [key().as_bytes().as_slice()],
    )
    .unwrap();
    drop(conn);
    let s = &read(&path).unwrap()[0];
    assert_eq!(
        (s.dc_id, s.test_mode, s.user_id, s.is_bot, s.api_id),
        (4, Some(true), Some(42), Some(true), None)
    );
}

#[test]
fn reading_leaves_the_file_as_it_was() {
    let (_dir, path) = sample(Schema::Pyrogram);
    let before = std::fs::read(&path).unwrap();
    read(&path).unwrap();
    assert_eq!(std::fs::read(&path).unwrap(), before);
    let names: Vec<_> = std::fs::read_dir(path.parent().unwrap())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(names.len(), 1, "no journal or other file left: {names:?}");
}

#[test]
fn never_overwrites() {
    let (_dir, path) = sample(Schema::Pyrogram);
    let before = std::fs::read(&path).unwrap();
    let err = write(&path, &session(Format::PyrogramFile), Schema::Pyrogram).unwrap_err();
    assert!(matches!(err, Error::Exists { .. }), "{err:?}");
    assert_eq!(std::fs::read(&path).unwrap(), before);
}

#[test]
fn a_file_without_a_key_is_not_signed_in() {
    let (_dir, path) = sample(Schema::Pyrogram);
    Connection::open(&path)
        .unwrap()
        .execute("UPDATE sessions SET auth_key = NULL", [])
        .unwrap();
    assert!(matches!(read(&path), Err(Error::EmptyDatabase { .. })));
}

#[test]
fn a_short_key_is_a_field_error() {
    let (_dir, path) = sample(Schema::Pyrogram);
    Connection::open(&path)
        .unwrap()
        .execute("UPDATE sessions SET auth_key = x'0102'", [])
        .unwrap();
    let err = read(&path).unwrap_err();
    assert!(
        matches!(
            err,
            Error::BadField {
                field: "auth key",
                ..
            }
        ),
        "{err:?}"
    );
}

#[test]
fn a_locked_file_is_reported_as_in_use() {
    let (_dir, path) = sample(Schema::Pyrogram);
    let holder = Connection::open(&path).unwrap();
    holder.execute_batch("BEGIN EXCLUSIVE").unwrap();
    let err = read(&path).unwrap_err();
    assert!(matches!(err, Error::Locked { .. }), "{err:?}");
    assert!(err.to_string().contains("AUTH_KEY_DUPLICATED"));
}

#[test]
fn writing_needs_what_pyrogram_needs() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = session(Format::PyrogramFile);
    s.server = None;
    let path = dir.path().join("k.session");
    assert!(matches!(
        write(&path, &s, Schema::Kurigram),
        Err(Error::CannotWrite { .. })
    ));
    assert!(!path.exists(), "no half-made file");
}

/// The shared layout has every column the forks name in their SQL (the interop
/// suite loads it in each of them; this keeps the layout from losing one).
#[test]
fn the_shared_schema_has_every_forks_columns() {
    let (_dir, path) = sample(Schema::Shared);
    let conn = Connection::open(&path).unwrap();
    let version: i64 = conn
        .query_row("SELECT number FROM version", [], |r| r.get(0))
        .unwrap();
    assert_eq!(version, 7, "kurigram's version, so no fork upgrades it");
    let has = |table: &str, columns: &[&str]| {
        let got = crate::sqlite::columns(&conn, table).unwrap();
        for c in columns {
            assert!(got.iter().any(|g| g == c), "{table} lacks {c}: {got:?}");
        }
    };
    has(
        "sessions",
        &[
            "dc_id",
            "server_address",
            "port",
            "api_id",
            "test_mode",
            "auth_key",
            "date",
            "user_id",
            "is_bot",
        ],
    );
    // Pyrogram/pyrofork write `username` here, kurigram `phone_number` without it.
    has(
        "peers",
        &[
            "id",
            "access_hash",
            "type",
            "username",
            "phone_number",
            "last_update_on",
        ],
    );
    // kurigram: (id, username); pyrofork: (id, peer_id) newest first.
    has(
        "usernames",
        &["id", "username", "peer_id", "last_update_on"],
    );
    has("update_state", &["id", "pts", "qts", "date", "seq"]);
    // kurigram inserts peers without a username and several usernames per peer.
    conn.execute_batch(
        "REPLACE INTO peers (id, access_hash, type, phone_number) VALUES (1, 2, 'user', NULL);
         REPLACE INTO usernames (id, username) VALUES (1, 'a');
         REPLACE INTO usernames (id, username) VALUES (1, 'b');
         REPLACE INTO peers (id, access_hash, type, username, phone_number)
             VALUES (3, 4, 'bot', 'c', NULL);
         REPLACE INTO usernames (peer_id, id) VALUES (3, 'c');",
    )
    .unwrap();
    let kept: i64 = conn
        .query_row("SELECT COUNT(*) FROM usernames WHERE id = 1", [], |r| {
            r.get(0)
        })
        .unwrap();
    assert_eq!(kept, 2, "kurigram's several names of one peer are all kept");
}
