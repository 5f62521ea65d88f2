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
    assert_eq!(found(&session("149.154.167.91", None)).network_hint, None);
    assert_eq!(
        found(&session("149.154.167.40", Some(true))).network_hint,
        Some(AccountNetwork::Test)
    );
    assert_eq!(
        found(&session("149.154.167.91", Some(false))).network_hint,
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

#[test]
fn tdata_is_refused_with_what_to_do_instead() {
    let e = read(&text(&session("127.0.0.1", None)), ImportFormat::Tdata).unwrap_err();
    assert_eq!(e.code, "FORMAT_UNSUPPORTED");
    assert!(e.message.contains("QR code"), "{}", e.message);
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
        &ImportSource::File { path: "  ".into() },
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
