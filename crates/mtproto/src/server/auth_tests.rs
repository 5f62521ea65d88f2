//! The server half against a hand-driven client, including hostile ones.

use std::sync::OnceLock;

use hearth_crypto::dh::DhParams;
use hearth_crypto::factorize::factorize;
use hearth_crypto::rsa::RsaPrivateKey;
use hearth_tl::{Deserializable, Serializable};
use rand::rngs::StdRng;
use rand::SeedableRng;

use super::*;
use crate::auth::tl::{be_bytes, decode_len, enums, from_be, functions, types};
use crate::auth::tmp_aes::{decrypt_raw, encrypt_with_hash, tmp_aes};
use crate::plain;

fn key() -> &'static RsaPrivateKey {
    static KEY: OnceLock<RsaPrivateKey> = OnceLock::new();
    KEY.get_or_init(|| RsaPrivateKey::generate(&mut StdRng::seed_from_u64(31)).unwrap())
}

fn now() -> UnixTime {
    UnixTime::from_secs(1_700_000_000)
}

const NONCE: [u8; 16] = [3; 16];
const NEW_NONCE: [u8; 32] = [4; 32];

struct Client {
    server: ServerAuth,
    rng: StdRng,
    ids: u32,
}

impl Client {
    fn new() -> Self {
        Self {
            server: ServerAuth::new(key().clone(), DhParams::telegram()),
            rng: StdRng::seed_from_u64(5),
            ids: 0,
        }
    }

    fn send(&mut self, body: &[u8]) -> Result<ServerStep, ServerAuthError> {
        self.ids += 1;
        let msg = plain::wrap((1_700_000_000i64 << 32) | i64::from(self.ids) << 2, body);
        self.server.handle(now(), &msg, &mut self.rng)
    }

    fn reply_body(step: ServerStep) -> Vec<u8> {
        match step {
            ServerStep::Reply(p) => plain::unwrap(&p).unwrap().body.to_vec(),
            ServerStep::Done { reply, .. } => plain::unwrap(&reply).unwrap().body.to_vec(),
        }
    }

    fn res_pq(&mut self) -> types::ResPq {
        let step = self
            .send(&functions::ReqPqMulti { nonce: NONCE }.to_bytes())
            .unwrap();
        types::ResPq::from_bytes(&Self::reply_body(step)).unwrap()
    }

    /// A valid req_DH_params for `res`, with optional edits.
    fn req_dh(
        &mut self,
        res: &types::ResPq,
        edit: impl FnOnce(&mut functions::ReqDhParams),
    ) -> Result<ServerStep, ServerAuthError> {
        let (p, q) = factorize(from_be(&res.pq).unwrap()).unwrap();
        let inner = types::PQInnerDataDc {
            pq: res.pq.clone(),
            p: be_bytes(p),
            q: be_bytes(q),
            nonce: NONCE,
            server_nonce: res.server_nonce,
            new_nonce: NEW_NONCE,
            dc: 2,
        };
        let enc = key()
            .public_key()
            .encrypt_pad(&inner.to_bytes(), &mut self.rng)
            .unwrap();
        let mut req = functions::ReqDhParams {
            nonce: NONCE,
            server_nonce: res.server_nonce,
            p: be_bytes(p),
            q: be_bytes(q),
            public_key_fingerprint: key().public_key().fingerprint() as i64,
            encrypted_data: enc.to_vec(),
        };
        edit(&mut req);
        self.send(&req.to_bytes())
    }

    /// Up to set_client_DH_params; returns (server_nonce, g_a).
    fn advance_to_client_dh(&mut self) -> ([u8; 16], Vec<u8>) {
        let res = self.res_pq();
        let step = self.req_dh(&res, |_| {}).unwrap();
        let enums::ServerDhParams::ServerDhParamsOk(ok) =
            enums::ServerDhParams::from_bytes(&Self::reply_body(step)).unwrap()
        else {
            panic!("server_DH_params_fail")
        };
        let (k, iv) = tmp_aes(&NEW_NONCE, &res.server_nonce);
        let plain = decrypt_raw(&ok.encrypted_answer, &k, &iv).unwrap();
        let (inner, _) = decode_len::<types::ServerDhInnerData>(&plain[20..]).unwrap();
        assert_eq!(inner.dh_prime, DhParams::telegram().prime().to_vec());
        assert_eq!(inner.g, 3);
        assert_eq!(i64::from(inner.server_time), now().secs());
        (res.server_nonce, inner.g_a)
    }

    fn set_client_dh(
        &mut self,
        server_nonce: [u8; 16],
        retry_id: i64,
        g_b: Vec<u8>,
    ) -> Result<ServerStep, ServerAuthError> {
        let inner = types::ClientDhInnerData {
            nonce: NONCE,
            server_nonce,
            retry_id,
            g_b,
        };
        let (k, iv) = tmp_aes(&NEW_NONCE, &server_nonce);
        let encrypted_data = encrypt_with_hash(&inner.to_bytes(), &k, &iv, &mut self.rng);
        self.send(
            &functions::SetClientDhParams {
                nonce: NONCE,
                server_nonce,
                encrypted_data,
            }
            .to_bytes(),
        )
    }
}

#[test]
fn res_pq_carries_a_semiprime_and_our_fingerprint() {
    let mut c = Client::new();
    let res = c.res_pq();
    assert_eq!(res.nonce, NONCE);
    assert_eq!(
        res.server_public_key_fingerprints,
        vec![key().public_key().fingerprint() as i64]
    );
    let pq = from_be(&res.pq).unwrap();
    let (p, q) = factorize(pq).unwrap();
    assert!(p < q && p > 1 << 29);
}

#[test]
fn hand_driven_client_gets_the_key_it_computes() {
    let mut c = Client::new();
    let (sn, g_a) = c.advance_to_client_dh();
    let dh = DhParams::telegram();
    let b = [0x42u8; 256];
    let g_b = dh.pow_g(&b).to_vec();
    let ServerStep::Done { key: created, .. } = c.set_client_dh(sn, 0, g_b).unwrap() else {
        panic!("no key")
    };
    // g_a^b computed independently with num-bigint
    use num_bigint::BigUint;
    let p = BigUint::from_bytes_be(dh.prime());
    let shared = BigUint::from_bytes_be(&g_a)
        .modpow(&BigUint::from_bytes_be(&b), &p)
        .to_bytes_be();
    let mut expected = [0u8; 256];
    expected[256 - shared.len()..].copy_from_slice(&shared);
    assert_eq!(created.auth_key.as_bytes(), &expected);
    assert_eq!(created.dc, 2);
}

#[test]
fn req_dh_params_with_wrong_nonces_or_fingerprint_is_refused() {
    let mut c = Client::new();
    let res = c.res_pq();
    assert!(matches!(
        c.req_dh(&res, |r| r.server_nonce[0] ^= 1),
        Err(ServerAuthError::Nonce)
    ));
    let mut c = Client::new();
    let res = c.res_pq();
    assert!(matches!(
        c.req_dh(&res, |r| r.public_key_fingerprint ^= 1),
        Err(ServerAuthError::Fingerprint(_))
    ));
    let mut c = Client::new();
    let res = c.res_pq();
    assert!(matches!(
        c.req_dh(&res, |r| std::mem::swap(&mut r.p, &mut r.q)),
        Err(ServerAuthError::Pq)
    ));
}

#[test]
fn tampered_rsa_data_is_refused() {
    let mut c = Client::new();
    let res = c.res_pq();
    assert!(matches!(
        c.req_dh(&res, |r| r.encrypted_data[100] ^= 1),
        Err(ServerAuthError::Rsa(_))
    ));
}

#[test]
fn out_of_order_and_finished_exchanges_are_refused() {
    let mut c = Client::new();
    let err = c
        .send(
            &functions::SetClientDhParams {
                nonce: NONCE,
                server_nonce: [0; 16],
                encrypted_data: vec![0; 16],
            }
            .to_bytes(),
        )
        .unwrap_err();
    assert!(matches!(err, ServerAuthError::Unexpected(_)));
    assert!(matches!(
        c.send(&functions::ReqPqMulti { nonce: NONCE }.to_bytes()),
        Err(ServerAuthError::Finished)
    ));
}

#[test]
fn bad_g_b_wrong_retry_id_and_bad_hash_are_refused() {
    let mut c = Client::new();
    let (sn, _) = c.advance_to_client_dh();
    assert!(matches!(
        c.set_client_dh(sn, 0, vec![2]),
        Err(ServerAuthError::Dh(_))
    ));

    let mut c = Client::new();
    let (sn, _) = c.advance_to_client_dh();
    let g_b = DhParams::telegram().pow_g(&[0x42; 256]).to_vec();
    assert!(matches!(
        c.set_client_dh(sn, 99, g_b),
        Err(ServerAuthError::RetryId)
    ));

    let mut c = Client::new();
    let (sn, _) = c.advance_to_client_dh();
    let (k, iv) = tmp_aes(&NEW_NONCE, &sn);
    let mut data = vec![0u8; 20];
    data.extend(
        types::ClientDhInnerData {
            nonce: NONCE,
            server_nonce: sn,
            retry_id: 0,
            g_b: vec![1; 256],
        }
        .to_bytes(),
    );
    data.resize(data.len().div_ceil(16) * 16, 0);
    hearth_crypto::ige::encrypt_ige(&mut data, &k, &iv).unwrap();
    let err = c
        .send(
            &functions::SetClientDhParams {
                nonce: NONCE,
                server_nonce: sn,
                encrypted_data: data,
            }
            .to_bytes(),
        )
        .unwrap_err();
    assert!(matches!(err, ServerAuthError::Hash));
}

/// `req_pq`, `p_q_inner_data` without a DC and the SHA-1 padding scheme, as
/// Telethon 1.x sends them, are accepted; a wrong SHA-1 is not.
#[test]
fn legacy_sha1_padding_and_dcless_inner_data_are_accepted() {
    use num_bigint::BigUint;
    for tamper in [false, true] {
        let mut c = Client::new();
        let step = c
            .send(&functions::ReqPq { nonce: NONCE }.to_bytes())
            .unwrap();
        let res = types::ResPq::from_bytes(&Client::reply_body(step)).unwrap();
        let res_clone = res.clone();
        let result = c.req_dh(&res, move |req| {
            let (p, q) = (req.p.clone(), req.q.clone());
            let inner = types::PQInnerData {
                pq: res_clone.pq.clone(),
                p,
                q,
                nonce: NONCE,
                server_nonce: res_clone.server_nonce,
                new_nonce: NEW_NONCE,
            }
            .to_bytes();
            let mut block = vec![0u8; 255];
            let mut hash = hearth_crypto::hash::sha1(&[&inner]);
            if tamper {
                hash[0] ^= 1;
            }
            block[..20].copy_from_slice(&hash);
            block[20..20 + inner.len()].copy_from_slice(&inner);
            let n = BigUint::from_bytes_be(&key().public_key().n_bytes());
            let e = BigUint::from_bytes_be(&key().public_key().e_bytes());
            req.encrypted_data = BigUint::from_bytes_be(&block).modpow(&e, &n).to_bytes_be();
        });
        if tamper {
            assert!(matches!(
                result,
                Err(ServerAuthError::Rsa(RsaError::PaddingHash))
            ));
        } else {
            let body = Client::reply_body(result.unwrap());
            assert!(matches!(
                enums::ServerDhParams::from_bytes(&body).unwrap(),
                enums::ServerDhParams::ServerDhParamsOk(_)
            ));
        }
    }
}
