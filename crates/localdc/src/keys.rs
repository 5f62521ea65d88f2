//! The DC's RSA key: generated once, kept as PKCS#1 PEM in the state dir.
//!
//! Clients pin the public key by fingerprint: the lower 64 bits of SHA-1 over the
//! TL serialization of `n` and `e` as `bytes` (core.telegram.org/mtproto/auth_key#dh-exchange-initiation).

use std::path::Path;

use num_bigint::BigUint;
use rsa::pkcs1::{
    DecodeRsaPrivateKey, DecodeRsaPublicKey, EncodeRsaPrivateKey, EncodeRsaPublicKey,
};
use rsa::traits::{PrivateKeyParts, PublicKeyParts};
use rsa::{PrivateKey as RsaPrivateKey, PublicKey as RsaPublicKey};

use crate::crypto::sha1;
use crate::tl::Writer;

/// File name of the private key inside the state dir.
pub const KEY_FILE: &str = "rsa_private_key.pem";

/// Errors loading or creating the server key.
#[derive(Debug, thiserror::Error)]
pub enum KeyError {
    #[error("cannot read RSA key {path}: {source}")]
    Read {
        path: String,
        source: std::io::Error,
    },
    #[error("cannot write RSA key {path}: {source}")]
    Write {
        path: String,
        source: std::io::Error,
    },
    #[error("RSA key in {0} is not a PKCS#1 PEM private key; delete it to generate a new one")]
    Parse(String),
    #[error("RSA key generation failed: {0}")]
    Generate(String),
    #[error("RSA key must be 2048 bits, found {0}")]
    Size(usize),
}

/// The server's RSA key pair. `Debug` shows only the fingerprint.
#[derive(Clone)]
pub struct ServerKey {
    n: BigUint,
    e: BigUint,
    d: BigUint,
    public_pem: String,
    private_pem: String,
    fingerprint: i64,
}

impl std::fmt::Debug for ServerKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "ServerKey {{ fingerprint: {} }}", self.fingerprint)
    }
}

/// Fingerprint of a public key given by modulus and exponent (big-endian bytes).
pub fn fingerprint(n: &[u8], e: &[u8]) -> i64 {
    let mut w = Writer::new();
    w.bytes(n).bytes(e);
    let h = sha1(&[&w.finish()]);
    let mut b = [0u8; 8];
    b.copy_from_slice(&h[12..20]);
    i64::from_le_bytes(b)
}

/// Fingerprint of a PKCS#1 PEM public key.
pub fn fingerprint_of_public_pem(pem: &str) -> Option<i64> {
    let key = RsaPublicKey::from_pkcs1_pem(pem).ok()?;
    Some(fingerprint(&key.n_bytes(), &key.e_bytes()))
}

impl ServerKey {
    /// Generates a fresh 2048-bit key.
    pub fn generate() -> Result<Self, KeyError> {
        let key = RsaPrivateKey::new(&mut rand::rng(), 2048)
            .map_err(|e| KeyError::Generate(e.to_string()))?;
        Self::from_private(&key)
    }

    /// Parses a PKCS#1 PEM private key.
    pub fn from_pem(pem: &str, origin: &str) -> Result<Self, KeyError> {
        let key = RsaPrivateKey::from_pkcs1_pem(pem).map_err(|_| KeyError::Parse(origin.into()))?;
        Self::from_private(&key)
    }

    fn from_private(key: &RsaPrivateKey) -> Result<Self, KeyError> {
        let n_bytes = key.n_bytes();
        let e_bytes = key.e_bytes();
        if n_bytes.len() != 256 {
            return Err(KeyError::Size(n_bytes.len() * 8));
        }
        let public_pem = key
            .to_public_key()
            .to_pkcs1_pem(rsa::pkcs1::LineEnding::LF)
            .map_err(|e| KeyError::Generate(e.to_string()))?;
        let private_pem = key
            .to_pkcs1_pem(rsa::pkcs1::LineEnding::LF)
            .map_err(|e| KeyError::Generate(e.to_string()))?
            .to_string();
        Ok(Self {
            n: BigUint::from_bytes_be(&n_bytes),
            e: BigUint::from_bytes_be(&e_bytes),
            d: BigUint::from_bytes_be(&key.d().to_be_bytes()),
            fingerprint: fingerprint(&n_bytes, &e_bytes),
            public_pem,
            private_pem,
        })
    }

    /// Loads `dir/rsa_private_key.pem`, generating and saving it on first run.
    pub fn load_or_create(dir: &Path) -> Result<Self, KeyError> {
        let path = dir.join(KEY_FILE);
        let shown = path.display().to_string();
        match std::fs::read_to_string(&path) {
            Ok(pem) => Self::from_pem(&pem, &shown),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                let key = Self::generate()?;
                std::fs::write(&path, key.private_pem.as_bytes()).map_err(|source| {
                    KeyError::Write {
                        path: shown.clone(),
                        source,
                    }
                })?;
                Ok(key)
            }
            Err(source) => Err(KeyError::Read {
                path: shown,
                source,
            }),
        }
    }

    pub fn n(&self) -> &BigUint {
        &self.n
    }
    pub fn e(&self) -> &BigUint {
        &self.e
    }
    pub(crate) fn d(&self) -> &BigUint {
        &self.d
    }
    pub fn public_pem(&self) -> &str {
        &self.public_pem
    }
    pub fn private_pem(&self) -> &str {
        &self.private_pem
    }
    pub fn fingerprint(&self) -> i64 {
        self.fingerprint
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn production_key_fingerprint_matches_telegram() {
        let pem = include_str!("../../../schema/rsa-production.pem");
        assert_eq!(
            fingerprint_of_public_pem(pem),
            Some(0xd09d1d85de64fd85u64 as i64)
        );
        let pem = include_str!("../../../schema/rsa-test.pem");
        assert_eq!(
            fingerprint_of_public_pem(pem),
            Some(0xb25898df208d2603u64 as i64)
        );
    }
}
