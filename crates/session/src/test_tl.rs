//! Hand-built TL values for unit tests. The big constructors (`user`, `channel`, `message`)
//! are decoded from their minimal binary form (every flag clear), so a test sets only the
//! fields it is about.

use hearth_tl::{enums, types, Deserializable, Identifiable};

fn le32(buf: &mut Vec<u8>, v: u32) {
    buf.extend_from_slice(&v.to_le_bytes());
}

fn le64(buf: &mut Vec<u8>, v: i64) {
    buf.extend_from_slice(&v.to_le_bytes());
}

/// A TL string of at most 253 bytes.
fn string(buf: &mut Vec<u8>, s: &str) {
    assert!(s.len() < 254);
    buf.push(s.len() as u8);
    buf.extend_from_slice(s.as_bytes());
    while !buf.len().is_multiple_of(4) {
        buf.push(0);
    }
}

/// A full user with an access hash.
pub fn user(id: i64, access_hash: i64) -> types::User {
    let mut b = Vec::new();
    le32(&mut b, types::User::CONSTRUCTOR_ID);
    le32(&mut b, 0);
    le32(&mut b, 0);
    le64(&mut b, id);
    let mut u = types::User::from_bytes(&b).expect("minimal user");
    u.access_hash = Some(access_hash);
    u
}

pub fn boxed_user(u: types::User) -> enums::User {
    enums::User::User(u)
}

/// A full broadcast channel with an access hash.
pub fn channel(id: i64, access_hash: i64, title: &str) -> types::Channel {
    let mut b = Vec::new();
    le32(&mut b, types::Channel::CONSTRUCTOR_ID);
    le32(&mut b, 0);
    le32(&mut b, 0);
    le64(&mut b, id);
    string(&mut b, title);
    le32(&mut b, 0x37c1011c); // chatPhotoEmpty
    le32(&mut b, 0); // date
    let mut c = types::Channel::from_bytes(&b).expect("minimal channel");
    c.access_hash = Some(access_hash);
    c
}

pub fn username(name: &str, active: bool) -> enums::Username {
    enums::Username::Username(types::Username {
        editable: false,
        active,
        username: name.into(),
    })
}

/// A text message `id` in `peer`.
pub fn message(id: i32, peer: enums::Peer) -> enums::Message {
    let mut b = Vec::new();
    le32(&mut b, types::Message::CONSTRUCTOR_ID);
    le32(&mut b, 0);
    le32(&mut b, 0);
    le32(&mut b, id as u32);
    b.extend_from_slice(&hearth_tl::Serializable::to_bytes(&peer));
    le32(&mut b, 0); // date
    string(&mut b, "hi");
    enums::Message::Message(types::Message::from_bytes(&b).expect("minimal message"))
}

pub fn peer_user(user_id: i64) -> enums::Peer {
    enums::Peer::PeerUser(types::PeerUser { user_id })
}

pub fn peer_channel(channel_id: i64) -> enums::Peer {
    enums::Peer::PeerChannel(types::PeerChannel { channel_id })
}

/// A channel's dialog whose `pts` is `pts`.
pub fn channel_dialog(channel_id: i64, pts: i32) -> enums::Dialog {
    let mut b = Vec::new();
    le32(&mut b, types::Dialog::CONSTRUCTOR_ID);
    le32(&mut b, 1); // flags: pts
    b.extend_from_slice(&hearth_tl::Serializable::to_bytes(&peer_channel(
        channel_id,
    )));
    for _ in 0..7 {
        le32(&mut b, 0); // top_message .. unread_poll_votes_count
    }
    le32(&mut b, 0x99622c0c); // peerNotifySettings
    le32(&mut b, 0);
    le32(&mut b, pts as u32);
    enums::Dialog::Dialog(types::Dialog::from_bytes(&b).expect("minimal dialog"))
}
