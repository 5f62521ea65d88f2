//! A signed-in account's name, username and phone follow what Telegram shows of the
//! account's own user, without a restart: a stale row (as after a change made on another
//! device) is rewritten as soon as any answer carries the account's user, and the change is
//! announced.

mod common;

use std::time::Duration;

use common::*;
use hearth_accounts::AccountEvent;
use hearth_store::AccountProfile;
use hearth_tl::{enums, functions};

#[tokio::test(flavor = "multi_thread")]
async fn the_profile_is_refreshed_from_answers_carrying_the_own_user() {
    let w = world().await;
    let alice = w.add(ALICE).await;
    let real_name = alice.name.clone().expect("the sign-in gave a name");
    // The row goes stale: the name and username changed elsewhere.
    {
        let db = w.db.lock().unwrap();
        let a = db.get_account(alice.id).unwrap().unwrap();
        db.update_account_profile(
            alice.id,
            &AccountProfile {
                user_id: a.user_id.unwrap(),
                phone: a.phone.clone(),
                is_bot: a.is_bot,
                dc_id: a.dc_id,
                display_name: Some("Old name".into()),
                username: Some("old_username".into()),
            },
        )
        .unwrap();
    }
    assert_eq!(
        w.accounts.get(alice.id).unwrap().name.as_deref(),
        Some("Old name")
    );
    let mut events = w.accounts.subscribe();
    let client = w.accounts.client(alice.id).await.unwrap();
    let _: Vec<enums::User> = client
        .invoke(&functions::users::GetUsers {
            id: vec![enums::InputUser::InputUserSelf],
        })
        .await
        .unwrap();
    tokio::time::timeout(Duration::from_secs(5), async {
        loop {
            if let AccountEvent::ListChanged = events.recv().await.unwrap() {
                return;
            }
        }
    })
    .await
    .expect("the refreshed profile is announced");
    let view = w.accounts.get(alice.id).unwrap();
    assert_eq!(view.name.as_deref(), Some(real_name.as_str()));
    assert_eq!(view.username, alice.username, "the server's username");
    assert_eq!(view.phone, alice.phone);
    w.accounts.shutdown().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_rename_on_another_device_is_pushed_saved_and_announced() {
    let w = world().await;
    let alice = w.add(ALICE).await;
    let client = w.accounts.client(alice.id).await.unwrap();
    let mut status = client.connection_status();
    tokio::time::timeout(Duration::from_secs(10), status.wait_for(|s| s.is_online()))
        .await
        .expect("the account's client comes online")
        .unwrap();
    let mut events = w.accounts.subscribe();
    let phone = w.other_device(ALICE).await;
    let _: enums::User = phone
        .invoke(&functions::account::UpdateProfile {
            first_name: Some("Alicia".into()),
            last_name: Some("Elsewhere".into()),
            about: None,
        })
        .await
        .expect("renamed on the other device");
    let _: enums::User = phone
        .invoke(&functions::account::UpdateUsername {
            username: "alicia_elsewhere".into(),
        })
        .await
        .expect("username changed on the other device");

    // Only pushed updates reach the service: it asks the server nothing here.
    let renamed = || {
        let v = w.accounts.get(alice.id).unwrap();
        v.name.as_deref() == Some("Alicia Elsewhere")
            && v.username.as_deref() == Some("alicia_elsewhere")
    };
    tokio::time::timeout(Duration::from_secs(10), async {
        loop {
            if let AccountEvent::ListChanged = events.recv().await.unwrap() {
                if renamed() {
                    return;
                }
            }
        }
    })
    .await
    .unwrap_or_else(|_| {
        panic!(
            "the rename was not announced: {:?}",
            w.accounts.get(alice.id)
        )
    });
    // And it is saved: the stored row has the new name.
    let row = w.db.lock().unwrap().get_account(alice.id).unwrap().unwrap();
    assert_eq!(row.display_name.as_deref(), Some("Alicia Elsewhere"));
    assert_eq!(row.username.as_deref(), Some("alicia_elsewhere"));
    phone.shutdown();
    w.accounts.shutdown().await;
}
