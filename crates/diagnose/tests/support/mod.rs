//! Loopback servers for probe tests and the sweep benchmark: localdc in
//! process, a closed port, a silent port, an HTTP server, a SOCKS5 proxy
//! (RFC 1928/1929), an HTTP CONNECT proxy and an MTProxy that forwards to
//! localdc. Each is deliberately minimal and serves 127.0.0.1 only.
#![allow(dead_code)]

use std::net::SocketAddr;
use std::sync::Arc;

use hearth_diagnose::Network;
use hearth_transport::{AcceptConfig, Acceptor, ClientMode, Connecting, Frame, FramingKind};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

pub async fn localdc() -> (localdc::LocalDc, Network) {
    let dc = localdc::LocalDc::start(localdc::Config::default())
        .await
        .expect("localdc starts");
    let line = serde_json::to_string(&dc.announcement()).expect("announcement");
    let net = Network::from_localdc_line(&line).expect("announcement parses");
    (dc, net)
}

async fn listener() -> TcpListener {
    TcpListener::bind("127.0.0.1:0").await.expect("bind")
}

/// A port nothing listens on.
pub async fn closed_port() -> SocketAddr {
    let l = listener().await;
    l.local_addr().expect("addr")
}

/// Accepts and never answers (connections stay open).
pub async fn silent_server() -> SocketAddr {
    silent_on(listener().await)
}

/// [`silent_server`] on `[::1]`.
pub async fn silent_server_v6() -> SocketAddr {
    silent_on(TcpListener::bind("[::1]:0").await.expect("bind ::1"))
}

fn silent_on(l: TcpListener) -> SocketAddr {
    let addr = l.local_addr().expect("addr");
    tokio::spawn(async move {
        let mut held = Vec::new();
        while let Ok((s, _)) = l.accept().await {
            held.push(s);
        }
    });
    addr
}

/// Answers whatever it gets with an HTTP 400 and closes.
pub async fn http_server() -> SocketAddr {
    web_server(false).await
}

/// Reads a request line (up to `\n`) first, as real web servers do, then
/// answers HTTP 400 and closes.
pub async fn http_line_server() -> SocketAddr {
    web_server(true).await
}

async fn web_server(wait_for_line: bool) -> SocketAddr {
    let l = listener().await;
    let addr = l.local_addr().expect("addr");
    tokio::spawn(async move {
        while let Ok((mut s, _)) = l.accept().await {
            tokio::spawn(async move {
                let mut buf = [0u8; 1024];
                loop {
                    match s.read(&mut buf).await {
                        Ok(0) | Err(_) => return,
                        Ok(n) if !wait_for_line || buf[..n].contains(&b'\n') => break,
                        Ok(_) => continue,
                    }
                }
                let body = "<html><body>Bad request</body></html>";
                let reply = format!(
                    "HTTP/1.0 400 Bad Request\r\nContent-Type: text/html\r\nContent-Length: {}\r\n\r\n{body}",
                    body.len()
                );
                let _ = s.write_all(reply.as_bytes()).await;
            });
        }
    });
    addr
}

async fn splice(a: TcpStream, b: TcpStream) {
    let (mut ar, mut aw) = a.into_split();
    let (mut br, mut bw) = b.into_split();
    let _ = tokio::join!(
        tokio::io::copy(&mut ar, &mut bw),
        tokio::io::copy(&mut br, &mut aw)
    );
}

/// A SOCKS5 proxy; with `creds` it demands username/password auth.
pub async fn socks5_proxy(creds: Option<(&'static str, &'static str)>) -> SocketAddr {
    let l = listener().await;
    let addr = l.local_addr().expect("addr");
    tokio::spawn(async move {
        while let Ok((s, _)) = l.accept().await {
            tokio::spawn(socks5_session(s, creds));
        }
    });
    addr
}

async fn socks5_session(mut s: TcpStream, creds: Option<(&str, &str)>) -> std::io::Result<()> {
    let mut head = [0u8; 2];
    s.read_exact(&mut head).await?;
    let mut methods = vec![0u8; head[1] as usize];
    s.read_exact(&mut methods).await?;
    let want = if creds.is_some() { 2 } else { 0 };
    if !methods.contains(&want) {
        return s.write_all(&[5, 0xff]).await;
    }
    s.write_all(&[5, want]).await?;
    if let Some((user, pass)) = creds {
        let mut v = [0u8; 2];
        s.read_exact(&mut v).await?;
        let mut u = vec![0u8; v[1] as usize];
        s.read_exact(&mut u).await?;
        let mut pl = [0u8; 1];
        s.read_exact(&mut pl).await?;
        let mut p = vec![0u8; pl[0] as usize];
        s.read_exact(&mut p).await?;
        if u != user.as_bytes() || p != pass.as_bytes() {
            return s.write_all(&[1, 1]).await;
        }
        s.write_all(&[1, 0]).await?;
    }
    let mut req = [0u8; 4];
    s.read_exact(&mut req).await?;
    let target: SocketAddr = match req[3] {
        1 => {
            let mut a = [0u8; 6];
            s.read_exact(&mut a).await?;
            SocketAddr::from(([a[0], a[1], a[2], a[3]], u16::from_be_bytes([a[4], a[5]])))
        }
        4 => {
            let mut a = [0u8; 18];
            s.read_exact(&mut a).await?;
            let ip: [u8; 16] = a[..16].try_into().unwrap_or_default();
            SocketAddr::from((ip, u16::from_be_bytes([a[16], a[17]])))
        }
        _ => return s.write_all(&[5, 8, 0, 1, 0, 0, 0, 0, 0, 0]).await,
    };
    match TcpStream::connect(target).await {
        Ok(up) => {
            s.write_all(&[5, 0, 0, 1, 127, 0, 0, 1, 0, 0]).await?;
            splice(s, up).await;
            Ok(())
        }
        Err(_) => s.write_all(&[5, 5, 0, 1, 0, 0, 0, 0, 0, 0]).await,
    }
}

/// An HTTP CONNECT proxy; with `basic` (base64 of user:pass) it demands
/// that Proxy-Authorization.
pub async fn http_proxy(basic: Option<&'static str>) -> SocketAddr {
    let l = listener().await;
    let addr = l.local_addr().expect("addr");
    tokio::spawn(async move {
        while let Ok((s, _)) = l.accept().await {
            tokio::spawn(http_session(s, basic));
        }
    });
    addr
}

async fn http_session(mut s: TcpStream, basic: Option<&str>) -> std::io::Result<()> {
    let mut head = Vec::new();
    let mut b = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") && head.len() < 8192 {
        if s.read(&mut b).await? == 0 {
            return Ok(());
        }
        head.push(b[0]);
    }
    let text = String::from_utf8_lossy(&head).to_string();
    if let Some(token) = basic {
        if !text.contains(&format!("Proxy-Authorization: Basic {token}")) {
            return s
                .write_all(b"HTTP/1.1 407 Proxy Authentication Required\r\n\r\n")
                .await;
        }
    }
    let target = text
        .split_whitespace()
        .nth(1)
        .and_then(|t| t.parse::<SocketAddr>().ok());
    let Some(target) = target else {
        return s.write_all(b"HTTP/1.1 400 Bad Request\r\n\r\n").await;
    };
    match TcpStream::connect(target).await {
        Ok(up) => {
            s.write_all(b"HTTP/1.1 200 Connection established\r\n\r\n")
                .await?;
            splice(s, up).await;
            Ok(())
        }
        Err(_) => s.write_all(b"HTTP/1.1 502 Bad Gateway\r\n\r\n").await,
    }
}

/// An MTProxy with `secret` that forwards each client to the localdc DC
/// named in its obfuscated2 header, over plain intermediate framing.
/// A client whose handshake does not verify is disconnected.
pub async fn mtproxy(secret: hearth_transport::MtProxySecret, network: &Network) -> SocketAddr {
    let l = listener().await;
    let addr = l.local_addr().expect("addr");
    let dcs: Arc<Vec<(i32, SocketAddr)>> = Arc::new(
        network
            .endpoints
            .iter()
            .filter(|e| !e.media_only)
            .map(|e| (e.dc_id, SocketAddr::new(e.ip, e.port)))
            .collect(),
    );
    tokio::spawn(async move {
        while let Ok((s, _)) = l.accept().await {
            let secret = secret.clone();
            let dcs = dcs.clone();
            tokio::spawn(async move {
                if let Err(e) = mtproxy_session(s, secret, &dcs).await {
                    eprintln!("test mtproxy: {e}");
                }
            });
        }
    });
    addr
}

fn now() -> u32 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as u32)
}

async fn mtproxy_session(
    mut client: TcpStream,
    secret: hearth_transport::MtProxySecret,
    dcs: &[(i32, SocketAddr)],
) -> std::io::Result<()> {
    let mut rng: rand::rngs::StdRng = rand::make_rng();
    let mut acceptor = Acceptor::new(
        AcceptConfig::proxy(secret),
        Box::new(rand::make_rng::<rand::rngs::StdRng>()),
    );
    let mut buf = vec![0u8; 16 * 1024];
    let accepted = loop {
        let n = client.read(&mut buf).await?;
        if n == 0 {
            return Ok(());
        }
        let mut out = Vec::new();
        match acceptor.feed(&mut rng, &buf[..n], now(), &mut out) {
            Ok(done) => {
                client.write_all(&out).await?;
                if let Some(a) = done {
                    break a;
                }
            }
            // Wrong secret or mode: hang up, as MTProxy servers do.
            Err(_) => return Ok(()),
        }
    };
    let dc_id = accepted.dc.map_or(2, |d| i32::from(d.id));
    let Some(&(_, dc_addr)) = dcs.iter().find(|(id, _)| *id == dc_id) else {
        return Ok(());
    };
    let mut up = TcpStream::connect(dc_addr).await?;
    let padding = Box::new(rand::make_rng::<rand::rngs::StdRng>());
    let (preamble, Connecting::Ready(mut up_pipe)) = hearth_transport::connect(
        &mut rng,
        ClientMode::Plain(FramingKind::Intermediate),
        now(),
        padding,
    )
    .map_err(std::io::Error::other)?
    else {
        return Ok(());
    };
    up.write_all(&preamble).await?;
    let mut down_pipe = accepted.pipeline;
    let padded = accepted.kind == FramingKind::PaddedIntermediate;
    let mut ubuf = vec![0u8; 16 * 1024];
    // Bytes that came with the handshake are already in the pipeline.
    let mut n = 0;
    loop {
        if n > 0 {
            down_pipe.feed(&buf[..n]).map_err(std::io::Error::other)?;
        }
        while let Some(Frame::Packet { payload, .. }) =
            down_pipe.next_frame().map_err(std::io::Error::other)?
        {
            let payload = if padded {
                hearth_transport::framing::trim_mtproto_padding(&payload)
                    .map(<[u8]>::to_vec)
                    .unwrap_or(payload)
            } else {
                payload
            };
            let mut out = Vec::new();
            up_pipe
                .send(&payload, &mut out)
                .map_err(std::io::Error::other)?;
            up.write_all(&out).await?;
        }
        tokio::select! {
            r = client.read(&mut buf) => {
                n = r?;
                if n == 0 { return Ok(()); }
            }
            r = up.read(&mut ubuf) => {
                n = 0;
                let r = r?;
                if r == 0 { return Ok(()); }
                up_pipe.feed(&ubuf[..r]).map_err(std::io::Error::other)?;
                while let Some(Frame::Packet { payload, .. }) = up_pipe.next_frame().map_err(std::io::Error::other)? {
                    let mut out = Vec::new();
                    down_pipe.send(&payload, &mut out).map_err(std::io::Error::other)?;
                    client.write_all(&out).await?;
                }
            }
        }
    }
}
