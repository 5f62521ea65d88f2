//! Server half of auth key creation (core.telegram.org/mtproto/auth_key),
//! sans-IO: feed each client payload to [`ServerAuth::handle`], send the reply.

use hearth_crypto::dh::{DhKeyPair, DhParams};
use hearth_crypto::factorize::is_prime_u64;
use hearth_crypto::rsa::{RsaError, RsaPrivateKey};
use hearth_crypto::AuthKey;
use rand_core::CryptoRng;
use zeroize::Zeroizing;

use super::message::ServerMsgIds;
use crate::auth::tl::{self, ClientDhInner, PqInnerData, ResPq, ServerDhInner};
use crate::auth::tmp_aes::{check_hash, decrypt_raw, encrypt_with_hash, first_salt, tmp_aes};
use crate::error::DecodeError;
use crate::wire::{Reader, Writer};
use crate::{plain, UnixTime};

/// A key the client created with us.
#[derive(Debug)]
pub struct CreatedKey {
    pub auth_key: AuthKey,
    /// The first salt, as the client computes it.
    pub salt: i64,
    /// The `dc` field the client sent (negative for media, +10000 for test).
    pub dc: i32,
    /// `Some` for temporary keys (`p_q_inner_data_temp_dc`).
    pub expires_in: Option<i32>,
}

/// What to do after a client payload.
#[derive(Debug)]
pub enum ServerStep {
    /// Send this payload, wait for the next one.
    Reply(Vec<u8>),
    /// Send `reply` (dh_gen_ok); the key is ready.
    Done { reply: Vec<u8>, key: CreatedKey },
}

/// Why the server side refused the client.
#[derive(Debug, thiserror::Error)]
pub enum ServerAuthError {
    #[error("malformed client message: {0}")]
    Decode(#[from] DecodeError),
    #[error("client message {0:#010x} not expected at this step")]
    Unexpected(u32),
    #[error("nonce or server_nonce does not match")]
    Nonce,
    #[error("unknown public key fingerprint {0:#x}")]
    Fingerprint(i64),
    #[error("RSA: {0}")]
    Rsa(#[from] RsaError),
    #[error("p, q or pq in the client's data are wrong")]
    Pq,
    #[error("client DH data failed the hash check")]
    Hash,
    #[error("g_b rejected: {0}")]
    Dh(#[from] hearth_crypto::dh::DhError),
    #[error("retry_id does not match the previous key's aux_hash")]
    RetryId,
    #[error("the exchange already finished")]
    Finished,
}

enum State {
    Pq,
    DhParams {
        server_nonce: [u8; 16],
        pq: u64,
    },
    ClientDh {
        server_nonce: [u8; 16],
        new_nonce: Zeroizing<[u8; 32]>,
        pair: DhKeyPair,
        dc: i32,
        expires_in: Option<i32>,
        expected_retry_id: i64,
    },
    Finished,
}

/// Server side of one exchange.
pub struct ServerAuth {
    key: RsaPrivateKey,
    dh: DhParams,
    nonce: [u8; 16],
    msg_ids: ServerMsgIds,
    state: State,
    /// Answer this many `set_client_DH_params` with `dh_gen_retry` before
    /// `dh_gen_ok` (exercises the client's retry path).
    pub retries_to_demand: u32,
}

impl std::fmt::Debug for ServerAuth {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ServerAuth").finish_non_exhaustive()
    }
}

impl ServerAuth {
    /// A server using `key` (its fingerprint is announced in resPQ) and DH
    /// group `dh` (use [`DhParams::telegram`]).
    pub fn new(key: RsaPrivateKey, dh: DhParams) -> Self {
        Self {
            key,
            dh,
            nonce: [0; 16],
            msg_ids: ServerMsgIds::new(),
            state: State::Pq,
            retries_to_demand: 0,
        }
    }

    fn frame(&mut self, now: UnixTime, body: &[u8]) -> Vec<u8> {
        plain::wrap(self.msg_ids.next(now, true), body)
    }

    /// Handles one client payload at server time `now`.
    pub fn handle(
        &mut self,
        now: UnixTime,
        payload: &[u8],
        rng: &mut (impl CryptoRng + ?Sized),
    ) -> Result<ServerStep, ServerAuthError> {
        let msg = plain::unwrap(payload)?;
        let body = msg.body;
        let id = Reader::new(body).u32()?;
        let state = std::mem::replace(&mut self.state, State::Finished);
        match (state, id) {
            (State::Pq, tl::REQ_PQ_MULTI) => {
                let mut r = Reader::new(body);
                r.u32()?;
                self.nonce = r.array()?;
                let mut server_nonce = [0u8; 16];
                rng.fill_bytes(&mut server_nonce);
                let pq = random_prime(rng) * random_prime(rng);
                let res = ResPq {
                    nonce: self.nonce,
                    server_nonce,
                    pq: tl::be_bytes(pq),
                    fingerprints: vec![self.key.public_key().fingerprint() as i64],
                };
                self.state = State::DhParams { server_nonce, pq };
                Ok(ServerStep::Reply(self.frame(now, &res.encode())))
            }
            (State::DhParams { server_nonce, pq }, tl::REQ_DH_PARAMS) => {
                let mut r = Reader::new(body);
                r.u32()?;
                let nonce: [u8; 16] = r.array()?;
                let sn: [u8; 16] = r.array()?;
                if nonce != self.nonce || sn != server_nonce {
                    return Err(ServerAuthError::Nonce);
                }
                let p = tl::from_be(r.bytes()?).ok_or(ServerAuthError::Pq)?;
                let q = tl::from_be(r.bytes()?).ok_or(ServerAuthError::Pq)?;
                let fp = r.i64()?;
                if fp as u64 != self.key.public_key().fingerprint() {
                    return Err(ServerAuthError::Fingerprint(fp));
                }
                let data = Zeroizing::new(self.key.decrypt_pad(r.bytes()?, rng)?);
                let inner = PqInnerData::decode(data.as_ref())?;
                if inner.nonce != self.nonce || inner.server_nonce != server_nonce {
                    return Err(ServerAuthError::Nonce);
                }
                if p.checked_mul(q) != Some(pq)
                    || p >= q
                    || tl::from_be(&inner.pq) != Some(pq)
                    || tl::from_be(&inner.p) != Some(p)
                    || tl::from_be(&inner.q) != Some(q)
                {
                    return Err(ServerAuthError::Pq);
                }
                let new_nonce = Zeroizing::new(inner.new_nonce);
                let pair = self.dh.generate_key_pair(rng);
                let answer = ServerDhInner {
                    nonce: self.nonce,
                    server_nonce,
                    g: self.dh.g() as i32,
                    dh_prime: self.dh.prime().to_vec(),
                    g_a: pair.public().to_vec(),
                    server_time: now.secs() as i32,
                };
                let (key, iv) = tmp_aes(&new_nonce, &server_nonce);
                let encrypted = encrypt_with_hash(&answer.encode(), &key, &iv, rng);
                let mut out =
                    tl::nonces_and_hash(tl::SERVER_DH_PARAMS_OK, &self.nonce, &server_nonce, &[]);
                out.put_bytes(&encrypted);
                self.state = State::ClientDh {
                    server_nonce,
                    new_nonce,
                    pair,
                    dc: inner.dc,
                    expires_in: inner.expires_in,
                    expected_retry_id: 0,
                };
                Ok(ServerStep::Reply(self.frame(now, &out)))
            }
            (
                State::ClientDh {
                    server_nonce,
                    new_nonce,
                    pair,
                    dc,
                    expires_in,
                    expected_retry_id,
                },
                tl::SET_CLIENT_DH_PARAMS,
            ) => {
                let mut r = Reader::new(body);
                r.u32()?;
                let nonce: [u8; 16] = r.array()?;
                let sn: [u8; 16] = r.array()?;
                if nonce != self.nonce || sn != server_nonce {
                    return Err(ServerAuthError::Nonce);
                }
                let (key, iv) = tmp_aes(&new_nonce, &server_nonce);
                let plain = Zeroizing::new(
                    decrypt_raw(r.bytes()?, &key, &iv).ok_or(ServerAuthError::Hash)?,
                );
                let (inner, len) =
                    ClientDhInner::decode(&plain[20..]).map_err(|_| ServerAuthError::Hash)?;
                if !check_hash(&plain, len) {
                    return Err(ServerAuthError::Hash);
                }
                if inner.nonce != self.nonce || inner.server_nonce != server_nonce {
                    return Err(ServerAuthError::Nonce);
                }
                if inner.retry_id != expected_retry_id {
                    return Err(ServerAuthError::RetryId);
                }
                let auth_key = pair.shared_key(&inner.g_b)?;
                if self.retries_to_demand > 0 {
                    self.retries_to_demand -= 1;
                    let hash = auth_key.new_nonce_hash(&new_nonce, 2);
                    let out =
                        tl::nonces_and_hash(tl::DH_GEN_RETRY, &self.nonce, &server_nonce, &hash);
                    self.state = State::ClientDh {
                        server_nonce,
                        expected_retry_id: auth_key.aux_hash() as i64,
                        new_nonce,
                        pair,
                        dc,
                        expires_in,
                    };
                    return Ok(ServerStep::Reply(self.frame(now, &out)));
                }
                let hash = auth_key.new_nonce_hash(&new_nonce, 1);
                let out = tl::nonces_and_hash(tl::DH_GEN_OK, &self.nonce, &server_nonce, &hash);
                let reply = self.frame(now, &out);
                Ok(ServerStep::Done {
                    reply,
                    key: CreatedKey {
                        salt: first_salt(&new_nonce, &server_nonce),
                        auth_key,
                        dc,
                        expires_in,
                    },
                })
            }
            (State::Finished, _) => Err(ServerAuthError::Finished),
            (_, other) => Err(ServerAuthError::Unexpected(other)),
        }
    }
}

/// A random prime in [2^30, 2^31), so pq fits in 62 bits like Telegram's.
fn random_prime(rng: &mut (impl CryptoRng + ?Sized)) -> u64 {
    loop {
        let c = u64::from(rng.next_u32() >> 1 | 1 << 30 | 1);
        if is_prime_u64(c) {
            return c;
        }
    }
}
