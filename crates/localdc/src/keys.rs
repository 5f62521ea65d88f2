//! The DC's RSA key: generated once, kept as PKCS#1 PEM in the state dir.
//!
//! Clients pin the public key by fingerprint: the lower 64 bits of SHA-1 over the
//! TL serialization of `n` and `e` as `bytes` (core.telegram.org/mtproto/auth_key#dh-exchange-initiation).
//! Parsing, fingerprints and RSA_PAD are `hearth-crypto`'s; this module only
//! adds persistence.

use std::path::Path;

use hearth_crypto::rsa::{RsaPrivateKey, RsaPublicKey};

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
    #[error("RSA key in {0} is not a 2048-bit PKCS#1 PEM private key ({1}); delete it to generate a new one")]
    Parse(String, String),
    #[error("RSA key generation failed: {0}")]
    Generate(String),
}

/// The server's RSA key pair. `Debug` shows only the fingerprint.
#[derive(Clone)]
pub struct ServerKey {
    private: RsaPrivateKey,
    public_pem: String,
}

impl std::fmt::Debug for ServerKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "ServerKey {{ fingerprint: {} }}", self.fingerprint())
    }
}

/// Fingerprint of a PKCS#1 PEM public key, as the signed `long` of `resPQ`.
pub fn fingerprint_of_public_pem(pem: &str) -> Option<i64> {
    RsaPublicKey::from_pkcs1_pem(pem)
        .ok()
        .map(|k| k.fingerprint() as i64)
}

impl ServerKey {
    /// Generates a fresh 2048-bit key.
    pub fn generate() -> Result<Self, KeyError> {
        let private = RsaPrivateKey::generate(&mut rand::rng())
            .map_err(|e| KeyError::Generate(e.to_string()))?;
        Self::from_private(private)
    }

    /// Parses a PKCS#1 PEM private key; `origin` names it in errors.
    pub fn from_pem(pem: &str, origin: &str) -> Result<Self, KeyError> {
        let private = RsaPrivateKey::from_pkcs1_pem(pem)
            .map_err(|e| KeyError::Parse(origin.into(), e.to_string()))?;
        Self::from_private(private)
    }

    fn from_private(private: RsaPrivateKey) -> Result<Self, KeyError> {
        let public_pem = private
            .public_key()
            .to_pkcs1_pem()
            .map_err(|e| KeyError::Generate(e.to_string()))?;
        Ok(Self {
            private,
            public_pem,
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
                let pem = key
                    .private
                    .to_pkcs1_pem()
                    .map_err(|e| KeyError::Generate(e.to_string()))?;
                std::fs::write(&path, pem.as_bytes()).map_err(|source| KeyError::Write {
                    path: shown.clone(),
                    source,
                })?;
                Ok(key)
            }
            Err(source) => Err(KeyError::Read {
                path: shown,
                source,
            }),
        }
    }

    /// The private key, for the key exchange.
    pub fn private(&self) -> &RsaPrivateKey {
        &self.private
    }

    /// The public key as PKCS#1 PEM (what clients add to their key table).
    pub fn public_pem(&self) -> &str {
        &self.public_pem
    }

    /// The fingerprint as announced in `resPQ` (a signed `long`).
    pub fn fingerprint(&self) -> i64 {
        self.private.public_key().fingerprint() as i64
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

    #[test]
    fn key_is_saved_and_reloaded_from_the_state_dir() {
        let dir = tempfile::tempdir().unwrap();
        let first = ServerKey::load_or_create(dir.path()).unwrap();
        let again = ServerKey::load_or_create(dir.path()).unwrap();
        assert_eq!(first.fingerprint(), again.fingerprint());
        std::fs::write(dir.path().join(KEY_FILE), "not a key").unwrap();
        assert!(matches!(
            ServerKey::load_or_create(dir.path()),
            Err(KeyError::Parse(..))
        ));
    }
}
