//! The encrypted session (core.telegram.org/mtproto/description).
//!
//! [`Session`] owns everything one MTProto session needs — session_id, msg_id
//! generator, seqno, salts, queued and in-flight requests, pending acks — and
//! no socket. The transport layer feeds it decrypted-transport payloads with
//! [`Session::handle_incoming`] and sends what [`Session::poll_outgoing`]
//! returns.

mod cancel;
pub(crate) mod envelope;
pub(crate) mod ids;
mod inbound;
mod init;
pub mod msg_id;
mod outbound;
mod rpc_error;
pub mod salts;
pub mod seqno;

use std::collections::{BTreeSet, HashMap, VecDeque};
use std::time::Duration;

use rand_core::CryptoRng;

pub use envelope::Plain;
pub use inbound::{Opened, MAX_FUTURE_SECS, MAX_PAST_SECS};
pub use init::{AppInfo, LAYER};
pub use msg_id::MsgIdGenerator;
pub use rpc_error::{Migrate, RpcError};
pub use salts::{FutureSalt, Salts};
pub use seqno::SeqNo;

use crate::error::DecodeError;
use crate::AuthKey;
use crate::UnixTime;

/// Identifies a request across resends (its msg_id changes whenever it is
/// sent again, e.g. after `bad_server_salt`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct RequestId(pub u64);

/// Tunables of a session. `Default` gives the values used against Telegram.
#[derive(Debug, Clone)]
pub struct SessionConfig {
    /// Wrap the first request of every (new) session in
    /// `invokeWithLayer(layer, initConnection(app, …))`; `None` sends requests as they are.
    pub app: Option<AppInfo>,
    pub layer: i32,
    /// Send a standalone `msgs_ack` once this many acks are pending.
    pub ack_threshold: usize,
    /// …or once the oldest pending ack is this old.
    pub ack_delay: Duration,
    /// Requests whose body is longer than this are sent as `gzip_packed` when that is smaller.
    pub gzip_threshold: usize,
    /// Most messages in one `msg_container`.
    pub max_container_messages: usize,
    /// Most bytes of inner messages in one container (and the largest single payload body).
    pub max_container_bytes: usize,
    /// The inflate budget of one inbound payload: the most bytes all its
    /// `gzip_packed` data (every message of a container together) may unpack to.
    pub max_inflated_bytes: usize,
    /// `Some((low, num))`: whenever fewer than `low` future salts are stored,
    /// ask for `num` more (`get_future_salts`) with the next payload. The
    /// answer is consumed by the session and not reported. `None` leaves it
    /// to the caller ([`Session::get_future_salts`]).
    pub future_salts_refill: Option<(usize, i32)>,
}

impl Default for SessionConfig {
    fn default() -> Self {
        Self {
            app: Some(AppInfo::default()),
            layer: LAYER,
            ack_threshold: 16,
            ack_delay: Duration::from_secs(1),
            gzip_threshold: 512,
            max_container_messages: 100,
            max_container_bytes: 1_044_456 - 16,
            max_inflated_bytes: 16 << 20,
            future_salts_refill: None,
        }
    }
}

/// What an inbound payload produced for the caller.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Event {
    /// The answer to `request`; `body` is the raw TL of `R::Return` (already un-gzipped).
    RpcResult { request: RequestId, body: Vec<u8> },
    /// The request failed with `rpc_error`.
    RpcError { request: RequestId, error: RpcError },
    /// The answer to `request` arrived but was refused (packed data over the
    /// payload's inflate budget, packed twice, or not valid gzip); the
    /// request is over.
    AnswerRejected {
        request: RequestId,
        error: DecodeError,
    },
    /// The server rejected `request` with a `bad_msg_notification` that resending
    /// cannot fix (codes 18, 34, 35 — a bug on our side).
    BadMessage { request: RequestId, code: i32 },
    /// A server message that is neither an answer nor a service message: an
    /// update (`Updates` constructor), raw TL.
    Update(Vec<u8>),
    /// The server created a new session (`new_session_created`): updates may have
    /// been missed, call `updates.getDifference`.
    NewSession { first_msg_id: i64, unique_id: i64 },
    /// Our session was reset after a seqno/time problem (codes 17, 32, 33): all
    /// unanswered requests are queued again under `new_session_id`.
    SessionReset { new_session_id: i64 },
    /// A `destroy_session_ok`/`_none` arrived outside an rpc_result.
    SessionDestroyed { session_id: i64, existed: bool },
}

/// An `auth.bindTempAuthKey` whose body depends on its own msg_id, so it is
/// built when sent ([`crate::pfs`]).
#[derive(Clone)]
struct BindSpec {
    perm_key: AuthKey,
    nonce: i64,
    expires_at: i32,
}

impl std::fmt::Debug for BindSpec {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("BindSpec")
            .field("expires_at", &self.expires_at)
            .finish_non_exhaustive()
    }
}

/// A request waiting to be sent.
#[derive(Debug, Clone)]
struct Queued {
    /// Set for `auth.bindTempAuthKey`; `body` is then built at send time.
    bind: Option<Box<BindSpec>>,
    request: RequestId,
    body: Vec<u8>,
    /// Send alone, never in a container (after error 64).
    standalone: bool,
    /// Wrap in invokeWithLayer(initConnection) even if the session needs no
    /// init any more (a resent first request).
    wrap: bool,
}

/// A request sent and not yet answered, by its current msg_id.
#[derive(Debug, Clone)]
struct InFlight {
    request: RequestId,
    bind: Option<Box<BindSpec>>,
    /// The request as enqueued (without the initConnection wrapper).
    body: Vec<u8>,
    container: Option<i64>,
    /// Whether it was sent wrapped in invokeWithLayer(initConnection).
    wrapped: bool,
}

/// Server msg_ids remembered for duplicate detection and `msgs_state_req`.
const RECEIVED_CAPACITY: usize = 1024;

/// One MTProto session over an auth key. See the crate docs for the driving loop.
pub struct Session {
    auth_key: AuthKey,
    config: SessionConfig,
    rng: Box<dyn CryptoRng + Send>,
    session_id: i64,
    msg_ids: MsgIdGenerator,
    seqno: SeqNo,
    salts: Salts,
    next_request: u64,
    queue: VecDeque<Queued>,
    in_flight: HashMap<i64, InFlight>,
    /// Container msg_id → msg_ids of the requests inside it.
    containers: HashMap<i64, Vec<i64>>,
    pending_acks: Vec<i64>,
    first_pending_ack: Option<UnixTime>,
    /// Service messages to send (msgs_state_info, msg_resend_req): (body, content_related).
    service_out: Vec<(Vec<u8>, bool)>,
    received: BTreeSet<i64>,
    init_needed: bool,
    /// The session's own get_future_salts request, while in flight.
    salts_request: Option<RequestId>,
}

impl std::fmt::Debug for Session {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The auth key is deliberately left out.
        f.debug_struct("Session")
            .field("session_id", &self.session_id)
            .field("queued", &self.queue.len())
            .field("in_flight", &self.in_flight.len())
            .finish_non_exhaustive()
    }
}

impl Session {
    /// A new session over `auth_key`, starting with `salt` (from the auth key
    /// exchange or storage) and `time_offset` (server − local seconds).
    pub fn new(
        auth_key: AuthKey,
        salt: i64,
        time_offset: i32,
        config: SessionConfig,
        mut rng: Box<dyn CryptoRng + Send>,
    ) -> Self {
        let session_id = rng.next_u64() as i64;
        let init_needed = config.app.is_some();
        Self {
            auth_key,
            config,
            rng,
            session_id,
            msg_ids: MsgIdGenerator::new(time_offset),
            seqno: SeqNo::default(),
            salts: Salts::new(salt),
            next_request: 1,
            queue: VecDeque::new(),
            in_flight: HashMap::new(),
            containers: HashMap::new(),
            pending_acks: Vec::new(),
            first_pending_ack: None,
            service_out: Vec::new(),
            received: BTreeSet::new(),
            init_needed,
            salts_request: None,
        }
    }

    pub fn session_id(&self) -> i64 {
        self.session_id
    }

    /// Server − local clock, seconds; persist it with the key.
    pub fn time_offset(&self) -> i32 {
        self.msg_ids.time_offset()
    }

    /// The salt currently stored; persist it with the key.
    pub fn salt(&self) -> i64 {
        self.salts.peek()
    }

    pub fn auth_key(&self) -> &AuthKey {
        &self.auth_key
    }

    /// Stores salts from a `future_salts` answer (also done automatically when
    /// one arrives).
    pub fn add_future_salts(&mut self, salts: impl IntoIterator<Item = FutureSalt>) {
        self.salts.add_future(salts);
    }

    /// Number of future salts left; ask for more with
    /// [`Session::get_future_salts`] when it runs low.
    pub fn future_salts_left(&self) -> usize {
        self.salts.future_len()
    }

    /// Queues a serialized request (a TL function). The answer arrives as
    /// [`Event::RpcResult`]/[`Event::RpcError`] carrying the returned id.
    pub fn enqueue(&mut self, request: Vec<u8>) -> RequestId {
        let id = RequestId(self.next_request);
        self.next_request += 1;
        self.queue.push_back(Queued {
            bind: None,
            request: id,
            body: request,
            standalone: false,
            wrap: false,
        });
        id
    }

    /// Queues `auth.bindTempAuthKey` binding this session's (temporary) key to
    /// `perm_key` until server time `expires_at` (core.telegram.org/api/pfs).
    /// Sent alone and never wrapped in initConnection; the encrypted binding
    /// message is built with the msg_id of the message carrying it. Send it
    /// before any other request on a temporary key.
    pub fn bind_temp_auth_key(&mut self, perm_key: AuthKey, expires_at: i32) -> RequestId {
        let id = RequestId(self.next_request);
        self.next_request += 1;
        let nonce = self.rng.next_u64() as i64;
        self.queue.push_front(Queued {
            bind: Some(Box::new(BindSpec {
                perm_key,
                nonce,
                expires_at,
            })),
            request: id,
            body: Vec::new(),
            standalone: true,
            wrap: false,
        });
        id
    }

    /// Queues `ping#7abe77ec ping_id`.
    pub fn ping(&mut self, ping_id: i64) -> RequestId {
        self.enqueue(service_call(ids::PING, &[ping_id], None))
    }

    /// Queues `ping_delay_disconnect#f3427b8c ping_id disconnect_delay`: the
    /// server closes the connection if no further ping arrives within the delay.
    pub fn ping_delay_disconnect(&mut self, ping_id: i64, disconnect_delay: i32) -> RequestId {
        self.enqueue(service_call(
            ids::PING_DELAY_DISCONNECT,
            &[ping_id],
            Some(disconnect_delay),
        ))
    }

    /// Queues `get_future_salts#b921bd04 num`; the answer is stored automatically
    /// and also reported as the request's [`Event::RpcResult`].
    pub fn get_future_salts(&mut self, num: i32) -> RequestId {
        let mut b = Vec::with_capacity(8);
        crate::wire::Writer::put_u32(&mut b, ids::GET_FUTURE_SALTS);
        crate::wire::Writer::put_i32(&mut b, num);
        self.enqueue(b)
    }

    /// Queues `destroy_session#e7512126 session_id` (for an old session of this key).
    pub fn destroy_session(&mut self, session_id: i64) -> RequestId {
        self.enqueue(service_call(ids::DESTROY_SESSION, &[session_id], None))
    }

    /// Whether [`Session::poll_outgoing`] has something to send at `now`.
    pub fn has_outgoing(&self, now: UnixTime) -> bool {
        !self.queue.is_empty() || !self.service_out.is_empty() || self.acks_due(now)
    }

    /// Requests sent and not answered yet.
    pub fn in_flight(&self) -> usize {
        self.in_flight.len()
    }

    /// Puts every sent-but-unanswered request back at the front of the queue
    /// (in their original order), to be sent again with new msg_ids. Call it
    /// after the connection dropped and a new one is up: the session stays
    /// the same, so the server can still match answers it already computed.
    pub fn requeue_in_flight(&mut self) {
        let mut ids: Vec<i64> = self.in_flight.keys().copied().collect();
        ids.sort_unstable();
        for id in ids.into_iter().rev() {
            self.resend(id);
        }
        self.containers.clear();
    }

    /// Starts a new session: fresh random session_id, seqno from zero, msg_id
    /// history forgotten, every unanswered request queued again, and
    /// `initConnection` sent again. Spec advice for bad_msg_notification 32/33.
    pub fn reset(&mut self) -> i64 {
        self.requeue_in_flight();
        self.session_id = self.rng.next_u64() as i64;
        self.seqno.reset();
        self.msg_ids.reset();
        self.pending_acks.clear();
        self.first_pending_ack = None;
        self.service_out.clear();
        self.received.clear();
        self.init_needed = self.config.app.is_some();
        for q in &mut self.queue {
            q.wrap = false;
        }
        self.session_id
    }

    /// Puts the request(s) sent under `msg_id` (a request or a container) back
    /// at the front of the queue. Returns the requests concerned.
    fn resend(&mut self, msg_id: i64) -> Vec<RequestId> {
        self.resend_with(msg_id, false)
    }

    /// [`Session::resend`], optionally marking the requests to go alone.
    fn resend_with(&mut self, msg_id: i64, standalone: bool) -> Vec<RequestId> {
        let mut out = Vec::new();
        if let Some(inner) = self.containers.remove(&msg_id) {
            for id in inner.into_iter().rev() {
                out.extend(self.resend_with(id, standalone));
            }
            out.reverse();
            return out;
        }
        if let Some(f) = self.in_flight.remove(&msg_id) {
            self.detach_from_container(msg_id, f.container);
            let standalone = standalone || f.bind.is_some();
            self.queue.push_front(Queued {
                bind: f.bind,
                request: f.request,
                body: f.body,
                standalone,
                wrap: f.wrapped,
            });
            out.push(f.request);
        }
        out
    }

    fn detach_from_container(&mut self, msg_id: i64, container: Option<i64>) {
        if let Some(c) = container {
            if let Some(list) = self.containers.get_mut(&c) {
                list.retain(|m| *m != msg_id);
                if list.is_empty() {
                    self.containers.remove(&c);
                }
            }
        }
    }

    /// The requests sent under `msg_id` (itself or a container's contents).
    fn requests_of(&self, msg_id: i64) -> Vec<i64> {
        match self.containers.get(&msg_id) {
            Some(inner) => inner.clone(),
            None if self.in_flight.contains_key(&msg_id) => vec![msg_id],
            None => Vec::new(),
        }
    }

    fn acks_due(&self, now: UnixTime) -> bool {
        !self.pending_acks.is_empty()
            && (self.pending_acks.len() >= self.config.ack_threshold
                || self
                    .first_pending_ack
                    .map(|t| now.since(t) >= self.config.ack_delay)
                    .unwrap_or(false))
    }
}

fn service_call(id: u32, longs: &[i64], int: Option<i32>) -> Vec<u8> {
    use crate::wire::Writer;
    let mut b = Vec::with_capacity(16);
    b.put_u32(id);
    for l in longs {
        b.put_i64(*l);
    }
    if let Some(i) = int {
        b.put_i32(i);
    }
    b
}

#[cfg(test)]
mod tests;
