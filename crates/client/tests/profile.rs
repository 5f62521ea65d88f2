//! The account's own profile follows changes made on another device of the
//! same account: localdc pushes `updateUserName` to the account's other
//! sessions and [`hearth_client::Client::profile`] shows it, without the
//! watching client asking anything.

mod common;

use std::time::Duration;

use common::*;
use hearth_tl::{enums, functions};

#[tokio::test]
async fn a_rename_on_another_device_reaches_the_profile_watch_unasked() {
    let dc = start_demo().await;
    let (first, _) = signed_in(&dc, ALICE).await;
    let (second, _) = signed_in(&dc, ALICE).await;
    let mut profile = first.profile();
    profile
        .wait_for(|p| p.is_some())
        .await
        .expect("the profile stays readable");
    eventually("the first client is online", || {
        first.connection_status().borrow().is_online()
    })
    .await;

    let me: enums::User = second
        .invoke(&functions::account::UpdateProfile {
            first_name: Some("Alicia".into()),
            last_name: Some("Renamed".into()),
            about: None,
        })
        .await
        .expect("renamed");
    let enums::User::User(me) = me else {
        panic!("{me:?}")
    };
    assert_eq!(me.first_name.as_deref(), Some("Alicia"));
    let me: enums::User = second
        .invoke(&functions::account::UpdateUsername {
            username: "alicia_renamed".into(),
        })
        .await
        .expect("username changed");
    let enums::User::User(me) = me else {
        panic!("{me:?}")
    };
    assert_eq!(me.username.as_deref(), Some("alicia_renamed"));

    let seen = tokio::time::timeout(
        Duration::from_secs(10),
        profile.wait_for(|p| {
            p.as_ref().is_some_and(|p| {
                p.title == "Alicia Renamed" && p.username.as_deref() == Some("alicia_renamed")
            })
        }),
    )
    .await
    .map(|r| r.is_ok());
    let last = profile.borrow().clone();
    assert!(
        seen == Ok(true),
        "the first client's profile did not follow the rename: {last:?}"
    );

    // The server keeps the change: a username taken is refused for another account.
    let (bob, _) = signed_in(&dc, BOB).await;
    let taken = bob
        .invoke(&functions::account::UpdateUsername {
            username: "alicia_renamed".into(),
        })
        .await
        .expect_err("occupied");
    assert!(taken.to_string().contains("USERNAME_OCCUPIED"), "{taken}");

    first.shutdown();
    second.shutdown();
    bob.shutdown();
    dc.shutdown().await;
}
