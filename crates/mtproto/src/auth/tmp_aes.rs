//! Shared pieces of the key exchange used by both halves
//! (core.telegram.org/mtproto/auth_key, steps 5–6).

use hearth_crypto::hash::sha1;
use hearth_crypto::ige::{decrypt_ige, encrypt_ige};
use zeroize::Zeroizing;

/// tmp_aes_key and tmp_aes_iv:
/// key = SHA1(new_nonce + server_nonce) + SHA1(server_nonce + new_nonce)[0..12];
/// iv = SHA1(server_nonce + new_nonce)[12..20] + SHA1(new_nonce + new_nonce) + new_nonce[0..4].
pub fn tmp_aes(
    new_nonce: &[u8; 32],
    server_nonce: &[u8; 16],
) -> (Zeroizing<[u8; 32]>, Zeroizing<[u8; 32]>) {
    let a = sha1(&[new_nonce, server_nonce]);
    let b = sha1(&[server_nonce, new_nonce]);
    let c = sha1(&[new_nonce, new_nonce]);
    let mut key = Zeroizing::new([0u8; 32]);
    let mut iv = Zeroizing::new([0u8; 32]);
    key[..20].copy_from_slice(&a);
    key[20..].copy_from_slice(&b[..12]);
    iv[..8].copy_from_slice(&b[12..]);
    iv[8..28].copy_from_slice(&c);
    iv[28..].copy_from_slice(&new_nonce[..4]);
    (key, iv)
}

/// `SHA1(data) + data + random padding` to a multiple of 16, IGE-encrypted.
pub fn encrypt_with_hash(
    data: &[u8],
    key: &[u8; 32],
    iv: &[u8; 32],
    rng: &mut (impl rand_core::CryptoRng + ?Sized),
) -> Vec<u8> {
    let mut buf = Vec::with_capacity(data.len() + 36);
    buf.extend_from_slice(&sha1(&[data]));
    buf.extend_from_slice(data);
    let pad = (16 - buf.len() % 16) % 16;
    let start = buf.len();
    buf.resize(start + pad, 0);
    rng.fill_bytes(&mut buf[start..]);
    // Cannot fail: buf is aligned to 16 above.
    let _ = encrypt_ige(&mut buf, key, iv);
    buf
}

/// IGE-decrypts `SHA1(data) + data + padding`; returns the plaintext (hash
/// included) or `None` if the length is not a multiple of 16.
pub fn decrypt_raw(encrypted: &[u8], key: &[u8; 32], iv: &[u8; 32]) -> Option<Vec<u8>> {
    if !encrypted.len().is_multiple_of(16) || encrypted.len() < 32 {
        return None;
    }
    let mut buf = encrypted.to_vec();
    decrypt_ige(&mut buf, key, iv).ok()?;
    Some(buf)
}

/// Checks that `plain = SHA1(data) + data + padding` where `data` is the first
/// `data_len` bytes after the hash and the padding is shorter than 16 bytes.
pub fn check_hash(plain: &[u8], data_len: usize) -> bool {
    if plain.len() < 20 + data_len || plain.len() - 20 - data_len >= 16 {
        return false;
    }
    sha1(&[&plain[20..20 + data_len]])[..] == plain[..20]
}

/// First server salt: new_nonce[0..8] XOR server_nonce[0..8], read little-endian.
pub fn first_salt(new_nonce: &[u8; 32], server_nonce: &[u8; 16]) -> i64 {
    let mut s = [0u8; 8];
    for i in 0..8 {
        s[i] = new_nonce[i] ^ server_nonce[i];
    }
    i64::from_le_bytes(s)
}
