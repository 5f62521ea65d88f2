//! The login code as Telegram delivers it to an account signed in elsewhere: a message
//! from the service account 777000 in the account's chat with it, pushed to the signed-in
//! sessions, from which the code signs the new session in.

use std::sync::Arc;
use std::time::Duration;

use crate::common::account::*;
use crate::common::*;
use hearth_client::{Client, MemoryStorage, PeerId, SignIn};

const SERVICE: i64 = 777_000;

/// The newest message from 777000 `account` can read, once its client met 777000 in its
/// dialogs (these clients run no update loop, so the pushed users are not cached).
async fn newest_from_service(account: &Account) -> Option<hearth_client::Message> {
    for _ in 0..50 {
        account.meet_dialogs().await;
        if let Ok(list) = account
            .client
            .messages()
            .older_than(PeerId::User(SERVICE), 0, 5)
            .await
        {
            if let Some(m) = list.into_iter().next() {
                return Some(m);
            }
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    None
}

#[tokio::test]
async fn a_login_code_reaches_the_signed_in_sessions_from_777000() {
    let dc = start_demo().await;
    let alice = Account::sign_in(&dc, ALICE_PHONE).await;
    // Her own first sign-in found no session to deliver to.
    assert!(
        alice
            .client
            .messages()
            .older_than(PeerId::User(SERVICE), 0, 5)
            .await
            .map_or(true, |l| l.is_empty()),
        "no code message before another sign-in"
    );

    let second = Client::connect(client_config(&dc, Arc::new(MemoryStorage::new())))
        .await
        .expect("connects");
    let token = second.request_login_code(ALICE_PHONE).await.unwrap();
    let message = newest_from_service(&alice)
        .await
        .expect("the code arrives as a message from 777000");
    assert_eq!(message.sender, Some(PeerId::User(SERVICE)));
    assert!(!message.out);
    let code = login_code(ALICE_PHONE);
    assert!(
        message.text.starts_with(&format!("Login code: {code}.")),
        "{}",
        message.text
    );
    let read: String = message
        .text
        .trim_start_matches("Login code: ")
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    match second.sign_in(&token, &read).await {
        Ok(SignIn::Done(user)) => assert_eq!(user.id, alice.id),
        other => panic!("the code read from the message signs in: {other:?}"),
    }
    second.shutdown();
    alice.close().await;
}
