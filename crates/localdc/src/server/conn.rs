//! One client connection: transport detection, deobfuscation, framing, then plain
//! (auth key creation) or encrypted (session) messages.
//!
//! Unknown auth key ids are answered with the transport error -404 and the
//! connection is closed, as Telegram does
//! (core.telegram.org/mtproto/mtproto-transports#transport-errors); so is a
//! key invalidated by `AUTH_KEY_DUPLICATED`. Injected faults of the link
//! ([`crate::faults::link`]) act here: dropped connections and delayed answers.

use std::collections::VecDeque;
use std::io::IoSlice;
use std::sync::Arc;
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::watch;
use tokio::task::JoinSet;
use tokio::time::Instant;

use hearth_crypto::dh::DhParams;
use hearth_mtproto::server::auth::{ServerAuth, ServerStep};
use hearth_transport::{
    AcceptConfig, Acceptor, DcId, Frame, FramingKind, MtProxySecret, Pipeline, TransportError,
    TransportErrorCode,
};

use super::sealing::{SealQueue, OFF_TASK_BYTES};
use crate::faults::duplicate::KeyVerdict;
use crate::faults::{ConnFaults, DropStage};
use crate::session::{self, ConnInfo};
use crate::state::{unix_now, DcEndpoint, Online, ServerState};

/// Transport error code for an unknown auth key or an undecryptable message.
pub const TRANSPORT_AUTH_KEY_NOT_FOUND: i32 = -404;

/// How long a connection may stay silent before it is closed.
const IDLE_TIMEOUT: Duration = Duration::from_secs(300);

/// What a listener serves.
#[derive(Debug, Clone)]
pub enum Serving {
    /// One DC endpoint: plain and obfuscated2 clients.
    Dc(DcEndpoint),
    /// An MTProxy with this secret (`dd`/`ee`/plain): obfuscated2 keyed by
    /// the secret (fake-TLS for `ee`), serving whichever DC the client's
    /// header names, as a proxy in front of every DC would
    /// (core.telegram.org/mtproto/mtproto-proxy). Unknown DCs get the
    /// transport error -444.
    Proxy(MtProxySecret),
}

pub async fn accept_loop(
    listener: TcpListener,
    serving: Serving,
    state: Arc<ServerState>,
    mut stop: watch::Receiver<bool>,
) {
    let mut conns = JoinSet::new();
    loop {
        tokio::select! {
            _ = stop.changed() => break,
            accepted = listener.accept() => match accepted {
                Ok((stream, peer)) => {
                    tracing::debug!(?serving, %peer, "connection");
                    let state = state.clone();
                    let stop = stop.clone();
                    let serving = serving.clone();
                    conns.spawn(async move {
                        if let Err(e) = serve(stream, serving, state, stop).await {
                            tracing::debug!(%peer, "connection closed: {e}");
                        }
                    });
                }
                Err(e) => tracing::warn!("accept failed: {e}"),
            },
            Some(_) = conns.join_next(), if !conns.is_empty() => {}
        }
    }
    conns.shutdown().await;
}

#[derive(Debug, thiserror::Error)]
enum ConnError {
    #[error("i/o: {0}")]
    Io(#[from] std::io::Error),
    #[error("transport: {0}")]
    Transport(#[from] TransportError),
    #[error("handshake: {0}")]
    Handshake(#[from] hearth_mtproto::server::auth::ServerAuthError),
    #[error("p_q_inner_data names DC {found}, but this is DC {expected}")]
    WrongDc { found: i32, expected: i32 },
    #[error("cannot store the new auth key: {0}")]
    Store(String),
    #[error("session: {0}")]
    Session(#[from] crate::session::SessionError),
    #[error("packet shorter than an auth_key_id")]
    Short,
    #[error("the client asked the proxy for {0:?}, which localdc does not serve")]
    NoSuchDc(DcId),
    #[error("unknown auth key {0:#018x}")]
    UnknownKey(u64),
    #[error("closed by peer")]
    Eof,
    #[error("idle timeout")]
    Idle,
    #[error("server stopping")]
    Stopping,
    #[error("closed by an injected connection drop")]
    InjectedDrop,
    #[error("encrypting an answer failed: {0}")]
    Seal(#[from] super::sealing::SealError),
}

struct Conn {
    stream: TcpStream,
    pipeline: Pipeline,
}

impl Conn {
    async fn send(&mut self, payload: &[u8]) -> Result<(), ConnError> {
        let mut out = Vec::new();
        self.pipeline.send(payload, &mut out)?;
        self.stream.write_all(&out).await?;
        Ok(())
    }

    /// Sends an encrypted packet as it is: the frame's head and tail around
    /// it in one vectored write (a 1 MiB file part is not copied into a
    /// frame first); fake-TLS records take the copying path.
    async fn send_packet(&mut self, mut packet: Vec<u8>) -> Result<(), ConnError> {
        let Some((head, tail)) = self.pipeline.send_around(&mut packet)? else {
            return self.send(&packet).await;
        };
        let mut bufs = [
            IoSlice::new(&head),
            IoSlice::new(&packet),
            IoSlice::new(&tail),
        ];
        let mut bufs = &mut bufs[..];
        while !bufs.is_empty() {
            let n = self.stream.write_vectored(bufs).await?;
            if n == 0 {
                return Err(std::io::Error::from(std::io::ErrorKind::WriteZero).into());
            }
            IoSlice::advance_slices(&mut bufs, n);
        }
        Ok(())
    }

    async fn send_error(&mut self, code: TransportErrorCode) -> Result<(), ConnError> {
        let mut out = Vec::new();
        self.pipeline.send_error(code, &mut out)?;
        self.stream.write_all(&out).await?;
        Ok(())
    }
}

async fn read_chunk(
    stream: &mut TcpStream,
    chunk: &mut [u8],
    idle: Duration,
    stop: &mut watch::Receiver<bool>,
) -> Result<usize, ConnError> {
    let n = tokio::select! {
        _ = stop.changed() => return Err(ConnError::Stopping),
        r = tokio::time::timeout(idle, stream.read(chunk)) => r.map_err(|_| ConnError::Idle)??,
    };
    if n == 0 {
        return Err(ConnError::Eof);
    }
    Ok(n)
}

/// Runs the transport handshake (detection, obfuscated2) from `hearth-transport`.
async fn accept(
    stream: &mut TcpStream,
    serving: &Serving,
    state: &ServerState,
    stop: &mut watch::Receiver<bool>,
) -> Result<(Pipeline, FramingKind, Result<DcEndpoint, DcId>), ConnError> {
    let config = match serving {
        Serving::Dc(_) => AcceptConfig::dc(),
        Serving::Proxy(secret) => AcceptConfig::proxy(secret.clone()),
    };
    let mut acceptor = Acceptor::new(config, Box::new(super::padding::ShortPadding::new()));
    let mut chunk = [0u8; 16 * 1024];
    loop {
        let n = read_chunk(stream, &mut chunk, IDLE_TIMEOUT, stop).await?;
        let mut out = Vec::new();
        let accepted = {
            let mut rng = rand::rng();
            acceptor.feed(&mut rng, &chunk[..n], unix_now() as u32, &mut out)?
        };
        if !out.is_empty() {
            stream.write_all(&out).await?;
        }
        if let Some(accepted) = accepted {
            let endpoint = match (serving, accepted.dc) {
                (Serving::Dc(endpoint), asked) => {
                    if let Some(asked) = asked {
                        if i32::from(asked.id) != endpoint.id || asked.media != endpoint.media_only
                        {
                            tracing::debug!(
                                ?asked,
                                serving = endpoint.id,
                                "obfuscated header names another DC"
                            );
                        }
                    }
                    Ok(*endpoint)
                }
                (Serving::Proxy(_), Some(asked)) => state
                    .endpoints
                    .iter()
                    .find(|e| e.id == i32::from(asked.id) && e.media_only == asked.media)
                    .copied()
                    .ok_or(asked),
                (Serving::Proxy(_), None) => Err(DcId::new(0)),
            };
            return Ok((accepted.pipeline, accepted.kind, endpoint));
        }
    }
}

/// A fresh key exchange; a new key whose id is already stored is answered
/// with `dh_gen_retry`.
fn new_exchange(state: &Arc<ServerState>) -> ServerAuth {
    let mut exchange = ServerAuth::new(state.key.private().clone(), DhParams::telegram());
    let state = state.clone();
    exchange.key_taken = Some(Box::new(move |id| {
        state.store().contains(id).unwrap_or(true)
    }));
    exchange
}

async fn serve(
    mut stream: TcpStream,
    serving: Serving,
    state: Arc<ServerState>,
    mut stop: watch::Receiver<bool>,
) -> Result<(), ConnError> {
    stream.set_nodelay(true)?;
    let peer_ip = stream.peer_addr()?.ip();
    let (pipeline, kind, endpoint) = accept(&mut stream, &serving, &state, &mut stop).await?;
    tracing::debug!(?kind, layers = ?pipeline.layers(), "transport detected");
    let mut conn = Conn { stream, pipeline };
    let endpoint = match endpoint {
        Ok(e) => e,
        Err(asked) => {
            conn.send_error(TransportErrorCode::InvalidDc).await?;
            return Err(ConnError::NoSuchDc(asked));
        }
    };
    let info = ConnInfo {
        dc_id: endpoint.id,
        media_only: endpoint.media_only,
    };
    let mut exchange = new_exchange(&state);
    let mut idle = IDLE_TIMEOUT;
    let conn_id = state.next_conn_id();
    let (push_tx, mut push_rx) = tokio::sync::mpsc::unbounded_channel();
    let mut faults = ConnFaults::new(state.faults(), endpoint.id, conn_id, peer_ip);
    // Answers held back by an injected latency: (due, packet), in order.
    let mut delayed: VecDeque<(Instant, Vec<u8>)> = VecDeque::new();
    // Answers still being encrypted, in wire order.
    let mut sealing = SealQueue::default();
    // Socket reads land here; one buffer for the connection's life.
    let mut chunk = vec![0u8; 64 * 1024].into_boxed_slice();
    let result = async {
    loop {
        while let Some(frame) = conn.pipeline.next_frame()? {
            let Frame::Packet { payload, .. } = frame else {
                continue;
            };
            // Padded intermediate has already stripped its padding.
            let packet = &payload[..];
            let Some(key_id) = hearth_crypto::message::peek_auth_key_id(packet) else {
                return Err(ConnError::Short);
            };
            if key_id == 0 {
                let reply = plain(&mut exchange, &state, packet, endpoint.id)?;
                conn.send(&reply).await?;
                continue;
            }
            let Some(stored) = state.auth_key(key_id, unix_now()) else {
                conn.send_error(TransportErrorCode::AuthKeyNotFound).await?;
                return Err(ConnError::UnknownKey(key_id));
            };
            if faults.on_key(state.faults(), key_id) == KeyVerdict::Dead {
                // Invalidated by AUTH_KEY_DUPLICATED: the server forgot it.
                conn.send_error(TransportErrorCode::AuthKeyNotFound).await?;
                return Err(ConnError::UnknownKey(key_id));
            }
            let drop_stage = faults.on_packet(state.faults());
            if drop_stage == Some(DropStage::Unprocessed) {
                return Err(ConnError::InjectedDrop);
            }
            let reply = match session::handle_encrypted(&state, &info, &stored.key, packet) {
                Ok(r) => r,
                Err(e) => {
                    conn.send_error(TransportErrorCode::AuthKeyNotFound).await?;
                    return Err(e.into());
                }
            };
            if let Some(d) = reply.disconnect_after {
                idle = Duration::from_secs(u64::from(d.max(1)));
            }
            state.set_online(
                conn_id,
                Online {
                    key_id,
                    session_id: reply.session_id,
                    tx: push_tx.clone(),
                },
            );
            if drop_stage == Some(DropStage::BeforeAnswer) {
                return Err(ConnError::InjectedDrop);
            }
            for p in reply.packets {
                if sealing.is_empty() && p.len() < OFF_TASK_BYTES {
                    send_or_delay(&mut conn, &mut faults, &state, &mut delayed, p.seal()).await?;
                } else {
                    sealing.push(p);
                }
            }
            if drop_stage == Some(DropStage::AfterAnswer) {
                while !sealing.is_empty() {
                    let p = sealing.next().await?;
                    send_or_delay(&mut conn, &mut faults, &state, &mut delayed, p).await?;
                }
                return Err(ConnError::InjectedDrop);
            }
        }
        // Every request read is answered: encrypt what waits, two together.
        sealing.start();
        let due = delayed.front().map(|(t, _)| *t);
        tokio::select! {
            n = read_chunk(&mut conn.stream, &mut chunk, idle, &mut stop) => {
                conn.pipeline.feed(&chunk[..n?])?;
            }
            Some((session_id, body)) = push_rx.recv() => {
                let Some((key_id, _)) = state.online_key(conn_id) else { continue };
                let Some(stored) = state.auth_key(key_id, unix_now()) else { continue };
                let Some(body) = crate::layers::push_body(stored.layer, body) else { continue };
                let packet = session::seal_push(&state, &stored.key, session_id, &body);
                if sealing.is_empty() {
                    send_or_delay(&mut conn, &mut faults, &state, &mut delayed, packet).await?;
                } else {
                    sealing.push_sealed(packet);
                }
            }
            packet = sealing.next(), if !sealing.is_empty() => {
                send_or_delay(&mut conn, &mut faults, &state, &mut delayed, packet?).await?;
            }
            _ = tokio::time::sleep_until(due.unwrap_or_else(Instant::now)), if due.is_some() => {
                while delayed.front().is_some_and(|(t, _)| *t <= Instant::now()) {
                    if let Some((_, p)) = delayed.pop_front() {
                        conn.send_packet(p).await?;
                    }
                }
            }
        }
    }
    }
    .await;
    for key in faults.close(state.faults()) {
        // Invalidated by AUTH_KEY_DUPLICATED and no longer held: gone for good.
        if let Err(e) = state.store().delete_key(key) {
            tracing::error!("{e}");
        }
    }
    state.set_offline(conn_id);
    result
}

/// Sends an encrypted packet now, or queues it when an injected latency
/// applies (or earlier packets still wait, to keep their order).
async fn send_or_delay(
    conn: &mut Conn,
    faults: &mut ConnFaults,
    state: &ServerState,
    delayed: &mut VecDeque<(Instant, Vec<u8>)>,
    packet: Vec<u8>,
) -> Result<(), ConnError> {
    match faults.delay(state.faults()) {
        None if delayed.is_empty() => conn.send_packet(packet).await,
        delay => {
            let due = Instant::now() + delay.unwrap_or_default();
            let due = delayed.back().map_or(due, |(last, _)| due.max(*last));
            delayed.push_back((due, packet));
            Ok(())
        }
    }
}

/// Handles an unencrypted message (auth key creation); returns the framed
/// plain answer. A finished exchange stores the key and starts a new one, so
/// a client may create a temporary key on the connection it used for its
/// permanent one.
fn plain(
    exchange: &mut ServerAuth,
    state: &Arc<ServerState>,
    packet: &[u8],
    dc: i32,
) -> Result<Vec<u8>, ConnError> {
    let now = unix_now();
    // req_pq / req_pq_multi (re)start an exchange at any point, as on Telegram.
    const REQ_PQ: [[u8; 4]; 2] = [0xbe7e8ef1u32.to_le_bytes(), 0x60469778u32.to_le_bytes()];
    if packet
        .get(20..24)
        .is_some_and(|id| REQ_PQ.iter().any(|r| r == id))
    {
        *exchange = new_exchange(state);
    }
    // server_time in server_DH_inner_data follows the (possibly skewed) server clock.
    let clock = state.faults().clock();
    let step = exchange.handle(clock, packet, &mut rand::rng())?;
    match step {
        ServerStep::Reply(b) => Ok(b),
        ServerStep::Done { reply, key } => {
            *exchange = new_exchange(state);
            if key.dc != 0 && key.dc.abs() % 10000 != dc {
                return Err(ConnError::WrongDc {
                    found: key.dc,
                    expected: dc,
                });
            }
            let expires_at = key.expires_in.map(|s| now + i64::from(s.max(0)));
            state
                .store()
                .insert_key(&key.auth_key, dc, expires_at)
                .map_err(|e| ConnError::Store(e.to_string()))?;
            state.set_first_salt(key.auth_key.key_id(), key.salt, clock.secs() + 1800);
            tracing::info!(dc, temp = expires_at.is_some(), "auth key created");
            Ok(reply)
        }
    }
}
