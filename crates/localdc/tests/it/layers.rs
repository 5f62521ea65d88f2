//! A client on an older layer (`localdc::layers`): once a session declares
//! layer 133 with `invokeWithLayer`, its requests are read in that layer and
//! every answer comes in constructors it knows.

use crate::common::account::*;
use crate::common::*;
use localdc::layers::schema::{Schema, Ty};
use localdc::layers::value::{read, Object, Value};
use localdc::layers::{schema_for, write::write};

const ALICE: i64 = 1_000_001;

fn obj(name: &str, fields: Vec<(&str, Value)>) -> Value {
    Value::Object(Object {
        name: name.to_owned(),
        fields: fields.into_iter().map(|(n, v)| (n.to_owned(), v)).collect(),
    })
}

/// A call written with `old`'s constructors.
fn call(old: &Schema, v: &Value) -> Vec<u8> {
    let mut out = Vec::new();
    write(old, &Ty::Query, v, &mut out).expect("the call exists in that layer");
    out
}

fn fields(v: &Value) -> &Object {
    match v {
        Value::Object(o) => o,
        other => panic!("an object, got {other:?}"),
    }
}

#[tokio::test]
async fn a_layer_133_session_is_read_and_answered_in_layer_133() {
    let dc = start_demo().await;
    let alice = Account::sign_in(&dc, ALICE_PHONE).await;
    let wire = alice.wire().await;
    let old = schema_for(Some(133)).expect("layer 133 is stored");

    let get_self = obj(
        "users.getUsers",
        vec![("id", Value::Vector(vec![obj("inputUserSelf", vec![])]))],
    );
    let first = obj(
        "invokeWithLayer",
        vec![("layer", Value::Int(133)), ("query", get_self)],
    );
    let answer = wire.invoke_raw(call(old, &first)).await.expect("answered");
    assert_eq!(
        &answer[8..12],
        &0x3ff6_ecb0u32.to_le_bytes(),
        "layer 133's user constructor"
    );
    let users = read(
        old,
        &Ty::Vector(Box::new(Ty::Boxed("User".into()))),
        &answer,
    )
    .expect("readable in layer 133");
    let Value::Vector(users) = users else {
        panic!("a vector")
    };
    assert_eq!(fields(&users[0]).get("id"), Some(&Value::Long(ALICE)));

    // Later calls carry no layer: the session's declared one holds. Layer
    // 133's sendMessage (another id and `reply_to_msg_id`) to Saved Messages.
    let send = obj(
        "messages.sendMessage",
        vec![
            ("peer", obj("inputPeerSelf", vec![])),
            ("message", Value::Bytes(b"from layer 133".to_vec())),
            ("random_id", Value::Long(4242)),
        ],
    );
    let answer = wire.invoke_raw(call(old, &send)).await.expect("answered");
    let updates = read(old, &Ty::Boxed("Updates".into()), &answer).expect("readable in layer 133");
    let updates = fields(&updates);
    assert_eq!(updates.name, "updates");
    let Some(Value::Vector(list)) = updates.get("updates") else {
        panic!("updates")
    };
    let names: Vec<&str> = list.iter().map(|u| fields(u).name.as_str()).collect();
    assert_eq!(names, ["updateMessageID", "updateNewMessage"]);
    let message = fields(fields(&list[1]).get("message").expect("a message"));
    assert_eq!(message.name, "message");
    assert_eq!(
        message.get("message"),
        Some(&Value::Bytes(b"from layer 133".to_vec()))
    );

    // A reply in layer 133's words (`reply_to_msg_id`) stays a reply.
    let Some(Value::Int(first_id)) = message.get("id").cloned() else {
        panic!("an id")
    };
    let reply = obj(
        "messages.sendMessage",
        vec![
            ("peer", obj("inputPeerSelf", vec![])),
            ("reply_to_msg_id", Value::Int(first_id)),
            ("message", Value::Bytes(b"a reply".to_vec())),
            ("random_id", Value::Long(4243)),
        ],
    );
    let answer = wire.invoke_raw(call(old, &reply)).await.expect("answered");
    let updates = read(old, &Ty::Boxed("Updates".into()), &answer).unwrap();
    let Some(Value::Vector(list)) = fields(&updates).get("updates") else {
        panic!("updates")
    };
    let sent = fields(fields(&list[1]).get("message").expect("a message"));
    let header = fields(sent.get("reply_to").expect("a reply header"));
    assert_eq!(header.get("reply_to_msg_id"), Some(&Value::Int(first_id)));

    // History comes back in layer 133's messages.messages.
    let history = obj(
        "messages.getHistory",
        vec![
            ("peer", obj("inputPeerSelf", vec![])),
            ("offset_id", Value::Int(0)),
            ("offset_date", Value::Int(0)),
            ("add_offset", Value::Int(0)),
            ("limit", Value::Int(10)),
            ("max_id", Value::Int(0)),
            ("min_id", Value::Int(0)),
            ("hash", Value::Long(0)),
        ],
    );
    let answer = wire
        .invoke_raw(call(old, &history))
        .await
        .expect("answered");
    let page =
        read(old, &Ty::Boxed("messages.Messages".into()), &answer).expect("readable in layer 133");
    let Some(Value::Vector(messages)) = fields(&page).get("messages") else {
        panic!("messages")
    };
    assert!(messages
        .iter()
        .any(|m| fields(m).get("message") == Some(&Value::Bytes(b"from layer 133".to_vec()))));
    dc.shutdown().await;
}
