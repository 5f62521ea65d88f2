//! Sans-IO MTProto 2.0 for Hearth: auth key creation, the encrypted session
//! and PFS key binding, with no sockets, clocks or global randomness inside.
//! Time comes in as a [`UnixTime`] argument and randomness as a
//! `rand_core::CryptoRng` the caller supplies, so every edge case is a
//! deterministic unit test. The tokio `sender` crate and the `localdc`
//! emulator drive it.
//!
//! # Layers
//! - [`auth`] — client side of auth key creation
//!   (core.telegram.org/mtproto/auth_key): [`auth::Authenticator`] turns server
//!   payloads into payloads to send until it yields an
//!   [`auth::AuthKeyResult`] (key, first salt, time offset, expiry for
//!   temporary keys). Server keys come from an [`auth::KeyTable`]
//!   (Telegram's production and test keys built in, more added at run time).
//! - [`session`] — one encrypted session over an auth key
//!   (core.telegram.org/mtproto/description, service_messages,
//!   service_messages_about_messages, security_guidelines).
//! - [`pfs`] — `auth.bindTempAuthKey` for temporary keys (core.telegram.org/api/pfs).
//! - [`plain`] — the unencrypted envelope used during key creation.
//! - [`server`] — the server halves (key creation, message encryption and
//!   framing) for `localdc` and for this crate's tests.
//!
//! # Driving a session
//! ```no_run
//! # use hearth_mtproto::{Session, SessionConfig, Event, UnixTime};
//! # fn send(_: &[u8]) {} fn recv() -> Vec<u8> { vec![] }
//! # fn run(key: hearth_mtproto::AuthKey, salt: i64, offset: i32, rng: Box<dyn rand_core::CryptoRng + Send>) {
//! let mut session = Session::new(key, salt, offset, SessionConfig::default(), rng);
//! let request = session.enqueue(vec![/* a serialized TL function */]);
//! loop {
//!     // 1. Write whatever is due (requests, batched acks, service answers).
//!     while let Some(payload) = session.poll_outgoing(UnixTime::now()) {
//!         send(&payload); // the transport adds its framing
//!     }
//!     // 2. Feed every payload the transport delivers.
//!     match session.handle_incoming(UnixTime::now(), &recv()) {
//!         Ok(events) => for event in events {
//!             match event {
//!                 Event::RpcResult { request: r, body } if r == request => { /* R::Return::from_bytes(&body) */ }
//!                 Event::RpcError { error, .. } => { /* error.name, error.value (FLOOD_WAIT_X → X) */ }
//!                 Event::Update(bytes) => { /* an Updates constructor */ }
//!                 Event::NewSession { .. } => { /* call updates.getDifference */ }
//!                 _ => {}
//!             }
//!         },
//!         Err(e) => { /* dropped per the security guidelines: log, keep reading */ }
//!     }
//!     // 3. Also call poll_outgoing on a timer (~1 s) so acks leave when idle.
//! }
//! # }
//! ```
//!
//! Requests are identified by a [`RequestId`] that survives resends (their
//! msg_id changes whenever the session sends them again after
//! `bad_server_salt`, `bad_msg_notification` or `msg_resend_req`). The
//! session handles every service message itself; the caller only sees
//! answers, updates, and the few events that need its action. A request the
//! caller gave up on is [cancelled](Session::cancel): never sent (again),
//! and `rpc_drop_answer` tells the server if it was already sent.
//!
//! # What the session enforces on inbound payloads
//! auth_key_id and msg_key (constant-time, in `hearth-crypto`), length,
//! message_data_length and 12..1024 bytes of padding, session_id, odd server
//! msg_id, a time window of 300 s in the past / 30 s in the future (server
//! time), and no duplicate or too-old msg_ids (the last 1024 are remembered);
//! a container is checked whole before any of it is used. A dropped payload
//! leaves the session untouched and returns an [`InboundError`]. The one
//! exemption from the time window is a `bad_msg_notification` 16/17 about a
//! request in flight, so that a badly skewed clock can be corrected (see
//! [`Session::handle_incoming`]).

pub mod auth;
pub mod error;
pub mod pfs;
pub mod plain;
pub mod server;
pub mod session;
pub mod time;
pub(crate) mod wire;

pub use error::{DecodeError, InboundError};
pub use hearth_crypto::AuthKey;
pub use session::{Event, Migrate, RequestId, RpcError, Session, SessionConfig};
pub use time::UnixTime;
