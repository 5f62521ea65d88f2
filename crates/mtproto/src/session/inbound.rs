//! Handling server payloads: the inbound checks of
//! core.telegram.org/mtproto/security_guidelines and the service messages of
//! core.telegram.org/mtproto/service_messages and
//! …/service_messages_about_messages.

use super::ids::*;
use super::{envelope, Event, RpcError, Session, RECEIVED_CAPACITY};
use crate::error::{DecodeError, InboundError};
use hearth_tl::mtproto::{special as sp, types as t};
use hearth_tl::{Deserializable, DeserializeError, Serializable};

use crate::wire::{Reader, Writer};
use crate::UnixTime;

/// Server messages more than this many seconds older than server time are dropped.
pub const MAX_PAST_SECS: i64 = 300;
/// …and more than this many seconds ahead of it.
pub const MAX_FUTURE_SECS: i64 = 30;

/// A payload decrypted in place by [`Session::open_pair`], with the outcome
/// of the checks up to msg_key and the padding; not applied to the session
/// until [`Session::absorb`].
#[derive(Debug)]
pub struct Opened {
    payload: Vec<u8>,
    header: Result<envelope::Opened, InboundError>,
}

impl Session {
    /// Decrypts and processes one payload from the transport.
    ///
    /// On `Err` the payload was dropped and the session is unchanged (every
    /// check happens before any state is touched); the caller logs it and
    /// keeps reading. A 4-byte payload is a transport error code (e.g. -404
    /// for an auth key the server does not know).
    ///
    /// One exception to the time window: a standalone `bad_msg_notification`
    /// with code 16/17 about a request that is in flight right now is accepted
    /// whatever its time, since it is how the server reports that our clock is
    /// off — otherwise a clock that jumped by more than 300 s would silence
    /// the session for good. It passes every other check (msg_key,
    /// session_id, parity, duplicates), and as it must name one of our
    /// current msg_ids, a replayed old one is still dropped. Likewise an
    /// authenticated message dated more than 30 s ahead that carries the
    /// `rpc_result` of a request in flight: the server's clock runs ahead of
    /// ours (our clock fell behind while the session was live, and the server
    /// still accepts our ids, which are merely old), so the session adopts the
    /// server's time from it instead of dropping every answer from then on.
    /// The same holds for a `bad_server_salt` about a request in flight.
    pub fn handle_incoming(
        &mut self,
        now: UnixTime,
        payload: &[u8],
    ) -> Result<Vec<Event>, InboundError> {
        self.handle_incoming_owned(now, payload.to_vec())
    }

    /// [`Session::handle_incoming`] of a payload the caller hands over: it
    /// is decrypted in place, and the answer of a lone `rpc_result` (a file
    /// part, typically) is cut out of it rather than copied. Every check is
    /// the same.
    pub fn handle_incoming_owned(
        &mut self,
        now: UnixTime,
        mut payload: Vec<u8>,
    ) -> Result<Vec<Event>, InboundError> {
        let header = self.open(&mut payload)?;
        self.absorb_open(now, payload, header)
    }

    /// Decrypts two payloads that arrived one after the other together (two
    /// IGE chains interleaved cost little more than one:
    /// `hearth_crypto::message::decrypt_in_place_pair`), running the checks
    /// up to msg_key and the padding on each. Nothing in the session
    /// changes: [`Session::absorb`] then applies each, `a` first, and the
    /// results are those of two [`Session::handle_incoming_owned`] calls
    /// (decryption reads no session state). A caller that stops after `a`
    /// (its error ends the connection) drops `b` as if never read.
    pub fn open_pair(&self, mut a: Vec<u8>, mut b: Vec<u8>) -> (Opened, Opened) {
        let (header_a, header_b) = if a.len() == 4 || b.len() == 4 {
            (self.open(&mut a), self.open(&mut b))
        } else {
            envelope::open_in_place_pair(
                hearth_crypto::message::Side::Client,
                &self.auth_key,
                &mut a,
                &mut b,
            )
        };
        (
            Opened {
                payload: a,
                header: header_a,
            },
            Opened {
                payload: b,
                header: header_b,
            },
        )
    }

    /// Applies a payload [`Session::open_pair`] decrypted: what
    /// [`Session::handle_incoming_owned`] does after decrypting.
    pub fn absorb(&mut self, now: UnixTime, opened: Opened) -> Result<Vec<Event>, InboundError> {
        let header = opened.header?;
        self.absorb_open(now, opened.payload, header)
    }

    /// The checks up to msg_key and the padding, decrypting in place; a
    /// 4-byte payload is a transport error code.
    fn open(&self, payload: &mut [u8]) -> Result<envelope::Opened, InboundError> {
        if payload.len() == 4 {
            let code = i32::from_le_bytes([payload[0], payload[1], payload[2], payload[3]]);
            return Err(InboundError::TransportError(code));
        }
        envelope::open_in_place(
            hearth_crypto::message::Side::Client,
            &self.auth_key,
            payload,
        )
    }

    /// The rest of [`Session::handle_incoming_owned`] on a decrypted
    /// payload: session, msg_id and container checks, then processing.
    fn absorb_open(
        &mut self,
        now: UnixTime,
        mut payload: Vec<u8>,
        (msg, range): envelope::Opened,
    ) -> Result<Vec<Event>, InboundError> {
        if msg.session_id != self.session_id {
            return Err(InboundError::WrongSession {
                got: msg.session_id,
                ours: self.session_id,
            });
        }
        match self.check_msg_id(now, msg.msg_id) {
            Err(InboundError::OutOfTimeWindow { .. })
                if self.is_time_sync_notice(&payload[range.clone()]) => {}
            Err(InboundError::OutOfTimeWindow { server_now, .. })
                if msg.msg_id >> 32 > server_now + MAX_FUTURE_SECS
                    && self.answers_in_flight(&payload[range.clone()]) =>
            {
                // The server's clock is ahead of ours: adopt it, then check
                // again (this also covers a container's inner ids).
                self.msg_ids.correct_from_server_msg_id(now, msg.msg_id);
                self.check_msg_id(now, msg.msg_id)?;
            }
            other => other?,
        }
        // A container's inner ids must pass the same checks; verify all before
        // changing any state so a hostile container is dropped as a whole.
        let body: &[u8] = &payload[range.clone()];
        if Reader::new(body).u32().ok() == Some(MSG_CONTAINER) {
            let inner = parse_container(body)?;
            let mut seen = std::collections::HashSet::new();
            for m in &inner {
                self.check_msg_id(now, m.msg_id)?;
                if !seen.insert(m.msg_id) || m.msg_id == msg.msg_id {
                    return Err(InboundError::Duplicate(m.msg_id));
                }
            }
            self.remember(msg.msg_id);
            let mut events = Vec::new();
            let mut budget = self.config.max_inflated_bytes;
            for m in inner {
                self.remember(m.msg_id);
                self.process(now, m.msg_id, m.seqno, &m.body, &mut events, &mut budget);
            }
            return Ok(events);
        }
        self.remember(msg.msg_id);
        let mut events = Vec::new();
        if let Some(req_msg_id) = plain_rpc_result(body) {
            // What `process` does with it, without copying the answer: the
            // payload becomes the result.
            if msg.seqno & 1 == 1 {
                self.ack(now, msg.msg_id);
            }
            payload.truncate(range.end);
            payload.drain(..range.start + 12);
            if let Err(e) = self.complete(req_msg_id, payload, &mut events) {
                tracing::warn!(msg_id = msg.msg_id, error = %e, "dropping malformed server message");
            }
            return Ok(events);
        }
        let mut budget = self.config.max_inflated_bytes;
        self.process(now, msg.msg_id, msg.seqno, body, &mut events, &mut budget);
        Ok(events)
    }

    /// A bad_msg_notification 16/17 whose bad_msg_id is in flight.
    fn is_time_sync_notice(&self, body: &[u8]) -> bool {
        if Reader::new(body).u32().ok() != Some(BAD_MSG_NOTIFICATION) {
            return false;
        }
        match t::BadMsgNotification::from_bytes(body) {
            Ok(m) => matches!(m.error_code, 16 | 17) && !self.requests_of(m.bad_msg_id).is_empty(),
            Err(_) => false,
        }
    }

    /// An `rpc_result` or `bad_server_salt` (alone or in a container)
    /// about a request that is in flight right now. Such a message is fresh
    /// whatever its msg_id says: it names one of our current msg_ids, so it
    /// cannot be a replay. (`bad_server_salt` is what a session resumed with
    /// a stored key and no salt gets first.)
    fn answers_in_flight(&self, body: &[u8]) -> bool {
        let answers = |b: &[u8]| match Reader::new(b).u32().ok() {
            Some(RPC_RESULT) => sp::RpcResult::from_bytes(b)
                .is_ok_and(|r| !self.requests_of(r.req_msg_id).is_empty()),
            Some(BAD_SERVER_SALT) => t::BadServerSalt::from_bytes(b)
                .is_ok_and(|m| !self.requests_of(m.bad_msg_id).is_empty()),
            _ => false,
        };
        if Reader::new(body).u32().ok() == Some(MSG_CONTAINER) {
            return parse_container(body).is_ok_and(|inner| inner.iter().any(|m| answers(&m.body)));
        }
        answers(body)
    }

    /// msg_id parity, time window and replay checks (security_guidelines, "msg_id").
    fn check_msg_id(&self, now: UnixTime, msg_id: i64) -> Result<(), InboundError> {
        if msg_id.rem_euclid(4) != 1 && msg_id.rem_euclid(4) != 3 {
            return Err(InboundError::EvenServerMsgId(msg_id));
        }
        let server_now = self.msg_ids.server_time(now);
        let t = msg_id >> 32;
        if t < server_now - MAX_PAST_SECS || t > server_now + MAX_FUTURE_SECS {
            return Err(InboundError::OutOfTimeWindow { msg_id, server_now });
        }
        if self.received.contains(&msg_id) {
            return Err(InboundError::Duplicate(msg_id));
        }
        if self.received.len() >= RECEIVED_CAPACITY
            && self.received.first().is_some_and(|min| msg_id < *min)
        {
            // Lower than every id remembered: cannot tell if it is a replay.
            return Err(InboundError::Duplicate(msg_id));
        }
        Ok(())
    }

    fn remember(&mut self, msg_id: i64) {
        self.received.insert(msg_id);
        while self.received.len() > RECEIVED_CAPACITY {
            self.received.pop_first();
        }
    }

    fn ack(&mut self, now: UnixTime, msg_id: i64) {
        if self.pending_acks.is_empty() {
            self.first_pending_ack = Some(now);
        }
        self.pending_acks.push(msg_id);
    }

    /// One (non-container) message. Malformed service messages are logged and
    /// skipped: their content-related status still earns an ack. `budget`
    /// is what is left of the payload's inflate budget
    /// ([`super::SessionConfig::max_inflated_bytes`], shared by every message
    /// of a container).
    fn process(
        &mut self,
        now: UnixTime,
        msg_id: i64,
        seqno: i32,
        body: &[u8],
        events: &mut Vec<Event>,
        budget: &mut usize,
    ) {
        if seqno & 1 == 1 {
            self.ack(now, msg_id);
        }
        if let Err(e) = self.dispatch(now, msg_id, body, events, budget, false) {
            tracing::warn!(msg_id, error = %e, "dropping malformed server message");
        }
    }

    /// `unpacked`: `body` is the content of a `gzip_packed` already, so
    /// nothing in it may be packed again (service_messages, "Packed Object").
    fn dispatch(
        &mut self,
        now: UnixTime,
        msg_id: i64,
        body: &[u8],
        events: &mut Vec<Event>,
        budget: &mut usize,
        unpacked: bool,
    ) -> Result<(), DecodeError> {
        let id = Reader::new(body).u32()?;
        match id {
            GZIP_PACKED if unpacked => Err(DeserializeError::NestedGzip.into()),
            GZIP_PACKED => {
                let inflated = inflate(body, budget)?;
                self.dispatch(now, msg_id, &inflated, events, budget, true)
            }
            RPC_RESULT => {
                let r = sp::RpcResult::from_bytes(body)?;
                if Reader::new(&r.result).u32().ok() != Some(GZIP_PACKED) {
                    return self.complete(r.req_msg_id, r.result, events);
                }
                let inflated = if unpacked {
                    Err(DeserializeError::NestedGzip.into())
                } else {
                    inflate(&r.result, budget)
                };
                match inflated {
                    Ok(result) => self.complete(r.req_msg_id, result, events),
                    Err(error) => {
                        // The request is answered, with data we refuse: end
                        // it now rather than let it wait for its timeout.
                        self.reject(r.req_msg_id, error.clone(), events);
                        Err(error)
                    }
                }
            }
            BAD_SERVER_SALT => {
                let m = t::BadServerSalt::from_bytes(body)?;
                self.salts.set(m.new_server_salt);
                self.resend(m.bad_msg_id);
                Ok(())
            }
            BAD_MSG_NOTIFICATION => {
                let m = t::BadMsgNotification::from_bytes(body)?;
                self.bad_msg(now, msg_id, m.bad_msg_id, m.error_code, events);
                Ok(())
            }
            NEW_SESSION_CREATED => {
                let m = t::NewSessionCreated::from_bytes(body)?;
                self.salts.set(m.server_salt);
                // The server lost the connection context: initConnection again.
                self.init_needed = self.config.app.is_some();
                events.push(Event::NewSession {
                    first_msg_id: m.first_msg_id,
                    unique_id: m.unique_id,
                });
                Ok(())
            }
            MSGS_ACK => {
                t::MsgsAck::from_bytes(body)?;
                Ok(())
            }
            FUTURE_SALTS => {
                let m = sp::FutureSalts::from_bytes(body)?;
                self.salts
                    .add_future(m.salts.iter().map(|s| super::FutureSalt {
                        valid_since: s.valid_since,
                        valid_until: s.valid_until,
                        salt: s.salt,
                    }));
                self.complete(m.req_msg_id, body.to_vec(), events)
            }
            PONG => {
                let m = t::Pong::from_bytes(body)?;
                self.complete(m.msg_id, body.to_vec(), events)
            }
            MSGS_STATE_REQ => {
                let m = t::MsgsStateReq::from_bytes(body)?;
                let reply = t::MsgsStateInfo {
                    req_msg_id: msg_id,
                    info: self.state_info(now, &m.msg_ids),
                };
                self.service_out.push((reply.to_bytes(), true));
                Ok(())
            }
            MSG_RESEND_REQ => {
                for id in t::MsgResendReq::from_bytes(body)?.msg_ids {
                    self.resend(id);
                }
                Ok(())
            }
            MSG_RESEND_ANS_REQ => {
                for id in t::MsgResendAnsReq::from_bytes(body)?.msg_ids {
                    self.resend(id);
                }
                Ok(())
            }
            MSG_DETAILED_INFO => {
                let m = t::MsgDetailedInfo::from_bytes(body)?;
                self.detailed_info(now, m.answer_msg_id);
                Ok(())
            }
            MSG_NEW_DETAILED_INFO => {
                let m = t::MsgNewDetailedInfo::from_bytes(body)?;
                self.detailed_info(now, m.answer_msg_id);
                Ok(())
            }
            DESTROY_SESSION_OK => {
                let m = t::DestroySessionOk::from_bytes(body)?;
                events.push(Event::SessionDestroyed {
                    session_id: m.session_id,
                    existed: true,
                });
                Ok(())
            }
            DESTROY_SESSION_NONE => {
                let m = t::DestroySessionNone::from_bytes(body)?;
                events.push(Event::SessionDestroyed {
                    session_id: m.session_id,
                    existed: false,
                });
                Ok(())
            }
            MSGS_ALL_INFO | MSGS_STATE_INFO | MSG_COPY => Ok(()),
            MSG_CONTAINER => Err(DecodeError::Malformed("nested msg_container")),
            _ => {
                events.push(Event::Update(body.to_vec()));
                Ok(())
            }
        }
    }

    /// Ends the request sent as `req_msg_id`, whose answer was refused.
    fn reject(&mut self, req_msg_id: i64, error: DecodeError, events: &mut Vec<Event>) {
        let Some(f) = self.in_flight.remove(&req_msg_id) else {
            return;
        };
        self.detach_from_container(req_msg_id, f.container);
        if self.salts_request == Some(f.request) {
            self.salts_request = None;
            return;
        }
        events.push(Event::AnswerRejected {
            request: f.request,
            error,
        });
    }

    /// Delivers the answer to the request sent as `req_msg_id`.
    fn complete(
        &mut self,
        req_msg_id: i64,
        result: Vec<u8>,
        events: &mut Vec<Event>,
    ) -> Result<(), DecodeError> {
        let Some(f) = self.in_flight.remove(&req_msg_id) else {
            tracing::debug!(req_msg_id, "answer to an unknown request ignored");
            return Ok(());
        };
        self.detach_from_container(req_msg_id, f.container);
        if self.salts_request == Some(f.request) {
            // Our own refill: future_salts were stored by the caller of this
            // function; an error only means we ask again later.
            self.salts_request = None;
            return Ok(());
        }
        if Reader::new(&result).u32().ok() == Some(RPC_ERROR) {
            let e = t::RpcError::from_bytes(&result)?;
            events.push(Event::RpcError {
                request: f.request,
                error: RpcError::new(e.error_code, e.error_message),
            });
        } else {
            events.push(Event::RpcResult {
                request: f.request,
                body: result,
            });
        }
        Ok(())
    }

    /// bad_msg_notification (service_messages_about_messages).
    fn bad_msg(
        &mut self,
        now: UnixTime,
        notif_msg_id: i64,
        bad_msg_id: i64,
        code: i32,
        events: &mut Vec<Event>,
    ) {
        match code {
            // msg_id too low: sync the clock from the server's msg_id, resend.
            16 => {
                self.msg_ids.correct_from_server_msg_id(now, notif_msg_id);
                self.resend(bad_msg_id);
            }
            // msg_id too high: sync; later ids must be lower than those already
            // sent, which needs a new session.
            17 => {
                self.msg_ids.correct_from_server_msg_id(now, notif_msg_id);
                let new_session_id = self.reset();
                events.push(Event::SessionReset { new_session_id });
            }
            // 19: container id reused; 20: too old to tell; 48: bad salt
            // without a new one — a fresh msg_id fixes each.
            19 | 20 | 48 => {
                self.resend(bad_msg_id);
            }
            // seqno too low/high: start a new session (spec's advice).
            32 | 33 => {
                let new_session_id = self.reset();
                events.push(Event::SessionReset { new_session_id });
            }
            // invalid container: send the contents one by one.
            64 => {
                self.resend_with(bad_msg_id, true);
            }
            // 18 (msg_id not divisible by 4), 34/35 (seqno parity) and
            // unknown codes: a bug here, resending would repeat it.
            _ => {
                for m in self.requests_of(bad_msg_id) {
                    if let Some(f) = self.in_flight.remove(&m) {
                        self.detach_from_container(m, f.container);
                        events.push(Event::BadMessage {
                            request: f.request,
                            code,
                        });
                    }
                }
                self.containers.remove(&bad_msg_id);
            }
        }
    }

    /// msg_detailed_info / msg_new_detailed_info: ack an answer already
    /// received, otherwise ask for it.
    fn detailed_info(&mut self, now: UnixTime, answer_msg_id: i64) {
        if self.received.contains(&answer_msg_id) {
            self.ack(now, answer_msg_id);
        } else {
            let mut b = Vec::with_capacity(20);
            b.put_u32(MSG_RESEND_REQ);
            b.put_vec_i64(&[answer_msg_id]);
            self.service_out.push((b, true));
        }
    }

    /// One status byte per id for msgs_state_info (service_messages_about_messages).
    fn state_info(&self, now: UnixTime, ids: &[i64]) -> Vec<u8> {
        let server_now = self.msg_ids.server_time(now);
        ids.iter()
            .map(|&id| {
                let t = id >> 32;
                if self.received.contains(&id) {
                    4
                } else if t < server_now - MAX_PAST_SECS
                    || self.received.first().is_some_and(|min| id < *min)
                {
                    1
                } else if t > server_now + MAX_FUTURE_SECS {
                    3
                } else {
                    2
                }
            })
            .collect()
    }
}

/// Unpacks a whole `gzip_packed` object (`packed`, constructor included)
/// within what is left of the payload's `budget`, and charges it.
fn inflate(packed: &[u8], budget: &mut usize) -> Result<Vec<u8>, DecodeError> {
    let out = sp::GzipPacked::from_bytes(packed)?.unpack_within(*budget)?;
    *budget -= out.len();
    Ok(out)
}

/// The `req_msg_id` of an `rpc_result` whose result is not `gzip_packed`
/// (what `dispatch` would hand to `complete` unchanged): the constructor,
/// 8 bytes of `req_msg_id`, the rest the result.
fn plain_rpc_result(body: &[u8]) -> Option<i64> {
    let mut r = Reader::new(body);
    if r.u32().ok()? != RPC_RESULT {
        return None;
    }
    let req_msg_id = r.i64().ok()?;
    if Reader::new(&body[12..]).u32().ok() == Some(GZIP_PACKED) {
        return None;
    }
    Some(req_msg_id)
}

/// Splits a `msg_container` into its messages.
fn parse_container(body: &[u8]) -> Result<Vec<sp::Message>, DecodeError> {
    Ok(sp::MsgContainer::from_bytes(body)?.messages)
}
