//! Handing an account's session to another program: a fresh export makes a new
//! authorization listed under the chosen name, usable at the same time as Hearth's own;
//! a move writes Hearth's key and removes the account without ending the session.

mod common;

use std::sync::Arc;
use std::time::Duration;

use common::*;
use hearth_accounts::{
    ExportRequest, FreshLogin, FreshOptions, HistoryAnchor, LoginStep, SessionFormat,
};
use hearth_client::{Client, ClientConfig, InitParams, MemoryStorage, Network};
use hearth_portable::PortableSession;
use hearth_session::SessionStorage;

/// A client outside Hearth using `session` (as the other program would), and whom the
/// server says it is signed in as.
async fn use_session(w: &TestWorld, session: &PortableSession) -> (Client, i64) {
    let storage = Arc::new(MemoryStorage::new());
    storage
        .save_auth_key(session.dc_id, session.auth_key.as_bytes())
        .unwrap();
    storage.set_home_dc(session.dc_id).unwrap();
    let mut config = ClientConfig::new(
        Network::local(&announcement_of(&w.dc)).unwrap(),
        storage,
        InitParams::local(),
    );
    config.catch_up = false;
    config.request_timeout = Some(Duration::from_secs(20));
    let client = Client::connect(config)
        .await
        .expect("the exported key connects");
    let user = client
        .resume_authorization()
        .await
        .expect("the exported key is signed in");
    (client, user.id)
}

fn fresh(label: &str) -> FreshOptions {
    FreshOptions {
        label: label.into(),
        ..FreshOptions::default()
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_fresh_session_is_a_new_authorization_and_both_keep_working() {
    let w = world().await;
    let bob = w.add(BOB).await;
    let before = w.accounts.sessions(bob.id).await.unwrap().len();

    let request = ExportRequest {
        format: SessionFormat::TelethonString,
        out: None,
    };
    let exported = w
        .accounts
        .export_fresh_session(bob.id, &request, fresh("Build bot"))
        .await
        .expect("exported");
    assert_eq!(exported.user_id, bob.user_id.unwrap());
    let text = exported
        .string
        .as_ref()
        .expect("a string format returns the string");
    let session = hearth_portable::read_string(text).unwrap();
    assert_eq!(session.key_id(), exported.key_id);
    assert_eq!(session.server.as_ref().unwrap().host, "127.0.0.1");

    let sessions = w.accounts.sessions(bob.id).await.unwrap();
    assert_eq!(sessions.len(), before + 1, "one new authorization");
    let listed = sessions
        .iter()
        .find(|s| s.device == "Build bot")
        .expect("listed under the chosen name");
    assert!(!listed.current);

    // The other program and Hearth use the account at the same time.
    let (tool, user) = use_session(&w, &session).await;
    assert_eq!(user, bob.user_id.unwrap());
    for _ in 0..5 {
        let (a, b) = tokio::join!(w.accounts.sessions(bob.id), tool.authorizations());
        assert_eq!(a.expect("Hearth's session still works").len(), before + 1);
        assert_eq!(b.expect("the tool's session works").len(), before + 1);
    }
    assert!(tool.is_authorized().await.unwrap());
    tool.shutdown();

    // A Pyrogram file of a local network carries the DC address (the shared layout, version 7).
    let path = w.dir.path().join("tool.session");
    let request = ExportRequest {
        format: SessionFormat::PyrogramFile,
        out: Some(path.clone()),
    };
    let file = w
        .accounts
        .export_fresh_session(bob.id, &request, fresh("Second tool"))
        .await
        .expect("exported to a file");
    assert!(file.string.is_none());
    let read = hearth_portable::read_file(&path).unwrap().remove(0);
    assert_eq!(read.key_id(), file.key_id);
    assert_ne!(
        read.key_id(),
        session.key_id(),
        "every export is its own key"
    );
    assert_eq!(read.user_id, bob.user_id);
    assert!(read.server.is_some());
    let count = w.accounts.sessions(bob.id).await.unwrap().len();
    assert_eq!(count, before + 2);

    // An existing file is refused before the server is asked for anything.
    let again = w
        .accounts
        .export_fresh_session(bob.id, &request, fresh("Third"))
        .await
        .unwrap_err();
    assert_eq!(
        (again.code(), again.field()),
        ("INVALID_INPUT", Some("out"))
    );
    assert!(again.to_string().contains("never overwritten"), "{again}");
    let empty = w
        .accounts
        .export_fresh_session(bob.id, &request, fresh("  "))
        .await
        .unwrap_err();
    assert_eq!(empty.field(), Some("label"));
    assert_eq!(w.accounts.sessions(bob.id).await.unwrap().len(), count);
    w.accounts.shutdown().await;
    w.dc.shutdown().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn moving_the_session_needs_confirmation_and_hands_over_hearths_key() {
    let w = world().await;
    let alice = w.add(ALICE).await;
    let path = w.dir.path().join("moved.session");
    let request = ExportRequest {
        format: SessionFormat::TelethonFile,
        out: Some(path.clone()),
    };
    let refused = w
        .accounts
        .move_session(alice.id, &request, false)
        .await
        .unwrap_err();
    assert_eq!(refused.field(), Some("confirm"));
    assert!(!path.exists());
    assert_eq!(w.accounts.list().unwrap().len(), 1, "nothing removed");
    let sessions = w.accounts.sessions(alice.id).await.unwrap().len();

    let moved = w
        .accounts
        .move_session(alice.id, &request, true)
        .await
        .expect("moved");
    assert!(
        w.accounts.list().unwrap().is_empty(),
        "the account left Hearth"
    );
    assert_eq!(w.keys.count_for(alice.id), 0, "and its keys the keyring");
    let session = hearth_portable::read_file(&path).unwrap().remove(0);
    assert_eq!(session.key_id(), moved.key_id);
    // The server did not end the session: the other program continues it.
    let (tool, user) = use_session(&w, &session).await;
    assert_eq!(user, alice.user_id.unwrap());
    assert_eq!(tool.authorizations().await.unwrap().len(), sessions);
    tool.shutdown();
    w.dc.shutdown().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn two_step_verification_needs_the_password() {
    let w = world().await;
    let mut flow = w.accounts.begin_login(w.spec(), None).await.unwrap();
    flow.request_code(CAROL).await.unwrap();
    let step = flow.submit_code(&code_of(CAROL)).await.unwrap();
    assert!(
        matches!(step, LoginStep::PasswordRequired { .. }),
        "{step:?}"
    );
    let carol = flow.submit_password(CAROL_PASSWORD).await.unwrap();
    let request = ExportRequest {
        format: SessionFormat::TelethonString,
        out: None,
    };
    let before = w.accounts.sessions(carol.id).await.unwrap().len();
    let missing = w
        .accounts
        .export_fresh_session(carol.id, &request, fresh("Carol's tool"))
        .await
        .unwrap_err();
    assert!(
        missing.to_string().contains("two-step verification"),
        "{missing}"
    );
    assert_eq!(
        w.accounts.sessions(carol.id).await.unwrap().len(),
        before,
        "the unfinished session was ended, not left waiting for the password"
    );
    let with_password = FreshOptions {
        password: Some(CAROL_PASSWORD.to_owned().into()),
        ..fresh("Carol's tool")
    };
    let exported = w
        .accounts
        .export_fresh_session(carol.id, &request, with_password)
        .await
        .expect("exported with the password");
    let session = hearth_portable::read_string(exported.string.as_ref().unwrap()).unwrap();
    let sessions = w.accounts.sessions(carol.id).await.unwrap();
    assert!(sessions.iter().any(|s| s.device == "Carol's tool"));
    assert_eq!(sessions.len(), before + 1);
    let (tool, user) = use_session(&w, &session).await;
    assert_eq!(Some(user), carol.user_id);
    tool.shutdown();

    w.accounts.shutdown().await;
    w.dc.shutdown().await;
}

/// A bot cannot approve a login token: its new session is `auth.importBotAuthorization`
/// with its token on a new key, a separate authorization each time (several sessions of one
/// bot at once), while Hearth's own session of the bot keeps working.
#[tokio::test(flavor = "multi_thread")]
async fn a_bots_new_session_signs_in_with_its_token_beside_hearths() {
    let w = world().await;
    let mut flow = w.accounts.begin_login(w.spec(), None).await.unwrap();
    let bot = flow.bot_token(BOT_TOKEN).await.unwrap();
    let request = ExportRequest {
        format: SessionFormat::PyrogramString,
        out: None,
    };
    let refused = w
        .accounts
        .export_fresh_session(bot.id, &request, fresh("Bot tool"))
        .await
        .unwrap_err();
    assert_eq!(refused.field(), Some("bot_token"), "{refused}");
    assert!(refused.to_string().contains("token"), "{refused}");
    let wrong = FreshOptions {
        bot_token: Some("7000001:AAnotTheSecret".to_owned().into()),
        ..fresh("Bot tool")
    };
    let wrong = w
        .accounts
        .export_fresh_session(bot.id, &request, wrong)
        .await
        .unwrap_err();
    assert_eq!(wrong.code(), "ACCESS_TOKEN_INVALID", "{wrong}");
    assert_eq!(wrong.field(), Some("bot_token"));

    let held = w.keys.count_for(bot.id);
    let with_token = || FreshOptions {
        bot_token: Some(BOT_TOKEN.to_owned().into()),
        ..fresh("Bot tool")
    };
    let first = w
        .accounts
        .export_fresh_session(bot.id, &request, with_token())
        .await
        .expect("a bot's new session");
    let second = w
        .accounts
        .export_fresh_session(bot.id, &request, with_token())
        .await
        .expect("another new session of the same bot");
    assert_ne!(first.key_id, second.key_id, "every export is its own key");
    assert_eq!(
        w.keys.count_for(bot.id),
        held,
        "Hearth stores neither new key beside its own"
    );
    let mut tools = Vec::new();
    for exported in [&first, &second] {
        let session = hearth_portable::read_string(exported.string.as_ref().unwrap()).unwrap();
        assert_eq!(
            session.is_bot,
            Some(true),
            "the Pyrogram string says it is a bot"
        );
        let (tool, user) = use_session(&w, &session).await;
        assert_eq!(Some(user), bot.user_id, "signed in as the bot");
        tools.push(tool);
    }
    // Both new sessions and Hearth's answer at once: three authorizations of one bot.
    for tool in &tools {
        assert!(tool.is_authorized().await.unwrap());
    }
    let hearth = w.accounts.client(bot.id).await.unwrap();
    let me = hearth.resume_authorization().await;
    assert!(
        me.is_ok_and(|u| Some(u.id) == bot.user_id),
        "Hearth's bot session still works"
    );
    for tool in tools {
        tool.shutdown();
    }

    // A user's new session needs no bot token, and a token given for one is refused.
    let alice = w.add(ALICE).await;
    let misplaced = FreshOptions {
        bot_token: Some(BOT_TOKEN.to_owned().into()),
        ..fresh("Alice's tool")
    };
    let misplaced = w
        .accounts
        .export_fresh_session(alice.id, &request, misplaced)
        .await
        .unwrap_err();
    assert_eq!(misplaced.field(), Some("bot_token"), "{misplaced}");
    w.accounts.shutdown().await;
    w.dc.shutdown().await;
}

/// The code login: the new session asks for a login code for the account's own number,
/// Telegram (localdc) sends it to Hearth's session as a message from 777000, Hearth reads
/// it and the new session signs in, with the password when the account has one.
#[tokio::test(flavor = "multi_thread")]
async fn a_fresh_session_by_login_code_read_by_hearth() {
    let w = world().await;
    let bob = w.add(BOB).await;
    let before = w.accounts.sessions(bob.id).await.unwrap().len();
    let request = ExportRequest {
        format: SessionFormat::TelethonString,
        out: None,
    };
    let by_code = |label: &str| FreshOptions {
        login: FreshLogin::Code,
        ..fresh(label)
    };
    let exported = w
        .accounts
        .export_fresh_session(bob.id, &request, by_code("Bob by code"))
        .await
        .expect("a new session by login code");
    let sessions = w.accounts.sessions(bob.id).await.unwrap();
    assert_eq!(sessions.len(), before + 1, "one new authorization");
    assert!(sessions.iter().any(|s| s.device == "Bob by code"));
    let session = hearth_portable::read_string(exported.string.as_ref().unwrap()).unwrap();
    let (tool, user) = use_session(&w, &session).await;
    assert_eq!(Some(user), bob.user_id);
    tool.shutdown();
    // The code came as Telegram sends it, to Hearth's own chat with 777000.
    let codes = w
        .accounts
        .history(bob.id, 777_000, HistoryAnchor::Latest, 10)
        .await
        .expect("Hearth reads its chat with 777000");
    assert!(
        codes.iter().any(|m| m.text.starts_with("Login code: ")),
        "{codes:?}"
    );

    // Two-step verification: the password after the code, and without it nothing is left.
    let mut flow = w.accounts.begin_login(w.spec(), None).await.unwrap();
    flow.request_code(CAROL).await.unwrap();
    flow.submit_code(&code_of(CAROL)).await.unwrap();
    let carol = flow.submit_password(CAROL_PASSWORD).await.unwrap();
    let before = w.accounts.sessions(carol.id).await.unwrap().len();
    let missing = w
        .accounts
        .export_fresh_session(carol.id, &request, by_code("Carol by code"))
        .await
        .unwrap_err();
    assert!(
        missing.to_string().contains("two-step verification"),
        "{missing}"
    );
    assert_eq!(w.accounts.sessions(carol.id).await.unwrap().len(), before);
    let with_password = FreshOptions {
        password: Some(CAROL_PASSWORD.to_owned().into()),
        ..by_code("Carol by code")
    };
    let exported = w
        .accounts
        .export_fresh_session(carol.id, &request, with_password)
        .await
        .expect("signed in with the code and the password");
    let session = hearth_portable::read_string(exported.string.as_ref().unwrap()).unwrap();
    let (tool, user) = use_session(&w, &session).await;
    assert_eq!(Some(user), carol.user_id);
    tool.shutdown();
    w.accounts.shutdown().await;
    w.dc.shutdown().await;
}
