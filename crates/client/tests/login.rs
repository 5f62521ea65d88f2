//! Signing in against localdc: login codes (with the migration to the
//! number's DC), 2FA, bots, sign-up, QR login, log-out.

mod common;

use common::*;
use hearth_client::{ClientError, CodeKind, NextCodeKind, SessionStorage, SignIn};

#[tokio::test]
async fn a_code_login_moves_to_the_numbers_dc_and_survives_a_restart() {
    let dc = start_demo().await;
    let storage = memory();
    let client = connect(&dc, storage.clone()).await;
    assert_eq!(client.home_dc(), 2, "a new session starts on DC 2");
    assert!(!client.is_authorized().await.unwrap());

    let token = client.request_login_code("+999 664 1111").await.unwrap();
    assert_eq!(client.home_dc(), 4, "PHONE_MIGRATE_4 moved the session");
    assert_eq!(storage.load().unwrap().home_dc, Some(4), "and it was saved");
    assert_eq!((token.kind.clone(), token.length), (CodeKind::App, Some(5)));
    assert_eq!(token.phone, BOB);
    assert_eq!(token.next, Some(NextCodeKind::Sms));
    assert_eq!(token.timeout, Some(std::time::Duration::from_secs(60)));

    let resent = client.resend_code(&token).await.unwrap();
    assert_eq!(resent.kind, CodeKind::Sms);
    assert_eq!(resent.phone_code_hash, token.phone_code_hash);
    let mut stale = token.clone();
    stale.phone_code_hash = "0000".into();
    let expired = client.resend_code(&stale).await.unwrap_err();
    assert_eq!(expired.code(), "PHONE_CODE_EXPIRED");
    assert!(
        expired.to_string().contains("request a new one"),
        "{expired}"
    );

    let wrong = client.sign_in(&token, "12345").await.unwrap_err();
    assert_eq!(wrong.code(), "PHONE_CODE_INVALID");
    assert!(wrong.to_string().contains("code is wrong"), "{wrong}");

    let SignIn::Done(user) = client.sign_in(&token, "44444").await.unwrap() else {
        panic!("bob has no password")
    };
    assert_eq!(user.first_name.as_deref(), Some("Bob"));
    assert_eq!(client.me().unwrap().user_id, user.id);
    assert!(client.is_authorized().await.unwrap());
    let saved = storage.load().unwrap();
    assert_eq!(saved.self_user, Some(user.id));
    assert!(
        storage.auth_key(4).unwrap().is_some(),
        "the DC 4 key was saved"
    );
    client.shutdown();
    client.closed().await;

    let again = connect(&dc, storage.clone()).await;
    assert_eq!(again.home_dc(), 4);
    assert!(
        again.is_authorized().await.unwrap(),
        "signed in after a restart"
    );
    again.shutdown();
    dc.shutdown().await;
}

#[tokio::test]
async fn two_step_verification_asks_for_the_password_and_shows_the_hint() {
    let dc = start_demo().await;
    let client = connect(&dc, memory()).await;
    let token = client.request_login_code(CAROL).await.unwrap();
    let SignIn::PasswordRequired(password) = client.sign_in(&token, "22222").await.unwrap() else {
        panic!("carol has 2FA")
    };
    assert_eq!(password.hint(), Some("xkcd 936"));
    let wrong = client
        .check_password(password.clone(), "wrong password")
        .await
        .unwrap_err();
    assert_eq!(wrong.code(), "PASSWORD_HASH_INVALID");
    let user = client
        .check_password(password, CAROL_PASSWORD)
        .await
        .unwrap();
    assert_eq!(user.first_name.as_deref(), Some("Carol"));
    assert!(client.is_authorized().await.unwrap());
    client.shutdown();
    dc.shutdown().await;
}

#[tokio::test]
async fn a_bot_signs_in_with_its_token() {
    let dc = start_demo().await;
    let storage = memory();
    let client = connect(&dc, storage.clone()).await;
    let bad = client.bot_sign_in("1:nope").await.unwrap_err();
    assert_eq!(bad.code(), "ACCESS_TOKEN_INVALID");
    let bot = client.bot_sign_in(BOT_TOKEN).await.unwrap();
    assert!(bot.bot);
    assert_eq!(bot.username.as_deref(), Some("hearth_helper_bot"));
    assert!(client.me().unwrap().bot);
    assert!(storage.load().unwrap().is_bot);
    client.shutdown();
    dc.shutdown().await;
}

#[tokio::test]
async fn a_new_number_signs_up() {
    let dc = start_demo().await;
    let client = connect(&dc, memory()).await;
    let phone = "9996637777";
    let token = client.request_login_code(phone).await.unwrap();
    assert_eq!(client.home_dc(), 3);
    let SignIn::SignUpRequired { .. } = client.sign_in(&token, "33333").await.unwrap() else {
        panic!("an unknown number must sign up")
    };
    let empty = client.sign_up(&token, " ", "").await.unwrap_err();
    assert_eq!(empty.code(), "FIRSTNAME_INVALID");
    let user = client.sign_up(&token, "Dora", "Explorer").await.unwrap();
    assert_eq!(user.phone.as_deref(), Some(phone));
    assert!(client.is_authorized().await.unwrap());
    client.shutdown();
    dc.shutdown().await;
}

#[tokio::test]
async fn log_out_ends_the_session_and_clears_the_storage() {
    let dc = start_demo().await;
    let (client, storage) = signed_in(&dc, ALICE).await;
    let (other, _) = signed_in(&dc, ALICE).await;
    assert_eq!(other.authorizations().await.unwrap().len(), 2);
    client.log_out().await.unwrap();
    assert!(client.is_shut_down());
    let data = storage.load().unwrap();
    assert_eq!(data.self_user, None);
    assert!(storage.auth_key_dcs().is_empty(), "keys deleted");
    assert_eq!(
        other.authorizations().await.unwrap().len(),
        1,
        "the server ended it"
    );
    let after = client.me();
    assert!(after.is_none());
    assert!(matches!(
        client.is_authorized().await,
        Err(ClientError::Shutdown)
    ));
    other.shutdown();
    dc.shutdown().await;
}
