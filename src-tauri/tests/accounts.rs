//! The account commands' layer against the app's own built-in Local test
//! network (localdc inside the app, the demo world): the Add account wizard's
//! steps by phone and code, 2FA, sign-up, bot token and QR code; errors with
//! their code and field; the sidebar's list, order and events; sessions.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use base64::Engine;
use hearth_accounts::{Accounts, AccountsOptions, MemoryKeys};
use hearth_app::accounts::builtin::AppLocalNetwork;
use hearth_app::accounts::types::{
    AccountEvent, AccountNetwork, CodeDelivery, LoginRequest, LoginStep,
};
use hearth_app::accounts::AppAccounts;
use hearth_app::diagnostics::Diagnostics;
use hearth_client::{Client, ClientConfig, InitParams, MemoryStorage, Network, SignIn};
use hearth_diagnose::proxies_db::ProxySecrets;
use hearth_store::Database;
use zeroize::Zeroizing;

const ALICE: &str = "+9996621234";
const BOB: &str = "+9996641111";
const CAROL: &str = "+9996625555";
const CAROL_PASSWORD: &str = "correct horse battery staple";
const BOT_TOKEN: &str = "7000001:AAHearthDemoBotSecretToken";

#[derive(Default)]
struct MemorySecrets(Mutex<HashMap<i64, Vec<u8>>>);

impl ProxySecrets for MemorySecrets {
    fn put(&self, id: i64, s: &[u8]) -> Result<(), String> {
        self.0.lock().unwrap().insert(id, s.to_vec());
        Ok(())
    }
    fn get(&self, id: i64) -> Result<Option<Zeroizing<Vec<u8>>>, String> {
        Ok(self.0.lock().unwrap().get(&id).cloned().map(Zeroizing::new))
    }
    fn delete(&self, id: i64) -> Result<(), String> {
        self.0.lock().unwrap().remove(&id);
        Ok(())
    }
}

/// One app: a data directory, its account layer, and the built-in local
/// network of `diagnostics` (shared between apps to sign in twice).
struct App {
    _dir: tempfile::TempDir,
    accounts: AppAccounts,
}

fn app(diagnostics: &Arc<Diagnostics>) -> App {
    let dir = tempfile::tempdir().unwrap();
    let db = Arc::new(Mutex::new(Database::open(dir.path()).unwrap()));
    let service = Accounts::with_backends(
        dir.path(),
        db,
        Arc::new(MemoryKeys::new()),
        Arc::new(MemorySecrets::default()),
    );
    service.set_builtin_local(Arc::new(AppLocalNetwork(diagnostics.clone())));
    service.set_options(AccountsOptions {
        request_timeout: Some(Duration::from_secs(20)),
        ..AccountsOptions::default()
    });
    App {
        _dir: dir,
        accounts: AppAccounts::new(service),
    }
}

fn local_network() -> (tempfile::TempDir, Arc<Diagnostics>) {
    let dir = tempfile::tempdir().unwrap();
    let diagnostics = Arc::new(Diagnostics::with_secrets(
        dir.path(),
        Box::new(MemorySecrets::default()),
    ));
    (dir, diagnostics)
}

fn local() -> LoginRequest {
    LoginRequest {
        network: AccountNetwork::Local,
        api: None,
        label: None,
    }
}

fn done_name(step: &LoginStep) -> &str {
    match step {
        LoginStep::Done { account } => &account.display_name,
        other => panic!("expected a finished login, got {other:?}"),
    }
}

/// Signs `phone` in by code (no 2FA); the new account's id.
async fn sign_in(app: &App, phone: &str) -> i64 {
    let flow = app.accounts.begin_login(local()).await.unwrap();
    app.accounts.submit_phone(flow, phone).await.unwrap();
    let code = phone[6..7].repeat(5);
    match app.accounts.submit_code(flow, &code).await.unwrap() {
        LoginStep::Done { account } => account.id,
        other => panic!("{phone}: {other:?}"),
    }
}

/// Another device of `phone`, outside Hearth, on the same local network.
async fn other_device(diagnostics: &Diagnostics, phone: &str) -> Client {
    let line = diagnostics.local_announcement().await.unwrap();
    let mut init = InitParams::local();
    init.device_model = "Other device".into();
    let mut config = ClientConfig::new(
        Network::local(&line).unwrap(),
        Arc::new(MemoryStorage::new()),
        init,
    );
    config.catch_up = false;
    let client = Client::connect(config).await.unwrap();
    let token = client.request_login_code(phone).await.unwrap();
    match client
        .sign_in(&token, &phone[6..7].repeat(5))
        .await
        .unwrap()
    {
        SignIn::Done(_) => client,
        other => panic!("{phone}: {other:?}"),
    }
}

#[tokio::test]
async fn phone_code_and_2fa_with_errors_on_their_fields() {
    let (_d, diagnostics) = local_network();
    let app = app(&diagnostics);

    let networks = app.accounts.networks().unwrap();
    assert!(networks[0].preselected && networks[0].id == AccountNetwork::Local);
    assert!(networks[1].needs_api_credentials);

    let flow = app.accounts.begin_login(local()).await.unwrap();
    let bad = app.accounts.submit_phone(flow, "+12").await.unwrap_err();
    assert_eq!(bad.field.as_deref(), Some("phone"), "{bad:?}");
    let step = app.accounts.submit_phone(flow, ALICE).await.unwrap();
    match &step {
        LoginStep::Code {
            code_type,
            phone,
            length,
            ..
        } => {
            assert_eq!(*code_type, CodeDelivery::App);
            assert_eq!(phone, ALICE);
            assert_eq!(*length, Some(5));
        }
        other => panic!("{other:?}"),
    }
    let wrong = app.accounts.submit_code(flow, "11111").await.unwrap_err();
    assert_eq!(wrong.code, "PHONE_CODE_INVALID");
    assert_eq!(wrong.field.as_deref(), Some("code"));
    let done = app.accounts.submit_code(flow, "22222").await.unwrap();
    assert_eq!(done_name(&done), "Alice Liddell");
    assert_eq!(
        app.accounts.open_logins(),
        0,
        "a finished login is forgotten"
    );
    let gone = app.accounts.submit_code(flow, "22222").await.unwrap_err();
    assert_eq!(gone.code, "NOT_FOUND");

    let flow = app.accounts.begin_login(local()).await.unwrap();
    app.accounts.submit_phone(flow, CAROL).await.unwrap();
    let step = app.accounts.submit_code(flow, "22222").await.unwrap();
    assert_eq!(
        step,
        LoginStep::Password {
            hint: Some("xkcd 936".into())
        }
    );
    let wrong = app
        .accounts
        .submit_password(flow, "tr0ub4dor")
        .await
        .unwrap_err();
    assert_eq!(wrong.code, "PASSWORD_HASH_INVALID");
    assert_eq!(wrong.field.as_deref(), Some("password"));
    let done = app
        .accounts
        .submit_password(flow, CAROL_PASSWORD)
        .await
        .unwrap();
    assert_eq!(done_name(&done), "Carol Secure");

    let list = app.accounts.list().unwrap();
    let names: Vec<&str> = list.iter().map(|a| a.display_name.as_str()).collect();
    assert_eq!(names, ["Alice Liddell", "Carol Secure"]);
    assert_eq!(list[0].phone.as_deref(), Some(ALICE));
    assert_eq!(list[0].username.as_deref(), Some("alice"));
    assert_eq!((list[0].dc_id, list[0].network), (2, AccountNetwork::Local));
    assert_eq!(list[0].initials, "AL");
    assert!(!app.accounts.networks().unwrap()[0].preselected);
    app.accounts.shutdown().await;
}

#[tokio::test]
async fn sign_up_bot_token_cancel_and_the_sidebar_order() {
    let (_d, diagnostics) = local_network();
    let app = app(&diagnostics);
    let events = Arc::new(Mutex::new(Vec::new()));
    let seen = events.clone();
    app.accounts.subscribe(move |e| {
        seen.lock().unwrap().push(e);
        true
    });

    let flow = app.accounts.begin_login(local()).await.unwrap();
    app.accounts
        .submit_phone(flow, "+9996627777")
        .await
        .unwrap();
    let step = app.accounts.submit_code(flow, "22222").await.unwrap();
    assert!(matches!(step, LoginStep::SignUp { .. }), "{step:?}");
    let done = app
        .accounts
        .sign_up(flow, "Dora", "Explorer")
        .await
        .unwrap();
    assert_eq!(done_name(&done), "Dora Explorer");

    let flow = app.accounts.begin_login(local()).await.unwrap();
    let wrong = app
        .accounts
        .submit_bot_token(flow, "7000001:wrong")
        .await
        .unwrap_err();
    assert_eq!(wrong.field.as_deref(), Some("bot_token"), "{wrong:?}");
    let bot = match app
        .accounts
        .submit_bot_token(flow, BOT_TOKEN)
        .await
        .unwrap()
    {
        LoginStep::Done { account } => account,
        other => panic!("{other:?}"),
    };
    assert!(bot.is_bot);

    let flow = app.accounts.begin_login(local()).await.unwrap();
    app.accounts.submit_phone(flow, BOB).await.unwrap();
    app.accounts.cancel(flow).await.unwrap();
    assert_eq!(app.accounts.open_logins(), 0);
    assert_eq!(
        app.accounts.list().unwrap().len(),
        2,
        "a cancelled login adds nothing"
    );

    let ids: Vec<i64> = app.accounts.list().unwrap().iter().map(|a| a.id).collect();
    app.accounts.reorder(&[ids[1], ids[0]]).unwrap();
    let order: Vec<i64> = app.accounts.list().unwrap().iter().map(|a| a.id).collect();
    assert_eq!(order, [ids[1], ids[0]]);
    app.accounts.remove(bot.id).await.unwrap();
    assert_eq!(app.accounts.list().unwrap().len(), 1);
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert!(events.lock().unwrap().contains(&AccountEvent::ListChanged));
    app.accounts.shutdown().await;
}

#[tokio::test]
async fn qr_login_accepted_by_another_session_then_sessions_are_listed_and_one_ended() {
    let (_d, diagnostics) = local_network();
    let app = Arc::new(app(&diagnostics));
    let phone = other_device(&diagnostics, BOB).await;

    let flow = app.accounts.begin_login(local()).await.unwrap();
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
    let waiting = {
        let app = app.clone();
        tokio::spawn(async move { app.accounts.qr(flow, move |s| tx.send(s).unwrap()).await })
    };
    let url = match rx.recv().await.unwrap() {
        LoginStep::Qr { url, expires_at } => {
            assert!(expires_at > 0);
            url
        }
        other => panic!("{other:?}"),
    };
    let token = url
        .strip_prefix("tg://login?token=")
        .expect("a tg://login URL");
    let token = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(token)
        .unwrap();
    phone.accept_login_token(&token).await.unwrap();
    let done = waiting.await.unwrap().unwrap();
    assert_eq!(done_name(&done), "Bob");
    let bob = app.accounts.list().unwrap()[0].id;

    let sessions = app.accounts.sessions(bob).await.unwrap();
    assert_eq!(sessions.len(), 2, "{sessions:?}");
    assert!(sessions[0].current && sessions[0].dc == Some(4));
    let other = sessions.iter().find(|s| !s.current).unwrap();
    assert_eq!(other.device, "Other device");
    let refused = app.accounts.terminate(bob, "0").await.unwrap_err();
    assert_eq!(refused.field.as_deref(), Some("hash"));
    app.accounts.terminate(bob, &other.hash).await.unwrap();
    assert_eq!(app.accounts.sessions(bob).await.unwrap().len(), 1);
    let ended = phone.authorizations().await.unwrap_err();
    assert!(
        ended.code().contains("UNAUTHORIZED") || ended.code().contains("AUTH_KEY"),
        "{ended:?}"
    );

    // Telegram lets only a session older than a day end all others; the
    // refusal reaches the Sessions page with its code.
    let _again = other_device(&diagnostics, BOB).await;
    let fresh = app.accounts.terminate_others(bob).await.unwrap_err();
    assert_eq!(fresh.code, "FRESH_RESET_AUTHORISATION_FORBIDDEN");
    assert_eq!(app.accounts.sessions(bob).await.unwrap().len(), 2);
    app.accounts.shutdown().await;
}

#[tokio::test]
async fn cancelling_a_qr_login_ends_the_wait() {
    let (_d, diagnostics) = local_network();
    let app = Arc::new(app(&diagnostics));
    let flow = app.accounts.begin_login(local()).await.unwrap();
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
    let waiting = {
        let app = app.clone();
        tokio::spawn(async move { app.accounts.qr(flow, move |s| tx.send(s).unwrap()).await })
    };
    assert!(matches!(rx.recv().await.unwrap(), LoginStep::Qr { .. }));
    tokio::time::timeout(Duration::from_secs(10), app.accounts.cancel(flow))
        .await
        .expect("cancel returns while the QR wait runs")
        .unwrap();
    let ended = waiting.await.unwrap().unwrap_err();
    assert_eq!(ended.code, "NOT_FOUND");
    assert_eq!(app.accounts.open_logins(), 0);
    assert!(app.accounts.list().unwrap().is_empty());
}

#[tokio::test]
async fn two_logins_of_the_same_user_are_refused_on_the_second() {
    let (_d, diagnostics) = local_network();
    let app = app(&diagnostics);
    sign_in(&app, ALICE).await;
    let flow = app.accounts.begin_login(local()).await.unwrap();
    app.accounts.submit_phone(flow, ALICE).await.unwrap();
    let twice = app.accounts.submit_code(flow, "22222").await.unwrap_err();
    assert_eq!(twice.code, "ALREADY_SIGNED_IN", "{twice:?}");
    assert_eq!(app.accounts.list().unwrap().len(), 1);
}
