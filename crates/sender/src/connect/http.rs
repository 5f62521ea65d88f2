//! HTTP `CONNECT` tunnelling (RFC 9110 §9.3.6) with optional Basic
//! authentication (RFC 7617).
//!
//! Hand-written around `httparse` because the one tokio client crate for this
//! (`async-http-proxy`, unmaintained since 2022) reads the reply line by line
//! through its own `BufStream` — a single line is unbounded until it ends and
//! bytes after the header are lost with the buffer — and reports 407 only as
//! a bare status code. Some proxies (tinyproxy 1.11) answer a failed Basic
//! login with 401 instead of 407; both mean the credentials were missing or
//! rejected. Here the reply is read one byte at a time so nothing
//! past the blank line is consumed, the whole header is bounded by
//! [`MAX_REPLY_HEADER`], and the status line is parsed strictly.

use base64::Engine as _;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use zeroize::Zeroizing;

use super::{ConnectError, Credentials, Peer};

/// Largest reply header accepted from a proxy.
pub const MAX_REPLY_HEADER: usize = 8 * 1024;
const MAX_HEADERS: usize = 64;
const EXPECTED: &str = "an HTTP proxy";

pub(super) async fn handshake(
    mut stream: TcpStream,
    proxy: &Peer,
    target: &Peer,
    credentials: Option<&Credentials>,
) -> Result<TcpStream, ConnectError> {
    let authority = target.addr().to_string();
    // Everything holding the password (the `user:pass` pair, its Basic
    // token, the request) is wiped when dropped, on every path.
    let mut req = Zeroizing::new(format!(
        "CONNECT {authority} HTTP/1.1\r\nHost: {authority}\r\n"
    ));
    if let Some(c) = credentials {
        let mut pair = Zeroizing::new(String::with_capacity(
            c.username.len() + 1 + c.password.len(),
        ));
        pair.push_str(&c.username);
        pair.push(':');
        pair.push_str(&c.password);
        let token =
            Zeroizing::new(base64::engine::general_purpose::STANDARD.encode(pair.as_bytes()));
        req.reserve(32 + token.len());
        req.push_str("Proxy-Authorization: Basic ");
        req.push_str(&token);
        req.push_str("\r\n");
    }
    req.push_str("\r\n");
    let written = stream.write_all(req.as_bytes()).await;
    drop(req);
    written.map_err(|e| ConnectError::from_io(proxy, "HTTP CONNECT request", e))?;

    let head = read_head(&mut stream, proxy).await?;
    let (code, reason) = parse_status(&head, proxy)?;
    tracing::debug!(proxy = %proxy, code, "HTTP CONNECT reply");
    let target_ep = target.addr().clone();
    match code {
        200..=299 => Ok(stream),
        401 | 407 if credentials.is_some() => Err(ConnectError::ProxyAuthRejected {
            proxy: proxy.clone(),
        }),
        401 | 407 => Err(ConnectError::ProxyAuthRequired {
            proxy: proxy.clone(),
        }),
        502..=504 => Err(ConnectError::ProxyTargetUnreachable {
            proxy: proxy.clone(),
            target: target_ep,
            reason: format!("HTTP {code} {reason}"),
        }),
        _ => Err(ConnectError::ProxyRefusedTarget {
            proxy: proxy.clone(),
            target: target_ep,
            reason: format!("HTTP {code} {reason}"),
        }),
    }
}

/// Reads up to and including the blank line ending the reply header.
async fn read_head(stream: &mut TcpStream, proxy: &Peer) -> Result<Vec<u8>, ConnectError> {
    let mut head = Vec::with_capacity(256);
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") {
        if head.len() >= MAX_REPLY_HEADER {
            return Err(ConnectError::UnexpectedReply {
                peer: proxy.clone(),
                expected: EXPECTED,
                detail: format!("reply header longer than {MAX_REPLY_HEADER} bytes"),
            });
        }
        let n = stream
            .read(&mut byte)
            .await
            .map_err(|e| ConnectError::from_io(proxy, "HTTP CONNECT reply", e))?;
        if n == 0 {
            if head.is_empty() {
                return Err(ConnectError::ClosedDuringHandshake {
                    peer: proxy.clone(),
                    stage: "HTTP CONNECT reply",
                });
            }
            return Err(ConnectError::UnexpectedReply {
                peer: proxy.clone(),
                expected: EXPECTED,
                detail: format!(
                    "connection closed after {} bytes of reply header",
                    head.len()
                ),
            });
        }
        head.push(byte[0]);
        // Fail fast on a peer that is plainly not speaking HTTP.
        if head.len() == 5 && &head[..] != b"HTTP/" {
            return Err(ConnectError::UnexpectedReply {
                peer: proxy.clone(),
                expected: EXPECTED,
                detail: "reply does not start with \"HTTP/\"".into(),
            });
        }
    }
    Ok(head)
}

/// Parses the status line and headers; returns the code and reason phrase.
fn parse_status(head: &[u8], proxy: &Peer) -> Result<(u16, String), ConnectError> {
    let mut headers = [httparse::EMPTY_HEADER; MAX_HEADERS];
    let mut resp = httparse::Response::new(&mut headers);
    let bad = |detail: String| ConnectError::UnexpectedReply {
        peer: proxy.clone(),
        expected: EXPECTED,
        detail,
    };
    match resp.parse(head) {
        Ok(httparse::Status::Complete(_)) => {}
        Ok(httparse::Status::Partial) => return Err(bad("incomplete reply header".into())),
        Err(e) => return Err(bad(format!("malformed reply header: {e}"))),
    }
    let code = resp.code.ok_or_else(|| bad("no status code".into()))?;
    let reason: String = resp
        .reason
        .unwrap_or("")
        .chars()
        .filter(|c| !c.is_control())
        .take(80)
        .collect();
    Ok((code, reason))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::connect::Endpoint;

    fn proxy() -> Peer {
        Peer::Http(Endpoint::new("127.0.0.1", 3128))
    }

    #[test]
    fn status_line_parsed_strictly() {
        let (code, reason) = parse_status(
            b"HTTP/1.1 407 Proxy Authentication Required\r\n\r\n",
            &proxy(),
        )
        .expect("valid");
        assert_eq!(code, 407);
        assert_eq!(reason, "Proxy Authentication Required");
        assert!(parse_status(b"HTTP/1.1 2000 OK\r\n\r\n", &proxy()).is_err());
        assert!(parse_status(b"HTTP/2.0 200 OK\r\n\r\n", &proxy()).is_err());
        assert!(parse_status(b"HTTP/1.1 200 OK\r\nbad header\r\n\r\n", &proxy()).is_err());
    }
}
