//! Helpers shared by the channel integration tests (`channels.rs`,
//! `channel_updates.rs`, `channel_parity.rs`): the demo world's channels,
//! request builders and readers of pushed updates. Accounts sign in and
//! meet channels through hearth-client ([`crate::common::account`]); the
//! calls here go through any [`Conn`], the client or a wire session.
#![allow(dead_code)]

use std::any::Any;

use crate::common::account::*;
use crate::common::engine::*;
use hearth_tl::{enums, functions as f, types, Deserializable, RemoteCall};
use localdc::LocalDc;

pub const ALICE: i64 = 1_000_001;
pub const BOB: i64 = 1_000_002;
/// The demo world's public broadcast channel `hearth_news` (alice, carol).
pub const NEWS: i64 = localdc::channels::FIRST_CHANNEL_ID;
/// The demo world's private supergroup "Hearth lounge" (alice, bob).
pub const LOUNGE: i64 = localdc::channels::FIRST_CHANNEL_ID + 1;

/// The channel with the hash localdc would give `viewer`, read from the
/// server: only to show it is refused while `viewer` has not met the
/// channel (or to someone it was not given to).
pub fn unmet_channel(dc: &LocalDc, viewer: i64, channel: i64) -> enums::InputChannel {
    enums::InputChannel::InputChannel(types::InputChannel {
        channel_id: channel,
        access_hash: server_channel_hash(dc, viewer, channel),
    })
}

/// [`unmet_channel`] as a peer.
pub fn unmet_channel_peer(dc: &LocalDc, viewer: i64, channel: i64) -> enums::InputPeer {
    enums::InputPeer::InputPeerChannel(types::InputPeerChannel {
        channel_id: channel,
        access_hash: server_channel_hash(dc, viewer, channel),
    })
}

pub async fn call<R>(s: &impl Conn, req: R) -> R::Return
where
    R: RemoteCall,
    R::Return: Any,
{
    match s.invoke(&req).await {
        Ok(answer) => answer,
        Err(e) => panic!("the call succeeds: {e:?}"),
    }
}

/// The message of the `400` error `req` fails with.
pub async fn error<R>(s: &impl Conn, req: R) -> String
where
    R: RemoteCall,
    R::Return: Any,
{
    let Err(e) = s.invoke(&req).await else {
        panic!("expected an rpc_error")
    };
    let (code, message) = rpc_err(e);
    assert_eq!(code, 400, "{message}");
    message
}

/// The account of `phone` signed in through hearth-client, having met its
/// dialogs: the world channels it is a member of, its chats' peers.
pub async fn with_dialogs(dc: &LocalDc, phone: &str) -> Account {
    let account = Account::sign_in(dc, phone).await;
    account.meet_dialogs().await;
    account
}

/// A live account: signed in and met its dialogs through hearth-client; a
/// wire session on its key sends the test's requests and receives pushes.
pub async fn live(dc: &LocalDc, phone: &str) -> (Wire, Receiver) {
    with_dialogs(dc, phone).await.listen().await
}

pub type Receiver = tokio::sync::mpsc::Receiver<hearth_sender::sender::UpdateEvent>;

pub fn history(peer: enums::InputPeer, offset_id: i32, limit: i32) -> f::messages::GetHistory {
    f::messages::GetHistory {
        peer,
        offset_id,
        offset_date: 0,
        add_offset: 0,
        limit,
        max_id: 0,
        min_id: 0,
        hash: 0,
    }
}

pub fn texts(messages: &[enums::Message]) -> Vec<String> {
    messages
        .iter()
        .map(|m| match m {
            enums::Message::Message(m) => m.message.clone(),
            enums::Message::MessageService(_) => "<service>".into(),
            enums::Message::MessageEmpty(m) => format!("<empty {}>", m.id),
        })
        .collect()
}

pub fn channel_messages(m: enums::messages::Messages) -> types::messages::ChannelMessages {
    match m {
        enums::messages::Messages::ChannelMessages(m) => m,
        _ => panic!("messages.channelMessages"),
    }
}

pub fn difference(
    channel: enums::InputChannel,
    pts: i32,
    limit: i32,
) -> f::updates::GetChannelDifference {
    f::updates::GetChannelDifference {
        force: false,
        channel,
        filter: enums::ChannelMessagesFilter::ChannelMessagesFilterEmpty,
        pts,
        limit,
    }
}

pub fn send_text_req(peer: enums::InputPeer, text: &str) -> f::messages::SendMessage {
    send_text_request(peer, text, 42)
}

pub fn recent() -> enums::ChannelParticipantsFilter {
    enums::ChannelParticipantsFilter::ChannelParticipantsRecent
}

pub fn participants(
    channel: enums::InputChannel,
    filter: enums::ChannelParticipantsFilter,
    offset: i32,
    limit: i32,
) -> f::channels::GetParticipants {
    f::channels::GetParticipants {
        channel,
        filter,
        offset,
        limit,
        hash: 0,
    }
}

/// The next pushed `Updates` object, skipping new-session notices.
pub async fn next_update(rx: &mut Receiver) -> types::Updates {
    loop {
        let event = tokio::time::timeout(std::time::Duration::from_secs(10), rx.recv())
            .await
            .expect("an update within 10 s")
            .expect("the sender is alive");
        if let hearth_sender::sender::UpdateEvent::Update(body) = event {
            let enums::Updates::Updates(u) = enums::Updates::from_bytes(&body).expect("Updates")
            else {
                panic!("channel updates come as `updates`")
            };
            return u;
        }
    }
}

/// (pts, pts_count, text) of the single updateNewChannelMessage in `u`.
pub fn new_channel_message(u: &types::Updates) -> (i32, i32, String) {
    let news: Vec<_> = u
        .updates
        .iter()
        .filter_map(|x| match x {
            enums::Update::UpdateNewChannelMessage(n) => Some(n),
            _ => None,
        })
        .collect();
    let [n] = &news[..] else {
        panic!("one updateNewChannelMessage in {u:?}")
    };
    (
        n.pts,
        n.pts_count,
        texts(std::slice::from_ref(&n.message))[0].clone(),
    )
}

pub fn send_document(
    peer: enums::InputPeer,
    file_id: i64,
    caption: &str,
) -> f::messages::SendMedia {
    let media = uploaded_document(input_file(file_id, 1, "notes.txt"), None, "text/plain");
    send_media_request(peer, media, caption, file_id)
}

/// The action of the single service message pushed in `u`, with its pts.
pub fn service_action(u: &types::Updates) -> (i32, enums::MessageAction) {
    let [enums::Update::UpdateNewChannelMessage(n)] = &u.updates[..] else {
        panic!("one updateNewChannelMessage in {u:?}")
    };
    let enums::Message::MessageService(s) = &*n.message else {
        panic!("a service message")
    };
    (n.pts, (*s.action).clone())
}

pub fn post_rights(post: bool) -> enums::ChatAdminRights {
    enums::ChatAdminRights::ChatAdminRights(types::ChatAdminRights {
        change_info: false,
        post_messages: post,
        edit_messages: false,
        delete_messages: false,
        ban_users: false,
        invite_users: false,
        pin_messages: false,
        add_admins: false,
        anonymous: false,
        manage_call: false,
        other: false,
        manage_topics: false,
        post_stories: false,
        edit_stories: false,
        delete_stories: false,
        manage_direct_messages: false,
        manage_ranks: false,
        manage_linked_peers: false,
        manage_welcome_messages: false,
    })
}
