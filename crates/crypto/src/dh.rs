//! Diffie–Hellman for the auth-key exchange and SRP, with every check of
//! core.telegram.org/mtproto/security_guidelines ("Diffie-Hellman key
//! exchange") and core.telegram.org/mtproto/auth_key (step 6):
//!
//! - dh_prime is a safe 2048-bit prime: 2^2047 < p < 2^2048, p and (p-1)/2
//!   both prime;
//! - g is 2..=7 and generates the quadratic-residue subgroup of order
//!   (p-1)/2, which for a safe prime reduces to: g = 2 ⇒ p mod 8 = 7;
//!   g = 3 ⇒ p mod 3 = 2; g = 4 ⇒ always; g = 5 ⇒ p mod 5 ∈ {1, 4};
//!   g = 6 ⇒ p mod 24 ∈ {19, 23}; g = 7 ⇒ p mod 7 ∈ {3, 5, 6};
//! - g_a and g_b satisfy 1 < g_x < p - 1 and
//!   2^(2048-64) ≤ g_x ≤ p - 2^(2048-64).
//!
//! Primality uses the `crypto-primes` crate (Miller–Rabin base 2 plus a
//! strong Lucas test, i.e. Baillie–PSW, on both p and (p-1)/2). It takes a
//! noticeable fraction of a second, so primes that passed are cached for the
//! process, and Telegram's own prime ([`TELEGRAM_DH_PRIME`]) is known-good
//! without testing.

use std::sync::Mutex;

use num_bigint::BigUint;
use num_traits::One;
use rand_core::CryptoRng;
use zeroize::Zeroizing;

use crate::auth_key::AuthKey;
use crate::modpow::Modulus;

/// Telegram's 2048-bit safe prime, as sent in `server_DH_inner_data` and in
/// SRP parameters, big-endian. Used with g = [`TELEGRAM_DH_G`] by our server.
pub const TELEGRAM_DH_PRIME: [u8; 256] = [
    0xc7, 0x1c, 0xae, 0xb9, 0xc6, 0xb1, 0xc9, 0x04, 0x8e, 0x6c, 0x52, 0x2f, 0x70, 0xf1, 0x3f, 0x73,
    0x98, 0x0d, 0x40, 0x23, 0x8e, 0x3e, 0x21, 0xc1, 0x49, 0x34, 0xd0, 0x37, 0x56, 0x3d, 0x93, 0x0f,
    0x48, 0x19, 0x8a, 0x0a, 0xa7, 0xc1, 0x40, 0x58, 0x22, 0x94, 0x93, 0xd2, 0x25, 0x30, 0xf4, 0xdb,
    0xfa, 0x33, 0x6f, 0x6e, 0x0a, 0xc9, 0x25, 0x13, 0x95, 0x43, 0xae, 0xd4, 0x4c, 0xce, 0x7c, 0x37,
    0x20, 0xfd, 0x51, 0xf6, 0x94, 0x58, 0x70, 0x5a, 0xc6, 0x8c, 0xd4, 0xfe, 0x6b, 0x6b, 0x13, 0xab,
    0xdc, 0x97, 0x46, 0x51, 0x29, 0x69, 0x32, 0x84, 0x54, 0xf1, 0x8f, 0xaf, 0x8c, 0x59, 0x5f, 0x64,
    0x24, 0x77, 0xfe, 0x96, 0xbb, 0x2a, 0x94, 0x1d, 0x5b, 0xcd, 0x1d, 0x4a, 0xc8, 0xcc, 0x49, 0x88,
    0x07, 0x08, 0xfa, 0x9b, 0x37, 0x8e, 0x3c, 0x4f, 0x3a, 0x90, 0x60, 0xbe, 0xe6, 0x7c, 0xf9, 0xa4,
    0xa4, 0xa6, 0x95, 0x81, 0x10, 0x51, 0x90, 0x7e, 0x16, 0x27, 0x53, 0xb5, 0x6b, 0x0f, 0x6b, 0x41,
    0x0d, 0xba, 0x74, 0xd8, 0xa8, 0x4b, 0x2a, 0x14, 0xb3, 0x14, 0x4e, 0x0e, 0xf1, 0x28, 0x47, 0x54,
    0xfd, 0x17, 0xed, 0x95, 0x0d, 0x59, 0x65, 0xb4, 0xb9, 0xdd, 0x46, 0x58, 0x2d, 0xb1, 0x17, 0x8d,
    0x16, 0x9c, 0x6b, 0xc4, 0x65, 0xb0, 0xd6, 0xff, 0x9c, 0xa3, 0x92, 0x8f, 0xef, 0x5b, 0x9a, 0xe4,
    0xe4, 0x18, 0xfc, 0x15, 0xe8, 0x3e, 0xbe, 0xa0, 0xf8, 0x7f, 0xa9, 0xff, 0x5e, 0xed, 0x70, 0x05,
    0x0d, 0xed, 0x28, 0x49, 0xf4, 0x7b, 0xf9, 0x59, 0xd9, 0x56, 0x85, 0x0c, 0xe9, 0x29, 0x85, 0x1f,
    0x0d, 0x81, 0x15, 0xf6, 0x35, 0xb1, 0x05, 0xee, 0x2e, 0x4e, 0x15, 0xd0, 0x4b, 0x24, 0x54, 0xbf,
    0x6f, 0x4f, 0xad, 0xf0, 0x34, 0xb1, 0x04, 0x03, 0x11, 0x9c, 0xd8, 0xe3, 0xb9, 0x2f, 0xcc, 0x5b,
];

/// Generator Telegram uses with [`TELEGRAM_DH_PRIME`].
pub const TELEGRAM_DH_G: u32 = 3;

/// A DH parameter or public value that failed the security checks.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DhError {
    #[error("dh_prime has {bits} significant bits, expected exactly 2048")]
    PrimeSize { bits: u64 },
    #[error("dh_prime is not a safe prime")]
    NotSafePrime,
    #[error("g = {g} is outside 2..=7")]
    GeneratorOutOfRange { g: u32 },
    #[error("g = {g} does not generate the quadratic-residue subgroup of this dh_prime")]
    GeneratorNotQuadraticResidue { g: u32 },
    #[error("DH public value (g_a/g_b) is outside [2^1984, dh_prime - 2^1984]")]
    PublicValueOutOfRange,
}

/// Primes that passed the full check in this process (besides Telegram's).
static VERIFIED_PRIMES: Mutex<Vec<[u8; 256]>> = Mutex::new(Vec::new());

fn is_cached(prime: &[u8; 256]) -> bool {
    *prime == TELEGRAM_DH_PRIME
        || VERIFIED_PRIMES
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .contains(prime)
}

/// Full safe-prime test, without the cache.
pub fn is_safe_prime(prime: &[u8]) -> bool {
    let Ok(p) = ::rsa::BoxedUint::from_be_slice(prime, (prime.len() as u32) * 8) else {
        return false;
    };
    crypto_primes::is_prime(crypto_primes::Flavor::Safe, &p)
}

fn check_generator(p: &BigUint, g: u32) -> Result<(), DhError> {
    let rem = |m: u32| (p % m).to_u32_digits().first().copied().unwrap_or(0);
    let ok = match g {
        2 => rem(8) == 7,
        3 => rem(3) == 2,
        4 => true,
        5 => matches!(rem(5), 1 | 4),
        6 => matches!(rem(24), 19 | 23),
        7 => matches!(rem(7), 3 | 5 | 6),
        _ => return Err(DhError::GeneratorOutOfRange { g }),
    };
    if ok {
        Ok(())
    } else {
        Err(DhError::GeneratorNotQuadraticResidue { g })
    }
}

/// Validated DH group parameters (dh_prime, g).
#[derive(Clone, PartialEq, Eq)]
pub struct DhParams {
    prime: [u8; 256],
    p: BigUint,
    g: u32,
    /// For the constant-time exponentiations with secret exponents.
    modulus: Modulus,
}

impl std::fmt::Debug for DhParams {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let telegram = self.prime == TELEGRAM_DH_PRIME;
        write!(
            f,
            "DhParams {{ g: {}, telegram_prime: {telegram} }}",
            self.g
        )
    }
}

impl DhParams {
    /// Telegram's prime with g = 3 (no checks needed).
    pub fn telegram() -> Self {
        Self {
            prime: TELEGRAM_DH_PRIME,
            p: BigUint::from_bytes_be(&TELEGRAM_DH_PRIME),
            g: TELEGRAM_DH_G,
            modulus: Modulus::new(&TELEGRAM_DH_PRIME).expect("Telegram's prime is odd"),
        }
    }

    /// Checks `dh_prime` (big-endian, leading zero bytes allowed) and `g` as
    /// the security guidelines require. Known-good primes skip the
    /// primality test.
    pub fn new(dh_prime: &[u8], g: u32) -> Result<Self, DhError> {
        let p = BigUint::from_bytes_be(dh_prime);
        if p.bits() != 2048 {
            return Err(DhError::PrimeSize { bits: p.bits() });
        }
        if !(2..=7).contains(&g) {
            return Err(DhError::GeneratorOutOfRange { g });
        }
        let mut prime = [0u8; 256];
        prime.copy_from_slice(&p.to_bytes_be());
        check_generator(&p, g)?;
        if !is_cached(&prime) {
            if !is_safe_prime(&prime) {
                return Err(DhError::NotSafePrime);
            }
            let mut cache = VERIFIED_PRIMES.lock().unwrap_or_else(|e| e.into_inner());
            if !cache.contains(&prime) {
                cache.push(prime);
            }
        }
        // A safe prime above 2^2047 is odd.
        let modulus = Modulus::new(&prime).ok_or(DhError::NotSafePrime)?;
        Ok(Self {
            prime,
            p,
            g,
            modulus,
        })
    }

    /// dh_prime, 256 bytes big-endian.
    pub fn prime(&self) -> &[u8; 256] {
        &self.prime
    }

    pub fn g(&self) -> u32 {
        self.g
    }

    pub(crate) fn p(&self) -> &BigUint {
        &self.p
    }

    /// Checks a peer's public value `g_a`/`g_b` (big-endian):
    /// 2^1984 ≤ g_x ≤ p - 2^1984 (which implies 1 < g_x < p - 1).
    pub fn check_public(&self, g_x: &[u8]) -> Result<(), DhError> {
        self.check_public_int(&BigUint::from_bytes_be(g_x))
    }

    pub(crate) fn check_public_int(&self, x: &BigUint) -> Result<(), DhError> {
        let one = BigUint::one();
        let margin = &one << (2048 - 64);
        let in_range =
            x > &one && x < &(&self.p - &one) && x >= &margin && x <= &(&self.p - &margin);
        if in_range {
            Ok(())
        } else {
            Err(DhError::PublicValueOutOfRange)
        }
    }

    /// Left-pads a value below p to 256 big-endian bytes.
    pub(crate) fn to_fixed(x: &BigUint) -> [u8; 256] {
        let bytes = x.to_bytes_be();
        let mut out = [0u8; 256];
        let n = bytes.len().min(256);
        out[256 - n..].copy_from_slice(&bytes[bytes.len() - n..]);
        out
    }

    /// `g^x mod p` as 256 bytes, for a secret `x` (big-endian): in constant
    /// time for exponents of up to 256 bytes (leading zero bytes aside), the
    /// only ones Hearth uses; longer ones fall back to `num-bigint`.
    pub fn pow_g(&self, exponent: &[u8]) -> [u8; 256] {
        *self.pow_g_secret(exponent)
    }

    /// [`pow_g`](Self::pow_g) with the result wiped on drop.
    pub(crate) fn pow_g_secret(&self, exponent: &[u8]) -> Zeroizing<[u8; 256]> {
        let exponent = match exponent.iter().position(|&b| b != 0) {
            Some(first) => &exponent[first.min(exponent.len().saturating_sub(256))..],
            None => &[],
        };
        if exponent.len() > 256 {
            let x = BigUint::from_bytes_be(exponent);
            return Zeroizing::new(Self::to_fixed(&BigUint::from(self.g).modpow(&x, &self.p)));
        }
        let mut padded = Zeroizing::new([0u8; 256]);
        padded[256 - exponent.len()..].copy_from_slice(exponent);
        let g = self.modulus.small(self.g);
        self.modulus.pow(&g, &padded)
    }

    pub(crate) fn modulus(&self) -> &Modulus {
        &self.modulus
    }

    /// Draws a 2048-bit secret exponent `a`/`b` and its public value
    /// `g^a mod p`, redrawing until the public value passes
    /// [`check_public`](Self::check_public).
    pub fn generate_key_pair<R: CryptoRng + ?Sized>(&self, rng: &mut R) -> DhKeyPair {
        loop {
            let mut secret = Zeroizing::new([0u8; 256]);
            rng.fill_bytes(secret.as_mut());
            let public = self.pow_g(secret.as_ref());
            if self.check_public(&public).is_ok() {
                return DhKeyPair {
                    params: self.clone(),
                    secret,
                    public,
                };
            }
        }
    }
}

/// One side's DH secret exponent and public value. The secret is zeroized on
/// drop and never shown by `Debug`.
pub struct DhKeyPair {
    params: DhParams,
    secret: Zeroizing<[u8; 256]>,
    public: [u8; 256],
}

impl std::fmt::Debug for DhKeyPair {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("DhKeyPair { .. }")
    }
}

impl DhKeyPair {
    /// Splits into the secret exponent and the public value (for SRP).
    pub(crate) fn into_parts(self) -> (Zeroizing<[u8; 256]>, [u8; 256]) {
        (self.secret, self.public)
    }

    /// `g_a`/`g_b` to send, 256 bytes big-endian.
    pub fn public(&self) -> &[u8; 256] {
        &self.public
    }

    /// Checks the peer's public value and computes the shared key
    /// `peer^secret mod p`, left-padded to 256 bytes, as the auth key (in
    /// constant time in the secret, see [`crate::modpow`]).
    pub fn shared_key(&self, peer_public: &[u8]) -> Result<AuthKey, DhError> {
        let peer = BigUint::from_bytes_be(peer_public);
        self.params.check_public_int(&peer)?;
        let modulus = self.params.modulus();
        let base = modulus.residue(&DhParams::to_fixed(&peer));
        let shared = modulus.pow(&base, &self.secret);
        Ok(AuthKey::from_bytes(*shared))
    }
}

#[cfg(test)]
#[path = "dh_tests.rs"]
mod tests;
