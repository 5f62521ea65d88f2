use super::*;

#[test]
fn updates_in_order_are_applied_and_advance_pts() {
    let c = Clock::new();
    let mut b = ready_box(c.at(0));
    assert_eq!(
        applied(b.process_updates(short(new_msg(1, 101, 1)), c.at(1))),
        ["m1"]
    );
    assert_eq!(
        applied(b.process_updates(short(new_msg(2, 103, 2)), c.at(2))),
        ["m2"]
    );
    let s = b.state();
    assert_eq!((s.pts, s.qts, s.seq), (103, 10, 50));
    assert_eq!(s.date, 1001, "updateShort's date is taken");
    assert!(b.get_difference(c.at(3)).is_none());
}

#[test]
fn already_applied_updates_are_never_delivered_twice() {
    let c = Clock::new();
    let mut b = ready_box(c.at(0));
    assert_eq!(
        applied(b.process_updates(short(new_msg(1, 101, 1)), c.at(1))),
        ["m1"]
    );
    // The same update again, and an older one.
    assert!(applied(b.process_updates(short(new_msg(1, 101, 1)), c.at(2))).is_empty());
    assert!(applied(b.process_updates(short(new_msg(0, 99, 1)), c.at(3))).is_empty());
    assert_eq!(b.state().pts, 101);
}

#[test]
fn a_gap_filled_within_the_timeout_needs_no_difference() {
    let c = Clock::new();
    let mut b = ready_box(c.at(0));
    // pts 102 arrives before 101.
    assert!(applied(b.process_updates(short(new_msg(2, 102, 1)), c.at(10))).is_empty());
    assert_eq!(b.state().pts, 100, "held, not applied");
    assert_eq!(b.next_deadline(c.at(10)), c.at(10) + POSSIBLE_GAP_TIMEOUT);
    assert!(b.get_difference(c.at(300)).is_none(), "still within 0.5 s");
    assert_eq!(
        applied(b.process_updates(short(new_msg(1, 101, 1)), c.at(400))),
        ["m1", "m2"]
    );
    assert_eq!(b.state().pts, 102);
    assert!(
        b.get_difference(c.at(2000)).is_none(),
        "gap closed, deadline gone"
    );
    assert!(b.next_deadline(c.at(2000)) > c.at(2000) + Duration::from_secs(60));
}

#[test]
fn a_gap_still_open_after_the_timeout_needs_a_difference_and_held_updates_replay() {
    let c = Clock::new();
    let mut b = ready_box(c.at(0));
    assert!(applied(b.process_updates(short(new_msg(3, 103, 1)), c.at(0))).is_empty());
    assert!(b.get_difference(c.at(499)).is_none());
    let req = b.get_difference(c.at(500)).expect("deadline passed");
    assert_eq!((req.pts, req.qts, req.date), (100, 10, 1001));
    // The same request until answered.
    assert_eq!(b.get_difference(c.at(600)), Some(req));
    // The difference brings 101 and 102 only (103 happened after the server's answer).
    let d = enums::updates::Difference::Difference(types::updates::Difference {
        new_messages: vec![message(1, peer_user(7)), message(2, peer_user(7))],
        new_encrypted_messages: vec![],
        other_updates: vec![],
        chats: vec![],
        users: vec![],
        state: enums::updates::State::State(state(102, 10, 1005, 51)),
    });
    let out = b.apply_difference(d, c.at(700));
    assert_eq!(
        names(&out.updates),
        ["m1", "m2", "m3"],
        "held update replayed after"
    );
    assert_eq!(b.state().pts, 103);
    assert!(b.get_difference(c.at(800)).is_none());
}

#[test]
fn held_updates_covered_by_the_difference_are_dropped() {
    let c = Clock::new();
    let mut b = ready_box(c.at(0));
    b.process_updates(short(new_msg(2, 102, 1)), c.at(0))
        .unwrap();
    assert!(b.get_difference(c.at(500)).is_some());
    let d = enums::updates::Difference::Difference(types::updates::Difference {
        new_messages: vec![message(1, peer_user(7)), message(2, peer_user(7))],
        new_encrypted_messages: vec![],
        other_updates: vec![],
        chats: vec![],
        users: vec![],
        state: enums::updates::State::State(state(102, 10, 1005, 51)),
    });
    assert_eq!(
        names(&b.apply_difference(d, c.at(600)).updates),
        ["m1", "m2"]
    );
}

#[test]
fn updates_out_of_order_inside_one_container_come_out_sorted() {
    let c = Clock::new();
    let mut b = ready_box(c.at(0));
    let u = combined(
        vec![
            new_msg(3, 103, 1),
            free(5),
            new_msg(1, 101, 1),
            new_msg(2, 102, 1),
        ],
        51,
        51,
    );
    assert_eq!(
        applied(b.process_updates(u, c.at(1))),
        ["free5", "m1", "m2", "m3"]
    );
    assert_eq!((b.state().pts, b.state().seq), (103, 51));
}

#[test]
fn short_forms_become_full_new_message_updates() {
    let c = Clock::new();
    let mut b = ready_box(c.at(0));
    let m = types::UpdateShortMessage {
        out: false,
        mentioned: true,
        media_unread: false,
        silent: false,
        id: 5,
        user_id: 42,
        message: "hello".into(),
        pts: 101,
        pts_count: 1,
        date: 1010,
        fwd_from: None,
        via_bot_id: None,
        reply_to: None,
        entities: None,
        ttl_period: None,
    };
    let out = b
        .process_updates(enums::Updates::UpdateShortMessage(m), c.at(1))
        .unwrap();
    let enums::Update::UpdateNewMessage(u) = &out.updates[0] else {
        panic!("{out:?}")
    };
    let enums::Message::Message(msg) = &*u.message else {
        panic!()
    };
    assert_eq!((u.pts, u.pts_count, msg.id, msg.date), (101, 1, 5, 1010));
    assert_eq!(msg.message, "hello");
    assert!(msg.mentioned && !msg.out);
    assert_eq!(msg.peer_id, peer_user(42));
    assert_eq!(msg.from_id, Some(peer_user(42)));

    let m = types::UpdateShortChatMessage {
        out: true,
        mentioned: false,
        media_unread: false,
        silent: false,
        id: 6,
        from_id: 1,
        chat_id: 77,
        message: "to the group".into(),
        pts: 102,
        pts_count: 1,
        date: 1011,
        fwd_from: None,
        via_bot_id: None,
        reply_to: None,
        entities: None,
        ttl_period: None,
    };
    let out = b
        .process_updates(enums::Updates::UpdateShortChatMessage(m), c.at(2))
        .unwrap();
    let enums::Update::UpdateNewMessage(u) = &out.updates[0] else {
        panic!()
    };
    let enums::Message::Message(msg) = &*u.message else {
        panic!()
    };
    assert_eq!(
        msg.peer_id,
        enums::Peer::PeerChat(types::PeerChat { chat_id: 77 })
    );
    assert_eq!(msg.from_id, Some(peer_user(1)));
    assert!(msg.out);

    let sent = types::UpdateShortSentMessage {
        out: true,
        id: 7,
        pts: 103,
        pts_count: 1,
        date: 1012,
        media: None,
        entities: None,
        ttl_period: None,
    };
    // With the request's context: a whole message.
    let out = b.process_sent_message(sent.clone(), peer_user(42), "sent".into(), c.at(3));
    let enums::Update::UpdateNewMessage(u) = &out.updates[0] else {
        panic!()
    };
    let enums::Message::Message(msg) = &*u.message else {
        panic!()
    };
    assert_eq!((msg.id, msg.message.as_str(), msg.out), (7, "sent", true));
    // Without it: only the id, and its pts still counts (here: already applied).
    assert!(applied(b.process_updates(
        enums::Updates::UpdateShortSentMessage(sent.clone()),
        c.at(4)
    ))
    .is_empty());
    let next = types::UpdateShortSentMessage {
        id: 8,
        pts: 104,
        ..sent
    };
    let out = b
        .process_updates(enums::Updates::UpdateShortSentMessage(next), c.at(5))
        .unwrap();
    assert_eq!(names(&out.updates), ["m8"]);
    assert_eq!(b.state().pts, 104);
}

#[test]
fn seq_containers_already_applied_are_ignored_whole() {
    let c = Clock::new();
    let mut b = ready_box(c.at(0));
    assert_eq!(
        applied(b.process_updates(combined(vec![free(1)], 51, 52), c.at(1))),
        ["free1"]
    );
    assert_eq!(b.state().seq, 52);
    // Re-sent: its free update must not come twice.
    assert!(applied(b.process_updates(combined(vec![free(1)], 51, 52), c.at(2))).is_empty());
    // seq 0 means "no sequence": always applied.
    assert_eq!(
        applied(b.process_updates(combined(vec![free(2)], 0, 0), c.at(3))),
        ["free2"]
    );
}

#[test]
fn a_seq_gap_closes_when_the_missing_container_arrives() {
    let c = Clock::new();
    let mut b = ready_box(c.at(0));
    // seq 52 before 51: its updates are checked by their own pts (free ones delivered).
    assert_eq!(
        applied(b.process_updates(combined(vec![free(2), new_msg(2, 102, 1)], 52, 52), c.at(0))),
        ["free2"]
    );
    assert_eq!(b.state().seq, 50);
    assert_eq!(b.next_deadline(c.at(0)), c.at(500));
    assert_eq!(
        applied(b.process_updates(combined(vec![new_msg(1, 101, 1)], 51, 51), c.at(100))),
        ["m1", "m2"]
    );
    assert_eq!((b.state().seq, b.state().pts), (52, 102));
    assert!(b.get_difference(c.at(1000)).is_none());
}

#[test]
fn a_seq_gap_left_open_needs_a_difference() {
    let c = Clock::new();
    let mut b = ready_box(c.at(0));
    b.process_updates(combined(vec![], 53, 53), c.at(0))
        .unwrap();
    assert!(b.get_difference(c.at(499)).is_none());
    assert!(b.get_difference(c.at(500)).is_some());
    let d = enums::updates::Difference::DifferenceEmpty(types::updates::DifferenceEmpty {
        date: 1100,
        seq: 53,
    });
    assert!(b.apply_difference(d, c.at(600)).updates.is_empty());
    let s = b.state();
    assert_eq!((s.seq, s.date, s.pts), (53, 1100, 100));
    assert!(b.get_difference(c.at(5000)).is_none());
}

#[test]
fn updates_too_long_needs_a_difference_now() {
    let c = Clock::new();
    let mut b = ready_box(c.at(0));
    assert_eq!(
        b.process_updates(enums::Updates::UpdatesTooLong, c.at(1)),
        Err(Gap::Detected)
    );
    assert!(Gap::Detected.to_string().contains("getDifference"));
    assert!(b.get_difference(c.at(1)).is_some());
}

#[test]
fn fifteen_minutes_of_silence_needs_a_difference() {
    let c = Clock::new();
    let mut b = ready_box(c.at(0));
    let quarter = NO_UPDATES_TIMEOUT.as_millis() as u64;
    assert_eq!(b.next_deadline(c.at(0)), c.at(quarter));
    // An update resets the clock.
    b.process_updates(short(free(1)), c.at(60_000)).unwrap();
    assert!(b.get_difference(c.at(quarter)).is_none());
    assert_eq!(b.next_deadline(c.at(quarter)), c.at(60_000 + quarter));
    assert!(b.get_difference(c.at(60_000 + quarter)).is_some());
}

#[test]
fn qts_is_its_own_sequence() {
    let c = Clock::new();
    let mut b = ready_box(c.at(0));
    assert_eq!(
        applied(b.process_updates(short(qts_upd(1, 11)), c.at(0))),
        ["q11"]
    );
    assert!(applied(b.process_updates(short(qts_upd(1, 11)), c.at(1))).is_empty());
    assert!(applied(b.process_updates(short(qts_upd(1, 13)), c.at(2))).is_empty());
    assert_eq!(
        applied(b.process_updates(short(qts_upd(1, 12)), c.at(3))),
        ["q12", "q13"]
    );
    assert_eq!((b.state().qts, b.state().pts), (13, 100));
    // qts 0 is outside the sequence.
    assert_eq!(
        applied(b.process_updates(short(qts_upd(1, 0)), c.at(4))),
        ["q0"]
    );
    // A qts gap left open needs getDifference too.
    b.process_updates(short(qts_upd(1, 20)), c.at(10)).unwrap();
    assert_eq!(b.get_difference(c.at(510)).map(|r| r.qts), Some(13));
}

#[test]
fn without_a_state_updates_pass_unchecked() {
    let c = Clock::new();
    let mut b = MessageBox::new();
    assert!(b.is_empty());
    assert_eq!(
        applied(b.process_updates(short(new_msg(1, 500, 1)), c.at(0))),
        ["m1"]
    );
    assert_eq!(
        applied(b.process_updates(short(new_msg(1, 500, 1)), c.at(1))),
        ["m1"]
    );
    assert!(b.get_difference(c.at(100_000_000)).is_none());
    assert_eq!(b.state().pts, 0);
}

#[test]
fn updates_arriving_while_a_difference_is_in_flight_are_held_and_replayed() {
    let c = Clock::new();
    let mut b = ready_box(c.at(0));
    b.process_updates(enums::Updates::UpdatesTooLong, c.at(0))
        .unwrap_err();
    assert!(b.get_difference(c.at(0)).is_some());
    // While the request is out: 101 (which the difference will also bring) and 102 arrive.
    assert!(applied(b.process_updates(short(new_msg(1, 101, 1)), c.at(10))).is_empty());
    assert!(applied(b.process_updates(short(new_msg(2, 102, 1)), c.at(20))).is_empty());
    // No deadline fires for them while fetching.
    assert!(b.next_deadline(c.at(20)) > c.at(20 + 500));
    let d = enums::updates::Difference::Difference(types::updates::Difference {
        new_messages: vec![message(1, peer_user(7))],
        new_encrypted_messages: vec![],
        other_updates: vec![],
        chats: vec![],
        users: vec![],
        state: enums::updates::State::State(state(101, 10, 1005, 50)),
    });
    assert_eq!(
        names(&b.apply_difference(d, c.at(30)).updates),
        ["m1", "m2"]
    );
    assert_eq!(b.state().pts, 102);
}

#[test]
fn set_state_replays_updates_held_before_it() {
    let c = Clock::new();
    let mut b = ready_box(c.at(0));
    b.process_updates(short(new_msg(3, 103, 1)), c.at(0))
        .unwrap();
    // getState says the account is at 102: 103 follows now.
    b.set_state(state(102, 10, 1000, 50), c.at(100));
    assert_eq!(names(&b.take_ready().updates), ["m3"]);
    assert_eq!(b.state().pts, 103);
    assert!(b.take_ready().is_empty());
}
