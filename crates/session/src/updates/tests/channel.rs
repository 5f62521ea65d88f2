use super::*;
use crate::peers::{NotMetReason, PeerCache, PeerId, PeerNotMet};
use crate::test_tl::{channel, channel_dialog};

const CH: i64 = 900;

fn peers_with(channel_id: i64, hash: i64) -> PeerCache {
    let mut p = PeerCache::new();
    p.absorb_chat(&enums::Chat::Channel(channel(channel_id, hash, "Channel")));
    p
}

/// A box following channel [`CH`] at pts 40.
fn box_with_channel(now: Instant) -> MessageBox {
    let mut b = ready_box(now);
    b.follow_channel(CH, 40, now);
    b
}

fn channel_diff(
    final_: bool,
    pts: i32,
    timeout: Option<i32>,
    new_messages: Vec<enums::Message>,
    other_updates: Vec<enums::Update>,
) -> enums::updates::ChannelDifference {
    enums::updates::ChannelDifference::ChannelDifference(types::updates::ChannelDifference {
        final_,
        pts,
        timeout,
        new_messages,
        other_updates,
        chats: vec![],
        users: vec![],
    })
}

fn input_channel_id(req: &hearth_tl::functions::updates::GetChannelDifference) -> (i64, i64) {
    match &req.channel {
        enums::InputChannel::InputChannel(c) => (c.channel_id, c.access_hash),
        other => panic!("{other:?}"),
    }
}

#[test]
fn channel_updates_follow_their_own_pts() {
    let c = Clock::new();
    let mut b = box_with_channel(c.at(0));
    assert_eq!(
        applied(b.process_updates(short(chan_msg(CH, 1, 41, 1)), c.at(0))),
        ["c900:1"]
    );
    assert!(applied(b.process_updates(short(chan_msg(CH, 1, 41, 1)), c.at(1))).is_empty());
    assert_eq!(b.state().channels[&CH], 41);
    assert_eq!(b.state().pts, 100, "the account pts is untouched");
    // A channel not followed yet is followed from its first update.
    assert_eq!(
        applied(b.process_updates(short(chan_msg(5, 1, 7, 1)), c.at(2))),
        ["c5:1"]
    );
    assert_eq!(b.state().channels[&5], 7);
}

#[test]
fn a_channel_gap_fetches_the_channel_difference_with_the_cached_access_hash() {
    let c = Clock::new();
    let mut b = box_with_channel(c.at(0));
    let peers = peers_with(CH, 4242);
    assert!(applied(b.process_updates(short(chan_msg(CH, 4, 44, 1)), c.at(0))).is_empty());
    assert!(b.get_channel_difference(&peers, c.at(499)).is_none());
    assert!(b.get_difference(c.at(500)).is_none(), "not an account gap");
    let req = b.get_channel_difference(&peers, c.at(500)).unwrap();
    assert_eq!(input_channel_id(&req), (CH, 4242));
    assert_eq!(
        (req.pts, req.limit, req.force),
        (40, USER_CHANNEL_DIFF_LIMIT, false)
    );

    // A first, non-final page: keep fetching.
    let out = b.apply_channel_difference(
        CH,
        channel_diff(
            false,
            42,
            None,
            vec![message(1, peer_channel(CH)), message(2, peer_channel(CH))],
            vec![],
        ),
        c.at(600),
    );
    assert_eq!(names(&out.updates), ["c900:1", "c900:2"]);
    assert_eq!(
        b.get_channel_difference(&peers, c.at(601)).map(|r| r.pts),
        Some(42)
    );
    // The final page; the held update 44 follows it.
    let out = b.apply_channel_difference(
        CH,
        channel_diff(true, 43, None, vec![message(3, peer_channel(CH))], vec![]),
        c.at(700),
    );
    assert_eq!(names(&out.updates), ["c900:3", "c900:4"]);
    assert_eq!(b.state().channels[&CH], 44);
    assert!(b.get_channel_difference(&peers, c.at(800)).is_none());
}

#[test]
fn bots_ask_for_larger_pages() {
    let c = Clock::new();
    let mut b = box_with_channel(c.at(0));
    b.set_bot(true);
    b.request_channel_difference(CH);
    let req = b
        .get_channel_difference(&peers_with(CH, 1), c.at(0))
        .unwrap();
    assert_eq!(req.limit, BOT_CHANNEL_DIFF_LIMIT);
}

#[test]
fn a_channel_without_access_hash_is_skipped_with_a_clear_reason() {
    let c = Clock::new();
    let mut b = box_with_channel(c.at(0));
    b.process_updates(short(chan_msg(CH, 3, 43, 1)), c.at(0))
        .unwrap();
    b.process_updates(short(chan_msg(CH, 4, 44, 1)), c.at(1))
        .unwrap();
    let none = PeerCache::new();
    assert!(b.get_channel_difference(&none, c.at(600)).is_none());
    let notes = b.take_notes();
    assert_eq!(
        notes,
        [Note::ChannelSkipped {
            channel_id: CH,
            reason: SkipReason::NotMet(PeerNotMet::new(PeerId::Channel(CH), NotMetReason::Unknown)),
        }]
    );
    let text = notes[0].to_string();
    assert!(
        text.contains("channel 900") && text.contains("messages.getDialogs"),
        "{text}"
    );
    // The held updates are delivered with the next result, the gap accepted.
    assert_eq!(names(&b.take_ready().updates), ["c900:3", "c900:4"]);
    assert_eq!(b.state().channels[&CH], 44);
    assert_eq!(
        applied(b.process_updates(short(chan_msg(CH, 5, 45, 1)), c.at(700))),
        ["c900:5"]
    );
}

#[test]
fn channel_too_long_asks_at_once_and_follows_unknown_channels_from_its_pts() {
    let c = Clock::new();
    let mut b = box_with_channel(c.at(0));
    let too_long = |channel_id, pts| {
        short(enums::Update::UpdateChannelTooLong(
            types::UpdateChannelTooLong { channel_id, pts },
        ))
    };
    assert!(applied(b.process_updates(too_long(CH, Some(99)), c.at(0))).is_empty());
    let req = b
        .get_channel_difference(&peers_with(CH, 1), c.at(0))
        .unwrap();
    assert_eq!(req.pts, 40, "a followed channel fetches from its own pts");
    b.apply_channel_difference(CH, channel_diff(true, 99, None, vec![], vec![]), c.at(1));

    b.process_updates(too_long(7, Some(70)), c.at(2)).unwrap();
    let req = b
        .get_channel_difference(&peers_with(7, 1), c.at(2))
        .unwrap();
    assert_eq!((input_channel_id(&req).0, req.pts), (7, 70));

    b.process_updates(too_long(8, None), c.at(3)).unwrap();
    assert!(b.take_notes().contains(&Note::ChannelSkipped {
        channel_id: 8,
        reason: SkipReason::NoPts
    }));
    assert!(!b.state().channels.contains_key(&8));
}

#[test]
fn channel_difference_too_long_takes_the_dialog_pts_and_reports_the_messages() {
    let c = Clock::new();
    let mut b = box_with_channel(c.at(0));
    b.request_channel_difference(CH);
    assert!(b
        .get_channel_difference(&peers_with(CH, 1), c.at(0))
        .is_some());
    let d = enums::updates::ChannelDifference::ChannelDifferenceTooLong(
        types::updates::ChannelDifferenceTooLong {
            final_: true,
            timeout: None,
            dialog: channel_dialog(CH, 5000),
            messages: vec![message(4999, peer_channel(CH))],
            chats: vec![],
            users: vec![],
        },
    );
    let out = b.apply_channel_difference(CH, d, c.at(1));
    assert!(
        out.updates.is_empty(),
        "stale history is not delivered as updates"
    );
    assert_eq!(b.state().channels[&CH], 5000);
    let notes = b.take_notes();
    assert!(
        matches!(&notes[..], [Note::ChannelDifferenceTooLong { channel_id: CH, messages }] if messages.len() == 1)
    );
    assert!(b
        .get_channel_difference(&peers_with(CH, 1), c.at(2))
        .is_none());
}

#[test]
fn forbidden_channels_are_dropped_and_busy_ones_retried_later() {
    let c = Clock::new();
    let mut b = box_with_channel(c.at(0));
    b.follow_channel(901, 10, c.at(0));
    let peers = {
        let mut p = peers_with(CH, 1);
        p.absorb_chat(&enums::Chat::Channel(channel(901, 2, "B")));
        p
    };
    b.process_updates(short(chan_msg(CH, 2, 42, 1)), c.at(0))
        .unwrap();
    assert!(b.get_channel_difference(&peers, c.at(500)).is_some());
    assert_eq!(
        ChannelDiffEnd::from_rpc_error("CHANNEL_PRIVATE"),
        Some(ChannelDiffEnd::Forbidden)
    );
    b.end_channel_difference(CH, ChannelDiffEnd::Forbidden, c.at(510));
    assert!(!b.state().channels.contains_key(&CH));
    assert_eq!(
        names(&b.take_ready().updates),
        ["c900:2"],
        "held updates still delivered"
    );

    b.request_channel_difference(901);
    assert_eq!(
        input_channel_id(&b.get_channel_difference(&peers, c.at(600)).unwrap()).0,
        901
    );
    let busy = ChannelDiffEnd::from_rpc_error("PERSISTENT_TIMESTAMP_OUTDATED").unwrap();
    b.end_channel_difference(901, busy, c.at(600));
    assert!(b
        .take_notes()
        .iter()
        .any(|n| n.to_string().contains("retrying")));
    let retry_ms = CHANNEL_RETRY_DELAY.as_millis() as u64;
    assert!(b
        .get_channel_difference(&peers, c.at(600 + retry_ms - 1))
        .is_none());
    assert!(b
        .get_channel_difference(&peers, c.at(600 + retry_ms))
        .is_some());
    assert_eq!(ChannelDiffEnd::from_rpc_error("FLOOD_WAIT_5"), None);
}

#[test]
fn final_timeout_matters_only_for_a_viewed_channel() {
    let c = Clock::new();
    let peers = peers_with(CH, 1);
    let quarter = NO_UPDATES_TIMEOUT.as_millis() as u64;
    for viewing in [false, true] {
        let mut b = box_with_channel(c.at(0));
        b.set_viewing(CH, viewing);
        b.request_channel_difference(CH);
        assert!(b.get_channel_difference(&peers, c.at(0)).is_some());
        b.apply_channel_difference(
            CH,
            channel_diff(true, 40, Some(30), vec![], vec![]),
            c.at(0),
        );
        let expect = if viewing { 30_000 } else { quarter };
        assert!(
            b.get_channel_difference(&peers, c.at(expect - 1)).is_none(),
            "{viewing}"
        );
        assert!(
            b.get_channel_difference(&peers, c.at(expect)).is_some(),
            "{viewing}"
        );
    }
}

#[test]
fn a_silent_channel_is_polled_after_fifteen_minutes() {
    let c = Clock::new();
    let mut b = box_with_channel(c.at(0));
    let quarter = NO_UPDATES_TIMEOUT.as_millis() as u64;
    b.process_updates(short(chan_msg(CH, 1, 41, 1)), c.at(1000))
        .unwrap();
    // The channel's timer runs from its last update.
    let peers = peers_with(CH, 1);
    assert!(b
        .get_channel_difference(&peers, c.at(1000 + quarter - 1))
        .is_none());
    assert_eq!(
        b.get_channel_difference(&peers, c.at(1000 + quarter))
            .map(|r| r.pts),
        Some(41)
    );
}
