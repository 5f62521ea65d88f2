//! Adding accounts through the service against localdc: by code (with the move to the
//! number's DC), with 2FA, by bot token; refused duplicates; cancelled and abandoned logins;
//! errors that name their field and say what to do.

mod common;

use common::*;
use hearth_accounts::{
    AccountEvent, AccountsError, CodeKind, ConnectionState, LoginStep, NetworkSpec,
};

#[tokio::test(flavor = "multi_thread")]
async fn a_code_login_adds_the_account_on_its_dc_and_it_stays_signed_in() {
    let w = world().await;
    let mut events = w.accounts.subscribe();
    let mut flow = w.accounts.begin_login(w.spec(), None).await.unwrap();

    let bad = flow.request_code("call me maybe").await.unwrap_err();
    assert_eq!((bad.code(), bad.field()), ("INVALID_INPUT", Some("phone")));
    let early = flow.submit_code("44444").await.unwrap_err();
    assert_eq!(early.code(), "LOGIN_STEP");

    let sent = flow.request_code("+999 664 1111").await.unwrap();
    assert_eq!(sent.phone, BOB);
    assert_eq!((sent.kind.clone(), sent.length), (CodeKind::App, Some(5)));
    assert_eq!(
        flow.client().home_dc(),
        4,
        "PHONE_MIGRATE_4 moved the login"
    );

    let wrong = flow.submit_code("12345").await.unwrap_err();
    assert_eq!(
        (wrong.code(), wrong.field()),
        ("PHONE_CODE_INVALID", Some("code"))
    );
    assert!(wrong.to_string().contains("code is wrong"), "{wrong}");

    let LoginStep::Done(view) = flow.submit_code("44444").await.unwrap() else {
        panic!("bob has no password")
    };
    drop(flow); // finished flows leave the account alone
    assert_eq!(view.dc, 4);
    assert_eq!(view.label, "Bob");
    assert_eq!(view.name.as_deref(), Some("Bob"));
    assert_eq!(view.username.as_deref(), Some("bob_builder"));
    assert_eq!(view.phone.as_deref(), Some(BOB));
    assert_eq!(view.state, ConnectionState::Online);
    assert_eq!(view.local_source.as_deref(), w.announcement.to_str());
    assert!(view.user_id.is_some() && !view.is_bot);
    assert_eq!(w.accounts.list().unwrap(), [view.clone()]);
    let mut saw_list = false;
    while let Ok(e) = events.try_recv() {
        saw_list |= e == AccountEvent::ListChanged;
    }
    assert!(saw_list);
    assert!(w.keys.count_for(view.id) >= 1, "the DC 4 key is kept");

    // The signed-in client serves the account without a second connection.
    let sessions = w.accounts.sessions(view.id).await.unwrap();
    assert_eq!(sessions.len(), 1);
    assert!(sessions[0].current && sessions[0].dc == Some(4));

    // A restart: a new service on the same data directory finds it signed in.
    w.accounts.shutdown().await;
    assert_eq!(w.accounts.state(view.id), ConnectionState::Offline);
    let again = service(w.dir.path(), &w.db, &w.keys, &w.proxies);
    assert_eq!(again.list().unwrap().len(), 1);
    let client = again.client(view.id).await.unwrap();
    assert_eq!(client.home_dc(), 4);
    assert!(client.is_authorized().await.unwrap());
    assert_eq!(again.state(view.id), ConnectionState::Online);
    again.shutdown().await;
    w.dc.shutdown().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn two_step_verification_and_a_bot_token() {
    let w = world().await;
    let mut flow = w
        .accounts
        .begin_login(w.spec(), Some("Carol's".into()))
        .await
        .unwrap();
    flow.request_code(CAROL).await.unwrap();
    let step = flow.submit_code(&code_of(CAROL)).await.unwrap();
    assert_eq!(
        step,
        LoginStep::PasswordRequired {
            hint: Some("xkcd 936".into())
        }
    );
    let wrong = flow.submit_password("wrong password").await.unwrap_err();
    assert_eq!(
        (wrong.code(), wrong.field()),
        ("PASSWORD_HASH_INVALID", Some("password"))
    );
    let carol = flow.submit_password(CAROL_PASSWORD).await.unwrap();
    assert_eq!(carol.label, "Carol's");
    assert_eq!(carol.name.as_deref(), Some("Carol Secure"));

    let mut bot = w.accounts.begin_login(w.spec(), None).await.unwrap();
    let malformed = bot.bot_token("not a token").await.unwrap_err();
    assert_eq!(
        (malformed.code(), malformed.field()),
        ("INVALID_INPUT", Some("bot_token"))
    );
    let wrong = bot.bot_token("7000001:wrong").await.unwrap_err();
    assert_eq!(
        (wrong.code(), wrong.field()),
        ("ACCESS_TOKEN_INVALID", Some("bot_token"))
    );
    let helper = bot.bot_token(BOT_TOKEN).await.unwrap();
    assert!(helper.is_bot && helper.phone.is_none());
    assert_eq!(helper.username.as_deref(), Some("hearth_helper_bot"));
    assert_eq!(helper.label, "Hearth Helper");

    let order: Vec<_> = w.accounts.list().unwrap().iter().map(|v| v.id).collect();
    assert_eq!(order, [carol.id, helper.id], "new accounts go last");
    w.accounts.shutdown().await;
    w.dc.shutdown().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn the_same_user_twice_is_refused_and_the_extra_server_session_ended() {
    let w = world().await;
    let first = w.add(ALICE).await;
    let mut again = w.accounts.begin_login(w.spec(), None).await.unwrap();
    again.request_code(ALICE).await.unwrap();
    let err = again.submit_code(&code_of(ALICE)).await.unwrap_err();
    assert_eq!(err.code(), "ALREADY_SIGNED_IN");
    let text = err.to_string();
    assert!(
        text.contains(&format!("account {}", first.id)) && text.contains("Alice"),
        "{text}"
    );
    let retry = again.submit_code(&code_of(ALICE)).await.unwrap_err();
    assert_eq!(retry.code(), "LOGIN_STEP", "the flow is over");

    assert_eq!(w.accounts.list().unwrap().len(), 1);
    assert!(w.db.lock().unwrap().pending_accounts().unwrap().is_empty());
    let sessions = w.accounts.sessions(first.id).await.unwrap();
    assert_eq!(
        sessions.len(),
        1,
        "the duplicate's server session was logged out"
    );
    w.accounts.shutdown().await;
    w.dc.shutdown().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn cancelled_and_abandoned_logins_leave_nothing_behind() {
    let w = world().await;
    let mut flow = w.accounts.begin_login(w.spec(), None).await.unwrap();
    flow.request_code(BOB).await.unwrap();
    assert_eq!(w.db.lock().unwrap().pending_accounts().unwrap().len(), 1);
    assert!(!w.keys.is_empty(), "the login created a key");
    flow.cancel().await.unwrap();
    assert!(w.db.lock().unwrap().pending_accounts().unwrap().is_empty());
    assert!(w.keys.is_empty(), "its keys were deleted");

    let mut flow = w.accounts.begin_login(w.spec(), None).await.unwrap();
    flow.request_code(ALICE).await.unwrap();
    drop(flow);
    assert!(w.db.lock().unwrap().pending_accounts().unwrap().is_empty());
    assert!(w.keys.is_empty());
    assert!(w.accounts.list().unwrap().is_empty());
    w.dc.shutdown().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_superseded_code_expires_with_advice_about_shared_codes() {
    let w = world().await;
    let mut first = w.accounts.begin_login(w.spec(), None).await.unwrap();
    first.request_code(BOB).await.unwrap();
    let mut second = w.accounts.begin_login(w.spec(), None).await.unwrap();
    second.request_code(BOB).await.unwrap();
    let err = first.submit_code(&code_of(BOB)).await.unwrap_err();
    assert_eq!(
        (err.code(), err.field()),
        ("PHONE_CODE_EXPIRED", Some("code"))
    );
    let text = err.to_string();
    assert!(
        text.contains("any chat") && text.contains("new one"),
        "{text}"
    );
    assert!(matches!(
        second.submit_code(&code_of(BOB)).await.unwrap(),
        LoginStep::Done(_)
    ));
    first.cancel().await.unwrap();
    w.accounts.shutdown().await;
    w.dc.shutdown().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn network_choices_that_cannot_work_name_the_field() {
    let w = world().await;
    let missing = w
        .accounts
        .begin_login(
            NetworkSpec::Local {
                announcement: w.dir.path().join("nope.json"),
            },
            None,
        )
        .await
        .unwrap_err();
    assert_eq!(
        (missing.code(), missing.field()),
        ("LOCAL_NETWORK", Some("network"))
    );
    assert!(missing.to_string().contains("nope.json"), "{missing}");

    let builtin = w
        .accounts
        .begin_login(NetworkSpec::BuiltinLocal, None)
        .await
        .unwrap_err();
    assert_eq!(builtin.code(), "LOCAL_NETWORK_UNAVAILABLE");

    let production = w
        .accounts
        .begin_login(NetworkSpec::Production { api: None }, None)
        .await
        .unwrap_err();
    assert!(matches!(
        production,
        AccountsError::ApiCredentialsMissing { .. }
    ));
    assert_eq!(production.field(), Some("api_id"));
    assert!(production.to_string().contains("my.telegram.org"));
    assert!(w.db.lock().unwrap().pending_accounts().unwrap().is_empty());
    w.dc.shutdown().await;
}
