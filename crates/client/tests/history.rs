//! History through hearth-client's message layer against localdc: pages
//! older than, newer than and around a message, pagers both ways, messages
//! by id in private chats and channels, and search.

mod common;

use common::*;
use hearth_client::messages::history::Direction;
use hearth_client::{Message, Messages, PeerId};

/// Dave, with 30 messages "m1" … "m30" in his chat with Alice.
fn dave_world() -> String {
    let messages: Vec<String> = (1..=30)
        .map(|i| {
            let from = if i % 3 == 0 { "alice" } else { "dave" };
            format!("{{ from = \"{from}\", text = \"m{i}\" }}")
        })
        .collect();
    format!(
        "\n[[account]]\nname = \"dave\"\nphone = \"9996627777\"\nfirst_name = \"Dave\"\nusername = \"dave_history\"\n\n[[private_chat]]\nmembers = [\"alice\", \"dave\"]\nmessages = [{}]\n",
        messages.join(", ")
    )
}

fn texts(list: &[Message]) -> Vec<String> {
    list.iter().map(|m| m.text.clone()).collect()
}

fn names(range: impl Iterator<Item = i32>) -> Vec<String> {
    range.map(|i| format!("m{i}")).collect()
}

async fn id_of(m: &Messages, peer: PeerId, text: &str) -> i32 {
    m.older_than(peer, 0, 100)
        .await
        .unwrap()
        .iter()
        .find(|x| x.text == text)
        .unwrap_or_else(|| panic!("{text} in the history"))
        .id
}

#[tokio::test]
async fn history_pages_both_ways_around_a_message() {
    let dc = start_with(&dave_world()).await;
    let (alice, _) = signed_in(&dc, ALICE).await;
    let dave = alice.resolve_username("dave_history").await.unwrap().id;
    let m = alice.messages();

    let newest = m.older_than(dave, 0, 10).await.unwrap();
    assert_eq!(texts(&newest), names((21..=30).rev()));
    assert!(newest.iter().all(|x| x.chat == dave));
    assert!(newest.iter().filter(|x| x.text == "m30").all(|x| x.out));
    assert_eq!(newest[1].sender, Some(dave), "m29 is Dave's");

    let x = id_of(&m, dave, "m15").await;
    assert_eq!(
        texts(&m.older_than(dave, x, 5).await.unwrap()),
        names((10..=14).rev())
    );
    assert_eq!(
        texts(&m.newer_than(dave, x, 5).await.unwrap()),
        names((16..=20).rev())
    );
    assert_eq!(
        texts(&m.around(dave, x, 6).await.unwrap()),
        names((12..=17).rev()),
        "around m15, m15 included"
    );
    let last = id_of(&m, dave, "m30").await;
    assert!(m.newer_than(dave, last, 5).await.unwrap().is_empty());
    assert_eq!(
        texts(
            &m.newer_than(dave, id_of(&m, dave, "m28").await, 5)
                .await
                .unwrap()
        ),
        ["m30", "m29"],
        "cut at the newest"
    );

    // Pagers walk the whole history once, each way.
    let mut older = m.history(dave, Direction::Older, 0, 7);
    let mut all = Vec::new();
    while let Some(page) = older.next_page().await.unwrap() {
        all.extend(page);
    }
    assert_eq!(texts(&all), names((1..=30).rev()));
    let first = id_of(&m, dave, "m1").await;
    let mut newer = m.history(dave, Direction::Newer, first, 8);
    let mut up = Vec::new();
    while let Some(page) = newer.next_page().await.unwrap() {
        assert!(page.windows(2).all(|w| w[0].id > w[1].id), "newest first");
        up.extend(page.into_iter().rev());
    }
    assert_eq!(texts(&up), names(2..=30));

    // By id, in the order asked, a missing id as None.
    let got = m.get(dave, &[x, 999_999, first]).await.unwrap();
    assert_eq!(got[0].as_ref().map(|g| g.text.as_str()), Some("m15"));
    assert!(got[1].is_none());
    assert_eq!(got[2].as_ref().map(|g| g.text.as_str()), Some("m1"));
    alice.shutdown();
    dc.shutdown().await;
}

#[tokio::test]
async fn channel_history_and_messages_by_id_use_the_channel() {
    let dc = start_demo().await;
    let (alice, _) = signed_in(&dc, ALICE).await;
    let news = alice.resolve_username("hearth_news").await.unwrap().id;
    assert!(matches!(news, PeerId::Channel(_)));
    let m = alice.messages();
    let posts = m.older_than(news, 0, 10).await.unwrap();
    assert_eq!(
        texts(&posts),
        [
            "Release notes",
            "Supergroups too.",
            "Channels have their own pts.",
            "localdc is up.",
            ""
        ]
    );
    assert_eq!(
        posts[4].service.as_deref(),
        Some("Channel “Hearth news” created"),
        "the service message in plain words"
    );
    assert!(posts[..4].iter().all(|p| !p.is_service()));
    let doc = &posts[0];
    match &doc.media {
        Some(hearth_client::Media::Document {
            name, mime, size, ..
        }) => {
            assert_eq!(name.as_deref(), Some("release-notes.txt"));
            assert_eq!(mime, "text/plain");
            assert!(*size > 0);
        }
        other => panic!("a document: {other:?}"),
    }
    let around = m.around(news, posts[2].id, 2).await.unwrap();
    assert_eq!(
        texts(&around),
        ["Channels have their own pts.", "localdc is up."],
        "the message itself and the one before"
    );
    let got = m.get(news, &[posts[1].id, 12_345]).await.unwrap();
    assert_eq!(got[0].as_ref().unwrap().text, "Supergroups too.");
    assert!(got[1].is_none());
    alice.shutdown();
    dc.shutdown().await;
}

#[tokio::test]
async fn search_within_a_chat_and_globally() {
    let dc = start_with(&dave_world()).await;
    let (alice, _) = signed_in(&dc, ALICE).await;
    let dave = alice.resolve_username("dave_history").await.unwrap().id;
    let m = alice.messages();
    let page = m.search(dave, "m2", 0, 5).await.unwrap();
    assert_eq!(page.total, 11, "m2 and m20–m29");
    assert_eq!(texts(&page.messages), ["m29", "m28", "m27", "m26", "m25"]);
    let next = m.search(dave, "m2", page.messages[4].id, 10).await.unwrap();
    assert_eq!(
        texts(&next.messages),
        ["m24", "m23", "m22", "m21", "m20", "m2"]
    );

    let global = m.search_global("Glad to be", 0, None, 10).await.unwrap();
    assert_eq!(texts(&global.messages), ["Glad to be here."]);
    assert!(matches!(global.messages[0].chat, PeerId::Channel(_)));
    let none = m.search_global("no such words", 0, None, 10).await.unwrap();
    assert!(none.messages.is_empty());
    // Global pages follow each other by next_rate and the last message.
    let first = m.search_global("m2", 0, None, 5).await.unwrap();
    assert_eq!(texts(&first.messages), ["m29", "m28", "m27", "m26", "m25"]);
    let rate = first.next_rate.expect("more pages: a next_rate");
    let last = &first.messages[4];
    let second = m
        .search_global("m2", rate, Some((last.chat, last.id)), 10)
        .await
        .unwrap();
    assert_eq!(
        texts(&second.messages),
        ["m24", "m23", "m22", "m21", "m20", "m2"]
    );
    alice.shutdown();
    dc.shutdown().await;
}
