//! QR code login (auth.exportLoginToken/acceptLoginToken/importLoginToken)
//! against the demo world: the new sessions are hearth-sender connections
//! walking the protocol by hand; the accepting accounts are signed in
//! through hearth-client.

use crate::authz_support::*;
use crate::common::account::*;
use crate::common::engine::*;
use crate::common::*;
use hearth_tl::{enums, functions};
use hearth_transport::FramingKind;

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
    let alice = Account::sign_in(&dc, ALICE).await;
    let (_, msg) = err_of(&alice, &accept(&first.token)).await;
    assert_eq!(msg, "AUTH_TOKEN_INVALIDX", "replaced by the newer export");
    let (_, msg) = err_of(&alice, &accept(b"not a token")).await;
    assert_eq!(msg, "AUTH_TOKEN_INVALIDX");

    let enums::Authorization::Authorization(granted) =
        alice.invoke(&accept(&t.token)).await.unwrap();
    assert!(!granted.password_pending);
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
    assert_eq!((u.id, u.self_), (alice.id, true));
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
    let alice = Account::sign_in(&dc, ALICE).await;
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
    assert_eq!(user_of(ok.authorization).id, alice.id);
    let other = connect(&dc, 2, FramingKind::Intermediate, false).await;
    let (code, msg) = err_of(&other, &import).await;
    assert_eq!(
        (code, msg.as_str()),
        (400, "AUTH_TOKEN_ALREADY_ACCEPTED"),
        "used once"
    );
    let (_, msg) = err_of(
        &other,
        &functions::auth::ImportLoginToken {
            token: t.token.clone(),
        },
    )
    .await;
    assert_eq!(msg, "AUTH_TOKEN_ALREADY_ACCEPTED", "the QR token was used");
    let waiting = fresh_token(&other).await;
    let (code, msg) = err_of(
        &other,
        &functions::auth::ImportLoginToken {
            token: waiting.token,
        },
    )
    .await;
    assert_eq!(
        (code, msg.as_str()),
        (400, "AUTH_TOKEN_INVALID"),
        "a QR token is not a migration token"
    );
    let (_, msg) = err_of(
        &other,
        &functions::auth::ImportLoginToken {
            token: b"unknown".to_vec(),
        },
    )
    .await;
    assert_eq!(msg, "AUTH_TOKEN_INVALID");
    dc.shutdown().await;
}

#[tokio::test]
async fn qr_token_expires_after_30_seconds() {
    let dc = start_demo().await;
    let new = connect(&dc, 2, FramingKind::Intermediate, false).await;
    let t = fresh_token(&new).await;
    let alice = Account::sign_in(&dc, ALICE).await;
    let wait = i64::from(t.expires) - localdc::state::unix_now() + 1;
    tokio::time::sleep(std::time::Duration::from_secs(wait.max(0) as u64)).await;
    let (code, msg) = err_of(&alice, &accept(&t.token)).await;
    assert_eq!((code, msg.as_str()), (400, "AUTH_TOKEN_EXPIRED"));
    dc.shutdown().await;
}

#[tokio::test]
async fn qr_login_of_a_2fa_account_needs_its_password() {
    let dc = start_demo().await;
    // The code alone is answered SESSION_PASSWORD_NEEDED, then the password signs in.
    let carol = Account::sign_in_with_password(&dc, CAROL, CAROL_PASSWORD).await;

    let (new, mut rx) = connect_listening(&dc, 2).await;
    let t = fresh_token(&new).await;
    let enums::Authorization::Authorization(granted) =
        carol.invoke(&accept(&t.token)).await.unwrap();
    assert!(
        granted.password_pending,
        "the new session still needs the password"
    );
    wait_login_token_update(&mut rx).await;
    let (code, msg) = err_of(&new, &export_token()).await;
    assert_eq!((code, msg.as_str()), (401, "SESSION_PASSWORD_NEEDED"));
    let (code, _) = rpc_err(get_self(&new).await.unwrap_err());
    assert_eq!(code, 401, "not signed in before the password");
    let (_, msg) = rpc_err(check_password(&new, "wrong").await.unwrap_err());
    assert_eq!(msg, "PASSWORD_HASH_INVALID");
    let u = user_of(check_password(&new, CAROL_PASSWORD).await.unwrap());
    assert_eq!(u.id, carol.id);
    dc.shutdown().await;
}
