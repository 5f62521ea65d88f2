//! Basic groups and the message methods (edit, delete, read, search,
//! getMessages) with live pushed updates and `updates.getDifference`
//! replaying them. Accounts sign in through hearth-client and meet their
//! peers through it; the requests under test go on a wire session of the
//! account's key, which also receives what the server pushes, so the
//! pushes' exact shapes are checked.

use crate::common::account::*;
use crate::common::engine::*;
use crate::common::*;
use hearth_sender::Sender;
use hearth_tl::{enums, functions, types, Deserializable, Serializable};
use localdc::LocalDc;

const ALICE: i64 = 1_000_001;
const BOB: i64 = 1_000_002;
const CAROL: i64 = 1_000_003;
/// The demo world's "Hearth testers" group (alice, bob, carol).
const TESTERS: i64 = 4_000_001;

type Rx = tokio::sync::mpsc::Receiver<hearth_sender::sender::UpdateEvent>;

async fn call<T: Deserializable>(s: &Sender, body: Vec<u8>) -> T {
    let answer = s.invoke_raw(body).await.expect("the call succeeds");
    T::from_bytes(&answer).expect("the answer decodes")
}

async fn fails(s: &Sender, body: Vec<u8>) -> (i32, String) {
    rpc_err(s.invoke_raw(body).await.expect_err("the call fails"))
}

/// `user` with the hash localdc would give `viewer`, read from the server:
/// only to show that it is refused while `viewer` has not met `user`.
fn unmet_user(dc: &LocalDc, viewer: i64, user: i64) -> enums::InputUser {
    enums::InputUser::InputUser(types::InputUser {
        user_id: user,
        access_hash: server_user_hash(dc, viewer, user),
    })
}

/// [`unmet_user`] as a peer.
fn unmet_user_peer(dc: &LocalDc, viewer: i64, user: i64) -> enums::InputPeer {
    enums::InputPeer::InputPeerUser(types::InputPeerUser {
        user_id: user,
        access_hash: server_user_hash(dc, viewer, user),
    })
}

fn chat_peer(chat_id: i64) -> enums::InputPeer {
    enums::InputPeer::InputPeerChat(types::InputPeerChat { chat_id })
}

async fn alice_live(dc: &LocalDc) -> (Wire, Rx) {
    Account::sign_in(dc, ALICE_PHONE).await.listen().await
}

async fn bob_live(dc: &LocalDc) -> (Wire, Rx) {
    Account::sign_in(dc, BOB_PHONE).await.listen().await
}

/// The next pushed `Updates` object, skipping new-session notices.
async fn next_update(rx: &mut Rx) -> enums::Updates {
    loop {
        let event = tokio::time::timeout(std::time::Duration::from_secs(10), rx.recv())
            .await
            .expect("an update within 10 s")
            .expect("the sender is alive");
        if let hearth_sender::sender::UpdateEvent::Update(body) = event {
            return enums::Updates::from_bytes(&body).expect("an Updates object");
        }
    }
}

/// The single update inside a pushed `updateShort`.
async fn next_short(rx: &mut Rx) -> enums::Update {
    match next_update(rx).await {
        enums::Updates::UpdateShort(u) => *u.update,
        other => panic!("expected updateShort, got {other:?}"),
    }
}

fn history(peer: enums::InputPeer, limit: i32) -> Vec<u8> {
    functions::messages::GetHistory {
        peer,
        offset_id: 0,
        offset_date: 0,
        add_offset: 0,
        limit,
        max_id: 0,
        min_id: 0,
        hash: 0,
    }
    .to_bytes()
}

fn dialogs() -> Vec<u8> {
    dialogs_request(20).to_bytes()
}

fn edit(peer: enums::InputPeer, id: i32, text: &str) -> Vec<u8> {
    functions::messages::EditMessage {
        no_webpage: false,
        invert_media: false,
        peer,
        id,
        message: Some(text.into()),
        media: None,
        reply_markup: None,
        entities: None,
        schedule_date: None,
        schedule_repeat_period: None,
        quick_reply_shortcut_id: None,
        rich_message: None,
    }
    .to_bytes()
}

fn delete(ids: Vec<i32>, revoke: bool) -> Vec<u8> {
    functions::messages::DeleteMessages { revoke, id: ids }.to_bytes()
}

fn read(peer: enums::InputPeer, max_id: i32) -> Vec<u8> {
    functions::messages::ReadHistory { peer, max_id }.to_bytes()
}

fn messages_of(m: enums::messages::Messages) -> (Vec<enums::Message>, Option<i32>) {
    match m {
        enums::messages::Messages::Messages(m) => (m.messages, None),
        enums::messages::Messages::MessagesSlice(m) => (m.messages, Some(m.count)),
        other => panic!("unexpected {other:?}"),
    }
}

fn text_of(m: &enums::Message) -> &str {
    match m {
        enums::Message::Message(m) => &m.message,
        other => panic!("a message, got {other:?}"),
    }
}

fn affected(m: enums::messages::AffectedMessages) -> (i32, i32) {
    let enums::messages::AffectedMessages::AffectedMessages(a) = m;
    (a.pts, a.pts_count)
}

/// Sends `text` to `peer` (each with a fresh `random_id`, as clients do) and
/// returns the new message's id in the sender's box.
async fn send(s: &Sender, peer: enums::InputPeer, text: &str) -> i32 {
    static NEXT_RANDOM_ID: std::sync::atomic::AtomicI64 = std::sync::atomic::AtomicI64::new(1000);
    let random_id = NEXT_RANDOM_ID.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    match call::<enums::Updates>(s, send_text(peer, text, random_id)).await {
        enums::Updates::UpdateShortSentMessage(m) => m.id,
        enums::Updates::Updates(u) => u
            .updates
            .iter()
            .find_map(|u| match u {
                enums::Update::UpdateMessageId(m) => Some(m.id),
                _ => None,
            })
            .expect("updateMessageID"),
        other => panic!("unexpected {other:?}"),
    }
}

mod chats;
mod edits;
mod search;

fn peer_chat(chat_id: i64) -> enums::Peer {
    enums::Peer::PeerChat(types::PeerChat { chat_id })
}

fn peer_user(user_id: i64) -> enums::Peer {
    enums::Peer::PeerUser(types::PeerUser { user_id })
}
