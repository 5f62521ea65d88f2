//! One probe: open the route, set up the transport, send `req_pq_multi`,
//! check the `resPQ` — every step timed, the whole bounded by one timeout.

use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use hearth_sender::connect::{ConnectError, Endpoint, Peer, Route};
use hearth_transport::{ClientMode, DcId, FramingKind, ProtocolTag};
use rand::RngExt as _;
use tokio::io::AsyncWriteExt;
use tokio::net::TcpStream;

use crate::handshake::{msg_id_at, AnswerError, PqRequest};
use crate::ping::{ping, PingError, PingKey};
use crate::plan::{ProbeSpec, Transport};
use crate::proxy::ProxySpec;
use crate::verdict::{from_connect, Verdict};
use crate::wire::{far_end, io_verdict, read_packet, transport_start};

/// Settings shared by every probe of a sweep.
#[derive(Debug, Clone)]
pub struct ProbeConfig {
    /// Bound of one whole probe (connect, handshake, request, answer).
    pub timeout: Duration,
    /// Server key fingerprints a DC of the network must list.
    pub fingerprints: Vec<u64>,
    /// Test network: obfuscated2 headers carry the DC id + 10000.
    pub test_network: bool,
    /// With an auth key for one DC, its probes also time an encrypted ping.
    pub ping: Option<PingKey>,
}

/// One timed step of a probe.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct StepRecord {
    /// `connect`, `handshake`, `request`, `answer`.
    pub name: &'static str,
    /// Since the probe started, when the step began.
    #[serde(serialize_with = "ser_ms")]
    pub started: Duration,
    #[serde(serialize_with = "ser_ms")]
    pub took: Duration,
    pub ok: bool,
    pub detail: String,
}

fn ser_ms<S: serde::Serializer>(d: &Duration, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_f64(d.as_secs_f64() * 1000.0)
}

/// What one probe found.
#[derive(Debug, Clone)]
pub struct ProbeResult {
    pub spec: ProbeSpec,
    pub verdict: Verdict,
    /// TCP connect (through the proxy, handshake included) time.
    pub connect: Option<Duration>,
    /// From `req_pq_multi` written to `resPQ` read.
    pub rtt: Option<Duration>,
    /// Encrypted `ping` → `pong`, when a [`PingKey`] for this DC was given.
    pub ping_rtt: Option<Duration>,
    pub steps: Vec<StepRecord>,
    /// The server's key fingerprints when it answered with a `resPQ`.
    pub fingerprints: Vec<u64>,
    pub total: Duration,
}

impl ProbeResult {
    pub fn ok(&self) -> bool {
        self.verdict.is_ok()
    }
}

struct Progress {
    start: Instant,
    steps: Vec<StepRecord>,
    current: &'static str,
    step_start: Instant,
    connect: Option<Duration>,
    rtt: Option<Duration>,
    ping_rtt: Option<Duration>,
    fingerprints: Vec<u64>,
}

impl Progress {
    fn begin(&mut self, name: &'static str) {
        self.current = name;
        self.step_start = Instant::now();
    }

    fn end(&mut self, ok: bool, detail: impl Into<String>) -> Duration {
        let took = self.step_start.elapsed();
        self.steps.push(StepRecord {
            name: self.current,
            started: self.step_start - self.start,
            took,
            ok,
            detail: detail.into(),
        });
        took
    }
}

/// The DC as a peer named in messages.
pub fn dc_peer(spec: &ProbeSpec) -> Peer {
    Peer::Dc {
        id: Some(spec.dc_id),
        addr: Endpoint::from(spec.address),
    }
}

/// Runs one probe. Never fails: every failure becomes a [`Verdict`].
pub async fn run_probe(spec: ProbeSpec, config: &ProbeConfig) -> ProbeResult {
    let now = Instant::now();
    let mut p = Progress {
        start: now,
        steps: Vec::new(),
        current: "connect",
        step_start: now,
        connect: None,
        rtt: None,
        ping_rtt: None,
        fingerprints: Vec::new(),
    };
    let outcome = tokio::time::timeout(config.timeout, probe(&spec, config, &mut p)).await;
    let verdict = match outcome {
        Ok(v) => v,
        Err(_) => {
            p.end(
                false,
                format!("no answer within {} ms", config.timeout.as_millis()),
            );
            timed_out(&spec, p.current)
        }
    };
    ProbeResult {
        spec,
        verdict,
        connect: p.connect,
        rtt: p.rtt,
        ping_rtt: p.ping_rtt,
        steps: p.steps,
        fingerprints: p.fingerprints,
        total: p.start.elapsed(),
    }
}

fn timed_out(spec: &ProbeSpec, stage: &'static str) -> Verdict {
    let dc = dc_peer(spec).to_string();
    match (&spec.proxy, stage) {
        (Some(p), "handshake" | "answer") if matches!(**p, ProxySpec::MtProxy { .. }) => {
            Verdict::MtProxyRejected {
                proxy: p.label(),
                closed: false,
            }
        }
        (Some(p), "connect") => Verdict::TimedOut {
            peer: p.label(),
            stage,
        },
        _ => Verdict::TimedOut { peer: dc, stage },
    }
}

pub(crate) fn client_mode(spec: &ProbeSpec, test: bool) -> ClientMode {
    let dc = DcId {
        id: spec.dc_id.unsigned_abs() as u16,
        media: spec.media_only,
        test,
    };
    match (&spec.transport, spec.proxy.as_deref()) {
        (_, Some(ProxySpec::MtProxy { secret, .. })) => ClientMode::MtProxy {
            secret: secret.clone(),
            tag: ProtocolTag::Intermediate,
            dc,
        },
        (Transport::Abridged, _) => ClientMode::Plain(FramingKind::Abridged),
        (Transport::PaddedIntermediate, _) => ClientMode::Plain(FramingKind::PaddedIntermediate),
        (Transport::Obfuscated, _) => ClientMode::Obfuscated {
            tag: ProtocolTag::Intermediate,
            dc,
        },
        _ => ClientMode::Plain(FramingKind::Intermediate),
    }
}

async fn probe(spec: &ProbeSpec, config: &ProbeConfig, p: &mut Progress) -> Verdict {
    let dc = dc_peer(spec);
    let route = spec
        .proxy
        .as_deref()
        .map_or(Route::Direct, ProxySpec::route);

    p.begin("connect");
    let mut stream = match route.open(&dc, config.timeout).await {
        Ok(s) => s,
        Err(e) => {
            p.end(false, e.to_string());
            return connect_verdict(spec, &e);
        }
    };
    p.connect = Some(p.end(true, describe_stream(&stream)));

    p.begin("handshake");
    let mut pipeline = match transport_start(spec, config, &mut stream).await {
        Ok(pl) => pl,
        Err(v) => {
            p.end(false, v.title());
            return v;
        }
    };
    p.end(true, format!("{} transport ready", spec.transport.as_str()));

    p.begin("request");
    let mut rng: rand::rngs::StdRng = rand::make_rng();
    let nonce: [u8; 16] = rng.random();
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    let (request, payload) = PqRequest::new(nonce, msg_id_at(nanos));
    let mut out = Vec::new();
    if let Err(e) = pipeline.send(&payload, &mut out) {
        p.end(false, e.to_string());
        return Verdict::Other {
            peer: far_end(spec),
            detail: e.to_string(),
        };
    }
    if let Err(e) = stream.write_all(&out).await {
        p.end(false, e.to_string());
        return io_verdict(spec, &e, false);
    }
    p.end(true, "req_pq_multi sent");
    let sent_at = Instant::now();

    p.begin("answer");
    let packet = match read_packet(spec, &mut stream, &mut pipeline).await {
        Ok(pk) => pk,
        Err(v) => {
            p.end(false, v.title());
            return v;
        }
    };
    p.rtt = Some(sent_at.elapsed());
    match request.check(&packet, &config.fingerprints) {
        Ok(answer) => {
            p.fingerprints = answer.fingerprints;
            p.end(true, format!("resPQ with known key {:#018x}", answer.known));
            match config.ping.as_ref().filter(|k| k.dc_id == spec.dc_id) {
                Some(key) => {
                    p.begin("ping");
                    match ping(key, &mut stream, &mut pipeline).await {
                        Ok(rtt) => {
                            p.ping_rtt = Some(rtt);
                            p.end(true, "pong");
                            Verdict::Ok { dc: dc.to_string() }
                        }
                        Err(e) => {
                            p.end(false, e.to_string());
                            let peer = far_end(spec);
                            match e {
                                PingError::Transport(code) => {
                                    Verdict::TransportError { peer, code }
                                }
                                PingError::Closed => Verdict::ClosedWithoutAnswer { peer },
                                PingError::Other(detail) => Verdict::Other { peer, detail },
                            }
                        }
                    }
                }
                None => Verdict::Ok { dc: dc.to_string() },
            }
        }
        Err(e) => {
            p.end(false, e.to_string());
            if let AnswerError::UnknownFingerprint(f) = &e {
                p.fingerprints = f.clone();
            }
            let peer = far_end(spec);
            match e {
                AnswerError::UnknownFingerprint(_) => Verdict::UnknownServerKey {
                    peer,
                    detail: e.to_string(),
                },
                _ => Verdict::NotMtproto {
                    peer,
                    detail: e.to_string(),
                },
            }
        }
    }
}

fn describe_stream(s: &TcpStream) -> String {
    match (s.local_addr(), s.peer_addr()) {
        (Ok(l), Ok(r)) => format!("{l} → {r}"),
        _ => "connected".into(),
    }
}

/// Maps a connect error for a probe.
pub fn connect_verdict(spec: &ProbeSpec, e: &ConnectError) -> Verdict {
    let label = spec.proxy.as_ref().map(|p| p.label());
    from_connect(
        e,
        &dc_peer(spec).to_string(),
        label.as_deref(),
        spec.address.is_ipv6(),
    )
}

#[cfg(test)]
#[path = "probe_tests.rs"]
mod tests;
