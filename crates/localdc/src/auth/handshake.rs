//! The server's half of the DH auth key exchange, sans-IO.
//!
//! Follows core.telegram.org/mtproto/auth_key step by step: `req_pq_multi` →
//! `resPQ` with a fresh `pq`; `req_DH_params` (RSA_PAD) → `server_DH_params_ok`
//! with Telegram's prime and g = 3; `set_client_DH_params` → `dh_gen_ok`, or
//! `dh_gen_retry` when the new key's id collides, or `dh_gen_fail` for a `g_b`
//! outside the safe range. Every nonce is checked against the previous step.

use num_bigint::BigUint;
use num_traits::One;

use crate::crypto::message::AuthKey;
use crate::crypto::primes::{be_trimmed, fresh_pq};
use crate::crypto::{dh_prime, ige_decrypt, ige_encrypt, random, rsa_pad, sha1, DH_G};
use crate::keys::ServerKey;
use crate::tl::{Reader, TlError, Writer};

pub const REQ_PQ: u32 = 0x60469778;
pub const REQ_PQ_MULTI: u32 = 0xbe7e8ef1;
pub const REQ_DH_PARAMS: u32 = 0xd712e4be;
pub const SET_CLIENT_DH_PARAMS: u32 = 0xf5045f1f;
const RES_PQ: u32 = 0x05162463;
const P_Q_INNER: u32 = 0x83c95aec;
const P_Q_INNER_DC: u32 = 0xa9f55f95;
const P_Q_INNER_TEMP: u32 = 0x3c6a84d4;
const P_Q_INNER_TEMP_DC: u32 = 0x56fddf88;
const SERVER_DH_PARAMS_OK: u32 = 0xd0e8075c;
const SERVER_DH_INNER: u32 = 0xb5890dba;
const CLIENT_DH_INNER: u32 = 0x6643b654;
const DH_GEN_OK: u32 = 0x3bcbf734;
const DH_GEN_RETRY: u32 = 0x46dc1fb9;
const DH_GEN_FAIL: u32 = 0xa69dae02;

/// Why a handshake was abandoned; the connection is closed after any of these.
#[derive(Debug, thiserror::Error)]
pub enum HandshakeError {
    #[error("malformed handshake message: {0}")]
    Tl(#[from] TlError),
    #[error("handshake message {0:#010x} arrived out of order")]
    Unexpected(u32),
    #[error("nonce or server_nonce does not match the exchange")]
    Nonce,
    #[error("public_key_fingerprint {0} is not this server's key")]
    Fingerprint(i64),
    #[error("encrypted_data did not decrypt: {0}")]
    Decrypt(#[from] crate::crypto::CryptoError),
    #[error("p, q or pq in p_q_inner_data do not match the challenge")]
    Factors,
    #[error("p_q_inner_data names DC {found}, but this is DC {expected}")]
    WrongDc { found: i32, expected: i32 },
    #[error("client_DH_inner_data failed its SHA-1 check")]
    AnswerHash,
}

/// A finished exchange: the new key and what the client asked for.
#[derive(Debug)]
pub struct NewKey {
    pub key: AuthKey,
    /// First server salt: `new_nonce[0..8] XOR server_nonce[0..8]`.
    pub salt: i64,
    /// Lifetime in seconds for a temporary (PFS) key; `None` for a permanent one.
    pub expires_in: Option<i32>,
}

/// What to do after feeding one plain message to the exchange.
#[derive(Debug)]
pub enum Step {
    /// Send this body back as a plain message.
    Reply(Vec<u8>),
    /// Send this body (`dh_gen_ok`) and store the new key.
    Done(Vec<u8>, NewKey),
}

enum State {
    Idle,
    Challenged {
        nonce: [u8; 16],
        server_nonce: [u8; 16],
        pq: u64,
        p: u64,
        q: u64,
    },
    DhSent {
        nonce: [u8; 16],
        server_nonce: [u8; 16],
        new_nonce: [u8; 32],
        a: BigUint,
        expires_in: Option<i32>,
    },
}

/// One connection's exchange. `dc_id` is the id clients put in `p_q_inner_data_dc`
/// (negative for media DCs, +10000 on the test network); any of those forms is accepted.
pub struct Handshake {
    state: State,
    dc_id: i32,
}

impl std::fmt::Debug for Handshake {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Handshake { .. }")
    }
}

fn tmp_aes(new_nonce: &[u8; 32], server_nonce: &[u8; 16]) -> ([u8; 32], [u8; 32]) {
    let a = sha1(&[new_nonce, server_nonce]);
    let b = sha1(&[server_nonce, new_nonce]);
    let c = sha1(&[new_nonce, new_nonce]);
    let mut key = [0u8; 32];
    key[..20].copy_from_slice(&a);
    key[20..].copy_from_slice(&b[..12]);
    let mut iv = [0u8; 32];
    iv[..8].copy_from_slice(&b[12..20]);
    iv[8..28].copy_from_slice(&c);
    iv[28..].copy_from_slice(&new_nonce[..4]);
    (key, iv)
}

/// `new_nonce_hashN`: the lower 128 bits of SHA1(new_nonce + N + auth_key_aux_hash).
fn new_nonce_hash(new_nonce: &[u8; 32], n: u8, key: &AuthKey) -> [u8; 16] {
    let h = sha1(&[new_nonce, &[n], &key.aux_hash()]);
    let mut out = [0u8; 16];
    out.copy_from_slice(&h[4..20]);
    out
}

fn to_256(v: &BigUint) -> [u8; 256] {
    let b = v.to_bytes_be();
    let mut out = [0u8; 256];
    out[256 - b.len().min(256)..].copy_from_slice(&b[b.len().saturating_sub(256)..]);
    out
}

impl Handshake {
    pub fn new(dc_id: i32) -> Self {
        Self {
            state: State::Idle,
            dc_id,
        }
    }

    fn dc_matches(&self, dc: i32) -> bool {
        let base = dc.abs() % 10000;
        base == self.dc_id.abs() % 10000
    }

    /// Feeds one plain message body. `key_exists` tells whether an auth key id is
    /// taken (answered with `dh_gen_retry`); `now` is the server's Unix time.
    pub fn step(
        &mut self,
        body: &[u8],
        server_key: &ServerKey,
        key_exists: &dyn Fn(u64) -> bool,
        now: i32,
    ) -> Result<Step, HandshakeError> {
        let mut r = Reader::new(body);
        let id = r.id()?;
        match (id, &self.state) {
            (REQ_PQ_MULTI | REQ_PQ, _) => {
                let nonce = r.array::<16>()?;
                let server_nonce = random::<16>();
                let (pq, p, q) = fresh_pq();
                let mut w = Writer::new();
                w.id(RES_PQ)
                    .raw(&nonce)
                    .raw(&server_nonce)
                    .bytes(&be_trimmed(pq));
                w.vec_long(&[server_key.fingerprint()]);
                self.state = State::Challenged {
                    nonce,
                    server_nonce,
                    pq,
                    p,
                    q,
                };
                Ok(Step::Reply(w.finish()))
            }
            (
                REQ_DH_PARAMS,
                State::Challenged {
                    nonce,
                    server_nonce,
                    pq,
                    p,
                    q,
                },
            ) => {
                if r.array::<16>()? != *nonce || r.array::<16>()? != *server_nonce {
                    return Err(HandshakeError::Nonce);
                }
                let (rp, rq) = (r.bytes()?.to_vec(), r.bytes()?.to_vec());
                let fp = r.long()?;
                if fp != server_key.fingerprint() {
                    return Err(HandshakeError::Fingerprint(fp));
                }
                if rp != be_trimmed(*p) || rq != be_trimmed(*q) {
                    return Err(HandshakeError::Factors);
                }
                let (data, legacy_hash) =
                    match rsa_pad::decrypt_any(r.bytes()?, server_key.n(), server_key.d())? {
                        rsa_pad::Decrypted::Pad(data) => (data, None),
                        rsa_pad::Decrypted::Legacy { sha1, rest } => (rest, Some(sha1)),
                    };
                let mut inner = Reader::new(&data);
                let ctor = inner.id()?;
                if ![P_Q_INNER, P_Q_INNER_DC, P_Q_INNER_TEMP, P_Q_INNER_TEMP_DC].contains(&ctor) {
                    return Err(HandshakeError::Unexpected(ctor));
                }
                let (ipq, ip, iq) = (inner.bytes()?, inner.bytes()?, inner.bytes()?);
                if ipq != be_trimmed(*pq) || ip != be_trimmed(*p) || iq != be_trimmed(*q) {
                    return Err(HandshakeError::Factors);
                }
                if inner.array::<16>()? != *nonce || inner.array::<16>()? != *server_nonce {
                    return Err(HandshakeError::Nonce);
                }
                let new_nonce = inner.array::<32>()?;
                if matches!(ctor, P_Q_INNER_DC | P_Q_INNER_TEMP_DC) {
                    let dc = inner.int()?;
                    if !self.dc_matches(dc) {
                        return Err(HandshakeError::WrongDc {
                            found: dc,
                            expected: self.dc_id,
                        });
                    }
                }
                let expires_in = if matches!(ctor, P_Q_INNER_TEMP | P_Q_INNER_TEMP_DC) {
                    Some(inner.int()?)
                } else {
                    None
                };
                if let Some(hash) = legacy_hash {
                    if sha1(&[&data[..inner.pos()]]) != hash {
                        return Err(HandshakeError::Decrypt(
                            crate::crypto::CryptoError::RsaPadHash,
                        ));
                    }
                }
                let prime = dh_prime();
                let a = BigUint::from_bytes_be(&random::<256>());
                let g_a = BigUint::from(DH_G).modpow(&a, &prime);
                let mut answer = Writer::new();
                answer
                    .id(SERVER_DH_INNER)
                    .raw(nonce)
                    .raw(server_nonce)
                    .int(DH_G as i32)
                    .bytes(&prime.to_bytes_be())
                    .bytes(&to_256(&g_a))
                    .int(now);
                let answer = answer.finish();
                let mut with_hash = sha1(&[&answer]).to_vec();
                with_hash.extend_from_slice(&answer);
                let pad = (16 - with_hash.len() % 16) % 16;
                with_hash.extend_from_slice(&random::<16>()[..pad]);
                let (k, iv) = tmp_aes(&new_nonce, server_nonce);
                ige_encrypt(&mut with_hash, &k, &iv)?;
                let mut w = Writer::new();
                w.id(SERVER_DH_PARAMS_OK)
                    .raw(nonce)
                    .raw(server_nonce)
                    .bytes(&with_hash);
                self.state = State::DhSent {
                    nonce: *nonce,
                    server_nonce: *server_nonce,
                    new_nonce,
                    a,
                    expires_in,
                };
                Ok(Step::Reply(w.finish()))
            }
            (
                SET_CLIENT_DH_PARAMS,
                State::DhSent {
                    nonce,
                    server_nonce,
                    new_nonce,
                    a,
                    expires_in,
                },
            ) => {
                if r.array::<16>()? != *nonce || r.array::<16>()? != *server_nonce {
                    return Err(HandshakeError::Nonce);
                }
                let mut data = r.bytes()?.to_vec();
                let (k, iv) = tmp_aes(new_nonce, server_nonce);
                ige_decrypt(&mut data, &k, &iv)?;
                if data.len() < 20 {
                    return Err(HandshakeError::AnswerHash);
                }
                let (hash, rest) = data.split_at(20);
                let mut inner = Reader::new(rest);
                inner.expect(CLIENT_DH_INNER, "client_DH_inner_data")?;
                if inner.array::<16>()? != *nonce || inner.array::<16>()? != *server_nonce {
                    return Err(HandshakeError::Nonce);
                }
                let _retry_id = inner.long()?;
                let g_b = BigUint::from_bytes_be(inner.bytes()?);
                if sha1(&[&rest[..inner.pos()]]) != hash {
                    return Err(HandshakeError::AnswerHash);
                }
                let prime = dh_prime();
                let bound = BigUint::one() << (2048 - 64);
                let safe = g_b > BigUint::one()
                    && g_b < &prime - BigUint::one()
                    && g_b > bound
                    && g_b < &prime - &bound;
                let mut w = Writer::new();
                if !safe {
                    // The spec's dh_gen_fail carries new_nonce_hash3 of a key that
                    // cannot exist; hash with an all-zero key's aux hash.
                    let zero = AuthKey::new([0u8; 256]);
                    w.id(DH_GEN_FAIL)
                        .raw(nonce)
                        .raw(server_nonce)
                        .raw(&new_nonce_hash(new_nonce, 3, &zero));
                    self.state = State::Idle;
                    return Ok(Step::Reply(w.finish()));
                }
                let key = AuthKey::new(to_256(&g_b.modpow(a, &prime)));
                if key_exists(key.id()) {
                    w.id(DH_GEN_RETRY)
                        .raw(nonce)
                        .raw(server_nonce)
                        .raw(&new_nonce_hash(new_nonce, 2, &key));
                    return Ok(Step::Reply(w.finish()));
                }
                w.id(DH_GEN_OK)
                    .raw(nonce)
                    .raw(server_nonce)
                    .raw(&new_nonce_hash(new_nonce, 1, &key));
                let mut salt = [0u8; 8];
                for i in 0..8 {
                    salt[i] = new_nonce[i] ^ server_nonce[i];
                }
                let done = NewKey {
                    key,
                    salt: i64::from_le_bytes(salt),
                    expires_in: *expires_in,
                };
                self.state = State::Idle;
                Ok(Step::Done(w.finish(), done))
            }
            (other, _) => Err(HandshakeError::Unexpected(other)),
        }
    }
}

#[cfg(test)]
#[path = "handshake_tests.rs"]
mod tests;
