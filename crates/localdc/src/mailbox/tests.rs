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

#[test]
fn chat_posts_land_in_every_members_box_with_own_ids() {
    let mut boxes = Mailboxes::default();
    boxes.send(2, 3, "earlier", 1, None);
    let copies = boxes.post_to_chat(1, 77, &[1, 2, 3], "hello", None, 5, true);
    let ids: Vec<(i64, i32, i32, bool)> = copies
        .iter()
        .map(|(u, m)| (*u, m.id, m.pts, m.out))
        .collect();
    assert_eq!(
        ids,
        vec![(1, 1, 2, true), (2, 2, 3, false), (3, 2, 3, false)]
    );
    assert!(copies.iter().all(|(_, m)| m.peer == Peer::Chat(77)));
    let origin = copies[0].1.origin;
    assert_eq!(boxes.copies(origin), vec![(1, 1), (2, 2), (3, 2)]);
    assert_eq!(boxes.copy_in(3, origin), Some(2));
    assert_eq!(boxes.copy_in(4, origin), None);
}

#[test]
fn chat_media_posts_carry_their_media_in_every_copy() {
    let mut boxes = Mailboxes::default();
    let copies = boxes.post_media_to_chat(1, 77, &[1, 2], ("caption", None, Some(42)), 5, true);
    assert_eq!(copies.len(), 2);
    for (user, m) in &copies {
        assert_eq!((m.document, m.text.as_str()), (Some(42), "caption"));
        assert_eq!(boxes.get(*user).and_then(|b| b.message(m.id)), Some(m));
    }
}

#[test]
fn edits_deletions_and_reads_are_pts_events_in_order() {
    let mut boxes = Mailboxes::default();
    boxes.send(1, 2, "a", 1, None);
    boxes.send(1, 2, "b", 1, None);
    boxes.send(1, 2, "c", 1, None);
    let b = boxes.get_mut(2);
    assert_eq!((b.pts, b.unread_count(Peer::User(1))), (4, 3));
    let (edited, pts) = b.edit(1, "A", 9).unwrap();
    assert_eq!(
        (edited.text.as_str(), edited.edit_date, pts),
        ("A", Some(9), 5)
    );
    assert!(b.edit(42, "x", 9).is_none());
    let read = b.read_inbox(Peer::User(1), 2).unwrap();
    assert_eq!((read.pts, read.max_id, read.still_unread), (6, 2, 1));
    assert_eq!(
        read.newly_read.iter().map(|m| m.id).collect::<Vec<_>>(),
        vec![1, 2]
    );
    assert!(
        b.read_inbox(Peer::User(1), 1).is_none(),
        "marks never go back"
    );
    let (gone, pts) = b.delete(&[2, 3, 99]).unwrap();
    assert_eq!((gone, pts), (vec![2, 3], 8));
    assert!(b.delete(&[2]).is_none());
    assert_eq!(b.unread_count(Peer::User(1)), 0);
    let kinds: Vec<(i32, i32)> = b.since(4).map(|e| (e.pts, e.pts_count)).collect();
    assert_eq!(kinds, vec![(5, 1), (6, 1), (8, 2)]);
    assert!(
        matches!(b.since(6).next().map(|e| &e.change), Some(Change::Delete { ids }) if ids == &vec![2, 3])
    );
    // Ids are never reused after a deletion.
    let (_, again) = boxes.send(1, 2, "d", 1, None);
    assert_eq!(again.unwrap().id, 4);
    let a = boxes.get_mut(1);
    assert_eq!(
        a.read_outbox(Peer::User(2), 2),
        Some(6),
        "four sends, then the mark"
    );
    assert_eq!(a.read_outbox(Peer::User(2), 2), None);
    assert_eq!(a.marks(Peer::User(2)).outbox, 2);
}

#[test]
fn world_history_is_read_and_has_no_events() {
    let world = World::parse(
        "[[account]]\nname=\"a\"\nphone=\"9996621111\"\nfirst_name=\"A\"\n\
         [[account]]\nname=\"b\"\nphone=\"9996621112\"\nfirst_name=\"B\"\n\
         [[private_chat]]\nmembers=[\"a\",\"b\"]\nmessages=[{from=\"a\",text=\"x\"}]\n\
         [[group]]\ntitle=\"g\"\ncreator=\"a\"\nmembers=[\"a\",\"b\"]\n\
         messages=[{from=\"b\",text=\"y\"}]\n",
        "t.toml",
    )
    .unwrap();
    let boxes = Mailboxes::from_world(&world, 3);
    let b = boxes.get(1_000_002).unwrap();
    assert_eq!((b.pts, b.events.len()), (1, 0));
    let chat = Peer::Chat(crate::chats::world_chat_id(0));
    let kinds: Vec<(i32, Peer, bool, bool)> = b
        .messages
        .iter()
        .map(|m| (m.id, m.peer, m.out, m.action.is_some()))
        .collect();
    assert_eq!(
        kinds,
        vec![
            (1, Peer::User(1_000_001), false, false),
            (2, chat, false, true),
            (3, chat, true, false)
        ]
    );
    assert_eq!(
        b.unread_count(chat) + b.unread_count(Peer::User(1_000_001)),
        0
    );
    assert_eq!(b.marks(chat).inbox, 3);
}

#[test]
fn boxes_and_chats_survive_a_json_round_trip() {
    let mut boxes = Mailboxes::default();
    boxes.send(1, 2, "a", 1, Some(9));
    boxes.post_to_chat(
        1,
        77,
        &[1, 2],
        "",
        Some(ServiceAction::ChatAddUser { users: vec![2] }),
        2,
        true,
    );
    boxes.get_mut(2).read_inbox(Peer::User(1), 0);
    let json = serde_json::to_string(&boxes).expect("boxes serialise");
    let back: Mailboxes = serde_json::from_str(&json).expect("boxes deserialise");
    let (a, b) = (boxes.get(2).unwrap(), back.get(2).unwrap());
    assert_eq!(
        (&a.messages, &a.events, &a.reads, a.pts),
        (&b.messages, &b.events, &b.reads, b.pts)
    );
    let mut chats = crate::chats::Chats::default();
    chats.create("t", 1, &[2], 3);
    let json = serde_json::to_string(&chats).expect("chats serialise");
    let back: crate::chats::Chats = serde_json::from_str(&json).expect("chats deserialise");
    assert_eq!(back.get(4_000_001), chats.get(4_000_001));
}

#[test]
fn new_members_get_the_last_messages_as_read_history() {
    let mut boxes = Mailboxes::default();
    boxes.post_to_chat(
        1,
        77,
        &[1, 2],
        "",
        Some(ServiceAction::ChatCreate {
            title: "t".into(),
            users: vec![1, 2],
        }),
        1,
        true,
    );
    for text in ["one", "two", "three"] {
        boxes.post_to_chat(2, 77, &[1, 2], text, None, 2, true);
    }
    assert_eq!(boxes.share_history(1, 3, 77, 2), 2);
    let b = boxes.get(3).unwrap();
    let got: Vec<(&str, bool, i32)> = b
        .messages
        .iter()
        .map(|m| (m.text.as_str(), m.out, m.pts))
        .collect();
    assert_eq!(got, vec![("two", false, 0), ("three", false, 0)]);
    assert_eq!((b.pts, b.unread_count(Peer::Chat(77))), (1, 0));
    // The copies share their origin: later edits reach them.
    let origin = boxes.get(1).unwrap().messages[3].origin;
    assert_eq!(boxes.copy_in(3, origin), Some(2));
    assert_eq!(
        boxes.share_history(1, 4, 78, 5),
        0,
        "nothing in another chat"
    );
}

#[test]
fn world_group_messages_keep_their_media() {
    let world = World::parse(
        "[[account]]\nname=\"a\"\nphone=\"9996621111\"\nfirst_name=\"A\"\n\
         [[account]]\nname=\"b\"\nphone=\"9996621112\"\nfirst_name=\"B\"\n\
         [[group]]\ntitle=\"g\"\ncreator=\"a\"\nmembers=[\"a\",\"b\"]\n\
         messages=[{from=\"b\",text=\"doc\",document={name=\"n.txt\",mime=\"text/plain\",text=\"t\"}},\
         {from=\"a\",text=\"plain\"}]\n",
        "t.toml",
    )
    .unwrap();
    let expected = world.groups[0].messages[0].media_id();
    assert!(expected.is_some());
    let boxes = Mailboxes::from_world(&world, 3);
    for user in [1_000_001, 1_000_002] {
        let media: Vec<Option<i64>> = boxes
            .get(user)
            .unwrap()
            .messages
            .iter()
            .map(|m| m.document)
            .collect();
        assert_eq!(media, [None, expected, None], "box of {user}");
    }
}
