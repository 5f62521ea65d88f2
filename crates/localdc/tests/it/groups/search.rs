//! `messages.search`, `messages.searchGlobal` and `messages.getMessages`.

use super::*;

#[allow(clippy::too_many_arguments)]
fn search(
    peer: enums::InputPeer,
    q: &str,
    from_id: Option<enums::InputPeer>,
    filter: enums::MessagesFilter,
    offset_id: i32,
    limit: i32,
) -> Vec<u8> {
    functions::messages::Search {
        peer,
        q: q.into(),
        from_id,
        saved_peer_id: None,
        saved_reaction: None,
        top_msg_id: None,
        filter,
        min_date: 0,
        max_date: 0,
        offset_id,
        add_offset: 0,
        limit,
        max_id: 0,
        min_id: 0,
        hash: 0,
    }
    .to_bytes()
}

fn global(q: &str, groups_only: bool, users_only: bool) -> Vec<u8> {
    functions::messages::SearchGlobal {
        broadcasts_only: false,
        groups_only,
        users_only,
        folder_id: None,
        community: None,
        q: q.into(),
        filter: enums::MessagesFilter::InputMessagesFilterEmpty,
        min_date: 0,
        max_date: 0,
        offset_rate: 0,
        offset_peer: enums::InputPeer::InputPeerEmpty,
        offset_id: 0,
        limit: 10,
    }
    .to_bytes()
}

async fn texts(s: &Sender, body: Vec<u8>) -> (Vec<String>, Option<i32>) {
    let (msgs, count) = messages_of(call(s, body).await);
    (msgs.iter().map(|m| text_of(m).to_owned()).collect(), count)
}

#[tokio::test]
async fn search_matches_text_case_insensitively_with_paging() {
    let dc = start_demo().await;
    let (alice, _rx) = alice_live(&dc).await;
    let none = || enums::MessagesFilter::InputMessagesFilterEmpty;
    alice.account.meet_contacts().await;
    let bob = || alice.user_peer(BOB);
    assert_eq!(
        texts(&alice, search(bob(), "HI BOB", None, none(), 0, 10)).await,
        (vec!["Hi Bob!".to_owned()], None)
    );
    let empty = enums::InputPeer::InputPeerEmpty;
    assert_eq!(
        texts(&alice, search(empty.clone(), "e", None, none(), 0, 1)).await,
        (vec!["Welcome, everyone.".to_owned()], Some(2)),
        "newest first, a slice with the total count"
    );
    assert_eq!(
        texts(&alice, search(empty.clone(), "e", None, none(), 4, 1))
            .await
            .0,
        vec!["Hello Alice.".to_owned()]
    );
    assert_eq!(
        texts(
            &alice,
            search(empty.clone(), "", Some(bob()), none(), 0, 10)
        )
        .await
        .0,
        vec!["Hello Alice.".to_owned()]
    );
    // The demo chat's only document is notes.txt, attached to bob's reply.
    let docs = enums::MessagesFilter::InputMessagesFilterDocument;
    assert_eq!(
        texts(&alice, search(empty.clone(), "", None, docs, 0, 10))
            .await
            .0,
        vec!["Hello Alice.".to_owned()]
    );
    // ... and its only photo is on alice's greeting.
    let photos = enums::MessagesFilter::InputMessagesFilterPhotos;
    assert_eq!(
        texts(&alice, search(empty, "", None, photos, 0, 10))
            .await
            .0,
        vec!["Hi Bob!".to_owned()]
    );
    assert_eq!(
        fails(
            &alice,
            search(chat_peer(4_999_999), "x", None, none(), 0, 10)
        )
        .await,
        (400, "CHAT_ID_INVALID".into())
    );

    assert_eq!(
        texts(&alice, global("WELCOME", false, false)).await.0,
        vec![
            "Welcome to the lounge.".to_owned(),
            "Welcome, everyone.".to_owned()
        ]
    );
    assert!(texts(&alice, global("welcome", false, true))
        .await
        .0
        .is_empty());
    assert!(texts(&alice, global("hello", true, false))
        .await
        .0
        .is_empty());
    dc.shutdown().await;
}

#[tokio::test]
async fn get_messages_answers_missing_ids_with_message_empty() {
    let dc = start_demo().await;
    let (alice, _rx) = alice_live(&dc).await;
    let ids = |ids: &[i32]| functions::messages::GetMessages {
        id: ids
            .iter()
            .map(|&id| enums::InputMessage::InputMessageId(types::InputMessageId { id }))
            .collect(),
    };
    let enums::messages::Messages::Messages(m) = call(&alice, ids(&[4, 999, 1]).to_bytes()).await
    else {
        panic!("messages.messages")
    };
    assert_eq!(text_of(&m.messages[0]), "Welcome, everyone.");
    assert!(matches!(&m.messages[1], enums::Message::MessageEmpty(e) if e.id == 999));
    assert_eq!(text_of(&m.messages[2]), "Hi Bob!");
    assert!(matches!(&m.chats[..], [enums::Chat::Chat(c)] if c.id == TESTERS));
    let users: Vec<i64> = m
        .users
        .iter()
        .filter_map(|u| match u {
            enums::User::User(u) => Some(u.id),
            _ => None,
        })
        .collect();
    assert!(users.contains(&CAROL) && users.contains(&BOB), "{users:?}");
    dc.shutdown().await;
}
