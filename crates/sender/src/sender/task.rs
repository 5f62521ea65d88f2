//! The connection task: owns the socket, the session and the pending
//! requests; reconnects and re-sends; answers the [`Sender`] handles.

use std::sync::atomic::AtomicU64;
use std::sync::Arc;
use std::time::SystemTime;

use tokio::sync::{mpsc, watch};
use tracing::{debug, info, warn};

use super::conn::{Connection, RecvError};
use super::pending::Pending;
use super::ping::ping_delay_disconnect;
use super::protocol::{Event, FramingError, Protocol, Session};
use super::{Command, Config, InvocationError, Sender, Shared, UpdateEvent, UpdateSink};
use crate::connect::ConnectError;

/// Why a connection's I/O loop ended.
enum Outcome {
    Shutdown,
    Lost(ConnectError),
    Fatal(InvocationError),
}

struct Task<P: Protocol> {
    config: Config,
    protocol: P,
    session: P::Session,
    pending: Pending,
    rx: mpsc::UnboundedReceiver<Command>,
    weak_tx: mpsc::WeakUnboundedSender<Command>,
    shared: Arc<Shared>,
    sink: UpdateSink,
    rng: fastrand::Rng,
}

pub(super) async fn start<P: Protocol>(
    mut config: Config,
    mut protocol: P,
    key: Option<P::Key>,
) -> Result<(Sender, P::Key), ConnectError> {
    let framing = protocol.framing(&config.route);
    let mut conn =
        Connection::open(&config.dc, &config.route, config.connect_timeout, framing).await?;
    let key = match key {
        Some(k) => k,
        None => {
            info!(dc = %config.dc, "creating auth key");
            let exchange = protocol.key_exchange();
            conn.create_key(&config.route, exchange, config.connect_timeout)
                .await?
        }
    };
    let session = protocol.session(&key);
    let (tx, rx) = mpsc::unbounded_channel();
    let (closed_tx, closed_rx) = watch::channel(false);
    let shared = Arc::new(Shared {
        next_id: AtomicU64::new(1),
        request_timeout: config.request_timeout,
        closed: closed_rx,
    });
    let sink = std::mem::replace(&mut config.updates, UpdateSink::None);
    let task = Task {
        config,
        protocol,
        session,
        pending: Pending::default(),
        rx,
        weak_tx: tx.downgrade(),
        shared: shared.clone(),
        sink,
        rng: fastrand::Rng::new(),
    };
    tokio::spawn(async move {
        task.run(conn).await;
        let _ = closed_tx.send(true);
    });
    Ok((Sender { tx, shared }, key))
}

/// Applies a command that needs no connection; returns false on shutdown.
fn apply_offline(pending: &mut Pending, cmd: Option<Command>) -> bool {
    match cmd {
        Some(Command::Invoke { id, body, reply }) => {
            pending.insert(id, body, reply);
            true
        }
        Some(Command::Cancel { id }) => {
            pending.cancel(id);
            true
        }
        Some(Command::Shutdown) | None => false,
    }
}

impl<P: Protocol> Task<P> {
    async fn run(mut self, first: Connection<P::Framing>) {
        let mut conn = Some(first);
        let mut failures = 0u32;
        let end = loop {
            let c = match conn.take() {
                Some(c) => c,
                None => match self.reconnect(&mut failures).await {
                    Ok(c) => c,
                    Err(e) => break e,
                },
            };
            match self.drive(c).await {
                Outcome::Shutdown => break InvocationError::Shutdown,
                Outcome::Fatal(e) => break e,
                Outcome::Lost(e) => {
                    warn!(dc = %self.config.dc, error = %e, pending = self.pending.len(), "connection lost");
                    if !self.config.backoff.exhausted(failures + 1) {
                        continue;
                    }
                    break InvocationError::Connect(Arc::new(e));
                }
            }
        };
        info!(dc = %self.config.dc, reason = %end, "sender stopped");
        self.pending.fail_all(end.clone());
        self.rx.close();
        while let Ok(cmd) = self.rx.try_recv() {
            if let Command::Invoke { reply, .. } = cmd {
                let _ = reply.send(Err(end.clone()));
            }
        }
    }

    /// Opens a new connection after backoff, still serving commands.
    async fn reconnect(
        &mut self,
        failures: &mut u32,
    ) -> Result<Connection<P::Framing>, InvocationError> {
        loop {
            let delay = self.config.backoff.delay(*failures, &mut self.rng);
            debug!(dc = %self.config.dc, ?delay, attempt = *failures + 1, "reconnecting");
            let sleep = tokio::time::sleep(delay);
            tokio::pin!(sleep);
            loop {
                tokio::select! {
                    _ = &mut sleep => break,
                    cmd = self.rx.recv() => if !apply_offline(&mut self.pending, cmd) {
                        return Err(InvocationError::Shutdown);
                    },
                }
            }
            let framing = self.protocol.framing(&self.config.route);
            let c = &self.config;
            let open = Connection::open(&c.dc, &c.route, c.connect_timeout, framing);
            tokio::pin!(open);
            let result = loop {
                tokio::select! {
                    r = &mut open => break r,
                    cmd = self.rx.recv() => if !apply_offline(&mut self.pending, cmd) {
                        return Err(InvocationError::Shutdown);
                    },
                }
            };
            match result {
                Ok(conn) => return Ok(conn),
                Err(e) => {
                    *failures += 1;
                    warn!(dc = %self.config.dc, error = %e, failures = *failures, "reconnect failed");
                    if self.config.backoff.exhausted(*failures) {
                        return Err(InvocationError::Connect(Arc::new(e)));
                    }
                }
            }
        }
    }

    /// Runs one connection until it is lost or the sender stops.
    async fn drive(&mut self, mut conn: Connection<P::Framing>) -> Outcome {
        self.session.reset_connection();
        let session = &mut self.session;
        let resent = self
            .pending
            .resend_all(|b| session.enqueue(SystemTime::now(), b));
        if resent > 0 {
            info!(dc = %self.config.dc, resent, "re-sending unanswered requests");
        }
        let ping_every = self.config.ping_interval;
        let mut ping =
            tokio::time::interval_at(tokio::time::Instant::now() + ping_every, ping_every);
        ping.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        let mut ping_deadline: Option<tokio::time::Instant> = None;
        let delay_secs = i32::try_from(self.config.disconnect_delay.as_secs()).unwrap_or(i32::MAX);
        loop {
            while let Some(packet) = self.session.poll_outgoing(SystemTime::now()) {
                if let Err(e) = conn.send(&packet).await {
                    return Outcome::Lost(conn.recv_error(
                        RecvError::Io(e),
                        &self.config.route,
                        "sending",
                    ));
                }
            }
            let dead_at = ping_deadline.unwrap_or_else(|| tokio::time::Instant::now() + ping_every);
            tokio::select! {
                cmd = self.rx.recv() => match cmd {
                    Some(Command::Invoke { id, body, reply }) => {
                        self.pending.insert(id, body, reply);
                        let session = &mut self.session;
                        self.pending.send(id, |b| session.enqueue(SystemTime::now(), b));
                    }
                    Some(Command::Cancel { id }) => {
                        if self.pending.cancel(id) {
                            debug!(id, "request forgotten by its caller");
                        }
                    }
                    Some(Command::Shutdown) | None => return Outcome::Shutdown,
                },
                packet = conn.recv() => match packet {
                    Ok(p) => {
                        ping_deadline = None;
                        match self.session.handle_incoming(SystemTime::now(), &p) {
                            Ok(events) => {
                                for e in events {
                                    self.dispatch(e);
                                }
                            }
                            Err(e) if e.fatal => return Outcome::Fatal(InvocationError::Protocol(e.message)),
                            Err(e) => {
                                return Outcome::Lost(ConnectError::ConnectionLost {
                                    peer: conn.peer.clone(),
                                    detail: e.message,
                                })
                            }
                        }
                    }
                    Err(RecvError::Framing(FramingError::TransportCode(code))) if code == -404 || code == -444 => {
                        let e = ConnectError::Transport { peer: conn.peer.clone(), code };
                        return Outcome::Fatal(InvocationError::Connect(Arc::new(e)));
                    }
                    Err(e) => return Outcome::Lost(conn.recv_error(e, &self.config.route, "a session")),
                },
                _ = ping.tick() => {
                    let ping_id = self.rng.i64(..);
                    self.session.enqueue(SystemTime::now(), ping_delay_disconnect(ping_id, delay_secs));
                    if ping_deadline.is_none() {
                        ping_deadline = Some(tokio::time::Instant::now() + self.config.ping_timeout);
                    }
                }
                _ = tokio::time::sleep_until(dead_at), if ping_deadline.is_some() => {
                    return Outcome::Lost(ConnectError::ConnectionLost {
                        peer: conn.peer.clone(),
                        detail: format!("no answer to a keepalive ping within {} s", self.config.ping_timeout.as_secs_f32()),
                    });
                }
            }
        }
    }

    fn dispatch(&mut self, event: Event) {
        match event {
            Event::RpcResult { msg_id, body } => {
                if !self.pending.complete(msg_id, Ok(body)) {
                    debug!(msg_id, "answer for a request nobody waits for");
                }
            }
            Event::RpcError {
                msg_id,
                code,
                message,
            } => {
                self.pending
                    .complete(msg_id, Err(InvocationError::Rpc { code, message }));
            }
            Event::Resent { old, new } => self.pending.alias(old, new),
            Event::Update(bytes) => self.push(UpdateEvent::Update(bytes)),
            Event::NewSession => self.push(UpdateEvent::NewSession),
        }
    }

    fn push(&mut self, update: UpdateEvent) {
        match &mut self.sink {
            UpdateSink::Channel(tx) => match tx.try_send(update) {
                Ok(()) => {}
                Err(mpsc::error::TrySendError::Full(_)) => {
                    warn!("update receiver is behind; dropped an update")
                }
                Err(mpsc::error::TrySendError::Closed(_)) => {}
            },
            UpdateSink::Callback(cb) => {
                if let Some(tx) = self.weak_tx.upgrade() {
                    let handle = Sender {
                        tx,
                        shared: self.shared.clone(),
                    };
                    cb(update, &handle);
                }
            }
            UpdateSink::None => {}
        }
    }
}
