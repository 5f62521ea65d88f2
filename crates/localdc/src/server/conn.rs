//! One client connection: transport detection, deobfuscation, framing, then plain
//! (auth key creation) or encrypted (session) messages.
//!
//! Unknown auth key ids are answered with the transport error -404 and the
//! connection is closed, as Telegram does
//! (core.telegram.org/mtproto/mtproto-transports#transport-errors).

use std::sync::Arc;
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::watch;
use tokio::task::JoinSet;

use crate::auth::handshake::{Handshake, Step};
use crate::net::codec::Codec;
use crate::net::detect::{detect, Detected};
use crate::net::obfuscated::Obfuscation;
use crate::session::{self, ConnInfo};
use crate::state::{unix_now, DcEndpoint, ServerState};
use crate::tl::Reader;

/// Transport error code for an unknown auth key or an undecryptable message.
pub const TRANSPORT_AUTH_KEY_NOT_FOUND: i32 = -404;

/// How long a connection may stay silent before it is closed.
const IDLE_TIMEOUT: Duration = Duration::from_secs(300);

pub async fn accept_loop(
    listener: TcpListener,
    endpoint: DcEndpoint,
    state: Arc<ServerState>,
    mut stop: watch::Receiver<bool>,
) {
    let mut conns = JoinSet::new();
    loop {
        tokio::select! {
            _ = stop.changed() => break,
            accepted = listener.accept() => match accepted {
                Ok((stream, peer)) => {
                    tracing::debug!(dc = endpoint.id, media = endpoint.media_only, %peer, "connection");
                    let state = state.clone();
                    let stop = stop.clone();
                    conns.spawn(async move {
                        if let Err(e) = serve(stream, endpoint, state, stop).await {
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
    #[error("{0}")]
    Codec(#[from] crate::net::codec::CodecError),
    #[error("{0}")]
    Obfuscated(#[from] crate::net::obfuscated::ObfuscatedError),
    #[error("unsupported transport: {0}")]
    Unsupported(&'static str),
    #[error("handshake: {0}")]
    Handshake(#[from] crate::auth::handshake::HandshakeError),
    #[error("session: {0}")]
    Session(#[from] crate::session::SessionError),
    #[error("plain message malformed")]
    Plain,
    #[error("unknown auth key {0:#018x}")]
    UnknownKey(u64),
    #[error("closed by peer")]
    Eof,
    #[error("idle timeout")]
    Idle,
    #[error("server stopping")]
    Stopping,
}

struct Conn {
    stream: TcpStream,
    codec: Codec,
    obfuscation: Option<Obfuscation>,
}

impl Conn {
    async fn send(&mut self, payload: &[u8]) -> Result<(), ConnError> {
        let padding = crate::crypto::random::<16>();
        let pad_len = (padding[15] % 16) as usize;
        let mut framed = self.codec.encode(payload, &padding[..pad_len]);
        if let Some(o) = &mut self.obfuscation {
            o.encrypt(&mut framed);
        }
        self.stream.write_all(&framed).await?;
        Ok(())
    }
}

async fn read_more(
    stream: &mut TcpStream,
    buf: &mut Vec<u8>,
    idle: Duration,
    stop: &mut watch::Receiver<bool>,
) -> Result<usize, ConnError> {
    let mut chunk = [0u8; 16384];
    let n = tokio::select! {
        _ = stop.changed() => return Err(ConnError::Stopping),
        r = tokio::time::timeout(idle, stream.read(&mut chunk)) => r.map_err(|_| ConnError::Idle)??,
    };
    if n == 0 {
        return Err(ConnError::Eof);
    }
    buf.extend_from_slice(&chunk[..n]);
    Ok(n)
}

async fn serve(
    mut stream: TcpStream,
    endpoint: DcEndpoint,
    state: Arc<ServerState>,
    mut stop: watch::Receiver<bool>,
) -> Result<(), ConnError> {
    stream.set_nodelay(true)?;
    let mut buf = Vec::new();
    let (framing, obfuscation) = loop {
        match detect(&buf) {
            Detected::NeedMore => {
                read_more(&mut stream, &mut buf, IDLE_TIMEOUT, &mut stop).await?;
            }
            Detected::Plain {
                framing,
                header_len,
            } => {
                buf.drain(..header_len);
                break (framing, None);
            }
            Detected::Obfuscated => {
                let mut header = [0u8; 64];
                header.copy_from_slice(&buf[..64]);
                buf.drain(..64);
                let accepted = Obfuscation::accept(&header)?;
                let mut o = accepted.obfuscation;
                o.decrypt(&mut buf);
                let asked = i32::from(accepted.dc_id);
                if asked.abs() % 10000 != endpoint.id || (asked < 0) != endpoint.media_only {
                    tracing::debug!(
                        asked,
                        serving = endpoint.id,
                        "obfuscated header names another DC"
                    );
                }
                break (accepted.framing, Some(o));
            }
            Detected::Unsupported(what) => return Err(ConnError::Unsupported(what)),
        }
    };
    tracing::debug!(
        ?framing,
        obfuscated = obfuscation.is_some(),
        "transport detected"
    );
    let mut conn = Conn {
        stream,
        codec: Codec::new(framing),
        obfuscation,
    };
    let info = ConnInfo {
        dc_id: endpoint.id,
        media_only: endpoint.media_only,
    };
    let mut handshake = Handshake::new(if endpoint.media_only {
        -endpoint.id
    } else {
        endpoint.id
    });
    let mut idle = IDLE_TIMEOUT;
    let mut plain_msg_id = 0i64;
    loop {
        while let Some(packet) = conn.codec.decode(&mut buf)? {
            if packet.len() < 8 {
                return Err(ConnError::Plain);
            }
            let key_id = u64::from_le_bytes([
                packet[0], packet[1], packet[2], packet[3], packet[4], packet[5], packet[6],
                packet[7],
            ]);
            if key_id == 0 {
                let reply = plain(&mut handshake, &state, &packet, endpoint.id)?;
                let msg_id = server_plain_msg_id(&mut plain_msg_id);
                let mut out = vec![0u8; 8];
                out.extend_from_slice(&msg_id.to_le_bytes());
                out.extend_from_slice(&(reply.len() as i32).to_le_bytes());
                out.extend_from_slice(&reply);
                conn.send(&out).await?;
                continue;
            }
            let Some(stored) = state.auth_key(key_id, unix_now()) else {
                conn.send(&TRANSPORT_AUTH_KEY_NOT_FOUND.to_le_bytes())
                    .await?;
                return Err(ConnError::UnknownKey(key_id));
            };
            let reply = match session::handle_encrypted(&state, &info, &stored.key, &packet[8..]) {
                Ok(r) => r,
                Err(e) => {
                    conn.send(&TRANSPORT_AUTH_KEY_NOT_FOUND.to_le_bytes())
                        .await?;
                    return Err(e.into());
                }
            };
            if let Some(d) = reply.disconnect_after {
                idle = Duration::from_secs(u64::from(d.max(1)));
            }
            for p in reply.packets {
                conn.send(&p).await?;
            }
        }
        let before = buf.len();
        read_more(&mut conn.stream, &mut buf, idle, &mut stop).await?;
        if let Some(o) = &mut conn.obfuscation {
            o.decrypt(&mut buf[before..]);
        }
    }
}

fn server_plain_msg_id(last: &mut i64) -> i64 {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap_or_default();
    let frac = (u64::from(now.subsec_nanos()) << 32) / 1_000_000_000;
    let mut id = ((now.as_secs() as i64) << 32) | (frac as i64 & !3) | 1;
    if id <= *last {
        id = (*last & !3) + 5;
    }
    *last = id;
    id
}

/// Handles an unencrypted message: `auth_key_id = 0`, msg_id, length, body.
fn plain(
    handshake: &mut Handshake,
    state: &ServerState,
    packet: &[u8],
    dc: i32,
) -> Result<Vec<u8>, ConnError> {
    let mut r = Reader::new(packet);
    r.raw(8).map_err(|_| ConnError::Plain)?;
    let _msg_id = r.long().map_err(|_| ConnError::Plain)?;
    let len = r.int().map_err(|_| ConnError::Plain)?;
    let body = usize::try_from(len)
        .ok()
        .and_then(|l| r.raw(l).ok())
        .ok_or(ConnError::Plain)?;
    let now = unix_now();
    let exists = |id: u64| state.store().contains(id).unwrap_or(true);
    match handshake.step(body, &state.key, &exists, now as i32)? {
        Step::Reply(b) => Ok(b),
        Step::Done(b, new_key) => {
            let expires_at = new_key.expires_in.map(|s| now + i64::from(s.max(0)));
            if let Err(e) = state.store().insert_key(&new_key.key, dc, expires_at) {
                tracing::error!("cannot store new auth key: {e}");
                return Err(ConnError::Plain);
            }
            state.set_first_salt(new_key.key.id(), new_key.salt, now + 1800);
            tracing::info!(dc, temp = expires_at.is_some(), "auth key created");
            Ok(b)
        }
    }
}
