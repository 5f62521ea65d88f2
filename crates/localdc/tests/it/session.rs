//! Encrypted-session behaviour seen from a raw client: new_session_created,
//! ping/pong, containers, salts and future_salts, bad_msg_notification codes,
//! destroy_session and gzip_packed requests. The key is created by
//! hearth-mtproto's sans-IO `Authenticator` over a raw TCP connection.

use std::time::{SystemTime, UNIX_EPOCH};

use crate::common::tl::{Reader, Writer};
use crate::common::*;
use hearth_crypto::message::{self, Side};
use hearth_crypto::AuthKey;
use hearth_mtproto::auth::{Authenticator, KeyParams, KeyTable, Step};
use hearth_mtproto::UnixTime;

fn now() -> UnixTime {
    let d = SystemTime::now().duration_since(UNIX_EPOCH).unwrap();
    UnixTime::new(d.as_secs() as i64, d.subsec_nanos())
}

fn now_secs() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
}

struct Client {
    raw: RawClient,
    key: AuthKey,
    hearth_key: hearth_mtproto::AuthKey,
    salt: i64,
    session_id: i64,
    last_msg_id: i64,
}

/// A received message: (msg_id, seqno, body).
type Msg = (i64, i32, Vec<u8>);

impl Client {
    async fn new(addr: std::net::SocketAddr, pem: &str) -> Self {
        Self::with_params(addr, pem, KeyParams::permanent(2)).await
    }

    async fn with_params(addr: std::net::SocketAddr, pem: &str, params: KeyParams) -> Self {
        let mut raw = RawClient::connect(addr, Framing::Intermediate, None).await;
        let mut keys = KeyTable::empty();
        keys.add_pem(pem).unwrap();
        let mut rng: rand::rngs::StdRng = rand::make_rng();
        let (mut auth, first) = Authenticator::start(now(), params, keys, &mut rng);
        raw.send(&first).await;
        let result = loop {
            let packet = raw.recv().await.expect("handshake answer");
            match auth
                .handle(now(), &packet, &mut rng)
                .expect("handshake step")
            {
                Step::Send(p) => raw.send(&p).await,
                Step::Done(r) => break r,
            }
        };
        Self {
            raw,
            key: result.auth_key.clone(),
            hearth_key: result.auth_key.clone(),
            salt: result.salt,
            session_id: 0x5e55_1011,
            last_msg_id: 0,
        }
    }

    fn next_msg_id(&mut self) -> i64 {
        let id = (now_secs() << 32).max(self.last_msg_id + 4);
        self.last_msg_id = id;
        id
    }

    async fn send_raw(&mut self, salt: i64, msg_id: i64, seqno: i32, body: &[u8]) {
        let mut w = Writer::new();
        w.long(salt)
            .long(self.session_id)
            .long(msg_id)
            .int(seqno)
            .int(body.len() as i32)
            .raw(body);
        let plain = w.finish();
        let packet = message::encrypt(Side::Client, &self.key, &plain, &mut rand::rng());
        self.raw.send(&packet).await;
    }

    /// Receives one packet and flattens a container into its messages.
    async fn recv(&mut self) -> Vec<Msg> {
        let packet = self.raw.recv().await.expect("an encrypted answer");
        assert_eq!(&packet[..8], &self.key.key_id().to_le_bytes());
        let plain =
            message::decrypt(Side::Client, &self.key, &packet).expect("server encrypts correctly");
        let mut r = Reader::new(&plain);
        r.long().unwrap();
        assert_eq!(r.long().unwrap(), self.session_id);
        let msg_id = r.long().unwrap();
        let seqno = r.int().unwrap();
        let len = r.int().unwrap() as usize;
        let body = r.raw(len).unwrap().to_vec();
        if body[..4] == 0x73f1f8dcu32.to_le_bytes() {
            let mut c = Reader::new(&body[4..]);
            let n = c.int().unwrap();
            (0..n)
                .map(|_| {
                    let id = c.long().unwrap();
                    let seq = c.int().unwrap();
                    let len = c.int().unwrap() as usize;
                    (id, seq, c.raw(len).unwrap().to_vec())
                })
                .collect()
        } else {
            vec![(msg_id, seqno, body)]
        }
    }
}

fn ping(id: i64) -> Vec<u8> {
    let mut w = Writer::new();
    w.id(0x7abe77ec).long(id);
    w.finish()
}

fn ctor(body: &[u8]) -> u32 {
    u32::from_le_bytes(body[..4].try_into().unwrap())
}

#[tokio::test]
async fn first_message_creates_session_and_ping_is_ponged() {
    let dc = start_demo().await;
    let mut c = Client::new(dc.dc_addr(2).unwrap(), dc.key().public_pem()).await;
    let id = c.next_msg_id();
    c.send_raw(c.salt, id, 1, &ping(77)).await;
    let msgs = c.recv().await;
    assert_eq!(msgs.len(), 2);
    let (ns_id, ns_seq, ns) = &msgs[0];
    assert_eq!(ctor(ns), 0x9ec20908, "new_session_created first");
    assert_eq!(ns_id % 4, 3, "not a response: msg_id ≡ 3 mod 4");
    assert_eq!(ns_seq % 2, 1, "content-related");
    let mut r = Reader::new(&ns[4..]);
    assert_eq!(r.long().unwrap(), id, "first_msg_id");
    let (pong_id, _, pong) = &msgs[1];
    assert_eq!(ctor(pong), 0x347773c5);
    assert_eq!(pong_id % 4, 1, "response: msg_id ≡ 1 mod 4");
    assert!(pong_id > ns_id, "server msg_ids grow");
    let mut r = Reader::new(&pong[4..]);
    assert_eq!((r.long().unwrap(), r.long().unwrap()), (id, 77));

    // The same msg_id again is ignored; a later ping is answered alone.
    c.send_raw(c.salt, id, 1, &ping(78)).await;
    let id2 = c.next_msg_id();
    c.send_raw(c.salt, id2, 3, &ping(79)).await;
    let msgs = c.recv().await;
    assert_eq!(msgs.len(), 1);
    let mut r = Reader::new(&msgs[0].2[4..]);
    assert_eq!((r.long().unwrap(), r.long().unwrap()), (id2, 79));
    dc.shutdown().await;
}

#[tokio::test]
async fn wrong_salt_gets_bad_server_salt_and_future_salts_agree() {
    let dc = start_demo().await;
    let mut c = Client::new(dc.dc_addr(2).unwrap(), dc.key().public_pem()).await;
    let id = c.next_msg_id();
    c.send_raw(0x0bad, id, 1, &ping(1)).await;
    let msgs = c.recv().await;
    let (_, _, body) = msgs.last().unwrap();
    assert_eq!(ctor(body), 0xedab447b, "bad_server_salt");
    let mut r = Reader::new(&body[4..]);
    assert_eq!(
        (r.long().unwrap(), r.int().unwrap(), r.int().unwrap()),
        (id, 1, 48)
    );
    let new_salt = r.long().unwrap();

    let id = c.next_msg_id();
    let mut w = Writer::new();
    w.id(0xb921bd04).int(3);
    c.send_raw(new_salt, id, 1, &w.finish()).await;
    let msgs = c.recv().await;
    let (_, _, body) = msgs
        .iter()
        .find(|m| ctor(&m.2) == 0xae500895)
        .expect("future_salts");
    let mut r = Reader::new(&body[4..]);
    assert_eq!(r.long().unwrap(), id, "req_msg_id");
    let server_now = r.int().unwrap();
    assert!((i64::from(server_now) - now_secs()).abs() <= 2);
    assert_eq!(r.int().unwrap(), 3);
    let (since, until, salt) = (r.int().unwrap(), r.int().unwrap(), r.long().unwrap());
    assert_eq!(salt, new_salt, "the first future salt is the current one");
    assert!(since <= server_now && server_now < until);
    dc.shutdown().await;
}

#[tokio::test]
async fn bad_msg_notification_codes() {
    let dc = start_demo().await;
    let mut c = Client::new(dc.dc_addr(2).unwrap(), dc.key().public_pem()).await;
    let now = now_secs();
    let cases = [
        ((now << 32) + 1, 1, 18),   // msg_id not divisible by 4
        ((now - 400) << 32, 1, 16), // too old
        ((now + 60) << 32, 1, 17),  // too far in the future
    ];
    for (msg_id, seqno, code) in cases {
        c.send_raw(c.salt, msg_id, seqno, &ping(5)).await;
        let msgs = c.recv().await;
        let (_, _, body) = msgs.last().unwrap();
        assert_eq!(
            ctor(body),
            0xa7eff811,
            "bad_msg_notification for code {code}"
        );
        let mut r = Reader::new(&body[4..]);
        assert_eq!(
            (r.long().unwrap(), r.int().unwrap(), r.int().unwrap()),
            (msg_id, seqno, code)
        );
    }
    // A ping with an even seqno is answered, as Telegram answers Pyrogram's
    // (which numbers pings as not content-related).
    let id = c.next_msg_id();
    c.send_raw(c.salt, id, 2, &ping(6)).await;
    let msgs = c.recv().await;
    let (_, _, body) = msgs.last().unwrap();
    assert_eq!(ctor(body), 0x347773c5, "pong");
    // Any other content-related message with an even seqno: 35
    // (help.getConfig here).
    let id = c.next_msg_id();
    c.send_raw(c.salt, id, 2, &0xc4f9_186bu32.to_le_bytes())
        .await;
    let msgs = c.recv().await;
    let (_, _, body) = msgs.last().unwrap();
    let mut r = Reader::new(&body[4..]);
    assert_eq!(
        (r.long().unwrap(), r.int().unwrap(), r.int().unwrap()),
        (id, 2, 35)
    );
    dc.shutdown().await;
}

#[tokio::test]
async fn containers_gzip_requests_and_destroy_session() {
    let dc = start_demo().await;
    let mut c = Client::new(dc.dc_addr(2).unwrap(), dc.key().public_pem()).await;
    let (a, b) = (c.next_msg_id(), c.next_msg_id());
    let outer = c.next_msg_id();
    let mut w = Writer::new();
    w.id(0x73f1f8dc).int(2);
    for (id, seq, p) in [(a, 1, 10i64), (b, 3, 11)] {
        let body = ping(p);
        w.long(id).int(seq).int(body.len() as i32).raw(&body);
    }
    c.send_raw(c.salt, outer, 4, &w.finish()).await;
    let msgs = c.recv().await;
    let pongs: Vec<(i64, i64)> = msgs
        .iter()
        .filter(|m| ctor(&m.2) == 0x347773c5)
        .map(|m| {
            let mut r = Reader::new(&m.2[4..]);
            (r.long().unwrap(), r.long().unwrap())
        })
        .collect();
    assert_eq!(pongs, vec![(a, 10), (b, 11)]);

    // gzip_packed(help.getConfig) is unpacked and answered in rpc_result.
    let packed = {
        use std::io::Write as _;
        let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        e.write_all(&0xc4f9186bu32.to_le_bytes()).unwrap();
        e.finish().unwrap()
    };
    let mut w = Writer::new();
    w.id(0x3072cfa1).bytes(&packed);
    let id = c.next_msg_id();
    c.send_raw(c.salt, id, 5, &w.finish()).await;
    let msgs = c.recv().await;
    let (_, _, body) = msgs
        .iter()
        .find(|m| ctor(&m.2) == 0xf35c6d01)
        .expect("rpc_result");
    let mut r = Reader::new(&body[4..]);
    assert_eq!(r.long().unwrap(), id);
    let result = r.remaining();
    let config_id = 0xcc1a241eu32.to_le_bytes();
    let inner = if result[..4] == 0x3072cfa1u32.to_le_bytes() {
        let mut g = Reader::new(&result[4..]);
        let mut out = Vec::new();
        std::io::Read::read_to_end(
            &mut flate2::read::GzDecoder::new(g.bytes().unwrap()),
            &mut out,
        )
        .unwrap();
        out
    } else {
        result.to_vec()
    };
    assert_eq!(inner[..4], config_id);

    // destroy_session: another live session → ok; an unknown one → none.
    let mut other = Client {
        session_id: 0x0dd,
        ..Client::new(dc.dc_addr(2).unwrap(), dc.key().public_pem()).await
    };
    other.key = c.key.clone();
    let mut reconnect = RawClient::connect(dc.dc_addr(2).unwrap(), Framing::Abridged, None).await;
    std::mem::swap(&mut other.raw, &mut reconnect);
    let oid = other.next_msg_id();
    other.send_raw(c.salt, oid, 1, &ping(3)).await;
    other.recv().await;
    for (target, expected) in [(0x0ddi64, 0xe22045fcu32), (0x7777, 0x62d350c9)] {
        let mut w = Writer::new();
        w.id(0xe7512126).long(target);
        let id = c.next_msg_id();
        c.send_raw(c.salt, id, 7, &w.finish()).await;
        let msgs = c.recv().await;
        let (_, _, body) = msgs.last().unwrap();
        assert_eq!(ctor(body), expected);
        assert_eq!(Reader::new(&body[4..]).long().unwrap(), target);
    }
    dc.shutdown().await;
}

/// Sends one request and returns the `rpc_result` payload answering it.
async fn call(c: &mut Client, seqno: i32, body: &[u8]) -> Vec<u8> {
    let id = c.next_msg_id();
    call_with_id(c, id, seqno, body).await
}

async fn call_with_id(c: &mut Client, id: i64, seqno: i32, body: &[u8]) -> Vec<u8> {
    c.send_raw(c.salt, id, seqno, body).await;
    loop {
        for (_, _, m) in c.recv().await {
            if ctor(&m) == 0xf35c6d01 && Reader::new(&m[4..]).long().unwrap() == id {
                return m[12..].to_vec();
            }
        }
    }
}

fn rpc_error_message(result: &[u8]) -> Option<String> {
    if ctor(result) != 0x2144ca19 {
        return None;
    }
    let mut r = Reader::new(&result[8..]);
    Some(r.string().unwrap())
}

#[tokio::test]
async fn temp_key_binding_makes_sign_in_visible_on_the_permanent_key() {
    let dc = start_demo().await;
    let addr = dc.dc_addr(2).unwrap();
    let pem = dc.key().public_pem().to_string();
    let mut perm = Client::new(addr, &pem).await;
    let mut temp = Client::with_params(addr, &pem, KeyParams::temporary(2, 3600)).await;
    temp.session_id = 0x7e4b;
    let expires_at = (now_secs() + 3600) as i32;
    let mut rng: rand::rngs::StdRng = rand::make_rng();

    let bind = |nonce: i64,
                claimed_nonce: i64,
                msg_id: i64,
                temp: &Client,
                perm: &Client,
                rng: &mut rand::rngs::StdRng| {
        let inner = hearth_mtproto::pfs::BindAuthKeyInner {
            nonce: claimed_nonce,
            temp_auth_key_id: temp.key.key_id() as i64,
            perm_auth_key_id: perm.key.key_id() as i64,
            temp_session_id: temp.session_id,
            expires_at,
        };
        let enc = hearth_mtproto::pfs::encrypt_binding(&perm.hearth_key, &inner, msg_id, rng);
        hearth_mtproto::pfs::bind_request(&perm.hearth_key, nonce, expires_at, &enc)
    };

    // A binding whose inner nonce differs from the request's is refused.
    let id = temp.next_msg_id();
    let body = bind(5, 6, id, &temp, &perm, &mut rng);
    let answer = call_with_id(&mut temp, id, 1, &body).await;
    assert_eq!(
        rpc_error_message(&answer).as_deref(),
        Some("ENCRYPTED_MESSAGE_INVALID")
    );

    let id = temp.next_msg_id();
    let body = bind(9, 9, id, &temp, &perm, &mut rng);
    let answer = call_with_id(&mut temp, id, 3, &body).await;
    assert_eq!(ctor(&answer), 0x997275b5, "boolTrue");

    // Sign in over the temporary key; the permanent key is now signed in too.
    let mut w = Writer::new();
    w.id(0xa677244f).string("9996621234").int(1).string("hash");
    w.id(0xad253d78).int(0);
    let sent = call(&mut temp, 5, &w.finish()).await;
    let mut r = Reader::new(&sent[8..]);
    r.id().unwrap();
    r.int().unwrap();
    let hash = r.string().unwrap();
    let mut w = Writer::new();
    w.id(0x8d52a951)
        .int(1)
        .string("9996621234")
        .string(&hash)
        .string("22222");
    let auth = call(&mut temp, 7, &w.finish()).await;
    assert_eq!(ctor(&auth), 0x2ea2c0d4);

    let mut w = Writer::new();
    w.id(0x0d91a548).id(0x1cb5c415).int(1).id(0xf7c1b13f);
    let users = call(&mut perm, 1, &w.finish()).await;
    assert_eq!(
        ctor(&users),
        0x1cb5c415,
        "the permanent key's session sees the user: {:?}",
        rpc_error_message(&users)
    );
    dc.shutdown().await;
}

#[tokio::test]
async fn ping_delay_disconnect_closes_an_idle_connection() {
    let dc = start_demo().await;
    let mut c = Client::new(dc.dc_addr(2).unwrap(), dc.key().public_pem()).await;
    let mut w = Writer::new();
    w.id(0xf3427b8c).long(42).int(1);
    let id = c.next_msg_id();
    c.send_raw(c.salt, id, 1, &w.finish()).await;
    let msgs = c.recv().await;
    let (_, _, pong) = msgs.last().unwrap();
    assert_eq!(ctor(pong), 0x347773c5);
    let started = std::time::Instant::now();
    assert_eq!(c.raw.recv().await, None, "closed once idle past the delay");
    let waited = started.elapsed();
    assert!(
        waited >= std::time::Duration::from_millis(900)
            && waited < std::time::Duration::from_secs(5),
        "{waited:?}"
    );
    dc.shutdown().await;
}
