//! SHA-1 and SHA-256 helpers over RustCrypto `sha1`/`sha2`.
//!
//! MTProto hashes concatenations everywhere (core.telegram.org/mtproto/description,
//! core.telegram.org/mtproto/auth_key), so each helper takes a list of parts and
//! hashes them as if concatenated, without allocating.

use sha1::Digest;

/// SHA-1 of the concatenation of `parts`.
pub fn sha1(parts: &[&[u8]]) -> [u8; 20] {
    let mut h = sha1::Sha1::new();
    for p in parts {
        h.update(p);
    }
    h.finalize().into()
}

/// SHA-256 of the concatenation of `parts`.
pub fn sha256(parts: &[&[u8]]) -> [u8; 32] {
    let mut h = sha2::Sha256::new();
    for p in parts {
        h.update(p);
    }
    h.finalize().into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fips_180_abc_vectors() {
        assert_eq!(
            hex::encode(sha1(&[b"abc"])),
            "a9993e364706816aba3e25717850c26c9cd0d89d"
        );
        assert_eq!(
            hex::encode(sha256(&[b"abc"])),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    #[test]
    fn parts_hash_as_concatenation() {
        assert_eq!(sha1(&[b"a", b"", b"bc"]), sha1(&[b"abc"]));
        assert_eq!(sha256(&[b"ab", b"c"]), sha256(&[b"abc"]));
        assert_ne!(sha256(&[b"ab"]), sha256(&[b"abc"]));
    }
}
