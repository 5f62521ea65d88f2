//! QR login (with the move to the account's DC and with 2FA), the built-in local network,
//! and an account's connections through its saved proxy.

mod common;

use std::sync::Arc;

use common::*;
use hearth_accounts::{
    AnnouncementFuture, BuiltinLocalNetwork, ConnectionState, LoginStep, NetworkSpec, QrStep,
    BUILTIN_LOCAL,
};
use hearth_client::auth::qr::parse_login_url;
use hearth_diagnose::proxies_db;
use hearth_diagnose::ProxySpec;

#[tokio::test(flavor = "multi_thread")]
async fn a_qr_code_scanned_by_another_device_adds_the_account_on_its_dc() {
    let w = world().await;
    let phone = w.other_device(BOB).await;
    let mut flow = w.accounts.begin_login(w.spec(), None).await.unwrap();
    assert_eq!(flow.client().home_dc(), 2);
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
    let scanner = tokio::spawn(async move {
        let code: hearth_accounts::QrCode = rx.recv().await.expect("a code is shown");
        let token = parse_login_url(&code.url).expect("a tg://login URL");
        phone.accept_login_token(&token).await.expect("accepted");
        (code, phone)
    });
    let step = flow
        .qr(|code| tx.send(code.clone()).unwrap())
        .await
        .unwrap();
    let (code, phone) = scanner.await.unwrap();
    assert!(code.url.starts_with("tg://login?token="));
    let left = code
        .expires
        .duration_since(std::time::SystemTime::now())
        .unwrap_or_default();
    assert!(left.as_secs() <= 30, "localdc's tokens live 30 s");
    let LoginStep::Done(bob) = step else {
        panic!("bob has no password: {step:?}")
    };
    assert_eq!(bob.dc, 4, "the login moved to bob's DC");
    assert_eq!(bob.username.as_deref(), Some("bob_builder"));
    assert_eq!(w.accounts.sessions(bob.id).await.unwrap().len(), 2);
    phone.shutdown();
    w.accounts.shutdown().await;
    w.dc.shutdown().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_qr_login_of_a_2fa_account_then_asks_for_the_password() {
    let w = world().await;
    let mut flow = w.accounts.begin_login(w.spec(), None).await.unwrap();
    let early = flow.qr_wait().await.unwrap_err();
    assert_eq!(early.code(), "LOGIN_STEP");
    let code = flow.qr_start().await.unwrap().expect("a code to show");

    // Carol's other device (signed in with her password) scans it.
    let laptop = w.other_device(CAROL).await;
    laptop
        .accept_login_token(&parse_login_url(&code.url).unwrap())
        .await
        .unwrap();
    let step = flow.qr_wait().await.unwrap();
    assert_eq!(
        step,
        QrStep::PasswordRequired {
            hint: Some("xkcd 936".into())
        }
    );
    let carol = flow.submit_password(CAROL_PASSWORD).await.unwrap();
    assert_eq!(carol.name.as_deref(), Some("Carol Secure"));
    laptop.shutdown();
    w.accounts.shutdown().await;
    w.dc.shutdown().await;
}

struct Builtin(String);

impl BuiltinLocalNetwork for Builtin {
    fn announcement(&self) -> AnnouncementFuture<'_> {
        Box::pin(async move { Ok(self.0.clone()) })
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn the_builtin_local_network_is_remembered_as_builtin() {
    let w = world().await;
    w.accounts
        .set_builtin_local(Arc::new(Builtin(announcement_of(&w.dc))));
    let mut flow = w
        .accounts
        .begin_login(NetworkSpec::BuiltinLocal, None)
        .await
        .unwrap();
    flow.request_code(ALICE).await.unwrap();
    let LoginStep::Done(alice) = flow.submit_code(&code_of(ALICE)).await.unwrap() else {
        panic!("alice has no password")
    };
    assert_eq!(alice.local_source.as_deref(), Some(BUILTIN_LOCAL));
    w.accounts.shutdown().await;

    // After a restart the service asks the app for the network again.
    let again = service(w.dir.path(), &w.db, &w.keys, &w.proxies);
    let unavailable = again.client(alice.id).await.unwrap_err();
    assert_eq!(unavailable.code(), "LOCAL_NETWORK_UNAVAILABLE");
    assert_eq!(again.state(alice.id), ConnectionState::Unreachable);
    again.set_builtin_local(Arc::new(Builtin(announcement_of(&w.dc))));
    assert!(again
        .client(alice.id)
        .await
        .unwrap()
        .is_authorized()
        .await
        .unwrap());
    again.shutdown().await;
    w.dc.shutdown().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn an_account_reconnects_through_the_proxy_it_is_given() {
    let w = world().await;
    let alice = w.add(ALICE).await;
    let socks = hearth_sender::test_support::socks5_server(Some(("alice", "s3cret"))).await;
    let (good, bad) = {
        let save = |url: String| {
            let spec = ProxySpec::parse(&url).unwrap();
            proxies_db::save(w.db.as_ref(), w.proxies.as_ref(), &spec).unwrap()
        };
        (
            save(format!("socks5://alice:s3cret@{socks}")),
            save(format!("socks5://alice:wrong@{socks}")),
        )
    };

    let unknown = w
        .accounts
        .set_proxy(alice.id, Some(good + 100))
        .await
        .unwrap_err();
    assert_eq!(
        (unknown.code(), unknown.field()),
        ("INVALID_INPUT", Some("proxy"))
    );

    // Wrong credentials: the reconnection through the proxy fails and says so.
    let refused = w.accounts.set_proxy(alice.id, Some(bad)).await.unwrap_err();
    assert_eq!(refused.code(), "NETWORK", "{refused}");
    assert_eq!(w.accounts.state(alice.id), ConnectionState::Unreachable);
    assert_eq!(w.accounts.get(alice.id).unwrap().proxy_id, Some(bad));

    w.accounts.set_proxy(alice.id, Some(good)).await.unwrap();
    assert_eq!(w.accounts.state(alice.id), ConnectionState::Online);
    assert_eq!(w.accounts.sessions(alice.id).await.unwrap().len(), 1);
    assert_eq!(w.accounts.get(alice.id).unwrap().proxy_id, Some(good));

    // A login can go through a proxy too; the new account keeps it.
    let mut flow = w
        .accounts
        .begin_login_through(w.spec(), None, Some(good))
        .await
        .unwrap();
    flow.request_code(BOB).await.unwrap();
    let LoginStep::Done(bob) = flow.submit_code(&code_of(BOB)).await.unwrap() else {
        panic!("bob has no password")
    };
    assert_eq!(bob.proxy_id, Some(good));
    assert!(w
        .accounts
        .begin_login_through(w.spec(), None, Some(bad + 100))
        .await
        .is_err_and(|e| e.field() == Some("proxy")));
    let through_bad = w
        .accounts
        .begin_login_through(w.spec(), None, Some(bad))
        .await
        .unwrap_err();
    assert_eq!(through_bad.code(), "NETWORK", "{through_bad}");
    assert!(w.db.lock().unwrap().pending_accounts().unwrap().is_empty());

    w.accounts.set_proxy(alice.id, None).await.unwrap();
    assert_eq!(w.accounts.get(alice.id).unwrap().proxy_id, None);
    assert_eq!(w.accounts.sessions(alice.id).await.unwrap().len(), 1);
    w.accounts.shutdown().await;
    w.dc.shutdown().await;
}
