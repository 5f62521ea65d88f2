//! Importing another client's session through the service: the key is checked with the
//! server first, a key Hearth already holds is refused by its key id, and a refused import
//! leaves no account, pending row or stored key behind.

mod common;

use std::sync::Arc;
use std::time::Duration;

use common::*;
use hearth_accounts::{PortableSession, SessionFormat};
use hearth_client::{Client, ClientConfig, InitParams, MemoryStorage, Network, SignIn};
use hearth_crypto::AuthKey;
use hearth_session::SessionStorage;

/// A client outside Hearth (say a Telethon script) signed in as `phone`, and its session as
/// a portable one.
async fn foreign(w: &TestWorld, phone: &str) -> (Client, PortableSession) {
    let storage = Arc::new(MemoryStorage::new());
    let mut init = InitParams::local();
    init.device_model = "Script".into();
    let mut config = ClientConfig::new(
        Network::local(&announcement_of(&w.dc)).unwrap(),
        storage.clone(),
        init,
    );
    config.catch_up = false;
    config.request_timeout = Some(Duration::from_secs(20));
    let client = Client::connect(config).await.expect("connects");
    let token = client.request_login_code(phone).await.expect("code sent");
    let SignIn::Done(user) = client.sign_in(&token, &code_of(phone)).await.unwrap() else {
        panic!("{phone} signs in with the code alone");
    };
    let dc = client.home_dc();
    let key = storage
        .auth_key(dc)
        .unwrap()
        .expect("a key for the home DC");
    let session = PortableSession {
        format: SessionFormat::TelethonString,
        dc_id: dc,
        auth_key: AuthKey::from_bytes(*key),
        test_mode: None,
        user_id: Some(user.id),
        is_bot: None,
        api_id: None,
        server: None,
    };
    (client, session)
}

fn pending_rows(w: &TestWorld) -> usize {
    w.db.lock().unwrap().pending_accounts().unwrap().len()
}

#[tokio::test(flavor = "multi_thread")]
async fn an_imported_session_becomes_the_account_it_is_signed_in_to() {
    let w = world().await;
    let (script, session) = foreign(&w, BOB).await;
    w.accounts
        .check_import(&session)
        .expect("a key Hearth does not hold may be imported");
    // The script stops before Hearth takes its session over (in one process the client's key
    // registry would refuse a second live connection on the key: KEY_IN_USE).
    script.shutdown();
    script.closed().await;
    let bob = w
        .accounts
        .import_session(w.spec(), &session, Some("Bob's bot script".into()))
        .await
        .expect("imported");
    assert_eq!(bob.user_id, session.user_id);
    assert_eq!(bob.dc, 4);
    assert_eq!(bob.label, "Bob's bot script");
    // The account works on the imported key, as the same authorization (initConnection
    // re-describes it as Hearth, as Telegram does): no new one was made.
    let sessions = w.accounts.sessions(bob.id).await.unwrap();
    assert_eq!(
        sessions.len(),
        1,
        "no new authorization was made: {sessions:?}"
    );
    assert!(sessions[0].current);

    // The same key again is refused by its id, before any connection and by the import.
    let checked = w.accounts.check_import(&session).unwrap_err();
    assert_eq!(checked.code(), "SESSION_ALREADY_HELD", "{checked}");
    assert!(
        checked.to_string().contains("Bob's bot script"),
        "{checked}"
    );
    let again = w
        .accounts
        .import_session(w.spec(), &session, None)
        .await
        .unwrap_err();
    assert_eq!(
        (again.code(), again.field()),
        ("SESSION_ALREADY_HELD", Some("session"))
    );
    assert!(again.to_string().contains("AUTH_KEY_DUPLICATED"), "{again}");
    assert_eq!(w.accounts.list().unwrap().len(), 1);
    assert_eq!(pending_rows(&w), 0);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_logged_out_key_is_rejected_and_leaves_nothing() {
    let w = world().await;
    let (script, session) = foreign(&w, ALICE).await;
    script.log_out().await.expect("the script logs out");
    let err = w
        .accounts
        .import_session(w.spec(), &session, None)
        .await
        .unwrap_err();
    assert_eq!(
        (err.code(), err.field()),
        ("SESSION_KEY_REJECTED", Some("session")),
        "{err}"
    );
    assert!(err.to_string().contains("DC 2"), "{err}");
    assert!(w.accounts.list().unwrap().is_empty());
    assert_eq!(pending_rows(&w), 0);
    assert_eq!(w.keys.len(), 0, "the rejected key is not kept");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_key_the_server_never_made_is_rejected() {
    let w = world().await;
    let mut bytes = [0u8; 256];
    for (i, b) in bytes.iter_mut().enumerate() {
        *b = (i as u8).wrapping_mul(13).wrapping_add(1);
    }
    let session = PortableSession {
        format: SessionFormat::PyrogramString,
        dc_id: 2,
        auth_key: AuthKey::from_bytes(bytes),
        test_mode: Some(false),
        user_id: Some(1),
        is_bot: Some(false),
        api_id: Some(1),
        server: None,
    };
    let err = tokio::time::timeout(
        Duration::from_secs(60),
        w.accounts.import_session(w.spec(), &session, None),
    )
    .await
    .expect("an unknown key is answered, not waited on forever")
    .unwrap_err();
    assert_eq!(err.code(), "SESSION_KEY_REJECTED", "{err}");
    assert!(w.accounts.list().unwrap().is_empty());
    assert_eq!(pending_rows(&w), 0);
    assert_eq!(w.keys.len(), 0);
}
