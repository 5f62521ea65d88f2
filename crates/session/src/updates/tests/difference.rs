use super::*;

fn difference(
    new_messages: Vec<enums::Message>,
    other_updates: Vec<enums::Update>,
    s: types::updates::State,
    slice: bool,
) -> enums::updates::Difference {
    let state = enums::updates::State::State(s);
    if slice {
        enums::updates::Difference::DifferenceSlice(types::updates::DifferenceSlice {
            new_messages,
            new_encrypted_messages: vec![],
            other_updates,
            chats: vec![],
            users: vec![],
            intermediate_state: state,
        })
    } else {
        enums::updates::Difference::Difference(types::updates::Difference {
            new_messages,
            new_encrypted_messages: vec![],
            other_updates,
            chats: vec![],
            users: vec![],
            state,
        })
    }
}

fn edit(id: i32, pts: i32) -> enums::Update {
    enums::Update::UpdateEditMessage(types::UpdateEditMessage {
        message: Box::new(message(id, peer_user(7))),
        pts,
        pts_count: 1,
    })
}

#[test]
fn a_slice_keeps_fetching_from_its_intermediate_state() {
    let c = Clock::new();
    let mut b = ready_box(c.at(0));
    b.request_difference();
    assert_eq!(b.get_difference(c.at(0)).unwrap().pts, 100);
    let out = b.apply_difference(
        difference(
            vec![message(1, peer_user(7))],
            vec![],
            state(150, 10, 1010, 55),
            true,
        ),
        c.at(1),
    );
    assert_eq!(names(&out.updates), ["m1"]);
    let next = b.get_difference(c.at(2)).expect("a slice is not the end");
    assert_eq!((next.pts, next.date, next.qts), (150, 1010, 10));
    b.apply_difference(
        difference(
            vec![message(2, peer_user(7))],
            vec![],
            state(160, 11, 1020, 56),
            false,
        ),
        c.at(3),
    );
    assert!(b.get_difference(c.at(4)).is_none());
    let s = b.state();
    assert_eq!((s.pts, s.qts, s.date, s.seq), (160, 11, 1020, 56));
}

#[test]
fn too_long_sets_pts_reports_it_and_keeps_fetching() {
    let c = Clock::new();
    let mut b = ready_box(c.at(0));
    b.request_difference();
    let d = enums::updates::Difference::DifferenceTooLong(types::updates::DifferenceTooLong {
        pts: 5000,
    });
    assert!(b.apply_difference(d, c.at(1)).updates.is_empty());
    assert_eq!(b.state().pts, 5000);
    let notes = b.take_notes();
    assert_eq!(notes, [Note::DifferenceTooLong { pts: 5000 }]);
    assert!(notes[0].to_string().contains("reload the dialogs"));
    assert_eq!(b.get_difference(c.at(2)).map(|r| r.pts), Some(5000));
}

#[test]
fn empty_sets_date_and_seq_only() {
    let c = Clock::new();
    let mut b = ready_box(c.at(0));
    b.request_difference();
    let d = enums::updates::Difference::DifferenceEmpty(types::updates::DifferenceEmpty {
        date: 2000,
        seq: 60,
    });
    b.apply_difference(d, c.at(1));
    let s = b.state();
    assert_eq!((s.pts, s.qts, s.date, s.seq), (100, 10, 2000, 60));
    assert!(b.get_difference(c.at(2)).is_none());
}

#[test]
fn new_messages_come_before_other_updates_and_channel_updates_are_checked() {
    let c = Clock::new();
    let mut b = ready_box(c.at(0));
    b.follow_channel(900, 40, c.at(0));
    b.follow_channel(901, 10, c.at(0));
    b.request_difference();
    let out = b.apply_difference(
        difference(
            vec![message(1, peer_user(7)), message(2, peer_user(7))],
            vec![
                edit(1, 103),
                chan_msg(900, 5, 40, 1), // already applied in channel 900
                chan_msg(900, 6, 41, 1), // next in channel 900
                free(3),
                enums::Update::UpdateChannelTooLong(types::UpdateChannelTooLong {
                    channel_id: 901,
                    pts: None,
                }),
            ],
            state(103, 10, 1010, 50),
            false,
        ),
        c.at(1),
    );
    assert_eq!(
        names(&out.updates),
        ["m1", "m2", "?", "c900:6", "free3"],
        "messages, then the edit, the new channel message and the free update"
    );
    assert_eq!(b.state().channels[&900], 41);
    // updateChannelTooLong asks for channel 901's difference at once.
    let mut peers = crate::peers::PeerCache::new();
    peers.absorb_chat(&enums::Chat::Channel(crate::test_tl::channel(
        901, 9010, "C",
    )));
    let req = b.get_channel_difference(&peers, c.at(2)).unwrap();
    assert_eq!(req.pts, 10);
}

#[test]
fn a_loaded_state_catches_up_with_a_difference_at_once() {
    let c = Clock::new();
    let mut saved = UpdateState {
        pts: 300,
        qts: 30,
        date: 3000,
        seq: 33,
        ..UpdateState::default()
    };
    saved.channels.insert(900, 77);
    let mut b = MessageBox::load(saved.clone(), c.at(0));
    assert!(!b.is_empty());
    assert_eq!(b.state(), saved);
    let req = b
        .get_difference(c.at(0))
        .expect("catch up after being offline");
    assert_eq!((req.pts, req.qts, req.date), (300, 30, 3000));
    // Updates pushed meanwhile wait for the difference.
    assert!(applied(b.process_updates(short(new_msg(9, 302, 1)), c.at(5))).is_empty());
    let out = b.apply_difference(
        difference(
            vec![message(8, peer_user(7))],
            vec![],
            state(301, 30, 3100, 34),
            false,
        ),
        c.at(10),
    );
    assert_eq!(names(&out.updates), ["m8", "m9"]);
    assert_eq!(b.state().pts, 302);
}
