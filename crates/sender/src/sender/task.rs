//! The connection task: owns the socket, the session and the pending
//! requests; reconnects and re-sends; answers the [`Sender`] handles.

use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use tokio::sync::{mpsc, watch};
use tracing::{debug, info, warn, Instrument};

use super::conn::{start_transport, Connection, RecvError};
use super::link::LinkState;
use super::pending::Pending;
use super::protocol::{Event, FramingError, Handled, Protocol, Session, Severity};
use super::rejection::Rejections;
use super::{Command, Config, InvocationError, Sender, Shared, UpdateEvent, UpdateSink};
use crate::connect::ConnectError;

/// How often an idle connection lets the session emit time-driven output.
const SESSION_TICK: std::time::Duration = std::time::Duration::from_millis(500);

/// Packets at least this long (file parts) are decrypted two at a time:
/// two IGE chains interleaved cost little more than one.
const PAIR_BYTES: usize = 64 * 1024;
/// How long a large packet waits for a second one to pair with, when other
/// requests are in flight. A server sends parts back to back, so on a fast
/// link the next is arriving already; on a slow one the wait is bounded.
const PAIR_PATIENCE: Duration = Duration::from_millis(1);

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
    link: watch::Sender<LinkState>,
    /// The run of new connections answered with -404/-444.
    rejections: Rejections,
}

/// Opens the first connection; errors go straight back to the caller.
/// Transport setup errors (e.g. an unusable MTProxy secret) come before any
/// network traffic.
///
/// The future borrows only the parts of the config it needs: the config's
/// update sink may be a callback that is not `Sync`, and holding a borrow
/// of all of it would make the future `!Send`.
pub(super) fn open_first<'a, P: Protocol>(
    config: &'a Config,
    protocol: &mut P,
) -> impl std::future::Future<Output = Result<Connection, ConnectError>> + Send + 'a {
    let setup = protocol
        .transport(&config.route)
        .and_then(start_transport)
        .map_err(|e| transport_setup_error(config, e));
    let (dc, route, timeout) = (&config.dc, &config.route, config.connect_timeout);
    async move {
        let (first, connecting) = setup?;
        Connection::open(dc, route, timeout, first, connecting).await
    }
}

fn transport_setup_error(config: &Config, e: FramingError) -> ConnectError {
    let peer = config.route.target(&config.dc);
    match peer {
        crate::connect::Peer::MtProxy(_) => ConnectError::MtProxySecret {
            proxy: peer,
            detail: e.to_string(),
        },
        _ => ConnectError::ConnectionLost {
            peer,
            detail: e.to_string(),
        },
    }
}

/// Starts the task over an open connection and an auth key.
pub(super) fn launch<P: Protocol>(
    mut config: Config,
    mut protocol: P,
    conn: Connection,
    key: &P::Key,
) -> Sender {
    let session = protocol.session(key);
    let (tx, rx) = mpsc::unbounded_channel();
    let (closed_tx, closed_rx) = watch::channel(None);
    let (link_tx, link_rx) = watch::channel(LinkState::Connected);
    let shared = Arc::new(Shared {
        next_id: AtomicU64::new(1),
        waiting: AtomicUsize::new(0),
        activity: std::sync::Mutex::new(tokio::time::Instant::now()),
        request_timeout: config.request_timeout,
        closed: closed_rx,
        link: link_rx,
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
        link: link_tx,
        rejections: Rejections::default(),
    };
    let span = tracing::info_span!("sender", dc = %task.config.dc);
    tokio::spawn(
        async move {
            let link = task.link.clone();
            let reason = task.run(conn).await;
            link.send_replace(LinkState::Closed(reason.clone()));
            let _ = closed_tx.send(Some(reason));
        }
        .instrument(span),
    );
    Sender { tx, shared }
}

/// Applies a handle's command; returns false on shutdown. Requests are
/// queued in the session whether or not a connection is up.
fn apply<S: Session>(pending: &mut Pending, session: &mut S, cmd: Option<Command>) -> bool {
    match cmd {
        Some(Command::Invoke { id, body, reply }) => {
            let request = session.enqueue(body);
            pending.insert(id, request, reply);
            true
        }
        Some(Command::Cancel { id }) => {
            if let Some(request) = pending.cancel(id) {
                session.cancel(request);
                debug!(request, "request cancelled by its caller");
            }
            true
        }
        Some(Command::Shutdown) | None => false,
    }
}

impl<P: Protocol> Task<P> {
    async fn run(mut self, first: Connection) -> InvocationError {
        let mut conn = Some(first);
        let mut failures = 0u32;
        // When the last good connection was lost, and why the last attempt failed.
        let mut lost: Option<(SystemTime, Arc<ConnectError>)> = None;
        let end = loop {
            let c = match conn.take() {
                Some(c) => c,
                None => {
                    let (since, error) = lost.clone().unwrap_or_else(|| {
                        (
                            SystemTime::now(),
                            Arc::new(ConnectError::ConnectionLost {
                                peer: self.config.route.target(&self.config.dc),
                                detail: "the connection closed".into(),
                            }),
                        )
                    });
                    match self.reconnect(&mut failures, since, error).await {
                        Ok(c) => c,
                        Err(e) => break e,
                    }
                }
            };
            self.link.send_replace(LinkState::Connected);
            let mut c = c;
            let outcome = self.drive(&mut c).await;
            match outcome {
                Outcome::Shutdown => break InvocationError::Shutdown,
                Outcome::Fatal(e) => break e,
                Outcome::Lost(e) => {
                    self.session.connection_lost();
                    // A -404/-444 is a lost connection until it repeats on
                    // new connections (see `rejection`).
                    let code = match &e {
                        ConnectError::Transport { code, .. } => Some(*code),
                        _ => None,
                    };
                    if let Some(end) =
                        self.rejections
                            .connection_ended(&c.peer, c.authenticated, code)
                    {
                        break InvocationError::Connect(Arc::new(end));
                    }
                    let e = Arc::new(e);
                    lost = Some((SystemTime::now(), e.clone()));
                    warn!(dc = %self.config.dc, error = %e, pending = self.pending.len(), "connection lost");
                    // A connection that carried an authenticated packet
                    // resets the backoff; one that died silent, or carried
                    // only garbage or a transport error, counts as a failed
                    // attempt.
                    if c.authenticated {
                        failures = 0;
                    } else {
                        failures += 1;
                    }
                    if self.config.backoff.exhausted(failures) {
                        break InvocationError::Connect(e);
                    }
                }
            }
        };
        info!(dc = %self.config.dc, reason = %end, "sender stopped");
        self.pending.fail_all(end.clone());
        self.publish_waiting();
        self.rx.close();
        while let Ok(cmd) = self.rx.try_recv() {
            if let Command::Invoke { reply, .. } = cmd {
                let _ = reply.send(Err(end.clone()));
            }
        }
        end
    }

    /// Opens a new connection after backoff, still serving commands.
    /// Each scheduled and each started attempt is published as
    /// [`LinkState::Reconnecting`].
    async fn reconnect(
        &mut self,
        failures: &mut u32,
        since: SystemTime,
        mut last_error: Arc<ConnectError>,
    ) -> Result<Connection, InvocationError> {
        loop {
            let delay = self.config.backoff.delay(*failures, &mut self.rng);
            debug!(dc = %self.config.dc, ?delay, attempt = *failures + 1, "reconnecting");
            self.publish_reconnecting(*failures + 1, since, &last_error, Some(delay));
            let sleep = tokio::time::sleep(delay);
            tokio::pin!(sleep);
            loop {
                tokio::select! {
                    _ = &mut sleep => break,
                    cmd = self.rx.recv() => {
                        if !apply(&mut self.pending, &mut self.session, cmd) {
                            return Err(InvocationError::Shutdown);
                        }
                        self.publish_waiting();
                    }
                }
            }
            let (first, connecting) = match self
                .protocol
                .transport(&self.config.route)
                .and_then(start_transport)
            {
                Ok(t) => t,
                Err(e) => {
                    let e = transport_setup_error(&self.config, e);
                    return Err(InvocationError::Connect(Arc::new(e)));
                }
            };
            self.publish_reconnecting(*failures + 1, since, &last_error, None);
            let c = &self.config;
            let open = Connection::open(&c.dc, &c.route, c.connect_timeout, first, connecting);
            tokio::pin!(open);
            let result = loop {
                tokio::select! {
                    r = &mut open => break r,
                    cmd = self.rx.recv() => {
                        if !apply(&mut self.pending, &mut self.session, cmd) {
                            return Err(InvocationError::Shutdown);
                        }
                        self.publish_waiting();
                    }
                }
            };
            match result {
                Ok(conn) => return Ok(conn),
                Err(e) => {
                    *failures += 1;
                    warn!(dc = %self.config.dc, error = %e, failures = *failures, "reconnect failed");
                    let e = Arc::new(e);
                    if self.config.backoff.exhausted(*failures) {
                        return Err(InvocationError::Connect(e));
                    }
                    last_error = e;
                }
            }
        }
    }

    /// Runs one connection until it is lost or the sender stops.
    async fn drive(&mut self, conn: &mut Connection) -> Outcome {
        let ping_every = self.config.ping_interval;
        let mut ping =
            tokio::time::interval_at(tokio::time::Instant::now() + ping_every, ping_every);
        ping.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        let mut ping_deadline: Option<tokio::time::Instant> = None;
        // Wakes the loop so acks and other session output due by time (the
        // session's ack_delay) go out even when nothing else happens.
        let mut flush = tokio::time::interval(SESSION_TICK);
        flush.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        let delay_secs = i32::try_from(self.config.disconnect_delay.as_secs()).unwrap_or(i32::MAX);
        loop {
            self.publish_waiting();
            if let Some(end) = self.send_outgoing(conn).await {
                return end;
            }
            let dead_at = ping_deadline.unwrap_or_else(|| tokio::time::Instant::now() + ping_every);
            tokio::select! {
                cmd = self.rx.recv() => if !apply(&mut self.pending, &mut self.session, cmd) {
                    return Outcome::Shutdown;
                },
                packet = conn.recv() => match packet {
                    Ok(p) => {
                        ping_deadline = None;
                        if let Some(end) = self.take_packets(conn, p).await {
                            return end;
                        }
                    }
                    // Transport codes (-404, -444, -429) come here too: an
                    // unauthenticated frame only loses this connection.
                    Err(e) => return Outcome::Lost(conn.recv_error(e, &self.config.route, "a session")),
                },
                _ = ping.tick() => {
                    let ping_id = self.rng.i64(..);
                    self.session.ping_delay_disconnect(ping_id, delay_secs);
                    if ping_deadline.is_none() {
                        ping_deadline = Some(tokio::time::Instant::now() + self.config.ping_timeout);
                    }
                }
                _ = flush.tick() => {}
                _ = tokio::time::sleep_until(dead_at), if ping_deadline.is_some() => {
                    return Outcome::Lost(ConnectError::ConnectionLost {
                        peer: conn.peer.clone(),
                        detail: format!("no answer to a keepalive ping within {} s", self.config.ping_timeout.as_secs_f32()),
                    });
                }
            }
        }
    }

    /// Handles `first` and, when it is large and other requests are in
    /// flight, the packet right behind it if that one is large too: the two
    /// go to the session together, which decrypts them in one pass (file
    /// parts come in runs). The next packet is awaited at most
    /// [`PAIR_PATIENCE`]. `Some` ends the connection.
    async fn take_packets(&mut self, conn: &mut Connection, first: Vec<u8>) -> Option<Outcome> {
        let mut failed = None;
        let second = if first.len() >= PAIR_BYTES && self.pending.len() > 1 {
            conn.recv_within(PAIR_PATIENCE).await.unwrap_or_else(|e| {
                failed = Some(e);
                None
            })
        } else {
            None
        };
        // Requests callers made meanwhile (the next file parts, asked for
        // as the last ones arrived) go out before the decryption starts,
        // so the server works on them while we decrypt.
        if let Some(end) = self.send_requests(conn).await {
            return Some(end);
        }
        let now = SystemTime::now();
        let end = match second {
            Some(second) if second.len() >= PAIR_BYTES => {
                let (ra, rb) = self.session.handle_incoming_pair(now, first, second);
                self.take_result(conn, ra)
                    .or_else(|| rb.and_then(|rb| self.take_result(conn, rb)))
            }
            second => {
                let r = self.session.handle_incoming(now, first);
                self.take_result(conn, r).or_else(|| {
                    let r = self.session.handle_incoming(now, second?);
                    self.take_result(conn, r)
                })
            }
        };
        end.or_else(|| {
            failed.map(|e| Outcome::Lost(conn.recv_error(e, &self.config.route, "a session")))
        })
    }

    /// Takes the commands waiting in the channel and writes what the
    /// session has to send. `Some` ends the connection (or the sender).
    async fn send_requests(&mut self, conn: &mut Connection) -> Option<Outcome> {
        while let Ok(cmd) = self.rx.try_recv() {
            if !apply(&mut self.pending, &mut self.session, Some(cmd)) {
                return Some(Outcome::Shutdown);
            }
        }
        self.send_outgoing(conn).await
    }

    /// Writes what the session has to send; `Some` if the connection broke.
    async fn send_outgoing(&mut self, conn: &mut Connection) -> Option<Outcome> {
        while let Some(packet) = self.session.poll_outgoing(SystemTime::now()) {
            if let Err(e) = conn.send(&packet).await {
                return Some(Outcome::Lost(conn.recv_error(
                    RecvError::Io(e),
                    &self.config.route,
                    "sending",
                )));
            }
        }
        None
    }

    /// Dispatches a packet's events, or says how its error ends the
    /// connection (`Some`); a dropped packet is logged.
    fn take_result(&mut self, conn: &mut Connection, result: Handled) -> Option<Outcome> {
        match result {
            Ok(events) => {
                conn.authenticated = true;
                for e in events {
                    self.dispatch(e);
                }
                None
            }
            Err(e) => match e.severity {
                Severity::Fatal => Some(Outcome::Fatal(InvocationError::Protocol(e.message))),
                Severity::Reconnect => Some(Outcome::Lost(ConnectError::ConnectionLost {
                    peer: conn.peer.clone(),
                    detail: format!("{e}; the stream may have been tampered with"),
                })),
                // The session dropped the packet and is unchanged
                // (security_guidelines: ignore, do not react).
                Severity::Drop => {
                    warn!(dc = %self.config.dc, error = %e, "dropped an incoming packet");
                    None
                }
            },
        }
    }

    fn publish_reconnecting(
        &self,
        attempt: u32,
        since: SystemTime,
        last_error: &Arc<ConnectError>,
        delay: Option<Duration>,
    ) {
        self.link.send_replace(LinkState::Reconnecting {
            attempt,
            since,
            last_error: last_error.clone(),
            next_retry: delay.map(|d| SystemTime::now() + d),
        });
    }

    fn publish_waiting(&self) {
        self.shared
            .waiting
            .store(self.pending.len(), Ordering::Relaxed);
    }

    fn dispatch(&mut self, event: Event) {
        match event {
            Event::RpcResult { request, body } => {
                if !self.pending.complete(request, Ok(body)) {
                    debug!(request, "answer for a request nobody waits for");
                }
            }
            Event::RpcError { request, error } => {
                self.pending
                    .complete(request, Err(InvocationError::Rpc(error)));
            }
            Event::BadMessage { request, code } => {
                self.pending
                    .complete(request, Err(InvocationError::BadMessage { code }));
            }
            Event::Failed { request, reason } => {
                self.pending
                    .complete(request, Err(InvocationError::Protocol(reason)));
            }
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
