//! The optional encrypted round trip: with an auth key for the DC, a probe
//! that got a genuine `resPQ` also times `ping_delay_disconnect` → `pong`
//! in an encrypted session on the same connection
//! (core.telegram.org/mtproto/service_messages#ping-messages-pingpong).
//! That shows the DC still knows the key; a -404 answer means it does not.

use std::time::{Duration, Instant};

use hearth_mtproto::{Event, Session, SessionConfig, UnixTime};
use hearth_sender::sender::SessionKey;
use hearth_transport::{Frame, Pipeline, TransportError};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// An auth key to ping one DC with. `Debug` never shows the key.
#[derive(Clone, Debug)]
pub struct PingKey {
    /// The DC the key belongs to; probes of other DCs do not ping.
    pub dc_id: i32,
    pub key: SessionKey,
}

/// Why the ping failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PingError {
    #[error("the server answered with transport error {0}")]
    Transport(i32),
    #[error("the connection closed before the pong")]
    Closed,
    #[error("{0}")]
    Other(String),
}

/// Delay the server is asked to keep the connection for.
const DISCONNECT_DELAY: i32 = 35;

/// Sends one encrypted ping and waits for its pong; returns the round trip.
/// The caller bounds it with its timeout.
pub async fn ping(
    key: &PingKey,
    stream: &mut TcpStream,
    pipeline: &mut Pipeline,
) -> Result<Duration, PingError> {
    let config = SessionConfig {
        // A bare ping needs no initConnection wrapper.
        app: None,
        ..SessionConfig::default()
    };
    let mut session = Session::new(
        key.key.auth_key.clone(),
        key.key.salt,
        key.key.time_offset,
        config,
        Box::new(rand::make_rng::<rand::rngs::StdRng>()),
    );
    let ping_id = rand::random::<i64>();
    let request = session.ping_delay_disconnect(ping_id, DISCONNECT_DELAY);
    let started = Instant::now();
    let mut buf = vec![0u8; 16 * 1024];
    loop {
        // Send whatever is due (the ping; after bad_server_salt its resend).
        while let Some(payload) = session.poll_outgoing(UnixTime::now()) {
            let mut out = Vec::new();
            pipeline
                .send(&payload, &mut out)
                .map_err(|e| PingError::Other(e.to_string()))?;
            stream
                .write_all(&out)
                .await
                .map_err(|e| PingError::Other(e.to_string()))?;
        }
        let packet = loop {
            match pipeline.next_frame() {
                Ok(Some(Frame::Packet { payload, .. })) => break payload,
                Ok(Some(Frame::QuickAck(_))) => continue,
                Ok(None) => {}
                Err(TransportError::Server(code)) => return Err(PingError::Transport(code.code())),
                Err(e) => return Err(PingError::Other(e.to_string())),
            }
            let n = stream
                .read(&mut buf)
                .await
                .map_err(|e| PingError::Other(e.to_string()))?;
            if n == 0 {
                return Err(PingError::Closed);
            }
            pipeline
                .feed(&buf[..n])
                .map_err(|e| PingError::Other(e.to_string()))?;
        };
        match session.handle_incoming(UnixTime::now(), &packet) {
            Ok(events) => {
                let answered = events
                    .iter()
                    .any(|e| matches!(e, Event::RpcResult { request: r, .. } if *r == request));
                if answered {
                    return Ok(started.elapsed());
                }
            }
            // Dropped per the security guidelines; keep waiting.
            Err(e) => tracing::debug!(error = %e, "ping probe dropped a packet"),
        }
    }
}
