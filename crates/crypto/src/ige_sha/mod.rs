//! AES-256-IGE decryption fused with the SHA-256 of the plaintext it yields:
//! the receiving half of MTProto 2.0 message decryption, where `msg_key` is
//! the middle of `SHA256(substr(auth_key, 88+x, 32) + plaintext)`
//! (core.telegram.org/mtproto/description, "Defining AES Key and IV",
//! "Important checks").
//!
//! Both halves are serial chains bound by latency, not throughput: each IGE
//! block waits for the previous plaintext block (about 60 cycles of `aesdec`
//! for AES-256), each SHA-256 block for the previous state (the `sha256rnds2`
//! chain). Run one after the other they cost the sum of the two; in one pass
//! that hashes each 64-byte stretch of plaintext right after it was
//! decrypted, the core's out-of-order window runs the SHA rounds of one
//! stretch while the AES rounds of the next are waiting, so the pair costs
//! little more than the decryption alone.
//!
//! Only the IGE chaining is written here, per the definition (OpenSSL's IV
//! layout, as in [`crate::ige`]): `p_i = D(c_i ^ p_{i-1}) ^ c_{i-1}`, with
//! `c_0 = iv[..16]` and `p_0 = iv[16..]`. It is hand-written because the
//! `ige` crate decrypts a whole buffer with no hook to observe plaintext
//! blocks as they are produced; the block cipher is `aes` 0.8's (AES-NI
//! when the CPU has it, chosen at run time) and the hash is `sha2`'s
//! block-level core (`Sha256VarCore`: SHA-NI when the CPU has it), given
//! whole 64-byte blocks straight from the buffer, with the library's block
//! buffer and padding at the end.
//!
//! Invariant: the output is exactly [`crate::decrypt_ige`] of the input and
//! the SHA-256 of `prefix || plaintext` (tests compare both with the separate
//! passes for every block count up to 300 and random keys).

use aes::cipher::KeyInit;

use crate::ige::IgeError;
use crate::interleave::{run_one, run_pair};

mod chain;

use chain::Chain;

/// Decrypts `data` in place with AES-256-IGE and returns
/// `SHA256(prefix || plaintext)`.
///
/// `data.len()` must be a multiple of 16, otherwise nothing is changed and
/// [`IgeError::NotBlockAligned`] is returned.
pub fn decrypt_ige_sha256(
    data: &mut [u8],
    key: &[u8; 32],
    iv: &[u8; 32],
    prefix: &[u8; 32],
) -> Result<[u8; 32], IgeError> {
    aligned(data)?;
    let mut chain = Chain::new(data, iv, prefix);
    run_one(&aes::Aes256Dec::new(key.into()), &mut chain);
    Ok(chain.finish())
}

/// One message of [`decrypt_ige_sha256_pair`]: the buffer decrypted in
/// place, its key and IV, and the 32 bytes hashed before its plaintext.
pub struct Job<'a> {
    pub data: &'a mut [u8],
    pub key: &'a [u8; 32],
    pub iv: &'a [u8; 32],
    pub prefix: &'a [u8; 32],
}

/// [`decrypt_ige_sha256`] of two messages at once, with the same results
/// (each its own error if not block-aligned, the other then decrypted
/// alone).
///
/// Why: one IGE chain keeps the AES unit busy a quarter of the time at most
/// (each `aesdec` waits for the one before), so a second, independent chain
/// interleaved block by block runs in the gaps ("multi-buffer" processing,
/// as used for CBC encryption): two 1 MiB messages cost little more than
/// one. A connection that has two file parts waiting decrypts them
/// together.
pub fn decrypt_ige_sha256_pair(
    a: Job<'_>,
    b: Job<'_>,
) -> (Result<[u8; 32], IgeError>, Result<[u8; 32], IgeError>) {
    match (aligned(a.data), aligned(b.data)) {
        (Ok(()), Ok(())) => {}
        (ra, rb) => {
            let one = |j: Job<'_>, r: Result<(), IgeError>| {
                r.and_then(|()| decrypt_ige_sha256(j.data, j.key, j.iv, j.prefix))
            };
            return (one(a, ra), one(b, rb));
        }
    }
    let mut ca = Chain::new(a.data, a.iv, a.prefix);
    let mut cb = Chain::new(b.data, b.iv, b.prefix);
    run_pair(
        &aes::Aes256Dec::new(a.key.into()),
        &mut ca,
        &aes::Aes256Dec::new(b.key.into()),
        &mut cb,
    );
    (Ok(ca.finish()), Ok(cb.finish()))
}

fn aligned(data: &[u8]) -> Result<(), IgeError> {
    if data.len().is_multiple_of(16) {
        Ok(())
    } else {
        Err(IgeError::NotBlockAligned { len: data.len() })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::hash::sha256;
    use crate::ige::decrypt_ige;
    use rand::{RngExt, SeedableRng};

    fn separate(
        data: &[u8],
        key: &[u8; 32],
        iv: &[u8; 32],
        prefix: &[u8; 32],
    ) -> (Vec<u8>, [u8; 32]) {
        let mut plain = data.to_vec();
        decrypt_ige(&mut plain, key, iv).unwrap();
        let hash = sha256(&[prefix, &plain]);
        (plain, hash)
    }

    #[test]
    fn equals_separate_passes_for_every_length_and_random_keys() {
        let mut rng = rand::rngs::StdRng::seed_from_u64(11);
        for blocks in 0..=300usize {
            let key: [u8; 32] = rng.random();
            let iv: [u8; 32] = rng.random();
            let prefix: [u8; 32] = rng.random();
            let mut data = vec![0u8; blocks * 16];
            rng.fill(&mut data[..]);
            let (plain, hash) = separate(&data, &key, &iv, &prefix);
            let got = decrypt_ige_sha256(&mut data, &key, &iv, &prefix).unwrap();
            assert_eq!(data, plain, "{blocks} blocks");
            assert_eq!(got, hash, "{blocks} blocks");
        }
    }

    #[test]
    fn equals_separate_passes_on_a_file_part() {
        let mut rng = rand::rngs::StdRng::seed_from_u64(12);
        let (key, iv, prefix): ([u8; 32], [u8; 32], [u8; 32]) =
            (rng.random(), rng.random(), rng.random());
        let mut data = vec![0u8; (1 << 20) + 48];
        rng.fill(&mut data[..]);
        let (plain, hash) = separate(&data, &key, &iv, &prefix);
        let got = decrypt_ige_sha256(&mut data, &key, &iv, &prefix).unwrap();
        assert!(data == plain);
        assert_eq!(got, hash);
    }

    fn job<'a>(data: &'a mut [u8], k: &'a ([u8; 32], [u8; 32], [u8; 32])) -> Job<'a> {
        Job {
            data,
            key: &k.0,
            iv: &k.1,
            prefix: &k.2,
        }
    }

    #[test]
    fn pair_equals_separate_passes_for_every_pair_of_lengths() {
        let mut rng = rand::rngs::StdRng::seed_from_u64(13);
        for la in (0..=40usize).chain([64, 65, 130]) {
            for lb in (0..=40usize).chain([1, 63, 200]) {
                let ka: ([u8; 32], [u8; 32], [u8; 32]) = (rng.random(), rng.random(), rng.random());
                let kb: ([u8; 32], [u8; 32], [u8; 32]) = (rng.random(), rng.random(), rng.random());
                let mut da = vec![0u8; la * 16];
                let mut db = vec![0u8; lb * 16];
                rng.fill(&mut da[..]);
                rng.fill(&mut db[..]);
                let (pa, ha) = separate(&da, &ka.0, &ka.1, &ka.2);
                let (pb, hb) = separate(&db, &kb.0, &kb.1, &kb.2);
                let (ra, rb) = decrypt_ige_sha256_pair(job(&mut da, &ka), job(&mut db, &kb));
                assert_eq!((da == pa, db == pb), (true, true), "{la}+{lb} blocks");
                assert_eq!((ra, rb), (Ok(ha), Ok(hb)), "{la}+{lb} blocks");
            }
        }
    }

    #[test]
    fn pair_of_file_parts_with_one_key() {
        // Two parts of one download: same key material is allowed and the
        // chains must still not mix.
        let mut rng = rand::rngs::StdRng::seed_from_u64(14);
        let k: ([u8; 32], [u8; 32], [u8; 32]) = (rng.random(), rng.random(), rng.random());
        let mut a = vec![0u8; (1 << 20) + 48];
        let mut b = vec![0u8; (1 << 16) + 32];
        rng.fill(&mut a[..]);
        let n = b.len();
        b.copy_from_slice(&a[..n]);
        let (pa, ha) = separate(&a, &k.0, &k.1, &k.2);
        let (pb, hb) = separate(&b, &k.0, &k.1, &k.2);
        let (ra, rb) = decrypt_ige_sha256_pair(job(&mut a, &k), job(&mut b, &k));
        assert!(a == pa && b == pb);
        assert_eq!((ra, rb), (Ok(ha), Ok(hb)));
    }

    #[test]
    fn pair_with_an_unaligned_message_decrypts_the_other_alone() {
        let k = ([1u8; 32], [2u8; 32], [3u8; 32]);
        let mut good = vec![5u8; 96];
        let (plain, hash) = separate(&good, &k.0, &k.1, &k.2);
        let mut bad = vec![9u8; 33];
        let (ra, rb) = decrypt_ige_sha256_pair(job(&mut bad, &k), job(&mut good, &k));
        assert_eq!(ra, Err(IgeError::NotBlockAligned { len: 33 }));
        assert_eq!(rb, Ok(hash));
        assert_eq!((bad, good), (vec![9u8; 33], plain));
        let mut good2 = vec![5u8; 96];
        let mut bad2 = vec![9u8; 17];
        let (ra, rb) = decrypt_ige_sha256_pair(job(&mut good2, &k), job(&mut bad2, &k));
        assert_eq!(
            (ra, rb),
            (Ok(hash), Err(IgeError::NotBlockAligned { len: 17 }))
        );
    }

    #[test]
    fn published_vector_and_empty_input() {
        // grammers' `verify_ige_decryption`: key = iv = data = 00 01 .. 1f.
        let k: [u8; 32] = core::array::from_fn(|i| i as u8);
        let mut data = k.to_vec();
        let hash = decrypt_ige_sha256(&mut data, &k, &k, &[7; 32]).unwrap();
        assert_eq!(
            hex::encode(&data),
            "e5777afacd7b2c16f7ac40cae61ef603fee6098fb8a8860ab9ee672cd7e5bacc"
        );
        assert_eq!(hash, sha256(&[&[7; 32], &data]));
        let mut empty: [u8; 0] = [];
        let hash = decrypt_ige_sha256(&mut empty, &k, &k, &[7; 32]).unwrap();
        assert_eq!(hash, sha256(&[&[7; 32]]));
    }

    #[test]
    fn unaligned_input_is_rejected_untouched() {
        for len in [1usize, 15, 17, 31, 100] {
            let mut data = vec![9u8; len];
            assert_eq!(
                decrypt_ige_sha256(&mut data, &[1; 32], &[2; 32], &[3; 32]),
                Err(IgeError::NotBlockAligned { len })
            );
            assert_eq!(data, vec![9u8; len]);
        }
    }
}
