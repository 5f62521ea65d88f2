//! localdc: a Telegram data-centre emulator speaking MTProto 2.0 over TCP.
//!
//! Every Hearth test talks to localdc instead of Telegram. It serves DCs 1–5 and
//! media-only endpoints for DCs 2 and 4 (same id, `media_only` flag, own port) on
//! loopback, with the server's side of every exchange:
//!
//! * transports (`hearth-transport`'s `Acceptor`/`Pipeline`): abridged,
//!   intermediate, padded intermediate and full, each also under obfuscated2,
//!   told apart by their first bytes; optionally an MTProxy endpoint (`dd`/`ee`
//!   secret from the world's `[server] mtproxy_secret`) in front of every DC;
//! * auth key creation (`hearth-mtproto`'s `server::auth::ServerAuth`) with a
//!   fresh `pq`, RSA_PAD (and the older SHA-1 padding Telethon 1.x sends) and
//!   Telegram's 2048-bit DH prime (g = 3), permanent and temporary keys;
//! * encrypted sessions ([`session`]): salts rotating every
//!   `salt_rotation_secs`, `future_salts`, msg_id and seqno checks answered with
//!   real `bad_msg_notification` codes and `bad_server_salt`, containers,
//!   `gzip_packed`, `new_session_created`, pings, `destroy_session`;
//! * API methods ([`rpc`]): `invokeWithLayer`/`initConnection` unwrapping,
//!   `help.getConfig`, `help.getNearestDc`, `auth.sendCode`/`signIn`/`signUp`/
//!   `logOut` with Telegram's test-number rule, two-step verification
//!   (`account.getPassword`, `auth.checkPassword` with real SRP),
//!   `auth.importBotAuthorization` for world bots, `auth.bindTempAuthKey`,
//!   `users.getUsers`, private messaging and basic groups ([`mailbox`]:
//!   per-account message ids and `pts`, read marks, access-hash rules;
//!   [`chats`]) with `contacts.resolveUsername`, `users.getFullUser`,
//!   channels and supergroups ([`channels`]: one message box and `pts` per
//!   channel, `channels.*` methods with `deleteChannel`,
//!   `updates.getChannelDifference` replaying posts, edits and deletions,
//!   live `updateNewChannelMessage`/`updateEditChannelMessage`/
//!   `updateReadChannelOutbox`; the `messages.*` methods below serve
//!   channels too),
//!   `messages.sendMessage`/`getDialogs`/`getHistory`/`getMessages`/
//!   `editMessage`/`deleteMessages`/`readHistory`/`search`/`searchGlobal`,
//!   `messages.createChat`/`getChats`/`getFullChat`/`addChatUser`/
//!   `deleteChatUser`, updates pushed live to every other online session,
//!   `updates.getState`/`getDifference` replaying them (with the account's
//!   common `seq`, [`seq`], and `differenceSlice`/`differenceTooLong` past
//!   the world's limits); files
//!   ([`files`]): `upload.saveFilePart`/`saveBigFilePart` with Telegram's
//!   part rules, `messages.sendMedia` with an uploaded photo (downscaled
//!   sizes and a stripped thumbnail, [`photos`]) or document (with a
//!   thumbnail), `upload.getFile` with its alignment rules, `thumb_size`,
//!   `FILE_MIGRATE_X` off the file's DC and expiring file references
//!   ([`file_ref`]); anything else is `400 INPUT_METHOD_INVALID`, and so is
//!   anything but file transfer on a media-only endpoint; a repeated
//!   `random_id` is `500 RANDOM_ID_DUPLICATE` ([`random_ids`]);
//! * faults ([`faults`]), deterministic from `--seed`, from the world file or
//!   the control port: `420 FLOOD_WAIT_X` per method, dropped connections,
//!   added latency, `500` errors, `303 NETWORK_MIGRATE_X`, forced salt
//!   changes, clock skew, and Telegram's `406 AUTH_KEY_DUPLICATED` for a key
//!   used from two IP addresses at once.
//! * sessions and contacts: authorizations recorded from `initConnection`
//!   with `account.getAuthorizations`/`resetAuthorization` and
//!   `auth.resetAuthorizations` ([`rpc::authorizations`]),
//!   `auth.exportAuthorization`/`importAuthorization` across DCs, QR login
//!   ([`rpc::qr_login`]) and `contacts.getContacts`/`importContacts`/
//!   `deleteContacts` ([`rpc::contacts`]), the own profile with
//!   `account.updateProfile`/`checkUsername`/`updateUsername` pushing
//!   `updateUserName` ([`rpc::profile`]);
//! * state: in SQLite in `--state-dir` (auth keys and authorizations as rows,
//!   everything else as a snapshot, [`persist`]), or in memory without one.
//! * layers ([`layers`]): a client that declares an older layer in
//!   `invokeWithLayer` has its requests read and its answers and updates
//!   written in the schema of that layer (`schema/layers/`).
//!
//! Who exists is described by a world file; its format is documented in
//! [`world`] and `tests/world/demo.toml` is an example.
//!
//! ```no_run
//! # async fn demo() -> Result<(), localdc::StartError> {
//! let dc = localdc::LocalDc::start(localdc::Config::default()).await?;
//! let dc2 = dc.dc_addr(2).expect("DC 2 is always served");
//! println!("DC 2 at {dc2}, key fingerprint {}", dc.key().fingerprint());
//! dc.shutdown().await;
//! # Ok(()) }
//! ```
//!
//! The `localdc` binary prints one JSON line ([`Announcement`]) and serves until
//! SIGINT/SIGTERM; see `localdc --help`.

pub mod channels;
pub mod chats;
pub mod contacts;
pub mod faults;
pub mod file_ref;
pub mod files;
pub mod keys;
pub mod layers;
pub mod login_tokens;
pub mod mailbox;
pub mod persist;
pub mod photos;
pub mod random_ids;
pub mod rpc;
pub mod rpc_error;
pub mod salts;
pub mod seq;
pub mod server;
pub mod session;
pub mod session_state;
pub mod srp;
pub mod state;
pub mod store;
pub mod usernames;
pub mod users;
pub mod world;
pub mod world_apps;
pub mod world_media;

#[cfg(test)]
mod layering;
#[cfg(test)]
mod test_support;

pub use server::{AnnouncedDc, Announcement, Config, LocalDc, StartError};
