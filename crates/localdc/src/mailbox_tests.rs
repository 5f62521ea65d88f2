use super::*;

#[test]
fn each_box_numbers_its_own_messages_and_pts() {
    let mut boxes = Mailboxes::default();
    let (a1, b1) = boxes.send(1, 2, "hi", 100, None);
    let b1 = b1.unwrap();
    assert_eq!((a1.id, a1.pts, a1.out), (1, 2, true));
    assert_eq!(
        (b1.id, b1.pts, b1.out, b1.peer),
        (1, 2, false, Peer::User(1))
    );
    let (own, none) = boxes.send(1, 1, "note", 101, None);
    assert!(none.is_none());
    assert_eq!((own.id, own.pts, own.peer), (2, 3, Peer::User(1)));
    assert_eq!(boxes.get(2).unwrap().pts, 2);
    assert!(boxes.has_met(2, 1) && !boxes.has_met(1, 3));
    assert_eq!(boxes.get(1).unwrap().since(2).count(), 1);
    let dialogs: Vec<Peer> = boxes
        .get(1)
        .unwrap()
        .dialogs()
        .iter()
        .map(|m| m.peer)
        .collect();
    assert_eq!(dialogs, vec![Peer::User(1), Peer::User(2)]);
}
