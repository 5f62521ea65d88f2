//! Hearth's MTProto 2.0 cryptography: sans-IO primitives shared by the client
//! engine and the `localdc` emulator.
//!
//! Everything here follows core.telegram.org:
//! - [`ige`] — AES-256-IGE (mtproto/description, "Defining AES Key and IV").
//! - [`ctr`] — AES-256-CTR (mtproto/mtproto-transports, obfuscation; CDN).
//! - [`ige_sha`] — AES-256-IGE decryption fused with SHA-256 (the msg_key check).
//! - [`message`] — MTProto 2.0 message encryption (mtproto/description).
//! - [`multibuffer`] — two IGE encryptions and two SHA-256s interleaved.
//! - [`auth_key`] — the 2048-bit authorization key (mtproto/auth_key).
//! - [`rsa`] — server RSA keys, fingerprints and RSA_PAD (mtproto/auth_key).
//! - [`factorize`] — pq factorisation for `resPQ` (mtproto/auth_key).
//! - [`dh`] — Diffie–Hellman checks (mtproto/security_guidelines).
//! - [`srp`] — 2FA SRP (api/srp).
//!
//! Randomness is always a caller-supplied [`rand_core::CryptoRng`], so every
//! protocol step is reproducible with a seeded generator in tests. The
//! `rand_core` version used is re-exported as [`rand_core`].

pub mod auth_key;
pub mod ctr;
pub mod dh;
pub mod factorize;
pub mod hash;
pub mod ige;
pub mod ige_sha;
mod interleave;
pub mod message;
mod modpow;
pub mod multibuffer;
pub mod rsa;
pub mod srp;

pub use rand_core;

pub use crate::auth_key::AuthKey;
pub use crate::ctr::Aes256Ctr;
pub use crate::ige::{decrypt_ige, encrypt_ige, IgeError};
pub use crate::ige_sha::{decrypt_ige_sha256, decrypt_ige_sha256_pair};
