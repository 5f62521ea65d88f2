//! Inbound service messages and answers (service_messages, service_messages_about_messages).

use super::*;

#[test]
fn rpc_error_is_typed() {
    let mut s = session();
    let mut srv = Server::new();
    let id = s.enqueue(req(1));
    let got = srv.recv(&s.poll_outgoing(t(0)).unwrap());
    let (p, _) = srv.send(
        t(0),
        s.session_id(),
        &rpc_result(got.outer_id, &rpc_error(420, "FLOOD_WAIT_17")),
        true,
    );
    let ev = s.handle_incoming(t(0), &p).unwrap();
    let [Event::RpcError { request, error }] = ev.as_slice() else {
        panic!("{ev:?}")
    };
    assert_eq!(*request, id);
    assert_eq!(
        (error.code, error.name.as_str(), error.value),
        (420, "FLOOD_WAIT", Some(17))
    );
}

#[test]
fn inbound_gzip_is_unpacked_for_results_and_updates() {
    let mut s = session();
    let mut srv = Server::new();
    let id = s.enqueue(req(1));
    let got = srv.recv(&s.poll_outgoing(t(0)).unwrap());
    let result = vec![3u8; 2000];
    let (p, _) = srv.send(
        t(0),
        s.session_id(),
        &rpc_result(got.outer_id, &gzip(&result)),
        true,
    );
    assert_eq!(
        s.handle_incoming(t(0), &p).unwrap(),
        vec![Event::RpcResult {
            request: id,
            body: result
        }]
    );
    let upd = req(0x55);
    let (p, _) = srv.send(t(0), s.session_id(), &gzip(&upd), true);
    assert_eq!(
        s.handle_incoming(t(0), &p).unwrap(),
        vec![Event::Update(upd)]
    );
}

#[test]
fn gzip_bomb_is_refused() {
    let mut s = session_with(SessionConfig {
        max_inflated_bytes: 1000,
        ..config()
    });
    let mut srv = Server::new();
    let (p, _) = srv.send(t(0), s.session_id(), &gzip(&vec![0u8; 100_000]), true);
    assert!(s.handle_incoming(t(0), &p).unwrap().is_empty());
}

#[test]
fn bad_server_salt_stores_salt_and_resends_container_contents() {
    let mut s = session();
    let mut srv = Server::new();
    let a = s.enqueue(req(1));
    let b = s.enqueue(req(2));
    let got = srv.recv(&s.poll_outgoing(t(0)).unwrap());
    let (p, _) = srv.send(
        t(0),
        s.session_id(),
        &bad_server_salt(got.outer_id, 999),
        false,
    );
    assert!(s.handle_incoming(t(0), &p).unwrap().is_empty());
    assert_eq!(s.salt(), 999);
    let again = srv.recv(&s.poll_outgoing(t(0)).unwrap());
    assert_eq!(again.salt, 999);
    let bodies: Vec<_> = again.msgs.iter().map(|m| m.2.clone()).collect();
    assert_eq!(bodies, vec![req(1), req(2)]);
    assert!(again.msgs[0].0 > got.outer_id, "new msg_ids");
    // answers to the resent ids still reach the original request ids
    let (p, _) = srv.send(
        t(0),
        s.session_id(),
        &rpc_result(again.msgs[1].0, b"bbbb"),
        true,
    );
    assert_eq!(
        s.handle_incoming(t(0), &p).unwrap(),
        vec![Event::RpcResult {
            request: b,
            body: b"bbbb".to_vec()
        }]
    );
    let (p, _) = srv.send(
        t(0),
        s.session_id(),
        &rpc_result(again.msgs[0].0, b"aaaa"),
        true,
    );
    assert_eq!(
        s.handle_incoming(t(0), &p).unwrap(),
        vec![Event::RpcResult {
            request: a,
            body: b"aaaa".to_vec()
        }]
    );
}

#[test]
fn bad_msg_16_corrects_time_and_resends() {
    let mut s = session();
    let srv = Server::new();
    s.enqueue(req(1));
    let got = srv.recv(&s.poll_outgoing(t(0)).unwrap());
    // the server's clock is 20 s ahead (within the accepted window)
    let mut srv_ahead = Server::new();
    let notif_id = (T0 + 20) << 32 | 1;
    let p = srv_ahead.send_as(s.session_id(), notif_id, 0, &bad_msg(got.outer_id, 16));
    assert!(s.handle_incoming(t(0), &p).unwrap().is_empty());
    assert_eq!(s.time_offset(), 20);
    let again = srv.recv(&s.poll_outgoing(t(0)).unwrap());
    assert_eq!(again.msgs[0].2, req(1));
    assert_eq!(again.outer_id >> 32, T0 + 20);
}

#[test]
fn bad_msg_17_and_32_33_reset_the_session_and_resend() {
    for code in [17, 32, 33] {
        let mut s = session_with(SessionConfig::default());
        let mut srv = Server::new();
        let old_sid = s.session_id();
        s.enqueue(req(1));
        let first = srv.recv(&s.poll_outgoing(t(0)).unwrap());
        s.enqueue(req(2));
        let second = srv.recv(&s.poll_outgoing(t(0)).unwrap());
        assert_eq!(second.outer_seqno, 3);
        let (p, _) = srv.send(t(0), old_sid, &bad_msg(second.outer_id, code), false);
        let ev = s.handle_incoming(t(0), &p).unwrap();
        let [Event::SessionReset { new_session_id }] = ev.as_slice() else {
            panic!("{ev:?}")
        };
        assert_ne!(*new_session_id, old_sid);
        let again = srv.recv(&s.poll_outgoing(t(0)).unwrap());
        assert_eq!(again.session_id, *new_session_id);
        assert_eq!(again.msgs.len(), 2, "both unanswered requests resent");
        assert_eq!(again.msgs[0].1, 1, "seqno restarts");
        assert_eq!(ctor(&again.msgs[0].2), INVOKE_WITH_LAYER, "init again");
        assert_eq!(again.msgs[1].2, req(2), "only the first request is wrapped");
        assert!(again.msgs[0]
            .2
            .ends_with(&first.msgs[0].2[first.msgs[0].2.len() - 8..]));
    }
}

#[test]
fn bad_msg_unfixable_codes_fail_the_request() {
    for code in [18, 34, 35] {
        let mut s = session();
        let mut srv = Server::new();
        let id = s.enqueue(req(1));
        let got = srv.recv(&s.poll_outgoing(t(0)).unwrap());
        let (p, _) = srv.send(t(0), s.session_id(), &bad_msg(got.outer_id, code), false);
        assert_eq!(
            s.handle_incoming(t(0), &p).unwrap(),
            vec![Event::BadMessage { request: id, code }]
        );
        assert_eq!(s.in_flight(), 0);
        assert!(s.poll_outgoing(t(0)).is_none());
    }
}

#[test]
fn bad_msg_19_20_48_resend_and_64_resends_outside_containers() {
    for code in [19, 20, 48] {
        let mut s = session();
        let mut srv = Server::new();
        s.enqueue(req(1));
        let got = srv.recv(&s.poll_outgoing(t(0)).unwrap());
        let (p, _) = srv.send(t(0), s.session_id(), &bad_msg(got.outer_id, code), false);
        s.handle_incoming(t(0), &p).unwrap();
        assert_eq!(srv.recv(&s.poll_outgoing(t(0)).unwrap()).msgs[0].2, req(1));
    }
    let mut s = session();
    let mut srv = Server::new();
    s.enqueue(req(1));
    s.enqueue(req(2));
    let got = srv.recv(&s.poll_outgoing(t(0)).unwrap());
    let (p, _) = srv.send(t(0), s.session_id(), &bad_msg(got.outer_id, 64), false);
    s.handle_incoming(t(0), &p).unwrap();
    let one = srv.recv(&s.poll_outgoing(t(0)).unwrap());
    let two = srv.recv(&s.poll_outgoing(t(0)).unwrap());
    assert_eq!((one.msgs.len(), two.msgs.len()), (1, 1));
    assert_eq!(
        (one.msgs[0].2.clone(), two.msgs[0].2.clone()),
        (req(1), req(2))
    );
}

#[test]
fn new_session_created_stores_salt_and_is_reported() {
    let mut s = session();
    let mut srv = Server::new();
    let mut b = Vec::new();
    b.put_u32(NEW_SESSION_CREATED);
    b.put_i64(11);
    b.put_i64(22);
    b.put_i64(333);
    let (p, _) = srv.send(t(0), s.session_id(), &b, true);
    assert_eq!(
        s.handle_incoming(t(0), &p).unwrap(),
        vec![Event::NewSession {
            first_msg_id: 11,
            unique_id: 22
        }]
    );
    assert_eq!(s.salt(), 333);
}

#[test]
fn future_salts_are_stored_used_and_answer_the_request() {
    let mut s = session();
    let mut srv = Server::new();
    let id = s.get_future_salts(2);
    let got = srv.recv(&s.poll_outgoing(t(0)).unwrap());
    assert_eq!(ctor(&got.msgs[0].2), GET_FUTURE_SALTS);
    let mut b = Vec::new();
    b.put_u32(FUTURE_SALTS);
    b.put_i64(got.outer_id);
    b.put_i32(T0 as i32);
    b.put_u32(2);
    for (since, until, salt) in [(T0 + 10, T0 + 100, 41i64), (T0 + 100, T0 + 200, 42)] {
        b.put_i32(since as i32);
        b.put_i32(until as i32);
        b.put_i64(salt);
    }
    let (p, _) = srv.send(t(0), s.session_id(), &b, false);
    assert_eq!(
        s.handle_incoming(t(0), &p).unwrap(),
        vec![Event::RpcResult {
            request: id,
            body: b
        }]
    );
    assert_eq!(s.future_salts_left(), 2);
    s.enqueue(req(1));
    assert_eq!(srv.recv(&s.poll_outgoing(t(5)).unwrap()).salt, SALT);
    s.enqueue(req(2));
    assert_eq!(srv.recv(&s.poll_outgoing(t(50)).unwrap()).salt, 41);
    s.enqueue(req(3));
    assert_eq!(srv.recv(&s.poll_outgoing(t(150)).unwrap()).salt, 42);
}

#[test]
fn msgs_state_req_is_answered_with_state_info() {
    let mut s = session();
    let mut srv = Server::new();
    let sid = s.session_id();
    let (p, known) = srv.send(t(0), sid, &req(9), false);
    s.handle_incoming(t(0), &p).unwrap();
    let unknown = known + 0x1000;
    let future = (T0 + 100) << 32 | 1;
    let old = (T0 - 1000) << 32 | 1;
    let mut b = Vec::new();
    b.put_u32(MSGS_STATE_REQ);
    b.put_vec_i64(&[known, unknown, future, old]);
    let (p, req_id) = srv.send(t(0), sid, &b, true);
    assert!(s.handle_incoming(t(0), &p).unwrap().is_empty());
    let got = srv.recv(&s.poll_outgoing(t(0)).unwrap());
    let info = got
        .msgs
        .iter()
        .find(|m| ctor(&m.2) == MSGS_STATE_INFO)
        .expect("state info sent");
    let mut r = Reader::new(&info.2);
    r.u32().unwrap();
    assert_eq!(r.i64().unwrap(), req_id);
    assert_eq!(r.bytes().unwrap(), &[4, 2, 3, 1]);
}

#[test]
fn msg_resend_req_resends() {
    let mut s = session();
    let mut srv = Server::new();
    s.enqueue(req(1));
    let got = srv.recv(&s.poll_outgoing(t(0)).unwrap());
    let mut b = Vec::new();
    b.put_u32(MSG_RESEND_REQ);
    b.put_vec_i64(&[got.outer_id]);
    let (p, _) = srv.send(t(0), s.session_id(), &b, true);
    s.handle_incoming(t(0), &p).unwrap();
    let again = srv.recv(&s.poll_outgoing(t(0)).unwrap());
    assert!(again.msgs.iter().any(|m| m.2 == req(1)));
}

#[test]
fn detailed_info_acks_known_answers_and_requests_unknown_ones() {
    let mut s = session();
    let mut srv = Server::new();
    let sid = s.session_id();
    let (p, known) = srv.send(t(0), sid, &req(9), false);
    s.handle_incoming(t(0), &p).unwrap();
    let mut b = Vec::new();
    b.put_u32(MSG_NEW_DETAILED_INFO);
    b.put_i64(known);
    b.put_i32(100);
    b.put_i32(0);
    let (p, _) = srv.send(t(0), sid, &b, false);
    s.handle_incoming(t(0), &p).unwrap();
    let unknown = known + 400;
    let mut b = Vec::new();
    b.put_u32(MSG_DETAILED_INFO);
    b.put_i64(1);
    b.put_i64(unknown);
    b.put_i32(100);
    b.put_i32(0);
    let (p, _) = srv.send(t(0), sid, &b, false);
    s.handle_incoming(t(0), &p).unwrap();
    let got = srv.recv(&s.poll_outgoing(t(0)).unwrap());
    let ack = got
        .msgs
        .iter()
        .find(|m| ctor(&m.2) == MSGS_ACK)
        .expect("ack");
    let mut r = Reader::new(&ack.2);
    r.u32().unwrap();
    assert_eq!(r.vec_i64().unwrap(), vec![known]);
    let rr = got
        .msgs
        .iter()
        .find(|m| ctor(&m.2) == MSG_RESEND_REQ)
        .expect("resend req");
    let mut r = Reader::new(&rr.2);
    r.u32().unwrap();
    assert_eq!(r.vec_i64().unwrap(), vec![unknown]);
}

#[test]
fn updates_and_containers_from_the_server_are_surfaced() {
    let mut s = session();
    let mut srv = Server::new();
    let id = s.enqueue(req(1));
    let got = srv.recv(&s.poll_outgoing(t(0)).unwrap());
    let a = srv.msg_id(t(0));
    let b = srv.msg_id(t(0));
    let c = srv.msg_id(t(0));
    let r1 = rpc_result(got.outer_id, b"res!");
    let body = container(&[(a, 1, &r1), (b, 3, &req(0x42))]);
    let p = srv.send_as(s.session_id(), c, 4, &body);
    let ev = s.handle_incoming(t(0), &p).unwrap();
    assert_eq!(
        ev,
        vec![
            Event::RpcResult {
                request: id,
                body: b"res!".to_vec()
            },
            Event::Update(req(0x42))
        ]
    );
    s.enqueue(req(2));
    let got = srv.recv(&s.poll_outgoing(t(0)).unwrap());
    let mut r = Reader::new(&got.msgs[0].2);
    r.u32().unwrap();
    assert_eq!(
        r.vec_i64().unwrap(),
        vec![a, b],
        "inner content messages acked, container not"
    );
}

#[test]
fn answers_to_unknown_requests_are_ignored() {
    let mut s = session();
    let mut srv = Server::new();
    let (p, _) = srv.send(t(0), s.session_id(), &rpc_result(12345 << 2, b"late"), true);
    assert!(s.handle_incoming(t(0), &p).unwrap().is_empty());
}

#[test]
fn server_msg_ids_are_odd_and_increasing() {
    let mut ids = ServerMsgIds::new();
    let a = ids.next(t(0), true);
    let b = ids.next(t(0), false);
    assert_eq!((a % 4, b % 4), (1, 3));
    assert!(b > a);
}

#[test]
fn clock_skew_beyond_the_window_is_recovered_through_bad_msg_16() {
    let mut s = session();
    let mut srv = Server::new();
    s.enqueue(req(1));
    let got = srv.recv(&s.poll_outgoing(t(0)).unwrap());
    // The server's clock is 1000 s ahead of ours.
    let notif_id = srv.msg_id(t(1000));
    let notif = srv.send_as(s.session_id(), notif_id, 0, &bad_msg(got.outer_id, 16));
    assert!(s.handle_incoming(t(0), &notif).unwrap().is_empty());
    assert_eq!(s.time_offset(), 1000);
    let again = srv.recv(&s.poll_outgoing(t(0)).unwrap());
    assert_eq!(again.outer_id >> 32, T0 + 1000);
    assert_eq!(again.msgs[0].2, req(1));
    // Now messages in server time pass the window.
    let (p, _) = srv.send(
        t(1000),
        s.session_id(),
        &rpc_result(again.outer_id, b"done"),
        true,
    );
    assert_eq!(s.handle_incoming(t(0), &p).unwrap().len(), 1);
}

#[test]
fn out_of_window_notice_about_no_current_request_is_dropped() {
    let mut s = session();
    let mut srv = Server::new();
    s.enqueue(req(1));
    let got = srv.recv(&s.poll_outgoing(t(0)).unwrap());
    // names a msg_id we never sent (a replay of an old notice)
    let notif = srv.send_as(
        s.session_id(),
        (T0 + 1000) << 32 | 1,
        0,
        &bad_msg(got.outer_id - 4, 16),
    );
    assert!(matches!(
        s.handle_incoming(t(0), &notif),
        Err(InboundError::OutOfTimeWindow { .. })
    ));
    assert_eq!(s.time_offset(), 0);
    // other codes get no exemption
    let notif = srv.send_as(
        s.session_id(),
        (T0 + 1000) << 32 | 5,
        0,
        &bad_msg(got.outer_id, 48),
    );
    assert!(matches!(
        s.handle_incoming(t(0), &notif),
        Err(InboundError::OutOfTimeWindow { .. })
    ));
}

#[test]
fn future_salts_are_refilled_automatically_when_configured() {
    let mut s = session_with(SessionConfig {
        future_salts_refill: Some((1, 8)),
        ..config()
    });
    let mut srv = Server::new();
    s.enqueue(req(1));
    let got = srv.recv(&s.poll_outgoing(t(0)).unwrap());
    let ask = got
        .msgs
        .iter()
        .find(|m| ctor(&m.2) == GET_FUTURE_SALTS)
        .expect("asks for salts");
    let mut r = Reader::new(&ask.2);
    r.u32().unwrap();
    assert_eq!(r.i32().unwrap(), 8);
    // only one request at a time
    s.enqueue(req(2));
    let again = srv.recv(&s.poll_outgoing(t(0)).unwrap());
    assert!(again.msgs.iter().all(|m| ctor(&m.2) != GET_FUTURE_SALTS));
    let mut b = Vec::new();
    b.put_u32(FUTURE_SALTS);
    b.put_i64(ask.0);
    b.put_i32(T0 as i32);
    b.put_u32(1);
    b.put_i32((T0 - 10) as i32);
    b.put_i32((T0 + 3600) as i32);
    b.put_i64(55);
    let (p, _) = srv.send(t(0), s.session_id(), &b, false);
    assert!(
        s.handle_incoming(t(0), &p).unwrap().is_empty(),
        "consumed internally"
    );
    assert_eq!(s.future_salts_left(), 1);
    s.enqueue(req(3));
    let next = srv.recv(&s.poll_outgoing(t(1)).unwrap());
    assert_eq!(next.salt, 55);
    assert!(
        next.msgs.iter().any(|m| ctor(&m.2) == GET_FUTURE_SALTS),
        "the only stored salt is in use now, so more are asked for"
    );
}

#[test]
fn an_answer_from_a_server_clock_ahead_of_ours_resyncs_the_session() {
    let mut s = session();
    let mut srv = Server::new();
    s.enqueue(req(1));
    let got = srv.recv(&s.poll_outgoing(t(0)).unwrap());
    // Our clock fell 120 s behind while the session was live: our ids are
    // merely old to the server, so it answers, dated in its own time.
    let id = srv.msg_id(t(120));
    let answer = srv.send_as(s.session_id(), id, 1, &rpc_result(got.msgs[0].0, b"done"));
    assert_eq!(s.handle_incoming(t(0), &answer).unwrap().len(), 1);
    assert_eq!(s.time_offset(), 120);
    s.enqueue(req(2));
    let next = srv.recv(&s.poll_outgoing(t(0)).unwrap());
    assert_eq!(next.outer_id >> 32, T0 + 120);
    // A replay of that answer is still a duplicate.
    assert!(matches!(
        s.handle_incoming(t(0), &answer),
        Err(InboundError::Duplicate(_))
    ));
}

#[test]
fn a_bad_server_salt_from_a_server_clock_ahead_of_ours_resyncs_the_session() {
    let mut s = session();
    let mut srv = Server::new();
    s.enqueue(req(1));
    let got = srv.recv(&s.poll_outgoing(t(0)).unwrap());
    // A stored key resumed with no salt and no clock offset, the server's
    // clock 120 s ahead: its first word is bad_server_salt, dated its time.
    let id = srv.msg_id(t(120));
    // One naming nothing in flight is dropped and changes nothing.
    let stale = srv.send_as(
        s.session_id(),
        id,
        1,
        &bad_server_salt(got.msgs[0].0 - 4, 78),
    );
    assert!(matches!(
        s.handle_incoming(t(0), &stale),
        Err(InboundError::OutOfTimeWindow { .. })
    ));
    assert_eq!(s.time_offset(), 0);
    let id = srv.msg_id(t(120));
    let p = srv.send_as(s.session_id(), id, 1, &bad_server_salt(got.msgs[0].0, 77));
    s.handle_incoming(t(0), &p).unwrap();
    assert_eq!(s.time_offset(), 120);
    let again = srv.recv(&s.poll_outgoing(t(0)).unwrap());
    assert_eq!(again.salt, 77, "resent with the new salt");
    assert_eq!(again.outer_id >> 32, T0 + 120, "in the server's time");
}

#[test]
fn a_future_dated_message_that_answers_nothing_in_flight_is_dropped() {
    let mut s = session();
    let mut srv = Server::new();
    s.enqueue(req(1));
    let got = srv.recv(&s.poll_outgoing(t(0)).unwrap());
    let ahead = |n: i64| (T0 + 120) << 32 | n;
    // an answer to an id we never sent
    let p = srv.send_as(
        s.session_id(),
        ahead(1),
        1,
        &rpc_result(got.msgs[0].0 - 4, b"done"),
    );
    assert!(matches!(
        s.handle_incoming(t(0), &p),
        Err(InboundError::OutOfTimeWindow { .. })
    ));
    // not an answer at all
    let p = srv.send_as(s.session_id(), ahead(5), 1, &req(9));
    assert!(matches!(
        s.handle_incoming(t(0), &p),
        Err(InboundError::OutOfTimeWindow { .. })
    ));
    assert_eq!(s.time_offset(), 0);
}
