//! Authorizations, cross-DC export/import, QR login and contacts through
//! hearth-sender clients against the demo world.

mod common;

use common::engine::*;
use common::*;
use hearth_sender::sender::UpdateEvent;
use hearth_sender::Sender;
use hearth_tl::{enums, functions, types, RawQuery, Serializable};
use hearth_transport::FramingKind;
use tokio::sync::mpsc::Receiver;

const ALICE: &str = "9996621234"; // DC 2
const BOB: &str = "9996641111"; // DC 4
const CAROL: &str = "9996625555"; // DC 2, 2FA
const CAROL_PASSWORD: &str = "correct horse battery staple";

/// Signs `s` in as the test number `phone` of DC `home`; returns the user.
async fn sign_in_as(s: &Sender, phone: &str, home: i32) -> types::User {
    let hash = sent_code_hash(&s.invoke_raw(send_code(phone)).await.unwrap());
    let body = s
        .invoke_raw(sign_in(phone, &hash, &home.to_string().repeat(5)))
        .await
        .unwrap();
    authorized_user(&body)
}

fn authorized_user(body: &[u8]) -> types::User {
    use hearth_tl::Deserializable;
    let enums::auth::Authorization::Authorization(a) =
        enums::auth::Authorization::from_bytes(body).expect("auth.authorization")
    else {
        panic!("signed in, not sign-up required")
    };
    let enums::User::User(u) = *a.user else {
        panic!("a full user")
    };
    u
}

fn user_of(a: enums::auth::Authorization) -> types::User {
    authorized_user(&a.to_bytes())
}

async fn signed_in(dc: &localdc::LocalDc, id: i32, phone: &str) -> (Sender, types::User) {
    let s = connect(dc, id, FramingKind::Intermediate, false).await;
    let u = sign_in_as(&s, phone, id).await;
    (s, u)
}

/// `invokeWithLayer(initConnection(query))` as official clients send it.
fn with_init<R: Serializable>(device: &str, query: &R) -> Vec<u8> {
    functions::InvokeWithLayer {
        layer: 229,
        query: functions::InitConnection {
            api_id: 4242,
            device_model: device.into(),
            system_version: "Linux 6.1".into(),
            app_version: "0.9.1".into(),
            system_lang_code: "en-US".into(),
            lang_pack: String::new(),
            lang_code: "en".into(),
            proxy: None,
            params: None,
            query: RawQuery(query.to_bytes()),
        },
    }
    .to_bytes()
}

async fn authorizations(s: &Sender) -> types::account::Authorizations {
    let enums::account::Authorizations::Authorizations(a) = s
        .invoke(&functions::account::GetAuthorizations {})
        .await
        .expect("account.authorizations");
    a
}

fn plain(a: &enums::Authorization) -> &types::Authorization {
    let enums::Authorization::Authorization(a) = a;
    a
}

async fn err_of<R: hearth_tl::RemoteCall>(s: &Sender, req: &R) -> (i32, String) {
    match s.invoke(req).await {
        Ok(_) => panic!("expected an rpc_error"),
        Err(e) => rpc_err(e),
    }
}

async fn get_self(s: &Sender) -> Result<Vec<enums::User>, hearth_sender::InvocationError> {
    s.invoke(&functions::users::GetUsers {
        id: vec![enums::InputUser::InputUserSelf],
    })
    .await
}

#[tokio::test]
async fn authorizations_list_every_signed_in_key_with_what_init_connection_said() {
    let dc = start_demo().await;
    let (laptop, alice) = signed_in(&dc, 2, ALICE).await;
    let (phone, _) = signed_in(&dc, 2, ALICE).await;
    let (_bob, _) = signed_in(&dc, 4, BOB).await;
    phone
        .invoke_raw(with_init("Pixel 9", &functions::help::GetNearestDc {}))
        .await
        .unwrap();

    let list = authorizations(&laptop).await;
    assert_eq!(list.authorization_ttl_days, 180);
    assert_eq!(list.authorizations.len(), 2, "bob's key is not alice's");
    let current: Vec<_> = list
        .authorizations
        .iter()
        .map(plain)
        .filter(|a| a.current)
        .collect();
    assert_eq!(current.len(), 1);
    assert_eq!(current[0].hash, 0, "the current authorization has hash 0");
    let other = list
        .authorizations
        .iter()
        .map(plain)
        .find(|a| !a.current)
        .unwrap();
    assert_ne!(other.hash, 0);
    assert_eq!(other.device_model, "Pixel 9");
    assert_eq!(other.system_version, "Linux 6.1");
    assert_eq!(other.app_version, "0.9.1");
    assert_eq!(other.api_id, 4242);
    assert_eq!(other.ip, "127.0.0.1");
    let now = localdc::state::unix_now() as i32;
    assert!((now - other.date_created).abs() < 60 && other.date_active >= other.date_created);

    // The other key sees the same two, the current flag on its own.
    let seen = authorizations(&phone).await;
    let own = seen
        .authorizations
        .iter()
        .map(plain)
        .find(|a| a.current)
        .unwrap();
    assert_eq!(own.device_model, "Pixel 9");
    assert!(seen
        .authorizations
        .iter()
        .map(plain)
        .any(|a| !a.current && a.hash != 0));
    let _ = alice;
    dc.shutdown().await;
}

#[tokio::test]
async fn reset_authorization_ends_the_other_key_only() {
    let dc = start_demo().await;
    let (a, _) = signed_in(&dc, 2, ALICE).await;
    let (b, _) = signed_in(&dc, 2, ALICE).await;
    let other = authorizations(&a)
        .await
        .authorizations
        .iter()
        .map(plain)
        .find(|x| !x.current)
        .unwrap()
        .hash;
    for bad in [0, other.wrapping_add(1)] {
        let (code, msg) = err_of(&a, &functions::account::ResetAuthorization { hash: bad }).await;
        assert_eq!((code, msg.as_str()), (400, "HASH_INVALID"));
    }
    assert!(
        get_self(&b).await.is_ok(),
        "still signed in before the reset"
    );
    let ok = a
        .invoke(&functions::account::ResetAuthorization { hash: other })
        .await
        .unwrap();
    assert!(ok);
    let (code, msg) = rpc_err(get_self(&b).await.unwrap_err());
    assert_eq!((code, msg.as_str()), (401, "AUTH_KEY_UNREGISTERED"));
    let (code, msg) = err_of(&b, &functions::account::GetAuthorizations {}).await;
    assert_eq!((code, msg.as_str()), (401, "AUTH_KEY_UNREGISTERED"));
    let left = authorizations(&a).await.authorizations;
    assert_eq!(left.len(), 1);
    assert!(plain(&left[0]).current);
    let (_, msg) = err_of(&a, &functions::account::ResetAuthorization { hash: other }).await;
    assert_eq!(msg, "HASH_INVALID", "an ended authorization is gone");
    assert!(get_self(&a).await.is_ok(), "the caller stays signed in");
    dc.shutdown().await;
}

#[tokio::test]
async fn reset_authorizations_is_refused_on_a_fresh_session_and_log_out_ends_the_key() {
    let dc = start_demo().await;
    let (a, _) = signed_in(&dc, 2, ALICE).await;
    let (b, _) = signed_in(&dc, 2, ALICE).await;
    let (code, msg) = err_of(&a, &functions::auth::ResetAuthorizations {}).await;
    assert_eq!(
        (code, msg.as_str()),
        (406, "FRESH_RESET_AUTHORISATION_FORBIDDEN")
    );
    assert!(get_self(&b).await.is_ok(), "nothing was ended");

    let enums::auth::LoggedOut::LoggedOut(out) =
        b.invoke(&functions::auth::LogOut {}).await.unwrap();
    assert_eq!(out.future_auth_token, None);
    let (code, msg) = rpc_err(get_self(&b).await.unwrap_err());
    assert_eq!((code, msg.as_str()), (401, "AUTH_KEY_UNREGISTERED"));
    assert_eq!(authorizations(&a).await.authorizations.len(), 1);
    // The key itself still works for methods that need no user.
    b.invoke(&functions::help::GetNearestDc {}).await.unwrap();
    dc.shutdown().await;
}

#[tokio::test]
async fn exported_authorization_signs_in_once_on_its_target_dc() {
    let dc = start_demo().await;
    let anon = connect(&dc, 4, FramingKind::Intermediate, false).await;
    let (code, msg) = err_of(&anon, &functions::auth::ExportAuthorization { dc_id: 2 }).await;
    assert_eq!((code, msg.as_str()), (401, "AUTH_KEY_UNREGISTERED"));

    let (bob, bob_user) = signed_in(&dc, 4, BOB).await;
    for bad in [4, 9, 0] {
        let (code, msg) = err_of(&bob, &functions::auth::ExportAuthorization { dc_id: bad }).await;
        assert_eq!((code, msg.as_str()), (400, "DC_ID_INVALID"), "dc {bad}");
    }
    let enums::auth::ExportedAuthorization::ExportedAuthorization(e) = bob
        .invoke(&functions::auth::ExportAuthorization { dc_id: 2 })
        .await
        .unwrap();
    assert_eq!(e.id, bob_user.id);
    assert!(e.bytes.len() >= 32);
    let enums::auth::ExportedAuthorization::ExportedAuthorization(e2) = bob
        .invoke(&functions::auth::ExportAuthorization { dc_id: 2 })
        .await
        .unwrap();
    assert_ne!(e.bytes, e2.bytes, "fresh bytes per export");

    let dc2 = connect(&dc, 2, FramingKind::Intermediate, false).await;
    let dc3 = connect(&dc, 3, FramingKind::Intermediate, false).await;
    let import = |id: i64, bytes: &[u8]| functions::auth::ImportAuthorization {
        id,
        bytes: bytes.to_vec(),
    };
    let (code, msg) = err_of(&dc3, &import(e.id, &e.bytes)).await;
    assert_eq!(
        (code, msg.as_str()),
        (400, "AUTH_BYTES_INVALID"),
        "bound to DC 2"
    );
    let (_, msg) = err_of(&dc2, &import(e.id + 1, &e.bytes)).await;
    assert_eq!(msg, "AUTH_BYTES_INVALID", "bound to bob");
    let (_, msg) = err_of(&dc2, &import(e.id, b"forged")).await;
    assert_eq!(msg, "AUTH_BYTES_INVALID");
    let u = user_of(dc2.invoke(&import(e.id, &e.bytes)).await.unwrap());
    assert_eq!((u.id, u.self_), (bob_user.id, true));
    let me = get_self(&dc2).await.unwrap();
    let [enums::User::User(me)] = &me[..] else {
        panic!("one user")
    };
    assert_eq!(me.id, bob_user.id);
    let again = connect(&dc, 2, FramingKind::Intermediate, false).await;
    let (_, msg) = err_of(&again, &import(e.id, &e.bytes)).await;
    assert_eq!(msg, "AUTH_BYTES_INVALID", "single use");
    // Both of bob's keys are authorizations now.
    assert_eq!(authorizations(&bob).await.authorizations.len(), 2);
    dc.shutdown().await;
}

fn export_token() -> functions::auth::ExportLoginToken {
    functions::auth::ExportLoginToken {
        api_id: 4242,
        api_hash: "0123456789abcdef".into(),
        except_ids: Vec::new(),
    }
}

async fn fresh_token(s: &Sender) -> types::auth::LoginToken {
    match s.invoke(&export_token()).await.unwrap() {
        enums::auth::LoginToken::LoginToken(t) => t,
        other => panic!("a new token, got {other:?}"),
    }
}

async fn wait_login_token_update(rx: &mut Receiver<UpdateEvent>) {
    use hearth_tl::Deserializable;
    loop {
        let event = tokio::time::timeout(std::time::Duration::from_secs(10), rx.recv())
            .await
            .expect("an update within 10 s")
            .expect("the sender is alive");
        if let UpdateEvent::Update(body) = event {
            let enums::Updates::UpdateShort(u) = enums::Updates::from_bytes(&body).unwrap() else {
                panic!("updateShort")
            };
            assert_eq!(*u.update, enums::Update::UpdateLoginToken);
            return;
        }
    }
}

fn accept(token: &[u8]) -> functions::auth::AcceptLoginToken {
    functions::auth::AcceptLoginToken {
        token: token.to_vec(),
    }
}

#[tokio::test]
async fn qr_login_on_the_accounts_dc() {
    let dc = start_demo().await;
    let (new, mut rx) = connect_listening(&dc, 2).await;
    let first = fresh_token(&new).await;
    let t = fresh_token(&new).await;
    assert_ne!(first.token, t.token, "a new token per call");
    let now = localdc::state::unix_now() as i32;
    assert!((now + 29..=now + 31).contains(&t.expires), "valid 30 s");

    let anon = connect(&dc, 2, FramingKind::Intermediate, false).await;
    let (code, msg) = err_of(&anon, &accept(&t.token)).await;
    assert_eq!((code, msg.as_str()), (401, "AUTH_KEY_UNREGISTERED"));
    let (alice, alice_user) = signed_in(&dc, 2, ALICE).await;
    let (_, msg) = err_of(&alice, &accept(&first.token)).await;
    assert_eq!(msg, "AUTH_TOKEN_INVALID", "replaced by the newer export");
    let (_, msg) = err_of(&alice, &accept(b"not a token")).await;
    assert_eq!(msg, "AUTH_TOKEN_INVALID");

    let enums::Authorization::Authorization(granted) =
        alice.invoke(&accept(&t.token)).await.unwrap();
    assert!(!granted.current);
    assert_ne!(granted.hash, 0);
    assert_eq!(granted.ip, "127.0.0.1");
    wait_login_token_update(&mut rx).await;
    let (code, msg) = err_of(&alice, &accept(&t.token)).await;
    assert_eq!((code, msg.as_str()), (400, "AUTH_TOKEN_ALREADY_ACCEPTED"));

    let enums::auth::LoginToken::LoginTokenSuccess(ok) = new.invoke(&export_token()).await.unwrap()
    else {
        panic!("loginTokenSuccess")
    };
    let u = user_of(ok.authorization);
    assert_eq!((u.id, u.self_), (alice_user.id, true));
    assert!(get_self(&new).await.is_ok());
    let hashes: Vec<i64> = authorizations(&alice)
        .await
        .authorizations
        .iter()
        .map(|a| plain(a).hash)
        .collect();
    assert!(
        hashes.contains(&granted.hash),
        "the granted authorization is listed"
    );
    // Completed: the next export starts over.
    fresh_token(&new).await;
    dc.shutdown().await;
}

#[tokio::test]
async fn qr_login_migrates_to_the_accounts_home_dc() {
    let dc = start_demo().await;
    let (new, mut rx) = connect_listening(&dc, 4).await;
    let t = fresh_token(&new).await;
    let (alice, alice_user) = signed_in(&dc, 2, ALICE).await;
    alice.invoke(&accept(&t.token)).await.unwrap();
    wait_login_token_update(&mut rx).await;
    let enums::auth::LoginToken::LoginTokenMigrateTo(m) =
        new.invoke(&export_token()).await.unwrap()
    else {
        panic!("loginTokenMigrateTo")
    };
    assert_eq!(m.dc_id, 2);
    let import = functions::auth::ImportLoginToken {
        token: m.token.clone(),
    };
    // Still on the wrong DC: pointed home again, nothing consumed.
    let again = new.invoke(&import).await.unwrap();
    assert!(matches!(again, enums::auth::LoginToken::LoginTokenMigrateTo(ref x) if x.dc_id == 2));
    let home = connect(&dc, 2, FramingKind::Intermediate, false).await;
    let enums::auth::LoginToken::LoginTokenSuccess(ok) = home.invoke(&import).await.unwrap() else {
        panic!("loginTokenSuccess on the home DC")
    };
    assert_eq!(user_of(ok.authorization).id, alice_user.id);
    let other = connect(&dc, 2, FramingKind::Intermediate, false).await;
    let (code, msg) = err_of(&other, &import).await;
    assert_eq!(
        (code, msg.as_str()),
        (400, "AUTH_TOKEN_INVALID"),
        "used once"
    );
    let (_, msg) = err_of(
        &other,
        &functions::auth::ImportLoginToken {
            token: t.token.clone(),
        },
    )
    .await;
    assert_eq!(
        msg, "AUTH_TOKEN_INVALID",
        "a QR token is not a migration token"
    );
    dc.shutdown().await;
}

#[tokio::test]
async fn qr_token_expires_after_30_seconds() {
    let dc = start_demo().await;
    let new = connect(&dc, 2, FramingKind::Intermediate, false).await;
    let t = fresh_token(&new).await;
    let (alice, _) = signed_in(&dc, 2, ALICE).await;
    let wait = i64::from(t.expires) - localdc::state::unix_now() + 1;
    tokio::time::sleep(std::time::Duration::from_secs(wait.max(0) as u64)).await;
    let (code, msg) = err_of(&alice, &accept(&t.token)).await;
    assert_eq!((code, msg.as_str()), (400, "AUTH_TOKEN_EXPIRED"));
    dc.shutdown().await;
}

/// `auth.checkPassword` for `password` against a fresh `account.getPassword`.
async fn check_password(
    s: &Sender,
    password: &str,
) -> Result<enums::auth::Authorization, hearth_sender::InvocationError> {
    let enums::account::Password::Password(p) =
        s.invoke(&functions::account::GetPassword {}).await.unwrap();
    let Some(
        enums::PasswordKdfAlgo::PasswordKdfAlgoSha256sha256pbkdf2hmacsha512iter100000Sha256ModPow(
            a,
        ),
    ) = &p.current_algo
    else {
        panic!("a 2FA account announces SRP")
    };
    let algo = hearth_crypto::srp::PasswordAlgo {
        salt1: a.salt1.clone(),
        salt2: a.salt2.clone(),
        g: a.g as u32,
        p: a.p.clone(),
    };
    let answer = hearth_crypto::srp::compute_check(
        &algo,
        p.srp_id.unwrap(),
        p.srp_b.as_deref().unwrap(),
        password.as_bytes(),
        &mut rand::rng(),
    )
    .unwrap();
    s.invoke(&functions::auth::CheckPassword {
        password: enums::InputCheckPasswordSrp::InputCheckPasswordSrp(
            types::InputCheckPasswordSrp {
                srp_id: answer.srp_id,
                a: answer.a.to_vec(),
                m1: answer.m1.to_vec(),
            },
        ),
    })
    .await
}

#[tokio::test]
async fn qr_login_of_a_2fa_account_needs_its_password() {
    let dc = start_demo().await;
    let carol = connect(&dc, 2, FramingKind::Intermediate, false).await;
    let hash = sent_code_hash(&carol.invoke_raw(send_code(CAROL)).await.unwrap());
    let (_, msg) = rpc_err(
        carol
            .invoke_raw(sign_in(CAROL, &hash, "22222"))
            .await
            .unwrap_err(),
    );
    assert_eq!(msg, "SESSION_PASSWORD_NEEDED");
    let carol_user = user_of(check_password(&carol, CAROL_PASSWORD).await.unwrap());

    let (new, mut rx) = connect_listening(&dc, 2).await;
    let t = fresh_token(&new).await;
    carol.invoke(&accept(&t.token)).await.unwrap();
    wait_login_token_update(&mut rx).await;
    let (code, msg) = err_of(&new, &export_token()).await;
    assert_eq!((code, msg.as_str()), (401, "SESSION_PASSWORD_NEEDED"));
    let (code, _) = rpc_err(get_self(&new).await.unwrap_err());
    assert_eq!(code, 401, "not signed in before the password");
    let (_, msg) = rpc_err(check_password(&new, "wrong").await.unwrap_err());
    assert_eq!(msg, "PASSWORD_HASH_INVALID");
    let u = user_of(check_password(&new, CAROL_PASSWORD).await.unwrap());
    assert_eq!(u.id, carol_user.id);
    dc.shutdown().await;
}

fn phone_contact(client_id: i64, phone: &str) -> enums::InputContact {
    enums::InputContact::InputPhoneContact(types::InputPhoneContact {
        client_id,
        phone: phone.into(),
        first_name: "Someone".into(),
        last_name: String::new(),
        note: None,
    })
}

async fn contacts(s: &Sender, hash: i64) -> enums::contacts::Contacts {
    s.invoke(&functions::contacts::GetContacts { hash })
        .await
        .unwrap()
}

fn user_in(users: &[enums::User], id: i64) -> types::User {
    users
        .iter()
        .find_map(|u| match u {
            enums::User::User(u) if u.id == id => Some(u.clone()),
            _ => None,
        })
        .expect("the user is listed")
}

/// Signs up a new test number on DC 3; returns the sender and the user.
async fn signed_up_dave(dc: &localdc::LocalDc) -> (Sender, types::User) {
    let s = connect(dc, 3, FramingKind::Intermediate, false).await;
    let hash = sent_code_hash(&s.invoke_raw(send_code("9996630001")).await.unwrap());
    s.invoke_raw(sign_in("9996630001", &hash, "33333"))
        .await
        .unwrap();
    let up = s
        .invoke(&functions::auth::SignUp {
            no_joined_notifications: false,
            phone_number: "9996630001".into(),
            phone_code_hash: hash,
            first_name: "Dave".into(),
            last_name: String::new(),
        })
        .await
        .unwrap();
    let u = user_of(up);
    (s, u)
}

#[tokio::test]
async fn contacts_import_list_hash_and_delete() {
    let dc = start_demo().await;
    let (alice, alice_user) = signed_in(&dc, 2, ALICE).await;
    let (dave, dave_user) = signed_up_dave(&dc).await;

    // The demo world saves bob in alice's contacts.
    let enums::contacts::Contacts::Contacts(start) = contacts(&alice, 0).await else {
        panic!("contacts.contacts")
    };
    let bob_id = 1_000_002;
    assert_eq!(start.saved_count, 1);
    assert!(
        matches!(&start.contacts[..], [enums::Contact::Contact(c)] if c.user_id == bob_id && !c.mutual)
    );
    assert!(user_in(&start.users, bob_id).contact);

    let enums::contacts::ImportedContacts::ImportedContacts(imp) = alice
        .invoke(&functions::contacts::ImportContacts {
            contacts: vec![
                phone_contact(11, "+999 663 0001"),
                phone_contact(12, "15550001"),
            ],
        })
        .await
        .unwrap();
    assert!(
        matches!(&imp.imported[..], [enums::ImportedContact::ImportedContact(i)]
        if i.user_id == dave_user.id && i.client_id == 11)
    );
    assert!(
        matches!(&imp.popular_invites[..], [enums::PopularContact::PopularContact(p)]
        if p.client_id == 12 && p.importers == 1)
    );
    assert!(imp.retry_contacts.is_empty());
    let seen = user_in(&imp.users, dave_user.id);
    assert!(seen.contact && !seen.mutual_contact);
    assert_eq!(seen.phone, None, "phones stay private");
    // The imported user is met: alice can write to dave with that access hash.
    let peer = enums::InputPeer::InputPeerUser(types::InputPeerUser {
        user_id: dave_user.id,
        access_hash: seen.access_hash.unwrap(),
    });
    alice
        .invoke_raw(send_text(peer, "hi dave", 5))
        .await
        .unwrap();

    let enums::contacts::Contacts::Contacts(now) = contacts(&alice, 0).await else {
        panic!("contacts.contacts")
    };
    assert_eq!(now.saved_count, 2);
    let mut ids = [bob_id, dave_user.id];
    ids.sort();
    let hash = localdc::rpc::contacts::vector_hash(
        std::iter::once(2u64).chain(ids.iter().map(|i| *i as u64)),
    );
    assert!(matches!(
        contacts(&alice, hash).await,
        enums::contacts::Contacts::ContactsNotModified
    ));
    assert!(matches!(
        contacts(&alice, hash ^ 1).await,
        enums::contacts::Contacts::Contacts(_)
    ));

    // Dave saves alice back: mutual.
    dave.invoke(&functions::contacts::ImportContacts {
        contacts: vec![phone_contact(1, ALICE)],
    })
    .await
    .unwrap();
    // The hash covers the list, not the mutual flags.
    assert!(matches!(
        contacts(&alice, hash).await,
        enums::contacts::Contacts::ContactsNotModified
    ));
    let enums::contacts::Contacts::Contacts(mutual) = contacts(&alice, 0).await else {
        panic!("contacts.contacts")
    };
    assert!(mutual
        .contacts
        .iter()
        .any(|c| matches!(c, enums::Contact::Contact(c) if c.user_id == dave_user.id && c.mutual)));
    assert!(user_in(&mutual.users, dave_user.id).mutual_contact);

    // A user alice never met cannot be deleted; dave can.
    let (code, msg) = err_of(
        &alice,
        &functions::contacts::DeleteContacts {
            id: vec![enums::InputUser::InputUser(types::InputUser {
                user_id: dave_user.id,
                access_hash: seen.access_hash.unwrap() ^ 1,
            })],
        },
    )
    .await;
    assert_eq!((code, msg.as_str()), (400, "CONTACT_ID_INVALID"));
    let enums::Updates::Updates(u) = alice
        .invoke(&functions::contacts::DeleteContacts {
            id: vec![enums::InputUser::InputUser(types::InputUser {
                user_id: dave_user.id,
                access_hash: seen.access_hash.unwrap(),
            })],
        })
        .await
        .unwrap()
    else {
        panic!("updates")
    };
    assert!(!user_in(&u.users, dave_user.id).contact);
    let enums::contacts::Contacts::Contacts(after) = contacts(&alice, hash).await else {
        panic!("contacts.contacts")
    };
    assert_eq!(after.saved_count, 1);
    // Unknown number imported by a second account counts two importers.
    let enums::contacts::ImportedContacts::ImportedContacts(imp2) = dave
        .invoke(&functions::contacts::ImportContacts {
            contacts: vec![phone_contact(7, "15550001")],
        })
        .await
        .unwrap();
    assert!(
        matches!(&imp2.popular_invites[..], [enums::PopularContact::PopularContact(p)] if p.importers == 2)
    );
    let _ = alice_user;
    dc.shutdown().await;
}

#[tokio::test]
async fn importers_of_an_unregistered_number_get_the_account_that_signs_up_with_it() {
    let dc = start_demo().await;
    let (bob, _) = signed_in(&dc, 4, BOB).await;
    let enums::contacts::ImportedContacts::ImportedContacts(imp) = bob
        .invoke(&functions::contacts::ImportContacts {
            contacts: vec![phone_contact(3, "9996630001")],
        })
        .await
        .unwrap();
    assert!(imp.imported.is_empty() && imp.users.is_empty());
    assert_eq!(imp.popular_invites.len(), 1);
    let (_dave, dave_user) = signed_up_dave(&dc).await;
    let enums::contacts::Contacts::Contacts(c) = contacts(&bob, 0).await else {
        panic!("contacts.contacts")
    };
    let listed = user_in(&c.users, dave_user.id);
    assert!(listed.contact && !listed.mutual_contact);
    assert_eq!(c.saved_count, 1);
    dc.shutdown().await;
}

#[tokio::test]
async fn bots_may_export_but_not_manage_sessions_contacts_or_qr_logins() {
    let dc = start_demo().await;
    let bot = connect(&dc, 2, FramingKind::Intermediate, false).await;
    bot.invoke(&functions::auth::ImportBotAuthorization {
        flags: 0,
        api_id: 4242,
        api_hash: "0123456789abcdef".into(),
        bot_auth_token: "7000001:AAHearthDemoBotSecretToken".into(),
    })
    .await
    .unwrap();
    let bot_method_invalid = (400, "BOT_METHOD_INVALID".to_string());
    assert_eq!(
        err_of(&bot, &functions::account::GetAuthorizations {}).await,
        bot_method_invalid
    );
    assert_eq!(
        err_of(&bot, &functions::contacts::GetContacts { hash: 0 }).await,
        bot_method_invalid
    );
    assert_eq!(err_of(&bot, &accept(b"token")).await, bot_method_invalid);
    bot.invoke(&functions::auth::ExportAuthorization { dc_id: 4 })
        .await
        .expect("bots download across DCs too");
    dc.shutdown().await;
}

#[test]
fn world_contacts_must_name_accounts() {
    use localdc::world::World;
    let base = r#"
[[account]]
name = "a"
phone = "9996621000"
first_name = "A"
contacts = CONTACTS
[[account]]
name = "b"
phone = "9996621001"
first_name = "B"
"#;
    let ok = World::parse(&base.replace("CONTACTS", r#"["b"]"#), "t").unwrap();
    assert_eq!(ok.accounts[0].contacts, vec!["b".to_string()]);
    let err = World::parse(&base.replace("CONTACTS", r#"["zed"]"#), "t").unwrap_err();
    assert!(err.to_string().contains("\"zed\""), "{err}");
    let err = World::parse(&base.replace("CONTACTS", r#"["a"]"#), "t").unwrap_err();
    assert!(err.to_string().contains("itself"), "{err}");
}
