//! The client state machine against the in-crate server half, plus hostile
//! variations of every server answer.

use std::sync::OnceLock;

use hearth_crypto::dh::{DhParams, TELEGRAM_DH_PRIME};
use hearth_crypto::rsa::RsaPrivateKey;
use rand::rngs::StdRng;
use rand::SeedableRng;

use hearth_tl::{Deserializable, Serializable};

use super::tl::{self, enums, types};
use super::tmp_aes::{encrypt_with_hash, tmp_aes};
use super::*;
use crate::plain;
use crate::server::auth::{ServerAuth, ServerStep};
use crate::wire::{Reader, Writer};

type ResPq = types::ResPq;
type ServerDhInner = types::ServerDhInnerData;

/// `id nonce server_nonce tail` — the layout shared by server_DH_params_*
/// and dh_gen_* (for building hostile answers by hand).
fn nonces_and_hash(id: u32, nonce: &[u8; 16], server_nonce: &[u8; 16], tail: &[u8]) -> Vec<u8> {
    let mut b = Vec::new();
    b.put_u32(id);
    b.extend_from_slice(nonce);
    b.extend_from_slice(server_nonce);
    b.extend_from_slice(tail);
    b
}

const SERVER_DH_PARAMS_OK: u32 = 0xd0e8075c;
const SERVER_DH_PARAMS_FAIL: u32 = 0x79cb045d;
const DH_GEN_OK: u32 = 0x3bcbf734;
const DH_GEN_RETRY: u32 = 0x46dc1fb9;
const DH_GEN_FAIL: u32 = 0xa69dae02;
const SET_CLIENT_DH_PARAMS: u32 = 0xf5045f1f;

fn pq_inner_new_nonce(data: &[u8]) -> [u8; 32] {
    match enums::PQInnerData::from_bytes(data).unwrap() {
        enums::PQInnerData::PQInnerDataDc(d) => d.new_nonce,
        enums::PQInnerData::PQInnerDataTempDc(d) => d.new_nonce,
        other => panic!("unexpected {other:?}"),
    }
}
use crate::UnixTime;

fn server_key() -> &'static RsaPrivateKey {
    static KEY: OnceLock<RsaPrivateKey> = OnceLock::new();
    KEY.get_or_init(|| RsaPrivateKey::generate(&mut StdRng::seed_from_u64(7)).unwrap())
}

fn table() -> KeyTable {
    let mut t = KeyTable::builtin().unwrap();
    t.add(server_key().public_key().clone());
    t
}

const NOW: i64 = 1_700_000_000;

fn now() -> UnixTime {
    UnixTime::from_secs(NOW)
}

/// Runs client and server to completion; returns both results.
fn run(params: KeyParams, retries: u32) -> (AuthKeyResult, crate::server::auth::CreatedKey) {
    let mut rng = StdRng::seed_from_u64(1);
    let mut srng = StdRng::seed_from_u64(2);
    let mut server = ServerAuth::new(server_key().clone(), DhParams::telegram());
    server.retries_to_demand = retries;
    let server_now = UnixTime::from_secs(NOW + 100);
    let (mut client, mut out) = Authenticator::start(now(), params, table(), &mut rng);
    loop {
        match server.handle(server_now, &out, &mut srng).unwrap() {
            ServerStep::Reply(reply) => match client.handle(now(), &reply, &mut rng).unwrap() {
                Step::Send(next) => out = next,
                Step::Done(_) => panic!("client done before server"),
            },
            ServerStep::Done { reply, key } => {
                match client.handle(now(), &reply, &mut rng).unwrap() {
                    Step::Done(res) => return (*res, *key),
                    Step::Send(_) => panic!("client wants more after dh_gen_ok"),
                }
            }
        }
    }
}

#[test]
fn full_exchange_agrees_on_key_salt_and_time() {
    let (client, server) = run(KeyParams::permanent(2), 0);
    assert_eq!(client.auth_key, server.auth_key);
    assert_eq!(client.salt, server.salt);
    assert_eq!(client.time_offset, 100);
    assert_eq!(client.expires_at, None);
    assert_eq!(server.dc, 2);
    assert_eq!(server.expires_in, None);
}

#[test]
fn temporary_media_test_dc_key() {
    let params = KeyParams {
        dc_id: 4,
        media: true,
        test: true,
        temp_expires_in: Some(3600),
    };
    assert_eq!(params.dc_field(), -10_004);
    let (client, server) = run(params, 0);
    assert_eq!(server.dc, -10_004);
    assert_eq!(server.expires_in, Some(3600));
    assert_eq!(client.expires_at, Some((NOW + 100 + 3600) as i32));
    assert_eq!(client.auth_key, server.auth_key);
}

#[test]
fn dh_gen_retry_is_followed() {
    let (client, server) = run(KeyParams::permanent(1), 2);
    assert_eq!(client.auth_key, server.auth_key);
}

#[test]
fn too_many_retries_fail() {
    let mut rng = StdRng::seed_from_u64(1);
    let mut srng = StdRng::seed_from_u64(2);
    let mut server = ServerAuth::new(server_key().clone(), DhParams::telegram());
    server.retries_to_demand = 100;
    let (mut client, mut out) =
        Authenticator::start(now(), KeyParams::permanent(1), table(), &mut rng);
    let err = loop {
        let ServerStep::Reply(reply) = server.handle(now(), &out, &mut srng).unwrap() else {
            panic!("server finished");
        };
        match client.handle(now(), &reply, &mut rng) {
            Ok(Step::Send(next)) => out = next,
            Ok(Step::Done(_)) => panic!("done"),
            Err(e) => break e,
        }
    };
    assert!(matches!(err, AuthError::TooManyRetries(_)), "{err}");
}

// ---- hostile servers -------------------------------------------------------

struct Hostile {
    client: Authenticator,
    rng: StdRng,
    nonce: [u8; 16],
    server_nonce: [u8; 16],
}

fn reply(body: &[u8]) -> Vec<u8> {
    plain::wrap((NOW << 32) | 1, body)
}

fn start() -> Hostile {
    let mut rng = StdRng::seed_from_u64(9);
    let (client, _) = Authenticator::start(now(), KeyParams::permanent(2), table(), &mut rng);
    let nonce = client.nonce();
    Hostile {
        client,
        rng,
        nonce,
        server_nonce: [0x55; 16],
    }
}

impl Hostile {
    fn feed(&mut self, body: &[u8]) -> Result<Step, AuthError> {
        self.client.handle(now(), &reply(body), &mut self.rng)
    }

    fn res_pq(&self) -> ResPq {
        ResPq {
            nonce: self.nonce,
            server_nonce: self.server_nonce,
            pq: tl::be_bytes(1_073_741_827u64 * 1_073_741_831),
            server_public_key_fingerprints: vec![server_key().public_key().fingerprint() as i64],
        }
    }

    /// Passes resPQ and returns new_nonce decrypted from req_DH_params.
    fn advance_to_dh_params(&mut self) -> [u8; 32] {
        let Step::Send(out) = self.feed(&self.res_pq().to_bytes()).unwrap() else {
            panic!()
        };
        let body = plain::unwrap(&out).unwrap().body.to_vec();
        let mut r = Reader::new(&body);
        r.u32().unwrap();
        r.take(32).unwrap();
        r.bytes().unwrap();
        r.bytes().unwrap();
        r.i64().unwrap();
        let data = server_key()
            .decrypt_pad(r.bytes().unwrap(), &mut StdRng::seed_from_u64(3))
            .unwrap();
        pq_inner_new_nonce(&data)
    }

    fn dh_ok(&mut self, new_nonce: &[u8; 32], inner: &ServerDhInner) -> Vec<u8> {
        let (k, iv) = tmp_aes(new_nonce, &self.server_nonce);
        let enc = encrypt_with_hash(&inner.to_bytes(), &k, &iv, &mut self.rng);
        types::ServerDhParamsOk {
            nonce: self.nonce,
            server_nonce: self.server_nonce,
            encrypted_answer: enc,
        }
        .to_bytes()
    }

    fn good_inner(&self) -> ServerDhInner {
        let dh = DhParams::telegram();
        ServerDhInner {
            nonce: self.nonce,
            server_nonce: self.server_nonce,
            g: 3,
            dh_prime: TELEGRAM_DH_PRIME.to_vec(),
            g_a: dh.pow_g(&[0x77; 256]).to_vec(),
            server_time: NOW as i32,
        }
    }
}

#[test]
fn res_pq_with_wrong_nonce_is_rejected() {
    let mut h = start();
    let mut res = h.res_pq();
    res.nonce[0] ^= 1;
    assert!(matches!(
        h.feed(&res.to_bytes()),
        Err(AuthError::NonceMismatch)
    ));
    // the exchange is dead afterwards
    assert!(matches!(
        h.feed(&h.res_pq().to_bytes()),
        Err(AuthError::Finished)
    ));
}

#[test]
fn unknown_fingerprint_is_rejected() {
    let mut h = start();
    let mut res = h.res_pq();
    res.server_public_key_fingerprints = vec![0x1234];
    assert!(
        matches!(h.feed(&res.to_bytes()), Err(AuthError::UnknownFingerprint(f)) if f == vec![0x1234])
    );
}

#[test]
fn pq_that_is_not_two_primes_is_rejected() {
    for pq in [1_073_741_827u64, 1_073_741_827 * 4 * 3, 9] {
        let mut h = start();
        let mut res = h.res_pq();
        res.pq = tl::be_bytes(pq);
        let err = h.feed(&res.to_bytes()).unwrap_err();
        assert!(
            matches!(
                err,
                AuthError::Factorize(_) | AuthError::PqNotSemiprime { .. }
            ),
            "{pq}: {err}"
        );
    }
    let mut h = start();
    let mut res = h.res_pq();
    res.pq = vec![1; 9];
    assert!(matches!(
        h.feed(&res.to_bytes()),
        Err(AuthError::PqTooLarge(9))
    ));
}

#[test]
fn even_server_msg_id_is_rejected() {
    let mut h = start();
    let body = h.res_pq().to_bytes();
    let err = h
        .client
        .handle(now(), &plain::wrap(NOW << 32, &body), &mut h.rng)
        .unwrap_err();
    assert!(matches!(err, AuthError::EvenServerMsgId(_)));
}

#[test]
fn server_dh_params_with_wrong_server_nonce_is_rejected() {
    let mut h = start();
    let nn = h.advance_to_dh_params();
    let inner = h.good_inner();
    let mut body = h.dh_ok(&nn, &inner);
    body[4 + 16] ^= 1; // server_nonce field
    assert!(matches!(h.feed(&body), Err(AuthError::ServerNonceMismatch)));
}

/// new_nonce_hash of server_DH_params_fail: the low 128 bits of SHA1(new_nonce).
fn fail_hash(new_nonce: &[u8; 32]) -> [u8; 16] {
    let sha = hearth_crypto::hash::sha1(&[new_nonce]);
    sha[4..].try_into().unwrap()
}

#[test]
fn server_dh_params_fail_with_the_right_hash_is_the_servers_refusal() {
    let mut h = start();
    let nn = h.advance_to_dh_params();
    let body = nonces_and_hash(
        SERVER_DH_PARAMS_FAIL,
        &h.nonce,
        &h.server_nonce,
        &fail_hash(&nn),
    );
    assert!(matches!(h.feed(&body), Err(AuthError::DhParamsFail)));
}

#[test]
fn server_dh_params_fail_with_a_wrong_hash_is_rejected_as_forged() {
    for tamper in [None, Some(0usize), Some(15)] {
        let mut h = start();
        let nn = h.advance_to_dh_params();
        let hash = match tamper {
            // Someone who does not know new_nonce cannot do better than zeros…
            None => [0; 16],
            // …or a hash one bit off.
            Some(i) => {
                let mut hash = fail_hash(&nn);
                hash[i] ^= 0x80;
                hash
            }
        };
        let body = nonces_and_hash(SERVER_DH_PARAMS_FAIL, &h.nonce, &h.server_nonce, &hash);
        let err = h.feed(&body).unwrap_err();
        assert!(matches!(err, AuthError::NewNonceHash), "{tamper:?}: {err}");
        assert!(matches!(h.feed(&body), Err(AuthError::Finished)));
    }
}

#[test]
fn bad_answer_hash_is_rejected() {
    let mut h = start();
    let nn = h.advance_to_dh_params();
    let inner = h.good_inner();
    // Encrypt with a hash over different data.
    let (k, iv) = tmp_aes(&nn, &h.server_nonce);
    let mut data = inner.to_bytes();
    let mut buf = hearth_crypto::hash::sha1(&[b"not the answer"]).to_vec();
    buf.append(&mut data);
    buf.resize(buf.len().div_ceil(16) * 16, 0);
    hearth_crypto::ige::encrypt_ige(&mut buf, &k, &iv).unwrap();
    let mut body = nonces_and_hash(SERVER_DH_PARAMS_OK, &h.nonce, &h.server_nonce, &[]);
    body.put_bytes(&buf);
    assert!(matches!(h.feed(&body), Err(AuthError::AnswerHash)));
}

#[test]
fn unaligned_encrypted_answer_is_rejected() {
    let mut h = start();
    h.advance_to_dh_params();
    let mut body = nonces_and_hash(SERVER_DH_PARAMS_OK, &h.nonce, &h.server_nonce, &[]);
    body.put_bytes(&[0u8; 33]);
    assert!(matches!(h.feed(&body), Err(AuthError::AnswerLength)));
}

#[test]
fn inner_data_with_wrong_nonce_is_rejected() {
    let mut h = start();
    let nn = h.advance_to_dh_params();
    let mut inner = h.good_inner();
    inner.nonce[3] ^= 0xff;
    let body = h.dh_ok(&nn, &inner);
    assert!(matches!(h.feed(&body), Err(AuthError::NonceMismatch)));
}

#[test]
fn bad_prime_is_rejected() {
    let mut h = start();
    let nn = h.advance_to_dh_params();
    let mut inner = h.good_inner();
    // Telegram's prime minus 2: 2048 bits, odd, not a safe prime.
    let mut p = TELEGRAM_DH_PRIME;
    p[255] -= 2;
    inner.dh_prime = p.to_vec();
    let body = h.dh_ok(&nn, &inner);
    assert!(matches!(h.feed(&body), Err(AuthError::Dh(_))));
}

#[test]
fn short_prime_and_bad_generator_are_rejected() {
    let mut h = start();
    let nn = h.advance_to_dh_params();
    let mut inner = h.good_inner();
    inner.dh_prime = TELEGRAM_DH_PRIME[1..].to_vec();
    let body = h.dh_ok(&nn, &inner);
    assert!(matches!(h.feed(&body), Err(AuthError::Dh(_))));

    let mut h = start();
    let nn = h.advance_to_dh_params();
    let mut inner = h.good_inner();
    inner.g = 9;
    let body = h.dh_ok(&nn, &inner);
    assert!(matches!(h.feed(&body), Err(AuthError::Dh(_))));
}

#[test]
fn g_a_out_of_range_is_rejected() {
    for g_a in [vec![1u8], vec![2u8], TELEGRAM_DH_PRIME.to_vec()] {
        let mut h = start();
        let nn = h.advance_to_dh_params();
        let mut inner = h.good_inner();
        inner.g_a = g_a;
        let body = h.dh_ok(&nn, &inner);
        assert!(matches!(h.feed(&body), Err(AuthError::Dh(_))));
    }
}

/// Drives to set_client_DH_params; returns (new_nonce, g_b-derived key).
fn to_dh_gen(h: &mut Hostile) -> ([u8; 32], hearth_crypto::AuthKey) {
    let nn = h.advance_to_dh_params();
    let inner = h.good_inner();
    let body = h.dh_ok(&nn, &inner);
    let Step::Send(out) = h.feed(&body).unwrap() else {
        panic!()
    };
    // Recover g_b to compute the key as the server would (a = 0x77..).
    let body = plain::unwrap(&out).unwrap().body.to_vec();
    let mut r = Reader::new(&body);
    r.u32().unwrap();
    r.take(32).unwrap();
    let (k, iv) = tmp_aes(&nn, &h.server_nonce);
    let plain = super::tmp_aes::decrypt_raw(r.bytes().unwrap(), &k, &iv).unwrap();
    let (cdh, len) = tl::decode_len::<types::ClientDhInnerData>(&plain[20..]).unwrap();
    assert!(super::tmp_aes::check_hash(&plain, len));
    assert_eq!(cdh.retry_id, 0);
    let p = num_modpow(&cdh.g_b);
    (nn, hearth_crypto::AuthKey::from_bytes(p))
}

/// g_b^a mod p with the hostile server's a = 0x77 repeated (independent of
/// the crypto crate's DH code, so the test cross-checks it).
fn num_modpow(g_b: &[u8]) -> [u8; 256] {
    use num_bigint::BigUint;
    let p = BigUint::from_bytes_be(&TELEGRAM_DH_PRIME);
    let a = BigUint::from_bytes_be(&[0x77; 256]);
    let s = BigUint::from_bytes_be(g_b).modpow(&a, &p).to_bytes_be();
    let mut out = [0u8; 256];
    out[256 - s.len()..].copy_from_slice(&s);
    out
}

#[test]
fn dh_gen_ok_with_wrong_hash_is_rejected_and_right_hash_accepted() {
    let mut h = start();
    let (nn, key) = to_dh_gen(&mut h);
    let mut bad = key.new_nonce_hash(&nn, 1);
    bad[0] ^= 1;
    let body = nonces_and_hash(DH_GEN_OK, &h.nonce, &h.server_nonce, &bad);
    assert!(matches!(h.feed(&body), Err(AuthError::NewNonceHash)));

    let mut h = start();
    let (nn, key) = to_dh_gen(&mut h);
    let good = key.new_nonce_hash(&nn, 1);
    let body = nonces_and_hash(DH_GEN_OK, &h.nonce, &h.server_nonce, &good);
    let Ok(Step::Done(res)) = h.feed(&body) else {
        panic!()
    };
    assert_eq!(res.auth_key, key);
    assert_eq!(res.salt, super::tmp_aes::first_salt(&nn, &h.server_nonce));
}

#[test]
fn dh_gen_ok_carrying_hash2_is_rejected() {
    let mut h = start();
    let (nn, key) = to_dh_gen(&mut h);
    let body = nonces_and_hash(
        DH_GEN_OK,
        &h.nonce,
        &h.server_nonce,
        &key.new_nonce_hash(&nn, 2),
    );
    assert!(matches!(h.feed(&body), Err(AuthError::NewNonceHash)));
}

#[test]
fn dh_gen_fail_is_reported() {
    let mut h = start();
    let (nn, key) = to_dh_gen(&mut h);
    let body = nonces_and_hash(
        DH_GEN_FAIL,
        &h.nonce,
        &h.server_nonce,
        &key.new_nonce_hash(&nn, 3),
    );
    assert!(matches!(h.feed(&body), Err(AuthError::DhGenFail)));
}

#[test]
fn dh_gen_retry_sends_aux_hash_as_retry_id() {
    let mut h = start();
    let (nn, key) = to_dh_gen(&mut h);
    let body = nonces_and_hash(
        DH_GEN_RETRY,
        &h.nonce,
        &h.server_nonce,
        &key.new_nonce_hash(&nn, 2),
    );
    let Ok(Step::Send(out)) = h.feed(&body) else {
        panic!()
    };
    let body = plain::unwrap(&out).unwrap().body.to_vec();
    let mut r = Reader::new(&body);
    assert_eq!(r.u32().unwrap(), SET_CLIENT_DH_PARAMS);
    r.take(32).unwrap();
    let (k, iv) = tmp_aes(&nn, &h.server_nonce);
    let plain = super::tmp_aes::decrypt_raw(r.bytes().unwrap(), &k, &iv).unwrap();
    let (cdh, _) = tl::decode_len::<types::ClientDhInnerData>(&plain[20..]).unwrap();
    assert_eq!(cdh.retry_id, key.aux_hash() as i64);
}

#[test]
fn unexpected_constructor_is_rejected() {
    let mut h = start();
    let mut b = Vec::new();
    b.put_u32(0xdeadbeef);
    b.extend_from_slice(&[0; 40]);
    assert!(h.feed(&b).is_err());
}

#[test]
fn dc_field_encodes_media_and_test_dcs() {
    let p = |dc_id, media, test| {
        KeyParams {
            dc_id,
            media,
            test,
            temp_expires_in: None,
        }
        .dc_field()
    };
    assert_eq!(p(2, false, false), 2);
    assert_eq!(p(2, true, false), -2);
    assert_eq!(p(2, false, true), 10_002);
    assert_eq!(p(2, true, true), -10_002);
}

#[test]
fn transport_error_during_exchange_is_reported() {
    let mut h = start();
    let err = h
        .client
        .handle(now(), &(-404i32).to_le_bytes(), &mut h.rng)
        .unwrap_err();
    assert!(matches!(err, AuthError::TransportError(-404)));
}

/// A key id the server already uses is answered with dh_gen_retry; the
/// client's next attempt yields a different key.
#[test]
fn a_taken_key_id_is_retried() {
    use std::sync::{Arc, Mutex};
    let mut rng = StdRng::seed_from_u64(1);
    let mut srng = StdRng::seed_from_u64(2);
    let mut server = ServerAuth::new(server_key().clone(), DhParams::telegram());
    let offered = Arc::new(Mutex::new(Vec::new()));
    let seen = offered.clone();
    server.key_taken = Some(Box::new(move |id| {
        let mut ids = seen.lock().unwrap();
        ids.push(id);
        ids.len() == 1
    }));
    let (mut client, mut out) =
        Authenticator::start(now(), KeyParams::permanent(2), table(), &mut rng);
    let key = loop {
        match server.handle(now(), &out, &mut srng).unwrap() {
            ServerStep::Reply(reply) => match client.handle(now(), &reply, &mut rng).unwrap() {
                Step::Send(next) => out = next,
                Step::Done(_) => panic!("client done before server"),
            },
            ServerStep::Done { reply, key } => {
                let Step::Done(res) = client.handle(now(), &reply, &mut rng).unwrap() else {
                    panic!("client wants more after dh_gen_ok")
                };
                assert_eq!(res.auth_key, key.auth_key);
                break key;
            }
        }
    };
    let ids = offered.lock().unwrap();
    assert_eq!(ids.len(), 2, "one retry");
    assert_ne!(ids[0], ids[1]);
    assert_eq!(ids[1], key.auth_key.key_id());
}

#[test]
fn packed_answers_are_refused_at_every_step() {
    use crate::error::DecodeError;
    use hearth_tl::mtproto::special::GzipPacked;
    use hearth_tl::DeserializeError::GzipNotAllowed;
    let packed = |body: &[u8]| GzipPacked::pack(body).to_bytes();
    let refused = |r: Result<Step, AuthError>| match r {
        Err(e @ AuthError::Decode(DecodeError::Tl(GzipNotAllowed { .. }))) => e.to_string(),
        Err(e) => panic!("wrong error: {e}"),
        Ok(_) => panic!("a packed answer was accepted"),
    };
    // resPQ
    let mut h = start();
    let message = refused(h.feed(&packed(&h.res_pq().to_bytes())));
    assert!(
        message.contains("gzip_packed found where resPQ"),
        "{message}"
    );
    // server_DH_params_ok
    let mut h = start();
    let nn = h.advance_to_dh_params();
    let inner = h.good_inner();
    let ok = h.dh_ok(&nn, &inner);
    refused(h.feed(&packed(&ok)));
    // dh_gen_ok
    let mut h = start();
    let nn = h.advance_to_dh_params();
    let inner = h.good_inner();
    let ok = h.dh_ok(&nn, &inner);
    assert!(matches!(h.feed(&ok), Ok(Step::Send(_))));
    let gen = nonces_and_hash(DH_GEN_OK, &h.nonce, &h.server_nonce, &[0; 16]);
    refused(h.feed(&packed(&gen)));
}
