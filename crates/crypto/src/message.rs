//! MTProto 2.0 message encryption (core.telegram.org/mtproto/description,
//! "Encrypted Message", "Defining AES Key and IV", "Important checks").
//!
//! Wire form: `auth_key_id (8) | msg_key (16) | AES-256-IGE(plaintext)`, where
//! the plaintext is `salt (8) | session_id (8) | msg_id (8) | seq_no (4) |
//! message_data_length (4) | message_data | random padding (12..1024)` and its
//! total length is a multiple of 16.
//!
//! `x` selects the half of the auth key used: 0 for client→server messages,
//! 8 for server→client ones. Both directions live here because the `localdc`
//! emulator runs the server side with the same code. This layer checks
//! auth_key_id, lengths and msg_key; session_id/msg_id/seq_no checks belong to
//! the session layer, which reads them through [`PlainMessage`].

use rand_core::CryptoRng;
use subtle::ConstantTimeEq;
use zeroize::Zeroizing;

use crate::auth_key::AuthKey;
use crate::hash::sha256;
use crate::ige::encrypt_ige;
use crate::ige_sha::{decrypt_ige_sha256, decrypt_ige_sha256_pair, Job};
use crate::multibuffer::{encrypt_ige_pair, sha256_pair, IgeJob};

/// Bytes before the ciphertext: auth_key_id and msg_key.
pub const HEADER_LEN: usize = 8 + 16;
/// Bytes of the plaintext header: salt, session_id, msg_id, seq_no, length.
pub const PLAIN_HEADER_LEN: usize = 32;
/// Smallest random padding allowed by the spec.
pub const MIN_PADDING: usize = 12;
/// Largest random padding allowed by the spec.
pub const MAX_PADDING: usize = 1024;
/// Smallest valid ciphertext: a header-only plaintext with minimal padding,
/// rounded up to the block size.
pub const MIN_CIPHERTEXT_LEN: usize = (PLAIN_HEADER_LEN + MIN_PADDING).div_ceil(16) * 16;

/// Which party is running this code. A client encrypts with x = 0 and
/// decrypts with x = 8; a server does the opposite.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Side {
    Client,
    Server,
}

impl Side {
    /// `x` for messages this side sends.
    fn x_send(self) -> usize {
        match self {
            Side::Client => 0,
            Side::Server => 8,
        }
    }

    /// `x` for messages this side receives.
    fn x_recv(self) -> usize {
        8 - self.x_send()
    }
}

/// Why an encrypted message was rejected.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MessageError {
    #[error("encrypted message is {len} bytes, shorter than the {min}-byte minimum")]
    TooShort { len: usize, min: usize },
    #[error("encrypted payload is {len} bytes, not a multiple of 16")]
    NotBlockAligned { len: usize },
    #[error("message is for auth key {got:#018x}, ours is {expected:#018x}; the key was probably revoked, log in again")]
    WrongAuthKeyId { got: u64, expected: u64 },
    #[error("msg_key does not match the decrypted content (tampered or wrong key)")]
    MsgKeyMismatch,
    #[error("message_data_length {declared} does not fit the {available} bytes of decrypted payload with 12..1024 bytes of padding")]
    BadDataLength { declared: u32, available: usize },
}

/// msg_key = middle 128 bits of SHA256(substr(auth_key, 88+x, 32) + plaintext).
fn msg_key(key: &AuthKey, x: usize, plaintext: &[u8]) -> [u8; 16] {
    let k = key.as_bytes();
    middle(&sha256(&[&k[88 + x..120 + x], plaintext]))
}

/// aes_key and aes_iv from msg_key ("Defining AES Key and IV"). Both, and
/// the hashes they are cut from, are wiped when dropped.
fn aes_key_iv(
    key: &AuthKey,
    x: usize,
    msg_key: &[u8; 16],
) -> (Zeroizing<[u8; 32]>, Zeroizing<[u8; 32]>) {
    let k = key.as_bytes();
    let a = Zeroizing::new(sha256(&[msg_key, &k[x..x + 36]]));
    let b = Zeroizing::new(sha256(&[&k[40 + x..76 + x], msg_key]));
    let mut aes_key = Zeroizing::new([0u8; 32]);
    let mut aes_iv = Zeroizing::new([0u8; 32]);
    aes_key[..8].copy_from_slice(&a[..8]);
    aes_key[8..24].copy_from_slice(&b[8..24]);
    aes_key[24..].copy_from_slice(&a[24..]);
    aes_iv[..8].copy_from_slice(&b[..8]);
    aes_iv[8..24].copy_from_slice(&a[8..24]);
    aes_iv[24..].copy_from_slice(&b[24..]);
    (aes_key, aes_iv)
}

/// Encrypts `plaintext` (salt .. message_data, without padding) as sent by
/// `side`, appending 12..1024 random padding bytes (the minimum that aligns
/// to 16, plus 0..=3 random extra blocks to blur lengths).
///
/// Returns `auth_key_id | msg_key | ciphertext`.
pub fn encrypt<R: CryptoRng + ?Sized>(
    side: Side,
    key: &AuthKey,
    plaintext: &[u8],
    rng: &mut R,
) -> Vec<u8> {
    encrypt_parts(side, key, &[plaintext], rng)
}

/// [`encrypt`] of the concatenation of `parts`, which are copied once, into
/// the output buffer (a large message body need not be joined to its header
/// first).
pub fn encrypt_parts<R: CryptoRng + ?Sized>(
    side: Side,
    key: &AuthKey,
    parts: &[&[u8]],
    rng: &mut R,
) -> Vec<u8> {
    let x = side.x_send();
    let mut out = padded(key, parts, rng);
    let mk = msg_key(key, x, &out[HEADER_LEN..]);
    out[8..HEADER_LEN].copy_from_slice(&mk);
    let (aes_key, aes_iv) = aes_key_iv(key, x, &mk);
    // Cannot fail: `pad` aligns the plaintext to 16 bytes.
    let aligned = encrypt_ige(&mut out[HEADER_LEN..], &aes_key, &aes_iv);
    debug_assert!(aligned.is_ok());
    out
}

/// [`encrypt_parts`] of two messages at once, with the same output as two
/// calls (`a` first, drawing from `rng` in the same order): their msg_keys
/// are hashed together and their IGE chains interleaved
/// ([`crate::multibuffer`]), which costs little more than one message.
pub fn encrypt_parts_pair<R: CryptoRng + ?Sized>(
    side: Side,
    key: &AuthKey,
    a: &[&[u8]],
    b: &[&[u8]],
    rng: &mut R,
) -> (Vec<u8>, Vec<u8>) {
    let x = side.x_send();
    let (mut out_a, mut out_b) = (padded(key, a, rng), padded(key, b, rng));
    let prefix = &key.as_bytes()[88 + x..120 + x];
    let (large_a, large_b) = sha256_pair(
        (prefix, &out_a[HEADER_LEN..]),
        (prefix, &out_b[HEADER_LEN..]),
    );
    let (mk_a, mk_b) = (middle(&large_a), middle(&large_b));
    out_a[8..HEADER_LEN].copy_from_slice(&mk_a);
    out_b[8..HEADER_LEN].copy_from_slice(&mk_b);
    let ((key_a, iv_a), (key_b, iv_b)) = (aes_key_iv(key, x, &mk_a), aes_key_iv(key, x, &mk_b));
    // Cannot fail: `padded` aligns both plaintexts to 16 bytes.
    let aligned = encrypt_ige_pair(
        IgeJob {
            data: &mut out_a[HEADER_LEN..],
            key: &key_a,
            iv: &iv_a,
        },
        IgeJob {
            data: &mut out_b[HEADER_LEN..],
            key: &key_b,
            iv: &iv_b,
        },
    );
    debug_assert!(aligned.is_ok());
    (out_a, out_b)
}

/// `auth_key_id | (msg_key: zeros) | parts | padding`: the minimum random
/// padding that aligns to 16, plus 0..=3 random extra blocks.
fn padded<R: CryptoRng + ?Sized>(key: &AuthKey, parts: &[&[u8]], rng: &mut R) -> Vec<u8> {
    let len: usize = parts.iter().map(|p| p.len()).sum();
    let min_pad = MIN_PADDING + (16 - (len + MIN_PADDING) % 16) % 16;
    let pad = min_pad + 16 * (rng.next_u32() % 4) as usize;
    let mut out = Vec::with_capacity(HEADER_LEN + len + pad);
    out.extend_from_slice(&key.key_id_bytes());
    out.extend_from_slice(&[0u8; 16]);
    for p in parts {
        out.extend_from_slice(p);
    }
    let pad_start = out.len();
    out.resize(pad_start + pad, 0);
    rng.fill_bytes(&mut out[pad_start..]);
    out
}

/// msg_key: the middle 128 bits of its SHA-256.
fn middle(large: &[u8; 32]) -> [u8; 16] {
    let mut out = [0u8; 16];
    out.copy_from_slice(&large[8..24]);
    out
}

/// Reads the auth_key_id prefix of an encrypted message, so a server can pick
/// the key before calling [`decrypt`]. `None` if fewer than 8 bytes.
pub fn peek_auth_key_id(data: &[u8]) -> Option<u64> {
    data.get(..8)
        .map(|b| u64::from_le_bytes([b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7]]))
}

/// Decrypts a message received by `side`: checks the auth_key_id, the length
/// (≥ 24 + [`MIN_CIPHERTEXT_LEN`], ciphertext a multiple of 16), decrypts, and
/// recomputes msg_key over the whole plaintext (padding included), comparing
/// in constant time. Returns the plaintext including padding; parse it with
/// [`PlainMessage::parse`].
pub fn decrypt(side: Side, key: &AuthKey, data: &[u8]) -> Result<Vec<u8>, MessageError> {
    check_envelope(key, data)?;
    let mut plain = data[HEADER_LEN..].to_vec();
    let mut mk = [0u8; 16];
    mk.copy_from_slice(&data[8..HEADER_LEN]);
    decrypt_checked(side, key, &mk, &mut plain)?;
    Ok(plain)
}

/// [`decrypt`] without a copy: the ciphertext after the 24-byte header of
/// `data` is replaced by the plaintext, which the result borrows. The same
/// checks run in the same order; on an error `data` holds garbage.
pub fn decrypt_in_place<'a>(
    side: Side,
    key: &AuthKey,
    data: &'a mut [u8],
) -> Result<&'a [u8], MessageError> {
    check_envelope(key, data)?;
    let (head, ciphertext) = data.split_at_mut(HEADER_LEN);
    let mk = msg_key_of(head);
    decrypt_checked(side, key, &mk, ciphertext)?;
    Ok(ciphertext)
}

/// The checks before decryption: length, auth_key_id, block alignment.
fn check_envelope(key: &AuthKey, data: &[u8]) -> Result<(), MessageError> {
    let min = HEADER_LEN + MIN_CIPHERTEXT_LEN;
    if data.len() < min {
        return Err(MessageError::TooShort {
            len: data.len(),
            min,
        });
    }
    let got = peek_auth_key_id(data).unwrap_or_default();
    if got != key.key_id() {
        return Err(MessageError::WrongAuthKeyId {
            got,
            expected: key.key_id(),
        });
    }
    let ciphertext = data.len() - HEADER_LEN;
    if !ciphertext.is_multiple_of(16) {
        return Err(MessageError::NotBlockAligned { len: ciphertext });
    }
    Ok(())
}

/// The plaintext [`decrypt_in_place`] leaves in its buffer, or why not.
pub type Decrypted<'a> = Result<&'a [u8], MessageError>;

/// [`decrypt_in_place`] of two messages received under one key, decrypted
/// together ([`decrypt_ige_sha256_pair`]: two IGE chains interleaved cost
/// little more than one). The results are those of two calls, `a` then
/// `b`: the same checks in the same order for each, and a message that
/// fails before decryption leaves the other to be decrypted alone.
pub fn decrypt_in_place_pair<'a, 'b>(
    side: Side,
    key: &AuthKey,
    a: &'a mut [u8],
    b: &'b mut [u8],
) -> (Decrypted<'a>, Decrypted<'b>) {
    if check_envelope(key, a).is_err() || check_envelope(key, b).is_err() {
        return (
            decrypt_in_place(side, key, a),
            decrypt_in_place(side, key, b),
        );
    }
    let (head_a, text_a) = a.split_at_mut(HEADER_LEN);
    let (head_b, text_b) = b.split_at_mut(HEADER_LEN);
    let (mk_a, mk_b) = (msg_key_of(head_a), msg_key_of(head_b));
    let x = side.x_recv();
    let ((key_a, iv_a), (key_b, iv_b)) = (aes_key_iv(key, x, &mk_a), aes_key_iv(key, x, &mk_b));
    let prefix = hash_prefix(key, x);
    let (large_a, large_b) = decrypt_ige_sha256_pair(
        Job {
            data: text_a,
            key: &key_a,
            iv: &iv_a,
            prefix,
        },
        Job {
            data: text_b,
            key: &key_b,
            iv: &iv_b,
            prefix,
        },
    );
    let len_a = text_a.len();
    let len_b = text_b.len();
    (
        compare(large_a, &mk_a, len_a).map(|()| &*text_a),
        compare(large_b, &mk_b, len_b).map(|()| &*text_b),
    )
}

/// The msg_key of an envelope whose header passed [`check_envelope`].
fn msg_key_of(head: &[u8]) -> [u8; 16] {
    let mut mk = [0u8; 16];
    mk.copy_from_slice(&head[8..HEADER_LEN]);
    mk
}

/// `substr(auth_key, 88+x, 32)`, hashed before the plaintext for msg_key.
fn hash_prefix(key: &AuthKey, x: usize) -> &[u8; 32] {
    key.as_bytes()[88 + x..120 + x]
        .try_into()
        .expect("a 32-byte range of the 256-byte key")
}

/// Decrypts `buf` in place and compares its msg_key with `mk` in constant
/// time. The msg_key's SHA-256 runs in the same pass as the decryption
/// ([`decrypt_ige_sha256`]): it hashes exactly what [`msg_key`] would.
fn decrypt_checked(
    side: Side,
    key: &AuthKey,
    mk: &[u8; 16],
    buf: &mut [u8],
) -> Result<(), MessageError> {
    let x = side.x_recv();
    let (aes_key, aes_iv) = aes_key_iv(key, x, mk);
    let large = decrypt_ige_sha256(buf, &aes_key, &aes_iv, hash_prefix(key, x));
    compare(large, mk, buf.len())
}

/// The msg_key check on the hash of a decrypted message: its middle 128
/// bits against the received `mk`, in constant time.
fn compare(
    large: Result<[u8; 32], crate::IgeError>,
    mk: &[u8; 16],
    len: usize,
) -> Result<(), MessageError> {
    let large = large.map_err(|_| MessageError::NotBlockAligned { len })?;
    if bool::from(large[8..24].ct_eq(mk)) {
        Ok(())
    } else {
        Err(MessageError::MsgKeyMismatch)
    }
}

/// A decrypted plaintext split into its fields, with message_data_length
/// checked against the padding bounds ("Important checks").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PlainMessage<'a> {
    pub salt: i64,
    pub session_id: i64,
    pub msg_id: i64,
    pub seq_no: i32,
    /// `message_data`, without padding.
    pub body: &'a [u8],
}

impl<'a> PlainMessage<'a> {
    /// Splits the output of [`decrypt`]. Rejects a message_data_length that
    /// is negative, not a multiple of 4, or leaves padding outside 12..=1024.
    pub fn parse(plain: &'a [u8]) -> Result<Self, MessageError> {
        if plain.len() < PLAIN_HEADER_LEN + MIN_PADDING {
            return Err(MessageError::TooShort {
                len: plain.len(),
                min: PLAIN_HEADER_LEN + MIN_PADDING,
            });
        }
        let le8 = |at: usize| {
            let mut b = [0u8; 8];
            b.copy_from_slice(&plain[at..at + 8]);
            i64::from_le_bytes(b)
        };
        let le4 = |at: usize| {
            let mut b = [0u8; 4];
            b.copy_from_slice(&plain[at..at + 4]);
            b
        };
        let declared = u32::from_le_bytes(le4(28));
        let available = plain.len() - PLAIN_HEADER_LEN;
        let len = declared as usize;
        let ok = declared % 4 == 0
            && len <= available
            && (MIN_PADDING..=MAX_PADDING).contains(&(available - len.min(available)));
        if !ok {
            return Err(MessageError::BadDataLength {
                declared,
                available,
            });
        }
        Ok(Self {
            salt: le8(0),
            session_id: le8(8),
            msg_id: le8(16),
            seq_no: i32::from_le_bytes(le4(24)),
            body: &plain[PLAIN_HEADER_LEN..PLAIN_HEADER_LEN + len],
        })
    }
}

#[cfg(test)]
#[path = "message_tests.rs"]
mod tests;
