//! Encrypted sessions, the server's side (core.telegram.org/mtproto/description).
//!
//! A session is keyed by `(auth_key_id, session_id)` and outlives connections.
//! For every decrypted message the server checks, in Telegram's order: layout and
//! padding (12..1024 bytes), msg_id parity (must be divisible by 4) and time window
//! (300 s past, 30 s future) answered with `bad_msg_notification` 18/16/17, the
//! seqno parity (34/35), and the salt (`bad_server_salt`). Duplicated msg_ids are
//! ignored. Times come from the server clock, which a fault may skew
//! ([`crate::faults`]). Server msg_ids grow monotonically and are ≡ 1 mod 4 for responses,
//! ≡ 3 otherwise; content-related messages get odd seqnos.

pub mod service;

use hearth_crypto::AuthKey;
use hearth_mtproto::server::message::{self, check_client_msg_id};
use hearth_mtproto::UnixTime;

use crate::rpc::{self, RpcCtx};
pub use crate::session_state::SessionState;
use crate::state::ServerState;
use hearth_tl::mtproto::functions as mt;
use hearth_tl::mtproto::special::MsgContainer;
use hearth_tl::{Deserializable, DeserializeError};
use service::*;

/// Results larger than this are offered as `gzip_packed`.
pub const GZIP_THRESHOLD: usize = 512;

/// Errors that close the connection, as Telegram does for undecryptable input.
#[derive(Debug, thiserror::Error)]
pub enum SessionError {
    #[error("encrypted message rejected: {0}")]
    Decrypt(#[from] hearth_mtproto::InboundError),
    #[error("encrypted message layout invalid: {0}")]
    Layout(&'static str),
    #[error("malformed message body: {0}")]
    Tl(#[from] DeserializeError),
}

/// One outgoing message before encryption.
#[derive(Debug)]
struct Out {
    /// A short header sent before `body` (an `rpc_result`'s), kept apart so
    /// a large result is copied only once, while it is encrypted.
    prefix: Vec<u8>,
    body: Vec<u8>,
    content: bool,
    response: bool,
}

impl Out {
    fn len(&self) -> usize {
        self.prefix.len() + self.body.len()
    }
}

/// Largest `msg_container` body localdc sends, as the clients bound theirs
/// for Telegram (Telethon's 1044456-byte limit less the container's own
/// header): answers to requests that came in one container go back in
/// containers of at most this size, and a file part alone. Clients cap the
/// frames they accept (Hearth at 4 MiB), so six 1 MiB parts in one
/// container would never arrive.
const MAX_CONTAINER_BYTES: usize = 1_044_448;
/// Most messages in one container, the clients' own bound for theirs.
const MAX_CONTAINER_MESSAGES: usize = 100;
/// msg_id, seqno and length before each message in a container.
const CONTAINER_ITEM_HEADER: usize = 16;

/// How many of the messages (of these lengths, in order) go in each packet:
/// runs that fit one container, at most [`MAX_CONTAINER_BYTES`] and
/// [`MAX_CONTAINER_MESSAGES`]; a message too large to share one goes alone.
fn container_runs(lens: impl Iterator<Item = usize>) -> Vec<usize> {
    let mut runs = Vec::new();
    let (mut count, mut size) = (0usize, 0usize);
    for len in lens {
        let item = CONTAINER_ITEM_HEADER + len;
        if count > 0 && (size + item > MAX_CONTAINER_BYTES || count == MAX_CONTAINER_MESSAGES) {
            runs.push(count);
            (count, size) = (0, 0);
        }
        count += 1;
        size += item;
    }
    if count > 0 {
        runs.push(count);
    }
    runs
}

/// A numbered server message, ready to encrypt. Encryption (SHA-256 over
/// the message for its msg_key, then AES-IGE) is the costly part of a large
/// answer such as an `upload.file`, so the connection may run it off its own
/// task while it reads and answers the next request; msg_id and seqno are
/// fixed already, so the wire order stays the numbering order.
pub struct Outgoing {
    key: AuthKey,
    salt: i64,
    session_id: i64,
    msg_id: i64,
    seqno: i32,
    prefix: Vec<u8>,
    body: Vec<u8>,
}

impl std::fmt::Debug for Outgoing {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Outgoing")
            .field("msg_id", &self.msg_id)
            .field("seqno", &self.seqno)
            .field("len", &self.len())
            .finish_non_exhaustive()
    }
}

impl Outgoing {
    /// Plaintext length of the message body.
    pub fn len(&self) -> usize {
        self.prefix.len() + self.body.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The encrypted packet: `auth_key_id + msg_key + encrypted data`.
    pub fn seal(self) -> Vec<u8> {
        message::seal_parts(
            &self.key,
            self.salt,
            self.session_id,
            self.msg_id,
            self.seqno,
            &[&self.prefix, &self.body],
            &mut rand::rng(),
        )
    }

    /// Both packets, encrypted together when they are under one key (two
    /// interleaved IGE chains cost little more than one:
    /// `hearth_mtproto::server::message::seal_parts_pair`).
    pub fn seal_pair(a: Self, b: Self) -> (Vec<u8>, Vec<u8>) {
        if a.key.key_id() != b.key.key_id() {
            return (a.seal(), b.seal());
        }
        let header = |o: &Self| message::Header {
            salt: o.salt,
            session_id: o.session_id,
            msg_id: o.msg_id,
            seqno: o.seqno,
        };
        message::seal_parts_pair(
            &a.key,
            (header(&a), &[&a.prefix, &a.body]),
            (header(&b), &[&b.prefix, &b.body]),
            &mut rand::rng(),
        )
    }
}

#[cfg(test)]
impl Outgoing {
    /// Message `msg_id` carrying `body`, for tests of what handles packets.
    pub(crate) fn for_test(key: AuthKey, msg_id: i64, body: Vec<u8>) -> Self {
        Outgoing {
            key,
            salt: 0,
            session_id: 1,
            msg_id,
            seqno: 1,
            prefix: Vec::new(),
            body,
        }
    }
}

/// What the connection must do after one received packet.
#[derive(Debug, Default)]
pub struct Reply {
    /// The session the packet belonged to.
    pub session_id: i64,
    /// Numbered messages to encrypt, frame and send, in this order.
    pub packets: Vec<Outgoing>,
    /// `ping_delay_disconnect`: close the connection if idle this many seconds.
    pub disconnect_after: Option<u32>,
}

/// The connection-level facts a session needs.
#[derive(Debug, Clone)]
pub struct ConnInfo {
    pub dc_id: i32,
    pub media_only: bool,
}

struct Ctx<'a> {
    state: &'a ServerState,
    conn: &'a ConnInfo,
    key_id: u64,
    session_id: i64,
    out: Vec<Out>,
    disconnect_after: Option<u32>,
}

/// Handles one encrypted packet (`msg_key + encrypted_data`, after `auth_key_id`).
pub fn handle_encrypted(
    state: &ServerState,
    conn: &ConnInfo,
    key: &AuthKey,
    packet: &[u8],
) -> Result<Reply, SessionError> {
    let plain = message::open(key, packet)?;
    let (salt, session_id, msg_id, seqno, body) = (
        plain.salt,
        plain.session_id,
        plain.msg_id,
        plain.seqno,
        plain.body.as_slice(),
    );
    let now = state.faults().now_secs();
    let mut ctx = Ctx {
        state,
        conn,
        key_id: key.key_id(),
        session_id,
        out: Vec::new(),
        disconnect_after: None,
    };
    let is_new = {
        let mut sessions = state.lock_sessions();
        match sessions.entry((ctx.key_id, session_id)) {
            std::collections::hash_map::Entry::Occupied(_) => false,
            std::collections::hash_map::Entry::Vacant(v) => {
                v.insert(SessionState::default());
                true
            }
        }
    };
    if let Some(code) = check_msg_id(msg_id, now) {
        ctx.push(bad_msg_notification(msg_id, seqno, code), false, true);
    } else if !state.salt_valid(ctx.key_id, salt, now) {
        ctx.push(
            bad_server_salt(msg_id, seqno, state.salts.current(now)),
            false,
            true,
        );
    } else {
        if is_new {
            let unique: i64 = rand::random();
            ctx.push(
                new_session_created(msg_id, unique, state.salts.current(now)),
                true,
                false,
            );
        }
        ctx.message(msg_id, seqno, body, false)?;
    }
    let reply = ctx.seal(key, now)?;
    Ok(reply)
}

/// Seals one server-initiated, content-related message (a pushed update)
/// for `session_id`, numbered in that session's sequence.
pub fn seal_push(state: &ServerState, key: &AuthKey, session_id: i64, body: &[u8]) -> Vec<u8> {
    let clock = state.faults().clock();
    let (msg_id, seqno) = {
        let mut sessions = state.lock_sessions();
        let session = sessions.entry((key.key_id(), session_id)).or_default();
        (session.next_msg_id(clock, false), session.next_seqno(true))
    };
    let salt = state.salts.current(clock.secs());
    message::seal(key, salt, session_id, msg_id, seqno, body, &mut rand::rng())
}

/// The `bad_msg_notification` code for a msg_id, if it is unacceptable at `now`.
pub fn check_msg_id(msg_id: i64, now: i64) -> Option<i32> {
    check_client_msg_id(UnixTime::from_secs(now), msg_id)
        .err()
        .map(|e| e.code())
}

/// Whether `result` carries file bytes (`upload.file`, `upload.cdnFile`,
/// `upload.webFile`): Telegram sends those uncompressed, and compressing a
/// 1 MiB part of an already compressed file only to throw the result away
/// would cost more than encrypting it.
fn is_file_chunk(result: &[u8]) -> bool {
    use hearth_tl::{types::upload, Identifiable};
    let id = result.first_chunk::<4>().map(|b| u32::from_le_bytes(*b));
    matches!(id, Some(i) if i == upload::File::CONSTRUCTOR_ID
        || i == upload::CdnFile::CONSTRUCTOR_ID
        || i == upload::WebFile::CONSTRUCTOR_ID)
}

/// Answers a query of a client served in `old` (`None`: the current layer):
/// the request is read in its layer and the answer written in it
/// ([`crate::layers`]). A request the old schema cannot read is answered as
/// it stands, so its errors are the current layer's.
fn answer_in_layer(
    rc: &mut RpcCtx<'_>,
    old: Option<&crate::layers::schema::Schema>,
    body: &[u8],
) -> Result<Vec<u8>, rpc::RpcError> {
    let Some(old) = old else {
        return rpc::call(rc, body);
    };
    let (request, method) = match crate::layers::request_to_current(old, body) {
        Ok(r) => r,
        Err(e) => {
            tracing::debug!(layer = old.layer, "request read as the current layer: {e}");
            return rpc::call(rc, body);
        }
    };
    let answer = rpc::call(rc, &request)?;
    crate::layers::answer_to(old, &method, &answer).map_err(|e| {
        tracing::warn!(
            layer = old.layer,
            method,
            "answer not written in the client's layer: {e}"
        );
        rpc::RpcError::internal(format!("{method} in layer {}: {e}", old.layer))
    })
}

/// Whether a message with this body is content-related (needs an odd seqno).
fn content_related(id: u32) -> bool {
    !matches!(id, MSGS_ACK | MSG_CONTAINER | HTTP_WAIT)
}

impl Ctx<'_> {
    fn push(&mut self, body: Vec<u8>, content: bool, response: bool) {
        self.out.push(Out {
            prefix: Vec::new(),
            body,
            content,
            response,
        });
    }

    fn message(
        &mut self,
        msg_id: i64,
        seqno: i32,
        body: &[u8],
        in_container: bool,
    ) -> Result<(), SessionError> {
        let id = body
            .first_chunk::<4>()
            .map(|b| u32::from_le_bytes(*b))
            .ok_or(SessionError::Layout(
                "message body shorter than a constructor",
            ))?;
        let fresh = {
            let mut sessions = self.state.lock_sessions();
            sessions
                .entry((self.key_id, self.session_id))
                .or_default()
                .remember(msg_id)
        };
        if !fresh {
            tracing::debug!(msg_id, "duplicate msg_id ignored");
            return Ok(());
        }
        let odd = seqno & 1 == 1;
        // Pings pass with either parity, as Telegram lets them: Pyrogram and
        // its forks number `ping` as not content-related
        // (`pyrogram/session/internals/msg_factory.py`, `not_content_related`).
        let any_parity = matches!(id, PING | PING_DELAY_DISCONNECT | GZIP_PACKED);
        if content_related(id) && !odd && !any_parity {
            self.push(
                bad_msg_notification(msg_id, seqno, bad_msg::SEQNO_ODD_EXPECTED),
                false,
                true,
            );
            return Ok(());
        }
        if !content_related(id) && odd {
            self.push(
                bad_msg_notification(msg_id, seqno, bad_msg::SEQNO_EVEN_EXPECTED),
                false,
                true,
            );
            return Ok(());
        }
        match id {
            MSG_CONTAINER => {
                let container = match MsgContainer::from_bytes(body) {
                    Ok(c) if !in_container => c,
                    _ => {
                        self.push(
                            bad_msg_notification(msg_id, seqno, bad_msg::BAD_CONTAINER),
                            false,
                            true,
                        );
                        return Ok(());
                    }
                };
                if container.messages.iter().any(|m| m.msg_id >= msg_id) {
                    self.push(
                        bad_msg_notification(msg_id, seqno, bad_msg::BAD_CONTAINER),
                        false,
                        true,
                    );
                    return Ok(());
                }
                let now = self.state.faults().now_secs();
                for inner in container.messages {
                    if let Some(code) = check_msg_id(inner.msg_id, now) {
                        self.push(
                            bad_msg_notification(inner.msg_id, inner.seqno, code),
                            false,
                            true,
                        );
                        continue;
                    }
                    self.message(inner.msg_id, inner.seqno, &inner.body, true)?;
                }
            }
            GZIP_PACKED => match gunzip(body) {
                Some(unpacked) => self.dispatch(msg_id, &unpacked)?,
                None => self.push(
                    rpc_result(msg_id, &rpc_error(400, "GZIP_INVALID")),
                    true,
                    true,
                ),
            },
            MSGS_ACK => {}
            _ => self.dispatch(msg_id, body)?,
        }
        Ok(())
    }

    fn dispatch(&mut self, msg_id: i64, body: &[u8]) -> Result<(), SessionError> {
        let id = body
            .first_chunk::<4>()
            .map(|b| u32::from_le_bytes(*b))
            .ok_or(SessionError::Layout(
                "message body shorter than a constructor",
            ))?;
        match id {
            PING => {
                let ping = mt::Ping::from_bytes(body)?;
                self.push(pong(msg_id, ping.ping_id), false, true);
            }
            PING_DELAY_DISCONNECT => {
                let ping = mt::PingDelayDisconnect::from_bytes(body)?;
                self.disconnect_after = u32::try_from(ping.disconnect_delay).ok();
                self.push(pong(msg_id, ping.ping_id), false, true);
            }
            GET_FUTURE_SALTS => {
                let num = mt::GetFutureSalts::from_bytes(body)?.num;
                let now = self.state.faults().now_secs();
                let salts = self.state.salts.future(now, num);
                self.push(future_salts(msg_id, now as i32, &salts), false, true);
            }
            DESTROY_SESSION => {
                let target = mt::DestroySession::from_bytes(body)?.session_id;
                let existed = target != self.session_id
                    && self
                        .state
                        .lock_sessions()
                        .remove(&(self.key_id, target))
                        .is_some();
                self.push(destroy_session_answer(target, existed), false, true);
            }
            RPC_DROP_ANSWER => {
                mt::RpcDropAnswer::from_bytes(body)?;
                self.push(rpc_result(msg_id, &rpc_answer_unknown()), true, true);
            }
            HTTP_WAIT => {}
            _ => {
                let mut rc = RpcCtx {
                    state: self.state,
                    dc_id: self.conn.dc_id,
                    media_only: self.conn.media_only,
                    key_id: self.key_id,
                    session_id: self.session_id,
                    msg_id,
                };
                let layer = crate::layers::declared_layer(body).or_else(|| {
                    let now = crate::state::unix_now();
                    self.state.auth_key(self.key_id, now)?.layer
                });
                let old = crate::layers::schema_for(layer);
                let result = match answer_in_layer(&mut rc, old, body) {
                    Ok(v) if is_file_chunk(&v) => v,
                    Ok(v) => maybe_gzip(v, GZIP_THRESHOLD),
                    Err(e) => {
                        tracing::debug!(code = e.code, message = %e.message, "rpc error");
                        rpc_error(e.code, &e.message)
                    }
                };
                self.out.push(Out {
                    prefix: message::rpc_result_header(msg_id).to_vec(),
                    body: result,
                    content: true,
                    response: true,
                });
            }
        }
        Ok(())
    }

    /// Numbers and packs (a container for several) the outgoing messages.
    fn seal(self, key: &AuthKey, now: i64) -> Result<Reply, SessionError> {
        let mut reply = Reply {
            session_id: self.session_id,
            packets: Vec::new(),
            disconnect_after: self.disconnect_after,
        };
        if self.out.is_empty() {
            return Ok(reply);
        }
        let clock = self.state.faults().clock();
        let mut sessions = self.state.lock_sessions();
        let session = sessions.entry((self.key_id, self.session_id)).or_default();
        // Runs of messages that fit one container go in one; a message too
        // large for a container with others (a file part) goes alone.
        // Numbered in wire order: a container's id follows its contents'.
        let mut numbered: Vec<(i64, i32, Vec<u8>, Vec<u8>)> = Vec::new();
        let runs = container_runs(self.out.iter().map(Out::len));
        let mut out = self.out.into_iter();
        for run in runs {
            let group: Vec<Out> = out.by_ref().take(run).collect();
            let mut items: Vec<(i64, i32, Vec<u8>, Vec<u8>)> = group
                .into_iter()
                .map(|o| {
                    let id = session.next_msg_id(clock, o.response);
                    (id, session.next_seqno(o.content), o.prefix, o.body)
                })
                .collect();
            if items.len() == 1 {
                numbered.append(&mut items);
                continue;
            }
            let joined: Vec<(i64, i32, Vec<u8>)> = items
                .into_iter()
                .map(|(id, seq, mut prefix, body)| {
                    prefix.extend_from_slice(&body);
                    (id, seq, prefix)
                })
                .collect();
            let refs: Vec<(i64, i32, &[u8])> = joined
                .iter()
                .map(|(id, seq, body)| (*id, *seq, body.as_slice()))
                .collect();
            let packed = message::container(&refs);
            let id = session.next_msg_id(clock, false);
            numbered.push((id, session.next_seqno(false), Vec::new(), packed));
        }
        drop(sessions);
        let salt = self.state.salts.current(now);
        for (msg_id, seqno, prefix, body) in numbered {
            reply.packets.push(Outgoing {
                key: key.clone(),
                salt,
                session_id: self.session_id,
                msg_id,
                seqno,
                prefix,
                body,
            });
        }
        Ok(reply)
    }
}

#[cfg(test)]
mod tests;
