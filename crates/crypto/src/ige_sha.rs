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

use aes::cipher::{
    consts::U16, generic_array::GenericArray, BlockBackend, BlockClosure, BlockDecrypt,
    BlockSizeUser, KeyInit,
};
use sha2::block_api::Sha256VarCore;
use sha2::digest::array::Array;
use sha2::digest::block_api::{Buffer, UpdateCore, VariableOutputCore};
use sha2::digest::Output;
use zeroize::Zeroize;

use crate::ige::IgeError;

/// Plaintext bytes the hash trails the decryption by: the SHA-256 block
/// compressed next was finished one block earlier, so its input is in the
/// cache and the core starts its rounds while the next AES rounds wait.
/// Measured on this project's Zen 4 (1 MiB, best of 60): one SHA block per
/// four AES blocks, trailing by one, takes 1.41 ms against 1.80 ms for two
/// passes (IGE alone 1.22 ms); hashing each block right after decrypting it
/// takes 1.65 ms, two SHA blocks per step 1.49 ms; a longer lag, the same.
const LAG: usize = 64;

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
    if !data.len().is_multiple_of(16) {
        return Err(IgeError::NotBlockAligned { len: data.len() });
    }
    let Ok(core) = Sha256VarCore::new(32) else {
        unreachable!("SHA-256's core takes its own 32-byte output size")
    };
    let mut pass = Pass {
        data,
        iv,
        prefix,
        core,
        hashed: None,
    };
    aes::Aes256Dec::new(key.into()).decrypt_with_backend(&mut pass);
    Ok(pass.finish())
}

/// The fused pass, run by `aes` with its block backend (so the AES-NI
/// rounds are inlined into the loop). The hash runs on `sha2`'s block-level
/// core, compressing whole 64-byte blocks straight from `data`; its own
/// block buffer and padding finish it.
struct Pass<'a> {
    data: &'a mut [u8],
    iv: &'a [u8; 32],
    prefix: &'a [u8; 32],
    core: Sha256VarCore,
    /// Plaintext bytes hashed so far, once the first SHA block
    /// (`prefix || plaintext[..32]`) was; later blocks lie in `data` at
    /// offsets `32 + 64k`.
    hashed: Option<usize>,
}

impl Pass<'_> {
    /// Hashes the plaintext not hashed yet and pads.
    fn finish(mut self) -> [u8; 32] {
        let (mut buffer, from) = match self.hashed {
            Some(hashed) => (Buffer::<Sha256VarCore>::default(), hashed),
            None => (Buffer::<Sha256VarCore>::new(self.prefix), 0),
        };
        let core = &mut self.core;
        buffer.digest_blocks(&self.data[from..], |blocks| core.update_blocks(blocks));
        let mut out = Output::<Sha256VarCore>::default();
        self.core.finalize_variable_core(&mut buffer, &mut out);
        buffer.reset();
        out.into()
    }

    /// Hashes the plaintext decrypted up to `at` less [`LAG`], when that
    /// ends a SHA block.
    #[inline(always)]
    fn hash_to(&mut self, at: usize) {
        let end = at.saturating_sub(LAG);
        if end < 32 || !(end + 32).is_multiple_of(64) {
            return;
        }
        match self.hashed {
            Some(hashed) => {
                let (blocks, _) = self.data[hashed..end].as_chunks::<64>();
                self.core.update_blocks(Array::cast_slice_from_core(blocks));
            }
            None => {
                let mut first = Array::<u8, _>::default();
                first[..32].copy_from_slice(self.prefix);
                first[32..].copy_from_slice(&self.data[..32]);
                self.core.update_blocks(&[first]);
                first.zeroize();
            }
        }
        self.hashed = Some(end);
    }
}

impl BlockSizeUser for &mut Pass<'_> {
    type BlockSize = U16;
}

impl BlockClosure for &mut Pass<'_> {
    #[inline(always)]
    fn call<B: BlockBackend<BlockSize = U16>>(self, backend: &mut B) {
        let mut prev_c = block(&self.iv[..16]);
        let mut prev_p = block(&self.iv[16..]);
        let mut scratch = GenericArray::<u8, U16>::default();
        let mut at = 0;
        while at < self.data.len() {
            let c = block(&self.data[at..at + 16]);
            scratch.copy_from_slice(&(c ^ prev_p).to_ne_bytes());
            backend.proc_block((&mut scratch).into());
            let p = block(&scratch) ^ prev_c;
            self.data[at..at + 16].copy_from_slice(&p.to_ne_bytes());
            prev_c = c;
            prev_p = p;
            at += 16;
            self.hash_to(at);
        }
        scratch.zeroize();
        prev_p.zeroize();
    }
}

/// A 16-byte block as one integer, so chaining is two XORs.
#[inline(always)]
fn block(bytes: &[u8]) -> u128 {
    let mut b = [0u8; 16];
    b.copy_from_slice(bytes);
    u128::from_ne_bytes(b)
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
