use super::*;

#[test]
fn msg_id_checks_use_telegram_codes() {
    let now = 1_700_000_000i64;
    let good = now << 32;
    assert_eq!(check_msg_id(good, now), None);
    assert_eq!(check_msg_id(good + 1, now), Some(18));
    assert_eq!(check_msg_id((now - 301) << 32, now), Some(16));
    assert_eq!(check_msg_id((now + 31) << 32, now), Some(17));
}

#[test]
fn server_msg_ids_grow_and_keep_their_residue() {
    let mut s = SessionState::default();
    let t = UnixTime::from_secs(1_700_000_000);
    let a = s.next_msg_id(t, true);
    let b = s.next_msg_id(t, false);
    let c = s.next_msg_id(t, true);
    assert!(a < b && b < c);
    assert_eq!((a % 4, b % 4, c % 4), (1, 3, 1));
    assert_eq!(
        (s.next_seqno(true), s.next_seqno(false), s.next_seqno(true)),
        (1, 2, 3)
    );
}

#[test]
fn answers_share_containers_up_to_their_bounds_and_a_file_part_goes_alone() {
    let part = (1 << 20) + 12;
    assert_eq!(container_runs([].into_iter()), Vec::<usize>::new());
    assert_eq!(container_runs([40].into_iter()), [1]);
    assert_eq!(container_runs([40, 28, 100].into_iter()), [3]);
    assert_eq!(container_runs([part; 6].into_iter()), [1; 6]);
    assert_eq!(container_runs([40, part, 28, 16].into_iter()), [1, 1, 2]);
    // Exactly full, then one byte over.
    let fill = MAX_CONTAINER_BYTES / 2 - CONTAINER_ITEM_HEADER;
    assert_eq!(container_runs([fill, fill, 4].into_iter()), [2, 1]);
    assert_eq!(container_runs([fill, fill + 1].into_iter()), [1, 1]);
    assert_eq!(container_runs([4; 250].into_iter()), [100, 100, 50]);
}
