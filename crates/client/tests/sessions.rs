//! QR login accepted by a second signed-in client, the account's sessions
//! (list, end one, end all others), and requests to other DCs.

mod common;

use std::time::{Duration, SystemTime};

use common::*;
use hearth_client::{ClientError, QrWait, SessionStorage};
use hearth_tl::functions;

#[tokio::test]
async fn a_qr_code_accepted_by_a_signed_in_client_signs_in() {
    let dc = start_demo().await;
    let (alice, _) = signed_in(&dc, ALICE).await;
    let storage = memory();
    let fresh = connect(&dc, storage.clone()).await;
    let qr = fresh.qr_login().await.unwrap();
    assert!(qr.url().starts_with("tg://login?token="));
    assert!(qr.expires > SystemTime::now());
    let token = hearth_client::auth::qr::parse_login_url(&qr.url()).unwrap();
    assert_eq!(token, qr.token);

    let granted = alice.accept_login_token(&token).await.unwrap();
    assert!(!granted.current);
    let outcome = tokio::time::timeout(Duration::from_secs(10), qr.wait())
        .await
        .expect("updateLoginToken arrives")
        .unwrap();
    let QrWait::Done(user) = outcome else {
        panic!("alice has no password: {outcome:?}")
    };
    assert_eq!(Some(user.id), alice.me().map(|m| m.user_id));
    assert_eq!(storage.load().unwrap().self_user, Some(user.id));
    assert_eq!(alice.authorizations().await.unwrap().len(), 2);
    for c in [alice, fresh] {
        c.shutdown();
    }
    dc.shutdown().await;
}

#[tokio::test]
async fn a_qr_login_of_an_account_elsewhere_migrates_and_asks_for_2fa() {
    let dc = start_demo().await;
    // Bob lives on DC 4; the new client starts on DC 2.
    let (bob, _) = signed_in(&dc, BOB).await;
    let fresh = connect(&dc, memory()).await;
    let qr = fresh.qr_login().await.unwrap();
    bob.accept_login_token(&qr.token).await.unwrap();
    let QrWait::Done(user) = qr.wait().await.unwrap() else {
        panic!("bob has no password")
    };
    assert_eq!(user.first_name.as_deref(), Some("Bob"));
    assert_eq!(fresh.home_dc(), 4, "loginTokenMigrateTo moved the session");
    assert!(fresh.is_authorized().await.unwrap());

    // Carol has a password.
    let carol = connect(&dc, memory()).await;
    let token = carol.request_login_code(CAROL).await.unwrap();
    let hearth_client::SignIn::PasswordRequired(p) = carol.sign_in(&token, "22222").await.unwrap()
    else {
        panic!("2FA")
    };
    carol.check_password(p, CAROL_PASSWORD).await.unwrap();
    let second = connect(&dc, memory()).await;
    let qr = second.qr_login().await.unwrap();
    carol.accept_login_token(&qr.token).await.unwrap();
    let QrWait::PasswordRequired(p) = qr.wait().await.unwrap() else {
        panic!("carol's QR login needs the password")
    };
    assert_eq!(p.hint(), Some("xkcd 936"));
    second.check_password(p, CAROL_PASSWORD).await.unwrap();
    assert!(second.is_authorized().await.unwrap());
    for c in [bob, fresh, carol, second] {
        c.shutdown();
    }
    dc.shutdown().await;
}

#[tokio::test]
async fn sessions_are_listed_and_ended() {
    let dc = start_demo().await;
    let (a, a_storage) = signed_in(&dc, ALICE).await;
    let (b, _) = signed_in(&dc, ALICE).await;
    let (c, c_storage) = signed_in(&dc, ALICE).await;
    let list = a.authorizations().await.unwrap();
    assert_eq!(list.len(), 3);
    assert!(list[0].current && list[0].hash == 0);
    assert_eq!(list[0].dc, Some(2));
    assert_eq!(
        list[0].device,
        hearth_client::InitParams::local().device_model,
        "{list:#?}"
    );
    assert!(list[1..]
        .iter()
        .all(|s| !s.current && s.hash != 0 && s.dc.is_none()));

    // b ends a's session.
    let a_key = key_id(&*a_storage, 2);
    let a_hash = dc
        .state()
        .store()
        .authorization(a_key)
        .unwrap()
        .expect("a's key is signed in")
        .hash;
    let from_b = b.authorizations().await.unwrap();
    assert!(
        from_b.iter().any(|s| s.hash == a_hash),
        "b sees a's session"
    );
    b.terminate_authorization(a_hash).await.unwrap();
    assert!(!a.is_authorized().await.unwrap(), "a was signed out");
    let gone = a.authorizations().await.unwrap_err();
    assert_eq!(gone.code(), "UNAUTHORIZED");
    assert!(gone.to_string().contains("sign in again"), "{gone}");
    let again = b.terminate_authorization(a_hash).await.unwrap_err();
    assert_eq!(again.code(), "HASH_INVALID");

    // Ending all others needs a session a day old.
    let fresh = c.terminate_other_authorizations().await.unwrap_err();
    assert_eq!(fresh.code(), "FRESH_RESET_AUTHORISATION_FORBIDDEN");
    age_session(&dc, &c, key_id(&*c_storage, 2), 2 * 86_400);
    c.terminate_other_authorizations().await.unwrap();
    assert!(!b.is_authorized().await.unwrap());
    assert_eq!(c.authorizations().await.unwrap().len(), 1);
    drop(a_storage);
    for x in [a, b, c] {
        x.shutdown();
    }
    dc.shutdown().await;
}

/// The id of the auth key `storage` holds for `dc`.
fn key_id(storage: &dyn SessionStorage, dc: i32) -> u64 {
    let bytes = storage.auth_key(dc).unwrap().expect("a key");
    hearth_crypto::AuthKey::from_bytes(*bytes).key_id()
}

/// Moves the sign-in of `client`'s home key `secs` into the past on the server.
fn age_session(dc: &localdc::LocalDc, client: &hearth_client::Client, key: u64, secs: i64) {
    let user = client.me().unwrap().user_id;
    let store = dc.state().store();
    let newest = store.authorization(key).unwrap().unwrap();
    let now = SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64;
    store
        .sign_in(newest.key_id, user, newest.hash, now - secs)
        .unwrap();
}

#[tokio::test]
async fn another_dc_is_reached_by_importing_the_authorization_once() {
    let dc = start_demo().await;
    let (alice, storage) = signed_in(&dc, ALICE).await;
    let before = dc
        .state()
        .store()
        .authorizations(alice.me().unwrap().user_id)
        .unwrap();
    assert_eq!(before.len(), 1);
    for _ in 0..3 {
        alice
            .invoke_in_dc(4, &functions::updates::GetState {})
            .await
            .unwrap();
    }
    let after = dc
        .state()
        .store()
        .authorizations(alice.me().unwrap().user_id)
        .unwrap();
    assert_eq!(after.len(), 2, "one import into DC 4, remembered");
    assert!(storage.auth_key(4).unwrap().is_some());
    assert!(alice.is_connected(4, hearth_client::ConnKind::Main));
    assert_eq!(alice.home_dc(), 2, "home stays");

    // Signed out, nothing can be imported: the caller is told to sign in.
    let anon = connect(&dc, memory()).await;
    let e = anon
        .invoke_in_dc(4, &functions::updates::GetState {})
        .await
        .unwrap_err();
    assert!(matches!(e, ClientError::Unauthorized { dc: 4, .. }), "{e}");
    for c in [alice, anon] {
        c.shutdown();
    }
    dc.shutdown().await;
}

#[tokio::test]
async fn peers_met_once_are_addressable_after_a_restart() {
    let dc = start_demo().await;
    let (alice, storage) = signed_in(&dc, ALICE).await;
    let carol =
        hearth_client::PeerId::User(dc.state().users().by_phone(CAROL).expect("carol exists").id);
    let not_met = alice.peers().input_peer(carol).unwrap_err();
    assert!(
        not_met.to_string().contains("username"),
        "says how to meet it: {not_met}"
    );
    let e: ClientError = not_met.into();
    assert_eq!(e.code(), "PEER_NOT_MET");

    let bob = alice.resolve_username("@Bob_Builder").await.unwrap();
    assert!(bob.access_hash.is_some());
    alice.shutdown();
    alice.closed().await;

    let again = connect(&dc, storage).await;
    let cached = again
        .peers()
        .by_username("bob_builder")
        .expect("loaded from storage");
    assert_eq!(cached.id, bob.id);
    let input = again.peers().input_peer(bob.id).unwrap();
    again
        .invoke(&send_message(input, "hello from the cache"))
        .await
        .expect("no PEER_ID_INVALID");
    assert_eq!(again.peers().self_id(), again.me().map(|m| m.user_id));
    again.shutdown();
    dc.shutdown().await;
}
