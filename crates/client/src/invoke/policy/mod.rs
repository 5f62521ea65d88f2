//! The retry policy of one request: what to do after each failed attempt.
//! Pure: the attempt's history and the time come in, an [`Action`] goes out,
//! so every rule is a unit test.
//!
//! * `303 PHONE/USER/NETWORK_MIGRATE_X` (core.telegram.org/api/errors#303-see-other):
//!   the account lives on DC X; a request meant for the home DC moves it
//!   there (at most [`MAX_MIGRATIONS`] times per request).
//!   `FILE_MIGRATE_X` sends the request to DC X's media connection.
//! * `420 FLOOD_WAIT_X` (#420-flood): waits up to the threshold are slept
//!   and the request repeated once; a longer one, or a second in a row, is
//!   returned with its deadline. Never a tight loop.
//! * `500`s (#500-internal) and connections lost for good: repeated up to
//!   `max_retries` times with doubling pauses; a lost connection is
//!   reopened first.
//! * `401 AUTH_KEY_UNREGISTERED` on a DC other than home: the sign-in is
//!   carried there with `auth.exportAuthorization`/`importAuthorization`
//!   once, then the request repeated.
//!
//! Timeouts are not repeated: the request may have run.

use std::time::{Duration, SystemTime};

use crate::error::ClientError;
use crate::failure::{flood_of, migrate_of, rpc_error, Failure, Migrate};

/// Most home-DC moves one request may cause (a loop between DCs ends here).
pub const MAX_MIGRATIONS: u32 = 3;
/// Longest pause between repeats after 500s or lost connections.
pub const MAX_RETRY_DELAY: Duration = Duration::from_secs(5);

/// The limits of the policy (from the client's config).
#[derive(Clone, Copy, Debug)]
pub struct Limits {
    pub flood_sleep_threshold: Duration,
    pub max_retries: u32,
    pub retry_delay: Duration,
}

/// Where the failed attempt went.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Attempted {
    pub dc: i32,
    /// The request was meant for the home DC (not a DC picked by the caller).
    pub home: bool,
    /// The account's home DC at the time.
    pub home_dc: i32,
    /// Whether the authorization may be imported into `dc` on 401.
    pub may_import: bool,
}

/// What happened to this request so far.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct History {
    pub migrations: u32,
    pub flood_slept: bool,
    pub retries: u32,
    pub imported: bool,
}

/// The next step.
#[derive(Debug)]
pub enum Action {
    /// Make DC X the home DC (and save it), then repeat on it.
    MoveHome(i32),
    /// Repeat on this DC's main connection (a DC the caller picked).
    UseDc(i32),
    /// Repeat on this DC's media connection.
    UseMedia(i32),
    /// Wait, then repeat.
    Sleep(Duration),
    /// Drop the connection, wait, then repeat on a new one.
    Reconnect(Duration),
    /// Import the authorization into this DC, then repeat.
    Import(i32),
    /// Give up with this error.
    Fail(ClientError),
}

fn retry_delay(limits: &Limits, retries: u32) -> Duration {
    let factor = 1u32.checked_shl(retries.min(16)).unwrap_or(u32::MAX);
    limits
        .retry_delay
        .saturating_mul(factor)
        .min(MAX_RETRY_DELAY)
}

/// Decides what follows `failure`, updating `history`.
pub fn decide(
    failure: Failure,
    at: Attempted,
    history: &mut History,
    limits: &Limits,
    now: SystemTime,
) -> Action {
    match failure {
        Failure::Rpc { dc, error } => {
            if let Some(m) = migrate_of(&error) {
                if history.migrations >= MAX_MIGRATIONS {
                    return Action::Fail(rpc_error(dc, error));
                }
                history.migrations += 1;
                return match m {
                    Migrate::Home(to) if at.home => Action::MoveHome(to),
                    Migrate::Home(to) | Migrate::Stats(to) => Action::UseDc(to),
                    Migrate::File(to) => Action::UseMedia(to),
                };
            }
            if let Some(wait) = flood_of(&error) {
                if wait <= limits.flood_sleep_threshold && !history.flood_slept {
                    history.flood_slept = true;
                    return Action::Sleep(wait);
                }
                return Action::Fail(ClientError::FloodWait {
                    seconds: wait.as_secs() as u32,
                    until: now + wait,
                    dc,
                });
            }
            if error.code == 500 || error.code == -500 {
                if error.is("RANDOM_ID_DUPLICATE") || history.retries >= limits.max_retries {
                    return Action::Fail(rpc_error(dc, error));
                }
                history.retries += 1;
                return Action::Sleep(retry_delay(limits, history.retries - 1));
            }
            if error.is("AUTH_KEY_UNREGISTERED")
                && dc != at.home_dc
                && at.may_import
                && !history.imported
            {
                history.imported = true;
                return Action::Import(dc);
            }
            Action::Fail(rpc_error(dc, error))
        }
        Failure::Connection { dc, detail } => {
            if history.retries >= limits.max_retries {
                return Action::Fail(ClientError::Connect { dc, detail });
            }
            history.retries += 1;
            Action::Reconnect(retry_delay(limits, history.retries - 1))
        }
        other => Action::Fail(other.into_error()),
    }
}

#[cfg(test)]
mod tests;
