//! What a session of another client holds, in one shape for every format.

use std::fmt;

use hearth_crypto::AuthKey;

/// Where a session came from, or what it is written as.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    PyrogramString,
    PyrogramFile,
    TelethonString,
    TelethonFile,
    /// Telegram Desktop's tdata folder.
    Tdata,
}

impl Format {
    /// The name shown to people ("a Pyrogram session string").
    pub fn describe(self) -> &'static str {
        match self {
            Format::PyrogramString => "Pyrogram session string",
            Format::PyrogramFile => "Pyrogram session file",
            Format::TelethonString => "Telethon StringSession",
            Format::TelethonFile => "Telethon session file",
            Format::Tdata => "Telegram Desktop tdata folder",
        }
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.describe())
    }
}

/// A DC address as a session stores it (Telethon and kurigram keep one).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServerAddress {
    pub host: String,
    pub port: u16,
}

/// One authorization of another client. Fields the source format does not
/// carry are `None`.
#[derive(Debug, Clone)]
pub struct PortableSession {
    pub format: Format,
    /// The DC the key was created on (and the account lives on, as far as the
    /// client knew).
    pub dc_id: i32,
    pub auth_key: AuthKey,
    /// Pyrogram's `test_mode`: the key belongs to Telegram's test servers.
    pub test_mode: Option<bool>,
    pub user_id: Option<i64>,
    pub is_bot: Option<bool>,
    /// The `api_id` the session signed in with (Pyrogram 2 strings and files).
    pub api_id: Option<i32>,
    pub server: Option<ServerAddress>,
}

impl PortableSession {
    /// `auth_key_id`, the public identifier of the key: what duplicate checks
    /// compare, never the key itself.
    pub fn key_id(&self) -> u64 {
        self.auth_key.key_id()
    }

    /// The DC address the session keeps, when it is on this machine (a
    /// loopback address): the key then belongs to a local test network, not
    /// to Telegram's production or test servers, whatever `test_mode` says.
    pub fn loopback_server(&self) -> Option<&ServerAddress> {
        self.server.as_ref().filter(|server| {
            server
                .host
                .parse::<std::net::IpAddr>()
                .is_ok_and(|ip| ip.is_loopback())
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::session;

    fn at(host: &str) -> PortableSession {
        let mut s = session(Format::TelethonString);
        s.server = Some(ServerAddress {
            host: host.into(),
            port: 443,
        });
        s
    }

    #[test]
    fn loopback_servers_are_a_local_network() {
        for host in ["127.0.0.1", "127.5.6.7", "::1"] {
            assert_eq!(
                at(host).loopback_server().map(|s| s.host.as_str()),
                Some(host)
            );
        }
        // Another machine, a name (never resolved here), no address at all.
        for host in ["192.0.2.1", "2001:db8::1", "localhost"] {
            assert!(at(host).loopback_server().is_none(), "{host}");
        }
        let mut none = at("127.0.0.1");
        none.server = None;
        assert!(none.loopback_server().is_none());
    }
}
