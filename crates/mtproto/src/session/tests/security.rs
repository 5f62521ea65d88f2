//! Inbound checks of core.telegram.org/mtproto/security_guidelines: each
//! hostile payload is dropped with a typed error and changes nothing.

use super::*;

#[test]
fn wrong_session_id_is_dropped() {
    let mut s = session();
    let mut srv = Server::new();
    let (p, _) = srv.send(t(0), s.session_id() ^ 1, &req(1), true);
    assert!(matches!(
        s.handle_incoming(t(0), &p),
        Err(InboundError::WrongSession { .. })
    ));
    assert!(!s.has_outgoing(t(100)), "nothing acked");
}

#[test]
fn even_server_msg_id_is_dropped() {
    let mut s = session();
    let mut srv = Server::new();
    for low in [0i64, 2] {
        let p = srv.send_as(s.session_id(), T0 << 32 | 0x100 | low, 1, &req(1));
        assert!(matches!(
            s.handle_incoming(t(0), &p),
            Err(InboundError::EvenServerMsgId(_))
        ));
    }
}

#[test]
fn messages_outside_the_time_window_are_dropped() {
    let mut s = session();
    let mut srv = Server::new();
    let old = (T0 - 301) << 32 | 1;
    let p = srv.send_as(s.session_id(), old, 1, &req(1));
    assert!(matches!(
        s.handle_incoming(t(0), &p),
        Err(InboundError::OutOfTimeWindow { .. })
    ));
    let future = (T0 + 31) << 32 | 1;
    let p = srv.send_as(s.session_id(), future, 1, &req(1));
    assert!(matches!(
        s.handle_incoming(t(0), &p),
        Err(InboundError::OutOfTimeWindow { .. })
    ));
    let edge = (T0 + 29) << 32 | 1;
    let p = srv.send_as(s.session_id(), edge, 1, &req(1));
    assert!(s.handle_incoming(t(0), &p).is_ok());
}

#[test]
fn duplicate_msg_ids_are_dropped_also_inside_containers() {
    let mut s = session();
    let mut srv = Server::new();
    let (p, id) = srv.send(t(0), s.session_id(), &req(1), true);
    s.handle_incoming(t(0), &p).unwrap();
    assert!(matches!(
        s.handle_incoming(t(0), &p),
        Err(InboundError::Duplicate(_))
    ));
    let c = srv.msg_id(t(0));
    let body = container(&[(id, 1, &req(2))]);
    let p = srv.send_as(s.session_id(), c, 2, &body);
    assert!(matches!(
        s.handle_incoming(t(0), &p),
        Err(InboundError::Duplicate(_))
    ));
    // a container whose inner id is even is dropped whole
    let c = srv.msg_id(t(0));
    let ok_id = srv.msg_id(t(0));
    let body = container(&[(ok_id, 1, &req(3)), ((T0 << 32) | 8, 1, &req(4))]);
    let p = srv.send_as(s.session_id(), c, 2, &body);
    assert!(matches!(
        s.handle_incoming(t(0), &p),
        Err(InboundError::EvenServerMsgId(_))
    ));
    let p2 = srv.send_as(s.session_id(), ok_id, 1, &req(3));
    assert!(
        s.handle_incoming(t(0), &p2).is_ok(),
        "nothing from the dropped container was remembered"
    );
}

#[test]
fn tampered_payload_and_foreign_key_are_dropped() {
    let mut s = session();
    let mut srv = Server::new();
    let (mut p, _) = srv.send(t(0), s.session_id(), &req(1), true);
    let last = p.len() - 1;
    p[last] ^= 1;
    assert!(matches!(
        s.handle_incoming(t(0), &p),
        Err(InboundError::Decrypt(_))
    ));
    let (mut p, _) = srv.send(t(0), s.session_id(), &req(1), true);
    p[10] ^= 1; // msg_key
    assert!(matches!(
        s.handle_incoming(t(0), &p),
        Err(InboundError::Decrypt(_))
    ));
    let other = AuthKey::from_bytes([9; 256]);
    let p = seal(
        &other,
        SALT,
        s.session_id(),
        srv.msg_id(t(0)),
        1,
        &req(1),
        &mut srv.rng,
    );
    assert!(matches!(
        s.handle_incoming(t(0), &p),
        Err(InboundError::AuthKeyMismatch(_))
    ));
    assert!(matches!(
        s.handle_incoming(t(0), &(-404i32).to_le_bytes()),
        Err(InboundError::TransportError(-404))
    ));
    assert!(matches!(
        s.handle_incoming(t(0), &[0u8; 30]),
        Err(InboundError::Length(_))
    ));
}

#[test]
fn bad_message_data_length_and_padding_are_dropped() {
    let mut s = session();
    let mut srv = Server::new();
    let sid = s.session_id();
    let mut rng = StdRng::seed_from_u64(1);
    let cases: [(&str, i32, Vec<u8>); 4] = [
        ("declared length beyond the data", 4000, req(1)),
        ("not a multiple of 4", 6, req(1)),
        ("padding over 1024 bytes", 8, vec![0u8; 1100]),
        ("negative length", -4, req(1)),
    ];
    for (case, declared_len, data) in cases {
        let plain = raw_plain(sid, srv.msg_id(t(0)), declared_len, &data);
        let p = encrypt(Side::Server, &key(), &plain, &mut rng);
        assert!(
            matches!(s.handle_incoming(t(0), &p), Err(InboundError::Length(_))),
            "{case}"
        );
    }
}

#[test]
fn malformed_service_message_is_skipped_but_acked() {
    let mut s = session();
    let mut srv = Server::new();
    let mut b = Vec::new();
    b.put_u32(BAD_SERVER_SALT);
    b.put_i32(1);
    let (p, id) = srv.send(t(0), s.session_id(), &b, true);
    assert!(s.handle_incoming(t(0), &p).unwrap().is_empty());
    assert_eq!(s.salt(), SALT);
    let got = srv.recv(&s.poll_outgoing(t(10)).unwrap());
    let mut r = Reader::new(&got.msgs[0].2);
    r.u32().unwrap();
    assert_eq!(r.vec_i64().unwrap(), vec![id]);
}

#[test]
fn truncated_and_random_service_messages_never_panic() {
    use rand::RngExt;
    let ids = [
        RPC_RESULT,
        RPC_ERROR,
        MSG_CONTAINER,
        GZIP_PACKED,
        MSGS_ACK,
        BAD_MSG_NOTIFICATION,
        BAD_SERVER_SALT,
        MSGS_STATE_REQ,
        MSGS_STATE_INFO,
        MSGS_ALL_INFO,
        MSG_DETAILED_INFO,
        MSG_NEW_DETAILED_INFO,
        MSG_RESEND_REQ,
        MSG_RESEND_ANS_REQ,
        FUTURE_SALTS,
        PONG,
        NEW_SESSION_CREATED,
        DESTROY_SESSION_OK,
        DESTROY_SESSION_NONE,
        MSG_COPY,
    ];
    let mut s = session();
    let mut srv = Server::new();
    let mut rng = StdRng::seed_from_u64(99);
    s.enqueue(req(1));
    let got = srv.recv(&s.poll_outgoing(t(0)).unwrap());
    for i in 0..3000u32 {
        let mut body = Vec::new();
        body.put_u32(ids[i as usize % ids.len()]);
        let words = rng.random_range(0..24usize);
        for _ in 0..words {
            // Mix in our real msg_id so references sometimes hit.
            if rng.random_bool(0.2) {
                body.put_i64(got.outer_id);
            } else {
                body.put_u32(rng.random());
            }
        }
        let (p, _) = srv.send(t(0), s.session_id(), &body, rng.random_bool(0.5));
        let _ = s.handle_incoming(t(0), &p);
        let _ = s.poll_outgoing(t(0));
    }
}
