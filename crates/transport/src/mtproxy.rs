//! MTProxy secrets (core.telegram.org/mtproto/mtproto-proxy).
//!
//! A secret is 16 key bytes, optionally prefixed: `dd` forces padded
//! intermediate framing ("secure" mode), `ee` selects fake-TLS and is
//! followed by the domain the connection impersonates. Links carry secrets
//! as hex or as base64/base64url (fake-TLS links usually use base64url).

use base64::alphabet;
use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};
use base64::Engine;
use thiserror::Error;
use zeroize::{Zeroize, Zeroizing};

use crate::framing::ProtocolTag;

/// Why a secret could not be used.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum SecretError {
    #[error("the proxy secret is empty; copy the whole link or secret from the proxy's owner")]
    Empty,
    #[error("the proxy secret is neither hex nor base64; check that it was copied completely")]
    Encoding,
    #[error(
        "the proxy secret has {0} bytes; a secret is 16 bytes (32 hex digits), or 17 starting \
         with dd, or ee followed by 16 bytes and a domain: check that it was copied completely"
    )]
    BadLength(usize),
    #[error(
        "the proxy secret starts with {0:#04x}, which is no known proxy mode (dd or ee); the \
         proxy may need a newer client"
    )]
    UnknownMode(u8),
    #[error("the fake-TLS proxy secret names no domain after its 16 key bytes; check the link")]
    MissingDomain,
    #[error("the fake-TLS proxy secret's domain is not a valid host name; check the link")]
    BadDomain,
}

/// A parsed MTProxy secret. `Debug` hides the key; the key is wiped on drop.
#[derive(Clone, PartialEq, Eq)]
pub enum MtProxySecret {
    /// Plain 16-byte secret: any obfuscated2 framing.
    Simple([u8; 16]),
    /// `dd` secret: obfuscated2 with padded intermediate framing only.
    Padded([u8; 16]),
    /// `ee` secret: fake-TLS around padded intermediate obfuscated2.
    FakeTls { key: [u8; 16], domain: String },
}

impl MtProxySecret {
    /// Parses raw secret bytes.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, SecretError> {
        let key_at = |from: usize| -> Result<[u8; 16], SecretError> {
            bytes
                .get(from..from + 16)
                .and_then(|k| k.try_into().ok())
                .ok_or(SecretError::BadLength(bytes.len()))
        };
        match (bytes.len(), bytes.first()) {
            (0, _) => Err(SecretError::Empty),
            (16, _) => Ok(Self::Simple(key_at(0)?)),
            (17, Some(0xdd)) => Ok(Self::Padded(key_at(1)?)),
            (17, Some(0xee)) => Err(SecretError::MissingDomain),
            (_, Some(0xee)) => {
                let key = key_at(1)?;
                let domain = std::str::from_utf8(&bytes[17..])
                    .map_err(|_| SecretError::BadDomain)?
                    .to_owned();
                if !is_host_name(&domain) {
                    return Err(SecretError::BadDomain);
                }
                Ok(Self::FakeTls { key, domain })
            }
            (17, Some(&mode)) => Err(SecretError::UnknownMode(mode)),
            (len, _) => Err(SecretError::BadLength(len)),
        }
    }

    /// Parses a secret written as hex, base64 or base64url (padded or not).
    pub fn parse(text: &str) -> Result<Self, SecretError> {
        let text = text.trim();
        if text.is_empty() {
            return Err(SecretError::Empty);
        }
        // The decoded bytes hold the key: wiped once parsed.
        let from_hex = hex::decode(text).map(|b| Self::from_bytes(&Zeroizing::new(b)));
        if let Ok(Ok(secret)) = from_hex {
            return Ok(secret);
        }
        let config =
            GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent);
        let alphabet = if text.contains(['+', '/']) {
            &alphabet::STANDARD
        } else {
            &alphabet::URL_SAFE
        };
        let from_base64 = GeneralPurpose::new(alphabet, config)
            .decode(text)
            .map(|b| Self::from_bytes(&Zeroizing::new(b)));
        match (from_hex, from_base64) {
            (_, Ok(Ok(secret))) => Ok(secret),
            // Text that is valid hex keeps the hex diagnosis.
            (Ok(Err(e)), _) | (_, Ok(Err(e))) => Err(e),
            _ => Err(SecretError::Encoding),
        }
    }

    /// The 16 key bytes used for obfuscated2 and fake-TLS.
    pub fn key(&self) -> &[u8; 16] {
        match self {
            Self::Simple(key) | Self::Padded(key) | Self::FakeTls { key, .. } => key,
        }
    }

    /// The fake-TLS domain, if any.
    pub fn domain(&self) -> Option<&str> {
        match self {
            Self::FakeTls { domain, .. } => Some(domain),
            _ => None,
        }
    }

    /// The framing the proxy mode requires (`None`: any obfuscated2 tag).
    pub fn required_tag(&self) -> Option<ProtocolTag> {
        match self {
            Self::Simple(_) => None,
            Self::Padded(_) | Self::FakeTls { .. } => Some(ProtocolTag::PaddedIntermediate),
        }
    }

    /// Whether a proxy with this secret accepts a client speaking `tag`.
    pub fn allows(&self, tag: ProtocolTag) -> bool {
        !matches!(self.required_tag(), Some(required) if required != tag)
    }

    /// The secret's wire bytes (prefix, key, domain).
    pub fn to_bytes(&self) -> Vec<u8> {
        match self {
            Self::Simple(key) => key.to_vec(),
            Self::Padded(key) => [&[0xdd][..], key].concat(),
            Self::FakeTls { key, domain } => [&[0xee][..], key, domain.as_bytes()].concat(),
        }
    }

    /// Lower-case hex, the form `tg://proxy` links use.
    pub fn to_hex(&self) -> String {
        hex::encode(self.to_bytes())
    }
}

impl Drop for MtProxySecret {
    fn drop(&mut self) {
        match self {
            Self::Simple(key) | Self::Padded(key) | Self::FakeTls { key, .. } => key.zeroize(),
        }
    }
}

impl std::fmt::Debug for MtProxySecret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Simple(_) => f.write_str("MtProxySecret::Simple(..)"),
            Self::Padded(_) => f.write_str("MtProxySecret::Padded(..)"),
            Self::FakeTls { domain, .. } => write!(f, "MtProxySecret::FakeTls({domain:?}, ..)"),
        }
    }
}

/// A DNS name as a TLS SNI may carry: 1..=253 bytes of letters, digits, `-`
/// and `.`, no empty labels.
pub(crate) fn is_host_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 253
        && name.split('.').all(|label| {
            !label.is_empty()
                && label.len() <= 63
                && label
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-')
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY_HEX: &str = "00112233445566778899aabbccddeeff";

    fn key() -> [u8; 16] {
        hex::decode(KEY_HEX).unwrap().try_into().unwrap()
    }

    #[test]
    fn parses_hex_secrets_of_every_mode() {
        assert_eq!(
            MtProxySecret::parse(KEY_HEX).unwrap(),
            MtProxySecret::Simple(key())
        );
        let dd = format!("dd{KEY_HEX}");
        let secret = MtProxySecret::parse(&dd.to_uppercase()).unwrap();
        assert_eq!(secret, MtProxySecret::Padded(key()));
        assert_eq!(secret.required_tag(), Some(ProtocolTag::PaddedIntermediate));
        assert!(!secret.allows(ProtocolTag::Abridged));
        let ee = format!("ee{KEY_HEX}{}", hex::encode("example.com"));
        let secret = MtProxySecret::parse(&ee).unwrap();
        assert_eq!(secret.domain(), Some("example.com"));
        assert_eq!(secret.key(), &key());
        assert_eq!(secret.to_hex(), ee);
    }

    #[test]
    fn parses_base64_and_base64url() {
        let mut raw = vec![0xee];
        raw.extend_from_slice(&[0xfb; 16]); // produces '-'/'_' or '+'/'/'
        raw.extend_from_slice(b"www.example.org");
        let url = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(&raw);
        let std = base64::engine::general_purpose::STANDARD.encode(&raw);
        assert!(url.contains(['-', '_']) && std.contains(['+', '/']));
        for text in [&url, &std] {
            let secret = MtProxySecret::parse(text).unwrap();
            assert_eq!(secret.to_bytes(), raw);
        }
        let simple = base64::engine::general_purpose::STANDARD.encode(key());
        assert_eq!(
            MtProxySecret::parse(&simple).unwrap(),
            MtProxySecret::Simple(key())
        );
    }

    #[test]
    fn rejects_bad_secrets_with_reasons() {
        assert_eq!(MtProxySecret::parse("  "), Err(SecretError::Empty));
        assert_eq!(MtProxySecret::parse("0011"), Err(SecretError::BadLength(2)));
        assert_eq!(
            MtProxySecret::parse(&format!("ab{KEY_HEX}")),
            Err(SecretError::UnknownMode(0xab))
        );
        assert_eq!(
            MtProxySecret::parse(&format!("ee{KEY_HEX}")),
            Err(SecretError::MissingDomain)
        );
        assert_eq!(
            MtProxySecret::parse(&format!("ee{KEY_HEX}{}", hex::encode("bad domain"))),
            Err(SecretError::BadDomain)
        );
        assert_eq!(
            MtProxySecret::parse("not a secret!"),
            Err(SecretError::Encoding)
        );
        assert!(SecretError::BadLength(3).to_string().contains("16 bytes"));
    }

    #[test]
    fn debug_hides_the_key() {
        let text = format!("{:?}", MtProxySecret::Simple(key()));
        assert!(!text.contains("17") && !text.contains("0x"));
        assert!(format!(
            "{:?}",
            MtProxySecret::parse(&format!("ee{KEY_HEX}6162")).unwrap()
        )
        .contains("ab"));
    }
}
