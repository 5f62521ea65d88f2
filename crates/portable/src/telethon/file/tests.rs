use super::*;
use crate::testing::{key, session};

#[test]
fn round_trips_through_the_version_8_schema() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bot.session");
    write(&path, &session(Format::TelethonFile)).unwrap();
    let s = &read(&path).unwrap()[0];
    assert_eq!(s.dc_id, 2);
    assert_eq!(s.server, session(Format::TelethonFile).server);
    assert!(s.auth_key == key());
    let version: i64 = Connection::open(&path)
        .unwrap()
        .query_row("SELECT version FROM version", [], |r| r.get(0))
        .unwrap();
    assert_eq!(version, 8);
}

/// Version 4 (before `takeout_id`) reads the same.
#[test]
fn reads_an_old_schema() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("old.session");
    let conn = Connection::open(&path).unwrap();
    conn.execute_batch(
        "CREATE TABLE version (version INTEGER PRIMARY KEY); INSERT INTO version VALUES (4);
         CREATE TABLE sessions (dc_id INTEGER PRIMARY KEY, server_address TEXT, port INTEGER, auth_key BLOB);
         CREATE TABLE entities (id INTEGER PRIMARY KEY, hash INTEGER NOT NULL, username TEXT, phone INTEGER, name TEXT);",
    )
    .unwrap();
    conn.execute(
        "INSERT INTO sessions VALUES (5, '::1', 443, ?1)",
        [key().as_bytes().as_slice()],
    )
    .unwrap();
    drop(conn);
    let s = &read(&path).unwrap()[0];
    assert_eq!(
        (s.dc_id, s.server.as_ref().unwrap().host.as_str()),
        (5, "::1")
    );
}

#[test]
fn a_row_without_a_key_is_skipped_and_none_left_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("new.session");
    write(&path, &session(Format::TelethonFile)).unwrap();
    Connection::open(&path)
        .unwrap()
        .execute("UPDATE sessions SET auth_key = zeroblob(256)", [])
        .unwrap();
    assert!(matches!(read(&path), Err(Error::EmptyDatabase { .. })));
}

#[test]
fn a_negative_port_is_a_field_error() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("p.session");
    write(&path, &session(Format::TelethonFile)).unwrap();
    Connection::open(&path)
        .unwrap()
        .execute("UPDATE sessions SET port = -1", [])
        .unwrap();
    assert!(matches!(
        read(&path),
        Err(Error::BadField { field: "port", .. })
    ));
}
