//! Every gap case as a deterministic test: updates built by hand, time passed in.

mod channel;
mod difference;
mod push;

use std::time::{Duration, Instant};

use hearth_tl::{enums, types};

use super::*;
use crate::test_tl::{message, peer_channel, peer_user};

/// A fixed start and offsets from it.
struct Clock(Instant);

impl Clock {
    fn new() -> Self {
        Clock(Instant::now())
    }
    fn at(&self, ms: u64) -> Instant {
        self.0 + Duration::from_millis(ms)
    }
}

fn state(pts: i32, qts: i32, date: i32, seq: i32) -> types::updates::State {
    types::updates::State {
        pts,
        qts,
        date,
        seq,
        unread_count: 0,
    }
}

/// A box at pts 100, qts 10, date 1000, seq 50.
fn ready_box(now: Instant) -> MessageBox {
    let mut b = MessageBox::new();
    b.set_state(state(100, 10, 1000, 50), now);
    b
}

/// `updateNewMessage` of private message `id`.
fn new_msg(id: i32, pts: i32, count: i32) -> enums::Update {
    enums::Update::UpdateNewMessage(types::UpdateNewMessage {
        message: Box::new(message(id, peer_user(7))),
        pts,
        pts_count: count,
    })
}

/// `updateNewChannelMessage` of message `id` in `channel`.
fn chan_msg(channel: i64, id: i32, pts: i32, count: i32) -> enums::Update {
    enums::Update::UpdateNewChannelMessage(types::UpdateNewChannelMessage {
        message: Box::new(message(id, peer_channel(channel))),
        pts,
        pts_count: count,
    })
}

/// A `qts` update.
fn qts_upd(user_id: i64, qts: i32) -> enums::Update {
    enums::Update::UpdateBotStopped(types::UpdateBotStopped {
        user_id,
        date: 0,
        stopped: true,
        qts,
    })
}

/// An update outside every sequence.
fn free(channel_id: i64) -> enums::Update {
    enums::Update::UpdateChannel(types::UpdateChannel { channel_id })
}

fn short(update: enums::Update) -> enums::Updates {
    enums::Updates::UpdateShort(types::UpdateShort {
        update: Box::new(update),
        date: 1001,
    })
}

fn combined(updates: Vec<enums::Update>, seq_start: i32, seq: i32) -> enums::Updates {
    enums::Updates::UpdatesCombined(types::UpdatesCombined {
        updates,
        users: vec![],
        chats: vec![],
        date: 1002,
        seq_start,
        seq,
    })
}

/// A compact name per update: `m<id>` private message, `c<channel>:<id>` channel message,
/// `q<qts>`, `free<n>`, `?` anything else.
fn names(updates: &[enums::Update]) -> Vec<String> {
    fn msg_id(m: &enums::Message) -> i32 {
        match m {
            enums::Message::Message(m) => m.id,
            enums::Message::MessageEmpty(m) => m.id,
            enums::Message::MessageService(m) => m.id,
        }
    }
    updates
        .iter()
        .map(|u| match u {
            enums::Update::UpdateNewMessage(u) => format!("m{}", msg_id(&u.message)),
            enums::Update::UpdateNewChannelMessage(u) => {
                let ch = sequence::message_channel(&u.message).unwrap_or(0);
                format!("c{ch}:{}", msg_id(&u.message))
            }
            enums::Update::UpdateBotStopped(u) => format!("q{}", u.qts),
            enums::Update::UpdateChannel(u) => format!("free{}", u.channel_id),
            _ => "?".into(),
        })
        .collect()
}

fn applied(r: Result<Applied, Gap>) -> Vec<String> {
    names(&r.expect("no gap expected").updates)
}
