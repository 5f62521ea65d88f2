//! `rpc_error` as a typed value (core.telegram.org/api/errors).
//!
//! The message is parsed once, here: the first all-digit `_`-separated part
//! is the value (`FLOOD_WAIT_30`, `INTERDC_2_CALL_ERROR`), the rest is the
//! name. Two kinds of errors tell the client what to do next and get typed
//! accessors: 420 waits ([`RpcError::flood_wait`]) and 303 redirects to
//! another DC ([`RpcError::migrate`], core.telegram.org/api/datacenter).
//! Invariant: parsing and the accessors accept any string without panicking;
//! a number too large for `u32` saturates at `u32::MAX`.

use std::fmt;
use std::time::Duration;

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

    /// How long to wait before repeating the request, for `FLOOD_WAIT_X`,
    /// `FLOOD_PREMIUM_WAIT_X`, `FLOOD_TEST_PHONE_WAIT_X` and
    /// `SLOWMODE_WAIT_X` (code 420). Matched by name, so a server that sends
    /// them with another code is still understood; `None` when the message
    /// carries no number.
    pub fn flood_wait(&self) -> Option<Duration> {
        const WAITS: [&str; 4] = [
            "FLOOD_WAIT",
            "FLOOD_PREMIUM_WAIT",
            "FLOOD_TEST_PHONE_WAIT",
            "SLOWMODE_WAIT",
        ];
        if !WAITS.contains(&self.name.as_str()) {
            return None;
        }
        self.value.map(|s| Duration::from_secs(u64::from(s)))
    }

    /// The DC to repeat the request in, for `PHONE_MIGRATE_X`,
    /// `USER_MIGRATE_X`, `NETWORK_MIGRATE_X`, `FILE_MIGRATE_X` and
    /// `STATS_MIGRATE_X` (code 303). `None` for any other error and when the
    /// DC number is missing, zero or out of range.
    pub fn migrate(&self) -> Option<Migrate> {
        let dc = i32::try_from(self.value?).ok().filter(|&dc| dc > 0)?;
        Some(match self.name.as_str() {
            "PHONE_MIGRATE" => Migrate::Phone(dc),
            "USER_MIGRATE" => Migrate::User(dc),
            "NETWORK_MIGRATE" => Migrate::Network(dc),
            "FILE_MIGRATE" => Migrate::File(dc),
            "STATS_MIGRATE" => Migrate::Stats(dc),
            _ => return None,
        })
    }
}

/// A 303 redirect (core.telegram.org/api/datacenter): which DC to repeat the
/// request in, and why.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Migrate {
    /// The phone number belongs to this DC (sign-in): make it the home DC.
    Phone(i32),
    /// The account lives in this DC: make it the home DC.
    User(i32),
    /// Use this DC for this request, given the client's network location.
    Network(i32),
    /// The file is stored in this DC: download it there.
    File(i32),
    /// Channel statistics are served by this DC.
    Stats(i32),
}

impl Migrate {
    /// The DC to go to.
    pub fn dc(self) -> i32 {
        match self {
            Migrate::Phone(dc)
            | Migrate::User(dc)
            | Migrate::Network(dc)
            | Migrate::File(dc)
            | Migrate::Stats(dc) => dc,
        }
    }

    /// Whether the account's home DC changes (phone and user migrations);
    /// the others are for one request only.
    pub fn changes_home(self) -> bool {
        matches!(self, Migrate::Phone(_) | Migrate::User(_))
    }
}

/// Splits `NAME_123` (or `NAME_123_SUFFIX`, e.g. `INTERDC_2_CALL_ERROR`) into
/// the name without the number and the number (saturating at `u32::MAX`).
fn split_value(message: &str) -> (String, Option<u32>) {
    let parts: Vec<&str> = message.split('_').collect();
    let Some(pos) = parts
        .iter()
        .position(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
    else {
        return (message.to_owned(), None);
    };
    // All digits, so the only possible parse failure is overflow.
    let value = parts[pos].parse::<u32>().unwrap_or(u32::MAX);
    let mut rest: Vec<&str> = parts[..pos].to_vec();
    rest.extend_from_slice(&parts[pos + 1..]);
    (rest.join("_"), Some(value))
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

    #[test]
    fn number_in_the_middle() {
        let e = RpcError::new(500, "INTERDC_2_CALL_ERROR");
        assert_eq!((e.name.as_str(), e.value), ("INTERDC_CALL_ERROR", Some(2)));
        assert!(e.is("INTERDC_CALL_ERROR"));
        assert_eq!(e.migrate(), None);
        assert_eq!(e.flood_wait(), None);
        let e = RpcError::new(500, "INTERDC_4_CALL_RICH_ERROR");
        assert_eq!(
            (e.name.as_str(), e.value),
            ("INTERDC_CALL_RICH_ERROR", Some(4))
        );
    }

    #[test]
    fn flood_waits() {
        let secs = |m: &str| RpcError::new(420, m).flood_wait();
        assert_eq!(secs("FLOOD_WAIT_30"), Some(Duration::from_secs(30)));
        assert_eq!(secs("FLOOD_WAIT_0"), Some(Duration::ZERO));
        assert_eq!(secs("FLOOD_PREMIUM_WAIT_5"), Some(Duration::from_secs(5)));
        assert_eq!(secs("SLOWMODE_WAIT_600"), Some(Duration::from_secs(600)));
        assert_eq!(
            secs("FLOOD_TEST_PHONE_WAIT_7"),
            Some(Duration::from_secs(7))
        );
        assert_eq!(secs("PHONE_MIGRATE_2"), None);
        assert_eq!(secs("PEER_FLOOD"), None);
        assert_eq!(secs("FLOOD_WAIT"), None, "no number, nothing to wait for");
        // 2FA_CONFIRM_WAIT_X is a 420 with a number, but not a flood wait
        // (the account reset waits a week); it stays a plain error.
        assert_eq!(secs("2FA_CONFIRM_WAIT_604800"), None);
    }

    #[test]
    fn migrations() {
        let m = |msg: &str| RpcError::new(303, msg).migrate();
        assert_eq!(m("PHONE_MIGRATE_2"), Some(Migrate::Phone(2)));
        assert_eq!(m("USER_MIGRATE_4"), Some(Migrate::User(4)));
        assert_eq!(m("NETWORK_MIGRATE_5"), Some(Migrate::Network(5)));
        assert_eq!(m("FILE_MIGRATE_1"), Some(Migrate::File(1)));
        assert_eq!(m("STATS_MIGRATE_3"), Some(Migrate::Stats(3)));
        assert_eq!(m("FLOOD_WAIT_3"), None);
        assert_eq!(m("PHONE_MIGRATE"), None);
        assert_eq!(m("PHONE_MIGRATE_0"), None, "DC 0 does not exist");
        let phone = Migrate::Phone(2);
        assert_eq!((phone.dc(), phone.changes_home()), (2, true));
        let file = Migrate::File(5);
        assert_eq!((file.dc(), file.changes_home()), (5, false));
        assert!(Migrate::User(1).changes_home());
        assert!(!Migrate::Network(1).changes_home());
    }

    #[test]
    fn odd_inputs_never_panic() {
        let e = RpcError::new(420, "FLOOD_WAIT_");
        assert_eq!((e.name.as_str(), e.value), ("FLOOD_WAIT_", None));
        assert_eq!(e.flood_wait(), None);

        // Too large for u32: saturates instead of losing the wait.
        let e = RpcError::new(420, "FLOOD_WAIT_99999999999999999999999");
        assert_eq!((e.name.as_str(), e.value), ("FLOOD_WAIT", Some(u32::MAX)));
        assert_eq!(
            e.flood_wait(),
            Some(Duration::from_secs(u64::from(u32::MAX)))
        );
        // A DC number beyond i32 is no DC.
        assert_eq!(
            RpcError::new(303, "USER_MIGRATE_4294967295").migrate(),
            None
        );
        assert_eq!(
            RpcError::new(303, "USER_MIGRATE_2147483648").migrate(),
            None
        );
        assert_eq!(
            RpcError::new(303, "USER_MIGRATE_2147483647").migrate(),
            Some(Migrate::User(i32::MAX))
        );

        for msg in [
            "",
            "_",
            "__",
            "_1_",
            "1",
            "123_",
            "-5",
            "FLOOD_WAIT_-5",
            "FLOOD_WAIT_ 5",
            "FLOOD_WAIT_５",
            "ÜNICODE_7_É",
            "FILE_MIGRATE_+3",
            "a_b_c_d",
        ] {
            let e = RpcError::new(400, msg);
            let _ = (e.flood_wait(), e.migrate(), e.to_string());
            assert_eq!(e.message, msg);
        }
        let e = RpcError::new(400, "_1_");
        assert_eq!((e.name.as_str(), e.value), ("_", Some(1)));
        assert_eq!(RpcError::new(420, "FLOOD_WAIT_-5").flood_wait(), None);
        assert_eq!(RpcError::new(303, "FILE_MIGRATE_+3").migrate(), None);
    }
}
