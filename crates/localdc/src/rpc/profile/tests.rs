//! Sans-IO tests of the profile methods: a `ServerState`, calls through
//! `rpc::call`, and sessions registered online to see what is pushed.

use hearth_crypto::AuthKey;
use hearth_tl::{enums, functions as f, Deserializable, Serializable};
use tokio::sync::mpsc;

use crate::rpc::{call, RpcCtx, RpcError};
use crate::state::{Online, ServerState};

const ALICE: i64 = 1_000_001;
const BOB: i64 = 1_000_002;

fn state() -> ServerState {
    crate::test_support::demo_state(1..=5)
}

/// A permanent key signed in as `user`, with one online session whose
/// pushes arrive on the returned receiver.
fn session(
    state: &ServerState,
    fill: u8,
    user: i64,
) -> (u64, mpsc::UnboundedReceiver<(i64, Vec<u8>)>) {
    let key = AuthKey::from_bytes([fill; 256]);
    let store = state.store();
    store.insert_key(&key, 2, None).expect("insert");
    store
        .sign_in(key.key_id(), user, crate::rpc::tl::new_hash(), 1)
        .expect("sign in");
    let (tx, rx) = mpsc::unbounded_channel();
    state.set_online(
        u64::from(fill),
        Online {
            key_id: key.key_id(),
            session_id: 1,
            tx,
        },
    );
    (key.key_id(), rx)
}

fn invoke<Q: Serializable>(state: &ServerState, key_id: u64, q: &Q) -> Result<Vec<u8>, RpcError> {
    let mut ctx = RpcCtx {
        state,
        dc_id: 2,
        media_only: false,
        key_id,
        session_id: 1,
        msg_id: 0,
    };
    call(&mut ctx, &q.to_bytes())
}

fn error<Q: Serializable>(state: &ServerState, key_id: u64, q: &Q) -> String {
    invoke(state, key_id, q).expect_err("refused").message
}

fn user(body: &[u8]) -> hearth_tl::types::User {
    match enums::User::from_bytes(body).expect("user") {
        enums::User::User(u) => u,
        other => panic!("{other:?}"),
    }
}

fn profile(
    first: Option<&str>,
    last: Option<&str>,
    about: Option<&str>,
) -> f::account::UpdateProfile {
    f::account::UpdateProfile {
        first_name: first.map(Into::into),
        last_name: last.map(Into::into),
        about: about.map(Into::into),
    }
}

fn rename(name: &str) -> f::account::UpdateUsername {
    f::account::UpdateUsername {
        username: name.into(),
    }
}

/// The `updateUserName` pushed on `rx`, if any.
fn pushed_name(
    rx: &mut mpsc::UnboundedReceiver<(i64, Vec<u8>)>,
) -> Option<hearth_tl::types::UpdateUserName> {
    let (_, body) = rx.try_recv().ok()?;
    match enums::Updates::from_bytes(&body).expect("updates") {
        enums::Updates::UpdateShort(s) => match *s.update {
            enums::Update::UpdateUserName(u) => Some(u),
            other => panic!("{other:?}"),
        },
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_new_name_is_answered_kept_and_pushed_to_other_sessions_and_contacts() {
    let s = state();
    let (alice, mut same) = session(&s, 1, ALICE);
    let (alice2, mut other) = session(&s, 2, ALICE);
    // Alice saved Bob as a contact in the demo world: Bob's rename reaches her.
    let (bob, _) = session(&s, 3, BOB);
    let me = user(
        &invoke(
            &s,
            alice,
            &profile(Some(" Alicia "), Some("Smith"), Some("hi")),
        )
        .expect("ok"),
    );
    assert!(me.self_);
    assert_eq!(me.first_name.as_deref(), Some("Alicia"));
    assert_eq!(me.last_name.as_deref(), Some("Smith"));
    let got = pushed_name(&mut other).expect("pushed to the other session");
    assert_eq!(
        (got.user_id, got.first_name.as_str(), got.last_name.as_str()),
        (ALICE, "Alicia", "Smith")
    );
    assert!(
        pushed_name(&mut same).is_none(),
        "not to the session that asked"
    );
    assert_eq!(
        s.users().get(ALICE).map(|u| u.about.clone()),
        Some("hi".into())
    );

    // A later users.getUsers from the other session sees the new name.
    let body = invoke(
        &s,
        alice2,
        &f::users::GetUsers {
            id: vec![enums::InputUser::InputUserSelf],
        },
    )
    .expect("ok");
    let list = Vec::<enums::User>::from_bytes(&body).expect("users");
    let enums::User::User(u) = &list[0] else {
        panic!()
    };
    assert_eq!(u.first_name.as_deref(), Some("Alicia"));

    let (_, mut alice3) = session(&s, 4, ALICE);
    invoke(&s, bob, &profile(Some("Robert"), None, None)).expect("ok");
    let got = pushed_name(&mut alice3).expect("pushed to a contact");
    assert_eq!((got.user_id, got.first_name.as_str()), (BOB, "Robert"));

    // Every session of Alice hears it, the first one included.
    assert_eq!(pushed_name(&mut other).map(|u| u.user_id), Some(BOB));
    assert_eq!(pushed_name(&mut same).map(|u| u.user_id), Some(BOB));

    // Only the bio changed: nothing to announce.
    invoke(&s, alice, &profile(None, None, Some("bye"))).expect("ok");
    assert!(pushed_name(&mut other).is_none());
}

#[test]
fn bad_names_and_bios_are_refused_as_telegram_does() {
    let s = state();
    let (alice, _) = session(&s, 1, ALICE);
    for bad in ["", "   ", &"x".repeat(65)] {
        assert_eq!(
            error(&s, alice, &profile(Some(bad), None, None)),
            "FIRSTNAME_INVALID",
            "{bad:?}"
        );
    }
    assert_eq!(
        error(&s, alice, &profile(None, Some(&"y".repeat(65)), None)),
        "LASTNAME_INVALID"
    );
    assert_eq!(
        error(&s, alice, &profile(None, None, Some(&"z".repeat(71)))),
        "ABOUT_TOO_LONG"
    );
    invoke(
        &s,
        alice,
        &profile(Some(&"x".repeat(64)), None, Some(&"z".repeat(70))),
    )
    .expect("limits allowed");
    assert_eq!(
        error(&s, 99, &profile(Some("A"), None, None)),
        "AUTH_KEY_UNREGISTERED"
    );
}

#[test]
fn a_new_username_resolves_and_is_pushed_with_the_usernames_vector() {
    let s = state();
    let (alice, _) = session(&s, 1, ALICE);
    let (_, mut other) = session(&s, 2, ALICE);
    let (bob, _) = session(&s, 3, BOB);
    let me = user(&invoke(&s, alice, &rename("alice_new")).expect("ok"));
    assert_eq!(me.username.as_deref(), Some("alice_new"));
    let got = pushed_name(&mut other).expect("pushed");
    let names: Vec<_> = got
        .usernames
        .iter()
        .map(|enums::Username::Username(u)| (u.username.clone(), u.active, u.editable))
        .collect();
    assert_eq!(names, vec![("alice_new".to_owned(), true, true)]);

    let resolve = |name: &str| {
        invoke(
            &s,
            bob,
            &f::contacts::ResolveUsername {
                username: name.into(),
                referer: None,
            },
        )
    };
    resolve("alice_new").expect("the new name resolves");
    assert_eq!(
        resolve("alice").expect_err("old").message,
        "USERNAME_NOT_OCCUPIED"
    );

    // An empty username removes it.
    let me = user(&invoke(&s, alice, &rename("")).expect("ok"));
    assert_eq!(me.username, None);
    assert!(pushed_name(&mut other)
        .expect("pushed")
        .usernames
        .is_empty());
    assert_eq!(error(&s, alice, &rename("")), "USERNAME_NOT_MODIFIED");
}

#[test]
fn bad_taken_and_unchanged_usernames_are_refused() {
    let s = state();
    let (alice, _) = session(&s, 1, ALICE);
    for bad in [
        "abcd",
        "1alice",
        "alice_",
        "al__ice",
        "alice-x",
        &"a".repeat(33),
    ] {
        assert_eq!(
            error(&s, alice, &rename(bad)),
            "USERNAME_INVALID",
            "{bad:?}"
        );
        assert_eq!(
            error(
                &s,
                alice,
                &f::account::CheckUsername {
                    username: bad.into()
                }
            ),
            "USERNAME_INVALID"
        );
    }
    assert_eq!(
        error(&s, alice, &rename("bob_builder")),
        "USERNAME_OCCUPIED"
    );
    assert_eq!(
        error(&s, alice, &rename("Hearth_News")),
        "USERNAME_OCCUPIED"
    );
    assert_eq!(error(&s, alice, &rename("alice")), "USERNAME_NOT_MODIFIED");
    let check = |name: &str| {
        let body = invoke(
            &s,
            alice,
            &f::account::CheckUsername {
                username: name.into(),
            },
        )
        .expect("ok");
        bool::from_bytes(&body).expect("bool")
    };
    assert!(!check("bob_builder"));
    assert!(check("alice"));
    assert!(check("alice_two"));
}
