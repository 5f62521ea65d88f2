//! Factorisation of the 64-bit `pq` from `resPQ`
//! (core.telegram.org/mtproto/auth_key, step 2: "decompose pq into prime
//! factors such that p < q").
//!
//! Hand-written: no maintained crate factors a u64 without pulling in a
//! general big-number stack. Pollard's rho with Brent's cycle detection and
//! batched gcds, over u128 modular multiplication, plus a deterministic
//! Miller–Rabin (bases 2..37 are exact for all u64) to reject primes.
//! Fully deterministic: no randomness, so a given pq always takes the same
//! path.

/// Why `pq` could not be split.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum FactorizeError {
    #[error("pq = {0} has no factorisation into two factors greater than 1; the server sent a malformed resPQ")]
    NoFactors(u64),
    #[error("pq = {0} is prime; the server sent a malformed resPQ")]
    Prime(u64),
}

fn mul_mod(a: u64, b: u64, m: u64) -> u64 {
    ((a as u128 * b as u128) % m as u128) as u64
}

fn pow_mod(mut base: u64, mut exp: u64, m: u64) -> u64 {
    let mut acc = 1 % m;
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

fn gcd(mut a: u64, mut b: u64) -> u64 {
    while b != 0 {
        (a, b) = (b, a % b);
    }
    a
}

/// Deterministic Miller–Rabin for u64.
pub fn is_prime_u64(n: u64) -> bool {
    const BASES: [u64; 12] = [2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37];
    if n < 2 {
        return false;
    }
    for p in BASES {
        if n.is_multiple_of(p) {
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

/// Brent's variant of Pollard's rho with f(y) = y² + c. Returns a non-trivial
/// divisor of odd composite `n`, or `None` if this `c` cycles without one.
fn brent(n: u64, c: u64) -> Option<u64> {
    const BATCH: u64 = 128;
    // u128 sum: mul_mod(..) + c can exceed u64 when n is close to 2^64.
    let f = |y: u64| ((mul_mod(y, y, n) as u128 + c as u128) % n as u128) as u64;
    let (mut y, mut x, mut ys) = (2u64, 2u64, 2u64);
    let mut q = 1u64;
    let mut g = 1u64;
    let mut r = 1u64;
    while g == 1 {
        x = y;
        for _ in 0..r {
            y = f(y);
        }
        let mut k = 0;
        while k < r && g == 1 {
            ys = y;
            for _ in 0..BATCH.min(r - k) {
                y = f(y);
                q = mul_mod(q, x.abs_diff(y), n);
            }
            g = gcd(q, n);
            k += BATCH;
        }
        r *= 2;
        if r > 1 << 40 {
            return None;
        }
    }
    if g == n {
        // The batch overshot: step one at a time from the saved point.
        loop {
            ys = f(ys);
            g = gcd(x.abs_diff(ys), n);
            if g > 1 {
                break;
            }
        }
    }
    (g != n).then_some(g)
}

/// Splits `pq` into `(p, q)` with `p ≤ q`, `p * q == pq` and `p > 1`. For
/// MTProto's pq (a product of two distinct primes) this is the unique
/// answer with `p < q`. Errors for 0, 1 and primes.
pub fn factorize(pq: u64) -> Result<(u64, u64), FactorizeError> {
    if pq < 4 {
        return Err(if pq < 2 {
            FactorizeError::NoFactors(pq)
        } else {
            FactorizeError::Prime(pq)
        });
    }
    if pq.is_multiple_of(2) {
        return Ok((2, pq / 2));
    }
    if is_prime_u64(pq) {
        return Err(FactorizeError::Prime(pq));
    }
    for c in 1..u64::MAX {
        if let Some(d) = brent(pq, c) {
            let (a, b) = (d, pq / d);
            return Ok((a.min(b), a.max(b)));
        }
    }
    Err(FactorizeError::NoFactors(pq))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spec_example() {
        assert_eq!(factorize(0x17ED48941A08F981), Ok((0x494C553B, 0x53911073)));
    }

    #[test]
    fn known_products_of_two_primes() {
        // (p, q) pairs of primes, including ones near 2^32 like real pq.
        let cases: [(u64, u64); 6] = [
            (3, 5),
            (1_000_003, 1_000_033),
            (4_294_967_291, 4_294_967_279),
            (2_147_483_647, 4_294_967_291),
            (65_521, 281_474_976_710_597),
            (3, 6_148_914_691_236_517_199), // 3 * prime ≈ 2^64 - 1
        ];
        for (a, b) in cases {
            assert!(is_prime_u64(a) && is_prime_u64(b), "{a} {b}");
            let pq = a * b;
            assert_eq!(factorize(pq), Ok((a.min(b), a.max(b))), "pq = {pq}");
        }
    }

    #[test]
    fn primes_and_tiny_inputs_are_errors() {
        assert_eq!(factorize(0), Err(FactorizeError::NoFactors(0)));
        assert_eq!(factorize(1), Err(FactorizeError::NoFactors(1)));
        assert_eq!(factorize(2), Err(FactorizeError::Prime(2)));
        assert_eq!(factorize(3), Err(FactorizeError::Prime(3)));
        assert_eq!(
            factorize(18_446_744_073_709_551_557),
            Err(FactorizeError::Prime(18_446_744_073_709_551_557))
        );
        assert_eq!(
            factorize(4_294_967_291),
            Err(FactorizeError::Prime(4_294_967_291))
        );
    }

    #[test]
    fn any_composite_splits_without_panicking() {
        let inputs = [
            4u64,
            9,
            u64::MAX,
            u64::MAX - 1,
            4_294_967_291 * 4_294_967_291, // p == q
            2u64.pow(63),
            3u64.pow(40),
            1_000_000_007 * 998_244_353,
        ];
        for pq in inputs {
            let (p, q) = factorize(pq).unwrap();
            assert!(
                p > 1 && p <= q && p.wrapping_mul(q) == pq,
                "{pq} -> {p} {q}"
            );
        }
        let mut state = 0x9E37_79B9_7F4A_7C15u64;
        for _ in 0..300 {
            state = state
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            match factorize(state) {
                Ok((p, q)) => assert!(p > 1 && p <= q && p.wrapping_mul(q) == state),
                Err(e) => assert_eq!(e, FactorizeError::Prime(state)),
            }
        }
    }

    #[test]
    fn brent_step_does_not_overflow_near_2_pow_64() {
        let n = 4_294_967_291u64 * 4_294_967_279;
        for c in [1, 2, u64::MAX - 1] {
            if let Some(d) = brent(n, c) {
                assert!(d > 1 && d < n && n.is_multiple_of(d));
            }
        }
    }

    #[test]
    fn miller_rabin_agrees_with_trial_division() {
        for n in 0u64..5000 {
            let trial = n >= 2 && (2..n).take_while(|d| d * d <= n).all(|d| n % d != 0);
            assert_eq!(is_prime_u64(n), trial, "{n}");
        }
    }
}
