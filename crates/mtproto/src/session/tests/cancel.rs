//! `Session::cancel`: queued requests are dropped, sent ones are forgotten
//! and answered with `rpc_drop_answer`.

use super::*;
use hearth_tl::mtproto::functions::RpcDropAnswer;
use hearth_tl::{Deserializable, Identifiable};

#[test]
fn cancelled_queued_request_is_never_sent() {
    let mut s = session();
    let srv = Server::new();
    let first = s.enqueue(req(1));
    s.enqueue(req(2));
    assert!(s.cancel(first));
    let got = srv.recv(&s.poll_outgoing(t(0)).unwrap());
    assert_eq!(got.msgs.len(), 1);
    assert_eq!(got.msgs[0].2, req(2));
    assert!(!s.cancel(first), "already cancelled");
}

#[test]
fn cancelled_sent_request_is_dropped_and_not_resent() {
    let mut s = session();
    let mut srv = Server::new();
    let id = s.enqueue(req(1));
    let sent = srv.recv(&s.poll_outgoing(t(0)).unwrap());
    assert_eq!(s.in_flight(), 1);
    assert!(s.cancel(id));
    assert_eq!(s.in_flight(), 0);

    let got = srv.recv(&s.poll_outgoing(t(0)).unwrap());
    let drop = got
        .msgs
        .iter()
        .find(|m| ctor(&m.2) == RpcDropAnswer::CONSTRUCTOR_ID)
        .expect("rpc_drop_answer sent");
    assert_eq!(drop.1 % 2, 1, "rpc_drop_answer is content-related");
    let drop = RpcDropAnswer::from_bytes(&drop.2).expect("decodes");
    assert_eq!(drop.req_msg_id, sent.outer_id);

    // A reconnect does not bring it back.
    s.requeue_in_flight();
    assert!(s.poll_outgoing(t(1)).is_none());

    // Its answer, arriving anyway, completes nothing.
    let mut b = Vec::new();
    b.put_u32(RPC_RESULT);
    b.put_i64(sent.outer_id);
    b.extend_from_slice(&req(7));
    let (p, _) = srv.send(t(1), s.session_id(), &b, true);
    assert!(s.handle_incoming(t(1), &p).unwrap().is_empty());
}

#[test]
fn cancelling_one_request_of_a_container_keeps_the_others() {
    let mut s = session();
    let mut srv = Server::new();
    let a = s.enqueue(req(1));
    let b_id = s.enqueue(req(2));
    let sent = srv.recv(&s.poll_outgoing(t(0)).unwrap());
    assert_eq!(sent.msgs.len(), 2);
    assert!(s.cancel(a));
    assert_eq!(s.in_flight(), 1);

    let mut b = Vec::new();
    b.put_u32(RPC_RESULT);
    b.put_i64(sent.msgs[1].0);
    b.extend_from_slice(&req(9));
    let (p, _) = srv.send(t(0), s.session_id(), &b, true);
    let events = s.handle_incoming(t(0), &p).unwrap();
    assert!(
        matches!(&events[..], [Event::RpcResult { request, body }] if *request == b_id && *body == req(9)),
        "{events:?}"
    );
}

#[test]
fn cancelling_an_unknown_request_does_nothing() {
    let mut s = session();
    assert!(!s.cancel(RequestId(77)));
    assert!(!s.has_outgoing(t(0)));
}
