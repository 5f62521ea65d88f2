use super::*;
use crate::pyrogram::file::Schema;
use crate::session::Format;
use crate::testing::{session, vector};

#[test]
fn strings_are_told_apart_by_shape() {
    for (name, format) in [
        ("pyrogram-current", Format::PyrogramString),
        ("pyrogram-old32", Format::PyrogramString),
        ("pyrogram-old64", Format::PyrogramString),
        ("telethon-v4", Format::TelethonString),
        ("telethon-v6", Format::TelethonString),
    ] {
        assert_eq!(
            read_string(vector(name).1).unwrap().format,
            format,
            "{name}"
        );
    }
    assert!(matches!(
        read_string("   "),
        Err(Error::UnknownString { .. })
    ));
    assert!(matches!(
        read_string("1abc"),
        Err(Error::UnknownString { .. })
    ));
}

#[test]
fn files_are_told_apart_by_their_tables() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("p.session");
    let k = dir.path().join("k.session");
    let t = dir.path().join("t.session");
    crate::pyrogram::file::write(&p, &session(Format::PyrogramFile), Schema::Pyrogram).unwrap();
    crate::pyrogram::file::write(&k, &session(Format::PyrogramFile), Schema::Kurigram).unwrap();
    crate::telethon::file::write(&t, &session(Format::TelethonFile)).unwrap();
    assert_eq!(read_file(&p).unwrap()[0].format, Format::PyrogramFile);
    assert_eq!(read_file(&k).unwrap()[0].format, Format::PyrogramFile);
    assert_eq!(read_file(&t).unwrap()[0].format, Format::TelethonFile);
}

#[test]
fn other_files_get_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let text = dir.path().join("notes.txt");
    std::fs::write(
        &text,
        "not a database, just some words that are long enough to be read",
    )
    .unwrap();
    let err = read_file(&text).unwrap_err();
    assert!(matches!(err, Error::NotSqlite { .. }), "{err:?}");

    let other = dir.path().join("other.db");
    rusqlite::Connection::open(&other)
        .unwrap()
        .execute_batch("CREATE TABLE t (x)")
        .unwrap();
    let err = read_file(&other).unwrap_err();
    assert!(err.to_string().contains("its tables: t"), "{err}");

    let missing = dir.path().join("missing.session");
    let err = read_file(&missing).unwrap_err();
    assert!(err.to_string().contains("no such file"), "{err}");
    let err = read_file(dir.path()).unwrap_err();
    assert!(err.to_string().contains("is a folder"), "{err}");
    assert!(!missing.exists(), "reading never creates a file");
}
