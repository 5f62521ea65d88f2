//! The client state machine of auth key creation.

use hearth_crypto::dh::{DhError, DhKeyPair, DhParams};
use hearth_crypto::factorize::{factorize, is_prime_u64};
use hearth_crypto::AuthKey;
use hearth_tl::{Deserializable, Serializable};
use rand_core::CryptoRng;
use subtle::ConstantTimeEq;
use zeroize::Zeroizing;

use super::tl::{self, enums, functions, types};
use super::tmp_aes::{check_hash, decrypt_raw, encrypt_with_hash, first_salt, tmp_aes};
use super::{AuthError, AuthKeyResult, KeyParams, KeyTable, Step};
use crate::error::DecodeError;
use crate::session::MsgIdGenerator;
use crate::{plain, UnixTime};

/// Most `dh_gen_retry` answers accepted before giving up.
pub const MAX_RETRIES: u32 = 5;

enum State {
    /// req_pq_multi sent.
    ResPq,
    /// req_DH_params sent.
    DhParams {
        server_nonce: [u8; 16],
        new_nonce: Zeroizing<[u8; 32]>,
    },
    /// set_client_DH_params sent.
    DhGen(Box<DhGen>),
    Finished,
}

/// What the last step of the exchange needs.
struct DhGen {
    server_nonce: [u8; 16],
    new_nonce: Zeroizing<[u8; 32]>,
    dh: DhParams,
    g_a: Vec<u8>,
    auth_key: AuthKey,
    time_offset: i32,
    server_time: i32,
    retries: u32,
}

/// Client half of the exchange. Create with [`Authenticator::start`], then
/// feed every server payload to [`Authenticator::handle`] until it returns
/// [`Step::Done`] or an error.
pub struct Authenticator {
    params: KeyParams,
    keys: KeyTable,
    nonce: [u8; 16],
    msg_ids: MsgIdGenerator,
    state: State,
}

impl std::fmt::Debug for Authenticator {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Authenticator")
            .field("params", &self.params)
            .finish_non_exhaustive()
    }
}

impl Authenticator {
    /// Starts an exchange; returns the `req_pq_multi` payload to send.
    pub fn start(
        now: UnixTime,
        params: KeyParams,
        keys: KeyTable,
        rng: &mut (impl CryptoRng + ?Sized),
    ) -> (Self, Vec<u8>) {
        let mut nonce = [0u8; 16];
        rng.fill_bytes(&mut nonce);
        let mut a = Self {
            params,
            keys,
            nonce,
            msg_ids: MsgIdGenerator::new(0),
            state: State::ResPq,
        };
        let body = functions::ReqPqMulti { nonce }.to_bytes();
        let payload = a.frame(now, &body);
        (a, payload)
    }

    /// The client nonce of this exchange.
    pub fn nonce(&self) -> [u8; 16] {
        self.nonce
    }

    fn frame(&mut self, now: UnixTime, body: &[u8]) -> Vec<u8> {
        plain::wrap(self.msg_ids.next(now), body)
    }

    /// Processes one server payload.
    pub fn handle(
        &mut self,
        now: UnixTime,
        payload: &[u8],
        rng: &mut (impl CryptoRng + ?Sized),
    ) -> Result<Step, AuthError> {
        if let Ok(code) = <[u8; 4]>::try_from(payload) {
            self.state = State::Finished;
            return Err(AuthError::TransportError(i32::from_le_bytes(code)));
        }
        let msg = plain::unwrap(payload)?;
        if msg.msg_id.rem_euclid(4) != 1 && msg.msg_id.rem_euclid(4) != 3 {
            self.state = State::Finished;
            return Err(AuthError::EvenServerMsgId(msg.msg_id));
        }
        let state = std::mem::replace(&mut self.state, State::Finished);
        let body = match state {
            State::ResPq => self.on_res_pq(msg.body, rng)?,
            State::DhParams {
                server_nonce,
                new_nonce,
            } => self.on_dh_params(now, msg.body, server_nonce, new_nonce, rng)?,
            State::DhGen(g) => match self.on_dh_gen(msg.body, g, rng)? {
                Ok(body) => body,
                Err(done) => return Ok(Step::Done(Box::new(done))),
            },
            State::Finished => return Err(AuthError::Finished),
        };
        Ok(Step::Send(self.frame(now, &body)))
    }

    fn check_nonces(
        &self,
        nonce: &[u8; 16],
        server_nonce: &[u8; 16],
        expected_server_nonce: &[u8; 16],
    ) -> Result<(), AuthError> {
        if nonce != &self.nonce {
            return Err(AuthError::NonceMismatch);
        }
        if server_nonce != expected_server_nonce {
            return Err(AuthError::ServerNonceMismatch);
        }
        Ok(())
    }

    /// resPQ → req_DH_params.
    fn on_res_pq(
        &mut self,
        body: &[u8],
        rng: &mut (impl CryptoRng + ?Sized),
    ) -> Result<Vec<u8>, AuthError> {
        let res = types::ResPq::from_bytes(body).map_err(DecodeError::from)?;
        if res.nonce != self.nonce {
            return Err(AuthError::NonceMismatch);
        }
        let fingerprints = &res.server_public_key_fingerprints;
        let key = self
            .keys
            .pick(fingerprints)
            .ok_or_else(|| AuthError::UnknownFingerprint(fingerprints.clone()))?
            .clone();
        let pq = tl::from_be(&res.pq).ok_or(AuthError::PqTooLarge(res.pq.len()))?;
        let (p, q) = factorize(pq)?;
        if !is_prime_u64(p) || !is_prime_u64(q) || p == q {
            return Err(AuthError::PqNotSemiprime { pq, p, q });
        }
        let (p, q) = (tl::be_bytes(p), tl::be_bytes(q));
        let mut new_nonce = Zeroizing::new([0u8; 32]);
        rng.fill_bytes(new_nonce.as_mut());
        let dc = self.params.dc_field();
        let data = Zeroizing::new(match self.params.temp_expires_in {
            None => types::PQInnerDataDc {
                pq: res.pq.clone(),
                p: p.clone(),
                q: q.clone(),
                nonce: self.nonce,
                server_nonce: res.server_nonce,
                new_nonce: *new_nonce,
                dc,
            }
            .to_bytes(),
            Some(expires_in) => types::PQInnerDataTempDc {
                pq: res.pq.clone(),
                p: p.clone(),
                q: q.clone(),
                nonce: self.nonce,
                server_nonce: res.server_nonce,
                new_nonce: *new_nonce,
                dc,
                expires_in,
            }
            .to_bytes(),
        });
        let encrypted = key.encrypt_pad(&data, rng)?;
        self.state = State::DhParams {
            server_nonce: res.server_nonce,
            new_nonce,
        };
        Ok(functions::ReqDhParams {
            nonce: self.nonce,
            server_nonce: res.server_nonce,
            p,
            q,
            public_key_fingerprint: key.fingerprint() as i64,
            encrypted_data: encrypted.to_vec(),
        }
        .to_bytes())
    }

    /// server_DH_params_ok → set_client_DH_params.
    fn on_dh_params(
        &mut self,
        now: UnixTime,
        body: &[u8],
        server_nonce: [u8; 16],
        new_nonce: Zeroizing<[u8; 32]>,
        rng: &mut (impl CryptoRng + ?Sized),
    ) -> Result<Vec<u8>, AuthError> {
        let encrypted = match enums::ServerDhParams::from_bytes(body).map_err(DecodeError::from)? {
            enums::ServerDhParams::ServerDhParamsOk(ok) => {
                self.check_nonces(&ok.nonce, &ok.server_nonce, &server_nonce)?;
                ok.encrypted_answer
            }
            enums::ServerDhParams::ServerDhParamsFail(fail) => {
                self.check_nonces(&fail.nonce, &fail.server_nonce, &server_nonce)?;
                // new_nonce_hash is the low 128 bits of SHA1(new_nonce)
                // (core.telegram.org/mtproto/auth_key, step 5): only the
                // server that decrypted our req_DH_params knows new_nonce,
                // so a mismatch is a forged refusal, not the server's.
                let sha = hearth_crypto::hash::sha1(&[&new_nonce[..]]);
                if !bool::from(sha[4..].ct_eq(&fail.new_nonce_hash)) {
                    return Err(AuthError::NewNonceHash);
                }
                return Err(AuthError::DhParamsFail);
            }
        };
        let (key, iv) = tmp_aes(&new_nonce, &server_nonce);
        let plain =
            Zeroizing::new(decrypt_raw(&encrypted, &key, &iv).ok_or(AuthError::AnswerLength)?);
        let (inner, len) = tl::decode_len::<types::ServerDhInnerData>(&plain[20..])
            .map_err(|_| AuthError::AnswerHash)?;
        if !check_hash(&plain, len) {
            return Err(AuthError::AnswerHash);
        }
        self.check_nonces(&inner.nonce, &inner.server_nonce, &server_nonce)?;
        let g = u32::try_from(inner.g)
            .map_err(|_| AuthError::Dh(DhError::GeneratorOutOfRange { g: 0 }))?;
        let dh = DhParams::new(&inner.dh_prime, g)?;
        dh.check_public(&inner.g_a)?;
        let time_offset = (i64::from(inner.server_time) - now.secs())
            .clamp(i64::from(i32::MIN), i64::from(i32::MAX)) as i32;
        self.msg_ids.set_time_offset(time_offset);
        let (out, auth_key) = self.client_dh(&server_nonce, &new_nonce, &dh, &inner.g_a, 0, rng)?;
        self.state = State::DhGen(Box::new(DhGen {
            server_nonce,
            new_nonce,
            dh,
            g_a: inner.g_a,
            auth_key,
            time_offset,
            server_time: inner.server_time,
            retries: 0,
        }));
        Ok(out)
    }

    /// dh_gen_ok → done; dh_gen_retry → set_client_DH_params again with
    /// retry_id = auth_key_aux_hash; dh_gen_fail → error. `Ok(Err(result))`
    /// is the finished key.
    fn on_dh_gen(
        &mut self,
        body: &[u8],
        g: Box<DhGen>,
        rng: &mut (impl CryptoRng + ?Sized),
    ) -> Result<Result<Vec<u8>, AuthKeyResult>, AuthError> {
        use enums::SetClientDhParamsAnswer as A;
        let answer = A::from_bytes(body).map_err(DecodeError::from)?;
        let (nonce, server_nonce, hash, number) = match &answer {
            A::DhGenOk(a) => (a.nonce, a.server_nonce, a.new_nonce_hash1, 1),
            A::DhGenRetry(a) => (a.nonce, a.server_nonce, a.new_nonce_hash2, 2),
            A::DhGenFail(a) => (a.nonce, a.server_nonce, a.new_nonce_hash3, 3),
        };
        self.check_nonces(&nonce, &server_nonce, &g.server_nonce)?;
        let expected = g.auth_key.new_nonce_hash(&g.new_nonce, number);
        if !bool::from(expected.ct_eq(&hash)) {
            return Err(AuthError::NewNonceHash);
        }
        match number {
            1 => {
                let DhGen {
                    server_nonce,
                    new_nonce,
                    auth_key,
                    time_offset,
                    server_time,
                    ..
                } = *g;
                return Ok(Err(AuthKeyResult {
                    salt: first_salt(&new_nonce, &server_nonce),
                    auth_key,
                    time_offset,
                    expires_at: self
                        .params
                        .temp_expires_in
                        .map(|e| server_time.saturating_add(e)),
                }));
            }
            3 => return Err(AuthError::DhGenFail),
            _ => {}
        }
        if g.retries >= MAX_RETRIES {
            return Err(AuthError::TooManyRetries(MAX_RETRIES));
        }
        let retry_id = g.auth_key.aux_hash() as i64;
        let (body, auth_key) =
            self.client_dh(&g.server_nonce, &g.new_nonce, &g.dh, &g.g_a, retry_id, rng)?;
        let mut g = g;
        g.auth_key = auth_key;
        g.retries += 1;
        self.state = State::DhGen(g);
        Ok(Ok(body))
    }

    /// Draws b, computes g_b and the key, builds set_client_DH_params.
    fn client_dh(
        &self,
        server_nonce: &[u8; 16],
        new_nonce: &[u8; 32],
        dh: &DhParams,
        g_a: &[u8],
        retry_id: i64,
        rng: &mut (impl CryptoRng + ?Sized),
    ) -> Result<(Vec<u8>, AuthKey), AuthError> {
        let pair: DhKeyPair = dh.generate_key_pair(rng);
        let auth_key = pair.shared_key(g_a)?;
        let inner = types::ClientDhInnerData {
            nonce: self.nonce,
            server_nonce: *server_nonce,
            retry_id,
            g_b: pair.public().to_vec(),
        };
        let (key, iv) = tmp_aes(new_nonce, server_nonce);
        let encrypted_data = encrypt_with_hash(&inner.to_bytes(), &key, &iv, rng);
        Ok((
            functions::SetClientDhParams {
                nonce: self.nonce,
                server_nonce: *server_nonce,
                encrypted_data,
            }
            .to_bytes(),
            auth_key,
        ))
    }
}
