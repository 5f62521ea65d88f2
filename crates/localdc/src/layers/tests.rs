//! Each rule with real constructors that changed between layer 133 and the
//! current layer, with the bytes on the current side made by `hearth-tl`.

use hearth_tl::{enums, functions, types, Deserializable, Serializable};

use super::schema::Ty;
use super::value::{read, Object, Value};
use super::*;

fn layer(l: i32) -> &'static Schema {
    let s = schema_for(Some(l)).expect("a stored layer");
    assert_eq!(s.layer, l, "layer {l} is stored");
    s
}

fn obj(v: &Value) -> &Object {
    match v {
        Value::Object(o) => o,
        other => panic!("an object, got {other:?}"),
    }
}

fn id_of(bytes: &[u8]) -> u32 {
    u32::from_le_bytes(bytes[..4].try_into().unwrap())
}

fn a_user() -> enums::User {
    let state = crate::test_support::demo_state([1]);
    let users = state.users();
    let (id, u) = users.iter().next().expect("the demo world has users");
    let mut user = crate::users::tl_user(u, Some(id));
    if let enums::User::User(u) = &mut user {
        // Fields layer 133 lacks: a flags2 bit and a flags2 vector.
        u.premium = true;
        u.stories_unavailable = true;
        u.usernames = Some(vec![]);
    }
    user
}

#[test]
fn every_stored_schema_parses_and_the_choice_is_the_newest_at_or_below() {
    let layers: Vec<i32> = stored_layers().collect();
    assert!(layers.len() >= 40 && layers[0] == 133, "{layers:?}");
    for l in &layers {
        assert_eq!(schema_for(Some(*l)).map(|s| s.layer), Some(*l));
    }
    assert_eq!(schema_for(Some(134)).map(|s| s.layer), Some(133));
    assert_eq!(schema_for(Some(100)).map(|s| s.layer), Some(133));
    assert!(schema_for(Some(CURRENT)).is_none());
    assert!(schema_for(Some(CURRENT + 5)).is_none());
    assert!(schema_for(None).is_none());
}

#[test]
fn a_user_gets_the_old_constructor_with_flags_recomputed_and_new_fields_dropped() {
    let old = layer(133);
    let user = a_user();
    let enums::User::User(u) = &user else {
        panic!("user")
    };
    let answer = vec![user.clone()].to_bytes();
    let out = answer_to(old, "users.getUsers", &answer).unwrap();
    assert_eq!(id_of(&out[8..]), 0x3ff6_ecb0, "layer 133's user#3ff6ecb0");
    let v = read(old, &Ty::Vector(Box::new(Ty::Boxed("User".into()))), &out).unwrap();
    let Value::Vector(items) = v else {
        panic!("vector")
    };
    let got = obj(&items[0]);
    assert_eq!(got.get("id"), Some(&Value::Long(u.id)));
    assert_eq!(
        got.get("access_hash"),
        u.access_hash.map(Value::Long).as_ref()
    );
    assert_eq!(
        got.get("first_name"),
        u.first_name
            .clone()
            .map(|n| Value::Bytes(n.into_bytes()))
            .as_ref()
    );
    assert_eq!(got.get("self"), Some(&Value::True));
    assert!(got.get("premium").is_none() && got.get("usernames").is_none());
    // Flags recomputed: the old flags word has exactly the bits of the
    // fields written (premium's bit 28 did not exist in 133).
    let flags = u32::from_le_bytes(out[12..16].try_into().unwrap());
    assert_eq!(flags & (1 << 28), 0);
    assert_ne!(flags & (1 << 10), 0, "self");
    assert_ne!(flags & 1, 0, "access_hash");
}

#[test]
fn unknown_media_becomes_unsupported_and_dialogs_lose_new_counters() {
    let old = layer(133);
    let mut m = crate::rpc::tl::text_message(
        7,
        true,
        enums::Peer::PeerUser(types::PeerUser { user_id: 5 }),
        1_700_000_000,
        "a story",
    );
    m.media = Some(Box::new(enums::MessageMedia::MessageMediaStory(
        types::MessageMediaStory {
            via_mention: false,
            peer: enums::Peer::PeerUser(types::PeerUser { user_id: 5 }),
            id: 3,
            story: None,
        },
    )));
    m.effect = Some(9);
    let dialog = enums::Dialog::Dialog(types::Dialog {
        pinned: true,
        unread_mark: false,
        view_forum_as_messages: true,
        peer: enums::Peer::PeerUser(types::PeerUser { user_id: 5 }),
        top_message: 7,
        read_inbox_max_id: 7,
        read_outbox_max_id: 6,
        unread_count: 2,
        unread_mentions_count: 1,
        unread_reactions_count: 4,
        unread_poll_votes_count: 3,
        notify_settings: crate::rpc::tl::default_notify_settings(),
        pts: Some(11),
        draft: None,
        folder_id: None,
        ttl_period: None,
    });
    let answer = enums::messages::Dialogs::Dialogs(types::messages::Dialogs {
        dialogs: vec![dialog],
        messages: vec![enums::Message::Message(m)],
        chats: vec![],
        users: vec![],
    })
    .to_bytes();
    let out = answer_to(old, "messages.getDialogs", &answer).unwrap();
    let v = read(old, &Ty::Boxed("messages.Dialogs".into()), &out).unwrap();
    let d = obj(&v);
    let Some(Value::Vector(dialogs)) = d.get("dialogs") else {
        panic!("dialogs")
    };
    let dialog = obj(&dialogs[0]);
    assert_eq!(dialog.name, "dialog");
    assert_eq!(dialog.get("unread_count"), Some(&Value::Int(2)));
    assert_eq!(dialog.get("pinned"), Some(&Value::True));
    assert_eq!(dialog.get("pts"), Some(&Value::Int(11)));
    assert!(dialog.get("unread_reactions_count").is_none());
    let Some(Value::Vector(messages)) = d.get("messages") else {
        panic!("messages")
    };
    let message = obj(&messages[0]);
    assert_eq!(
        message.get("message"),
        Some(&Value::Bytes(b"a story".to_vec()))
    );
    assert!(message.get("effect").is_none());
    assert_eq!(
        obj(message.get("media").unwrap()).name,
        "messageMediaUnsupported"
    );
}

#[test]
fn updates_an_old_layer_never_had_are_left_out() {
    let old = layer(133);
    let story = enums::Update::UpdateStoryId(types::UpdateStoryId {
        id: 1,
        random_id: 2,
    });
    let new_message = enums::Update::UpdateNewMessage(types::UpdateNewMessage {
        message: Box::new(enums::Message::MessageEmpty(types::MessageEmpty {
            id: 4,
            peer_id: None,
        })),
        pts: 5,
        pts_count: 1,
    });
    let pushed = enums::Updates::Updates(types::Updates {
        updates: vec![story.clone(), new_message],
        users: vec![a_user()],
        chats: vec![],
        date: 1,
        seq: 2,
    });
    let out = updates_to(old, &pushed.to_bytes()).unwrap().expect("sent");
    let v = read(old, &Ty::Boxed("Updates".into()), &out).unwrap();
    let Some(Value::Vector(updates)) = obj(&v).get("updates") else {
        panic!("updates")
    };
    let names: Vec<&str> = updates.iter().map(|u| obj(u).name.as_str()).collect();
    assert_eq!(names, ["updateNewMessage"]);
    assert_eq!(obj(&v).get("seq"), Some(&Value::Int(2)));
    // Alone in an updateShort, it is not sent at all.
    let short = enums::Updates::UpdateShort(types::UpdateShort {
        update: Box::new(story),
        date: 1,
    });
    assert_eq!(updates_to(old, &short.to_bytes()), Ok(None));
    // On the current layer nothing is touched.
    assert_eq!(
        push_body(Some(CURRENT), short.to_bytes()),
        Some(short.to_bytes())
    );
}

#[test]
fn update_short_sent_message_keeps_its_shape_in_every_layer() {
    let sent = types::UpdateShortSentMessage {
        out: true,
        id: 9,
        pts: 12,
        pts_count: 1,
        date: 1_700_000_000,
        media: None,
        entities: None,
        ttl_period: Some(60),
    }
    .to_bytes();
    for l in stored_layers() {
        let out = answer_to(layer(l), "messages.sendMessage", &sent).unwrap();
        assert_eq!(
            out, sent,
            "layer {l}: updateShortSentMessage is unchanged since 133"
        );
    }
}

#[test]
fn an_old_request_is_read_in_its_layer_and_written_in_the_current_one() {
    let old = layer(133);
    let send = Value::Object(Object {
        name: "messages.sendMessage".into(),
        fields: vec![
            ("silent".into(), Value::True),
            (
                "peer".into(),
                Value::Object(Object {
                    name: "inputPeerSelf".into(),
                    fields: vec![],
                }),
            ),
            ("message".into(), Value::Bytes(b"hello".to_vec())),
            ("random_id".into(), Value::Long(77)),
        ],
    });
    let init = Value::Object(Object {
        name: "initConnection".into(),
        fields: [
            ("api_id", Value::Int(6)),
            ("device_model", Value::Bytes(b"pc".to_vec())),
            ("system_version", Value::Bytes(b"linux".to_vec())),
            ("app_version", Value::Bytes(b"1.24".to_vec())),
            ("system_lang_code", Value::Bytes(b"en".to_vec())),
            ("lang_pack", Value::Bytes(vec![])),
            ("lang_code", Value::Bytes(b"en".to_vec())),
            ("query", send),
        ]
        .into_iter()
        .map(|(n, v)| (n.to_owned(), v))
        .collect(),
    });
    let outer = Value::Object(Object {
        name: "invokeWithLayer".into(),
        fields: vec![("layer".into(), Value::Int(133)), ("query".into(), init)],
    });
    let mut bytes = Vec::new();
    write::write(old, &Ty::Query, &outer, &mut bytes).unwrap();
    assert_eq!(declared_layer(&bytes), Some(133));
    // Layer 133's sendMessage has another id than the current one.
    assert!(bytes.windows(4).any(|w| w == 0x520c_3870u32.to_le_bytes()));

    let (current, method) = request_to_current(old, &bytes).unwrap();
    assert_eq!(method, "messages.sendMessage");
    let call = functions::InvokeWithLayer::<
        functions::InitConnection<functions::messages::SendMessage>,
    >::from_bytes(&current)
    .expect("readable in the current layer");
    assert_eq!(call.layer, 133);
    let send = call.query.query;
    assert!(send.silent && !send.no_webpage);
    assert_eq!(send.message, "hello");
    assert_eq!(send.random_id, 77);
    assert!(matches!(send.peer, enums::InputPeer::InputPeerSelf));
}

#[test]
fn malformed_requests_are_refused_without_panicking() {
    let old = layer(133);
    for body in [
        &[][..],
        &[1, 2, 3],
        &0xda9b_0d0du32.to_le_bytes(),
        &[0xff; 40],
    ] {
        assert!(request_to_current(old, body).is_err());
    }
    // A vector that claims four billion elements.
    let mut lying = 0x0d91_a548u32.to_le_bytes().to_vec();
    lying.extend_from_slice(&0x1cb5_c415u32.to_le_bytes());
    lying.extend_from_slice(&u32::MAX.to_le_bytes());
    assert!(request_to_current(old, &lying).is_err());
}

#[test]
fn help_get_config_reaches_every_stored_layer() {
    let state = crate::test_support::demo_state([1, 2]);
    let ctx = crate::rpc::RpcCtx {
        state: &state,
        dc_id: 1,
        media_only: false,
        key_id: 0,
        session_id: 0,
        msg_id: 0,
    };
    let config = crate::rpc::help::get_config(&ctx).unwrap();
    for l in stored_layers() {
        let out = answer_to(layer(l), "help.getConfig", &config);
        let out = out.unwrap_or_else(|e| panic!("layer {l}: {e}"));
        let v = read(layer(l), &Ty::Boxed("Config".into()), &out).unwrap();
        assert_eq!(obj(&v).get("this_dc"), Some(&Value::Int(1)), "layer {l}");
    }
}
