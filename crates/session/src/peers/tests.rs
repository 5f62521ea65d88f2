use hearth_tl::{enums, types};

use super::*;
use crate::test_tl::{boxed_user, channel, user, username};

fn named(id: i64, hash: i64, first: &str, name: Option<&str>) -> enums::User {
    let mut u = user(id, hash);
    u.first_name = Some(first.into());
    u.username = name.map(Into::into);
    boxed_user(u)
}

fn min_user(id: i64, hash: i64, first: &str) -> enums::User {
    let mut u = user(id, hash);
    u.min = true;
    u.first_name = Some(first.into());
    boxed_user(u)
}

fn hash_of(c: &PeerCache, id: PeerId) -> Option<i64> {
    match c.input_peer(id) {
        Ok(enums::InputPeer::InputPeerUser(p)) => Some(p.access_hash),
        Ok(enums::InputPeer::InputPeerChannel(p)) => Some(p.access_hash),
        _ => None,
    }
}

#[test]
fn min_user_never_overwrites_a_full_hash_but_updates_names() {
    let mut c = PeerCache::new();
    c.absorb_user(&named(10, 111, "Ann", Some("ann")));
    c.absorb_user(&min_user(10, 999, "Annie"));
    let p = c.get(PeerId::User(10)).unwrap();
    assert_eq!((p.access_hash, p.min), (Some(111), false));
    assert_eq!(p.title, "Annie");
    assert_eq!(
        p.username.as_deref(),
        Some("ann"),
        "min without username keeps it"
    );
    assert_eq!(hash_of(&c, PeerId::User(10)), Some(111));
}

#[test]
fn min_only_peer_cannot_be_addressed_until_a_full_one_arrives() {
    let mut c = PeerCache::new();
    c.absorb_user(&min_user(20, 555, "Bob"));
    let err = c.input_peer(PeerId::User(20)).unwrap_err();
    assert_eq!(err.reason, NotMetReason::MinOnly);
    assert!(c.get(PeerId::User(20)).unwrap().min);
    // A newer min hash replaces an older min hash.
    c.absorb_user(&min_user(20, 556, "Bob"));
    assert_eq!(c.get(PeerId::User(20)).unwrap().access_hash, Some(556));
    c.absorb_user(&named(20, 777, "Bob", None));
    assert_eq!(hash_of(&c, PeerId::User(20)), Some(777));
    assert!(!c.get(PeerId::User(20)).unwrap().min);
}

#[test]
fn full_user_without_hash_keeps_the_known_one() {
    let mut c = PeerCache::new();
    c.absorb_user(&named(30, 333, "Cy", None));
    let mut u = user(30, 0);
    u.access_hash = None;
    u.first_name = Some("Cyrus".into());
    c.absorb_user(&boxed_user(u));
    assert_eq!(hash_of(&c, PeerId::User(30)), Some(333));
    assert_eq!(c.get(PeerId::User(30)).unwrap().title, "Cyrus");
}

#[test]
fn usernames_are_indexed_case_insensitively_and_follow_changes() {
    let mut c = PeerCache::new();
    let mut u = user(40, 1);
    u.username = Some("Dora".into());
    u.usernames = Some(vec![
        username("dora", true), // the main one again, in another case
        username("dora_collectible", true),
        username("dora_old", false),
    ]);
    c.absorb_user(&boxed_user(u));
    let p = c.get(PeerId::User(40)).unwrap();
    assert_eq!(p.username.as_deref(), Some("Dora"));
    assert_eq!(p.usernames, ["dora_collectible"]);
    for q in ["dora", "@DORA", " @Dora_Collectible "] {
        assert_eq!(
            c.by_username(q).map(|p| p.id),
            Some(PeerId::User(40)),
            "{q}"
        );
    }
    assert!(
        c.by_username("dora_old").is_none(),
        "inactive usernames do not resolve"
    );
    assert!(c.by_username("@").is_none());

    // Renamed: the old names no longer resolve.
    c.absorb_user(&named(40, 1, "Dora", Some("explorer")));
    assert!(c.by_username("dora").is_none());
    assert!(c.by_username("dora_collectible").is_none());
    assert_eq!(c.by_username("Explorer").unwrap().id, PeerId::User(40));
    // Removed.
    c.absorb_user(&named(40, 1, "Dora", None));
    assert!(c.by_username("explorer").is_none());
    // Only a list of usernames (no main one): its first active one is the main one.
    let mut u = user(40, 1);
    u.usernames = Some(vec![username("gone", false), username("second", true)]);
    c.absorb_user(&boxed_user(u));
    assert_eq!(
        c.get(PeerId::User(40)).unwrap().username.as_deref(),
        Some("second")
    );
}

#[test]
fn a_username_moving_to_another_peer_resolves_to_the_new_owner() {
    let mut c = PeerCache::new();
    c.absorb_user(&named(1, 1, "A", Some("shared")));
    c.absorb_user(&named(2, 2, "B", Some("shared")));
    assert_eq!(c.by_username("shared").unwrap().id, PeerId::User(2));
    // The old owner's next update (without it) must not remove the new owner's entry.
    c.absorb_user(&named(1, 1, "A", None));
    assert_eq!(c.by_username("shared").unwrap().id, PeerId::User(2));
}

#[test]
fn phones_are_indexed_by_digits_and_reindexed() {
    let mut c = PeerCache::new();
    let mut u = user(50, 5);
    u.phone = Some("15550102030".into());
    c.absorb_user(&boxed_user(u.clone()));
    assert_eq!(
        c.by_phone("+1 (555) 010-2030").unwrap().id,
        PeerId::User(50)
    );
    assert!(c.by_phone("no digits").is_none());
    u.phone = Some("15550109999".into());
    c.absorb_user(&boxed_user(u.clone()));
    assert!(c.by_phone("15550102030").is_none());
    assert!(c.by_phone("+15550109999").is_some());
    // A min constructor without the phone does not clear it.
    let mut m = u.clone();
    m.min = true;
    m.phone = None;
    c.absorb_user(&boxed_user(m));
    assert!(c.by_phone("15550109999").is_some());
    // A full one without it does (hidden by privacy settings).
    u.phone = None;
    c.absorb_user(&boxed_user(u));
    assert!(c.by_phone("15550109999").is_none());
    // updateUserPhone.
    assert!(
        c.apply_update(&enums::Update::UpdateUserPhone(types::UpdateUserPhone {
            user_id: 50,
            phone: "4930123".into(),
        }))
    );
    assert_eq!(c.by_phone("4930123").unwrap().id, PeerId::User(50));
}

#[test]
fn update_user_name_renames_and_reindexes() {
    let mut c = PeerCache::new();
    c.absorb_user(&named(60, 6, "Eve", Some("eve")));
    c.apply_update(&enums::Update::UpdateUserName(types::UpdateUserName {
        user_id: 60,
        first_name: "Eve".into(),
        last_name: "Smith".into(),
        usernames: vec![username("eve_s", true)],
    }));
    assert_eq!(c.get(PeerId::User(60)).unwrap().title, "Eve Smith");
    assert!(c.by_username("eve").is_none());
    assert_eq!(c.by_username("eve_s").unwrap().id, PeerId::User(60));
    // Unknown users are not invented from updates.
    c.apply_update(&enums::Update::UpdateUserPhone(types::UpdateUserPhone {
        user_id: 61,
        phone: "1".into(),
    }));
    assert!(c.get(PeerId::User(61)).is_none());
}

#[test]
fn user_empty_marks_the_user_deleted_and_unindexes_it() {
    let mut c = PeerCache::new();
    c.absorb_user(&named(70, 7, "Fay", Some("fay")));
    c.absorb_user(&enums::User::UserEmpty(types::UserEmpty { id: 70 }));
    let p = c.get(PeerId::User(70)).unwrap();
    assert!(p.deleted);
    assert!(c.by_username("fay").is_none());
    assert_eq!(hash_of(&c, PeerId::User(70)), Some(7));
    // An unknown userEmpty teaches nothing.
    c.absorb_user(&enums::User::UserEmpty(types::UserEmpty { id: 71 }));
    assert!(c.get(PeerId::User(71)).is_none());
}

#[test]
fn groups_and_forbidden_peers() {
    let mut c = PeerCache::new();
    let mut ch = channel(80, 8080, "News");
    ch.username = Some("news".into());
    c.absorb_chat(&enums::Chat::Channel(ch.clone()));
    assert_eq!(c.get(PeerId::Channel(80)).unwrap().kind, PeerKind::Channel);
    c.absorb_chat(&enums::Chat::ChannelForbidden(types::ChannelForbidden {
        broadcast: true,
        megagroup: false,
        monoforum: false,
        id: 80,
        access_hash: 8081,
        title: "News".into(),
        until_date: None,
    }));
    let p = c.get(PeerId::Channel(80)).unwrap();
    assert!(p.deleted);
    assert!(c.by_username("news").is_none());
    match c.input_channel(80).unwrap() {
        enums::InputChannel::InputChannel(i) => assert_eq!(i.access_hash, 8081),
        other => panic!("{other:?}"),
    }
    // Rejoined: usable again.
    c.absorb_chat(&enums::Chat::Channel(ch));
    assert!(!c.get(PeerId::Channel(80)).unwrap().deleted);

    let mut mega = channel(81, 1, "Talk");
    mega.megagroup = true;
    c.absorb_chat(&enums::Chat::Channel(mega.clone()));
    assert_eq!(
        c.get(PeerId::Channel(81)).unwrap().kind,
        PeerKind::Megagroup
    );
    mega.gigagroup = true;
    c.absorb_chat(&enums::Chat::Channel(mega));
    assert_eq!(
        c.get(PeerId::Channel(81)).unwrap().kind,
        PeerKind::Gigagroup
    );

    c.absorb_chat(&enums::Chat::ChatForbidden(types::ChatForbidden {
        id: 90,
        title: "Old group".into(),
    }));
    let g = c.get(PeerId::Chat(90)).unwrap();
    assert!(g.deleted && g.kind == PeerKind::Chat && g.title == "Old group");
    c.absorb_chat(&enums::Chat::ChatEmpty(types::ChatEmpty { id: 90 }));
    // Basic groups need no access hash, met or not.
    assert!(matches!(
        c.input_peer(PeerId::Chat(12345)),
        Ok(enums::InputPeer::InputPeerChat(types::InputPeerChat {
            chat_id: 12345
        }))
    ));
}

#[test]
fn min_channel_keeps_the_full_hash() {
    let mut c = PeerCache::new();
    c.absorb_chat(&enums::Chat::Channel(channel(82, 1000, "Club")));
    let mut m = channel(82, 2000, "Club renamed");
    m.min = true;
    c.absorb_chat(&enums::Chat::Channel(m));
    let p = c.get(PeerId::Channel(82)).unwrap();
    assert_eq!((p.access_hash, p.min), (Some(1000), false));
    assert_eq!(p.title, "Club renamed");
}

#[test]
fn self_user_is_recognised() {
    let mut c = PeerCache::new();
    let mut me = user(100, 42);
    me.self_ = true;
    me.first_name = Some("Me".into());
    c.absorb_user(&boxed_user(me));
    assert_eq!(c.self_id(), Some(100));
    assert!(c.get(PeerId::User(100)).unwrap().is_self());
    assert_eq!(
        c.input_peer(PeerId::User(100)),
        Ok(enums::InputPeer::InputPeerSelf)
    );
    assert_eq!(c.input_user(100), Ok(enums::InputUser::InputUserSelf));
    // A min copy of oneself (without the self flag) keeps the kind.
    c.absorb_user(&min_user(100, 1, "Me"));
    assert!(c.get(PeerId::User(100)).unwrap().is_self());
    // Another account signs in on this cache: the old self becomes a plain user.
    c.set_self(200);
    assert_eq!(c.get(PeerId::User(100)).unwrap().kind, PeerKind::User);
    assert_eq!(c.self_id(), Some(200));
}

#[test]
fn peer_not_met_names_the_peer_and_the_ways_to_meet_it() {
    let c = PeerCache::new();
    let err = c.input_user(12345).unwrap_err();
    assert_eq!(
        err,
        PeerNotMet::new(PeerId::User(12345), NotMetReason::Unknown)
    );
    let text = err.to_string();
    for needle in [
        "user 12345",
        "PEER_ID_INVALID",
        "messages.getDialogs",
        "@username",
        "contacts.resolveUsername",
        "message",
        "channels.getParticipants",
        "contacts by its phone number",
    ] {
        assert!(text.contains(needle), "{needle:?} missing in: {text}");
    }
    let err = c.input_channel(77).unwrap_err();
    let text = err.to_string();
    assert!(
        text.contains("channel 77") && text.contains("-1000000000077"),
        "{text}"
    );
    assert!(text.contains("invite link"), "{text}");
}

#[test]
fn take_changed_reports_each_real_change_once() {
    let mut c = PeerCache::new();
    c.absorb(
        &[named(1, 1, "A", None), named(2, 2, "B", None)],
        &[enums::Chat::Channel(channel(3, 3, "C"))],
    );
    let ids: Vec<PeerId> = c.take_changed().into_iter().map(|p| p.id).collect();
    assert_eq!(ids, [PeerId::User(1), PeerId::User(2), PeerId::Channel(3)]);
    assert!(c.take_changed().is_empty());
    // The same data again is no change.
    c.absorb_user(&named(1, 1, "A", None));
    assert!(c.take_changed().is_empty());
    c.absorb_user(&named(1, 1, "A2", None));
    c.absorb_user(&named(1, 1, "A3", None));
    let changed = c.take_changed();
    assert_eq!(changed.len(), 1);
    assert_eq!(changed[0].title, "A3");

    // Loading from storage is not a change, and restores the indexes and self.
    let mut loaded = PeerCache::new();
    let mut me = PeerInfo::new(PeerId::User(9), PeerKind::SelfUser);
    me.username = Some("me".into());
    loaded.load(c.iter().cloned().chain([me]));
    assert!(loaded.take_changed().is_empty());
    assert_eq!(loaded.self_id(), Some(9));
    assert_eq!(loaded.by_username("ME").unwrap().id, PeerId::User(9));
    assert_eq!(loaded.len(), 4);
}
