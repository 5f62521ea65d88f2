//! Handling server payloads: the inbound checks of
//! core.telegram.org/mtproto/security_guidelines and the service messages of
//! core.telegram.org/mtproto/service_messages and
//! …/service_messages_about_messages.

use std::io::Read;

use flate2::read::GzDecoder;

use super::ids::*;
use super::{envelope, Event, RpcError, Session, RECEIVED_CAPACITY};
use crate::error::{DecodeError, InboundError};
use crate::wire::{Reader, Writer};
use crate::UnixTime;

/// Server messages more than this many seconds older than server time are dropped.
pub const MAX_PAST_SECS: i64 = 300;
/// …and more than this many seconds ahead of it.
pub const MAX_FUTURE_SECS: i64 = 30;

impl Session {
    /// Decrypts and processes one payload from the transport.
    ///
    /// On `Err` the payload was dropped and the session is unchanged (apart
    /// from nothing: checks happen before any state is touched); the caller logs
    /// it and keeps reading. A 4-byte payload is a transport error code
    /// (e.g. -404 for an auth key the server does not know).
    pub fn handle_incoming(
        &mut self,
        now: UnixTime,
        payload: &[u8],
    ) -> Result<Vec<Event>, InboundError> {
        if payload.len() == 4 {
            let code = i32::from_le_bytes([payload[0], payload[1], payload[2], payload[3]]);
            return Err(InboundError::TransportError(code));
        }
        let msg = envelope::open(&self.auth_key, payload)?;
        if msg.session_id != self.session_id {
            return Err(InboundError::WrongSession {
                got: msg.session_id,
                ours: self.session_id,
            });
        }
        self.check_msg_id(now, msg.msg_id)?;
        // A container's inner ids must pass the same checks; verify all before
        // changing any state so a hostile container is dropped as a whole.
        let body: &[u8] = &msg.body;
        if Reader::new(body).u32().ok() == Some(MSG_CONTAINER) {
            let inner = parse_container(body)?;
            let mut seen = std::collections::HashSet::new();
            for (id, _, _) in &inner {
                self.check_msg_id(now, *id)?;
                if !seen.insert(*id) || *id == msg.msg_id {
                    return Err(InboundError::Duplicate(*id));
                }
            }
            self.remember(msg.msg_id);
            let mut events = Vec::new();
            for (id, seqno, b) in inner {
                self.remember(id);
                self.process(now, id, seqno, b, &mut events);
            }
            return Ok(events);
        }
        self.remember(msg.msg_id);
        let mut events = Vec::new();
        self.process(now, msg.msg_id, msg.seqno, body, &mut events);
        Ok(events)
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
    /// skipped: their content-related status still earns an ack.
    fn process(
        &mut self,
        now: UnixTime,
        msg_id: i64,
        seqno: i32,
        body: &[u8],
        events: &mut Vec<Event>,
    ) {
        if seqno & 1 == 1 {
            self.ack(now, msg_id);
        }
        if let Err(e) = self.dispatch(now, msg_id, body, events, 0) {
            tracing::warn!(msg_id, error = %e, "dropping malformed server message");
        }
    }

    fn dispatch(
        &mut self,
        now: UnixTime,
        msg_id: i64,
        body: &[u8],
        events: &mut Vec<Event>,
        depth: u8,
    ) -> Result<(), DecodeError> {
        let mut r = Reader::new(body);
        let id = r.u32()?;
        match id {
            GZIP_PACKED if depth == 0 => {
                let inflated = self.inflate(r.bytes()?)?;
                self.dispatch(now, msg_id, &inflated, events, 1)
            }
            RPC_RESULT => {
                let req_msg_id = r.i64()?;
                let mut result = r.rest().to_vec();
                if Reader::new(&result).u32().ok() == Some(GZIP_PACKED) {
                    let mut rr = Reader::new(&result);
                    rr.u32()?;
                    result = self.inflate(rr.bytes()?)?;
                }
                self.complete(req_msg_id, result, events)
            }
            BAD_SERVER_SALT => {
                let bad_msg_id = r.i64()?;
                let _seqno = r.i32()?;
                let _code = r.i32()?;
                let salt = r.i64()?;
                self.salts.set(salt);
                self.resend(bad_msg_id);
                Ok(())
            }
            BAD_MSG_NOTIFICATION => {
                let bad_msg_id = r.i64()?;
                let _seqno = r.i32()?;
                let code = r.i32()?;
                self.bad_msg(now, msg_id, bad_msg_id, code, events);
                Ok(())
            }
            NEW_SESSION_CREATED => {
                let first_msg_id = r.i64()?;
                let unique_id = r.i64()?;
                let salt = r.i64()?;
                self.salts.set(salt);
                events.push(Event::NewSession {
                    first_msg_id,
                    unique_id,
                });
                Ok(())
            }
            MSGS_ACK => {
                r.vec_i64()?;
                Ok(())
            }
            FUTURE_SALTS => {
                let req_msg_id = r.i64()?;
                let _now = r.i32()?;
                let n = r.u32()? as usize;
                if n.saturating_mul(16) > r.remaining() {
                    return Err(DecodeError::Malformed("future_salts count exceeds data"));
                }
                let mut salts = Vec::with_capacity(n);
                for _ in 0..n {
                    // bare future_salt (16 bytes): valid_since valid_until salt
                    salts.push(super::FutureSalt {
                        valid_since: r.i32()?,
                        valid_until: r.i32()?,
                        salt: r.i64()?,
                    });
                }
                self.salts.add_future(salts);
                self.complete(req_msg_id, body.to_vec(), events)
            }
            PONG => {
                let ping_msg_id = r.i64()?;
                self.complete(ping_msg_id, body.to_vec(), events)
            }
            MSGS_STATE_REQ => {
                let ids = r.vec_i64()?;
                let info = self.state_info(now, &ids);
                let mut b = Vec::with_capacity(16 + info.len());
                b.put_u32(MSGS_STATE_INFO);
                b.put_i64(msg_id);
                b.put_bytes(&info);
                self.service_out.push((b, false));
                Ok(())
            }
            MSG_RESEND_REQ | MSG_RESEND_ANS_REQ => {
                for id in r.vec_i64()? {
                    self.resend(id);
                }
                Ok(())
            }
            MSG_DETAILED_INFO => {
                let _req = r.i64()?;
                let answer = r.i64()?;
                self.detailed_info(now, answer);
                Ok(())
            }
            MSG_NEW_DETAILED_INFO => {
                let answer = r.i64()?;
                self.detailed_info(now, answer);
                Ok(())
            }
            DESTROY_SESSION_OK | DESTROY_SESSION_NONE => {
                events.push(Event::SessionDestroyed {
                    session_id: r.i64()?,
                    existed: id == DESTROY_SESSION_OK,
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
        let mut r = Reader::new(&result);
        if r.u32().ok() == Some(RPC_ERROR) {
            let code = r.i32()?;
            let message = String::from_utf8_lossy(r.bytes()?).into_owned();
            events.push(Event::RpcError {
                request: f.request,
                error: RpcError::new(code, message),
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

    fn inflate(&self, packed: &[u8]) -> Result<Vec<u8>, DecodeError> {
        let limit = self.config.max_inflated_bytes as u64;
        let mut out = Vec::new();
        GzDecoder::new(packed)
            .take(limit + 1)
            .read_to_end(&mut out)
            .map_err(|_| DecodeError::Gzip)?;
        if out.len() as u64 > limit {
            return Err(DecodeError::Gzip);
        }
        Ok(out)
    }
}

/// Splits a `msg_container` into (msg_id, seqno, body) triples.
fn parse_container(body: &[u8]) -> Result<Vec<(i64, i32, &[u8])>, DecodeError> {
    let mut r = Reader::new(body);
    r.u32()?;
    let n = r.u32()? as usize;
    if n.saturating_mul(16) > r.remaining() {
        return Err(DecodeError::Malformed("container count exceeds data"));
    }
    let mut out = Vec::with_capacity(n);
    for _ in 0..n {
        let id = r.i64()?;
        let seqno = r.i32()?;
        let len = r.i32()?;
        if len < 0 || len % 4 != 0 {
            return Err(DecodeError::Malformed("container message length"));
        }
        out.push((id, seqno, r.take(len as usize)?));
    }
    Ok(out)
}
