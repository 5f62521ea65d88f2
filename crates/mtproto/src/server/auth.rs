//! Server half of auth key creation (core.telegram.org/mtproto/auth_key),
//! sans-IO: feed each client payload to [`ServerAuth::handle`], send the reply.

use hearth_crypto::dh::{DhKeyPair, DhParams};
use hearth_crypto::factorize::is_prime_u64;
use hearth_crypto::rsa::{RsaError, RsaPrivateKey};
use hearth_crypto::AuthKey;
use rand_core::CryptoRng;
use zeroize::Zeroizing;

use hearth_tl::{Deserializable, Identifiable, Serializable};

use super::message::ServerMsgIds;
use crate::auth::tl::{self, enums, functions, types};
use crate::auth::tmp_aes::{check_hash, decrypt_raw, encrypt_with_hash, first_salt, tmp_aes};
use crate::error::DecodeError;
use crate::wire::Reader;
use crate::{plain, UnixTime};

/// A key the client created with us.
#[derive(Debug)]
pub struct CreatedKey {
    pub auth_key: AuthKey,
    /// The first salt, as the client computes it.
    pub salt: i64,
    /// The `dc` field the client sent (negative for media, +10000 for test;
    /// 0 when it used a `p_q_inner_data` form without one).
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
    Done {
        reply: Vec<u8>,
        key: Box<CreatedKey>,
    },
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
    DhParams { server_nonce: [u8; 16], pq: u64 },
    ClientDh(Box<ClientDh>),
    Finished,
}

/// What the last step needs.
struct ClientDh {
    server_nonce: [u8; 16],
    new_nonce: Zeroizing<[u8; 32]>,
    pair: DhKeyPair,
    dc: i32,
    expires_in: Option<i32>,
    expected_retry_id: i64,
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
    /// Tells whether an auth_key_id is already in use; such a key is
    /// answered with `dh_gen_retry` so the client derives another one
    /// (core.telegram.org/mtproto/auth_key, step 9).
    pub key_taken: Option<Box<dyn Fn(u64) -> bool + Send + Sync>>,
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
            key_taken: None,
        }
    }

    /// Decrypts `req_DH_params.encrypted_data`: RSA_PAD, or else the older
    /// SHA-1 scheme (`SHA1(data) + data + padding`) that Telegram still
    /// accepts from clients that never moved to RSA_PAD.
    fn inner_data(
        &self,
        encrypted: &[u8],
        rng: &mut (impl CryptoRng + ?Sized),
    ) -> Result<enums::PQInnerData, ServerAuthError> {
        match self.key.decrypt_pad(encrypted, rng) {
            Ok(data) => {
                let data = Zeroizing::new(data);
                Ok(enums::PQInnerData::from_bytes(data.as_ref()).map_err(DecodeError::from)?)
            }
            Err(RsaError::PaddingHash) => {
                let legacy = self.key.decrypt_legacy(encrypted, rng)?;
                let (inner, len) = tl::decode_len::<enums::PQInnerData>(legacy.data())
                    .map_err(|_| ServerAuthError::Rsa(RsaError::PaddingHash))?;
                if legacy.verify(len) {
                    Ok(inner)
                } else {
                    Err(ServerAuthError::Rsa(RsaError::PaddingHash))
                }
            }
            Err(e) => Err(e.into()),
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
            (
                State::Pq,
                functions::ReqPqMulti::CONSTRUCTOR_ID | functions::ReqPq::CONSTRUCTOR_ID,
            ) => {
                // req_pq and req_pq_multi differ only in their constructor id.
                let req = functions::ReqPqMulti::from_bytes(
                    &[
                        &functions::ReqPqMulti::CONSTRUCTOR_ID.to_le_bytes(),
                        &body[4..],
                    ]
                    .concat(),
                )
                .map_err(DecodeError::from)?;
                self.nonce = req.nonce;
                let mut server_nonce = [0u8; 16];
                rng.fill_bytes(&mut server_nonce);
                let p = random_prime(rng);
                let q = loop {
                    let q = random_prime(rng);
                    if q != p {
                        break q;
                    }
                };
                let pq = p * q;
                let res = types::ResPq {
                    nonce: self.nonce,
                    server_nonce,
                    pq: tl::be_bytes(pq),
                    server_public_key_fingerprints: vec![self.key.public_key().fingerprint() as i64],
                };
                self.state = State::DhParams { server_nonce, pq };
                Ok(ServerStep::Reply(self.frame(now, &res.to_bytes())))
            }
            (State::DhParams { server_nonce, pq }, functions::ReqDhParams::CONSTRUCTOR_ID) => {
                let req = functions::ReqDhParams::from_bytes(body).map_err(DecodeError::from)?;
                if req.nonce != self.nonce || req.server_nonce != server_nonce {
                    return Err(ServerAuthError::Nonce);
                }
                let p = tl::from_be(&req.p).ok_or(ServerAuthError::Pq)?;
                let q = tl::from_be(&req.q).ok_or(ServerAuthError::Pq)?;
                if req.public_key_fingerprint as u64 != self.key.public_key().fingerprint() {
                    return Err(ServerAuthError::Fingerprint(req.public_key_fingerprint));
                }
                let inner = self.inner_data(&req.encrypted_data, rng)?;
                let (inner_pq, inner_p, inner_q, nonce, sn, new_nonce, dc, expires_in) = match inner
                {
                    enums::PQInnerData::PQInnerDataDc(d) => (
                        d.pq,
                        d.p,
                        d.q,
                        d.nonce,
                        d.server_nonce,
                        d.new_nonce,
                        d.dc,
                        None,
                    ),
                    enums::PQInnerData::PQInnerDataTempDc(d) => (
                        d.pq,
                        d.p,
                        d.q,
                        d.nonce,
                        d.server_nonce,
                        d.new_nonce,
                        d.dc,
                        Some(d.expires_in),
                    ),
                    // The forms without a DC id are older but Telegram still
                    // accepts them (Telethon 1.x sends p_q_inner_data); the DC
                    // is then the one the connection reached, reported as 0.
                    enums::PQInnerData::PQInnerData(d) => (
                        d.pq,
                        d.p,
                        d.q,
                        d.nonce,
                        d.server_nonce,
                        d.new_nonce,
                        0,
                        None,
                    ),
                    enums::PQInnerData::PQInnerDataTemp(d) => (
                        d.pq,
                        d.p,
                        d.q,
                        d.nonce,
                        d.server_nonce,
                        d.new_nonce,
                        0,
                        Some(d.expires_in),
                    ),
                };
                if nonce != self.nonce || sn != server_nonce {
                    return Err(ServerAuthError::Nonce);
                }
                if p.checked_mul(q) != Some(pq)
                    || p >= q
                    || tl::from_be(&inner_pq) != Some(pq)
                    || tl::from_be(&inner_p) != Some(p)
                    || tl::from_be(&inner_q) != Some(q)
                {
                    return Err(ServerAuthError::Pq);
                }
                let new_nonce = Zeroizing::new(new_nonce);
                let pair = self.dh.generate_key_pair(rng);
                let answer = types::ServerDhInnerData {
                    nonce: self.nonce,
                    server_nonce,
                    g: self.dh.g() as i32,
                    dh_prime: self.dh.prime().to_vec(),
                    g_a: pair.public().to_vec(),
                    server_time: now.secs() as i32,
                };
                let (key, iv) = tmp_aes(&new_nonce, &server_nonce);
                let encrypted_answer = encrypt_with_hash(&answer.to_bytes(), &key, &iv, rng);
                let out = types::ServerDhParamsOk {
                    nonce: self.nonce,
                    server_nonce,
                    encrypted_answer,
                }
                .to_bytes();
                self.state = State::ClientDh(Box::new(ClientDh {
                    server_nonce,
                    new_nonce,
                    pair,
                    dc,
                    expires_in,
                    expected_retry_id: 0,
                }));
                Ok(ServerStep::Reply(self.frame(now, &out)))
            }
            (State::ClientDh(mut c), functions::SetClientDhParams::CONSTRUCTOR_ID) => {
                let req =
                    functions::SetClientDhParams::from_bytes(body).map_err(DecodeError::from)?;
                if req.nonce != self.nonce || req.server_nonce != c.server_nonce {
                    return Err(ServerAuthError::Nonce);
                }
                let (key, iv) = tmp_aes(&c.new_nonce, &c.server_nonce);
                let plain = Zeroizing::new(
                    decrypt_raw(&req.encrypted_data, &key, &iv).ok_or(ServerAuthError::Hash)?,
                );
                let (inner, len) = tl::decode_len::<types::ClientDhInnerData>(&plain[20..])
                    .map_err(|_| ServerAuthError::Hash)?;
                if !check_hash(&plain, len) {
                    return Err(ServerAuthError::Hash);
                }
                if inner.nonce != self.nonce || inner.server_nonce != c.server_nonce {
                    return Err(ServerAuthError::Nonce);
                }
                if inner.retry_id != c.expected_retry_id {
                    return Err(ServerAuthError::RetryId);
                }
                let auth_key = c.pair.shared_key(&inner.g_b)?;
                let taken = self
                    .key_taken
                    .as_ref()
                    .is_some_and(|taken| taken(auth_key.key_id()));
                if self.retries_to_demand > 0 || taken {
                    self.retries_to_demand = self.retries_to_demand.saturating_sub(1);
                    let out = types::DhGenRetry {
                        nonce: self.nonce,
                        server_nonce: c.server_nonce,
                        new_nonce_hash2: auth_key.new_nonce_hash(&c.new_nonce, 2),
                    }
                    .to_bytes();
                    c.expected_retry_id = auth_key.aux_hash() as i64;
                    self.state = State::ClientDh(c);
                    return Ok(ServerStep::Reply(self.frame(now, &out)));
                }
                let out = types::DhGenOk {
                    nonce: self.nonce,
                    server_nonce: c.server_nonce,
                    new_nonce_hash1: auth_key.new_nonce_hash(&c.new_nonce, 1),
                }
                .to_bytes();
                let reply = self.frame(now, &out);
                Ok(ServerStep::Done {
                    reply,
                    key: Box::new(CreatedKey {
                        salt: first_salt(&c.new_nonce, &c.server_nonce),
                        auth_key,
                        dc: c.dc,
                        expires_in: c.expires_in,
                    }),
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

#[cfg(test)]
#[path = "auth_tests.rs"]
mod tests;
