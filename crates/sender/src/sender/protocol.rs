//! The seams between this I/O layer and the sans-IO protocol crates.
//!
//! The sender never parses MTProto itself: `hearth-transport` sets up the
//! byte pipeline (framing, obfuscated2, MTProxy fake-TLS) from a
//! [`ClientMode`], a [`KeyExchange`] (from `hearth-mtproto`'s auth key state
//! machine) creates the auth key over plaintext packets, and a [`Session`]
//! (the encrypted session) turns request bodies into encrypted packets and
//! incoming packets into [`Event`]s. A [`Protocol`] bundles the three for one
//! DC.

use std::time::SystemTime;

use hearth_mtproto::RpcError;
use hearth_transport::{ClientMode, TransportError};

use crate::connect::Route;

/// A transport failure: the server's transport error code, or bytes the
/// transport cannot read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FramingError {
    /// The server sent a transport error code instead of a packet
    /// (core.telegram.org/mtproto/mtproto-transports#transport-errors):
    /// -404 auth key not found, -429 too many connections, -444 invalid DC.
    #[error("the server answered with transport error {0}")]
    TransportCode(i32),
    /// The byte stream is not valid for this transport, or the transport
    /// cannot be set up (for example an unusable MTProxy secret).
    #[error("malformed transport frame: {0}")]
    Malformed(String),
}

impl From<TransportError> for FramingError {
    fn from(e: TransportError) -> Self {
        match e {
            TransportError::Server(code) => FramingError::TransportCode(code.code()),
            other => FramingError::Malformed(other.to_string()),
        }
    }
}

/// A protocol failure reported by the session or key exchange; its
/// [`Severity`] says what the sender does about it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct ProtocolError {
    pub message: String,
    pub severity: Severity,
}

/// What a [`ProtocolError`] costs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Severity {
    /// The packet is dropped and logged; the connection and session go on
    /// (core.telegram.org/mtproto/security_guidelines: a packet that fails
    /// a check is ignored).
    Drop,
    /// The byte stream cannot be trusted any more (a packet under another
    /// auth_key_id or failing msg_key, a stray transport code): obfuscated2 is not
    /// authenticated, so an on-path party can cause these. The connection
    /// is treated as lost: reconnect with backoff and re-send.
    Reconnect,
    /// Reconnecting cannot help; the sender stops.
    Fatal,
}

impl ProtocolError {
    pub fn new(message: impl Into<String>, severity: Severity) -> Self {
        Self {
            message: message.into(),
            severity,
        }
    }
}

/// What the auth key exchange wants next.
pub enum ExchangeStep<K> {
    /// Send this plaintext packet and wait for the answer.
    Send(Vec<u8>),
    /// The key is ready.
    Done(K),
}

/// The auth key creation state machine (core.telegram.org/mtproto/auth_key).
pub trait KeyExchange: Send + 'static {
    type Key;
    /// The first packet (`req_pq_multi`).
    fn start(&mut self, now: SystemTime) -> Result<Vec<u8>, ProtocolError>;
    /// Feeds the server's answer.
    fn step(
        &mut self,
        now: SystemTime,
        packet: &[u8],
    ) -> Result<ExchangeStep<Self::Key>, ProtocolError>;
}

/// A request as the session tracks it: stable across every re-send (its
/// msg_id changes, this id does not).
pub type RequestId = u64;

/// What the session made of an incoming packet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Event {
    /// The answer to `request` (raw TL of the return type).
    RpcResult { request: RequestId, body: Vec<u8> },
    /// `rpc_error` for `request`.
    RpcError { request: RequestId, error: RpcError },
    /// `bad_msg_notification` for `request` that the session could not fix
    /// by itself (it already corrects msg_id/seqno/time errors).
    BadMessage { request: RequestId, code: i32 },
    /// The server rejected `request` in a way re-sending cannot fix, for a
    /// reason with no typed form.
    Failed { request: RequestId, reason: String },
    /// A server push (an `Updates` object), serialized.
    Update(Vec<u8>),
    /// `new_session_created`: updates may have been missed.
    NewSession,
}

/// The encrypted session (core.telegram.org/mtproto/description).
///
/// Contract with the sender: the session keeps every request until it is
/// answered; after [`Session::connection_lost`] it queues all unanswered
/// ones again (sent under new msg_ids on the next connection), and an
/// answered or [cancelled](Session::cancel) request is never sent again.
pub trait Session: Send + 'static {
    /// Queues a content-related request.
    fn enqueue(&mut self, body: Vec<u8>) -> RequestId;
    /// Queues `ping_delay_disconnect`.
    fn ping_delay_disconnect(&mut self, ping_id: i64, disconnect_delay: i32) -> RequestId;
    /// The next packet to write, if any (may be a container with acks).
    fn poll_outgoing(&mut self, now: SystemTime) -> Option<Vec<u8>>;
    /// Decrypts (in place) and interprets one packet. On any error the
    /// packet was dropped and the session is unchanged; the error's
    /// [`Severity`] says whether the connection goes on.
    fn handle_incoming(&mut self, now: SystemTime, packet: Vec<u8>) -> Handled;
    /// Two packets that arrived one after the other, as two
    /// [`handle_incoming`](Self::handle_incoming) calls would take them
    /// (a session may decrypt both together). `b` is not handled, and its
    /// result is `None`, when `a`'s error ends the connection.
    fn handle_incoming_pair(
        &mut self,
        now: SystemTime,
        a: Vec<u8>,
        b: Vec<u8>,
    ) -> (Handled, Option<Handled>) {
        let ra = self.handle_incoming(now, a);
        if ends_connection(&ra) {
            return (ra, None);
        }
        (ra, Some(self.handle_incoming(now, b)))
    }
    /// The connection dropped: queue every unanswered request again.
    fn connection_lost(&mut self);
    /// The caller stopped waiting for `request` (dropped future, timeout):
    /// never send it (again); if it was sent, ask the server to drop the
    /// answer.
    fn cancel(&mut self, request: RequestId);
}

/// What the session made of one packet: its events, or why it was refused.
pub type Handled = Result<Vec<Event>, ProtocolError>;

/// Whether a packet's result ends the connection (anything but a dropped
/// packet).
pub fn ends_connection(result: &Handled) -> bool {
    matches!(result, Err(e) if e.severity != Severity::Drop)
}

/// Everything the sender needs to speak MTProto with one DC once an auth
/// key exists.
pub trait Protocol: Send + 'static {
    /// The auth key (plus whatever the session needs with it, such as the
    /// first salt); zeroized on drop, never printed.
    type Key: Clone + Send + 'static;
    type Session: Session;

    /// How to set up the transport of a new connection over `route`
    /// (MTProxy routes need obfuscated2 keyed with the proxy secret, and
    /// fake-TLS for `ee` secrets).
    fn transport(&mut self, route: &Route) -> Result<ClientMode, FramingError>;
    /// A session over `key`; made once and kept across reconnects.
    fn session(&mut self, key: &Self::Key) -> Self::Session;
}
