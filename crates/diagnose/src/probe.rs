//! One probe: open the route, set up the transport, send `req_pq_multi`,
//! check the `resPQ` — every step timed, the whole bounded by one timeout.

use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use hearth_sender::connect::{ConnectError, Endpoint, Peer, Route};
use hearth_transport::framing::trim_mtproto_padding;
use hearth_transport::{
    ClientMode, Connecting, DcId, Frame, FramingKind, Pipeline, ProtocolTag, TransportError,
};
use rand::RngExt as _;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use crate::handshake::{msg_id_at, AnswerError, PqRequest};
use crate::ping::{ping, PingError, PingKey};
use crate::plan::{ProbeSpec, Transport};
use crate::proxy::ProxySpec;
use crate::verdict::{from_connect, Verdict};

/// How much of the peer's first bytes a result keeps for the details view.
const SNIFF_LEN: usize = 64;

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

fn client_mode(spec: &ProbeSpec, test: bool) -> ClientMode {
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

/// The peer our TCP stream ends at, as a user knows it.
fn far_end(spec: &ProbeSpec) -> String {
    match spec.proxy.as_deref() {
        Some(p @ ProxySpec::MtProxy { .. }) => p.label(),
        _ => dc_peer(spec).to_string(),
    }
}

fn io_verdict(spec: &ProbeSpec, e: &std::io::Error, received: bool) -> Verdict {
    use std::io::ErrorKind::*;
    if matches!(
        e.kind(),
        ConnectionReset | ConnectionAborted | BrokenPipe | UnexpectedEof
    ) {
        return closed(spec, received);
    }
    Verdict::Other {
        peer: far_end(spec),
        detail: e.to_string(),
    }
}

fn closed(spec: &ProbeSpec, received: bool) -> Verdict {
    match spec.proxy.as_deref() {
        Some(p @ ProxySpec::MtProxy { .. }) if !received => Verdict::MtProxyRejected {
            proxy: p.label(),
            closed: true,
        },
        _ if !received => Verdict::ClosedWithoutAnswer {
            peer: far_end(spec),
        },
        _ => Verdict::NotMtproto {
            peer: far_end(spec),
            detail: "it closed the connection after an incomplete answer".into(),
        },
    }
}

/// Names a web server from the first bytes it sent: an HTTP status line, or
/// an HTML page sent without headers (HTTP/0.9-style error pages, which
/// Python's http.server sends to a request line without a version).
fn web_answer(sniff: &[u8]) -> Option<String> {
    if sniff.starts_with(b"HTTP/") {
        let line = sniff
            .split(|b| *b == b'\r' || *b == b'\n')
            .next()
            .unwrap_or_default();
        return Some(format!(
            "an HTTP server answered \"{}\"",
            String::from_utf8_lossy(line)
        ));
    }
    let head = String::from_utf8_lossy(&sniff[..sniff.len().min(16)]).to_ascii_lowercase();
    (head.starts_with("<!doctype html") || head.starts_with("<html"))
        .then(|| "a web server answered with an HTML page".to_owned())
}

/// Describes bytes that are not MTProto.
fn describe_foreign(sniff: &[u8], why: &str) -> String {
    web_answer(sniff).unwrap_or_else(|| why.to_owned())
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
    let padded = matches!(
        spec.transport,
        Transport::PaddedIntermediate | Transport::MtProxyDd | Transport::MtProxyEe
    );
    let packet = if padded {
        trim_mtproto_padding(&packet)
            .map(<[u8]>::to_vec)
            .unwrap_or(packet)
    } else {
        packet
    };
    match request.check(&packet, &config.fingerprints) {
        Ok(answer) => {
            p.fingerprints = answer.fingerprints;
            p.end(true, format!("resPQ with known key {:#018x}", answer.known));
            match config.ping.as_ref().filter(|k| k.dc_id == spec.dc_id) {
                Some(key) => {
                    p.begin("ping");
                    match ping(key, &mut stream, &mut pipeline, padded).await {
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

/// Writes the transport's opening bytes (fake-TLS: and waits for the
/// proxy's ServerHello) and returns the ready pipeline.
async fn transport_start(
    spec: &ProbeSpec,
    config: &ProbeConfig,
    stream: &mut TcpStream,
) -> Result<Pipeline, Verdict> {
    let mut rng: rand::rngs::StdRng = rand::make_rng();
    let padding: Box<rand::rngs::StdRng> = Box::new(rand::make_rng());
    let unix = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as u32);
    let (first, connecting) = hearth_transport::connect(
        &mut rng,
        client_mode(spec, config.test_network),
        unix,
        padding,
    )
    .map_err(|e| Verdict::Other {
        peer: far_end(spec),
        detail: e.to_string(),
    })?;
    stream
        .write_all(&first)
        .await
        .map_err(|e| io_verdict(spec, &e, false))?;
    match connecting {
        Connecting::Ready(p) => Ok(p),
        Connecting::AwaitingServerHello(mut hello) => {
            let mut buf = [0u8; 4096];
            loop {
                let n = stream
                    .read(&mut buf)
                    .await
                    .map_err(|e| io_verdict(spec, &e, false))?;
                if n == 0 {
                    return Err(closed(spec, false));
                }
                match hello.feed(&buf[..n]) {
                    Ok(None) => continue,
                    Ok(Some((next, pipeline))) => {
                        stream
                            .write_all(&next)
                            .await
                            .map_err(|e| io_verdict(spec, &e, true))?;
                        return Ok(pipeline);
                    }
                    Err(e) => {
                        // A ServerHello that does not verify: the proxy does
                        // not hold our secret.
                        let proxy = spec
                            .proxy
                            .as_ref()
                            .map_or_else(|| far_end(spec), |p| p.label());
                        tracing::debug!(%proxy, error = %e, "fake-TLS answer rejected");
                        return Err(Verdict::MtProxyRejected {
                            proxy,
                            closed: false,
                        });
                    }
                }
            }
        }
    }
}

/// Reads until one packet arrives. Quick acks are skipped.
async fn read_packet(
    spec: &ProbeSpec,
    stream: &mut TcpStream,
    pipeline: &mut Pipeline,
) -> Result<Vec<u8>, Verdict> {
    let mut sniff = Vec::with_capacity(SNIFF_LEN);
    let mut buf = [0u8; 16 * 1024];
    loop {
        match pipeline.next_frame() {
            Ok(Some(Frame::Packet { payload, .. })) => return Ok(payload),
            Ok(Some(Frame::QuickAck(_))) => continue,
            Ok(None) => {}
            Err(TransportError::Server(code)) => {
                return Err(Verdict::TransportError {
                    peer: far_end(spec),
                    code: code.code(),
                })
            }
            Err(e) => {
                return Err(Verdict::NotMtproto {
                    peer: far_end(spec),
                    detail: describe_foreign(
                        &sniff,
                        &format!("the transport frame is invalid: {e}"),
                    ),
                })
            }
        }
        let n = match stream.read(&mut buf).await {
            Ok(n) => n,
            Err(e) => return Err(io_verdict(spec, &e, !sniff.is_empty())),
        };
        if n == 0 {
            if let Some(detail) = web_answer(&sniff) {
                return Err(Verdict::NotMtproto {
                    peer: far_end(spec),
                    detail,
                });
            }
            return Err(closed(spec, !sniff.is_empty()));
        }
        let room = SNIFF_LEN.saturating_sub(sniff.len());
        sniff.extend_from_slice(&buf[..n.min(room)]);
        if sniff.len() >= 16 {
            if let Some(detail) = web_answer(&sniff) {
                // Framing could wait for a length that never comes.
                return Err(Verdict::NotMtproto {
                    peer: far_end(spec),
                    detail,
                });
            }
        }
        if let Err(e) = pipeline.feed(&buf[..n]) {
            return Err(Verdict::NotMtproto {
                peer: far_end(spec),
                detail: describe_foreign(&sniff, &format!("the stream is not valid: {e}")),
            });
        }
    }
}

/// Maps a connect error for a probe.
///
/// Some HTTP proxies (tinyproxy 1.11) answer a failed Basic login to
/// `CONNECT` with 401 instead of 407; that is a credentials problem too.
pub fn connect_verdict(spec: &ProbeSpec, e: &ConnectError) -> Verdict {
    let label = spec.proxy.as_ref().map(|p| p.label());
    if let (
        ConnectError::ProxyRefusedTarget { reason, .. },
        Some(ProxySpec::Http { credentials, .. }),
    ) = (e, spec.proxy.as_deref())
    {
        if reason.starts_with("HTTP 401") {
            let proxy = label.unwrap_or_default();
            return if credentials.is_some() {
                Verdict::ProxyAuthRejected { proxy }
            } else {
                Verdict::ProxyAuthRequired { proxy }
            };
        }
    }
    from_connect(
        e,
        &dc_peer(spec).to_string(),
        label.as_deref(),
        spec.address.is_ipv6(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn web_answers_are_named() {
        assert_eq!(
            web_answer(b"HTTP/1.0 400 Bad Request\r\nServer: x").as_deref(),
            Some("an HTTP server answered \"HTTP/1.0 400 Bad Request\"")
        );
        assert!(web_answer(b"<!DOCTYPE HTML PUBLIC \"-//W3C").is_some());
        assert!(web_answer(b"<html><body>").is_some());
        assert_eq!(web_answer(&[0u8; 40]), None);
        assert_eq!(describe_foreign(b"\x05\x01", "binary"), "binary");
    }

    fn via(url: &str) -> ProbeSpec {
        ProbeSpec {
            dc_id: 2,
            media_only: false,
            address: "127.0.0.1:4002".parse().expect("addr"),
            family: crate::plan::Family::Ipv4,
            transport: Transport::Intermediate,
            proxy: Some(std::sync::Arc::new(ProxySpec::parse(url).expect("url"))),
        }
    }

    #[test]
    fn http_401_to_connect_is_a_credentials_problem() {
        let refused = |code: &str| ConnectError::ProxyRefusedTarget {
            proxy: Peer::Http(Endpoint::new("127.0.0.1", 8888)),
            target: Endpoint::new("127.0.0.1", 4002),
            reason: format!("HTTP {code}"),
        };
        let with = via("http://u:p@127.0.0.1:8888");
        let without = via("http://127.0.0.1:8888");
        assert_eq!(
            connect_verdict(&with, &refused("401 Unauthorized")).code(),
            "proxy_auth_rejected"
        );
        assert_eq!(
            connect_verdict(&without, &refused("401 Unauthorized")).code(),
            "proxy_auth_required"
        );
        let v = connect_verdict(&with, &refused("403 Forbidden"));
        assert_eq!(v.code(), "proxy_cannot_reach_dc");
        assert!(v.title().contains("DC 2 (127.0.0.1:4002)"));
    }
}
