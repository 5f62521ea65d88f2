//! `rpc_error` as a typed value (core.telegram.org/api/errors).

use std::fmt;

/// An error answer to a request. `name` is the message with a trailing
/// numeric part removed and `value` that number, so `FLOOD_WAIT_30` becomes
/// name `FLOOD_WAIT`, value `Some(30)` and `PHONE_MIGRATE_2` becomes
/// `PHONE_MIGRATE`, `Some(2)`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RpcError {
    pub code: i32,
    pub name: String,
    pub value: Option<u32>,
    /// The message exactly as the server sent it.
    pub message: String,
}

impl RpcError {
    pub fn new(code: i32, message: impl Into<String>) -> Self {
        let message = message.into();
        let (name, value) = split_value(&message);
        Self {
            code,
            name,
            value,
            message,
        }
    }

    /// Whether `name` matches, e.g. `err.is("FLOOD_WAIT")`.
    pub fn is(&self, name: &str) -> bool {
        self.name == name
    }
}

/// Splits `NAME_123` (or `NAME_123_SUFFIX`, e.g. `FLOOD_PREMIUM_WAIT_5`) into the
/// name without digits and the number.
fn split_value(message: &str) -> (String, Option<u32>) {
    let parts: Vec<&str> = message.split('_').collect();
    if let Some(pos) = parts
        .iter()
        .position(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
    {
        if let Ok(v) = parts[pos].parse::<u32>() {
            let mut rest: Vec<&str> = parts[..pos].to_vec();
            rest.extend_from_slice(&parts[pos + 1..]);
            return (rest.join("_"), Some(v));
        }
    }
    (message.to_owned(), None)
}

impl fmt::Display for RpcError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "rpc error {}: {}", self.code, self.message)
    }
}

impl std::error::Error for RpcError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_are_split_out() {
        let e = RpcError::new(420, "FLOOD_WAIT_30");
        assert_eq!((e.name.as_str(), e.value), ("FLOOD_WAIT", Some(30)));
        assert!(e.is("FLOOD_WAIT"));
        let e = RpcError::new(303, "PHONE_MIGRATE_2");
        assert_eq!((e.name.as_str(), e.value), ("PHONE_MIGRATE", Some(2)));
        let e = RpcError::new(400, "EMAIL_UNCONFIRMED_6_X");
        assert_eq!((e.name.as_str(), e.value), ("EMAIL_UNCONFIRMED_X", Some(6)));
        let e = RpcError::new(400, "PEER_ID_INVALID");
        assert_eq!((e.name.as_str(), e.value), ("PEER_ID_INVALID", None));
        assert_eq!(e.to_string(), "rpc error 400: PEER_ID_INVALID");
    }
}
