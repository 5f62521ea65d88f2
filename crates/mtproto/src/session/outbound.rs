//! Building outgoing payloads: acks, service answers and queued requests,
//! several of them packed into one `msg_container`
//! (core.telegram.org/mtproto/service_messages#containers), large requests as
//! `gzip_packed` (…#packed-object) except file parts, the first request of a session wrapped in
//! `invokeWithLayer(initConnection(…))`.

use hearth_crypto::message::Side;
use hearth_tl::functions::upload::{SaveBigFilePart, SaveFilePart};
use hearth_tl::mtproto::special::{GzipPacked, Message, MsgContainer};
use hearth_tl::mtproto::types::MsgsAck;
use hearth_tl::{Identifiable, Serializable};

use super::{envelope, InFlight, Session};
use crate::UnixTime;

/// Header bytes of a message inside a container: msg_id, seqno, length.
const INNER_HEADER: usize = 16;

/// One message of the payload being built.
struct Part {
    body: Vec<u8>,
    content_related: bool,
    /// Set for requests (they are tracked in `in_flight`).
    request: Option<(super::RequestId, Vec<u8>, bool)>,
    bind: Option<Box<super::BindSpec>>,
}

impl Session {
    /// The next encrypted payload to hand to the transport, or `None` when
    /// nothing is due. Call it after every [`Session::enqueue`] and
    /// [`Session::handle_incoming`], and on a timer (about once per
    /// `ack_delay`) so batched acks leave even when no request does.
    pub fn poll_outgoing(&mut self, now: UnixTime) -> Option<Vec<u8>> {
        if let Some((low, num)) = self.config.future_salts_refill {
            // Switch salts first so the count is of salts not yet in use.
            self.salts.current(self.msg_ids.server_time(now));
            if self.salts_request.is_none() && self.salts.future_len() < low {
                self.salts_request = Some(self.get_future_salts(num));
            }
        }
        let mut parts: Vec<Part> = Vec::new();
        let mut size = 0usize;
        let max_msgs = self.config.max_container_messages.max(1);
        let max_bytes = self.config.max_container_bytes;

        let send_acks = !self.pending_acks.is_empty()
            && (!self.queue.is_empty() || !self.service_out.is_empty() || self.acks_due(now));
        if send_acks {
            // An ack message holds at most 8192 ids (service_messages_about_messages).
            let n = self.pending_acks.len().min(8192);
            let ids: Vec<i64> = self.pending_acks.drain(..n).collect();
            if self.pending_acks.is_empty() {
                self.first_pending_ack = None;
            }
            let b = MsgsAck { msg_ids: ids }.to_bytes();
            size += b.len() + INNER_HEADER;
            parts.push(Part {
                body: b,
                content_related: false,
                request: None,
                bind: None,
            });
        }
        while !self.service_out.is_empty() && parts.len() < max_msgs {
            let (body, content_related) = self.service_out.remove(0);
            size += body.len() + INNER_HEADER;
            parts.push(Part {
                body,
                content_related,
                request: None,
                bind: None,
            });
        }

        while let Some(q) = self.queue.front() {
            if parts.len() >= max_msgs {
                break;
            }
            if q.standalone && !parts.is_empty() {
                break;
            }
            let api_call = q.bind.is_none() && !super::init::is_service_call(&q.body);
            // A request the caller already wrapped in invokeWithLayer counts as the init.
            let caller_wrapped = api_call && super::init::is_wrapped(&q.body);
            let wrapped = (self.init_needed || q.wrap)
                && self.config.app.is_some()
                && api_call
                && !caller_wrapped;
            let wire = match (&self.config.app, wrapped) {
                (Some(app), true) if is_file_part(&q.body) => app.wrap(self.config.layer, &q.body),
                (Some(app), true) => self.maybe_gzip(&app.wrap(self.config.layer, &q.body)),
                _ => self.maybe_gzip(&q.body),
            };
            if !parts.is_empty() && size + wire.len() + INNER_HEADER > max_bytes {
                break;
            }
            let Some(q) = self.queue.pop_front() else {
                break;
            };
            if wrapped || caller_wrapped {
                self.init_needed = false;
            }
            size += wire.len() + INNER_HEADER;
            parts.push(Part {
                body: wire,
                content_related: true,
                request: Some((q.request, q.body, wrapped)),
                bind: q.bind,
            });
            if q.standalone {
                break;
            }
        }

        if parts.is_empty() {
            return None;
        }
        let (msg_id, seqno, body) = if parts.len() == 1 {
            let p = parts.pop()?;
            let msg_id = self.msg_ids.next(now);
            let seqno = self.seqno.next(p.content_related);
            let mut body = p.body;
            if let Some(spec) = &p.bind {
                let inner = crate::pfs::BindAuthKeyInner {
                    nonce: spec.nonce,
                    temp_auth_key_id: self.auth_key.key_id() as i64,
                    perm_auth_key_id: spec.perm_key.key_id() as i64,
                    temp_session_id: self.session_id,
                    expires_at: spec.expires_at,
                };
                let enc =
                    crate::pfs::encrypt_binding(&spec.perm_key, &inner, msg_id, &mut *self.rng);
                body = crate::pfs::bind_request(&spec.perm_key, spec.nonce, spec.expires_at, &enc);
            }
            if let Some((request, original, wrapped)) = p.request {
                self.in_flight.insert(
                    msg_id,
                    InFlight {
                        bind: p.bind,
                        request,
                        body: original,
                        container: None,
                        wrapped,
                    },
                );
            }
            (msg_id, seqno, body)
        } else {
            let mut messages = Vec::with_capacity(parts.len());
            let mut inner_requests = Vec::new();
            for p in parts {
                let msg_id = self.msg_ids.next(now);
                let seqno = self.seqno.next(p.content_related);
                messages.push(Message {
                    msg_id,
                    seqno,
                    body: p.body,
                });
                if let Some((request, original, wrapped)) = p.request {
                    // bind requests are standalone, never here
                    inner_requests.push((msg_id, request, original, wrapped));
                }
            }
            let body = MsgContainer { messages }.to_bytes();
            // The container's msg_id is generated after (so greater than) its contents'.
            let container_id = self.msg_ids.next(now);
            let seqno = self.seqno.next(false);
            let ids: Vec<i64> = inner_requests.iter().map(|(m, ..)| *m).collect();
            for (m, request, original, wrapped) in inner_requests {
                self.in_flight.insert(
                    m,
                    InFlight {
                        bind: None,
                        request,
                        body: original,
                        container: Some(container_id),
                        wrapped,
                    },
                );
            }
            if !ids.is_empty() {
                self.containers.insert(container_id, ids);
            }
            (container_id, seqno, body)
        };

        let server_now = self.msg_ids.server_time(now);
        let salt = self.salts.current(server_now);
        let header = envelope::Header {
            salt,
            session_id: self.session_id,
            msg_id,
            seqno,
        };
        Some(envelope::seal(
            Side::Client,
            &self.auth_key,
            header,
            &body,
            &mut *self.rng,
        ))
    }

    /// `gzip_packed#3072cfa1 packed_data:bytes` when the body is above the
    /// threshold and packing actually makes it smaller. File parts
    /// (`upload.saveFilePart`/`saveBigFilePart`) are sent as they are: what
    /// people send is mostly compressed already (photos, video, archives),
    /// and deflating every 512 KiB part in vain took two thirds of an
    /// upload's CPU time (`scripts/bench-files.sh` under `perf`).
    fn maybe_gzip(&self, body: &[u8]) -> Vec<u8> {
        if body.len() <= self.config.gzip_threshold || is_file_part(body) {
            return body.to_vec();
        }
        let out = GzipPacked::pack(body).to_bytes();
        if out.len() < body.len() {
            out
        } else {
            body.to_vec()
        }
    }
}

/// Whether `body` (before any initConnection wrapping) uploads a file part.
fn is_file_part(body: &[u8]) -> bool {
    let id = body.first_chunk::<4>().map(|b| u32::from_le_bytes(*b));
    id == Some(SaveFilePart::CONSTRUCTOR_ID) || id == Some(SaveBigFilePart::CONSTRUCTOR_ID)
}
