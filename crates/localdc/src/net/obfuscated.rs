//! Server side of obfuscated2 (core.telegram.org/mtproto/mtproto-transports#transport-obfuscation).
//!
//! The client's 64-byte header carries the AES-256-CTR key and IV of the
//! client-to-server stream in bytes 8..56; the server-to-client stream uses the
//! same 48 bytes reversed. Decrypting the header with the client stream reveals
//! the protocol tag (bytes 56..60) and the signed 16-bit DC id (bytes 60..62):
//! negative for media DCs, offset by 10000 on the test network.

use aes::Aes256;
use ctr::cipher::{KeyIvInit, StreamCipher};

use super::detect::Framing;

type Ctr = ctr::Ctr128BE<Aes256>;

/// AES-256-CTR from 48 bytes: a 32-byte key followed by a 16-byte IV.
fn ctr(key_iv: &[u8]) -> Ctr {
    let mut key = [0u8; 32];
    let mut iv = [0u8; 16];
    key.copy_from_slice(&key_iv[..32]);
    iv.copy_from_slice(&key_iv[32..48]);
    Ctr::new(&key.into(), &iv.into())
}

/// Errors in an obfuscated2 header.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum ObfuscatedError {
    #[error("obfuscated2 header names an unknown protocol tag {0:02x?}")]
    UnknownTag([u8; 4]),
}

/// The two keystreams of an obfuscated2 connection, seen from the server.
pub struct Obfuscation {
    /// Decrypts what the client sends.
    decrypt: Ctr,
    /// Encrypts what the server sends.
    encrypt: Ctr,
}

impl std::fmt::Debug for Obfuscation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Obfuscation { .. }")
    }
}

/// What the header of an obfuscated2 connection announced.
#[derive(Debug)]
pub struct ObfuscatedHeader {
    pub framing: Framing,
    /// The DC id the client asked for: negative for a media DC, +10000 on the test network.
    pub dc_id: i16,
    pub obfuscation: Obfuscation,
}

impl Obfuscation {
    /// Parses the 64-byte header a client opened the connection with.
    pub fn accept(header: &[u8; 64]) -> Result<ObfuscatedHeader, ObfuscatedError> {
        let mut reversed = [0u8; 48];
        reversed.copy_from_slice(&header[8..56]);
        reversed.reverse();
        let mut decrypt = ctr(&header[8..56]);
        let encrypt = ctr(&reversed);
        let mut plain = *header;
        decrypt.apply_keystream(&mut plain);
        let tag = [plain[56], plain[57], plain[58], plain[59]];
        let framing = Framing::from_obfuscated_tag(tag).ok_or(ObfuscatedError::UnknownTag(tag))?;
        let dc_id = i16::from_le_bytes([plain[60], plain[61]]);
        Ok(ObfuscatedHeader {
            framing,
            dc_id,
            obfuscation: Obfuscation { decrypt, encrypt },
        })
    }

    /// Builds the client's side for a given header (used by test clients): the
    /// returned value encrypts what the client sends and decrypts what it receives,
    /// and the header returned has its last 8 bytes encrypted as the spec requires.
    pub fn client(random: [u8; 64], framing: Framing, dc_id: i16) -> Option<([u8; 64], Self)> {
        let mut header = random;
        header[56..60].copy_from_slice(&framing.obfuscated_tag()?);
        header[60..62].copy_from_slice(&dc_id.to_le_bytes());
        let mut reversed = [0u8; 48];
        reversed.copy_from_slice(&header[8..56]);
        reversed.reverse();
        let mut encrypt = ctr(&header[8..56]);
        let decrypt = ctr(&reversed);
        let mut enc = header;
        encrypt.apply_keystream(&mut enc);
        header[56..64].copy_from_slice(&enc[56..64]);
        Some((header, Obfuscation { decrypt, encrypt }))
    }

    /// Deobfuscates received bytes in place.
    pub fn decrypt(&mut self, data: &mut [u8]) {
        self.decrypt.apply_keystream(data);
    }

    /// Obfuscates bytes about to be sent, in place.
    pub fn encrypt(&mut self, data: &mut [u8]) {
        self.encrypt.apply_keystream(data);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn server_reads_what_a_client_header_announces() {
        let random: [u8; 64] = std::array::from_fn(|i| (i as u8).wrapping_mul(37).wrapping_add(11));
        let (header, mut client) =
            Obfuscation::client(random, Framing::PaddedIntermediate, -2).unwrap();
        let mut server = Obfuscation::accept(&header).unwrap();
        assert_eq!(server.framing, Framing::PaddedIntermediate);
        assert_eq!(server.dc_id, -2);

        let mut msg = *b"hello from the client";
        client.encrypt(&mut msg);
        server.obfuscation.decrypt(&mut msg);
        assert_eq!(&msg, b"hello from the client");
        let mut reply = *b"and back";
        server.obfuscation.encrypt(&mut reply);
        client.decrypt(&mut reply);
        assert_eq!(&reply, b"and back");
    }

    #[test]
    fn unknown_tag_is_rejected() {
        let header = [0x42u8; 64];
        assert!(matches!(
            Obfuscation::accept(&header),
            Err(ObfuscatedError::UnknownTag(_))
        ));
    }
}
