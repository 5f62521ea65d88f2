//! File references (core.telegram.org/api/file_reference): every `photo` and
//! `document` the server hands out carries an opaque `file_reference` bound
//! to that object and valid for `[server] file_reference_secs`; fetching the
//! object again (e.g. the message that holds it) yields a fresh one.
//!
//! Layout (opaque to clients): version byte `2`, issue time in milliseconds
//! (u64 LE), then 16 bytes of SHA-256 over the server secret, the object kind,
//! its id and the issue time. A reference of another object or a stale one is
//! `FILE_REFERENCE_EXPIRED` (the client must refetch the object), a value that
//! is not a reference at all `FILE_REFERENCE_INVALID`, an empty one
//! `FILE_REFERENCE_EMPTY`.

use hearth_crypto::hash::sha256;
use subtle::ConstantTimeEq;

const VERSION: u8 = 2;
const LEN: usize = 1 + 8 + 16;

/// What a reference is bound to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Photo,
    Document,
}

fn mac(secret: &[u8; 32], kind: Kind, id: i64, issued_ms: u64) -> [u8; 16] {
    let label: &[u8] = match kind {
        Kind::Photo => b"file_reference photo",
        Kind::Document => b"file_reference document",
    };
    let h = sha256(&[secret, label, &id.to_le_bytes(), &issued_ms.to_le_bytes()]);
    let mut out = [0u8; 16];
    out.copy_from_slice(&h[..16]);
    out
}

/// A fresh reference for object `id`, issued at `now_ms`.
pub fn issue(secret: &[u8; 32], kind: Kind, id: i64, now_ms: u64) -> Vec<u8> {
    let mut out = Vec::with_capacity(LEN);
    out.push(VERSION);
    out.extend_from_slice(&now_ms.to_le_bytes());
    out.extend_from_slice(&mac(secret, kind, id, now_ms));
    out
}

/// When references stop being accepted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Validity {
    /// Lifetime of a reference in milliseconds.
    pub ttl_ms: u64,
    /// References issued before this instant are expired (revocation).
    pub not_before_ms: u64,
}

/// Checks `reference` for object `id` at `now_ms`; the error is the
/// `rpc_error` message Telegram answers with.
pub fn check(
    secret: &[u8; 32],
    kind: Kind,
    id: i64,
    reference: &[u8],
    now_ms: u64,
    validity: Validity,
) -> Result<(), &'static str> {
    if reference.is_empty() {
        return Err("FILE_REFERENCE_EMPTY");
    }
    if reference.len() != LEN || reference[0] != VERSION {
        return Err("FILE_REFERENCE_INVALID");
    }
    let mut issued = [0u8; 8];
    issued.copy_from_slice(&reference[1..9]);
    let issued_ms = u64::from_le_bytes(issued);
    // A reference of another object, or a forged time, fails the MAC
    // (compared in constant time: it is derived from the server secret).
    let expected = mac(secret, kind, id, issued_ms);
    if !bool::from(expected.ct_eq(&reference[9..])) {
        return Err("FILE_REFERENCE_EXPIRED");
    }
    if issued_ms < validity.not_before_ms || issued_ms.saturating_add(validity.ttl_ms) <= now_ms {
        return Err("FILE_REFERENCE_EXPIRED");
    }
    Ok(())
}

/// Milliseconds since the Unix epoch.
pub fn now_ms() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as u64)
}

#[cfg(test)]
mod tests {
    use super::*;

    const S: [u8; 32] = [9; 32];
    const V: Validity = Validity {
        ttl_ms: 1000,
        not_before_ms: 0,
    };

    #[test]
    fn references_are_bound_to_their_object_and_expire() {
        let r = issue(&S, Kind::Photo, 42, 10_000);
        assert_eq!(check(&S, Kind::Photo, 42, &r, 10_999, V), Ok(()));
        assert_eq!(
            check(&S, Kind::Photo, 42, &r, 11_000, V),
            Err("FILE_REFERENCE_EXPIRED")
        );
        assert_eq!(
            check(&S, Kind::Photo, 43, &r, 10_001, V),
            Err("FILE_REFERENCE_EXPIRED")
        );
        assert_eq!(
            check(&S, Kind::Document, 42, &r, 10_001, V),
            Err("FILE_REFERENCE_EXPIRED")
        );
        let revoked = Validity {
            not_before_ms: 10_001,
            ..V
        };
        assert_eq!(
            check(&S, Kind::Photo, 42, &r, 10_002, revoked),
            Err("FILE_REFERENCE_EXPIRED")
        );
        let mut forged = r.clone();
        forged[1] ^= 1;
        assert_eq!(
            check(&S, Kind::Photo, 42, &forged, 10_001, V),
            Err("FILE_REFERENCE_EXPIRED")
        );
        assert_eq!(
            check(&S, Kind::Photo, 42, b"junk", 10_001, V),
            Err("FILE_REFERENCE_INVALID")
        );
        assert_eq!(
            check(&S, Kind::Photo, 42, &[], 10_001, V),
            Err("FILE_REFERENCE_EMPTY")
        );
    }
}
