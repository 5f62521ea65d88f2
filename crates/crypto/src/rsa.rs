//! Telegram server RSA keys and RSA_PAD (core.telegram.org/mtproto/auth_key,
//! "Presenting proof of work; Server authentication", step 4).
//!
//! - Public keys are PKCS#1 PEM (`-----BEGIN RSA PUBLIC KEY-----`) with a
//!   2048-bit modulus; parsing and the modular arithmetic come from the
//!   RustCrypto `rsa` crate (raw `hazmat` operations: RSA_PAD is Telegram's
//!   own padding, not PKCS#1 v1.5 or OAEP).
//! - The fingerprint is the low 64 bits of SHA1(TL `bytes` n + TL `bytes` e),
//!   i.e. the last 8 bytes of the hash read little-endian.
//! - [`RsaPublicKey::encrypt_pad`] is the client side of RSA_PAD and
//!   [`RsaPrivateKey::decrypt_pad`] the server side (for `localdc`).

use ::rsa::hazmat::{rsa_decrypt_and_check, rsa_encrypt};
use ::rsa::pkcs1::{DecodeRsaPublicKey, EncodeRsaPublicKey, LineEnding};
use ::rsa::traits::PublicKeyParts;
use ::rsa::BoxedUint;
use rand_core::CryptoRng;
use subtle::ConstantTimeEq;
use zeroize::Zeroizing;

use crate::hash::{sha1, sha256};
use crate::ige::{decrypt_ige, encrypt_ige};

/// Modulus size in bytes required by RSA_PAD.
pub const MODULUS_LEN: usize = 256;
/// Largest `data` RSA_PAD accepts.
pub const MAX_DATA_LEN: usize = 144;
/// `data_with_padding` length.
pub const PADDED_LEN: usize = 192;

/// RSA failures.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RsaError {
    #[error("not a PKCS#1 RSA public key PEM: {0}")]
    Pem(String),
    #[error("RSA modulus is {bits} bits; Telegram keys are 2048-bit")]
    ModulusSize { bits: u32 },
    #[error("RSA_PAD data is {len} bytes, more than the 144 allowed")]
    DataTooLong { len: usize },
    #[error("RSA-encrypted data is {len} bytes, expected at most 256")]
    CiphertextLength { len: usize },
    #[error("RSA-encrypted data is not smaller than the modulus")]
    CiphertextNotBelowModulus,
    #[error("RSA_PAD hash check failed: wrong key or corrupted data")]
    PaddingHash,
    #[error("RSA operation failed: {0}")]
    Rsa(String),
    #[error("RSA key generation failed: {0}")]
    KeyGen(String),
}

/// Appends `data` serialised as TL `bytes` (core.telegram.org/mtproto/serialize).
/// Hand-written here because only the fingerprint needs it and the TL crate
/// sits above this one.
fn tl_bytes(out: &mut Vec<u8>, data: &[u8]) {
    let header = if data.len() < 254 {
        out.push(data.len() as u8);
        1
    } else {
        let len = (data.len() as u32).to_le_bytes();
        out.extend_from_slice(&[254, len[0], len[1], len[2]]);
        4
    };
    out.extend_from_slice(data);
    out.resize(out.len() + (4 - (header + data.len()) % 4) % 4, 0);
}

/// A server's RSA public key with its precomputed fingerprint.
#[derive(Clone)]
pub struct RsaPublicKey {
    inner: ::rsa::PublicKey,
    fingerprint: u64,
}

impl std::fmt::Debug for RsaPublicKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "RsaPublicKey {{ fingerprint: {:#018x} }}",
            self.fingerprint
        )
    }
}

impl PartialEq for RsaPublicKey {
    fn eq(&self, other: &Self) -> bool {
        self.inner == other.inner
    }
}

impl Eq for RsaPublicKey {}

impl RsaPublicKey {
    fn from_inner(inner: ::rsa::PublicKey) -> Result<Self, RsaError> {
        let bits = inner.n().as_ref().bit_width();
        if bits != 2048 {
            return Err(RsaError::ModulusSize { bits });
        }
        let mut tl = Vec::with_capacity(272);
        tl_bytes(&mut tl, &inner.n_bytes());
        tl_bytes(&mut tl, &inner.e_bytes());
        let h = sha1(&[&tl]);
        let mut low = [0u8; 8];
        low.copy_from_slice(&h[12..]);
        Ok(Self {
            inner,
            fingerprint: u64::from_le_bytes(low),
        })
    }

    /// Parses a PKCS#1 `-----BEGIN RSA PUBLIC KEY-----` PEM block.
    pub fn from_pkcs1_pem(pem: &str) -> Result<Self, RsaError> {
        let inner = ::rsa::PublicKey::from_pkcs1_pem(pem.trim())
            .map_err(|e| RsaError::Pem(e.to_string()))?;
        Self::from_inner(inner)
    }

    /// Parses every PEM block in `text` (e.g. a file with several keys).
    pub fn parse_all(text: &str) -> Result<Vec<Self>, RsaError> {
        const END: &str = "-----END RSA PUBLIC KEY-----";
        let mut keys = Vec::new();
        let mut rest = text;
        while let Some(end) = rest.find(END) {
            let (block, tail) = rest.split_at(end + END.len());
            keys.push(Self::from_pkcs1_pem(block)?);
            rest = tail;
        }
        if keys.is_empty() {
            return Err(RsaError::Pem("no RSA PUBLIC KEY block found".into()));
        }
        Ok(keys)
    }

    /// Exports as a PKCS#1 PEM `-----BEGIN RSA PUBLIC KEY-----` block.
    pub fn to_pkcs1_pem(&self) -> Result<String, RsaError> {
        self.inner
            .to_pkcs1_pem(LineEnding::LF)
            .map_err(|e| RsaError::Pem(e.to_string()))
    }

    /// The key fingerprint as sent in `resPQ.server_public_key_fingerprints`.
    pub fn fingerprint(&self) -> u64 {
        self.fingerprint
    }

    /// Big-endian modulus, 256 bytes.
    pub fn n_bytes(&self) -> Vec<u8> {
        self.inner.n_bytes().into_vec()
    }

    /// Big-endian public exponent, no leading zeros.
    pub fn e_bytes(&self) -> Vec<u8> {
        self.inner.e_bytes().into_vec()
    }

    /// Whether the 256-byte big-endian value is below the modulus.
    fn below_modulus(&self, value: &[u8; MODULUS_LEN]) -> bool {
        let n = self.n_bytes();
        value.as_slice() < n.as_slice()
    }

    /// Raw `value^e mod n` for a value below the modulus, 256 bytes out.
    fn raw_encrypt(&self, value: &[u8; MODULUS_LEN]) -> Result<[u8; MODULUS_LEN], RsaError> {
        let m = BoxedUint::from_be_slice(value, self.inner.n_bits_precision())
            .map_err(|e| RsaError::Rsa(format!("{e:?}")))?;
        let c = rsa_encrypt(&self.inner, &m).map_err(|e| RsaError::Rsa(e.to_string()))?;
        Ok(to_fixed(&c.to_be_bytes()))
    }

    /// RSA_PAD(data, server_public_key) for `p_q_inner_data*`:
    ///
    /// data_with_padding = data + random bytes, 192 in all; reversed;
    /// loop { temp_key = 32 random bytes;
    ///        data_with_hash = reversed + SHA256(temp_key + data_with_padding);
    ///        aes_encrypted = AES256_IGE(data_with_hash, temp_key, iv = 0);
    ///        key_aes_encrypted = (temp_key XOR SHA256(aes_encrypted)) + aes_encrypted;
    ///        retry while key_aes_encrypted ≥ n }
    /// result = key_aes_encrypted^e mod n, 256 bytes big-endian.
    pub fn encrypt_pad<R: CryptoRng + ?Sized>(
        &self,
        data: &[u8],
        rng: &mut R,
    ) -> Result<[u8; MODULUS_LEN], RsaError> {
        if data.len() > MAX_DATA_LEN {
            return Err(RsaError::DataTooLong { len: data.len() });
        }
        let mut with_padding = Zeroizing::new([0u8; PADDED_LEN]);
        with_padding[..data.len()].copy_from_slice(data);
        rng.fill_bytes(&mut with_padding[data.len()..]);
        loop {
            let mut temp_key = Zeroizing::new([0u8; 32]);
            rng.fill_bytes(temp_key.as_mut());
            let mut block = Zeroizing::new([0u8; MODULUS_LEN]);
            {
                let (key_xor, data_with_hash) = block.split_at_mut(32);
                for (dst, src) in data_with_hash[..PADDED_LEN]
                    .iter_mut()
                    .zip(with_padding.iter().rev())
                {
                    *dst = *src;
                }
                data_with_hash[PADDED_LEN..]
                    .copy_from_slice(&sha256(&[temp_key.as_ref(), with_padding.as_ref()]));
                encrypt_ige(data_with_hash, &temp_key, &[0u8; 32])
                    .map_err(|e| RsaError::Rsa(e.to_string()))?;
                let h = sha256(&[data_with_hash]);
                for i in 0..32 {
                    key_xor[i] = temp_key[i] ^ h[i];
                }
            }
            if self.below_modulus(&block) {
                return self.raw_encrypt(&block);
            }
        }
    }
}

/// A block decrypted by [`RsaPrivateKey::decrypt_legacy`]: the embedded
/// SHA-1 and the data with its padding (235 bytes).
pub struct LegacyPadded {
    hash: [u8; 20],
    data: Zeroizing<Vec<u8>>,
}

impl std::fmt::Debug for LegacyPadded {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("LegacyPadded { .. }")
    }
}

impl LegacyPadded {
    /// The data followed by random padding.
    pub fn data(&self) -> &[u8] {
        &self.data
    }

    /// Whether the embedded hash is SHA1 of the first `len` bytes of
    /// [`data`](Self::data) (constant-time comparison).
    pub fn verify(&self, len: usize) -> bool {
        len <= self.data.len() && bool::from(sha1(&[&self.data[..len]]).ct_eq(&self.hash))
    }
}

/// Left-pads a big-endian value to 256 bytes (dropping leading zero limbs).
fn to_fixed(bytes: &[u8]) -> [u8; MODULUS_LEN] {
    let mut out = [0u8; MODULUS_LEN];
    let start = bytes.len().saturating_sub(MODULUS_LEN);
    let src = &bytes[start..];
    out[MODULUS_LEN - src.len()..].copy_from_slice(src);
    out
}

/// A server RSA key pair (for the `localdc` emulator).
#[derive(Clone)]
pub struct RsaPrivateKey {
    inner: ::rsa::PrivateKey,
    public: RsaPublicKey,
}

impl std::fmt::Debug for RsaPrivateKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "RsaPrivateKey {{ fingerprint: {:#018x}, .. }}",
            self.public.fingerprint
        )
    }
}

impl RsaPrivateKey {
    /// Generates a fresh 2048-bit key with e = 65537.
    pub fn generate<R: CryptoRng + ?Sized>(rng: &mut R) -> Result<Self, RsaError> {
        let inner =
            ::rsa::PrivateKey::new(rng, 2048).map_err(|e| RsaError::KeyGen(e.to_string()))?;
        let public = RsaPublicKey::from_inner(inner.to_public_key())?;
        Ok(Self { inner, public })
    }

    /// The public half (its PEM goes to clients; its fingerprint into resPQ).
    pub fn public_key(&self) -> &RsaPublicKey {
        &self.public
    }

    /// Parses a PKCS#1 PEM private key (`-----BEGIN RSA PRIVATE KEY-----`)
    /// with a 2048-bit modulus.
    pub fn from_pkcs1_pem(pem: &str) -> Result<Self, RsaError> {
        use ::rsa::pkcs1::DecodeRsaPrivateKey;
        let inner =
            ::rsa::PrivateKey::from_pkcs1_pem(pem).map_err(|e| RsaError::Pem(e.to_string()))?;
        let public = RsaPublicKey::from_inner(inner.to_public_key())?;
        Ok(Self { inner, public })
    }

    /// The private key as PKCS#1 PEM, for storing it. The result is secret.
    pub fn to_pkcs1_pem(&self) -> Result<Zeroizing<String>, RsaError> {
        use ::rsa::pkcs1::EncodeRsaPrivateKey;
        let pem = self
            .inner
            .to_pkcs1_pem(LineEnding::LF)
            .map_err(|e| RsaError::Pem(e.to_string()))?;
        Ok(Zeroizing::new(pem.as_str().to_owned()))
    }

    /// Server side of the SHA-1 scheme that preceded RSA_PAD, which Telegram
    /// still accepts and older clients (Telethon 1.x) still send:
    /// `encrypted_data = RSA(SHA1(data) + data + random padding)`, 255 bytes.
    /// The hash covers `data` alone, whose length is only known once the TL
    /// inside is parsed, so the caller checks it with
    /// [`LegacyPadded::verify`].
    pub fn decrypt_legacy<R: CryptoRng + ?Sized>(
        &self,
        encrypted: &[u8],
        rng: &mut R,
    ) -> Result<LegacyPadded, RsaError> {
        let block = self.raw_decrypt(encrypted, rng)?;
        // A 255-byte block: the top byte of the 256-byte value is zero.
        if block[0] != 0 {
            return Err(RsaError::PaddingHash);
        }
        let mut hash = [0u8; 20];
        hash.copy_from_slice(&block[1..21]);
        Ok(LegacyPadded {
            hash,
            data: Zeroizing::new(block[21..].to_vec()),
        })
    }

    /// The private-key operation both server-side schemes share: checks the
    /// ciphertext is at most 256 bytes and below n, then returns the 256-byte
    /// big-endian plaintext block. `rng` blinds the operation.
    fn raw_decrypt<R: CryptoRng + ?Sized>(
        &self,
        encrypted: &[u8],
        rng: &mut R,
    ) -> Result<Zeroizing<[u8; MODULUS_LEN]>, RsaError> {
        if encrypted.len() > MODULUS_LEN {
            return Err(RsaError::CiphertextLength {
                len: encrypted.len(),
            });
        }
        let c_fixed = to_fixed(encrypted);
        if !self.public.below_modulus(&c_fixed) {
            return Err(RsaError::CiphertextNotBelowModulus);
        }
        let c = BoxedUint::from_be_slice(&c_fixed, self.inner.n_bits_precision())
            .map_err(|e| RsaError::Rsa(format!("{e:?}")))?;
        let m = rsa_decrypt_and_check(&self.inner, Some(rng), &c)
            .map_err(|e| RsaError::Rsa(e.to_string()))?;
        Ok(Zeroizing::new(to_fixed(&m.to_be_bytes())))
    }

    /// Server side of RSA_PAD: decrypts `encrypted_data` from
    /// `req_DH_params` and returns `data_with_padding` (192 bytes: the TL
    /// `p_q_inner_data*` followed by random padding).
    ///
    /// Checks, as the server must: at most 256 bytes; value below n;
    /// temp_key = temp_key_xor XOR SHA256(aes_encrypted); after IGE
    /// decryption, SHA256(temp_key + data_with_padding) equals the embedded
    /// hash (compared in constant time). `rng` blinds the private operation.
    pub fn decrypt_pad<R: CryptoRng + ?Sized>(
        &self,
        encrypted: &[u8],
        rng: &mut R,
    ) -> Result<[u8; PADDED_LEN], RsaError> {
        let mut block = self.raw_decrypt(encrypted, rng)?;
        let (key_xor, data_with_hash) = block.split_at_mut(32);
        let h = sha256(&[data_with_hash]);
        let mut temp_key = Zeroizing::new([0u8; 32]);
        for i in 0..32 {
            temp_key[i] = key_xor[i] ^ h[i];
        }
        decrypt_ige(data_with_hash, &temp_key, &[0u8; 32])
            .map_err(|e| RsaError::Rsa(e.to_string()))?;
        let mut with_padding = [0u8; PADDED_LEN];
        for (dst, src) in with_padding
            .iter_mut()
            .zip(data_with_hash[..PADDED_LEN].iter().rev())
        {
            *dst = *src;
        }
        let expected = sha256(&[temp_key.as_ref(), &with_padding]);
        if bool::from(expected.ct_eq(&data_with_hash[PADDED_LEN..])) {
            Ok(with_padding)
        } else {
            Err(RsaError::PaddingHash)
        }
    }
}

#[cfg(test)]
#[path = "rsa_tests.rs"]
mod tests;
