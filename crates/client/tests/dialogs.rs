//! The dialog list through hearth-client's message layer against localdc:
//! Telegram's paging across several pages, pinned dialogs first, unread
//! counts and mentions, and a flood wait in the middle of paging.

mod common;

use std::collections::HashSet;
use std::time::{Duration, Instant};

use common::*;
use hearth_client::{Client, Dialog, OutgoingMessage, PeerId};
use serde_json::json;

/// Seven more accounts, each with a private chat with Alice.
fn extra_world() -> String {
    let mut w = String::new();
    for i in 1..=7 {
        w.push_str(&format!(
            "\n[[account]]\nname = \"friend{i}\"\nphone = \"999662700{i}\"\nfirst_name = \"Friend {i}\"\nusername = \"friend_{i}\"\n\n[[private_chat]]\nmembers = [\"alice\", \"friend{i}\"]\nmessages = [{{ from = \"friend{i}\", text = \"hello from {i}\" }}]\n"
        ));
    }
    w
}

async fn all_dialogs(c: &Client, page: i32) -> Vec<Dialog> {
    c.messages().dialogs(page).all().await.expect("dialogs")
}

fn by_title<'a>(list: &'a [Dialog], title: &str) -> &'a Dialog {
    list.iter()
        .find(|d| d.title == title)
        .unwrap_or_else(|| panic!("no dialog {title:?} in {list:#?}"))
}

#[tokio::test]
async fn dialogs_page_across_pages_pinned_first_with_unread_counts_and_mentions() {
    let dc = start_with(&extra_world()).await;
    let (alice, _) = signed_in(&dc, ALICE).await;
    let (bob, _) = signed_in(&dc, BOB).await;

    // Bob writes twice to Alice and mentions her in the group.
    let to_alice = bob.resolve_username("alice").await.unwrap().id;
    let bm = bob.messages();
    for t in ["one", "two"] {
        bm.send(to_alice, OutgoingMessage::plain(t)).await.unwrap();
    }
    let group = by_title(&all_dialogs(&bob, 100).await, "Hearth testers").peer;
    bm.send(group, OutgoingMessage::markup("look here @alice"))
        .await
        .unwrap();

    // Alice pins an old dialog.
    let everything = all_dialogs(&alice, 100).await;
    assert_eq!(everything.len(), 11, "{everything:#?}");
    let friend3 = by_title(&everything, "Friend 3").peer;
    let am = alice.messages();
    am.pin_dialog(friend3, true).await.unwrap();

    let mut pager = am.dialogs(5);
    let mut pages = Vec::new();
    while let Some(page) = pager.next_page().await.unwrap() {
        assert!(page.len() <= 5);
        pages.push(page);
    }
    assert_eq!(pages.len(), 3, "11 dialogs in pages of 5");
    assert_eq!(pager.total(), Some(11));
    let paged: Vec<Dialog> = pages.concat();
    let peers: HashSet<PeerId> = paged.iter().map(|d| d.peer).collect();
    assert_eq!(peers.len(), paged.len(), "no dialog twice");
    assert_eq!(
        peers,
        everything.iter().map(|d| d.peer).collect(),
        "the pages hold every dialog"
    );
    assert_eq!(paged[0].peer, friend3, "the pinned dialog first");
    assert!(paged[0].pinned);
    assert_eq!(paged.iter().filter(|d| d.pinned).count(), 1);

    let with_bob = by_title(&paged, "Bob");
    assert_eq!(with_bob.unread_count, 2);
    assert_eq!(with_bob.unread_mentions_count, 0);
    let top = with_bob.top_message.as_ref().expect("top message carried");
    assert_eq!((top.text.as_str(), top.out), ("two", false));
    let testers = by_title(&paged, "Hearth testers");
    assert_eq!(testers.unread_count, 1);
    assert_eq!(testers.unread_mentions_count, 1, "@alice mentions her");
    let m = testers.top_message.as_ref().unwrap();
    assert!(m.mentioned);
    assert_eq!(m.entities.len(), 1);

    // Reading clears both counts; unpinning puts the dialog back by date.
    am.read(PeerId::User(bob.me().unwrap().user_id), 0)
        .await
        .unwrap();
    am.read(testers.peer, 0).await.unwrap();
    am.pin_dialog(friend3, false).await.unwrap();
    let after = all_dialogs(&alice, 100).await;
    assert_eq!(by_title(&after, "Bob").unread_count, 0);
    let testers = by_title(&after, "Hearth testers");
    assert_eq!(
        (testers.unread_count, testers.unread_mentions_count),
        (0, 0)
    );
    assert!(after.iter().all(|d| !d.pinned));
    assert_ne!(after[0].peer, friend3);
    alice.shutdown();
    bob.shutdown();
    dc.shutdown().await;
}

#[tokio::test]
async fn a_flood_wait_while_paging_is_slept_and_paging_goes_on() {
    let dc = start_with(&extra_world()).await;
    let (alice, _) = signed_in(&dc, ALICE).await;
    fault(
        &dc,
        json!({"method": "messages.getDialogs", "limit": 2, "window_secs": 60, "wait_secs": 1}),
    );
    let t = Instant::now();
    let list = all_dialogs(&alice, 4).await;
    assert!(
        t.elapsed() >= Duration::from_secs(1),
        "the third page waited: {:?}",
        t.elapsed()
    );
    assert_eq!(list.len(), 11);
    let peers: HashSet<PeerId> = list.iter().map(|d| d.peer).collect();
    assert_eq!(peers.len(), 11);
    alice.shutdown();
    dc.shutdown().await;
}
