//! obfuscated2: the AES-256-CTR stream that hides MTProto framing from
//! observers (core.telegram.org/mtproto/mtproto-transports#transport-obfuscation,
//! core.telegram.org/mtproto/mtproto-proxy).
//!
//! The client opens with 64 random bytes. Bytes 8..40 and 40..56 are the
//! key and IV of the client→server direction; the same 48 bytes reversed
//! give the server→client key and IV. With an MTProxy secret each key
//! becomes `SHA-256(key || secret)`. Bytes 56..60 carry the framing's
//! [`ProtocolTag`], 60..62 the target DC as a little-endian `int16`. The
//! client encrypts the whole header with its encryptor and sends bytes 0..56
//! in clear and 56..64 encrypted; both ciphers then continue from keystream
//! offset 64.

use hearth_crypto::Aes256Ctr;
use rand_core::CryptoRng;
use sha2::{Digest, Sha256};
use zeroize::Zeroize;

use crate::error::TransportError;
use crate::framing::ProtocolTag;

/// Length of the obfuscated2 header.
pub const HEADER_LEN: usize = 64;

/// First `int32`s (little-endian) a header must not start with, because a
/// server would take them for another transport or HTTP.
const FORBIDDEN_FIRST_WORDS: [u32; 7] = [
    0x4441_4548, // "HEAD"
    0x5453_4f50, // "POST"
    0x2054_4547, // "GET "
    0x4954_504f, // "OPTI"
    0xdddd_dddd, // padded intermediate
    0xeeee_eeee, // intermediate
    0x0201_0316, // TLS handshake record (fake-TLS)
];

/// Whether a candidate header would be mistaken for another transport: first
/// byte `0xef` (abridged), a forbidden first word, or a zero second word
/// (full transport with seqno 0).
pub fn is_forbidden_header(header: &[u8; HEADER_LEN]) -> bool {
    let first = u32::from_le_bytes([header[0], header[1], header[2], header[3]]);
    header[0] == 0xef || FORBIDDEN_FIRST_WORDS.contains(&first) || header[4..8] == [0, 0, 0, 0]
}

/// The DC a connection targets, as encoded in header bytes 60..62: the DC
/// number, plus 10000 on the test network, negated for media-only DCs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct DcId {
    pub id: u16,
    pub media: bool,
    pub test: bool,
}

impl DcId {
    /// A production, non-media DC.
    pub fn new(id: u16) -> Self {
        Self {
            id,
            media: false,
            test: false,
        }
    }

    /// The wire value; `None` if `id` is 10000 or more (it would collide
    /// with the test-network offset).
    pub fn to_wire(self) -> Option<i16> {
        if self.id >= 10_000 {
            return None;
        }
        let base = self.id as i16;
        let value = if self.test { base + 10_000 } else { base };
        Some(if self.media { -value } else { value })
    }

    /// Decodes a wire value (values of 10000 and above are test DCs).
    pub fn from_wire(value: i16) -> Self {
        let abs = value.unsigned_abs();
        Self {
            id: if abs >= 10_000 { abs - 10_000 } else { abs },
            media: value < 0,
            test: abs >= 10_000,
        }
    }
}

/// The pair of AES-256-CTR states of an established obfuscated2 stream.
pub struct Obfuscated2 {
    enc: Aes256Ctr,
    dec: Aes256Ctr,
}

impl std::fmt::Debug for Obfuscated2 {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Obfuscated2 { .. }")
    }
}

impl Obfuscated2 {
    /// Encrypts outgoing bytes in place (continues the outgoing keystream).
    pub fn encrypt(&mut self, data: &mut [u8]) {
        self.enc.apply_keystream(data);
    }

    /// Decrypts incoming bytes in place (continues the incoming keystream).
    /// Every received byte must pass through here exactly once, in order.
    pub fn decrypt(&mut self, data: &mut [u8]) {
        self.dec.apply_keystream(data);
    }
}

/// Builds the cipher for one direction from 48 key+IV bytes.
fn cipher(material: &[u8; 48], secret: Option<&[u8; 16]>) -> Aes256Ctr {
    let mut key = [0u8; 32];
    let mut iv = [0u8; 16];
    iv.copy_from_slice(&material[32..]);
    match secret {
        Some(secret) => {
            let mut hash = Sha256::new();
            hash.update(&material[..32]);
            hash.update(secret);
            key.copy_from_slice(&hash.finalize());
        }
        None => key.copy_from_slice(&material[..32]),
    }
    let cipher = Aes256Ctr::new(&key, &iv);
    key.zeroize();
    iv.zeroize();
    cipher
}

/// Derives (header-sender's direction, other direction) ciphers from a
/// decrypted-or-plain header.
fn derive(header: &[u8; HEADER_LEN], secret: Option<&[u8; 16]>) -> (Aes256Ctr, Aes256Ctr) {
    let mut forward = [0u8; 48];
    forward.copy_from_slice(&header[8..56]);
    let mut backward = forward;
    backward.reverse();
    let pair = (cipher(&forward, secret), cipher(&backward, secret));
    forward.zeroize();
    backward.zeroize();
    pair
}

/// Client side: draws a header for `tag` and `dc`, returning the 64 bytes to
/// send first and the stream cipher for everything after.
///
/// Fails only if `dc` cannot be encoded.
pub fn client_handshake(
    rng: &mut impl CryptoRng,
    tag: ProtocolTag,
    dc: DcId,
    secret: Option<&[u8; 16]>,
) -> Result<([u8; HEADER_LEN], Obfuscated2), TransportError> {
    let dc = dc.to_wire().ok_or(TransportError::UnknownProtocol(
        "DC id does not fit the obfuscated2 header",
    ))?;
    let mut header = [0u8; HEADER_LEN];
    loop {
        rng.fill_bytes(&mut header);
        header[56..60].copy_from_slice(&tag.bytes());
        header[60..62].copy_from_slice(&dc.to_le_bytes());
        if !is_forbidden_header(&header) {
            break;
        }
    }
    let (mut enc, dec) = derive(&header, secret);
    let mut encrypted = header;
    enc.apply_keystream(&mut encrypted);
    header[56..].copy_from_slice(&encrypted[56..]);
    encrypted.zeroize();
    Ok((header, Obfuscated2 { enc, dec }))
}

/// What a server learns from a client's obfuscated2 header.
#[derive(Debug)]
pub struct ServerHandshake {
    /// The framing the client will speak inside the stream.
    pub tag: ProtocolTag,
    /// The DC the client wants.
    pub dc: DcId,
    /// Ciphers for the rest of the connection (server's view).
    pub cipher: Obfuscated2,
}

/// Server side: parses the client's 64-byte header. A wrong secret or a
/// non-obfuscated client shows up as an unknown protocol tag.
pub fn server_handshake(
    header: &[u8; HEADER_LEN],
    secret: Option<&[u8; 16]>,
) -> Result<ServerHandshake, TransportError> {
    let (mut dec, enc) = derive(header, secret);
    let mut plain = *header;
    dec.apply_keystream(&mut plain);
    let tag = ProtocolTag::from_bytes([plain[56], plain[57], plain[58], plain[59]]);
    let dc = DcId::from_wire(i16::from_le_bytes([plain[60], plain[61]]));
    plain.zeroize();
    Ok(ServerHandshake {
        tag: tag?,
        dc,
        cipher: Obfuscated2 { enc, dec },
    })
}

#[cfg(test)]
mod tests;
