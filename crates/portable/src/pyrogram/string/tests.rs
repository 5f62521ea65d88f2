use super::*;
use crate::testing::{key, session, vector};

#[test]
fn reads_every_layout_pyrogram_has_shipped() {
    for name in ["pyrogram-current", "pyrogram-old32", "pyrogram-old64"] {
        let (fields, string) = vector(name);
        let s = decode(string).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(s.dc_id.to_string(), fields[0], "{name}");
        assert_eq!(
            s.api_id.map(|a| a.to_string()).unwrap_or("-".into()),
            fields[1],
            "{name}"
        );
        assert_eq!(s.test_mode, Some(fields[2] == "1"), "{name}");
        assert_eq!(
            s.user_id.map(|u| u.to_string()).as_deref(),
            Some(fields[3]),
            "{name}"
        );
        assert_eq!(s.is_bot, Some(fields[4] == "1"), "{name}");
        assert!(s.auth_key == key(), "{name}: key");
        assert_eq!(s.format, Format::PyrogramString);
    }
}

#[test]
fn writes_the_current_layout_byte_for_byte() {
    let (fields, string) = vector("pyrogram-current");
    let mut s = session(Format::PyrogramString);
    s.dc_id = fields[0].parse().unwrap();
    s.api_id = Some(fields[1].parse().unwrap());
    s.test_mode = Some(fields[2] == "1");
    s.user_id = Some(fields[3].parse().unwrap());
    s.is_bot = Some(fields[4] == "1");
    assert_eq!(encode(&s).unwrap(), string);
}

#[test]
fn padding_whitespace_quotes_and_the_standard_alphabet_are_tolerated() {
    let (_, string) = vector("pyrogram-current");
    let padded = format!("  \"{string}=\"\n");
    assert!(decode(&padded).is_ok());
    let standard = string.replace('-', "+").replace('_', "/");
    assert!(decode(&standard).unwrap().auth_key == key());
}

#[test]
fn a_cut_string_is_a_length_error_naming_the_format() {
    let (_, string) = vector("pyrogram-current");
    let err = decode(&string[..300]).unwrap_err();
    assert!(
        matches!(err, Error::WrongLength { len: 225, .. }),
        "{err:?}"
    );
    assert!(err.to_string().contains("Pyrogram session string"), "{err}");
}

#[test]
fn not_base64_is_said_so() {
    let err = decode("this is not base64 at all!").unwrap_err();
    assert!(matches!(err, Error::NotBase64 { .. }), "{err:?}");
}

#[test]
fn a_zero_key_or_dc_is_refused() {
    let mut s = session(Format::PyrogramString);
    s.auth_key = AuthKey::from_bytes([0; 256]);
    let err = decode(&encode(&s).unwrap()).unwrap_err();
    assert!(matches!(err, Error::NoAuthKey { .. }), "{err:?}");
    let mut raw = base64url::decode(&encode(&session(Format::PyrogramString)).unwrap()).unwrap();
    raw[0] = 0;
    let err = decode(&base64url::encode_unpadded(&raw)).unwrap_err();
    assert!(
        matches!(err, Error::BadField { field: "DC id", .. }),
        "{err:?}"
    );
}

#[test]
fn writing_needs_api_id_and_user_id() {
    let mut s = session(Format::PyrogramString);
    s.api_id = None;
    assert!(matches!(
        encode(&s),
        Err(Error::CannotWrite {
            what: "the api_id",
            ..
        })
    ));
    let mut s = session(Format::PyrogramString);
    s.user_id = None;
    assert!(matches!(encode(&s), Err(Error::CannotWrite { .. })));
}

#[test]
fn errors_never_quote_the_string() {
    let (_, string) = vector("pyrogram-current");
    for bad in [&string[..200], &string[1..], &format!("{string}!!")] {
        let shown = decode(bad).unwrap_err().to_string();
        let quoted = (0..bad.len() - 16).any(|i| shown.contains(&bad[i..i + 16]));
        assert!(!quoted, "{shown}");
    }
}
