//! 2FA password check by SRP for
//! `passwordKdfAlgoSHA256SHA256PBKDF2HMACSHA512iter100000SHA256ModPow`
//! (core.telegram.org/api/srp). Plain types only: the session layer converts
//! `account.password` in and [`SrpAnswer`] out to `inputCheckPasswordSRP`.
//!
//! H(x) = SHA256(x); SH(d, s) = H(s | d | s);
//! PH1 = SH(SH(password, salt1), salt2);
//! PH2 = SH(PBKDF2-HMAC-SHA512(PH1, salt1, 100000), salt2); x = PH2;
//! v = g^x; k = H(p | g); u = H(g_a | g_b); t = (g_b - k·v) mod p;
//! s_a = t^(a + u·x); k_a = H(s_a);
//! M1 = H(H(p) xor H(g) | H(salt1) | H(salt2) | g_a | g_b | k_a),
//! all big numbers as 256-byte big-endian, arithmetic mod p.
//! p and g pass the [`crate::dh`] checks; g_a and g_b the public-value range
//! checks. The server half (verifier, srp_B, M1 check) serves `localdc`.

use num_bigint::BigUint;
use rand_core::CryptoRng;
use subtle::ConstantTimeEq;
use zeroize::Zeroizing;

use crate::dh::{DhError, DhParams};
use crate::hash::sha256;
use crate::modpow::Residue;

/// PBKDF2 iteration count fixed by the algorithm's name.
pub const PBKDF2_ITERATIONS: u32 = 100_000;

/// SRP failures.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SrpError {
    #[error("unsafe 2FA parameters from the server: {0}")]
    Params(#[from] DhError),
    #[error("SRP value u = H(g_a | g_b) is zero; retry the password check")]
    ZeroU,
    #[error("the 2FA password is wrong (M1 mismatch)")]
    WrongPassword,
}

/// The server's `passwordKdfAlgoSHA256SHA256PBKDF2HMACSHA512iter100000SHA256ModPow`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PasswordAlgo {
    pub salt1: Vec<u8>,
    pub salt2: Vec<u8>,
    pub g: u32,
    pub p: Vec<u8>,
}

/// Client answer: the fields of `inputCheckPasswordSRP`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SrpAnswer {
    pub srp_id: i64,
    /// g_a, 256 bytes.
    pub a: [u8; 256],
    pub m1: [u8; 32],
}

fn sh(data: &[u8], salt: &[u8]) -> [u8; 32] {
    sha256(&[salt, data, salt])
}

/// x = PH2(password, salt1, salt2).
pub fn password_hash(algo: &PasswordAlgo, password: &[u8]) -> Zeroizing<[u8; 32]> {
    let ph1 = Zeroizing::new(sh(&sh(password, &algo.salt1), &algo.salt2));
    let mut dk = Zeroizing::new([0u8; 64]);
    pbkdf2::pbkdf2_hmac::<sha2::Sha512>(ph1.as_ref(), &algo.salt1, PBKDF2_ITERATIONS, dk.as_mut());
    Zeroizing::new(sh(dk.as_ref(), &algo.salt2))
}

struct Group {
    params: DhParams,
    g_padded: [u8; 256],
    k: BigUint,
}

impl Group {
    fn new(algo: &PasswordAlgo) -> Result<Self, SrpError> {
        let params = DhParams::new(&algo.p, algo.g)?;
        let g_padded = DhParams::to_fixed(&BigUint::from(algo.g));
        let k = BigUint::from_bytes_be(&sha256(&[params.prime(), &g_padded]));
        Ok(Self {
            params,
            g_padded,
            k,
        })
    }

    fn p(&self) -> &BigUint {
        self.params.p()
    }

    /// u = H(g_a | g_b), 32 bytes big-endian; never zero.
    fn u(&self, g_a: &[u8; 256], g_b: &[u8; 256]) -> Result<[u8; 32], SrpError> {
        let u = sha256(&[g_a, g_b]);
        if u.iter().all(|&b| b == 0) {
            Err(SrpError::ZeroU)
        } else {
            Ok(u)
        }
    }

    /// k as a residue modulo p.
    fn k(&self) -> Residue {
        self.params.modulus().residue(&DhParams::to_fixed(&self.k))
    }

    fn m1(&self, algo: &PasswordAlgo, g_a: &[u8; 256], g_b: &[u8; 256], s: &[u8; 256]) -> [u8; 32] {
        let k_a = Zeroizing::new(sha256(&[s]));
        let hp = sha256(&[self.params.prime()]);
        let hg = sha256(&[&self.g_padded]);
        let xored: [u8; 32] = core::array::from_fn(|i| hp[i] ^ hg[i]);
        sha256(&[
            &xored,
            &sha256(&[&algo.salt1]),
            &sha256(&[&algo.salt2]),
            g_a,
            g_b,
            k_a.as_ref(),
        ])
    }
}

/// Password verifier v = g^x mod p (also `new_password_hash` when setting a
/// password), 256 bytes.
pub fn verifier(algo: &PasswordAlgo, password: &[u8]) -> Result<[u8; 256], SrpError> {
    let group = Group::new(algo)?;
    Ok(group.params.pow_g(password_hash(algo, password).as_ref()))
}

/// Computes the client answer with a fresh random 2048-bit `a`.
pub fn compute_check<R: CryptoRng + ?Sized>(
    algo: &PasswordAlgo,
    srp_id: i64,
    srp_b: &[u8],
    password: &[u8],
    rng: &mut R,
) -> Result<SrpAnswer, SrpError> {
    let group = Group::new(algo)?;
    let pair = group.params.generate_key_pair(rng);
    let (secret, g_a) = pair.into_parts();
    check_with(&group, algo, srp_id, srp_b, password, &secret, g_a)
}

/// Computes the client answer with a caller-chosen secret `a` (256 bytes,
/// big-endian). Deterministic; fails if g^a is outside the allowed range.
pub fn compute_check_with_secret(
    algo: &PasswordAlgo,
    srp_id: i64,
    srp_b: &[u8],
    password: &[u8],
    a: &[u8; 256],
) -> Result<SrpAnswer, SrpError> {
    let group = Group::new(algo)?;
    let g_a = group.params.pow_g(a);
    group.params.check_public(&g_a)?;
    check_with(&group, algo, srp_id, srp_b, password, a, g_a)
}

fn check_with(
    group: &Group,
    algo: &PasswordAlgo,
    srp_id: i64,
    srp_b: &[u8],
    password: &[u8],
    a: &[u8; 256],
    g_a: [u8; 256],
) -> Result<SrpAnswer, SrpError> {
    let b_int = BigUint::from_bytes_be(srp_b);
    group.params.check_public_int(&b_int)?;
    let g_b = DhParams::to_fixed(&b_int);
    let u = group.u(&g_a, &g_b)?;
    // Everything derived from the password or `a` is computed in constant
    // time (crate::modpow) and wiped on drop.
    let m = group.params.modulus();
    let x = password_hash(algo, password);
    let v = Zeroizing::new(m.residue(&group.params.pow_g_secret(&x[..])));
    let k_v = Zeroizing::new(group.k() * *v);
    let t = Zeroizing::new(m.residue(&g_b) - *k_v);
    let s_a = m.pow_srp(&t, a, &u, &x);
    Ok(SrpAnswer {
        srp_id,
        a: g_a,
        m1: group.m1(algo, &g_a, &g_b, &s_a),
    })
}

/// Server half of one SRP round (for the `localdc` emulator): holds the
/// stored verifier and the ephemeral secret b.
pub struct SrpServer {
    group: Group,
    algo: PasswordAlgo,
    v: BigUint,
    b: Zeroizing<[u8; 256]>,
    srp_b: [u8; 256],
}

impl std::fmt::Debug for SrpServer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SrpServer { .. }")
    }
}

impl SrpServer {
    /// Starts a round: draws b and computes srp_B = (k·v + g^b) mod p,
    /// redrawing until srp_B passes the public-value range check.
    pub fn new<R: CryptoRng + ?Sized>(
        algo: &PasswordAlgo,
        verifier: &[u8],
        rng: &mut R,
    ) -> Result<Self, SrpError> {
        let group = Group::new(algo)?;
        let v = BigUint::from_bytes_be(verifier) % group.p();
        let k_v = (&group.k * &v) % group.p();
        loop {
            let pair = group.params.generate_key_pair(rng);
            let (b, g_b) = pair.into_parts();
            let big_b = (&k_v + BigUint::from_bytes_be(&g_b)) % group.p();
            if group.params.check_public_int(&big_b).is_ok() {
                return Ok(Self {
                    srp_b: DhParams::to_fixed(&big_b),
                    group,
                    algo: algo.clone(),
                    v,
                    b,
                });
            }
        }
    }

    /// `srp_B` for `account.password`, 256 bytes.
    pub fn srp_b(&self) -> &[u8; 256] {
        &self.srp_b
    }

    /// Checks the client's g_a and M1: s = (g_a · v^u)^b mod p, then the
    /// expected M1 is compared in constant time.
    pub fn verify(&self, g_a: &[u8], m1: &[u8]) -> Result<(), SrpError> {
        let a_int = BigUint::from_bytes_be(g_a);
        self.group.params.check_public_int(&a_int)?;
        let g_a = DhParams::to_fixed(&a_int);
        let u = self.group.u(&g_a, &self.srp_b)?;
        let m = self.group.params.modulus();
        let mut u_wide = [0u8; 256];
        u_wide[224..].copy_from_slice(&u);
        let v_u = m.pow(&m.residue(&DhParams::to_fixed(&self.v)), &u_wide);
        let base = Zeroizing::new(m.residue(&g_a) * m.residue(&v_u));
        let s = m.pow(&base, &self.b);
        let expected = self.group.m1(&self.algo, &g_a, &self.srp_b, &s);
        if bool::from(expected.as_slice().ct_eq(m1)) {
            Ok(())
        } else {
            Err(SrpError::WrongPassword)
        }
    }
}

#[cfg(test)]
#[path = "srp_tests.rs"]
mod tests;
