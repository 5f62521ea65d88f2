//! Helpers shared by the channel integration tests (`channels.rs`,
//! `channel_updates.rs`): the demo world's channels, request builders and
//! readers of pushed updates.
#![allow(dead_code)]

use crate::common::engine::*;
use hearth_sender::Sender;
use hearth_tl::{enums, functions as f, types, Deserializable, Serializable};
use localdc::LocalDc;

pub const ALICE: i64 = 1_000_001;
pub const BOB: i64 = 1_000_002;
/// The demo world's public broadcast channel `hearth_news` (alice, carol).
pub const NEWS: i64 = localdc::channels::FIRST_CHANNEL_ID;
/// The demo world's private supergroup "Hearth lounge" (alice, bob).
pub const LOUNGE: i64 = localdc::channels::FIRST_CHANNEL_ID + 1;

pub fn hash(dc: &LocalDc, viewer: i64, channel: i64) -> i64 {
    dc.state()
        .channels()
        .get(channel)
        .expect("demo channel")
        .access_hash_for(viewer)
}

pub fn input(dc: &LocalDc, viewer: i64, channel: i64) -> enums::InputChannel {
    enums::InputChannel::InputChannel(types::InputChannel {
        channel_id: channel,
        access_hash: hash(dc, viewer, channel),
    })
}

pub fn peer(dc: &LocalDc, viewer: i64, channel: i64) -> enums::InputPeer {
    enums::InputPeer::InputPeerChannel(types::InputPeerChannel {
        channel_id: channel,
        access_hash: hash(dc, viewer, channel),
    })
}

pub async fn call<T: Deserializable>(s: &Sender, req: impl Serializable) -> T {
    let body = s
        .invoke_raw(req.to_bytes())
        .await
        .expect("the call succeeds");
    T::from_bytes(&body).expect("the expected answer type")
}

pub async fn error(s: &Sender, req: impl Serializable) -> String {
    let (code, message) = rpc_err(s.invoke_raw(req.to_bytes()).await.unwrap_err());
    assert_eq!(code, 400, "{message}");
    message
}

pub async fn signed_in_bob(dc: &LocalDc) -> Sender {
    let s = connect(dc, 4, hearth_transport::FramingKind::Intermediate, false).await;
    sign_in_as(&s, "9996641111", 4).await;
    s
}

pub async fn sign_in_as(s: &Sender, phone: &str, home: i32) {
    let hash = sent_code_hash(&s.invoke_raw(send_code(phone)).await.unwrap());
    s.invoke_raw(sign_in(phone, &hash, &home.to_string().repeat(5)))
        .await
        .unwrap();
}

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

pub fn send_text_req(peer: enums::InputPeer, text: &str) -> RawBytes {
    RawBytes(send_text(peer, text, 42))
}

/// An already encoded request.
pub struct RawBytes(pub Vec<u8>);
impl Serializable for RawBytes {
    fn serialize(&self, buf: &mut Vec<u8>) {
        buf.extend_from_slice(&self.0);
    }
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
pub async fn next_update(
    rx: &mut tokio::sync::mpsc::Receiver<hearth_sender::sender::UpdateEvent>,
) -> types::Updates {
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
