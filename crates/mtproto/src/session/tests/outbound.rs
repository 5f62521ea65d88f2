//! Framing, containers, acks, gzip and initConnection of outgoing payloads.

use super::*;

#[test]
fn single_request_is_framed_with_salt_session_and_client_msg_id() {
    let mut s = session();
    let srv = Server::new();
    s.enqueue(req(1));
    let got = srv.recv(&s.poll_outgoing(t(0)).unwrap());
    assert_eq!(got.salt, SALT);
    assert_eq!(got.session_id, s.session_id());
    assert_eq!(got.outer_id % 4, 0);
    assert_eq!(got.outer_id >> 32, T0);
    assert_eq!(got.outer_seqno, 1);
    assert_eq!(got.msgs[0].2, req(1));
    assert!(s.poll_outgoing(t(0)).is_none());
    assert_eq!(s.in_flight(), 1);
}

#[test]
fn first_request_is_wrapped_in_init_connection_once() {
    let mut s = session_with(SessionConfig::default());
    let srv = Server::new();
    s.enqueue(req(1));
    let got = srv.recv(&s.poll_outgoing(t(0)).unwrap());
    let body = &got.msgs[0].2;
    let mut r = Reader::new(body);
    assert_eq!(r.u32().unwrap(), INVOKE_WITH_LAYER);
    assert_eq!(r.i32().unwrap(), LAYER);
    assert_eq!(r.u32().unwrap(), INIT_CONNECTION);
    assert!(body.ends_with(&req(1)));
    s.enqueue(req(2));
    let got = srv.recv(&s.poll_outgoing(t(0)).unwrap());
    assert_eq!(got.msgs[0].2, req(2));
}

#[test]
fn several_requests_go_in_one_container() {
    let mut s = session();
    let srv = Server::new();
    s.enqueue(req(1));
    s.enqueue(req(2));
    let got = srv.recv(&s.poll_outgoing(t(0)).unwrap());
    assert_eq!(got.msgs.len(), 2);
    assert_eq!(got.outer_seqno % 2, 0, "container is not content-related");
    assert_eq!(got.msgs[0].1, 1);
    assert_eq!(got.msgs[1].1, 3);
    assert!(got.msgs[0].0 < got.msgs[1].0 && got.msgs[1].0 < got.outer_id);
    assert_eq!(got.msgs[1].2, req(2));
}

#[test]
fn container_respects_count_and_size_limits() {
    let mut s = session_with(SessionConfig {
        max_container_messages: 3,
        ..config()
    });
    let srv = Server::new();
    for i in 0..5 {
        s.enqueue(req(i));
    }
    assert_eq!(srv.recv(&s.poll_outgoing(t(0)).unwrap()).msgs.len(), 3);
    assert_eq!(srv.recv(&s.poll_outgoing(t(0)).unwrap()).msgs.len(), 2);

    let mut s = session_with(SessionConfig {
        max_container_bytes: 100,
        gzip_threshold: usize::MAX,
        ..config()
    });
    s.enqueue(vec![1; 60]);
    s.enqueue(vec![2; 60]);
    assert_eq!(srv.recv(&s.poll_outgoing(t(0)).unwrap()).msgs.len(), 1);
    assert_eq!(
        srv.recv(&s.poll_outgoing(t(0)).unwrap()).msgs[0].2,
        vec![2; 60]
    );
}

#[test]
fn rpc_result_completes_the_request_and_is_acked_with_the_next_request() {
    let mut s = session();
    let mut srv = Server::new();
    let id = s.enqueue(req(1));
    let got = srv.recv(&s.poll_outgoing(t(0)).unwrap());
    let (p, server_id) = srv.send(
        t(1),
        s.session_id(),
        &rpc_result(got.outer_id, b"answer__"),
        true,
    );
    let ev = s.handle_incoming(t(1), &p).unwrap();
    assert_eq!(
        ev,
        vec![Event::RpcResult {
            request: id,
            body: b"answer__".to_vec()
        }]
    );
    assert_eq!(s.in_flight(), 0);
    // not due yet on its own
    assert!(s.poll_outgoing(t(1)).is_none());
    s.enqueue(req(2));
    let got = srv.recv(&s.poll_outgoing(t(1)).unwrap());
    assert_eq!(got.msgs.len(), 2);
    let ack = &got.msgs[0];
    assert_eq!(ack.1 % 2, 0, "acks are not content-related");
    let mut r = Reader::new(&ack.2);
    assert_eq!(r.u32().unwrap(), MSGS_ACK);
    assert_eq!(r.vec_i64().unwrap(), vec![server_id]);
}

#[test]
fn acks_go_alone_after_threshold_or_delay_and_only_for_content_messages() {
    let mut s = session_with(SessionConfig {
        ack_threshold: 3,
        ack_delay: std::time::Duration::from_secs(2),
        ..config()
    });
    let mut srv = Server::new();
    let sid = s.session_id();
    let (p, _) = srv.send(t(0), sid, &req(9), false);
    s.handle_incoming(t(0), &p).unwrap();
    assert!(!s.has_outgoing(t(10)), "non-content message is not acked");
    let mut ids = Vec::new();
    for _ in 0..3 {
        let (p, id) = srv.send(t(0), sid, &req(9), true);
        ids.push(id);
        s.handle_incoming(t(0), &p).unwrap();
    }
    let got = srv.recv(&s.poll_outgoing(t(0)).unwrap());
    assert_eq!(Reader::new(&got.msgs[0].2).u32().unwrap(), MSGS_ACK);
    let mut r = Reader::new(&got.msgs[0].2);
    r.u32().unwrap();
    assert_eq!(r.vec_i64().unwrap(), ids);

    let (p, id) = srv.send(t(5), sid, &req(9), true);
    s.handle_incoming(t(5), &p).unwrap();
    assert!(s.poll_outgoing(t(6)).is_none());
    let got = srv.recv(&s.poll_outgoing(t(7)).unwrap());
    let mut r = Reader::new(&got.msgs[0].2);
    r.u32().unwrap();
    assert_eq!(r.vec_i64().unwrap(), vec![id]);
}

#[test]
fn large_compressible_requests_are_gzipped_and_others_are_not() {
    let mut s = session();
    let srv = Server::new();
    let big = vec![7u8; 4000];
    s.enqueue(big.clone());
    let got = srv.recv(&s.poll_outgoing(t(0)).unwrap());
    let body = &got.msgs[0].2;
    assert_eq!(ctor(body), GZIP_PACKED);
    let mut r = Reader::new(body);
    r.u32().unwrap();
    let mut out = Vec::new();
    std::io::Read::read_to_end(
        &mut flate2::read::GzDecoder::new(r.bytes().unwrap()),
        &mut out,
    )
    .unwrap();
    assert_eq!(out, big);

    // incompressible
    let mut x = 0x12345678u32;
    let noise: Vec<u8> = (0..4000)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            x as u8
        })
        .collect();
    s.enqueue(noise.clone());
    assert_eq!(srv.recv(&s.poll_outgoing(t(0)).unwrap()).msgs[0].2, noise);
    // a file part, however compressible
    let part = hearth_tl::Serializable::to_bytes(&hearth_tl::functions::upload::SaveFilePart {
        file_id: 1,
        file_part: 0,
        bytes: vec![7u8; 4000],
    });
    s.enqueue(part.clone());
    assert_eq!(srv.recv(&s.poll_outgoing(t(0)).unwrap()).msgs[0].2, part);
    // small
    s.enqueue(vec![7u8; 100]);
    assert_eq!(
        srv.recv(&s.poll_outgoing(t(0)).unwrap()).msgs[0].2,
        vec![7u8; 100]
    );
}

#[test]
fn ping_pong_and_ping_delay_disconnect() {
    let mut s = session();
    let mut srv = Server::new();
    let id = s.ping(0x77);
    let got = srv.recv(&s.poll_outgoing(t(0)).unwrap());
    assert_eq!(
        got.msgs[0].2,
        [&PING.to_le_bytes()[..], &long(0x77)].concat()
    );
    let mut pong = Vec::new();
    pong.put_u32(PONG);
    pong.put_i64(got.outer_id);
    pong.put_i64(0x77);
    let (p, _) = srv.send(t(0), s.session_id(), &pong, false);
    assert_eq!(
        s.handle_incoming(t(0), &p).unwrap(),
        vec![Event::RpcResult {
            request: id,
            body: pong
        }]
    );

    s.ping_delay_disconnect(5, 75);
    let got = srv.recv(&s.poll_outgoing(t(0)).unwrap());
    let mut r = Reader::new(&got.msgs[0].2);
    assert_eq!(
        (r.u32().unwrap(), r.i64().unwrap(), r.i32().unwrap()),
        (PING_DELAY_DISCONNECT, 5, 75)
    );
}

#[test]
fn destroy_session_answers() {
    let mut s = session();
    let mut srv = Server::new();
    let id = s.destroy_session(42);
    let got = srv.recv(&s.poll_outgoing(t(0)).unwrap());
    assert_eq!(
        got.msgs[0].2,
        [&DESTROY_SESSION.to_le_bytes()[..], &long(42)].concat()
    );
    let mut ok = Vec::new();
    ok.put_u32(DESTROY_SESSION_OK);
    ok.put_i64(42);
    let (p, _) = srv.send(t(0), s.session_id(), &rpc_result(got.outer_id, &ok), true);
    assert_eq!(
        s.handle_incoming(t(0), &p).unwrap(),
        vec![Event::RpcResult {
            request: id,
            body: ok
        }]
    );
    let mut none = Vec::new();
    none.put_u32(DESTROY_SESSION_NONE);
    none.put_i64(43);
    let (p, _) = srv.send(t(0), s.session_id(), &none, false);
    assert_eq!(
        s.handle_incoming(t(0), &p).unwrap(),
        vec![Event::SessionDestroyed {
            session_id: 43,
            existed: false
        }]
    );
}

#[test]
fn requeue_after_disconnect_resends_in_flight() {
    let mut s = session();
    let srv = Server::new();
    s.enqueue(req(1));
    s.poll_outgoing(t(0)).unwrap();
    s.enqueue(req(2));
    s.poll_outgoing(t(0)).unwrap();
    s.requeue_in_flight();
    assert_eq!(s.in_flight(), 0);
    let got = srv.recv(&s.poll_outgoing(t(0)).unwrap());
    let bodies: Vec<_> = got.msgs.iter().map(|m| m.2.clone()).collect();
    assert_eq!(bodies, vec![req(1), req(2)]);
}

#[test]
fn debug_output_hides_the_key() {
    let s = session();
    let d = format!("{s:?}");
    assert!(d.contains("session_id") && !d.contains("auth_key"));
}

#[test]
fn new_session_created_makes_the_next_request_init_connection_again() {
    let mut s = session_with(SessionConfig::default());
    let mut srv = Server::new();
    s.enqueue(req(1));
    let first = srv.recv(&s.poll_outgoing(t(0)).unwrap());
    assert_eq!(ctor(&first.msgs[0].2), INVOKE_WITH_LAYER);
    let mut b = Vec::new();
    b.put_u32(NEW_SESSION_CREATED);
    b.put_i64(first.outer_id);
    b.put_i64(7);
    b.put_i64(SALT);
    let (p, _) = srv.send(t(0), s.session_id(), &b, true);
    s.handle_incoming(t(0), &p).unwrap();
    s.enqueue(req(2));
    let got = srv.recv(&s.poll_outgoing(t(0)).unwrap());
    let wrapped = got.msgs.iter().find(|m| ctor(&m.2) != MSGS_ACK).unwrap();
    assert_eq!(ctor(&wrapped.2), INVOKE_WITH_LAYER);
    assert!(wrapped.2.ends_with(&req(2)));
}

#[test]
fn time_offset_shifts_ids_and_the_inbound_window() {
    let mut s = Session::new(
        key(),
        SALT,
        1000,
        config(),
        Box::new(StdRng::seed_from_u64(5)),
    );
    let mut srv = Server::new();
    s.enqueue(req(1));
    let got = srv.recv(&s.poll_outgoing(t(0)).unwrap());
    assert_eq!(got.outer_id >> 32, T0 + 1000);
    // A server message stamped with server time is inside the window...
    let (p, _) = srv.send(t(1000), s.session_id(), &req(5), true);
    assert!(s.handle_incoming(t(0), &p).is_ok());
    // ...one stamped with our uncorrected local time is 1000 s too old.
    let p = srv.send_as(s.session_id(), (T0 << 32) | 0x11, 1, &req(5));
    assert!(matches!(
        s.handle_incoming(t(0), &p),
        Err(InboundError::OutOfTimeWindow { .. })
    ));
}

#[test]
fn service_calls_are_not_wrapped_and_init_waits_for_the_first_api_call() {
    let mut s = session_with(SessionConfig::default());
    let srv = Server::new();
    s.ping_delay_disconnect(1, 75);
    s.get_future_salts(3);
    s.enqueue(req(1));
    let got = srv.recv(&s.poll_outgoing(t(0)).unwrap());
    let ctors: Vec<u32> = got.msgs.iter().map(|m| ctor(&m.2)).collect();
    assert_eq!(
        ctors,
        vec![PING_DELAY_DISCONNECT, GET_FUTURE_SALTS, INVOKE_WITH_LAYER]
    );
}

#[test]
fn a_request_the_caller_wrapped_itself_is_not_wrapped_twice() {
    let mut s = session_with(SessionConfig::default());
    let srv = Server::new();
    let own = AppInfo::default().wrap(LAYER, &req(1));
    s.enqueue(own.clone());
    s.enqueue(req(2));
    let got = srv.recv(&s.poll_outgoing(t(0)).unwrap());
    assert_eq!(got.msgs[0].2, own);
    assert_eq!(got.msgs[1].2, req(2));
}
