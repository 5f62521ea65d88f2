use super::*;
use rand::SeedableRng;

fn rng(seed: u64) -> rand::rngs::StdRng {
    rand::rngs::StdRng::seed_from_u64(seed)
}

fn p() -> BigUint {
    BigUint::from_bytes_be(&TELEGRAM_DH_PRIME)
}

#[test]
fn telegram_prime_is_a_safe_prime_by_full_test() {
    assert!(is_safe_prime(&TELEGRAM_DH_PRIME));
}

#[test]
fn non_safe_primes_are_rejected() {
    // p - 2 is even + ... : any odd neighbour of the safe prime that is not
    // itself a safe prime must fail the full test.
    let mut q = p() - 2u32;
    assert!(!is_safe_prime(&q.to_bytes_be()));
    q += 4u32;
    assert!(!is_safe_prime(&q.to_bytes_be()));
    let not_safe = DhParams::new(&(p() - 4u32).to_bytes_be(), 4);
    assert_eq!(not_safe, Err(DhError::NotSafePrime));
    // The largest prime below 2^2048 is 2^2048 - 1557; (p-1)/2 is composite.
    let prime_not_safe = (BigUint::one() << 2048u32) - 1557u32;
    assert!(!is_safe_prime(&prime_not_safe.to_bytes_be()));
    assert_eq!(
        DhParams::new(&prime_not_safe.to_bytes_be(), 4),
        Err(DhError::NotSafePrime)
    );
}

#[test]
fn other_safe_prime_passes_full_check_and_is_cached() {
    // 2^2048 - 1942289 is a safe prime; residues mod 8, 3, 24, 7 are
    // 7, 2, 23, 5, so every g in 2..=7 but 5 qualifies.
    let p2 = ((BigUint::one() << 2048u32) - 1942289u32).to_bytes_be();
    assert!(!is_cached(p2.as_slice().try_into().unwrap()));
    let params = DhParams::new(&p2, 2).unwrap();
    assert!(is_cached(params.prime()));
    for g in [3, 4, 6, 7] {
        assert!(DhParams::new(&p2, g).is_ok());
    }
    assert_eq!(
        DhParams::new(&p2, 5),
        Err(DhError::GeneratorNotQuadraticResidue { g: 5 })
    );
    let a = params.generate_key_pair(&mut rng(1));
    let b = params.generate_key_pair(&mut rng(2));
    assert_eq!(
        a.shared_key(b.public()).unwrap(),
        b.shared_key(a.public()).unwrap()
    );
}

#[test]
fn telegram_params_accept_g_3_4_7() {
    for g in [3, 4, 7] {
        let params = DhParams::new(&TELEGRAM_DH_PRIME, g).unwrap();
        assert_eq!(params.g(), g);
        assert_eq!(params.prime(), &TELEGRAM_DH_PRIME);
    }
    // p mod 8 = 3, p mod 5 = 3, p mod 24 = 11: g = 2, 5, 6 are rejected.
    for g in [2, 5, 6] {
        assert_eq!(
            DhParams::new(&TELEGRAM_DH_PRIME, g),
            Err(DhError::GeneratorNotQuadraticResidue { g })
        );
    }
    for g in [0, 1, 8, 1000] {
        assert_eq!(
            DhParams::new(&TELEGRAM_DH_PRIME, g),
            Err(DhError::GeneratorOutOfRange { g })
        );
    }
    assert_eq!(
        DhParams::new(&TELEGRAM_DH_PRIME, 3).unwrap(),
        DhParams::telegram()
    );
}

#[test]
fn generator_conditions_follow_the_residues() {
    let cases: [(u32, u32, u32, bool); 10] = [
        (2, 8, 7, true),
        (2, 8, 3, false),
        (3, 3, 2, true),
        (3, 3, 1, false),
        (5, 5, 4, true),
        (5, 5, 2, false),
        (6, 24, 19, true),
        (6, 24, 11, false),
        (7, 7, 5, true),
        (7, 7, 1, false),
    ];
    for (g, m, r, ok) in cases {
        // Any number with the right residue exercises the rule.
        let n = BigUint::from(m) * 1_000_003u32 + r;
        assert_eq!(check_generator(&n, g).is_ok(), ok, "g={g} r={r}");
    }
    assert!(check_generator(&BigUint::from(11u32), 4).is_ok());
}

/// For a safe prime, g generates the subgroup of order (p-1)/2 exactly when
/// g is a quadratic residue: Euler's criterion g^((p-1)/2) = 1 (mod p).
#[test]
fn generator_rule_agrees_with_eulers_criterion() {
    let primes = [p(), (BigUint::one() << 2048u32) - 1942289u32];
    for prime in primes {
        let half = (&prime - 1u32) >> 1u32;
        for g in 2u32..=7 {
            let qr = BigUint::from(g).modpow(&half, &prime).is_one();
            assert_eq!(check_generator(&prime, g).is_ok(), qr, "g = {g}");
        }
    }
}

#[test]
fn wrong_prime_sizes_are_rejected_without_panicking() {
    assert_eq!(DhParams::new(&[], 3), Err(DhError::PrimeSize { bits: 0 }));
    assert_eq!(
        DhParams::new(&TELEGRAM_DH_PRIME[1..], 3),
        Err(DhError::PrimeSize { bits: 2037 })
    );
    let mut long = vec![1u8];
    long.extend_from_slice(&TELEGRAM_DH_PRIME);
    assert_eq!(
        DhParams::new(&long, 3),
        Err(DhError::PrimeSize { bits: 2049 })
    );
    // Leading zero bytes are fine.
    let mut padded = vec![0u8, 0];
    padded.extend_from_slice(&TELEGRAM_DH_PRIME);
    assert!(DhParams::new(&padded, 3).is_ok());
}

#[test]
fn public_value_range_checks() {
    let params = DhParams::telegram();
    let one = BigUint::one();
    let margin = &one << 1984u32;
    let ok = [margin.clone(), p() - &margin, p() >> 1u32];
    for x in ok {
        assert_eq!(params.check_public(&x.to_bytes_be()), Ok(()));
    }
    let bad = [
        BigUint::from(0u32),
        one.clone(),
        BigUint::from(2u32),
        &margin - 1u32,
        p() - &margin + 1u32,
        p() - 1u32,
        p(),
        p() + 5u32,
        &one << 2100u32,
    ];
    for x in bad {
        assert_eq!(
            params.check_public(&x.to_bytes_be()),
            Err(DhError::PublicValueOutOfRange)
        );
    }
    assert_eq!(
        params.check_public(&[]),
        Err(DhError::PublicValueOutOfRange)
    );
}

#[test]
fn key_exchange_agrees_and_is_deterministic_with_seed() {
    let params = DhParams::telegram();
    let a = params.generate_key_pair(&mut rng(10));
    let b = params.generate_key_pair(&mut rng(11));
    assert_ne!(a.public(), b.public());
    let k1 = a.shared_key(b.public()).unwrap();
    let k2 = b.shared_key(a.public()).unwrap();
    assert_eq!(k1, k2);
    let a_again = params.generate_key_pair(&mut rng(10));
    assert_eq!(a.public(), a_again.public());
    // g^a really is g^a mod p.
    assert_eq!(params.check_public(a.public()), Ok(()));
    assert_eq!(
        a.shared_key(&[1]).unwrap_err(),
        DhError::PublicValueOutOfRange
    );
    assert_eq!(format!("{a:?}"), "DhKeyPair { .. }");
}

#[test]
fn pow_g_matches_num_bigint() {
    let params = DhParams::telegram();
    let x = [0x12u8; 32];
    let expected = BigUint::from(3u32).modpow(&BigUint::from_bytes_be(&x), &p());
    assert_eq!(BigUint::from_bytes_be(&params.pow_g(&x)), expected);
}
