//! Property tests: every codec round-trips arbitrary payloads however the
//! byte stream is chopped up on the way.

use hearth_transport::framing::{Frame, Framing, FramingKind, Role};
use hearth_transport::{
    connect, AcceptConfig, Acceptor, ClientMode, DcId, MtProxySecret, ProtocolTag,
};
use proptest::prelude::*;
use rand::rngs::StdRng;
use rand::SeedableRng;

const KINDS: [FramingKind; 4] = [
    FramingKind::Abridged,
    FramingKind::Intermediate,
    FramingKind::PaddedIntermediate,
    FramingKind::Full,
];

fn codec(kind: FramingKind, role: Role, seed: u64) -> Box<dyn Framing> {
    kind.build(role, Box::new(StdRng::seed_from_u64(seed)))
}

/// Payloads every codec accepts: 4-byte aligned unencrypted MTProto
/// messages (padded intermediate finds a message's end from its header, and
/// shorter payloads may look like transport error codes), random otherwise.
fn payloads() -> impl Strategy<Value = Vec<Vec<u8>>> {
    let message = (5usize..700).prop_flat_map(|words| {
        prop::collection::vec(any::<u8>(), words * 4).prop_map(|mut m| {
            m[..8].fill(0);
            let body = (m.len() - 20) as u32;
            m[16..20].copy_from_slice(&body.to_le_bytes());
            m
        })
    });
    prop::collection::vec(message, 1..8)
}

/// Splits `stream` at the given cut points and feeds it piecewise,
/// unpacking everything that becomes complete.
fn feed_chunked(codec: &mut dyn Framing, stream: &[u8], cuts: &[usize]) -> Vec<Frame> {
    let mut points: Vec<usize> = cuts.iter().map(|c| c % (stream.len() + 1)).collect();
    points.push(stream.len());
    points.sort_unstable();
    let (mut buffer, mut frames, mut last) = (Vec::new(), Vec::new(), 0);
    for point in points {
        buffer.extend_from_slice(&stream[last..point]);
        last = point;
        while let Some((frame, used)) = codec.unpack(&buffer).unwrap() {
            buffer.drain(..used);
            frames.push(frame);
        }
    }
    assert!(buffer.is_empty());
    frames
}

fn check(sent: &[Vec<u8>], frames: Vec<Frame>, quick_ack: bool) {
    assert_eq!(frames.len(), sent.len());
    for (frame, sent) in frames.into_iter().zip(sent) {
        let Frame::Packet {
            payload,
            quick_ack_requested,
        } = frame
        else {
            panic!("unexpected {frame:?}");
        };
        assert_eq!(quick_ack_requested, quick_ack);
        // Every codec, padded intermediate included, returns exactly what
        // was sent.
        assert_eq!(&payload, sent);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn client_to_server(kind in 0usize..4, sent in payloads(), cuts in prop::collection::vec(any::<usize>(), 0..20), ack in any::<bool>(), seed in any::<u64>()) {
        let kind = KINDS[kind];
        let ack = ack && kind != FramingKind::Full;
        let mut client = codec(kind, Role::Client, seed);
        let mut stream = Vec::new();
        for p in &sent {
            client.pack_with(p, ack, &mut stream).unwrap();
        }
        let mut server = codec(kind, Role::Server, seed ^ 1);
        check(&sent, feed_chunked(server.as_mut(), &stream, &cuts), ack);
    }

    #[test]
    fn server_to_client(kind in 0usize..4, sent in payloads(), cuts in prop::collection::vec(any::<usize>(), 0..20), seed in any::<u64>()) {
        let kind = KINDS[kind];
        let mut server = codec(kind, Role::Server, seed);
        let mut stream = Vec::new();
        for p in &sent {
            server.pack(p, &mut stream).unwrap();
        }
        let mut client = codec(kind, Role::Client, seed ^ 1);
        check(&sent, feed_chunked(client.as_mut(), &stream, &cuts), false);
    }

    #[test]
    fn unpack_never_panics(kind in 0usize..4, role in any::<bool>(), junk in prop::collection::vec(any::<u8>(), 0..300)) {
        let role = if role { Role::Client } else { Role::Server };
        let mut codec = codec(KINDS[kind], role, 0);
        if let Ok(Some((_, used))) = codec.unpack(&junk) {
            prop_assert!(used > 0 && used <= junk.len());
        }
    }

    #[test]
    fn whole_stack_survives_any_chunking(mode in 0usize..4, sent in payloads(), chunk in 1usize..300, seed in any::<u64>()) {
        let key = *b"0123456789abcdef";
        let (mode, config) = match mode {
            0 => (ClientMode::Plain(FramingKind::Intermediate), AcceptConfig::dc()),
            1 => (ClientMode::Obfuscated { tag: ProtocolTag::Abridged, dc: DcId::new(2) }, AcceptConfig::dc()),
            2 => {
                let secret = MtProxySecret::Padded(key);
                (ClientMode::MtProxy { secret: secret.clone(), tag: ProtocolTag::Abridged, dc: DcId::new(2) }, AcceptConfig::proxy(secret))
            }
            _ => {
                let secret = MtProxySecret::FakeTls { key, domain: "example.com".into() };
                (ClientMode::MtProxy { secret: secret.clone(), tag: ProtocolTag::Abridged, dc: DcId::new(2) }, AcceptConfig::proxy(secret))
            }
        };
        let now = 1_700_000_000;
        let mut rng = StdRng::seed_from_u64(seed);
        let (mut stream, connecting) = connect(&mut rng, mode, now, Box::new(StdRng::seed_from_u64(seed ^ 2))).unwrap();
        let mut acceptor = Acceptor::new(config, Box::new(StdRng::seed_from_u64(seed ^ 3)));
        let mut reply = Vec::new();
        let mut client = match connecting {
            hearth_transport::Connecting::Ready(p) => p,
            hearth_transport::Connecting::AwaitingServerHello(mut pending) => {
                prop_assert!(acceptor.feed(&mut rng, &stream, now, &mut reply).unwrap().is_none());
                let (second, pipeline) = pending.feed(&reply).unwrap().unwrap();
                stream = second;
                pipeline
            }
        };
        for p in &sent {
            client.send(p, &mut stream).unwrap();
        }
        let mut server: Option<hearth_transport::Pipeline> = None;
        let mut frames = Vec::new();
        for piece in stream.chunks(chunk) {
            match &mut server {
                Some(s) => s.feed(piece).unwrap(),
                None => server = acceptor.feed(&mut rng, piece, now, &mut Vec::new()).unwrap().map(|a| a.pipeline),
            }
            if let Some(s) = &mut server {
                while let Some(frame) = s.next_frame().unwrap() {
                    frames.push(frame);
                }
            }
        }
        check(&sent, frames, false);
    }
}
