//! The probe's question to a DC, sans-IO: an unencrypted `req_pq_multi`
//! and the checks on its `resPQ` answer (core.telegram.org/mtproto/auth_key,
//! step 1; core.telegram.org/mtproto/description#unencrypted-message).
//!
//! A genuine DC echoes the client's nonce and lists the fingerprint of a
//! server key the client knows for that network. Passing both proves a real
//! MTProto server of the right network answered, not just an open port; no
//! account or auth key is needed, and no key is created (the exchange stops
//! after step 1).

use hearth_mtproto::plain;
use hearth_tl::mtproto::{enums, functions};
use hearth_tl::{Deserializable, Serializable};

/// `req_pq_multi` sent, waiting for `resPQ`.
#[derive(Debug, Clone)]
pub struct PqRequest {
    nonce: [u8; 16],
}

/// What a valid answer told us.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PqAnswer {
    /// The server key fingerprints it listed (as unsigned 64-bit values).
    pub fingerprints: Vec<u64>,
    /// The one of them this network's table knows.
    pub known: u64,
}

/// Why an answer does not come from a DC of the expected network.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AnswerError {
    /// Not an unencrypted MTProto `resPQ` at all.
    #[error("the answer is not an MTProto resPQ ({0})")]
    NotMtproto(String),
    /// A `resPQ` for someone else's request (or a replay).
    #[error("the resPQ does not echo our nonce")]
    NonceMismatch,
    /// A `resPQ` signed with keys this network does not use.
    #[error("the server lists RSA key fingerprints {}, none of which belongs to this network", hex_list(.0))]
    UnknownFingerprint(Vec<u64>),
}

fn hex_list(v: &[u64]) -> String {
    if v.is_empty() {
        return "none".into();
    }
    v.iter()
        .map(|f| format!("{f:#018x}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// A client msg_id for `unix_nanos` since the epoch: about unix time × 2³²,
/// divisible by 4 (core.telegram.org/mtproto/description#message-identifier-msg-id).
pub fn msg_id_at(unix_nanos: u128) -> i64 {
    let secs = (unix_nanos / 1_000_000_000) as i64;
    let frac = ((unix_nanos % 1_000_000_000) << 32) / 1_000_000_000;
    ((secs << 32) | frac as i64) & !3
}

impl PqRequest {
    /// A request with `nonce`; returns it and the unencrypted message to send.
    pub fn new(nonce: [u8; 16], msg_id: i64) -> (Self, Vec<u8>) {
        let body = functions::ReqPqMulti { nonce }.to_bytes();
        (Self { nonce }, plain::wrap(msg_id, &body))
    }

    /// Checks one transport packet against the request and the network's
    /// key fingerprints.
    pub fn check(&self, packet: &[u8], network: &[u64]) -> Result<PqAnswer, AnswerError> {
        let msg = plain::unwrap(packet).map_err(|e| AnswerError::NotMtproto(e.to_string()))?;
        let enums::ResPq::ResPq(res) = enums::ResPq::from_bytes(msg.body)
            .map_err(|e| AnswerError::NotMtproto(e.to_string()))?;
        // Public values, compared as-is: a mismatch only tells the prober.
        if res.nonce != self.nonce {
            return Err(AnswerError::NonceMismatch);
        }
        let fingerprints: Vec<u64> = res
            .server_public_key_fingerprints
            .iter()
            .map(|f| *f as u64)
            .collect();
        match fingerprints.iter().find(|f| network.contains(f)) {
            Some(&known) => Ok(PqAnswer {
                fingerprints,
                known,
            }),
            None => Err(AnswerError::UnknownFingerprint(fingerprints)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use hearth_tl::mtproto::types;

    fn answer(nonce: [u8; 16], fps: Vec<i64>) -> Vec<u8> {
        let res = enums::ResPq::ResPq(types::ResPq {
            nonce,
            server_nonce: [7; 16],
            pq: vec![0x17, 0xed, 0x48, 0x94, 0x1a, 0x08, 0xf9, 0x81],
            server_public_key_fingerprints: fps,
        });
        plain::wrap(msg_id_at(1_700_000_000_000_000_000) | 1, &res.to_bytes())
    }

    #[test]
    fn request_is_an_unencrypted_req_pq_multi() {
        let (_, bytes) = PqRequest::new([3; 16], msg_id_at(1_700_000_000_500_000_000));
        let msg = plain::unwrap(&bytes).unwrap();
        assert_eq!(msg.msg_id % 4, 0);
        assert_eq!(msg.msg_id >> 32, 1_700_000_000);
        assert_eq!(&msg.body[..4], &0xbe7e8ef1u32.to_le_bytes());
        assert_eq!(&msg.body[4..], &[3; 16]);
    }

    #[test]
    fn answer_checks() {
        let (req, _) = PqRequest::new([3; 16], 4);
        let ok = req
            .check(&answer([3; 16], vec![-5, 0x1234]), &[0x1234])
            .unwrap();
        assert_eq!(ok.known, 0x1234);
        assert_eq!(ok.fingerprints, vec![(-5i64) as u64, 0x1234]);
        assert_eq!(
            req.check(&answer([4; 16], vec![0x1234]), &[0x1234]),
            Err(AnswerError::NonceMismatch)
        );
        let err = req.check(&answer([3; 16], vec![9]), &[0x1234]).unwrap_err();
        assert_eq!(err, AnswerError::UnknownFingerprint(vec![9]));
        assert!(err.to_string().contains("0x0000000000000009"));
        assert!(matches!(
            req.check(b"HTTP/1.0 400 Bad request\r\n\r\n", &[0x1234]),
            Err(AnswerError::NotMtproto(_))
        ));
        let mut wrong_ctor = answer([3; 16], vec![0x1234]);
        wrong_ctor[20] ^= 0xff;
        assert!(matches!(
            req.check(&wrong_ctor, &[0x1234]),
            Err(AnswerError::NotMtproto(_))
        ));
    }
}
