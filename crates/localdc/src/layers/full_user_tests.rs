//! `users.getFullUser` across the layer-134 reshaping
//! ([`user_full_before_134`]): Telethon 1.24 (layer 133) reads a bare
//! `userFull` holding the user; later layers the `users.userFull` wrapper.

use hearth_tl::Serializable;

use super::schema::Ty;
use super::value::{read, Object, Value};
use super::*;

fn obj(v: &Value) -> &Object {
    match v {
        Value::Object(o) => o,
        other => panic!("an object, got {other:?}"),
    }
}

/// A `userFull` of user `id` with the required fields that have no neutral form.
fn user_full(id: Value) -> Value {
    let empty = |name: &str| {
        Value::Object(Object {
            name: name.into(),
            fields: vec![],
        })
    };
    Value::Object(Object {
        name: "userFull".into(),
        fields: vec![
            ("id".into(), id),
            ("settings".into(), empty("peerSettings")),
            ("notify_settings".into(), empty("peerNotifySettings")),
            ("common_chats_count".into(), Value::Int(3)),
        ],
    })
}

/// A current-layer `users.userFull` for a demo user, and that user's id.
fn answer() -> (Vec<u8>, Value) {
    let state = crate::test_support::demo_state([1]);
    let users = state.users();
    let (id, u) = users.iter().next().expect("the demo world has users");
    let user = crate::users::tl_user(u, Some(id)).to_bytes();
    let user = read(current(), &Ty::Boxed("User".into()), &user).unwrap();
    let id = obj(&user).get("id").cloned().expect("an id");
    let full = user_full(id.clone());
    let wrapper = Value::Object(Object {
        name: "users.userFull".into(),
        fields: vec![
            ("full_user".into(), full),
            ("chats".into(), Value::Vector(vec![])),
            ("users".into(), Value::Vector(vec![user])),
        ],
    });
    let mut bytes = Vec::new();
    write::write(
        current(),
        &Ty::Boxed("users.UserFull".into()),
        &wrapper,
        &mut bytes,
    )
    .unwrap();
    (bytes, id)
}

#[test]
fn layer_133_gets_the_bare_user_full_with_its_user() {
    let (bytes, id) = answer();
    let old = schema_for(Some(133)).unwrap();
    let out = answer_to(old, "users.getFullUser", &bytes).expect("has a form in 133");
    assert_eq!(
        out[..4],
        0xd697_ff05u32.to_le_bytes(),
        "layer 133's userFull"
    );
    let v = read(old, &Ty::Boxed("UserFull".into()), &out).unwrap();
    let full = obj(&v);
    assert_eq!(full.get("common_chats_count"), Some(&Value::Int(3)));
    let user = obj(full.get("user").expect("the user inside"));
    assert_eq!(user.name, "user");
    assert_eq!(user.get("id"), Some(&id));
}

#[test]
fn later_layers_keep_the_wrapper() {
    let (bytes, id) = answer();
    let l181 = schema_for(Some(181)).unwrap();
    let out = answer_to(l181, "users.getFullUser", &bytes).unwrap();
    let v = read(l181, &Ty::Boxed("users.UserFull".into()), &out).unwrap();
    let wrapper = obj(&v);
    assert_eq!(wrapper.name, "users.userFull");
    assert_eq!(obj(wrapper.get("full_user").unwrap()).get("id"), Some(&id));
}

#[test]
fn an_answer_without_its_user_is_refused_not_invented() {
    let full = Value::Object(Object {
        name: "users.userFull".into(),
        fields: vec![
            ("full_user".into(), user_full(Value::Long(42))),
            ("chats".into(), Value::Vector(vec![])),
            ("users".into(), Value::Vector(vec![])),
        ],
    });
    let mut bytes = Vec::new();
    write::write(
        current(),
        &Ty::Boxed("users.UserFull".into()),
        &full,
        &mut bytes,
    )
    .unwrap();
    let old = schema_for(Some(133)).unwrap();
    assert!(matches!(
        answer_to(old, "users.getFullUser", &bytes),
        Err(Error::NoForm(..))
    ));
}
