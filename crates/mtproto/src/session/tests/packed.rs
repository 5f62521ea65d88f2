//! Packed (`gzip_packed`) server messages: one inflate budget per payload,
//! nothing packed twice, refused answers end their request
//! (service_messages, "Packed Object").

use super::*;
use hearth_tl::DeserializeError;

fn rejected(events: &[Event]) -> Vec<(RequestId, DecodeError)> {
    events
        .iter()
        .filter_map(|e| match e {
            Event::AnswerRejected { request, error } => Some((*request, error.clone())),
            _ => None,
        })
        .collect()
}

#[test]
fn packed_answer_over_the_budget_ends_its_request_with_the_reason() {
    let mut s = session_with(SessionConfig {
        max_inflated_bytes: 1000,
        ..config()
    });
    let mut srv = Server::new();
    let id = s.enqueue(req(1));
    let got = srv.recv(&s.poll_outgoing(t(0)).unwrap());
    let bomb = rpc_result(got.outer_id, &gzip(&vec![0u8; 100_000]));
    let (p, _) = srv.send(t(0), s.session_id(), &bomb, true);
    let events = s.handle_incoming(t(0), &p).unwrap();
    let too_large = DecodeError::Tl(DeserializeError::GzipTooLarge { limit: 1000 });
    assert_eq!(rejected(&events), vec![(id, too_large.clone())]);
    assert!(too_large.to_string().contains("more than 1000 bytes"));
    // The request is over: nothing is resent for it.
    assert!(s.poll_outgoing(t(1)).is_none_or(|p| srv
        .recv(&p)
        .msgs
        .iter()
        .all(|(_, _, b)| ctor(b) != ctor(&req(1)))));
}

#[test]
fn packed_data_packed_again_is_refused_at_every_level() {
    let mut s = session();
    let mut srv = Server::new();
    let a = s.enqueue(req(1));
    let got = srv.recv(&s.poll_outgoing(t(0)).unwrap());
    // rpc_result(gzip(gzip(x))).
    let twice = rpc_result(got.outer_id, &gzip(&gzip(&req(7))));
    let (p, _) = srv.send(t(0), s.session_id(), &twice, true);
    let events = s.handle_incoming(t(0), &p).unwrap();
    assert_eq!(
        rejected(&events),
        vec![(a, DecodeError::Tl(DeserializeError::NestedGzip))]
    );

    // gzip(rpc_result(gzip(x))): the message body was packed already.
    let b = s.enqueue(req(2));
    let got = srv.recv(&s.poll_outgoing(t(0)).unwrap());
    // Sent in a container with the ack of the first answer.
    let (req_id, _, _) = got.msgs.iter().find(|(_, _, b)| *b == req(2)).unwrap();
    let inner = rpc_result(*req_id, &gzip(&req(8)));
    let (p, _) = srv.send(t(0), s.session_id(), &gzip(&inner), true);
    let events = s.handle_incoming(t(0), &p).unwrap();
    assert_eq!(
        rejected(&events),
        vec![(b, DecodeError::Tl(DeserializeError::NestedGzip))]
    );

    // gzip(gzip(update)): dropped, not delivered as an update.
    let (p, _) = srv.send(t(0), s.session_id(), &gzip(&gzip(&req(0x55))), true);
    assert_eq!(s.handle_incoming(t(0), &p).unwrap(), vec![]);
}

#[test]
fn messages_of_a_container_share_one_inflate_budget() {
    let mut s = session_with(SessionConfig {
        max_inflated_bytes: 10_000,
        ..config()
    });
    let mut srv = Server::new();
    let ids: Vec<_> = (1..=3).map(|n| s.enqueue(req(n))).collect();
    let got = srv.recv(&s.poll_outgoing(t(0)).unwrap());
    assert_eq!(got.msgs.len(), 3);
    // Each answer alone fits the budget; together they do not.
    let answers: Vec<Vec<u8>> = got
        .msgs
        .iter()
        .map(|(msg_id, _, _)| rpc_result(*msg_id, &gzip(&vec![1u8; 4000])))
        .collect();
    let inner: Vec<(i64, i32, &[u8])> = answers
        .iter()
        .enumerate()
        .map(|(i, a)| (srv.msg_id(t(0)), 2 * i as i32 + 1, a.as_slice()))
        .collect();
    let (p, _) = srv.send(t(0), s.session_id(), &container(&inner), false);
    let events = s.handle_incoming(t(0), &p).unwrap();
    let delivered: Vec<RequestId> = events
        .iter()
        .filter_map(|e| match e {
            Event::RpcResult { request, body } if body.len() == 4000 => Some(*request),
            _ => None,
        })
        .collect();
    assert_eq!(delivered, ids[..2]);
    assert_eq!(
        rejected(&events),
        vec![(
            ids[2],
            DecodeError::Tl(DeserializeError::GzipTooLarge { limit: 2000 })
        )]
    );
}
