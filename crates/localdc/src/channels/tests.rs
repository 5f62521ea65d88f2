use super::*;

fn world() -> World {
    World::parse(
        r#"
[[account]]
name = "a"
phone = "9996621111"
first_name = "A"
[[account]]
name = "b"
phone = "9996622222"
first_name = "B"
[[channel]]
title = "News"
username = "News_Here"
creator = "a"
members = ["b"]
messages = [{ from = "a", text = "one" }, { from = "a", text = "two" }]
[[channel]]
title = "Chat"
creator = "b"
megagroup = true
messages = [{ from = "b", text = "hey" }]
"#,
        "test",
    )
    .unwrap()
}

#[test]
fn world_channels_are_history_without_pts() {
    let all = Channels::from_world(&world(), &[1; 32], 100);
    let news = all.get(FIRST_CHANNEL_ID).unwrap();
    assert!(news.broadcast() && news.is_public());
    assert_eq!(news.pts, 1);
    let texts: Vec<&str> = news.messages.values().map(|m| m.text.as_str()).collect();
    assert_eq!(texts, ["", "one", "two"]);
    assert_eq!(
        news.messages[&1].action,
        Some(Action::Create {
            title: "News".into()
        })
    );
    assert!(news.log.is_empty());
    let chat = all.get(FIRST_CHANNEL_ID + 1).unwrap();
    assert!(chat.megagroup && !chat.is_public() && chat.is_member(1_000_002));
    assert_eq!(
        all.find_username("news_here").map(|c| c.id),
        Some(FIRST_CHANNEL_ID)
    );
}

#[test]
fn one_pts_per_change_shared_by_the_box() {
    let mut all = Channels::from_world(&world(), &[1; 32], 100);
    let ch = all.get_mut(FIRST_CHANNEL_ID).unwrap();
    let m = ch.post(1_000_001, "three", 101, None, true);
    assert_eq!((m.id, m.pts), (4, 2));
    assert_eq!(ch.delete(&[2, 3, 99]), vec![2, 3]);
    assert_eq!(ch.pts, 4);
    assert_eq!(ch.delete(&[99]), Vec::<i32>::new());
    assert_eq!(ch.pts, 4);
    let log: Vec<(i32, i32)> = ch.since(1).map(|e| (e.pts, e.pts_count)).collect();
    assert_eq!(log, vec![(2, 1), (4, 2)]);
    assert_eq!(ch.since(2).count(), 1);
}

#[test]
fn posting_rights_and_read_marks() {
    let mut all = Channels::from_world(&world(), &[1; 32], 100);
    let news = all.get_mut(FIRST_CHANNEL_ID).unwrap();
    assert!(news.can_post(1_000_001) && !news.can_post(1_000_002));
    assert_eq!(news.unread_count(1_000_002), 3);
    assert_eq!(news.read(1_000_002, 2), 2);
    assert_eq!(news.read(1_000_002, 1), 2, "a read mark never moves back");
    assert_eq!(news.unread_count(1_000_002), 1);
    assert_eq!(news.read(1_000_002, 0), 3);
    let chat = all.get(FIRST_CHANNEL_ID + 1).unwrap();
    assert!(chat.can_post(1_000_002) && !chat.can_post(1_000_001));
}

#[test]
fn access_hashes_are_per_viewer_and_meeting_is_recorded() {
    let mut all = Channels::from_world(&world(), &[1; 32], 100);
    let news = all.get(FIRST_CHANNEL_ID).unwrap();
    assert_ne!(news.access_hash_for(1), news.access_hash_for(2));
    assert_eq!(news.access_hash_for(1), news.access_hash_for(1));
    assert!(all.has_met(1_000_002, FIRST_CHANNEL_ID));
    assert!(!all.has_met(1_000_003, FIRST_CHANNEL_ID));
    all.meet(1_000_003, FIRST_CHANNEL_ID);
    assert!(all.has_met(1_000_003, FIRST_CHANNEL_ID));
    let id = all.create(1_000_003, "Mine", "about", true, 200, true);
    assert_eq!(id, FIRST_CHANNEL_ID + 2);
    assert_eq!(
        all.get(id).unwrap().pts,
        2,
        "the create message is an update"
    );
    assert_eq!(all.of_member(1_000_003).count(), 1);
}

#[test]
fn state_serialises() {
    let all = Channels::from_world(&world(), &[1; 32], 100);
    let json = serde_json::to_string(&all).unwrap();
    let back: Channels = serde_json::from_str(&json).unwrap();
    assert_eq!(back.get(FIRST_CHANNEL_ID).unwrap().messages.len(), 3);
}

#[test]
fn usernames_follow_telegrams_rule() {
    for ok in ["hearth", "a1234", "news_2026", &"a".repeat(32)] {
        assert!(valid_username(ok), "{ok}");
    }
    for bad in [
        "abcd",
        "1abcd",
        "_abcd",
        "abcd_",
        "ab-cd",
        "abcdé",
        &"a".repeat(33),
    ] {
        assert!(!valid_username(bad), "{bad}");
    }
}

#[test]
fn an_edit_takes_one_pts_and_is_logged() {
    let mut all = Channels::from_world(&world(), &[1; 32], 100);
    let news = all.get_mut(FIRST_CHANNEL_ID).unwrap();
    let m = news.edit(2, "one, edited", 200).unwrap();
    assert_eq!((m.text.as_str(), m.edit_date), ("one, edited", Some(200)));
    assert_eq!(news.messages[&2].edit_date, Some(200));
    assert_eq!(news.pts, 2);
    let log: Vec<&PtsEvent> = news.since(1).collect();
    assert_eq!(
        log,
        [&PtsEvent {
            pts: 2,
            pts_count: 1,
            event: Event::Edit { id: 2 }
        }]
    );
    assert!(news.edit(99, "nothing", 201).is_none());
    assert_eq!(news.pts, 2);
}

#[test]
fn world_messages_keep_their_media() {
    let w = World::parse(
        r#"
[[account]]
name = "a"
phone = "9996621111"
first_name = "A"
[[channel]]
title = "Pics"
creator = "a"
megagroup = true
messages = [{ from = "a", text = "look", photo = "tree" }, { from = "a", text = "plain" }]
"#,
        "test",
    )
    .unwrap();
    let all = Channels::from_world(&w, &[1; 32], 100);
    let ch = all.get(FIRST_CHANNEL_ID).unwrap();
    let expected = w.channels[0].messages[0].media_id();
    assert!(expected.is_some());
    assert_eq!(ch.messages[&2].document, expected);
    assert_eq!(ch.messages[&3].document, None);
    assert_eq!((ch.pts, ch.messages[&2].pts), (1, 0));
}

#[test]
fn a_deleted_channel_has_no_members_but_stays_met() {
    let mut all = Channels::from_world(&world(), &[1; 32], 100);
    let b = all.get(FIRST_CHANNEL_ID).unwrap().creator + 1;
    let mut gone = all.delete_channel(FIRST_CHANNEL_ID);
    gone.sort_unstable();
    assert_eq!(gone.len(), 2);
    let ch = all.get(FIRST_CHANNEL_ID).unwrap();
    assert!(ch.deleted && ch.members.is_empty() && ch.username.is_none());
    assert!(all.has_met(b, FIRST_CHANNEL_ID));
    assert!(all.of_member(b).all(|c| c.id != FIRST_CHANNEL_ID));
    assert!(all.find_username("News_Here").is_none());
    assert!(all.delete_channel(12345).is_empty());
}
