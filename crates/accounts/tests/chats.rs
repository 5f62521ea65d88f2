//! The chats half of the service against localdc's demo world: the dialog list page by
//! page with titles, unread counts and media summaries (the photo's stripped thumbnail as a
//! JPEG `data:` URL); history oldest first from the newest, older, newer and around a
//! message; sending with markup and a reply, editing and deleting for everyone as the other
//! side sees them live through its own subscription; read marks both ways; failures on the
//! field where the user acted.

mod common;

use std::time::Duration;

use common::*;
use hearth_accounts::{ChatEvent, HistoryAnchor, MediaKind};
use tokio::sync::broadcast;

/// The Bot API id of a user.
fn user(id: i64) -> i64 {
    id
}

/// Lists the account's dialogs, as the chat screen does first, so their peers are met.
async fn meet(w: &TestWorld, id: hearth_accounts::AccountId) {
    w.accounts
        .dialogs_page(id, true)
        .await
        .expect("dialogs list");
}

async fn next_matching(
    rx: &mut broadcast::Receiver<ChatEvent>,
    what: &str,
    mut pick: impl FnMut(&ChatEvent) -> bool,
) -> ChatEvent {
    tokio::time::timeout(Duration::from_secs(15), async {
        loop {
            let e = rx.recv().await.expect("the event stream stays open");
            if pick(&e) {
                return e;
            }
        }
    })
    .await
    .unwrap_or_else(|_| panic!("{what} arrives within 15 s"))
}

#[tokio::test(flavor = "multi_thread")]
async fn dialogs_history_and_media_summaries() {
    let w = world().await;
    let alice = w.add(ALICE).await;
    let page = w.accounts.dialogs_page(alice.id, true).await.unwrap();
    let titles: Vec<&str> = page.dialogs.iter().map(|d| d.title.as_str()).collect();
    for t in ["Bob", "Hearth testers", "Hearth news"] {
        assert!(titles.contains(&t), "{t} among {titles:?}");
    }
    let group = page
        .dialogs
        .iter()
        .find(|d| d.title == "Hearth testers")
        .unwrap();
    assert!(group.is_group, "a basic group shows sender names");
    let news = page
        .dialogs
        .iter()
        .find(|d| d.title == "Hearth news")
        .unwrap();
    assert!(!news.is_group, "a broadcast channel does not");
    let next = w.accounts.dialogs_page(alice.id, false).await.unwrap();
    assert!(
        next.done && next.dialogs.is_empty(),
        "one page holds the demo world"
    );

    let bob_chat = page.dialogs.iter().find(|d| d.title == "Bob").unwrap().chat;
    let history = w
        .accounts
        .history(alice.id, bob_chat, HistoryAnchor::Latest, 50)
        .await
        .unwrap();
    assert_eq!(history.len(), 2, "the demo chat's two messages");
    assert!(history[0].id < history[1].id, "oldest first");
    let photo = history[0].media.as_ref().expect("Hi Bob! carries a photo");
    assert_eq!(photo.kind, MediaKind::Photo);
    assert_eq!((photo.width, photo.height), (Some(1280), Some(853)));
    assert!(photo.has_picture, "a photo has sizes to fetch");
    let thumb = photo.thumbnail.as_deref().expect("a stripped thumbnail");
    assert!(
        thumb.starts_with("data:image/jpeg;base64,/9j/"),
        "a JPEG: {}",
        &thumb[..40]
    );
    let doc = history[1]
        .media
        .as_ref()
        .expect("Hello Alice. carries a document");
    assert_eq!(doc.kind, MediaKind::Document);
    assert_eq!(doc.file_name.as_deref(), Some("notes.txt"));
    assert_eq!(doc.mime.as_deref(), Some("text/plain"));
    assert!(doc.size.unwrap() > 0);
    assert!(!doc.has_picture, "a text file has no thumbnail");
    assert_eq!(history[1].sender_name.as_deref(), Some("Bob"));
    w.accounts.shutdown().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn history_pages_both_ways_around_any_message() {
    let w = world().await;
    let alice = w.add(ALICE).await;
    let bob = w.add(BOB).await;
    meet(&w, alice.id).await;
    meet(&w, bob.id).await;
    let alice_user = w.accounts.get(alice.id).unwrap().user_id.unwrap();
    for i in 1..=30 {
        w.accounts
            .send_message(bob.id, user(alice_user), &format!("n{i}"), None)
            .await
            .unwrap();
    }
    let bob_user = w.accounts.get(bob.id).unwrap().user_id.unwrap();
    let chat = user(bob_user);
    let latest = w
        .accounts
        .history(alice.id, chat, HistoryAnchor::Latest, 10)
        .await
        .unwrap();
    let texts =
        |l: &[hearth_accounts::ChatMessage]| l.iter().map(|m| m.text.clone()).collect::<Vec<_>>();
    assert_eq!(
        texts(&latest),
        (21..=30).map(|i| format!("n{i}")).collect::<Vec<_>>()
    );
    let older = w
        .accounts
        .history(alice.id, chat, HistoryAnchor::Older(latest[0].id), 10)
        .await
        .unwrap();
    assert_eq!(
        texts(&older),
        (11..=20).map(|i| format!("n{i}")).collect::<Vec<_>>()
    );
    let newer = w
        .accounts
        .history(alice.id, chat, HistoryAnchor::Newer(older[4].id), 3)
        .await
        .unwrap();
    assert_eq!(texts(&newer), ["n16", "n17", "n18"]);
    let around = w
        .accounts
        .history(alice.id, chat, HistoryAnchor::Around(older[4].id), 6)
        .await
        .unwrap();
    assert!(
        around.iter().any(|m| m.id == older[4].id),
        "the anchor is included"
    );
    assert!(around.windows(2).all(|p| p[0].id < p[1].id), "oldest first");
    let bad = w
        .accounts
        .history(alice.id, 0, HistoryAnchor::Latest, 10)
        .await
        .unwrap_err();
    assert_eq!((bad.code(), bad.field()), ("INVALID_INPUT", Some("chat")));

    // Search within the chat: newest first, paged older, and how many match in all.
    for i in 1..=3 {
        w.accounts
            .send_message(bob.id, user(alice_user), &format!("tea at {i}"), None)
            .await
            .unwrap();
    }
    let found = w
        .accounts
        .search_chat(alice.id, chat, " tea ", 0, 2)
        .await
        .unwrap();
    assert_eq!(texts(&found.messages), ["tea at 3", "tea at 2"]);
    assert_eq!(found.total, 3);
    let rest = w
        .accounts
        .search_chat(alice.id, chat, "tea", found.messages[1].id, 2)
        .await
        .unwrap();
    assert_eq!(texts(&rest.messages), ["tea at 1"]);
    let none = w
        .accounts
        .search_chat(alice.id, chat, "   ", 0, 10)
        .await
        .unwrap();
    assert!(none.messages.is_empty() && none.total == 0, "nothing asked");
    // And across every chat: the same three, each naming its chat.
    let everywhere = w
        .accounts
        .search_all(alice.id, "tea", None, 10)
        .await
        .unwrap();
    assert_eq!(
        texts(&everywhere.messages),
        ["tea at 3", "tea at 2", "tea at 1"]
    );
    assert!(everywhere.messages.iter().all(|m| m.chat == chat));
    assert_eq!(everywhere.total, 3);
    // A page at a time: each ends where the next starts, the last says so.
    let first = w
        .accounts
        .search_all(alice.id, "tea", None, 2)
        .await
        .unwrap();
    assert_eq!(texts(&first.messages), ["tea at 3", "tea at 2"]);
    let after = first.next.expect("a second page");
    assert_eq!((after.chat, after.id), (chat, first.messages[1].id));
    let second = w
        .accounts
        .search_all(alice.id, "tea", Some(after), 2)
        .await
        .unwrap();
    assert_eq!(texts(&second.messages), ["tea at 1"]);
    assert_eq!(second.next, None, "nothing after the last");
    w.accounts.shutdown().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn send_edit_delete_and_read_reach_the_other_side_live() {
    let w = world().await;
    let alice = w.add(ALICE).await;
    let bob = w.add(BOB).await;
    let alice_user = w.accounts.get(alice.id).unwrap().user_id.unwrap();
    let bob_user = w.accounts.get(bob.id).unwrap().user_id.unwrap();
    meet(&w, alice.id).await;
    meet(&w, bob.id).await;
    let mut to_bob = w.accounts.subscribe_messages(bob.id).await.unwrap();
    let mut to_alice = w.accounts.subscribe_messages(alice.id).await.unwrap();

    let first = w
        .accounts
        .history(alice.id, user(bob_user), HistoryAnchor::Latest, 1)
        .await
        .unwrap()[0]
        .id;
    let sent = w
        .accounts
        .send_message(alice.id, user(bob_user), "**Hello** there", Some(first))
        .await
        .unwrap();
    assert_eq!(sent.text, "Hello there");
    assert_eq!(sent.entities[0].kind, "bold");
    assert_eq!((sent.entities[0].offset, sent.entities[0].length), (0, 5));
    assert!(sent.out && sent.reply_to == Some(first));

    let ChatEvent::New(got) = next_matching(
        &mut to_bob,
        "the new message",
        |e| matches!(e, ChatEvent::New(m) if m.text == "Hello there"),
    )
    .await
    else {
        unreachable!()
    };
    assert_eq!(
        got.chat,
        user(alice_user),
        "Bob sees it in his chat with Alice"
    );
    assert_eq!(got.entities[0].kind, "bold");
    assert!(!got.out && got.reply_to.is_some());

    w.accounts
        .edit_message(alice.id, user(bob_user), sent.id, "Hello __again__")
        .await
        .unwrap();
    next_matching(&mut to_bob, "the edit", |e| {
        matches!(e, ChatEvent::Edited(m) if m.id == got.id && m.text == "Hello again" && m.edit_date.is_some())
    })
    .await;

    w.accounts
        .read_chat(bob.id, user(alice_user), got.id)
        .await
        .unwrap();
    next_matching(&mut to_alice, "Bob's read mark", |e| {
        matches!(e, ChatEvent::ReadOutbox { chat, max_id } if *chat == user(bob_user) && *max_id >= sent.id)
    })
    .await;

    w.accounts
        .delete_messages(alice.id, user(bob_user), &[sent.id], true)
        .await
        .unwrap();
    next_matching(
        &mut to_bob,
        "the deletion",
        |e| matches!(e, ChatEvent::Deleted { channel: None, ids } if ids.contains(&got.id)),
    )
    .await;

    // Failures name the field where the user acted.
    let empty = w
        .accounts
        .send_message(alice.id, user(bob_user), "  ", None)
        .await
        .unwrap_err();
    assert_eq!(
        (empty.code(), empty.field()),
        ("INVALID_INPUT", Some("composer"))
    );
    let theirs = w
        .accounts
        .history(alice.id, user(bob_user), HistoryAnchor::Latest, 5)
        .await
        .unwrap()
        .into_iter()
        .find(|m| !m.out)
        .unwrap();
    let refused = w
        .accounts
        .edit_message(alice.id, user(bob_user), theirs.id, "not mine")
        .await
        .unwrap_err();
    assert_eq!(refused.field(), Some("message"), "{refused:?}");
    w.accounts.shutdown().await;
}

/// A bot account's media carry their Bot API file ids (a user account's do not); the bot
/// sends a photo again by its own id, while the id of the same photo as Bob sees it is
/// refused on the `file_id` field in plain words, and a malformed id names what is wrong.
#[tokio::test(flavor = "multi_thread")]
async fn bot_accounts_see_file_ids_and_send_by_them() {
    let w = world().await;
    let bob = w.add(BOB).await;
    let mut flow = w.accounts.begin_login(w.spec(), None).await.unwrap();
    let bot = flow.bot_token(BOT_TOKEN).await.unwrap();

    // Bob's view of the world's photo: no ids in a user account's summary.
    let page = w.accounts.dialogs_page(bob.id, true).await.unwrap();
    let alice = page
        .dialogs
        .iter()
        .find(|d| d.title.starts_with("Alice"))
        .unwrap()
        .chat;
    let shown = w
        .accounts
        .history(bob.id, alice, HistoryAnchor::Latest, 50)
        .await
        .unwrap();
    let summary = shown[0]
        .media
        .as_ref()
        .expect("the world's photo (oldest first)");
    assert_eq!(summary.kind, MediaKind::Photo);
    assert_eq!(
        (summary.file_id.as_ref(), summary.file_unique_id.as_ref()),
        (None, None)
    );
    let photo_id = summary.id.clone().unwrap();

    // Bob sends it to the bot by his own file id (his access hash works for him).
    let client = w.accounts.client(bob.id).await.unwrap();
    let helper = client
        .resolve_username("hearth_helper_bot")
        .await
        .unwrap()
        .id;
    let messages = client
        .messages()
        .older_than(hearth_client::PeerId::User(alice), 0, 10)
        .await
        .unwrap();
    let media = messages
        .iter()
        .find_map(|m| {
            m.media
                .clone()
                .filter(|x| matches!(x, hearth_client::Media::Photo { .. }))
        })
        .unwrap();
    let bobs_id = hearth_client::bot_file_ids(&media).unwrap().file_id;
    let to_bot = client.peers().input_peer(helper).unwrap();
    client
        .send_file_id(to_bot, &bobs_id, "for the bot")
        .await
        .unwrap()
        .expect("sent");

    let page = w.accounts.dialogs_page(bot.id, true).await.unwrap();
    let bob_chat = page
        .dialogs
        .iter()
        .find(|d| d.title == "Bob")
        .expect("Bob's chat")
        .chat;
    let got = w
        .accounts
        .history(bot.id, bob_chat, HistoryAnchor::Latest, 10)
        .await
        .unwrap();
    let received = got
        .iter()
        .rev()
        .find_map(|m| m.media.clone())
        .expect("the photo");
    assert_eq!(received.id.as_deref(), Some(photo_id.as_str()));
    let bots_id = received.file_id.expect("a bot sees the file_id");
    assert!(
        received
            .file_unique_id
            .is_some_and(|u| u.starts_with("AQAD")),
        "a photo's unique id"
    );
    assert_ne!(bots_id, bobs_id, "ids are per account");

    let again = w
        .accounts
        .send_file_id(bot.id, bob_chat, &bots_id, "again")
        .await
        .unwrap();
    assert_eq!((again.text.as_str(), again.out), ("again", true));
    assert_eq!(again.media.and_then(|m| m.id), Some(photo_id));

    let foreign = w
        .accounts
        .send_file_id(bot.id, bob_chat, &bobs_id, "")
        .await
        .unwrap_err();
    assert_eq!(
        (foreign.code(), foreign.field()),
        ("MEDIA_EMPTY", Some("file_id"))
    );
    let text = foreign.to_string();
    assert!(
        text.contains("belongs to the bot that got it") && text.contains("send the file itself"),
        "{text}"
    );
    let bad = w
        .accounts
        .send_file_id(bot.id, bob_chat, "not*an*id", "")
        .await
        .unwrap_err();
    assert_eq!(
        (bad.code(), bad.field()),
        ("FILE_ID_INVALID", Some("file_id"))
    );
    assert!(bad.to_string().contains("not base64url"), "{bad}");
    w.accounts.shutdown().await;
}
