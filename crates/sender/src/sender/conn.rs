//! One open connection: a TCP stream plus its framing codec.

use std::time::{Duration, SystemTime};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::tcp::{OwnedReadHalf, OwnedWriteHalf};

use super::protocol::{ExchangeStep, Framing, FramingError, KeyExchange};
use crate::connect::{ConnectError, Peer, Route};

/// Why reading a packet failed.
#[derive(Debug)]
pub(crate) enum RecvError {
    Closed,
    Io(std::io::Error),
    Framing(FramingError),
}

pub(crate) struct Connection<F> {
    read: OwnedReadHalf,
    write: OwnedWriteHalf,
    framing: F,
    rbuf: Vec<u8>,
    wbuf: Vec<u8>,
    /// Whether the peer has sent anything on this connection.
    pub received_any: bool,
    /// The peer the stream ends at (DC or MTProxy).
    pub peer: Peer,
}

impl<F: Framing> Connection<F> {
    /// Opens the stream along `route` and writes the framing's start bytes.
    pub async fn open(
        dc: &Peer,
        route: &Route,
        timeout: Duration,
        mut framing: F,
    ) -> Result<Self, ConnectError> {
        let peer = route.target(dc);
        let stream = route.open(dc, timeout).await?;
        let (mut read, mut write) = stream.into_split();
        let mut rbuf = Vec::with_capacity(64 * 1024);
        if let Some(hello) = framing.handshake() {
            let exchange = async {
                write
                    .write_all(&hello)
                    .await
                    .map_err(|e| ConnectError::from_io(&peer, "fake-TLS handshake", e))?;
                loop {
                    match framing.handshake_reply(&rbuf) {
                        Ok(Some(used)) => {
                            rbuf.drain(..used);
                            return Ok(());
                        }
                        Ok(None) => {}
                        Err(e) => {
                            return Err(ConnectError::UnexpectedReply {
                                peer: peer.clone(),
                                expected: "an MTProxy fake-TLS answer",
                                detail: e.to_string(),
                            })
                        }
                    }
                    let mut chunk = [0u8; 4096];
                    match read.read(&mut chunk).await {
                        Ok(0) if rbuf.is_empty() => {
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
                        Ok(n) => rbuf.extend_from_slice(&chunk[..n]),
                        Err(e) => {
                            return Err(ConnectError::from_io(&peer, "fake-TLS handshake", e))
                        }
                    }
                }
            };
            match tokio::time::timeout(timeout, exchange).await {
                Ok(r) => r?,
                Err(_) => {
                    return Err(ConnectError::TimedOut {
                        peer: peer.clone(),
                        timeout,
                    })
                }
            }
        }
        let start = framing.start();
        if !start.is_empty() {
            write
                .write_all(&start)
                .await
                .map_err(|e| ConnectError::from_io(&peer, "transport start", e))?;
        }
        Ok(Self {
            read,
            write,
            framing,
            rbuf,
            wbuf: Vec::with_capacity(1024),
            received_any: false,
            peer,
        })
    }

    pub async fn send(&mut self, packet: &[u8]) -> std::io::Result<()> {
        self.wbuf.clear();
        self.framing
            .encode(packet, &mut self.wbuf)
            .map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidInput, e))?;
        self.write.write_all(&self.wbuf).await
    }

    /// The next packet. Cancel-safe: bytes are appended to the buffer in the
    /// same poll that reads them.
    pub async fn recv(&mut self) -> Result<Vec<u8>, RecvError> {
        loop {
            if let Some(p) = self
                .framing
                .decode(&mut self.rbuf)
                .map_err(RecvError::Framing)?
            {
                return Ok(p);
            }
            let mut chunk = [0u8; 16 * 1024];
            let n = self.read.read(&mut chunk).await.map_err(RecvError::Io)?;
            if n == 0 {
                return Err(RecvError::Closed);
            }
            self.received_any = true;
            self.rbuf.extend_from_slice(&chunk[..n]);
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
