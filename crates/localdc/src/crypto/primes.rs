//! The `pq` challenge of auth key creation (core.telegram.org/mtproto/auth_key#dh-exchange-initiation).
//!
//! Telegram sends a fresh product of two distinct primes below 2^32 each; the client
//! proves work by factoring it. Hand-written because it is a few lines of
//! deterministic Miller–Rabin for 64-bit integers, which no maintained crate offers
//! without pulling a big-number library for machine-word values.

fn mul_mod(a: u64, b: u64, m: u64) -> u64 {
    ((a as u128 * b as u128) % m as u128) as u64
}

fn pow_mod(mut base: u64, mut exp: u64, m: u64) -> u64 {
    let mut acc = 1u64 % m;
    base %= m;
    while exp > 0 {
        if exp & 1 == 1 {
            acc = mul_mod(acc, base, m);
        }
        base = mul_mod(base, base, m);
        exp >>= 1;
    }
    acc
}

/// Deterministic primality for every `u64` (Miller–Rabin with the first 12 prime bases).
pub fn is_prime(n: u64) -> bool {
    const BASES: [u64; 12] = [2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37];
    if n < 2 {
        return false;
    }
    for p in BASES {
        if n % p == 0 {
            return n == p;
        }
    }
    let s = (n - 1).trailing_zeros();
    let d = (n - 1) >> s;
    'bases: for a in BASES {
        let mut x = pow_mod(a, d, n);
        if x == 1 || x == n - 1 {
            continue;
        }
        for _ in 1..s {
            x = mul_mod(x, x, n);
            if x == n - 1 {
                continue 'bases;
            }
        }
        return false;
    }
    true
}

/// A random prime in `[2^30, 2^31)`.
fn random_prime() -> u64 {
    loop {
        let r = u32::from_le_bytes(super::random::<4>());
        let candidate = u64::from(r | 0x4000_0001) & 0x7fff_ffff;
        if is_prime(candidate) {
            return candidate;
        }
    }
}

/// A fresh challenge: `(pq, p, q)` with `p < q`, both prime.
pub fn fresh_pq() -> (u64, u64, u64) {
    loop {
        let (a, b) = (random_prime(), random_prime());
        if a != b {
            let (p, q) = (a.min(b), a.max(b));
            return (p * q, p, q);
        }
    }
}

/// Big-endian bytes without leading zeros, as `p`, `q` and `pq` travel in TL.
pub fn be_trimmed(v: u64) -> Vec<u8> {
    let b = v.to_be_bytes();
    let start = b.iter().position(|x| *x != 0).unwrap_or(7);
    b[start..].to_vec()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn primality_matches_known_values() {
        assert!(is_prime(2) && is_prime(1_000_000_007) && is_prime(2_147_483_647));
        assert!(!is_prime(1) && !is_prime(561) && !is_prime(3_215_031_751));
        assert!(is_prime(0x49C1_C26F) == is_prime(1237442159));
    }

    #[test]
    fn fresh_pq_is_a_product_of_two_distinct_primes() {
        for _ in 0..20 {
            let (pq, p, q) = fresh_pq();
            assert!(p < q && is_prime(p) && is_prime(q));
            assert_eq!(pq, p * q);
            assert_eq!(be_trimmed(pq).len(), 8);
        }
        assert_eq!(
            be_trimmed(0x17ED48941A08F981),
            vec![0x17, 0xED, 0x48, 0x94, 0x1A, 0x08, 0xF9, 0x81]
        );
    }
}
