//! The probe's bytes on the wire: transport set-up (with the fake-TLS
//! answer for `ee` proxies), reading one packet, and turning what went wrong
//! there into a [`Verdict`].

use std::time::{SystemTime, UNIX_EPOCH};

use hearth_transport::{Connecting, Frame, Pipeline, TransportError};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use crate::plan::ProbeSpec;
use crate::probe::{client_mode, dc_peer, ProbeConfig};
use crate::proxy::ProxySpec;
use crate::verdict::Verdict;

/// How much of the peer's first bytes are kept to recognise a web server.
const SNIFF_LEN: usize = 64;

/// The peer our TCP stream ends at, as a user knows it.
pub(crate) fn far_end(spec: &ProbeSpec) -> String {
    match spec.proxy.as_deref() {
        Some(p @ ProxySpec::MtProxy { .. }) => p.label(),
        _ => dc_peer(spec).to_string(),
    }
}

pub(crate) fn io_verdict(spec: &ProbeSpec, e: &std::io::Error, received: bool) -> Verdict {
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

pub(crate) fn closed(spec: &ProbeSpec, received: bool) -> Verdict {
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
pub(crate) fn web_answer(sniff: &[u8]) -> Option<String> {
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
pub(crate) fn describe_foreign(sniff: &[u8], why: &str) -> String {
    web_answer(sniff).unwrap_or_else(|| why.to_owned())
}

/// Writes the transport's opening bytes (fake-TLS: and waits for the
/// proxy's ServerHello) and returns the ready pipeline.
pub(crate) async fn transport_start(
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
pub(crate) async fn read_packet(
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
}
