use hearth_accounts::{PortableSession, SessionFormat};
use hearth_crypto::AuthKey;
use hearth_portable::ServerAddress;

use super::*;

fn session(host: &str, test_mode: Option<bool>) -> PortableSession {
    let mut bytes = [0u8; 256];
    for (i, b) in bytes.iter_mut().enumerate() {
        *b = (i as u8).wrapping_mul(7).wrapping_add(3);
    }
    PortableSession {
        format: SessionFormat::TelethonString,
        dc_id: 4,
        auth_key: AuthKey::from_bytes(bytes),
        test_mode,
        user_id: None,
        is_bot: None,
        api_id: None,
        server: Some(ServerAddress {
            host: host.into(),
            port: 4444,
        }),
    }
}

fn text(s: &PortableSession) -> ImportSource {
    ImportSource::Text {
        text: hearth_portable::telethon::string::encode(s).unwrap(),
    }
}

#[test]
fn a_pasted_telethon_string_is_read_with_its_dc_key_id_and_local_network() {
    let original = session("127.0.0.1", None);
    let read = read(&text(&original), ImportFormat::Auto).unwrap();
    assert_eq!(read.len(), 1);
    let view = found(&read[0]);
    assert_eq!(view.format, "Telethon StringSession");
    assert_eq!(view.dc_id, 4);
    assert_eq!(view.key_id, format!("{:016x}", original.key_id()));
    assert_eq!(view.key_id.len(), 16);
    assert_eq!(view.network_hint, Some(AccountNetwork::Local));
    assert_eq!(view.server.as_deref(), Some("127.0.0.1:4444"));
    // The override naming the right library reads it too.
    assert!(read_ok(&text(&original), ImportFormat::Telethon));
}

fn read_ok(source: &ImportSource, format: ImportFormat) -> bool {
    read(source, format).is_ok()
}

#[test]
fn a_session_on_a_public_address_says_nothing_of_its_network_unless_test_mode_does() {
    // Documentation addresses (RFC 5737): only "not loopback" matters here.
    assert_eq!(found(&session("203.0.113.91", None)).network_hint, None);
    assert_eq!(
        found(&session("203.0.113.40", Some(true))).network_hint,
        Some(AccountNetwork::Test)
    );
    assert_eq!(
        found(&session("203.0.113.91", Some(false))).network_hint,
        Some(AccountNetwork::Production)
    );
}

#[test]
fn the_wrong_format_override_is_refused_on_the_format_field() {
    let e = read(&text(&session("127.0.0.1", None)), ImportFormat::Pyrogram).unwrap_err();
    assert_eq!(
        (e.code.as_str(), e.field.as_deref()),
        (codes::INVALID_INPUT, Some("format"))
    );
    assert!(
        e.message.contains("Telethon StringSession"),
        "{}",
        e.message
    );
}

fn tdata(passcode: &[u8]) -> tempfile::TempDir {
    use hearth_portable::tdata::writer::{signed, write_tdata};
    let dir = tempfile::tempdir().unwrap();
    write_tdata(
        dir.path(),
        passcode,
        &[0, 1],
        &[signed(0, 5_000_000_001, 2), signed(1, 7_123_456_789, 4)],
    );
    dir
}

fn folder(dir: &tempfile::TempDir, passcode: Option<&str>) -> ImportSource {
    ImportSource::File {
        path: dir.path().display().to_string(),
        passcode: passcode.map(|p| Passcode::from(p.to_owned())),
    }
}

#[test]
fn a_tdata_folder_is_read_with_every_account_told_by_content_or_chosen() {
    let dir = tdata(b"");
    for format in [ImportFormat::Auto, ImportFormat::Tdata] {
        let read = read(&folder(&dir, None), format).unwrap();
        let views: Vec<_> = read.iter().map(found).collect();
        assert_eq!(views.len(), 2);
        assert_eq!(views[0].format, "Telegram Desktop tdata folder");
        assert_eq!((views[0].dc_id, views[0].user_id), (2, Some(5_000_000_001)));
        assert_eq!((views[1].dc_id, views[1].user_id), (4, Some(7_123_456_789)));
        assert_eq!(views[1].key_id, format!("{:016x}", read[1].key_id()));
        assert_ne!(views[0].key_id, views[1].key_id);
        assert_eq!(views[0].network_hint, None, "tdata keeps no network");
    }
    // An empty passcode field for a tdata without one still reads it.
    assert_eq!(
        read(&folder(&dir, Some("")), ImportFormat::Auto)
            .unwrap()
            .len(),
        2
    );
    // Naming another format for a tdata is refused on the format field.
    let e = read(&folder(&dir, None), ImportFormat::Telethon).unwrap_err();
    assert_eq!(e.field.as_deref(), Some("format"));
}

#[test]
fn a_locked_tdata_asks_for_its_passcode_and_names_a_wrong_one() {
    let dir = tdata(b"hunter2");
    let e = read(&folder(&dir, None), ImportFormat::Auto).unwrap_err();
    assert_eq!(
        (e.code.as_str(), e.field.as_deref()),
        ("PASSCODE_NEEDED", Some("passcode"))
    );
    assert!(e.message.contains("local passcode"), "{}", e.message);
    let e = read(&folder(&dir, Some("")), ImportFormat::Tdata).unwrap_err();
    assert_eq!(e.code, "PASSCODE_NEEDED");
    let e = read(&folder(&dir, Some("hunter3")), ImportFormat::Auto).unwrap_err();
    assert_eq!(
        (e.code.as_str(), e.field.as_deref()),
        ("PASSCODE_INVALID", Some("passcode"))
    );
    assert!(!e.message.contains("hunter"), "{}", e.message);
    let read = read(&folder(&dir, Some("hunter2")), ImportFormat::Auto).unwrap();
    assert_eq!(read.len(), 2);
}

#[test]
fn a_tdata_is_a_folder_not_a_string_nor_a_missing_path() {
    let e = read(&text(&session("127.0.0.1", None)), ImportFormat::Tdata).unwrap_err();
    assert_eq!(
        (e.code.as_str(), e.field.as_deref()),
        (codes::INVALID_INPUT, Some("format"))
    );
    assert!(e.message.contains("folder"), "{}", e.message);
    let e = read(
        &ImportSource::File {
            path: "/nonexistent/tdata".into(),
            passcode: None,
        },
        ImportFormat::Tdata,
    )
    .unwrap_err();
    assert_eq!(
        (e.code.as_str(), e.field.as_deref()),
        ("SESSION_INVALID", Some("session"))
    );
    assert!(e.message.contains("/nonexistent/tdata"), "{}", e.message);
}

#[test]
fn the_passcode_arrives_from_the_ui_and_is_never_printed() {
    let source: ImportSource =
        serde_json::from_str(r#"{"kind":"file","path":"/x/tdata","passcode":"hunter2"}"#).unwrap();
    assert_eq!(source, folder_at("/x/tdata", Some("hunter2")));
    assert!(!format!("{source:?}").contains("hunter2"), "{source:?}");
    // Without one (session files, the UI's older calls) it is absent.
    let source: ImportSource =
        serde_json::from_str(r#"{"kind":"file","path":"/x/a.session"}"#).unwrap();
    assert_eq!(source, folder_at("/x/a.session", None));
    let request: ImportRequest = serde_json::from_str(
        r#"{"source":{"kind":"text","text":"x"},"format":"auto","network":"local","api":null,"label":null}"#,
    )
    .unwrap();
    assert_eq!(request.key_ids, None);
}

fn folder_at(path: &str, passcode: Option<&str>) -> ImportSource {
    ImportSource::File {
        path: path.into(),
        passcode: passcode.map(|p| Passcode::from(p.to_owned())),
    }
}

#[test]
fn malformed_input_names_what_is_wrong() {
    let e = read(
        &ImportSource::Text {
            text: "not a session".into(),
        },
        ImportFormat::Auto,
    )
    .unwrap_err();
    assert_eq!(
        (e.code.as_str(), e.field.as_deref()),
        ("SESSION_INVALID", Some("session"))
    );
    assert!(e.message.contains("13 characters"), "{}", e.message);

    let e = read(
        &ImportSource::File {
            path: "  ".into(),
            passcode: None,
        },
        ImportFormat::Auto,
    )
    .unwrap_err();
    assert_eq!(e.field.as_deref(), Some("session"));

    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("notes.session");
    std::fs::write(&path, b"plain text, not SQLite").unwrap();
    let e = read(
        &ImportSource::File {
            path: path.display().to_string(),
            passcode: None,
        },
        ImportFormat::Auto,
    )
    .unwrap_err();
    assert_eq!(e.code, "SESSION_INVALID");
    assert!(e.message.contains("notes.session"), "{}", e.message);
    assert_eq!(
        std::fs::read(&path).unwrap(),
        b"plain text, not SQLite",
        "the source is never modified"
    );
}
