//! Unit tests for the framing codecs.

use rand::rngs::StdRng;
use rand::SeedableRng;

use super::*;

fn rng(seed: u64) -> Box<dyn rand_core::Rng + Send> {
    Box::new(StdRng::seed_from_u64(seed))
}

fn pair(kind: FramingKind) -> (Box<dyn Framing>, Box<dyn Framing>) {
    (
        kind.build(Role::Client, rng(1)),
        kind.build(Role::Server, rng(2)),
    )
}

const KINDS: [FramingKind; 4] = [
    FramingKind::Abridged,
    FramingKind::Intermediate,
    FramingKind::PaddedIntermediate,
    FramingKind::Full,
];

fn payload(len: usize) -> Vec<u8> {
    (0..len).map(|i| (i * 7 + 3) as u8).collect()
}

fn packet(frame: Frame) -> (Vec<u8>, bool) {
    match frame {
        Frame::Packet {
            payload,
            quick_ack_requested,
        } => (payload, quick_ack_requested),
        other => panic!("expected a packet, got {other:?}"),
    }
}

/// An unencrypted MTProto message with a `body`-byte body: what padded
/// intermediate carries (it finds a message's end from its header).
fn message(body: usize) -> Vec<u8> {
    let mut m = vec![0u8; 8];
    m.extend_from_slice(&[0x5a; 8]);
    m.extend_from_slice(&(body as u32).to_le_bytes());
    m.extend(payload(body));
    m
}

/// A payload `kind` can carry, about `len` bytes long.
fn sample(kind: FramingKind, len: usize) -> Vec<u8> {
    if kind == FramingKind::PaddedIntermediate {
        message(len)
    } else {
        payload(len)
    }
}

/// Every codec hands back exactly what was sent (padding is stripped).
fn assert_payload(kind: FramingKind, got: &[u8], sent: &[u8]) {
    assert_eq!(got, sent, "{kind:?}");
}

#[test]
fn round_trips_both_directions() {
    for kind in KINDS {
        let (mut client, mut server) = pair(kind);
        for len in [0usize, 4, 24, 504, 508, 512, 4096] {
            let sent = sample(kind, len);
            // client -> server
            let mut wire = Vec::new();
            client.pack(&sent, &mut wire).unwrap();
            let (frame, used) = server.unpack(&wire).unwrap().unwrap();
            assert_eq!(used, wire.len(), "{kind:?} {len}");
            let (got, ack) = packet(frame);
            assert!(!ack);
            assert_payload(kind, &got, &sent);
            // server -> client
            let mut wire = Vec::new();
            server.pack(&sent, &mut wire).unwrap();
            let (frame, used) = client.unpack(&wire).unwrap().unwrap();
            assert_eq!(used, wire.len());
            assert_payload(kind, &packet(frame).0, &sent);
        }
    }
}

#[test]
fn abridged_uses_short_and_long_length_forms() {
    let mut codec = Abridged::new(Role::Client);
    let mut out = Vec::new();
    codec.pack(&payload(126 * 4), &mut out).unwrap();
    assert_eq!(out[0], 126);
    assert_eq!(out.len(), 1 + 126 * 4);
    out.clear();
    codec.pack(&payload(127 * 4), &mut out).unwrap();
    assert_eq!(&out[..4], &[0x7f, 127, 0, 0]);
    out.clear();
    codec.pack(&payload(0x1234 * 4), &mut out).unwrap();
    assert_eq!(&out[..4], &[0x7f, 0x34, 0x12, 0]);
    out.clear();
    codec.pack_with(&payload(8), true, &mut out).unwrap();
    assert_eq!(out[0], 0x82);
    out.clear();
    codec.pack_with(&payload(200 * 4), true, &mut out).unwrap();
    assert_eq!(&out[..4], &[0xff, 200, 0, 0]);
}

#[test]
fn quick_ack_request_reaches_the_server() {
    for kind in [
        FramingKind::Abridged,
        FramingKind::Intermediate,
        FramingKind::PaddedIntermediate,
    ] {
        let (mut client, mut server) = pair(kind);
        for len in [8usize, 1000] {
            let mut wire = Vec::new();
            client
                .pack_with(&sample(kind, len), true, &mut wire)
                .unwrap();
            let (frame, _) = server.unpack(&wire).unwrap().unwrap();
            let (got, ack) = packet(frame);
            assert!(ack, "{kind:?}");
            assert_payload(kind, &got, &sample(kind, len));
        }
    }
}

#[test]
fn quick_ack_tokens_reach_the_client() {
    for kind in [
        FramingKind::Abridged,
        FramingKind::Intermediate,
        FramingKind::PaddedIntermediate,
    ] {
        let (mut client, mut server) = pair(kind);
        let mut wire = Vec::new();
        server.pack_quick_ack(0x8123_4567, &mut wire).unwrap();
        server.pack(&sample(kind, 32), &mut wire).unwrap();
        let (frame, used) = client.unpack(&wire).unwrap().unwrap();
        assert_eq!(frame, Frame::QuickAck(0x8123_4567), "{kind:?}");
        assert_eq!(used, 4);
        let (frame, _) = client.unpack(&wire[used..]).unwrap().unwrap();
        assert_payload(kind, &packet(frame).0, &sample(kind, 32));
    }
    let mut out = Vec::new();
    let mut abridged = Abridged::new(Role::Server);
    abridged.pack_quick_ack(0x8000_0001, &mut out).unwrap();
    assert_eq!(out, [0x80, 0, 0, 1], "abridged tokens are byte-swapped");
}

#[test]
fn role_misuse_is_rejected() {
    let mut out = Vec::new();
    assert_eq!(
        Abridged::new(Role::Client).pack_quick_ack(1, &mut out),
        Err(TransportError::WrongRole("server"))
    );
    assert_eq!(
        Intermediate::new(Role::Server).pack_with(&[0; 4], true, &mut out),
        Err(TransportError::WrongRole("client"))
    );
    assert_eq!(
        Full::new(Role::Server).pack_quick_ack(1, &mut out),
        Err(TransportError::QuickAckUnsupported)
    );
    assert!(out.is_empty());
}

#[test]
fn partial_input_needs_more_at_every_cut() {
    for kind in KINDS {
        let (mut client, mut server) = pair(kind);
        let mut wire = Vec::new();
        client.pack(&payload(127 * 4), &mut wire).unwrap();
        for cut in 0..wire.len() {
            assert_eq!(server.unpack(&wire[..cut]).unwrap(), None, "{kind:?} {cut}");
        }
        assert!(server.unpack(&wire).unwrap().is_some());
    }
}

#[test]
fn several_frames_in_one_buffer() {
    for kind in KINDS {
        let (mut client, mut server) = pair(kind);
        let mut wire = Vec::new();
        for len in [4usize, 8, 12] {
            client.pack(&sample(kind, len), &mut wire).unwrap();
        }
        let mut at = 0;
        for len in [4usize, 8, 12] {
            let (frame, used) = server.unpack(&wire[at..]).unwrap().unwrap();
            assert_payload(kind, &packet(frame).0, &sample(kind, len));
            at += used;
        }
        assert_eq!(at, wire.len());
        assert_eq!(server.unpack(&wire[at..]).unwrap(), None);
    }
}

#[test]
fn oversize_frames_are_refused_both_ways() {
    let mut out = Vec::new();
    let mut abridged = Abridged::new(Role::Server).with_max_frame(64);
    assert_eq!(
        abridged.pack(&payload(68), &mut out),
        Err(TransportError::FrameTooLarge { len: 68, max: 64 })
    );
    // A header announcing 0x7f_ffff words is refused before any payload arrives.
    assert_eq!(
        abridged.unpack(&[0x7f, 0xff, 0xff, 0x7f]),
        Err(TransportError::FrameTooLarge {
            len: 0x7f_ffff * 4,
            max: 64
        })
    );
    let mut inter = Intermediate::new(Role::Server).with_max_frame(64);
    assert!(matches!(
        inter.unpack(&1000u32.to_le_bytes()),
        Err(TransportError::FrameTooLarge { len: 1000, .. })
    ));
    let mut padded = PaddedIntermediate::new(Role::Client, rng(3)).with_max_frame(64);
    assert!(matches!(
        padded.unpack(&65u32.to_le_bytes()),
        Err(TransportError::FrameTooLarge { len: 65, .. })
    ));
    let mut full = Full::new(Role::Server).with_max_frame(64);
    assert!(matches!(
        full.unpack(&[200, 0, 0, 0, 0, 0, 0, 0]),
        Err(TransportError::FrameTooLarge { len: 188, .. })
    ));
    assert!(matches!(
        full.pack(&payload(100), &mut out),
        Err(TransportError::FrameTooLarge { len: 100, .. })
    ));
    assert!(out.is_empty());
}

#[test]
fn unaligned_payloads_are_refused() {
    let mut out = Vec::new();
    assert_eq!(
        Abridged::new(Role::Client).pack(&[1, 2, 3], &mut out),
        Err(TransportError::Unaligned(3))
    );
    assert_eq!(
        Intermediate::new(Role::Client).pack(&[1, 2, 3, 4, 5], &mut out),
        Err(TransportError::Unaligned(5))
    );
}

#[test]
fn full_transport_layout_and_seqno() {
    let mut client = Full::new(Role::Client);
    let mut wire = Vec::new();
    client.pack(&[1, 2, 3, 4], &mut wire).unwrap();
    client.pack(&[5, 6, 7, 8], &mut wire).unwrap();
    assert_eq!(&wire[..8], &[16, 0, 0, 0, 0, 0, 0, 0]);
    assert_eq!(&wire[16..24], &[16, 0, 0, 0, 1, 0, 0, 0]);
    let crc = crc32fast::hash(&wire[..12]);
    assert_eq!(&wire[12..16], &crc.to_le_bytes());

    let mut server = Full::new(Role::Server);
    // Skipping the first frame is a seqno error.
    assert_eq!(
        server.unpack(&wire[16..]),
        Err(TransportError::BadSeqno {
            expected: 0,
            actual: 1
        })
    );
    let (_, used) = server.unpack(&wire).unwrap().unwrap();
    let (frame, _) = server.unpack(&wire[used..]).unwrap().unwrap();
    assert_eq!(packet(frame).0, [5, 6, 7, 8]);
    // Replaying the first frame is a seqno error too.
    assert_eq!(
        server.unpack(&wire[..16]),
        Err(TransportError::BadSeqno {
            expected: 2,
            actual: 0
        })
    );
}

#[test]
fn full_transport_detects_corruption() {
    let mut client = Full::new(Role::Client);
    let mut wire = Vec::new();
    client.pack(&payload(40), &mut wire).unwrap();
    for at in 4..wire.len() {
        let mut bad = wire.clone();
        bad[at] ^= 0x10;
        let mut server = Full::new(Role::Server);
        assert!(
            matches!(server.unpack(&bad), Err(TransportError::BadCrc { .. })),
            "byte {at}"
        );
    }
    let mut server = Full::new(Role::Server);
    assert_eq!(
        server.unpack(&[8, 0, 0, 0, 0, 0, 0, 0]),
        Err(TransportError::FrameTooShort { len: 8, min: 12 })
    );
}

#[test]
fn transport_error_codes_map_to_typed_errors() {
    let cases = [
        (-404, TransportErrorCode::AuthKeyNotFound),
        (-429, TransportErrorCode::TransportFlood),
        (-444, TransportErrorCode::InvalidDc),
        (-500, TransportErrorCode::Other(-500)),
    ];
    for kind in KINDS {
        for (code, expected) in cases {
            let (mut client, mut server) = pair(kind);
            let mut wire = Vec::new();
            server
                .pack_error(TransportErrorCode::from_code(code), &mut wire)
                .unwrap();
            assert_eq!(
                client.unpack(&wire),
                Err(TransportError::Server(expected)),
                "{kind:?} {code}"
            );
            assert_eq!(expected.code(), code);
        }
    }
}

#[test]
fn transport_error_messages_say_what_to_do() {
    let text = TransportError::Server(TransportErrorCode::AuthKeyNotFound).to_string();
    assert!(text.contains("-404") && text.contains("create a new auth key"));
    let text = TransportError::Server(TransportErrorCode::TransportFlood).to_string();
    assert!(text.contains("-429") && text.contains("wait"));
    let text = TransportError::Server(TransportErrorCode::InvalidDc).to_string();
    assert!(text.contains("-444") && text.contains("DC id"));
    let text = TransportError::Server(TransportErrorCode::Other(-1)).to_string();
    assert!(text.contains("-1"));
}

#[test]
fn short_positive_or_long_frames_are_not_errors() {
    let code = (-404i32).to_le_bytes();
    assert_eq!(
        TransportErrorCode::from_frame(&404i32.to_le_bytes(), false),
        None
    );
    assert_eq!(
        TransportErrorCode::from_frame(&code, false),
        Some(TransportErrorCode::AuthKeyNotFound)
    );
    let mut long = code.to_vec();
    long.resize(8, 0);
    assert_eq!(TransportErrorCode::from_frame(&long, false), None);
    assert_eq!(
        TransportErrorCode::from_frame(&long, true),
        Some(TransportErrorCode::AuthKeyNotFound)
    );
    long.resize(20, 0);
    assert_eq!(TransportErrorCode::from_frame(&long, true), None);
    // The server side never interprets client payloads as error codes.
    let mut server = Intermediate::new(Role::Server);
    let mut wire = 4u32.to_le_bytes().to_vec();
    wire.extend_from_slice(&(-404i32).to_le_bytes());
    let (frame, _) = server.unpack(&wire).unwrap().unwrap();
    assert_eq!(packet(frame).0, (-404i32).to_le_bytes());
}

#[test]
fn padding_is_random_and_bounded() {
    let mut codec = PaddedIntermediate::new(Role::Client, rng(9));
    let mut lengths = std::collections::BTreeSet::new();
    for _ in 0..400 {
        let mut out = Vec::new();
        codec.pack(&payload(40), &mut out).unwrap();
        let len = u32::from_le_bytes([out[0], out[1], out[2], out[3]]) as usize;
        assert_eq!(len + 4, out.len());
        lengths.insert(len - 40);
    }
    assert_eq!(
        lengths.into_iter().collect::<Vec<_>>(),
        (0..16).collect::<Vec<_>>()
    );
}

#[test]
fn trims_padding_using_the_mtproto_header() {
    // Unencrypted: auth_key_id 0, msg_id, body length 8.
    let mut plain = vec![0u8; 8];
    plain.extend_from_slice(&[1; 8]);
    plain.extend_from_slice(&8u32.to_le_bytes());
    plain.extend_from_slice(&[2; 8]);
    let mut padded = plain.clone();
    padded.extend_from_slice(&[9; 11]);
    assert_eq!(trim_mtproto_padding(&padded), Some(&plain[..]));
    // Encrypted: 24-byte header plus two AES blocks.
    let mut enc = vec![7u8; 24 + 32];
    let unpadded = enc.clone();
    enc.extend_from_slice(&[3; 15]);
    assert_eq!(trim_mtproto_padding(&enc), Some(&unpadded[..]));
    assert_eq!(trim_mtproto_padding(&[0; 10]), None);
    let mut lying = plain.clone();
    lying[16..20].copy_from_slice(&u32::MAX.to_le_bytes());
    assert_eq!(trim_mtproto_padding(&lying), None);
}

#[test]
fn padded_codec_strips_padding_and_rejects_short_frames() {
    let (mut client, mut server) = pair(FramingKind::PaddedIntermediate);
    // Encrypted-looking message: 24-byte header plus one AES block.
    let encrypted: Vec<u8> = (1..=40).collect();
    for sent in [message(0), message(12), encrypted] {
        for _ in 0..20 {
            let mut wire = Vec::new();
            server.pack(&sent, &mut wire).unwrap();
            let (frame, used) = client.unpack(&wire).unwrap().unwrap();
            assert_eq!(used, wire.len());
            assert_eq!(packet(frame).0, sent);
        }
    }
    // A frame announcing a longer body than it holds is corrupt.
    let mut lying = message(8);
    lying[16..20].copy_from_slice(&64u32.to_le_bytes());
    let mut wire = (lying.len() as u32).to_le_bytes().to_vec();
    wire.extend_from_slice(&lying);
    assert_eq!(
        server.unpack(&wire),
        Err(TransportError::PaddedFrameTooShort { len: lying.len() })
    );
    // Too short for any header (and not an error code: positive first word).
    let mut wire = 8u32.to_le_bytes().to_vec();
    wire.extend_from_slice(&[1; 8]);
    assert_eq!(
        client.unpack(&wire),
        Err(TransportError::PaddedFrameTooShort { len: 8 })
    );
}

#[test]
fn padding_never_overflows_the_limit() {
    let mut codec = PaddedIntermediate::new(Role::Client, rng(4)).with_max_frame(64);
    for _ in 0..100 {
        let mut out = Vec::new();
        codec.pack(&payload(60), &mut out).unwrap();
        assert!(out.len() - 4 <= 64);
    }
    assert!(matches!(
        codec.pack(&payload(65), &mut Vec::new()),
        Err(TransportError::FrameTooLarge { len: 65, .. })
    ));
}
