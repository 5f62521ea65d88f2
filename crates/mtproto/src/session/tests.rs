//! Session behaviour against an in-test server built from [`crate::server`].

use hearth_crypto::message::{encrypt, Side};
use hearth_crypto::AuthKey;
use rand::rngs::StdRng;
use rand::SeedableRng;

use super::ids::*;
use super::*;
use crate::error::InboundError;
use crate::server::message::{
    container, open, rpc_error, rpc_result, seal, split_container, ServerMsgIds,
};
use crate::wire::{Reader, Writer};

const T0: i64 = 1_700_000_000;
const SALT: i64 = 0x0102_0304_0506_0708;

fn t(secs: i64) -> UnixTime {
    UnixTime::from_secs(T0 + secs)
}

fn key() -> AuthKey {
    AuthKey::from_bytes(core::array::from_fn(|i| (i * 7 + 3) as u8))
}

fn config() -> SessionConfig {
    SessionConfig {
        app: None,
        ..SessionConfig::default()
    }
}

fn session_with(config: SessionConfig) -> Session {
    Session::new(key(), SALT, 0, config, Box::new(StdRng::seed_from_u64(5)))
}

fn session() -> Session {
    session_with(config())
}

/// A message as the test server received it.
#[derive(Debug, Clone)]
struct Got {
    salt: i64,
    session_id: i64,
    outer_id: i64,
    outer_seqno: i32,
    msgs: Vec<(i64, i32, Vec<u8>)>,
}

struct Server {
    key: AuthKey,
    ids: ServerMsgIds,
    rng: StdRng,
}

impl Server {
    fn new() -> Self {
        Self {
            key: key(),
            ids: ServerMsgIds::new(),
            rng: StdRng::seed_from_u64(77),
        }
    }

    fn recv(&self, payload: &[u8]) -> Got {
        let p = open(&self.key, payload).expect("server decrypts client payload");
        Got {
            salt: p.salt,
            session_id: p.session_id,
            outer_id: p.msg_id,
            outer_seqno: p.seqno,
            msgs: split_container(&p).unwrap(),
        }
    }

    fn msg_id(&mut self, now: UnixTime) -> i64 {
        self.ids.next(now, true)
    }

    /// Encrypts `body` for session `sid` with a fresh msg_id; returns (payload, msg_id).
    fn send(&mut self, now: UnixTime, sid: i64, body: &[u8], content: bool) -> (Vec<u8>, i64) {
        let id = self.msg_id(now);
        (self.send_as(sid, id, if content { 1 } else { 0 }, body), id)
    }

    fn send_as(&mut self, sid: i64, msg_id: i64, seqno: i32, body: &[u8]) -> Vec<u8> {
        seal(&self.key, SALT, sid, msg_id, seqno, body, &mut self.rng)
    }
}

fn req(tag: u32) -> Vec<u8> {
    let mut b = Vec::new();
    b.put_u32(0x11110000 | tag);
    b.put_i32(tag as i32);
    b
}

fn ctor(body: &[u8]) -> u32 {
    Reader::new(body).u32().unwrap()
}

fn long(x: i64) -> Vec<u8> {
    x.to_le_bytes().to_vec()
}

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

fn gzip(data: &[u8]) -> Vec<u8> {
    use std::io::Write;
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    e.write_all(data).unwrap();
    let mut b = Vec::new();
    b.put_u32(GZIP_PACKED);
    b.put_bytes(&e.finish().unwrap());
    b
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
    // small
    s.enqueue(vec![7u8; 100]);
    assert_eq!(
        srv.recv(&s.poll_outgoing(t(0)).unwrap()).msgs[0].2,
        vec![7u8; 100]
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

fn bad_server_salt(bad_msg_id: i64, new_salt: i64) -> Vec<u8> {
    let mut b = Vec::new();
    b.put_u32(BAD_SERVER_SALT);
    b.put_i64(bad_msg_id);
    b.put_i32(1);
    b.put_i32(48);
    b.put_i64(new_salt);
    b
}

fn bad_msg(bad_msg_id: i64, code: i32) -> Vec<u8> {
    let mut b = Vec::new();
    b.put_u32(BAD_MSG_NOTIFICATION);
    b.put_i64(bad_msg_id);
    b.put_i32(1);
    b.put_i32(code);
    b
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

// ---- security guideline checks on inbound messages -------------------------

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

fn raw_plain(sid: i64, msg_id: i64, declared_len: i32, data: &[u8]) -> Vec<u8> {
    let mut b = Vec::new();
    b.put_i64(SALT);
    b.put_i64(sid);
    b.put_i64(msg_id);
    b.put_i32(1);
    b.put_i32(declared_len);
    b.extend_from_slice(data);
    b
}

#[test]
fn bad_message_data_length_and_padding_are_dropped() {
    let mut s = session();
    let mut srv = Server::new();
    let sid = s.session_id();
    let mut rng = StdRng::seed_from_u64(1);
    // declared length beyond the data
    let p = encrypt(
        Side::Server,
        &key(),
        &raw_plain(sid, srv.msg_id(t(0)), 4000, &req(1)),
        &mut rng,
    );
    assert!(matches!(
        s.handle_incoming(t(0), &p),
        Err(InboundError::Length(_))
    ));
    // not a multiple of 4
    let p = encrypt(
        Side::Server,
        &key(),
        &raw_plain(sid, srv.msg_id(t(0)), 6, &req(1)),
        &mut rng,
    );
    assert!(matches!(
        s.handle_incoming(t(0), &p),
        Err(InboundError::Length(_))
    ));
    // padding over 1024 bytes
    let p = encrypt(
        Side::Server,
        &key(),
        &raw_plain(sid, srv.msg_id(t(0)), 8, &vec![0u8; 1100]),
        &mut rng,
    );
    assert!(matches!(
        s.handle_incoming(t(0), &p),
        Err(InboundError::Length(_))
    ));
    // negative length
    let p = encrypt(
        Side::Server,
        &key(),
        &raw_plain(sid, srv.msg_id(t(0)), -4, &req(1)),
        &mut rng,
    );
    assert!(matches!(
        s.handle_incoming(t(0), &p),
        Err(InboundError::Length(_))
    ));
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
fn answers_to_unknown_requests_are_ignored() {
    let mut s = session();
    let mut srv = Server::new();
    let (p, _) = srv.send(t(0), s.session_id(), &rpc_result(12345 << 2, b"late"), true);
    assert!(s.handle_incoming(t(0), &p).unwrap().is_empty());
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
fn server_msg_ids_are_odd_and_increasing() {
    let mut ids = ServerMsgIds::new();
    let a = ids.next(t(0), true);
    let b = ids.next(t(0), false);
    assert_eq!((a % 4, b % 4), (1, 3));
    assert!(b > a);
}
