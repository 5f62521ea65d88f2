//! Shared by the unit tests: the known-answer vectors of
//! `testdata/vectors.txt` (made by `testdata/make_vectors.py` with the
//! libraries' own struct layouts) and their key.

use hearth_crypto::AuthKey;

use crate::session::{Format, PortableSession, ServerAddress};

/// The vectors' key: byte i is (7 i + 3) mod 256.
pub fn key() -> AuthKey {
    let mut bytes = [0u8; 256];
    for (i, b) in bytes.iter_mut().enumerate() {
        *b = ((i * 7 + 3) % 256) as u8;
    }
    AuthKey::from_bytes(bytes)
}

/// The fields and the string of the vector named `name`.
pub fn vector(name: &str) -> (Vec<&'static str>, &'static str) {
    let line = include_str!("../testdata/vectors.txt")
        .lines()
        .find(|l| l.split(' ').next() == Some(name))
        .unwrap_or_else(|| panic!("no vector {name}"));
    let mut parts: Vec<&str> = line.split(' ').skip(1).collect();
    let string = parts.pop().expect("a vector ends with its string");
    (parts, string)
}

pub fn session(format: Format) -> PortableSession {
    PortableSession {
        format,
        dc_id: 2,
        auth_key: key(),
        test_mode: Some(false),
        user_id: Some(5_000_000_001),
        is_bot: Some(false),
        api_id: Some(94575),
        server: Some(ServerAddress {
            host: "127.0.0.1".into(),
            port: 40002,
        }),
    }
}
