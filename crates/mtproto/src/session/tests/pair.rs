//! Two payloads decrypted together (`open_pair`) and then applied in turn
//! (`absorb`) give exactly what two `handle_incoming_owned` calls give: the
//! same events or errors, in order, and the same session state after.

use super::*;

/// Payloads for a session with six requests in flight: answers large and
/// small, a duplicate, a tampered one, a foreign session's, a transport
/// code, a container, an answer to an unknown request.
fn traffic(s: &mut Session, srv: &mut Server) -> Vec<Vec<u8>> {
    let mut sent = Vec::new();
    for tag in 1..=6 {
        s.enqueue(req(tag));
        sent.push(srv.recv(&s.poll_outgoing(t(0)).unwrap()).outer_id);
    }
    let sid = s.session_id();
    let big = vec![0x5a; (1 << 20) + 12];
    let mut out = Vec::new();
    out.push(srv.send(t(1), sid, &rpc_result(sent[0], &big), true).0);
    out.push(
        srv.send(t(1), sid, &rpc_result(sent[1], &big[..70_000]), true)
            .0,
    );
    let dup = srv
        .send(t(1), sid, &rpc_result(sent[2], b"answer__"), true)
        .0;
    out.push(dup.clone());
    out.push(dup);
    let mut tampered = srv.send(t(1), sid, &rpc_result(sent[3], &big), true).0;
    tampered[5000] ^= 4;
    out.push(tampered);
    out.push(
        srv.send(t(1), sid ^ 1, &rpc_result(sent[3], b"other___"), true)
            .0,
    );
    out.push((-404i32).to_le_bytes().to_vec());
    let (a, b) = (srv.msg_id(t(1)), srv.msg_id(t(1)));
    let inner_a = rpc_result(sent[3], &big[..100_000]);
    let inner_b = rpc_result(sent[4], b"fifth___");
    let body = container(&[(a, 1, &inner_a), (b, 1, &inner_b)]);
    let c = srv.msg_id(t(1));
    out.push(srv.send_as(sid, c, 2, &body));
    out.push(
        srv.send(t(1), sid, &rpc_result(sent[5], &big[..4096]), true)
            .0,
    );
    out.push(
        srv.send(t(1), sid, &rpc_result(12345 << 2, b"nobody__"), true)
            .0,
    );
    out
}

#[test]
fn a_pair_gives_what_two_calls_give_at_every_offset() {
    let mut srv = Server::new();
    let mut reference = session();
    let payloads = traffic(&mut reference, &mut srv);
    let mut expected = Vec::new();
    for p in &payloads {
        expected.push(format!(
            "{:?}",
            reference.handle_incoming_owned(t(1), p.clone())
        ));
    }
    // What the session sends next: the acks of what it accepted.
    let acks = |s: &mut Session| {
        let srv = Server::new();
        s.poll_outgoing(t(2)).map(|p| {
            srv.recv(&p)
                .msgs
                .into_iter()
                .map(|m| m.2)
                .collect::<Vec<_>>()
        })
    };
    let expected_acks = acks(&mut reference);
    assert!(expected_acks.is_some());
    // Every way of cutting the sequence into pairs and singles: pairs start
    // at even or at odd offsets.
    for skew in 0..2 {
        let mut s = session();
        let mut srv = Server::new();
        assert_eq!(
            traffic(&mut s, &mut srv),
            payloads,
            "same seeds, same traffic"
        );
        let mut got = Vec::new();
        let mut i = 0;
        if skew == 1 {
            got.push(format!(
                "{:?}",
                s.handle_incoming_owned(t(1), payloads[0].clone())
            ));
            i = 1;
        }
        while i + 1 < payloads.len() {
            let (a, b) = s.open_pair(payloads[i].clone(), payloads[i + 1].clone());
            got.push(format!("{:?}", s.absorb(t(1), a)));
            got.push(format!("{:?}", s.absorb(t(1), b)));
            i += 2;
        }
        if i < payloads.len() {
            got.push(format!(
                "{:?}",
                s.handle_incoming_owned(t(1), payloads[i].clone())
            ));
        }
        assert_eq!(got, expected, "pairs from offset {skew}");
        assert!(expected.iter().filter(|r| r.starts_with("Ok")).count() >= 5);
        assert!(expected.iter().filter(|r| r.starts_with("Err")).count() >= 4);
        assert_eq!(s.in_flight(), reference.in_flight());
        assert_eq!(acks(&mut s), expected_acks);
    }
}
