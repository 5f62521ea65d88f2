//! What the server keeps of one encrypted session between its connections
//! (core.telegram.org/mtproto/description#session): the server msg_ids and
//! seqnos it handed out and the client msg_ids it saw. It is data only, kept
//! in [`crate::state::ServerState`]; the checks live in `session`.

use std::collections::BTreeSet;

use hearth_mtproto::server::message::ServerMsgIds;
use hearth_mtproto::UnixTime;

/// How many received msg_ids a session remembers for duplicate detection.
const SEEN_CAPACITY: usize = 512;

/// Per-session server state.
#[derive(Debug, Default)]
pub struct SessionState {
    msg_ids: ServerMsgIds,
    content_sent: i32,
    seen: BTreeSet<i64>,
}

impl SessionState {
    /// A fresh server msg_id, ≡ 1 (mod 4) for responses and ≡ 3 otherwise,
    /// greater than every earlier one.
    pub(crate) fn next_msg_id(&mut self, now: UnixTime, response: bool) -> i64 {
        self.msg_ids.next(now, response)
    }

    pub(crate) fn next_seqno(&mut self, content: bool) -> i32 {
        if content {
            self.content_sent += 1;
            self.content_sent * 2 - 1
        } else {
            self.content_sent * 2
        }
    }

    /// Records a received msg_id; false if it was seen before.
    pub(crate) fn remember(&mut self, msg_id: i64) -> bool {
        if !self.seen.insert(msg_id) {
            return false;
        }
        while self.seen.len() > SEEN_CAPACITY {
            self.seen.pop_first();
        }
        true
    }
}
