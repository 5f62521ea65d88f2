//! The history window of `messages.getHistory` and `messages.search`
//! (core.telegram.org/api/offsets): messages newest first; the window
//! starts at the first message older than `offset_id` (the newest when it
//! is 0), moved by `add_offset` (negative: towards newer messages), and
//! holds `limit` messages. A start before the newest message shortens the
//! window instead of moving it, as Telegram does, so `offset_id = X + 1,
//! add_offset = -N, limit = N` is "the N messages after X" and `offset_id =
//! X, add_offset = -N/2` is "N around X" (X included).
//!
//! Invariant: the window never holds a message twice and keeps the order.

/// The window of `newest_first` (ids strictly decreasing).
pub fn window<T>(
    newest_first: Vec<T>,
    id: impl Fn(&T) -> i32,
    offset_id: i32,
    add_offset: i32,
    limit: usize,
) -> Vec<T> {
    let start = if offset_id > 0 {
        newest_first.partition_point(|m| id(m) >= offset_id) as i64
    } else {
        0
    };
    let from = start + i64::from(add_offset);
    let to = from + limit as i64;
    let from = from.max(0) as usize;
    let to = to.max(0) as usize;
    newest_first
        .into_iter()
        .skip(from)
        .take(to.saturating_sub(from))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::window;

    fn ids(n: i32) -> Vec<i32> {
        (1..=n).rev().collect()
    }

    #[test]
    fn older_newer_and_around_a_message() {
        let w = |o, a, l| window(ids(20), |m| *m, o, a, l);
        assert_eq!(w(0, 0, 3), [20, 19, 18], "newest");
        assert_eq!(w(10, 0, 3), [9, 8, 7], "older than 10");
        assert_eq!(w(11, -3, 3), [13, 12, 11], "newer than 10");
        assert_eq!(w(10, -2, 4), [11, 10, 9, 8], "around 10, 10 included");
        assert_eq!(w(19, -5, 5), [20, 19], "cut at the newest");
        assert_eq!(w(3, 0, 5), [2, 1], "cut at the oldest");
        assert!(w(30, -40, 5).is_empty(), "entirely above the newest");
    }

    #[test]
    fn missing_offsets_land_between_neighbours() {
        let gaps: Vec<i32> = vec![50, 40, 30, 20, 10];
        assert_eq!(window(gaps.clone(), |m| *m, 35, 0, 2), [30, 20]);
        assert_eq!(window(gaps, |m| *m, 36, -2, 2), [50, 40]);
    }
}
