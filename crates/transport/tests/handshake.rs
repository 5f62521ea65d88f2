//! End-to-end client ↔ server setups over every transport mode, fed in
//! small chunks as a socket would deliver them.

use hearth_transport::fake_tls::TimeWindow;
use hearth_transport::{
    connect, AcceptConfig, Accepted, Acceptor, ClientMode, Connecting, DcId, Frame, FramingKind,
    MtProxySecret, Pipeline, ProtocolTag, TransportError, TransportErrorCode,
};
use rand::rngs::StdRng;
use rand::SeedableRng;

const NOW: u32 = 1_764_000_000;

fn rng(seed: u64) -> StdRng {
    StdRng::seed_from_u64(seed)
}

/// An unencrypted MTProto-shaped message so padding can be trimmed.
fn message(body_len: usize, fill: u8) -> Vec<u8> {
    let mut m = vec![0u8; 8];
    m.extend_from_slice(&[fill; 8]);
    m.extend_from_slice(&(body_len as u32).to_le_bytes());
    m.extend(std::iter::repeat_n(fill, body_len));
    m
}

fn payload_of(frame: Frame) -> Vec<u8> {
    match frame {
        // Padded intermediate strips its own padding.
        Frame::Packet { payload, .. } => payload,
        other => panic!("expected a packet, got {other:?}"),
    }
}

/// Runs a handshake; returns (client, server, DC seen by the server).
fn establish(mode: ClientMode, config: AcceptConfig, seed: u64) -> (Pipeline, Accepted) {
    let mut crng = rng(seed);
    let (first, connecting) = connect(&mut crng, mode, NOW, Box::new(rng(seed + 1))).unwrap();
    let mut acceptor = Acceptor::new(config, Box::new(rng(seed + 2)));
    let mut srng = rng(seed + 3);
    let mut to_client = Vec::new();
    let mut accepted: Option<Accepted> = None;
    for chunk in first.chunks(7) {
        assert!(accepted.is_none(), "accepted before the whole first flight");
        accepted = acceptor
            .feed(&mut srng, chunk, NOW, &mut to_client)
            .unwrap();
    }
    let mut client = match connecting {
        Connecting::Ready(pipeline) => {
            assert!(to_client.is_empty());
            pipeline
        }
        Connecting::AwaitingServerHello(mut pending) => {
            assert!(accepted.is_none());
            let mut done = None;
            for chunk in to_client.chunks(11) {
                assert!(done.is_none());
                done = pending.feed(chunk).unwrap();
            }
            let (second, pipeline) = done.expect("server hello verified");
            let mut ignored = Vec::new();
            for chunk in second.chunks(5) {
                assert!(accepted.is_none());
                accepted = acceptor.feed(&mut srng, chunk, NOW, &mut ignored).unwrap();
            }
            assert!(ignored.is_empty());
            pipeline
        }
    };
    // The first packet may complete the handshake (the full transport has
    // no preamble) or go straight to the established pipeline.
    let mut wire = Vec::new();
    client.send(&message(40, 1), &mut wire).unwrap();
    for chunk in wire.chunks(3) {
        match &mut accepted {
            Some(server) => server.pipeline.feed(chunk).unwrap(),
            None => {
                accepted = acceptor
                    .feed(&mut srng, chunk, NOW, &mut to_client)
                    .unwrap();
            }
        }
    }
    let mut server = accepted.expect("server accepted");
    assert!(acceptor
        .feed(&mut srng, &[0; 8], NOW, &mut to_client)
        .is_err());
    assert_eq!(
        payload_of(server.pipeline.next_frame().unwrap().unwrap()),
        message(40, 1)
    );
    (client, server)
}

/// Hands `wire` to `client` in `size`-byte chunks as a socket would:
/// mostly written straight into the pipeline's buffer (`read_buf`, then
/// `commit_read`, or the commit left to the next `feed` or `next_frame`),
/// every third chunk copied in by `feed`. Only fake-TLS refuses `read_buf`.
fn deliver(client: &mut Pipeline, wire: &[u8], size: usize) {
    let tls = client.layers().1;
    for (i, chunk) in wire.chunks(size).enumerate() {
        let buf = client.read_buf(chunk.len());
        assert_eq!(
            buf.is_some(),
            !tls,
            "read_buf is refused under fake-TLS only"
        );
        match buf {
            Some(buf) if i % 3 != 2 => {
                buf.extend_from_slice(chunk);
                if i % 3 == 0 {
                    client.commit_read();
                }
            }
            _ => client.feed(chunk).unwrap(),
        }
    }
}

fn exchange(client: &mut Pipeline, server: &mut Pipeline) {
    for (i, len) in [0usize, 12, 1000, 40_000].into_iter().enumerate() {
        let mut wire = Vec::new();
        server.send(&message(len, i as u8), &mut wire).unwrap();
        server
            .send(&message(len + 4, i as u8 + 1), &mut wire)
            .unwrap();
        deliver(client, &wire, 997);
        assert_eq!(
            payload_of(client.next_frame().unwrap().unwrap()),
            message(len, i as u8)
        );
        assert_eq!(
            payload_of(client.next_frame().unwrap().unwrap()),
            message(len + 4, i as u8 + 1)
        );
        assert_eq!(client.next_frame().unwrap(), None);

        // The same through `send_around` (head, the payload encrypted where
        // it is, tail: one vectored write), except under fake-TLS.
        let mut packet = message(len + 8, 7);
        let mut wire = Vec::new();
        match server.send_around(&mut packet).unwrap() {
            Some((head, tail)) => {
                wire.extend_from_slice(&head);
                wire.extend_from_slice(&packet);
                wire.extend_from_slice(&tail);
            }
            None => {
                assert!(server.layers().1, "only fake-TLS needs the copy");
                server.send(&message(len + 8, 7), &mut wire).unwrap();
            }
        }
        deliver(client, &wire, 1013);
        assert_eq!(
            payload_of(client.next_frame().unwrap().unwrap()),
            message(len + 8, 7)
        );
        assert_eq!(client.next_frame().unwrap(), None);

        let mut wire = Vec::new();
        client.send(&message(len, 9), &mut wire).unwrap();
        server.feed(&wire).unwrap();
        assert_eq!(
            payload_of(server.next_frame().unwrap().unwrap()),
            message(len, 9)
        );
    }
}

#[test]
fn plain_transports() {
    for (i, kind) in [
        FramingKind::Abridged,
        FramingKind::Intermediate,
        FramingKind::PaddedIntermediate,
        FramingKind::Full,
    ]
    .into_iter()
    .enumerate()
    {
        let (mut client, mut server) =
            establish(ClientMode::Plain(kind), AcceptConfig::dc(), i as u64 * 10);
        assert_eq!(server.kind, kind);
        assert_eq!(server.dc, None);
        exchange(&mut client, &mut server.pipeline);
    }
}

#[test]
fn obfuscated_transports() {
    for (i, tag) in [
        ProtocolTag::Abridged,
        ProtocolTag::Intermediate,
        ProtocolTag::PaddedIntermediate,
    ]
    .into_iter()
    .enumerate()
    {
        let dc = DcId {
            id: 2 + i as u16,
            media: i == 1,
            test: i == 2,
        };
        let mode = ClientMode::Obfuscated { tag, dc };
        let (mut client, mut server) = establish(mode, AcceptConfig::dc(), 100 + i as u64 * 10);
        assert_eq!(server.dc, Some(dc));
        assert_eq!(server.kind, FramingKind::from(tag));
        assert_eq!(client.layers(), (true, false));
        exchange(&mut client, &mut server.pipeline);
    }
}

fn key() -> [u8; 16] {
    *b"sixteen byte key"
}

#[test]
fn mtproxy_every_secret_kind() {
    let secrets = [
        (
            MtProxySecret::Simple(key()),
            FramingKind::Intermediate,
            false,
        ),
        (
            MtProxySecret::Padded(key()),
            FramingKind::PaddedIntermediate,
            false,
        ),
        (
            MtProxySecret::FakeTls {
                key: key(),
                domain: "www.example.com".into(),
            },
            FramingKind::PaddedIntermediate,
            true,
        ),
    ];
    for (i, (secret, kind, tls)) in secrets.into_iter().enumerate() {
        let mode = ClientMode::MtProxy {
            secret: secret.clone(),
            tag: ProtocolTag::Intermediate,
            dc: DcId::new(4),
        };
        let (mut client, mut server) =
            establish(mode, AcceptConfig::proxy(secret), 200 + i as u64 * 10);
        assert_eq!(server.kind, kind);
        assert_eq!(server.dc, Some(DcId::new(4)));
        assert_eq!(client.layers(), (true, tls));
        exchange(&mut client, &mut server.pipeline);
    }
}

#[test]
fn server_errors_and_quick_acks_cross_the_stack() {
    let secret = MtProxySecret::FakeTls {
        key: key(),
        domain: "example.org".into(),
    };
    let mode = ClientMode::MtProxy {
        secret: secret.clone(),
        tag: ProtocolTag::Abridged,
        dc: DcId::new(1),
    };
    let (mut client, mut server) = establish(mode, AcceptConfig::proxy(secret), 300);
    let mut wire = Vec::new();
    server
        .pipeline
        .send_quick_ack(0x8000_00aa, &mut wire)
        .unwrap();
    server
        .pipeline
        .send_error(TransportErrorCode::TransportFlood, &mut wire)
        .unwrap();
    client.feed(&wire).unwrap();
    assert_eq!(
        client.next_frame().unwrap(),
        Some(Frame::QuickAck(0x8000_00aa))
    );
    let error = Err(TransportError::Server(TransportErrorCode::TransportFlood));
    assert_eq!(client.next_frame(), error);
    assert_eq!(client.next_frame(), error, "the pipeline stays failed");
}

#[test]
fn proxies_refuse_mismatched_clients() {
    let mut out = Vec::new();
    let mut refused = Acceptor::new(AcceptConfig::dc(), Box::new(rng(5)));
    assert!(refused
        .feed(&mut rng(6), b"POST / HTTP/1.1", NOW, &mut out)
        .is_err());
    assert!(
        refused
            .feed(&mut rng(6), &[0xef, 1, 0, 0, 0, 0], NOW, &mut out)
            .is_err(),
        "a failed handshake stays failed"
    );
    let feed_all = |mode: ClientMode, config: AcceptConfig| {
        let (first, _) = connect(&mut rng(1), mode, NOW, Box::new(rng(2))).unwrap();
        Acceptor::new(config, Box::new(rng(3))).feed(&mut rng(4), &first, NOW, &mut Vec::new())
    };
    let tls = MtProxySecret::FakeTls {
        key: key(),
        domain: "example.org".into(),
    };
    // Plain client to a proxy; obfuscated client to a fake-TLS-only proxy.
    assert!(feed_all(
        ClientMode::Plain(FramingKind::Abridged),
        AcceptConfig::proxy(tls.clone())
    )
    .is_err());
    let obf = ClientMode::Obfuscated {
        tag: ProtocolTag::PaddedIntermediate,
        dc: DcId::new(2),
    };
    assert!(feed_all(obf, AcceptConfig::proxy(tls.clone())).is_err());
    // Wrong key; abridged through a dd proxy.
    let wrong = ClientMode::MtProxy {
        secret: MtProxySecret::Simple([9; 16]),
        tag: ProtocolTag::Abridged,
        dc: DcId::new(2),
    };
    assert!(matches!(
        feed_all(wrong, AcceptConfig::proxy(MtProxySecret::Simple(key()))),
        Err(TransportError::BadProtocolTag(_))
    ));
    let classic = ClientMode::MtProxy {
        secret: MtProxySecret::Simple(key()),
        tag: ProtocolTag::Abridged,
        dc: DcId::new(2),
    };
    assert!(feed_all(classic, AcceptConfig::proxy(MtProxySecret::Padded(key()))).is_err());
    // Fake-TLS client with a stale clock.
    let mode = ClientMode::MtProxy {
        secret: tls.clone(),
        tag: ProtocolTag::Abridged,
        dc: DcId::new(2),
    };
    let (first, _) = connect(&mut rng(1), mode, NOW - 3600, Box::new(rng(2))).unwrap();
    let mut config = AcceptConfig::proxy(tls);
    config.window = TimeWindow {
        past: 60,
        future: 60,
    };
    assert!(matches!(
        Acceptor::new(config, Box::new(rng(3))).feed(&mut rng(4), &first, NOW, &mut out),
        Err(TransportError::ClockSkew { seconds: 3600 })
    ));
    assert!(out.is_empty());
}
