//! Client message identifiers (core.telegram.org/mtproto/description#message-identifier-msg-id).
//!
//! A client msg_id is the server-corrected Unix time multiplied by 2³², with the
//! fractional second in the low 32 bits; it is divisible by 4 and strictly
//! increasing within a session. The server rejects ids more than 300 s in the
//! past or 30 s in the future (bad_msg_notification 16/17), so the generator
//! carries a time offset learned from the server.

use crate::time::UnixTime;

/// Generates client msg_ids. Invariants: every id returned is `≡ 0 (mod 4)` and
/// greater than every id returned before.
#[derive(Debug, Clone, Default)]
pub struct MsgIdGenerator {
    last: i64,
    /// Seconds to add to the local clock to get the server's clock.
    time_offset: i32,
}

impl MsgIdGenerator {
    pub fn new(time_offset: i32) -> Self {
        Self {
            last: 0,
            time_offset,
        }
    }

    /// The current server time offset in seconds (server − local).
    pub fn time_offset(&self) -> i32 {
        self.time_offset
    }

    /// Sets the offset (server − local) directly, e.g. from `server_DH_inner_data.server_time`.
    pub fn set_time_offset(&mut self, offset: i32) {
        self.time_offset = offset;
    }

    /// Corrects the offset from a server msg_id (whose high 32 bits are the
    /// server's Unix time), as advised for bad_msg_notification codes 16/17.
    /// Returns the new offset. Ids generated afterwards may be lower than
    /// before, which is why the caller must resend under a fresh session or
    /// why [`MsgIdGenerator::next`] keeps monotonicity anyway.
    pub fn correct_from_server_msg_id(&mut self, now: UnixTime, server_msg_id: i64) -> i32 {
        let server_secs = server_msg_id >> 32;
        let offset = server_secs - now.secs();
        self.time_offset = offset.clamp(i64::from(i32::MIN), i64::from(i32::MAX)) as i32;
        // A clock moved backwards must not produce lower ids than already sent
        // inside this session; a clock moved forward lets ids jump ahead.
        self.time_offset
    }

    /// Server time (local + offset) in whole seconds.
    pub fn server_time(&self, now: UnixTime) -> i64 {
        now.secs() + i64::from(self.time_offset)
    }

    /// Forgets the last id (used when the session is reset and a new session_id chosen).
    pub fn reset(&mut self) {
        self.last = 0;
    }

    /// The next msg_id at `now`.
    pub fn next(&mut self, now: UnixTime) -> i64 {
        let secs = self.server_time(now);
        // nanos * 2^32 / 10^9 < 2^32 always.
        let frac = ((u64::from(now.subsec_nanos()) << 32) / 1_000_000_000) as i64;
        let mut id = (secs.wrapping_shl(32) | frac) & !3;
        if id <= self.last {
            id = self.last + 4;
        }
        self.last = id;
        id
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn id_encodes_time_and_is_divisible_by_four() {
        let mut g = MsgIdGenerator::new(0);
        let id = g.next(UnixTime::new(1_700_000_000, 500_000_000));
        assert_eq!(id >> 32, 1_700_000_000);
        assert_eq!(id % 4, 0);
        // half a second is about 2^31 in the low bits
        let low = id & 0xffff_ffff;
        assert!((low - (1i64 << 31)).abs() < 8, "low bits {low:#x}");
    }

    #[test]
    fn ids_strictly_increase_even_with_the_same_or_earlier_time() {
        let mut g = MsgIdGenerator::new(0);
        let t = UnixTime::new(1_700_000_000, 0);
        let a = g.next(t);
        let b = g.next(t);
        let c = g.next(UnixTime::new(1_699_999_000, 0));
        assert!(a < b && b < c, "{a} {b} {c}");
        assert!([a, b, c].iter().all(|x| x % 4 == 0));
    }

    #[test]
    fn offset_from_server_msg_id_shifts_ids() {
        let mut g = MsgIdGenerator::new(0);
        let now = UnixTime::new(1_000, 0);
        let server_id = (1_500i64 << 32) | 1;
        assert_eq!(g.correct_from_server_msg_id(now, server_id), 500);
        assert_eq!(g.next(now) >> 32, 1_500);
        assert_eq!(g.server_time(now), 1_500);
    }

    #[test]
    fn negative_offset_applies() {
        let mut g = MsgIdGenerator::new(-100);
        assert_eq!(g.next(UnixTime::from_secs(1_000)) >> 32, 900);
    }
}
