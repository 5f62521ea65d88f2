//! Helpers of the file transfer tests: histories, test data, uploads.
#![allow(dead_code)]

use hearth_client::files::{sent_message, FileLocation};
use hearth_client::{Client, UploadOptions};
use hearth_tl::{enums, functions, types};

/// The newest `limit` messages of `peer`'s history.
pub async fn history(client: &Client, peer: enums::InputPeer) -> Vec<types::Message> {
    let answer = client
        .invoke(&functions::messages::GetHistory {
            peer,
            offset_id: 0,
            offset_date: 0,
            add_offset: 0,
            limit: 50,
            max_id: 0,
            min_id: 0,
            hash: 0,
        })
        .await
        .expect("history");
    let list = match answer {
        enums::messages::Messages::Messages(m) => m.messages,
        enums::messages::Messages::MessagesSlice(m) => m.messages,
        enums::messages::Messages::ChannelMessages(m) => m.messages,
        other => panic!("{other:?}"),
    };
    list.into_iter()
        .filter_map(|m| match m {
            enums::Message::Message(m) => Some(m),
            _ => None,
        })
        .collect()
}

/// The input peer of the user with `username`, met by resolving it.
pub async fn peer_of(client: &Client, username: &str) -> enums::InputPeer {
    let p = client.resolve_username(username).await.expect("resolved");
    client.peers().input_peer(p.id).expect("met")
}

/// `n` deterministic bytes that do not repeat at any part size.
pub fn data(n: usize, seed: u64) -> Vec<u8> {
    let mut x = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    (0..n)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            (x >> 24) as u8
        })
        .collect()
}

pub fn sha(bytes: &[u8]) -> [u8; 32] {
    hearth_crypto::hash::sha256(&[bytes])
}

/// Uploads `bytes` as a document `name` sent to `peer`; its location.
pub async fn send_document(
    client: &Client,
    peer: enums::InputPeer,
    bytes: &[u8],
    name: &str,
) -> FileLocation {
    let up = client
        .upload_bytes(bytes, name, &UploadOptions::default())
        .await
        .expect("uploaded");
    let message = client
        .send_document(peer.clone(), &up, "a file", None)
        .await
        .expect("sent")
        .expect("the answer carries the message");
    FileLocation::of_message(peer, &message).expect("a document")
}

/// The message of an `Updates` answer (re-exported for tests).
pub fn message_of(u: &enums::Updates) -> Option<types::Message> {
    sent_message(u)
}
