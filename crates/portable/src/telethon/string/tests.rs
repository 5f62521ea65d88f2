use super::*;
use crate::testing::{key, session, vector};

#[test]
fn reads_ipv4_and_ipv6_strings() {
    for name in ["telethon-v4", "telethon-v6"] {
        let (fields, string) = vector(name);
        let s = decode(string).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(s.dc_id.to_string(), fields[0]);
        let server = s.server.expect("address");
        assert_eq!(server.host, fields[1]);
        assert_eq!(server.port.to_string(), fields[2]);
        assert!(s.auth_key == key());
        assert_eq!((s.test_mode, s.user_id, s.api_id), (None, None, None));
    }
}

#[test]
fn writes_what_telethon_writes() {
    for name in ["telethon-v4", "telethon-v6"] {
        let (fields, string) = vector(name);
        let mut s = session(Format::TelethonString);
        s.dc_id = fields[0].parse().unwrap();
        s.server = Some(ServerAddress {
            host: fields[1].into(),
            port: fields[2].parse().unwrap(),
        });
        assert_eq!(encode(&s).unwrap(), string, "{name}");
    }
}

#[test]
fn a_wrong_version_or_length_is_refused_plainly() {
    let (_, string) = vector("telethon-v4");
    let err = decode(&format!("2{}", &string[1..])).unwrap_err();
    assert!(
        matches!(
            err,
            Error::BadField {
                field: "version",
                ..
            }
        ),
        "{err:?}"
    );
    let err = decode(&string[..200]).unwrap_err();
    assert!(matches!(err, Error::WrongLength { .. }), "{err:?}");
    assert!(decode("").is_err());
}

#[test]
fn an_empty_key_means_not_signed_in() {
    let mut s = session(Format::TelethonString);
    s.auth_key = AuthKey::from_bytes([0; 256]);
    let err = decode(&encode(&s).unwrap()).unwrap_err();
    assert!(matches!(err, Error::NoAuthKey { .. }), "{err:?}");
}

#[test]
fn host_names_cannot_be_written() {
    let mut s = session(Format::TelethonString);
    s.server = Some(ServerAddress {
        host: "localhost".into(),
        port: 1,
    });
    let err = encode(&s).unwrap_err();
    assert!(err.to_string().contains("no host names"), "{err}");
}
