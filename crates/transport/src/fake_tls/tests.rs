//! Fake-TLS handshake and record layer tests.

use rand::rngs::StdRng;
use rand::SeedableRng;

use super::client::CLIENT_HELLO_LEN;
use super::*;
use crate::detect::{detect, Detected};
use crate::error::TransportError;

const KEY: [u8; 16] = *b"0123456789abcdef";
const NOW: u32 = 1_764_000_000;

fn hello(seed: u64, domain: &str, time: u32) -> ClientHello {
    build_client_hello(&mut StdRng::seed_from_u64(seed), &KEY, domain, time).unwrap()
}

#[test]
fn client_hello_has_the_expected_shape() {
    for (seed, domain) in [(1, "example.com"), (2, "a.b"), (3, &"x".repeat(63)[..])] {
        let h = hello(seed, domain, NOW);
        assert_eq!(h.bytes.len(), CLIENT_HELLO_LEN);
        assert_eq!(&h.bytes[..11], &[0x16, 3, 1, 2, 0, 1, 0, 1, 0xfc, 3, 3]);
        assert_eq!(&h.bytes[11..43], &h.random);
        assert_eq!(detect(&h.bytes).unwrap(), Some(Detected::FakeTls));
        let sni = (domain.len() as u16).to_be_bytes();
        let needle = [&sni[..], domain.as_bytes()].concat();
        assert!(h.bytes.windows(needle.len()).any(|w| w == needle));
    }
    // Session id and key share are random.
    assert_ne!(
        hello(1, "example.com", NOW).bytes[44..76],
        hello(2, "example.com", NOW).bytes[44..76]
    );
}

#[test]
fn client_hello_rejects_bad_or_huge_domains() {
    let mut rng = StdRng::seed_from_u64(1);
    assert!(build_client_hello(&mut rng, &KEY, "bad domain", NOW).is_err());
    let long = vec!["abcdefghij".repeat(6); 4].join(".");
    assert!(matches!(
        build_client_hello(&mut rng, &KEY, &long, NOW),
        Err(TransportError::FakeTls(_))
    ));
}

#[test]
fn full_handshake_round_trip() {
    let h = hello(4, "example.com", NOW);
    let (verified, used) = verify_client_hello(
        &KEY,
        Some("example.com"),
        &h.bytes,
        NOW + 5,
        TimeWindow::default(),
    )
    .unwrap()
    .unwrap();
    assert_eq!(used, h.bytes.len());
    assert_eq!(verified.timestamp, NOW);
    assert_eq!(verified.sni.as_deref(), Some("example.com"));
    assert_eq!(verified.session_id, h.bytes[44..76]);
    assert_eq!(verified.random, h.random);

    let mut rng = StdRng::seed_from_u64(5);
    let answer = build_server_hello(&mut rng, &KEY, &verified, 2000);
    let mut stream = answer.clone();
    stream.extend_from_slice(&[0x17, 3, 3, 0, 1, 0xaa]); // data that follows
    assert_eq!(
        verify_server_hello(&KEY, &h.random, &stream).unwrap(),
        Some(answer.len())
    );
    for cut in 0..answer.len() {
        assert_eq!(
            verify_server_hello(&KEY, &h.random, &answer[..cut]).unwrap(),
            None
        );
    }
}

#[test]
fn client_hello_verification_rejects_tampering_and_bad_clocks() {
    let h = hello(6, "example.com", NOW);
    let window = TimeWindow::default();
    let check =
        |bytes: &[u8], now| verify_client_hello(&KEY, Some("example.com"), bytes, now, window);
    for at in [0usize, 5, 20, 30, 60, 200, 516] {
        let mut bad = h.bytes.clone();
        bad[at] ^= 0x01;
        assert!(check(&bad, NOW).is_err(), "byte {at}");
    }
    assert!(matches!(
        verify_client_hello(b"fedcba9876543210", None, &h.bytes, NOW, window),
        Err(TransportError::FakeTls(_))
    ));
    assert!(matches!(
        verify_client_hello(&KEY, Some("other.org"), &h.bytes, NOW, window),
        Err(TransportError::FakeTls(_))
    ));
    assert!(check(&h.bytes, NOW + 20 * 60).is_ok());
    assert_eq!(
        check(&h.bytes, NOW + 20 * 60 + 1),
        Err(TransportError::ClockSkew { seconds: 1201 })
    );
    assert!(check(&h.bytes, NOW - 10 * 60).is_ok());
    assert_eq!(
        check(&h.bytes, NOW - 10 * 60 - 1),
        Err(TransportError::ClockSkew { seconds: -601 })
    );
    assert_eq!(check(&h.bytes[..300], NOW), Ok(None));
    assert!(check(b"GET / HTTP/1.1\r\n", NOW).is_err());
}

#[test]
fn server_hello_verification_rejects_tampering() {
    let h = hello(7, "example.com", NOW);
    let (verified, _) = verify_client_hello(&KEY, None, &h.bytes, NOW, TimeWindow::default())
        .unwrap()
        .unwrap();
    let answer = build_server_hello(&mut StdRng::seed_from_u64(8), &KEY, &verified, 100);
    for at in [11usize, 42, 50, answer.len() - 1] {
        let mut bad = answer.clone();
        bad[at] ^= 0x80;
        assert!(
            matches!(
                verify_server_hello(&KEY, &h.random, &bad),
                Err(TransportError::FakeTls(_))
            ),
            "byte {at}"
        );
    }
    // Another client's random or another key fails.
    let mut other = h.random;
    other[0] ^= 1;
    assert!(verify_server_hello(&KEY, &other, &answer).is_err());
    assert!(verify_server_hello(b"fedcba9876543210", &h.random, &answer).is_err());
    // Wrong record order / non-TLS answers.
    assert!(verify_server_hello(&KEY, &h.random, &answer[answer.len() - 105..]).is_err());
    assert!(verify_server_hello(&KEY, &h.random, b"HTTP/1.1 400 Bad").is_err());
}

#[test]
fn records_wrap_and_unwrap() {
    let data: Vec<u8> = (0..40_000u32).map(|i| i as u8).collect();
    let mut writer = RecordWriter::client();
    let mut wire = Vec::new();
    writer.wrap(&data[..64], &mut wire);
    writer.wrap(&data[64..], &mut wire);
    assert_eq!(&wire[..6], &[0x14, 3, 3, 0, 1, 1]);
    assert_eq!(&wire[6..11], &[0x17, 3, 3, 0, 64]);

    // Feed in uneven chunks, as a socket would.
    let mut reader = RecordReader::new();
    let mut buf = Vec::new();
    let mut out = Vec::new();
    for chunk in wire.chunks(999) {
        buf.extend_from_slice(chunk);
        let used = reader.unwrap(&buf, &mut out).unwrap();
        buf.drain(..used);
    }
    assert!(buf.is_empty());
    assert_eq!(out, data);

    // A server writer sends no change_cipher_spec; records respect the cap.
    let mut wire = Vec::new();
    RecordWriter::server()
        .with_max_payload(1000)
        .wrap(&data[..2500], &mut wire);
    assert_eq!(wire.len(), 2500 + 3 * 5);
    assert_eq!(&wire[..5], &[0x17, 3, 3, 0x03, 0xe8]);
}

#[test]
fn record_reader_rejects_garbage() {
    let mut out = Vec::new();
    let mut reader = RecordReader::new();
    assert!(reader.unwrap(&[0x17, 9, 9, 0, 1, 0], &mut out).is_err());
    assert!(reader.unwrap(&[0x15, 3, 3, 0, 2, 2, 40], &mut out).is_err());
    assert!(reader.unwrap(&[0x16, 3, 3, 0, 1, 0], &mut out).is_err());
    assert!(reader.unwrap(&[0x17, 3, 3, 0xff, 0xff], &mut out).is_err());
    // change_cipher_spec after application data is not allowed.
    assert_eq!(reader.unwrap(&[0x17, 3, 3, 0, 1, 7], &mut out), Ok(6));
    assert!(reader.unwrap(&[0x14, 3, 3, 0, 1, 1], &mut out).is_err());
    assert_eq!(out, [7]);
}

/// Recomputes both HMACs directly from the spec's description, outside the
/// module's helper, so a shared mistake in the helper cannot hide.
#[test]
fn randoms_follow_the_spec_formula() {
    use hmac::{Hmac, KeyInit, Mac};
    use sha2::Sha256;
    let mac = |parts: &[&[u8]]| {
        let mut m = <Hmac<Sha256> as KeyInit>::new_from_slice(&KEY).unwrap();
        for p in parts {
            m.update(p);
        }
        let out: [u8; 32] = m.finalize().into_bytes().into();
        out
    };
    let h = hello(9, "example.com", NOW);
    let mut zeroed = h.bytes.clone();
    zeroed[11..43].fill(0);
    let mut expected = mac(&[&zeroed]);
    for (e, t) in expected[28..].iter_mut().zip(NOW.to_le_bytes()) {
        *e ^= t;
    }
    assert_eq!(h.random, expected);

    let (verified, _) = verify_client_hello(&KEY, None, &h.bytes, NOW, TimeWindow::default())
        .unwrap()
        .unwrap();
    let answer = build_server_hello(&mut StdRng::seed_from_u64(10), &KEY, &verified, 64);
    let mut zeroed = answer.clone();
    zeroed[11..43].fill(0);
    assert_eq!(answer[11..43], mac(&[&h.random, &zeroed]));
    // Layout: ServerHello echoing the session id, then CCS, then app data.
    assert_eq!(&answer[..3], &[0x16, 3, 3]);
    let sh_len = usize::from(u16::from_be_bytes([answer[3], answer[4]]));
    assert_eq!(answer[44..76], h.bytes[44..76]);
    assert_eq!(&answer[5 + sh_len..5 + sh_len + 6], &[0x14, 3, 3, 0, 1, 1]);
    assert_eq!(
        &answer[5 + sh_len + 6..5 + sh_len + 11],
        &[0x17, 3, 3, 0, 64]
    );
    assert_eq!(answer.len(), 5 + sh_len + 11 + 64);
}
