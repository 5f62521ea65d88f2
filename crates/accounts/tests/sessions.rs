//! An account's sessions through the service: listing, ending one or all others, noticing
//! that its own session was ended elsewhere, and log-out.

mod common;

use common::*;
use hearth_accounts::{AccountEvent, ConnectionState};

#[tokio::test(flavor = "multi_thread")]
async fn sessions_are_listed_and_ended_and_a_remote_end_signs_the_account_out() {
    let w = world().await;
    let bob = w.add(BOB).await;
    let phone = w.other_device(BOB).await;

    let sessions = w.accounts.sessions(bob.id).await.unwrap();
    assert_eq!(sessions.len(), 2);
    assert!(sessions[0].current, "the current session comes first");
    let other = sessions.iter().find(|s| !s.current).unwrap();
    assert_eq!(other.device, "Other device");
    assert_ne!(other.hash, 0);

    let own = w.accounts.terminate(bob.id, 0).await.unwrap_err();
    assert_eq!((own.code(), own.field()), ("INVALID_INPUT", Some("hash")));
    let fresh = w.accounts.terminate_others(bob.id).await.unwrap_err();
    assert_eq!(fresh.code(), "FRESH_RESET_AUTHORISATION_FORBIDDEN");
    assert!(fresh.to_string().contains("24 hours"), "{fresh}");

    w.accounts.terminate(bob.id, other.hash).await.unwrap();
    assert!(
        !phone.is_authorized().await.unwrap(),
        "the ended session is signed out"
    );
    assert_eq!(w.accounts.sessions(bob.id).await.unwrap().len(), 1);
    let gone = w.accounts.terminate(bob.id, other.hash).await.unwrap_err();
    assert_eq!((gone.code(), gone.field()), ("HASH_INVALID", Some("hash")));
    phone.shutdown();

    // Another device ends Hearth's session: the account shows as signed out.
    let tablet = w.other_device(BOB).await;
    let hearth = tablet
        .authorizations()
        .await
        .unwrap()
        .into_iter()
        .find(|s| !s.current)
        .expect("Hearth's session is listed");
    let mut events = w.accounts.subscribe();
    tablet.terminate_authorization(hearth.hash).await.unwrap();
    let err = w.accounts.sessions(bob.id).await.unwrap_err();
    assert_eq!(err.code(), "UNAUTHORIZED", "{err}");
    assert!(err.to_string().contains("sign in again"), "{err}");
    assert_eq!(w.accounts.state(bob.id), ConnectionState::SignedOut);
    assert_eq!(
        events.try_recv().unwrap(),
        AccountEvent::State {
            id: bob.id,
            state: ConnectionState::SignedOut
        }
    );
    assert_eq!(
        w.accounts.list().unwrap()[0].state,
        ConnectionState::SignedOut
    );

    // Logging out a signed-out account still forgets it and its keys.
    w.accounts.log_out(bob.id).await.unwrap();
    assert!(w.accounts.list().unwrap().is_empty());
    assert_eq!(w.keys.count_for(bob.id), 0);
    tablet.shutdown();
    w.dc.shutdown().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn log_out_ends_the_server_session_and_deletes_the_keys() {
    let w = world().await;
    let alice = w.add(ALICE).await;
    let bob = w.add(BOB).await;
    let laptop = w.other_device(ALICE).await;
    assert_eq!(laptop.authorizations().await.unwrap().len(), 2);

    w.accounts.log_out(alice.id).await.unwrap();
    let left: Vec<_> = w.accounts.list().unwrap().iter().map(|v| v.id).collect();
    assert_eq!(left, [bob.id]);
    assert_eq!(w.keys.count_for(alice.id), 0, "keys deleted");
    assert!(w.keys.count_for(bob.id) > 0, "other accounts keep theirs");
    let remaining = laptop.authorizations().await.unwrap();
    assert_eq!(
        remaining.len(),
        1,
        "Hearth's session of alice was ended on the server"
    );
    assert!(remaining[0].current);
    assert_eq!(
        w.accounts.log_out(alice.id).await.unwrap_err().code(),
        "NO_SUCH_ACCOUNT"
    );
    // Bob is unaffected.
    assert_eq!(w.accounts.sessions(bob.id).await.unwrap().len(), 1);
    laptop.shutdown();
    w.accounts.shutdown().await;
    w.dc.shutdown().await;
}
