//! One open connection: a TCP stream plus its `hearth-transport`
//! [`Pipeline`] (framing inside optional obfuscated2 inside optional MTProxy
//! fake-TLS; core.telegram.org/mtproto/mtproto-transports,
//! core.telegram.org/mtproto/mtproto-proxy).

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use hearth_transport::{ClientMode, Connecting, FakeTlsClient, Frame, Pipeline};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::tcp::{OwnedReadHalf, OwnedWriteHalf};

use super::protocol::{ExchangeStep, FramingError, KeyExchange};
use crate::connect::{ConnectError, Peer, Route};

/// Why reading a packet failed.
#[derive(Debug)]
pub(crate) enum RecvError {
    Closed,
    Io(std::io::Error),
    Framing(FramingError),
}

/// Room made for each socket read (more is read when the buffer has it).
const READ_CHUNK: usize = 256 * 1024;

pub(crate) struct Connection {
    read: OwnedReadHalf,
    write: OwnedWriteHalf,
    pipeline: Pipeline,
    wbuf: Vec<u8>,
    /// Under fake-TLS, socket reads land here before the pipeline unwraps
    /// them (allocated on first use); otherwise reads go straight into the
    /// pipeline's buffer ([`Pipeline::read_buf`]).
    rbuf: Vec<u8>,
    /// Whether the peer has sent anything on this connection (after any
    /// fake-TLS handshake).
    pub received_any: bool,
    /// Whether a packet from the peer passed the session's checks
    /// (decrypted under our key with a valid msg_key): proof the stream
    /// really reaches the DC. Set by the connection task.
    pub authenticated: bool,
    /// The peer the stream ends at (DC or MTProxy).
    pub peer: Peer,
}

/// The transport's first bytes and state for `mode`. Fails before any
/// network traffic (e.g. an MTProxy domain too long for a ClientHello).
pub(crate) fn start_transport(mode: ClientMode) -> Result<(Vec<u8>, Connecting), FramingError> {
    let mut rng: rand::rngs::StdRng = rand::make_rng();
    let padding: Box<rand::rngs::StdRng> = Box::new(rand::make_rng());
    // Fake-TLS hellos carry the time; a clock before 1970 sends 0 and the
    // proxy reports the skew.
    let unix = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| u32::try_from(d.as_secs()).unwrap_or(u32::MAX));
    Ok(hearth_transport::connect(&mut rng, mode, unix, padding)?)
}

/// Reads the MTProxy's fake-TLS ServerHello and returns the bytes to send
/// next with the ready pipeline.
async fn fake_tls_handshake(
    read: &mut OwnedReadHalf,
    pending: &mut FakeTlsClient,
    peer: &Peer,
) -> Result<(Vec<u8>, Pipeline), ConnectError> {
    let mut received = 0usize;
    let mut chunk = [0u8; 4096];
    loop {
        let n = match read.read(&mut chunk).await {
            Ok(0) if received == 0 => {
                return Err(ConnectError::MtProxyClosed {
                    proxy: peer.clone(),
                })
            }
            Ok(0) => {
                return Err(ConnectError::ClosedDuringHandshake {
                    peer: peer.clone(),
                    stage: "fake-TLS handshake",
                })
            }
            Ok(n) => n,
            Err(e) => return Err(ConnectError::from_io(peer, "fake-TLS handshake", e)),
        };
        received += n;
        match pending.feed(&chunk[..n]) {
            Ok(Some(done)) => return Ok(done),
            Ok(None) => {}
            Err(e) => {
                return Err(ConnectError::UnexpectedReply {
                    peer: peer.clone(),
                    expected: "an MTProxy fake-TLS answer",
                    detail: e.to_string(),
                })
            }
        }
    }
}

impl Connection {
    /// Opens the stream along `route` and starts the transport: writes its
    /// first bytes and, for fake-TLS, completes the hello exchange (bounded
    /// by `timeout`).
    pub async fn open(
        dc: &Peer,
        route: &Route,
        timeout: Duration,
        first: Vec<u8>,
        connecting: Connecting,
    ) -> Result<Self, ConnectError> {
        let peer = route.target(dc);
        let stream = route.open(dc, timeout).await?;
        let (mut read, mut write) = stream.into_split();
        write
            .write_all(&first)
            .await
            .map_err(|e| ConnectError::from_io(&peer, "transport start", e))?;
        let pipeline = match connecting {
            Connecting::Ready(pipeline) => pipeline,
            Connecting::AwaitingServerHello(mut pending) => {
                let exchange = fake_tls_handshake(&mut read, &mut pending, &peer);
                let (next, pipeline) =
                    tokio::time::timeout(timeout, exchange)
                        .await
                        .map_err(|_| ConnectError::TimedOut {
                            peer: peer.clone(),
                            timeout,
                        })??;
                write
                    .write_all(&next)
                    .await
                    .map_err(|e| ConnectError::from_io(&peer, "transport start", e))?;
                pipeline
            }
        };
        Ok(Self {
            read,
            write,
            pipeline,
            wbuf: Vec::with_capacity(1024),
            rbuf: Vec::new(),
            received_any: false,
            authenticated: false,
            peer,
        })
    }

    pub async fn send(&mut self, packet: &[u8]) -> std::io::Result<()> {
        self.wbuf.clear();
        self.pipeline
            .send(packet, &mut self.wbuf)
            .map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidInput, e))?;
        self.write.write_all(&self.wbuf).await
    }

    /// The next packet. Cancel-safe: bytes go into the pipeline in the same
    /// poll that reads them.
    pub async fn recv(&mut self) -> Result<Vec<u8>, RecvError> {
        loop {
            match self.pipeline.next_frame() {
                Ok(Some(Frame::Packet { payload, .. })) => return Ok(payload),
                // Quick acks are not requested; skip any that come.
                Ok(Some(Frame::QuickAck(_))) => continue,
                Ok(None) => {}
                Err(e) => return Err(RecvError::Framing(e.into())),
            }
            let n = match self.pipeline.read_buf(READ_CHUNK) {
                // No copy: the socket writes where frames are cut from.
                Some(buf) => self.read.read_buf(buf).await.map_err(RecvError::Io)?,
                None => {
                    if self.rbuf.is_empty() {
                        self.rbuf = vec![0u8; READ_CHUNK];
                    }
                    let n = self
                        .read
                        .read(&mut self.rbuf)
                        .await
                        .map_err(RecvError::Io)?;
                    self.pipeline
                        .feed(&self.rbuf[..n])
                        .map_err(|e| RecvError::Framing(e.into()))?;
                    n
                }
            };
            if n == 0 {
                return Err(RecvError::Closed);
            }
            self.received_any = true;
            self.pipeline.commit_read();
        }
    }

    /// The next packet if it comes within `patience` (at once if it is
    /// buffered already); `None` if not. Cancel-safe like
    /// [`recv`](Self::recv): bytes read stay in the pipeline.
    pub async fn recv_within(&mut self, patience: Duration) -> Result<Option<Vec<u8>>, RecvError> {
        match tokio::time::timeout(patience, self.recv()).await {
            Ok(packet) => packet.map(Some),
            Err(_) => Ok(None),
        }
    }

    /// Maps a receive failure to the error users see.
    pub fn recv_error(&self, e: RecvError, route: &Route, stage: &str) -> ConnectError {
        let peer = self.peer.clone();
        let closed = match &e {
            RecvError::Closed => true,
            RecvError::Io(io) => matches!(
                io.kind(),
                std::io::ErrorKind::ConnectionReset
                    | std::io::ErrorKind::ConnectionAborted
                    | std::io::ErrorKind::BrokenPipe
                    | std::io::ErrorKind::UnexpectedEof
            ),
            RecvError::Framing(_) => false,
        };
        match e {
            _ if closed && route.is_mtproxy() && !self.received_any => {
                ConnectError::MtProxyClosed { proxy: peer }
            }
            RecvError::Framing(FramingError::TransportCode(code)) => {
                ConnectError::Transport { peer, code }
            }
            RecvError::Closed => ConnectError::ConnectionLost {
                peer,
                detail: format!("the server closed the connection during {stage}"),
            },
            RecvError::Io(e) => ConnectError::ConnectionLost {
                peer,
                detail: format!("{e} during {stage}"),
            },
            RecvError::Framing(e) => ConnectError::ConnectionLost {
                peer,
                detail: format!("{e} during {stage}"),
            },
        }
    }

    /// Runs the auth key exchange (core.telegram.org/mtproto/auth_key) on
    /// this connection, bounded by `timeout`.
    pub async fn create_key<X: KeyExchange>(
        &mut self,
        route: &Route,
        mut exchange: X,
        timeout: Duration,
    ) -> Result<X::Key, ConnectError> {
        let kx = |e: super::ProtocolError, peer: &Peer| ConnectError::KeyExchange {
            peer: peer.clone(),
            detail: e.message,
        };
        let peer = self.peer.clone();
        let run = async {
            let first = exchange
                .start(SystemTime::now())
                .map_err(|e| kx(e, &self.peer))?;
            self.send(&first)
                .await
                .map_err(|e| ConnectError::from_io(&self.peer, "auth key creation", e))?;
            loop {
                let packet = match self.recv().await {
                    Ok(p) => p,
                    Err(e) => return Err(self.recv_error(e, route, "auth key creation")),
                };
                match exchange
                    .step(SystemTime::now(), &packet)
                    .map_err(|e| kx(e, &self.peer))?
                {
                    ExchangeStep::Send(p) => self
                        .send(&p)
                        .await
                        .map_err(|e| ConnectError::from_io(&self.peer, "auth key creation", e))?,
                    ExchangeStep::Done(key) => return Ok(key),
                }
            }
        };
        match tokio::time::timeout(timeout, run).await {
            Ok(r) => r,
            Err(_) => Err(ConnectError::TimedOut { peer, timeout }),
        }
    }
}
