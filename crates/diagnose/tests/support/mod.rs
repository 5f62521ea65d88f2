//! Loopback servers for probe tests and the sweep benchmark: localdc in
//! process, an HTTP server and an MTProxy that forwards to localdc; the
//! closed and silent ports and the SOCKS5 and HTTP CONNECT proxies are
//! `hearth-sender`'s (`test-support` feature). Each is deliberately minimal
//! and serves loopback only.
#![allow(dead_code)]

use std::net::SocketAddr;
use std::sync::Arc;

use hearth_diagnose::Network;
use hearth_transport::{AcceptConfig, Acceptor, ClientMode, Connecting, Frame, FramingKind};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

// Each user (tests, the sweep benchmark) takes some of these.
#[allow(unused_imports)]
pub use hearth_sender::test_support::{
    closed_port, http_proxy_server, silent_server, silent_server_v6, socks5_server,
};

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
            // Padded intermediate has already stripped its padding.
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
