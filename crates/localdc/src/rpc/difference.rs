//! How much of a gap one `updates.getDifference` answer covers
//! (core.telegram.org/api/updates#recovering-gaps, /method/updates.getDifference):
//! nothing new is `updates.differenceEmpty`; a gap above the server's
//! threshold (or above the request's `pts_total_limit`) is
//! `updates.differenceTooLong` with the current `pts`, after which the
//! client refetches its dialogs; more events than the slice limit (the
//! world's `difference_limit`, lowered by the request's `pts_limit`) are
//! `updates.differenceSlice` whose `intermediate_state` holds the `pts` of
//! the last event included, so the client asks again from there; the rest
//! is one `updates.difference`.

/// The kind of answer for a client at `client_pts` when the box is at `pts`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Plan {
    Empty,
    TooLong,
    /// Include at most this many events, oldest first.
    Events {
        limit: usize,
    },
}

/// Limits in force for one request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    pub slice: u32,
    pub too_long: u32,
}

impl Limits {
    /// The server's limits narrowed by the request's optional `pts_limit`
    /// and `pts_total_limit` (non-positive values are ignored).
    pub fn narrowed(self, pts_limit: Option<i32>, pts_total_limit: Option<i32>) -> Self {
        let narrow = |server: u32, asked: Option<i32>| match asked {
            Some(a) if a > 0 => server.min(a as u32),
            _ => server,
        };
        Self {
            slice: narrow(self.slice, pts_limit),
            too_long: narrow(self.too_long, pts_total_limit),
        }
    }
}

pub fn plan(client_pts: i32, pts: i32, limits: Limits) -> Plan {
    if client_pts >= pts {
        return Plan::Empty;
    }
    let gap = i64::from(pts) - i64::from(client_pts);
    if gap > i64::from(limits.too_long) {
        return Plan::TooLong;
    }
    Plan::Events {
        limit: limits.slice as usize,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const L: Limits = Limits {
        slice: 3,
        too_long: 10,
    };

    #[test]
    fn gaps_are_empty_sliced_or_too_long() {
        assert_eq!(plan(5, 5, L), Plan::Empty);
        assert_eq!(plan(6, 5, L), Plan::Empty);
        assert_eq!(plan(1, 11, L), Plan::Events { limit: 3 });
        assert_eq!(plan(1, 12, L), Plan::TooLong);
        let asked = L.narrowed(Some(2), Some(4));
        assert_eq!((asked.slice, asked.too_long), (2, 4));
        assert_eq!(L.narrowed(Some(0), Some(50)), L);
    }
}
