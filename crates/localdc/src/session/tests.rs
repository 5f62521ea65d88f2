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
