//! Running one or two chained block-cipher passes over `aes`'s block backend
//! (AES-NI when the CPU has it, chosen at run time), so the rounds are a
//! direct call in the loop. With two, the passes advance block by block in
//! turn: each chain's blocks wait on the one before, so the core overlaps
//! the two chains' rounds ("multi-buffer" processing). Used by
//! [`crate::ige_sha`] (decrypting) and [`crate::multibuffer`] (sealing).

use aes::cipher::{
    consts::U16, generic_array::GenericArray, BlockBackend, BlockClosure, BlockDecrypt,
    BlockEncrypt, BlockSizeUser,
};
use zeroize::Zeroize;

/// A pass over one buffer, a block per [`Step::step`].
pub(crate) trait Step {
    fn done(&self) -> bool;
    /// Advances one block on `backend`; `scratch` is the backend's block
    /// (wiped by the caller).
    fn step<B: BlockBackend<BlockSize = U16>>(
        &mut self,
        backend: &mut B,
        scratch: &mut GenericArray<u8, U16>,
    );
}

/// A cipher direction that lends its block backend to a closure.
pub(crate) trait Lend {
    fn lend(&self, f: impl BlockClosure<BlockSize = U16>);
}

impl Lend for aes::Aes256Enc {
    fn lend(&self, f: impl BlockClosure<BlockSize = U16>) {
        self.encrypt_with_backend(f)
    }
}

impl Lend for aes::Aes256Dec {
    fn lend(&self, f: impl BlockClosure<BlockSize = U16>) {
        self.decrypt_with_backend(f)
    }
}

/// Runs `a` to its end.
pub(crate) fn run_one<C: Lend>(cipher: &C, a: &mut impl Step) {
    cipher.lend(One(a));
}

/// Runs `a` (under `cipher_a`) and `b` (under `cipher_b`) to their ends,
/// a block of each in turn while both have blocks, then the longer alone.
pub(crate) fn run_pair<C: Lend>(cipher_a: &C, a: &mut impl Step, cipher_b: &C, b: &mut impl Step) {
    cipher_a.lend(Outer { a, b, cipher_b });
}

struct One<'c, S>(&'c mut S);

impl<S> BlockSizeUser for One<'_, S> {
    type BlockSize = U16;
}

impl<S: Step> BlockClosure for One<'_, S> {
    #[inline(always)]
    fn call<B: BlockBackend<BlockSize = U16>>(self, backend: &mut B) {
        let mut scratch = GenericArray::<u8, U16>::default();
        while !self.0.done() {
            self.0.step(backend, &mut scratch);
        }
        scratch.zeroize();
    }
}

/// Given `a`'s backend, asks `cipher_b` for its own and runs [`Both`].
struct Outer<'c, SA, SB, C> {
    a: &'c mut SA,
    b: &'c mut SB,
    cipher_b: &'c C,
}

impl<SA, SB, C> BlockSizeUser for Outer<'_, SA, SB, C> {
    type BlockSize = U16;
}

impl<SA: Step, SB: Step, C: Lend> BlockClosure for Outer<'_, SA, SB, C> {
    #[inline(always)]
    fn call<B: BlockBackend<BlockSize = U16>>(self, backend_a: &mut B) {
        self.cipher_b.lend(Both {
            a: self.a,
            b: self.b,
            backend_a,
        });
    }
}

struct Both<'c, SA, SB, BA> {
    a: &'c mut SA,
    b: &'c mut SB,
    backend_a: &'c mut BA,
}

impl<SA, SB, BA> BlockSizeUser for Both<'_, SA, SB, BA> {
    type BlockSize = U16;
}

impl<SA: Step, SB: Step, BA: BlockBackend<BlockSize = U16>> BlockClosure for Both<'_, SA, SB, BA> {
    #[inline(always)]
    fn call<B: BlockBackend<BlockSize = U16>>(self, backend_b: &mut B) {
        let mut sa = GenericArray::<u8, U16>::default();
        let mut sb = GenericArray::<u8, U16>::default();
        while !self.a.done() && !self.b.done() {
            self.a.step(self.backend_a, &mut sa);
            self.b.step(backend_b, &mut sb);
        }
        while !self.a.done() {
            self.a.step(self.backend_a, &mut sa);
        }
        while !self.b.done() {
            self.b.step(backend_b, &mut sb);
        }
        sa.zeroize();
        sb.zeroize();
    }
}

/// IGE's chaining blocks, the previous ciphertext and plaintext blocks
/// (OpenSSL's IV layout, as in [`crate::ige`]: `c_0 = iv[..16]`,
/// `p_0 = iv[16..]`); wiped on drop.
pub(crate) struct Ige {
    prev_c: u128,
    prev_p: u128,
}

impl Ige {
    pub(crate) fn new(iv: &[u8; 32]) -> Self {
        Self {
            prev_c: block(&iv[..16]),
            prev_p: block(&iv[16..]),
        }
    }

    /// `p_i = D(c_i ^ p_{i-1}) ^ c_{i-1}`, `data` (one block) in place.
    #[inline(always)]
    pub(crate) fn decrypt<B: BlockBackend<BlockSize = U16>>(
        &mut self,
        backend: &mut B,
        scratch: &mut GenericArray<u8, U16>,
        data: &mut [u8],
    ) {
        let c = block(data);
        scratch.copy_from_slice(&(c ^ self.prev_p).to_ne_bytes());
        backend.proc_block(scratch.into());
        let p = block(scratch) ^ self.prev_c;
        data.copy_from_slice(&p.to_ne_bytes());
        (self.prev_c, self.prev_p) = (c, p);
    }

    /// `c_i = E(p_i ^ c_{i-1}) ^ p_{i-1}`, `data` (one block) in place.
    #[inline(always)]
    pub(crate) fn encrypt<B: BlockBackend<BlockSize = U16>>(
        &mut self,
        backend: &mut B,
        scratch: &mut GenericArray<u8, U16>,
        data: &mut [u8],
    ) {
        let p = block(data);
        scratch.copy_from_slice(&(p ^ self.prev_c).to_ne_bytes());
        backend.proc_block(scratch.into());
        let c = block(scratch) ^ self.prev_p;
        data.copy_from_slice(&c.to_ne_bytes());
        (self.prev_c, self.prev_p) = (c, p);
    }
}

impl Drop for Ige {
    fn drop(&mut self) {
        self.prev_c.zeroize();
        self.prev_p.zeroize();
    }
}

/// A 16-byte block as one integer, so chaining is two XORs.
#[inline(always)]
fn block(bytes: &[u8]) -> u128 {
    let mut b = [0u8; 16];
    b.copy_from_slice(bytes);
    u128::from_ne_bytes(b)
}
