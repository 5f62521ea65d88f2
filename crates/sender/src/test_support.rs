//! Tiny loopback servers for tests of this crate and of the crates built on
//! it (enabled by the `test-support` feature): an echo target, a SOCKS5
//! proxy (RFC 1928/1929) and an HTTP CONNECT proxy that really dial the
//! requested target, plus misbehaving peers. Every server listens on
//! loopback only and runs on the current tokio runtime; they panic if a
//! loopback port cannot be bound, which only a broken test host causes.

use std::net::SocketAddr;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

async fn listen() -> (TcpListener, SocketAddr) {
    listen_on("127.0.0.1:0").await
}

async fn listen_on(addr: &str) -> (TcpListener, SocketAddr) {
    let l = TcpListener::bind(addr).await.expect("bind loopback");
    let a = l.local_addr().expect("local addr");
    (l, a)
}

/// A port on which nothing listens (bound, then released).
pub async fn closed_port() -> SocketAddr {
    let (l, a) = listen().await;
    drop(l);
    a
}

/// Echoes everything back.
pub async fn echo_server() -> SocketAddr {
    let (l, a) = listen().await;
    tokio::spawn(async move {
        while let Ok((mut s, _)) = l.accept().await {
            tokio::spawn(async move {
                let (mut r, mut w) = s.split();
                let _ = tokio::io::copy(&mut r, &mut w).await;
            });
        }
    });
    a
}

/// Accepts and then never says anything (connections stay open).
pub async fn silent_server() -> SocketAddr {
    silent_on(listen().await)
}

/// [`silent_server`] on `[::1]`.
pub async fn silent_server_v6() -> SocketAddr {
    silent_on(listen_on("[::1]:0").await)
}

fn silent_on((l, a): (TcpListener, SocketAddr)) -> SocketAddr {
    tokio::spawn(async move {
        let mut held = Vec::new();
        while let Ok((s, _)) = l.accept().await {
            held.push(s);
        }
    });
    a
}

/// Accepts and answers every connection with `reply`, then closes.
pub async fn reply_server(reply: &'static [u8]) -> SocketAddr {
    let (l, a) = listen().await;
    tokio::spawn(async move {
        while let Ok((mut s, _)) = l.accept().await {
            let mut buf = [0u8; 512];
            let _ = s.read(&mut buf).await;
            let _ = s.write_all(reply).await;
            let _ = s.shutdown().await;
        }
    });
    a
}

/// Accepts and closes at once.
pub async fn closing_server() -> SocketAddr {
    let (l, a) = listen().await;
    tokio::spawn(async move {
        while let Ok((s, _)) = l.accept().await {
            drop(s);
        }
    });
    a
}

async fn relay(mut client: TcpStream, mut upstream: TcpStream) {
    let _ = tokio::io::copy_bidirectional(&mut client, &mut upstream).await;
}

/// A SOCKS5 proxy; with `creds` it demands username/password auth.
pub async fn socks5_server(creds: Option<(&'static str, &'static str)>) -> SocketAddr {
    let (l, a) = listen().await;
    tokio::spawn(async move {
        while let Ok((s, _)) = l.accept().await {
            tokio::spawn(socks5_session(s, creds));
        }
    });
    a
}

async fn socks5_session(mut s: TcpStream, creds: Option<(&str, &str)>) -> std::io::Result<()> {
    let mut hdr = [0u8; 2];
    s.read_exact(&mut hdr).await?;
    let mut methods = vec![0u8; hdr[1] as usize];
    s.read_exact(&mut methods).await?;
    let want = if creds.is_some() { 2 } else { 0 };
    if !methods.contains(&want) {
        s.write_all(&[5, 0xff]).await?;
        return Ok(());
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
        let ok = u == user.as_bytes() && p == pass.as_bytes();
        s.write_all(&[1, if ok { 0 } else { 1 }]).await?;
        if !ok {
            return Ok(());
        }
    }
    let mut req = [0u8; 4];
    s.read_exact(&mut req).await?;
    let host = match req[3] {
        1 => {
            let mut ip = [0u8; 4];
            s.read_exact(&mut ip).await?;
            std::net::Ipv4Addr::from(ip).to_string()
        }
        4 => {
            let mut ip = [0u8; 16];
            s.read_exact(&mut ip).await?;
            std::net::Ipv6Addr::from(ip).to_string()
        }
        _ => {
            let mut n = [0u8; 1];
            s.read_exact(&mut n).await?;
            let mut name = vec![0u8; n[0] as usize];
            s.read_exact(&mut name).await?;
            String::from_utf8_lossy(&name).into_owned()
        }
    };
    let mut port = [0u8; 2];
    s.read_exact(&mut port).await?;
    let port = u16::from_be_bytes(port);
    match TcpStream::connect((host.as_str(), port)).await {
        Ok(up) => {
            s.write_all(&[5, 0, 0, 1, 127, 0, 0, 1, 0, 0]).await?;
            relay(s, up).await;
        }
        Err(_) => s.write_all(&[5, 5, 0, 1, 0, 0, 0, 0, 0, 0]).await?,
    }
    Ok(())
}

/// An HTTP CONNECT proxy; with `creds` it answers 407 unless the matching
/// `Proxy-Authorization: Basic` header is sent. A target it cannot reach
/// gets 502.
pub async fn http_proxy_server(creds: Option<&'static str>) -> SocketAddr {
    let (l, a) = listen().await;
    tokio::spawn(async move {
        while let Ok((s, _)) = l.accept().await {
            tokio::spawn(http_session(s, creds));
        }
    });
    a
}

async fn http_session(mut s: TcpStream, creds: Option<&str>) -> std::io::Result<()> {
    let mut head = Vec::new();
    let mut b = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") {
        if s.read(&mut b).await? == 0 {
            return Ok(());
        }
        head.push(b[0]);
    }
    let text = String::from_utf8_lossy(&head).into_owned();
    let target = text
        .strip_prefix("CONNECT ")
        .and_then(|r| r.split(' ').next())
        .unwrap_or("")
        .to_owned();
    if let Some(c) = creds {
        use base64::Engine as _;
        let expected = format!(
            "Proxy-Authorization: Basic {}\r\n",
            base64::engine::general_purpose::STANDARD.encode(c)
        );
        if !text.contains(&expected) {
            s.write_all(b"HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm=\"t\"\r\nContent-Length: 0\r\n\r\n").await?;
            return Ok(());
        }
    }
    let target = target.replace(['[', ']'], "");
    let (host, port) = target.rsplit_once(':').unwrap_or(("", "0"));
    let port: u16 = port.parse().unwrap_or(0);
    match TcpStream::connect((host, port)).await {
        Ok(up) => {
            s.write_all(b"HTTP/1.1 200 Connection established\r\n\r\n")
                .await?;
            relay(s, up).await;
        }
        Err(_) => {
            s.write_all(b"HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\n\r\n")
                .await?
        }
    }
    Ok(())
}
