//! The world file: who exists on the emulated DCs and what they have said.
//!
//! A world is TOML. Every table is optional; an empty file is an empty world.
//!
//! ```toml
//! [server]
//! test_mode = true            # help.getConfig answers test_mode = true
//! salt_rotation_secs = 3600   # lifetime of each server salt
//! ports = { 1 = 0, 2 = 0 }    # optional pinned ports per DC id (0 = any free port)
//! media_ports = { 2 = 0 }     # optional pinned ports of the media-only DCs
//! mtproxy_secret = "dd0123456789abcdef0123456789abcdef"  # optional MTProxy endpoint
//! mtproxy_port = 0            # its port (0 = any free port)
//! file_reference_secs = 3600  # lifetime of a photo's or document's file_reference
//! difference_limit = 100      # messages per updates.differenceSlice
//! difference_too_long = 10000 # pts gap answered with updates.differenceTooLong
//!
//! [[account]]                 # a user who can sign in
//! name = "alice"              # handle other tables use to refer to this account
//! phone = "9996621234"        # digits only; 99966XYYYY lives on DC X, code XXXXX
//! first_name = "Alice"
//! last_name = "Liddell"       # optional
//! username = "alice"          # optional
//! dc = 2                      # optional for 99966X numbers, required otherwise
//! password = "hunter2"        # optional: enables 2FA (SRP) with this password
//! password_hint = "cat"       # optional
//! contacts = ["bob"]          # optional: accounts or bots saved as contacts
//!
//! [[app]]                     # a registered app (see `localdc::world_apps`)
//! api_id = 1
//! title = "Hearth"
//!
//! [[bot]]
//! name = "helper"
//! token = "7000001:AAtoken"   # "<user id>:<secret>" as in auth.importBotAuthorization
//! username = "helper_bot"
//! first_name = "Helper"
//! dc = 2
//!
//! [[private_chat]]            # a one-to-one dialog between two accounts or bots
//! members = ["alice", "bob"]
//! messages = [{ from = "alice", text = "hi" }]   # may hold photos and documents:
//!                             # see `localdc::world_media`
//!
//! [[group]]                   # a basic group
//! title = "Hearth group"
//! creator = "alice"
//! members = ["alice", "bob"]
//! messages = [{ from = "bob", text = "hello all" }]
//!
//! [[channel]]                 # a broadcast channel (or a supergroup with megagroup = true)
//! title = "Hearth news"
//! username = "hearth_news"    # optional: public channel
//! about = "What is new"       # optional description
//! creator = "alice"
//! megagroup = false
//! admins = ["bob"]            # optional: admins besides the creator
//! members = ["alice", "bob"]
//! messages = [{ from = "alice", text = "first post" }]
//!
//! # Faults (see `localdc::faults`); every one can also be set at run time
//! # through the control port. `kind` defaults to "flood".
//! [[fault]]                   # a flood limit
//! method = "messages.sendMessage"
//! limit = 5                   # calls per window per account before FLOOD_WAIT
//! window_secs = 60            # optional, default 60
//! wait_secs = 3               # X of FLOOD_WAIT_X ...
//! jitter_secs = 2             # ... plus 0..=2 s drawn from --seed (optional)
//!
//! [[fault]]                   # dropped TCP connections
//! kind = "drop"
//! dc = 2                      # optional: only DC 2 (default: every DC)
//! after_messages = 100        # close after 100 encrypted packets, and/or ...
//! probability = 0.05          # ... at random per packet (seeded)
//! stage = "before_answer"     # "after_answer" (default), "before_answer", "unprocessed"
//!
//! [[fault]]                   # added latency per answer
//! kind = "latency"
//! dc = 4                      # optional
//! fixed_ms = 80
//! jitter_ms = 40              # plus 0..=40 ms (seeded)
//!
//! [[fault]]                   # 500 internal errors
//! kind = "error"
//! method = "messages.getHistory"  # optional: every method when absent
//! error = "RPC_CALL_FAIL"     # optional, default INTERNAL_SERVER_ERROR
//! every = 3                   # every 3rd matching call, and/or ...
//! probability = 0.1           # ... at random (seeded); neither: every call
//!
//! [[fault]]                   # 303 NETWORK_MIGRATE_X
//! kind = "migrate"
//! to = 4                      # X
//! dc = 2                      # optional conditions, all must hold:
//! account = "alice"           #   account/bot name or phone,
//! method = "messages.getDialogs"  # and TL method
//! ```
//!
//! `[server]` also takes `clock_skew_secs = 0` (the server's MTProto clock runs
//! this many seconds off real time) and `auth_key_duplicated = true` (Telegram's
//! `406 AUTH_KEY_DUPLICATED` for a key used from two IP addresses at once; set
//! `false` to allow it).
//!
//! Ids are assigned by the server (users from 1000001 up in file order, bots take
//! the id in their token, basic groups from 4000001 up in file order); they are
//! stable for the same file.

use std::collections::BTreeMap;
use std::path::Path;

use serde::Deserialize;

/// Errors loading a world file; each says what to fix.
#[derive(Debug, thiserror::Error)]
pub enum WorldError {
    #[error("cannot read world file {path}: {source}")]
    Read {
        path: String,
        source: std::io::Error,
    },
    #[error("world file {path} is not valid TOML for a localdc world: {message}")]
    Syntax { path: String, message: String },
    #[error("world file: {0}")]
    Invalid(String),
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct World {
    #[serde(default)]
    pub server: ServerSettings,
    #[serde(default, rename = "account")]
    pub accounts: Vec<Account>,
    #[serde(default, rename = "bot")]
    pub bots: Vec<Bot>,
    /// Registered apps: the `app_name` of authorizations by `api_id`.
    #[serde(default, rename = "app")]
    pub apps: Vec<crate::world_apps::App>,
    #[serde(default, rename = "private_chat")]
    pub private_chats: Vec<PrivateChat>,
    #[serde(default, rename = "group")]
    pub groups: Vec<Group>,
    #[serde(default, rename = "channel")]
    pub channels: Vec<Channel>,
    #[serde(
        default,
        rename = "fault",
        deserialize_with = "crate::faults::de_rules"
    )]
    pub faults: Vec<crate::faults::FaultRule>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ServerSettings {
    #[serde(default = "yes")]
    pub test_mode: bool,
    #[serde(default = "default_salt_rotation")]
    pub salt_rotation_secs: u32,
    #[serde(default)]
    pub ports: BTreeMap<String, u16>,
    #[serde(default)]
    pub media_ports: BTreeMap<String, u16>,
    /// Also serve an MTProxy with this secret (hex or base64; `dd`/`ee` prefixes
    /// as in proxy links) in front of every DC.
    #[serde(default)]
    pub mtproxy_secret: Option<String>,
    /// Port of the MTProxy endpoint (0 = any free port).
    #[serde(default)]
    pub mtproxy_port: u16,
    /// Seconds the server's MTProto clock runs ahead (negative: behind).
    #[serde(default)]
    pub clock_skew_secs: i64,
    /// Invalidate an auth key used from two IP addresses at once (406).
    #[serde(default = "yes")]
    pub auth_key_duplicated: bool,
    /// How long a `file_reference` stays valid (core.telegram.org/api/file_reference).
    #[serde(default = "default_file_reference_secs")]
    pub file_reference_secs: u32,
    /// Most messages one `updates.getDifference` answer carries before it
    /// becomes an `updates.differenceSlice`.
    #[serde(default = "default_difference_limit")]
    pub difference_limit: u32,
    /// A pts gap above this is answered with `updates.differenceTooLong`.
    #[serde(default = "default_difference_too_long")]
    pub difference_too_long: u32,
}

impl ServerSettings {
    /// The parsed MTProxy secret, if one is set and valid.
    pub fn mtproxy(&self) -> Option<hearth_transport::MtProxySecret> {
        self.mtproxy_secret
            .as_deref()
            .and_then(|s| hearth_transport::MtProxySecret::parse(s).ok())
    }

    /// The settings of the fault injector.
    pub fn faults(&self) -> crate::faults::Settings {
        crate::faults::Settings {
            clock_skew_secs: self.clock_skew_secs,
            auth_key_duplicated: self.auth_key_duplicated,
        }
    }
}

impl Default for ServerSettings {
    fn default() -> Self {
        Self {
            test_mode: true,
            salt_rotation_secs: default_salt_rotation(),
            ports: BTreeMap::new(),
            media_ports: BTreeMap::new(),
            mtproxy_secret: None,
            mtproxy_port: 0,
            clock_skew_secs: 0,
            auth_key_duplicated: true,
            file_reference_secs: default_file_reference_secs(),
            difference_limit: default_difference_limit(),
            difference_too_long: default_difference_too_long(),
        }
    }
}

fn default_file_reference_secs() -> u32 {
    3600
}
fn default_difference_limit() -> u32 {
    100
}
fn default_difference_too_long() -> u32 {
    10_000
}

fn yes() -> bool {
    true
}
fn default_salt_rotation() -> u32 {
    3600
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Account {
    pub name: String,
    pub phone: String,
    pub first_name: String,
    #[serde(default)]
    pub last_name: String,
    pub username: Option<String>,
    pub dc: Option<i32>,
    pub password: Option<String>,
    pub password_hint: Option<String>,
    /// Names of accounts or bots this account has saved as contacts.
    #[serde(default)]
    pub contacts: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Bot {
    pub name: String,
    pub token: String,
    pub username: String,
    pub first_name: String,
    #[serde(default = "default_dc")]
    pub dc: i32,
}

fn default_dc() -> i32 {
    2
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Message {
    pub from: String,
    pub text: String,
    /// A photo sent with the message ([`crate::world_media`]).
    #[serde(default)]
    pub photo: Option<crate::world_media::WorldPhoto>,
    /// A document sent with the message ([`crate::world_media`]).
    #[serde(default)]
    pub document: Option<crate::world_media::WorldDocument>,
}

impl Message {
    /// The id of this message's photo or document, if it has one.
    pub fn media_id(&self) -> Option<i64> {
        crate::world_media::media_of(self.photo.as_ref(), self.document.as_ref(), 0).map(|m| m.0)
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PrivateChat {
    pub members: [String; 2],
    #[serde(default)]
    pub messages: Vec<Message>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Group {
    pub title: String,
    pub creator: String,
    pub members: Vec<String>,
    #[serde(default)]
    pub messages: Vec<Message>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Channel {
    pub title: String,
    pub username: Option<String>,
    pub creator: String,
    #[serde(default)]
    pub megagroup: bool,
    /// The description shown in `channelFull.about`.
    #[serde(default)]
    pub about: String,
    /// Admins besides the creator (members too); in a broadcast channel
    /// only the creator and admins post.
    #[serde(default)]
    pub admins: Vec<String>,
    #[serde(default)]
    pub members: Vec<String>,
    #[serde(default)]
    pub messages: Vec<Message>,
}

/// The DC a test phone number `99966XYYYY` belongs to (core.telegram.org/api/auth#test-accounts).
pub fn test_phone_dc(phone: &str) -> Option<i32> {
    let rest = phone.strip_prefix("99966")?;
    if rest.len() != 5 || !rest.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let dc = i32::from(rest.as_bytes()[0] - b'0');
    (1..=5).contains(&dc).then_some(dc)
}

impl Account {
    /// The DC this account lives on.
    pub fn home_dc(&self) -> i32 {
        self.dc.or_else(|| test_phone_dc(&self.phone)).unwrap_or(2)
    }
}

impl Bot {
    /// The user id in the bot token.
    pub fn user_id(&self) -> Option<i64> {
        self.token.split_once(':')?.0.parse().ok()
    }
}

impl World {
    /// Reads and validates a world file.
    pub fn load(path: &Path) -> Result<Self, WorldError> {
        let shown = path.display().to_string();
        let text = std::fs::read_to_string(path).map_err(|source| WorldError::Read {
            path: shown.clone(),
            source,
        })?;
        Self::parse(&text, &shown)
    }

    /// Parses and validates world TOML; `origin` names it in errors.
    pub fn parse(text: &str, origin: &str) -> Result<Self, WorldError> {
        let world: World = toml::from_str(text).map_err(|e| WorldError::Syntax {
            path: origin.into(),
            message: e.to_string(),
        })?;
        world.validate()?;
        Ok(world)
    }

    /// The user id of an account or bot by name.
    pub fn user_id(&self, name: &str) -> Option<i64> {
        if let Some(i) = self.accounts.iter().position(|a| a.name == name) {
            return Some(1_000_001 + i as i64);
        }
        self.bots.iter().find(|b| b.name == name)?.user_id()
    }
}

mod validate;

#[cfg(test)]
mod tests;
