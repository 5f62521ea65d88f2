//! Client side of auth key creation (core.telegram.org/mtproto/auth_key),
//! as a sans-IO state machine.
//!
//! ```text
//! start()            → req_pq_multi
//! resPQ              → req_DH_params            (nonce, fingerprint, pq = p·q, RSA_PAD)
//! server_DH_params_ok→ set_client_DH_params     (answer hash, dh_prime/g/g_a checks)
//! dh_gen_ok          → Done(AuthKeyResult)      (new_nonce_hash1)
//! dh_gen_retry       → set_client_DH_params     (new_nonce_hash2, retry_id = aux_hash)
//! dh_gen_fail        → Err                      (new_nonce_hash3)
//! ```
//! Payloads in and out are whole unencrypted messages (see [`crate::plain`]).
//! Every check of the security guidelines fails with a typed [`AuthError`]
//! and leaves the exchange unusable: start a new one.

pub mod keys;
mod step;
pub(crate) mod tl;
pub(crate) mod tmp_aes;

use hearth_crypto::dh::DhError;
use hearth_crypto::factorize::FactorizeError;
use hearth_crypto::rsa::RsaError;
use hearth_crypto::AuthKey;

use crate::error::DecodeError;

pub use keys::KeyTable;
pub use step::Authenticator;

/// Which key to create and for which DC.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KeyParams {
    /// DC number (1..=5 for Telegram).
    pub dc_id: i32,
    /// A media-only DC: the `dc` field is sent negative.
    pub media: bool,
    /// A test DC: the `dc` field is sent + 10000.
    pub test: bool,
    /// `Some(seconds)` creates a temporary key (`p_q_inner_data_temp_dc`) for PFS.
    pub temp_expires_in: Option<i32>,
}

impl KeyParams {
    /// A permanent key for production DC `dc_id`.
    pub fn permanent(dc_id: i32) -> Self {
        Self {
            dc_id,
            media: false,
            test: false,
            temp_expires_in: None,
        }
    }

    /// A temporary key valid for `expires_in` seconds.
    pub fn temporary(dc_id: i32, expires_in: i32) -> Self {
        Self {
            temp_expires_in: Some(expires_in),
            ..Self::permanent(dc_id)
        }
    }

    /// The `dc` field of `p_q_inner_data_*`: +10000 for test DCs, negative for media DCs.
    pub fn dc_field(&self) -> i32 {
        let dc = if self.test {
            self.dc_id + 10_000
        } else {
            self.dc_id
        };
        if self.media {
            -dc
        } else {
            dc
        }
    }
}

/// The outcome of a successful exchange.
#[derive(Debug)]
pub struct AuthKeyResult {
    pub auth_key: AuthKey,
    /// First server salt: new_nonce[0..8] XOR server_nonce[0..8].
    pub salt: i64,
    /// server_time − local time, seconds.
    pub time_offset: i32,
    /// For temporary keys: server time at which the key expires.
    pub expires_at: Option<i32>,
}

/// One exchange step's result.
#[derive(Debug)]
pub enum Step {
    /// Send this payload and feed the answer to [`Authenticator::handle`].
    Send(Vec<u8>),
    Done(Box<AuthKeyResult>),
}

/// Why auth key creation failed. All of these mean a broken or hostile
/// server (or a key table missing its key): retry from scratch, possibly on
/// another DC address.
#[derive(Debug, thiserror::Error)]
pub enum AuthError {
    #[error("malformed server answer: {0}")]
    Decode(#[from] DecodeError),
    #[error("server answer has a wrong nonce")]
    NonceMismatch,
    #[error("server answer has a wrong server_nonce")]
    ServerNonceMismatch,
    #[error("none of the server's RSA key fingerprints {0:x?} is known; add the server's public key to the key table")]
    UnknownFingerprint(Vec<i64>),
    #[error("pq is {0} bytes, more than 8")]
    PqTooLarge(usize),
    #[error("pq cannot be factorised: {0}")]
    Factorize(#[from] FactorizeError),
    #[error("pq = {pq} is not the product of two primes ({p} × {q})")]
    PqNotSemiprime { pq: u64, p: u64, q: u64 },
    #[error("RSA: {0}")]
    Rsa(#[from] RsaError),
    #[error("server refused the DH parameters (server_DH_params_fail)")]
    DhParamsFail,
    #[error("encrypted_answer is malformed (length not a multiple of 16 or too short)")]
    AnswerLength,
    #[error("SHA-1 of the decrypted server_DH_inner_data does not match")]
    AnswerHash,
    #[error("DH parameters rejected: {0}")]
    Dh(#[from] DhError),
    #[error("new_nonce_hash in the server's answer is wrong")]
    NewNonceHash,
    #[error("server refused the key (dh_gen_fail)")]
    DhGenFail,
    #[error("server asked to retry DH more than {0} times")]
    TooManyRetries(u32),
    #[error("unencrypted server msg_id {0:#x} is not odd")]
    EvenServerMsgId(i64),
    #[error("the exchange already finished or failed; start a new one")]
    Finished,
    #[error("transport error code {0} from the server during key creation")]
    TransportError(i32),
}

#[cfg(test)]
mod tests;
