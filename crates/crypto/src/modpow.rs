//! Arithmetic modulo a 2048-bit DH prime in constant time, for the secret
//! exponents of the key exchange (core.telegram.org/mtproto/auth_key, steps
//! 5–6) and of 2FA SRP (core.telegram.org/api/srp): `g^a`, `g_b^a`,
//! `g^x`, `(g_b - k·v)^(a + u·x)`.
//!
//! `num-bigint`'s `modpow` runs in time that depends on the exponent's bits
//! and its buffers are never wiped, so secret exponents go through
//! `crypto-bigint`'s Montgomery arithmetic instead (already a dependency of
//! `crypto-primes` and `rsa`): a fixed-window exponentiation whose time and
//! memory accesses depend only on the exponent's bit *bound*, which is public
//! (2048 bits, or 2050 for SRP's `a + u·x`). Public-value checks and the
//! prime tests stay on `num-bigint`.
//!
//! Invariants: the modulus is odd (a safe prime > 2, checked by
//! [`crate::dh::DhParams`]); inputs are 256-byte big-endian values, any value
//! below 2^2048 is accepted as a base and reduced; every secret this module
//! returns is wiped on drop. `crypto-bigint` values are `Copy`, so the
//! copies its own functions make on the stack are not wiped: what can be
//! wiped is wiped (results and the caller's intermediates), the rest is
//! overwritten by later stack use.

use crypto_bigint::modular::{FixedMontyForm, FixedMontyParams};
use crypto_bigint::{Odd, U2048, U256, U4096, U512};
use zeroize::Zeroizing;

/// Limbs of a 2048-bit number.
const L: usize = U2048::LIMBS;

/// A residue modulo the prime, in Montgomery form.
pub(crate) type Residue = FixedMontyForm<L>;

/// Bits of `a + u·x` in SRP: a < 2^2048, u·x < 2^512, so the sum < 2^2049.
const SRP_EXPONENT_BITS: u32 = 2050;

/// Precomputed Montgomery parameters of one 2048-bit odd modulus.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Modulus(FixedMontyParams<L>);

impl Modulus {
    /// The parameters of `prime` (256 bytes, big-endian); `None` if it is
    /// even. The prime is public, so the setup may take variable time.
    pub fn new(prime: &[u8; 256]) -> Option<Self> {
        let odd = Odd::new(U2048::from_be_slice(prime)).into_option()?;
        Some(Self(FixedMontyParams::new_vartime(odd)))
    }

    /// `value` (256 bytes, big-endian) as a residue.
    pub fn residue(&self, value: &[u8; 256]) -> Residue {
        let int = Zeroizing::new(U2048::from_be_slice(value));
        Residue::new(&int, &self.0)
    }

    /// The small constant `g` as a residue.
    pub fn small(&self, g: u32) -> Residue {
        Residue::new(&U2048::from_u32(g), &self.0)
    }

    /// `base^exponent mod p`, 256 bytes big-endian, in time independent of
    /// the exponent's value.
    pub fn pow(&self, base: &Residue, exponent: &[u8; 256]) -> Zeroizing<[u8; 256]> {
        let e = Zeroizing::new(U2048::from_be_slice(exponent));
        let r = Zeroizing::new(base.pow(&*e));
        to_bytes(&r)
    }

    /// `base^(a + u·x) mod p` for SRP, in time independent of `a`, `u` and
    /// `x` (each 256 or 32 bytes, big-endian).
    pub fn pow_srp(
        &self,
        base: &Residue,
        a: &[u8; 256],
        u: &[u8; 32],
        x: &[u8; 32],
    ) -> Zeroizing<[u8; 256]> {
        let a = Zeroizing::new(U2048::from_be_slice(a).resize::<{ U4096::LIMBS }>());
        let u = Zeroizing::new(U256::from_be_slice(u).resize::<{ U512::LIMBS }>());
        let x = Zeroizing::new(U256::from_be_slice(x).resize::<{ U512::LIMBS }>());
        let ux = Zeroizing::new(u.wrapping_mul(&x).resize::<{ U4096::LIMBS }>());
        let e = Zeroizing::new(a.wrapping_add(&ux));
        let r = Zeroizing::new(base.pow_bounded_exp(&*e, SRP_EXPONENT_BITS));
        to_bytes(&r)
    }
}

/// A residue back to 256 big-endian bytes.
pub(crate) fn to_bytes(r: &Residue) -> Zeroizing<[u8; 256]> {
    let int = Zeroizing::new(r.retrieve());
    let mut out = Zeroizing::new([0u8; 256]);
    out.copy_from_slice(&int.to_be_bytes());
    out
}

#[cfg(test)]
mod tests {
    use num_bigint::BigUint;

    use super::*;
    use crate::dh::TELEGRAM_DH_PRIME;

    fn big(b: &[u8]) -> BigUint {
        BigUint::from_bytes_be(b)
    }

    fn bytes(seed: u8) -> [u8; 256] {
        core::array::from_fn(|i| (i as u8).wrapping_mul(seed).wrapping_add(seed ^ 0x5a))
    }

    #[test]
    fn pow_matches_num_bigint() {
        let m = Modulus::new(&TELEGRAM_DH_PRIME).unwrap();
        let p = big(&TELEGRAM_DH_PRIME);
        for seed in [1u8, 7, 200] {
            let base = bytes(seed);
            let exp = bytes(seed.wrapping_add(3));
            let got = m.pow(&m.residue(&base), &exp);
            let want = big(&base).modpow(&big(&exp), &p);
            assert_eq!(big(got.as_ref()), want, "seed {seed}");
        }
        // Edge exponents: 0 and 1; a base above p is reduced.
        let base = [0xffu8; 256];
        assert_eq!(
            big(m.pow(&m.residue(&base), &[0; 256]).as_ref()),
            BigUint::from(1u8)
        );
        let mut one = [0u8; 256];
        one[255] = 1;
        assert_eq!(
            big(m.pow(&m.residue(&base), &one).as_ref()),
            big(&base) % &p
        );
        assert_eq!(
            big(m.pow(&m.small(3), &bytes(9)).as_ref()),
            BigUint::from(3u8).modpow(&big(&bytes(9)), &p)
        );
    }

    #[test]
    fn srp_exponent_matches_num_bigint() {
        let m = Modulus::new(&TELEGRAM_DH_PRIME).unwrap();
        let p = big(&TELEGRAM_DH_PRIME);
        let a = [0xffu8; 256];
        let u = [0xfeu8; 32];
        let x = [0xfdu8; 32];
        let base = bytes(42);
        let got = m.pow_srp(&m.residue(&base), &a, &u, &x);
        let e = big(&a) + big(&u) * big(&x);
        assert!(e.bits() > 2048, "the sum carries past 2048 bits");
        assert_eq!(big(got.as_ref()), big(&base).modpow(&e, &p));
    }

    #[test]
    fn an_even_modulus_is_refused() {
        let mut even = TELEGRAM_DH_PRIME;
        even[255] &= 0xfe;
        assert!(Modulus::new(&even).is_none());
    }
}
