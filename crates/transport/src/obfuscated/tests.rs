//! obfuscated2 header and stream tests.

use rand::rngs::StdRng;
use rand::SeedableRng;

use super::*;
use crate::detect::{detect, Detected};

const TAGS: [ProtocolTag; 3] = [
    ProtocolTag::Abridged,
    ProtocolTag::Intermediate,
    ProtocolTag::PaddedIntermediate,
];

#[test]
fn headers_never_use_forbidden_prefixes() {
    let mut rng = StdRng::seed_from_u64(0x0bf5);
    for i in 0..20_000 {
        let tag = TAGS[i % 3];
        let (header, _) = client_handshake(&mut rng, tag, DcId::new(2), None).unwrap();
        assert!(!is_forbidden_header(&header), "iteration {i}");
        assert_eq!(detect(&header).unwrap(), Some(Detected::Obfuscated2));
    }
}

#[test]
fn forbidden_prefixes_are_recognised() {
    let mut header = [0x11u8; HEADER_LEN];
    assert!(!is_forbidden_header(&header));
    for first in [
        *b"HEAD",
        *b"POST",
        *b"GET ",
        *b"OPTI",
        [0xdd; 4],
        [0xee; 4],
        [0x16, 3, 1, 2],
    ] {
        header[..4].copy_from_slice(&first);
        assert!(is_forbidden_header(&header), "{first:?}");
    }
    header[..4].copy_from_slice(&[0xef, 1, 2, 3]);
    assert!(is_forbidden_header(&header));
    header[..4].copy_from_slice(&[1, 2, 3, 4]);
    header[4..8].copy_from_slice(&[0; 4]);
    assert!(is_forbidden_header(&header));
}

/// An RNG that first yields forbidden headers, proving the client redraws.
struct Scripted {
    blocks: Vec<[u8; HEADER_LEN]>,
    rest: StdRng,
}

impl rand_core::TryRng for Scripted {
    type Error = core::convert::Infallible;
    fn try_next_u32(&mut self) -> Result<u32, Self::Error> {
        Ok(rand_core::Rng::next_u32(&mut self.rest))
    }
    fn try_next_u64(&mut self) -> Result<u64, Self::Error> {
        Ok(rand_core::Rng::next_u64(&mut self.rest))
    }
    fn try_fill_bytes(&mut self, dst: &mut [u8]) -> Result<(), Self::Error> {
        match self.blocks.pop() {
            Some(block) if dst.len() == HEADER_LEN => dst.copy_from_slice(&block),
            _ => rand_core::Rng::fill_bytes(&mut self.rest, dst),
        }
        Ok(())
    }
}
impl rand_core::TryCryptoRng for Scripted {}

#[test]
fn client_redraws_forbidden_headers() {
    let mut bad = [7u8; HEADER_LEN];
    bad[0] = 0xef;
    let mut zero_second = [7u8; HEADER_LEN];
    zero_second[4..8].copy_from_slice(&[0; 4]);
    let mut rng = Scripted {
        blocks: vec![bad, zero_second, {
            let mut b = [7u8; HEADER_LEN];
            b[..4].copy_from_slice(b"POST");
            b
        }],
        rest: StdRng::seed_from_u64(5),
    };
    let (header, _) =
        client_handshake(&mut rng, ProtocolTag::Abridged, DcId::new(1), None).unwrap();
    assert!(rng.blocks.is_empty());
    assert_ne!(header[..8], [7; 8]);
    assert!(!is_forbidden_header(&header));
}

#[test]
fn dc_ids_encode_media_and_test() {
    let cases = [
        (DcId::new(2), 2i16),
        (
            DcId {
                id: 4,
                media: true,
                test: false,
            },
            -4,
        ),
        (
            DcId {
                id: 1,
                media: false,
                test: true,
            },
            10_001,
        ),
        (
            DcId {
                id: 3,
                media: true,
                test: true,
            },
            -10_003,
        ),
    ];
    for (dc, wire) in cases {
        assert_eq!(dc.to_wire(), Some(wire));
        assert_eq!(DcId::from_wire(wire), dc);
    }
    assert_eq!(
        DcId {
            id: 30_000,
            media: false,
            test: false
        }
        .to_wire(),
        None
    );
    assert_eq!(
        DcId {
            id: 23_000,
            media: false,
            test: true
        }
        .to_wire(),
        None
    );
}

fn round_trip(tag: ProtocolTag, dc: DcId, secret: Option<&[u8; 16]>, seed: u64) {
    let mut rng = StdRng::seed_from_u64(seed);
    let (header, mut client) = client_handshake(&mut rng, tag, dc, secret).unwrap();
    // The tag must not be visible in clear.
    assert_ne!(header[56..60], tag.bytes());
    let mut server = server_handshake(&header, secret).unwrap();
    assert_eq!(server.tag, tag);
    assert_eq!(server.dc, dc);

    for len in [1usize, 16, 100, 4096] {
        let sent: Vec<u8> = (0..len).map(|i| i as u8).collect();
        let mut wire = sent.clone();
        client.encrypt(&mut wire);
        assert_ne!(wire, sent);
        server.cipher.decrypt(&mut wire);
        assert_eq!(wire, sent);

        let mut wire = sent.clone();
        server.cipher.encrypt(&mut wire);
        client.decrypt(&mut wire);
        assert_eq!(wire, sent);
    }
}

#[test]
fn client_server_round_trip_for_every_tag() {
    let secret = [0x5a; 16];
    for (i, tag) in TAGS.into_iter().enumerate() {
        round_trip(tag, DcId::new(2), None, i as u64);
        round_trip(
            tag,
            DcId {
                id: 5,
                media: true,
                test: true,
            },
            Some(&secret),
            100 + i as u64,
        );
    }
}

#[test]
fn wrong_secret_or_tampering_gives_bad_tag() {
    let mut rng = StdRng::seed_from_u64(77);
    let secret = [1u8; 16];
    let (header, _) = client_handshake(
        &mut rng,
        ProtocolTag::Intermediate,
        DcId::new(2),
        Some(&secret),
    )
    .unwrap();
    assert!(matches!(
        server_handshake(&header, Some(&[2u8; 16])),
        Err(TransportError::BadProtocolTag(_))
    ));
    assert!(matches!(
        server_handshake(&header, None),
        Err(TransportError::BadProtocolTag(_))
    ));
    let mut tampered = header;
    tampered[57] ^= 1;
    assert!(matches!(
        server_handshake(&tampered, Some(&secret)),
        Err(TransportError::BadProtocolTag(_))
    ));
    assert!(server_handshake(&header, Some(&secret)).is_ok());
}

#[test]
fn directions_use_distinct_keystreams() {
    let mut rng = StdRng::seed_from_u64(3);
    let (header, mut client) =
        client_handshake(&mut rng, ProtocolTag::Abridged, DcId::new(1), None).unwrap();
    let mut server = server_handshake(&header, None).unwrap();
    let mut up = [0u8; 32];
    let mut down = [0u8; 32];
    client.encrypt(&mut up);
    server.cipher.encrypt(&mut down);
    assert_ne!(up, down);
}

/// Known answers computed independently (Python `cryptography` AES-CTR and
/// `hashlib` SHA-256) for header byte `i` = `37·i + 11`, abridged, DC -3:
/// the encrypted header tail, then 16 zero bytes encrypted in each
/// direction right after the header.
#[test]
fn matches_independent_implementation() {
    let mut block = [0u8; HEADER_LEN];
    for (i, b) in block.iter_mut().enumerate() {
        *b = (i * 37 + 11) as u8;
    }
    let cases: [(Option<[u8; 16]>, &str, &str, &str); 2] = [
        (
            None,
            "ef2ca4010ee0eb30",
            "8a0f59ad75c68a82feace539f9e777a5",
            "8f9ec2f275ee49f605f4e044a32a10d4",
        ),
        (
            Some(core::array::from_fn(|i| i as u8)),
            "1bb2934d82a2918b",
            "f83a742981c9d446dc69bc4324742d9e",
            "879a003140939dcef3bb70c4e0d58c2f",
        ),
    ];
    let dc = DcId {
        id: 3,
        media: true,
        test: false,
    };
    for (secret, tail, up, down) in cases {
        let mut rng = Scripted {
            blocks: vec![block],
            rest: StdRng::seed_from_u64(0),
        };
        let (header, mut client) =
            client_handshake(&mut rng, ProtocolTag::Abridged, dc, secret.as_ref()).unwrap();
        assert_eq!(header[..56], block[..56]);
        assert_eq!(hex::encode(&header[56..]), tail);
        let mut data = [0u8; 16];
        client.encrypt(&mut data);
        assert_eq!(hex::encode(data), up);
        let mut server = server_handshake(&header, secret.as_ref()).unwrap();
        assert_eq!((server.tag, server.dc), (ProtocolTag::Abridged, dc));
        let mut data = [0u8; 16];
        server.cipher.encrypt(&mut data);
        assert_eq!(hex::encode(data), down);
    }
}
