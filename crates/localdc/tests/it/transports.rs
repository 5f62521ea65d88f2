//! Transport detection over real TCP: every framing, plain and obfuscated2,
//! answered with a correct `resPQ` to `req_pq_multi`.

use crate::common::tl::{Reader, Writer};
use crate::common::*;
use hearth_crypto::factorize::is_prime_u64 as is_prime;

fn req_pq_multi(nonce: [u8; 16]) -> Vec<u8> {
    let mut w = Writer::new();
    w.id(0xbe7e8ef1).raw(&nonce);
    w.finish()
}

async fn check_res_pq(client: &mut RawClient, fingerprint: i64) {
    let nonce: [u8; 16] = std::array::from_fn(|i| i as u8 * 3 + 1);
    let body = client.plain_call(&req_pq_multi(nonce)).await;
    let mut r = Reader::new(&body);
    r.expect(0x05162463, "resPQ").unwrap();
    assert_eq!(r.array::<16>().unwrap(), nonce, "resPQ echoes the nonce");
    let server_nonce = r.array::<16>().unwrap();
    assert_ne!(server_nonce, [0u8; 16]);
    let pq_bytes = r.bytes().unwrap();
    assert_eq!(pq_bytes.len(), 8);
    let pq = u64::from_be_bytes(pq_bytes.try_into().unwrap());
    let (p, q) = hearth_crypto::factorize::factorize(pq).expect("pq factors");
    assert!(
        is_prime(p) && is_prime(q) && p != q && p * q == pq,
        "pq is a product of two distinct primes"
    );
    assert_eq!(r.vec_long().unwrap(), vec![fingerprint]);
}

#[tokio::test]
async fn every_plain_transport_is_detected() {
    let dc = start_demo().await;
    let addr = dc.dc_addr(2).unwrap();
    for framing in ALL_FRAMINGS {
        let mut client = RawClient::connect(addr, framing, None).await;
        check_res_pq(&mut client, dc.key().fingerprint()).await;
        // A second packet on the same connection keeps the framing state (full: seqno 1).
        check_res_pq(&mut client, dc.key().fingerprint()).await;
    }
    dc.shutdown().await;
}

#[tokio::test]
async fn every_obfuscated_transport_is_detected_including_media_and_test_dc_ids() {
    let dc = start_demo().await;
    for framing in [
        Framing::Abridged,
        Framing::Intermediate,
        Framing::PaddedIntermediate,
    ] {
        for (addr, dc_id) in [
            (dc.dc_addr(2).unwrap(), 2i16),
            (dc.dc_addr(3).unwrap(), 10003),
            (dc.media_addr(4).unwrap(), -4),
        ] {
            let mut client = RawClient::connect(addr, framing, Some(dc_id)).await;
            check_res_pq(&mut client, dc.key().fingerprint()).await;
        }
    }
    dc.shutdown().await;
}

#[tokio::test]
async fn unknown_auth_key_gets_transport_error_404_and_close() {
    let dc = start_demo().await;
    let mut client = RawClient::connect(dc.dc_addr(1).unwrap(), Framing::Intermediate, None).await;
    let mut packet = 0x1122334455667788u64.to_le_bytes().to_vec();
    packet.extend_from_slice(&[0u8; 64]);
    client.send(&packet).await;
    let reply = client.recv().await.expect("a transport error packet");
    assert_eq!(reply, (-404i32).to_le_bytes());
    assert_eq!(client.recv().await, None, "connection closed after -404");
    dc.shutdown().await;
}

#[tokio::test]
async fn http_requests_are_refused() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let dc = start_demo().await;
    let mut s = tokio::net::TcpStream::connect(dc.dc_addr(1).unwrap())
        .await
        .unwrap();
    s.write_all(b"POST /api HTTP/1.1\r\n\r\n").await.unwrap();
    let mut buf = [0u8; 16];
    let n = tokio::time::timeout(std::time::Duration::from_secs(5), s.read(&mut buf))
        .await
        .unwrap()
        .unwrap_or(0);
    assert_eq!(n, 0, "server closes HTTP connections without answering");
    dc.shutdown().await;
}

#[tokio::test]
async fn an_mtproxy_endpoint_serves_the_dc_its_clients_name() {
    use hearth_transport::{ClientMode, DcId, MtProxySecret, ProtocolTag};
    let secret = "dd00112233445566778899aabbccddeeff";
    let mut world = localdc::world::World::parse(DEMO_WORLD, "demo.toml").unwrap();
    world.server.mtproxy_secret = Some(secret.into());
    let dc = localdc::LocalDc::start(localdc::Config {
        world,
        rsa_key: Some(test_key()),
        ..localdc::Config::default()
    })
    .await
    .unwrap();
    let proxy = dc.mtproxy_addr().expect("an MTProxy endpoint");
    let mode = |dc_id: u16, secret: &str| ClientMode::MtProxy {
        secret: MtProxySecret::parse(secret).unwrap(),
        tag: ProtocolTag::PaddedIntermediate,
        dc: DcId::new(dc_id),
    };
    for id in [2, 4] {
        let mut client = RawClient::connect_mode(proxy, mode(id, secret)).await;
        check_res_pq(&mut client, dc.key().fingerprint()).await;
    }
    // A DC localdc does not serve: transport error -444.
    let mut client = RawClient::connect_mode(proxy, mode(9, secret)).await;
    client.send(&req_pq_multi([1; 16])).await;
    assert_eq!(client.recv().await, Some((-444i32).to_le_bytes().to_vec()));
    // Another secret cannot even be deobfuscated: closed without an answer.
    let mut client =
        RawClient::connect_mode(proxy, mode(2, "dd0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f")).await;
    client.send(&req_pq_multi([1; 16])).await;
    assert_eq!(client.recv().await, None);
    assert!(
        localdc::world::World::parse("[server]\nmtproxy_secret = \"zz\"\n", "bad.toml").is_err()
    );
    dc.shutdown().await;
}
