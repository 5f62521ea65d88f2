//! The one error type every command returns to the UI.
//!
//! Invariants: `code` is a stable, machine-readable name the UI branches on
//! (Telegram's RPC error name such as `PHONE_CODE_INVALID`, or one of the
//! [`codes`] below); `message` is a sentence for the user that says what
//! failed and what to do next; `field`, when set, names the form field the
//! error concerns (`phone`, `code`, `password`, `bot_token`, `api_id`, …) so
//! the UI shows it there; `retry_after_secs` is set exactly for flood waits.

use serde::Serialize;
use ts_rs::TS;

/// Codes of failures that are not Telegram RPC errors (those keep their
/// RPC name, e.g. `PHONE_NUMBER_INVALID`).
pub mod codes {
    /// Telegram asked to wait (`FLOOD_WAIT_X` and kin); see `retry_after_secs`.
    pub const FLOOD_WAIT: &str = "FLOOD_WAIT";
    /// A DC or proxy could not be reached, or the connection broke.
    pub const NETWORK: &str = "NETWORK";
    /// The database or the data directory failed.
    pub const STORAGE: &str = "STORAGE";
    /// The OS keyring refused to store or read a secret.
    pub const KEYRING: &str = "KEYRING";
    /// Another process holds the data directory's lock.
    pub const LOCKED: &str = "LOCKED";
    /// An argument the UI sent is not valid (the field says which).
    pub const INVALID_INPUT: &str = "INVALID_INPUT";
    /// The account, login flow, proxy or session named does not exist (any more).
    pub const NOT_FOUND: &str = "NOT_FOUND";
    /// The built-in local test network could not start.
    pub const LOCAL_NETWORK: &str = "LOCAL_NETWORK";
    /// There is nothing to act on yet (e.g. no results to save).
    pub const NOTHING_YET: &str = "NOTHING_YET";
    /// A file could not be written.
    pub const IO: &str = "IO";
    /// The app's own state broke after an earlier failure; a restart helps.
    pub const INTERNAL: &str = "INTERNAL";
}

/// A failed command, as the UI receives it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, TS, thiserror::Error)]
#[error("{message}")]
pub struct CommandError {
    /// Machine-readable: an RPC error name (`PHONE_CODE_INVALID`) or one of
    /// `FLOOD_WAIT`, `NETWORK`, `STORAGE`, `KEYRING`, `LOCKED`,
    /// `INVALID_INPUT`, `NOT_FOUND`, `LOCAL_NETWORK`, `NOTHING_YET`, `IO`, `INTERNAL`.
    pub code: String,
    /// What failed, in words for the user.
    pub message: String,
    /// The form field the error concerns, if any.
    pub field: Option<String>,
    /// For `FLOOD_WAIT`: seconds until the action may be tried again.
    pub retry_after_secs: Option<u32>,
}

impl CommandError {
    /// An error with `code` and `message`, concerning no field.
    pub fn new(code: impl Into<String>, message: impl Into<String>) -> Self {
        CommandError {
            code: code.into(),
            message: message.into(),
            field: None,
            retry_after_secs: None,
        }
    }

    /// The same error, shown on the form field `field`.
    #[must_use]
    pub fn on_field(mut self, field: impl Into<String>) -> Self {
        self.field = Some(field.into());
        self
    }

    /// A flood wait of `seconds`, optionally on a field.
    pub fn flood_wait(seconds: u32, message: impl Into<String>) -> Self {
        CommandError {
            retry_after_secs: Some(seconds),
            ..CommandError::new(codes::FLOOD_WAIT, message)
        }
    }

    /// The app's own state is unusable after an earlier failure (a poisoned lock).
    pub fn internal(what: &str) -> Self {
        CommandError::new(
            codes::INTERNAL,
            format!("{what} is unavailable after an earlier failure; restart Hearth"),
        )
    }
}

impl From<hearth_store::StoreError> for CommandError {
    fn from(error: hearth_store::StoreError) -> Self {
        CommandError::new(codes::STORAGE, error.to_string())
    }
}

impl From<hearth_store::LockError> for CommandError {
    fn from(error: hearth_store::LockError) -> Self {
        let code = match error {
            hearth_store::LockError::HeldByOther { .. } => codes::LOCKED,
            hearth_store::LockError::Io { .. } => codes::STORAGE,
        };
        CommandError::new(code, error.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serializes_every_field_for_the_ui() {
        let error = CommandError::flood_wait(42, "wait 42 s").on_field("phone");
        let json = serde_json::to_value(&error).unwrap();
        assert_eq!(
            json,
            serde_json::json!({
                "code": "FLOOD_WAIT", "message": "wait 42 s",
                "field": "phone", "retry_after_secs": 42
            })
        );
        assert_eq!(error.to_string(), "wait 42 s");
    }

    #[test]
    fn store_errors_are_storage_and_a_held_lock_is_locked() {
        let store = hearth_store::StoreError::NoHomeDir;
        assert_eq!(CommandError::from(store).code, codes::STORAGE);
        let held = hearth_store::LockError::HeldByOther {
            pid: 7,
            path: "/tmp/x".into(),
        };
        let error = CommandError::from(held);
        assert_eq!(error.code, codes::LOCKED);
        assert!(error.message.contains('7'), "{}", error.message);
        assert_eq!(error.field, None);
        assert_eq!(error.retry_after_secs, None);
    }
}
