//! The binding message checked against an independent, hand-written MTProto
//! v1 decryption, and the session's msg_id reuse rule.

use hearth_crypto::AuthKey;
use rand::rngs::StdRng;
use rand::SeedableRng;

use super::*;
use crate::server::message::{open, split_container};
use crate::session::{Session, SessionConfig};
use crate::wire::Reader;
use crate::UnixTime;

fn perm() -> AuthKey {
    AuthKey::from_bytes(core::array::from_fn(|i| (i * 13 + 1) as u8))
}

fn temp() -> AuthKey {
    AuthKey::from_bytes(core::array::from_fn(|i| (255 - i) as u8))
}

/// MTProto v1 decryption written from the spec text, independent of `pfs`:
/// returns (random16, msg_id, seqno, len, data).
fn hand_decrypt(key: &AuthKey, enc: &[u8]) -> (Vec<u8>, i64, i32, i32, Vec<u8>) {
    use sha1::{Digest, Sha1};
    let s = |parts: &[&[u8]]| {
        let mut h = Sha1::new();
        for p in parts {
            h.update(p);
        }
        h.finalize().to_vec()
    };
    let k = key.as_bytes();
    assert_eq!(&enc[..8], &key.key_id().to_le_bytes());
    let mk = &enc[8..24];
    let a = s(&[mk, &k[0..32]]);
    let b = s(&[&k[32..48], mk, &k[48..64]]);
    let c = s(&[&k[64..96], mk]);
    let d = s(&[mk, &k[96..128]]);
    let aes_key: Vec<u8> = [&a[0..8], &b[8..20], &c[4..16]].concat();
    let aes_iv: Vec<u8> = [&a[8..20], &b[0..8], &c[16..20], &d[0..8]].concat();
    // AES-256-IGE decryption, block by block.
    use aes::cipher::{BlockCipherDecrypt, KeyInit};
    let cipher = aes::Aes256::new_from_slice(&aes_key).unwrap();
    let mut x_prev = aes_iv[..16].to_vec(); // previous ciphertext
    let mut y_prev = aes_iv[16..].to_vec(); // previous plaintext
    let mut plain = Vec::new();
    for block in enc[24..].chunks(16) {
        let mut t: Vec<u8> = block.iter().zip(&y_prev).map(|(a, b)| a ^ b).collect();
        let mut arr = aes::Block::try_from(&t[..]).unwrap();
        cipher.decrypt_block(&mut arr);
        t = arr.iter().zip(&x_prev).map(|(a, b)| a ^ b).collect();
        x_prev = block.to_vec();
        y_prev = t.clone();
        plain.extend(t);
    }
    let msg_id = i64::from_le_bytes(plain[16..24].try_into().unwrap());
    let seqno = i32::from_le_bytes(plain[24..28].try_into().unwrap());
    let len = i32::from_le_bytes(plain[28..32].try_into().unwrap());
    assert_eq!(
        &s(&[&plain[..32 + len as usize]])[4..],
        mk,
        "msg_key is SHA1 of unpadded plaintext"
    );
    assert_eq!(plain.len() % 16, 0);
    (
        plain[..16].to_vec(),
        msg_id,
        seqno,
        len,
        plain[32..32 + len as usize].to_vec(),
    )
}

#[test]
fn binding_message_decrypts_by_hand() {
    let inner = BindAuthKeyInner {
        nonce: 0x1122334455667788,
        temp_auth_key_id: temp().key_id() as i64,
        perm_auth_key_id: perm().key_id() as i64,
        temp_session_id: 0x0a0b0c0d,
        expires_at: 1_700_086_400,
    };
    let msg_id = 1_700_000_000i64 << 32 | 0x40;
    let enc = encrypt_binding(&perm(), &inner, msg_id, &mut StdRng::seed_from_u64(4));
    let (_rand, got_id, seqno, len, data) = hand_decrypt(&perm(), &enc);
    assert_eq!((got_id, seqno, len), (msg_id, 0, 40));
    let mut r = Reader::new(&data);
    assert_eq!(r.u32().unwrap(), 0x75a3f765);
    assert_eq!(r.i64().unwrap(), inner.nonce);
    assert_eq!(r.i64().unwrap(), inner.temp_auth_key_id);
    assert_eq!(r.i64().unwrap(), inner.perm_auth_key_id);
    assert_eq!(r.i64().unwrap(), inner.temp_session_id);
    assert_eq!(r.i32().unwrap(), inner.expires_at);
    // and the server-side helper agrees
    assert_eq!(decrypt_binding(&perm(), &enc, msg_id), Ok(inner));
    assert!(matches!(
        decrypt_binding(&perm(), &enc, msg_id + 4),
        Err(BindError::MsgId { .. })
    ));
    assert_eq!(
        decrypt_binding(&temp(), &enc, msg_id),
        Err(BindError::Malformed)
    );
    let mut bad = enc.clone();
    bad[30] ^= 1;
    assert!(decrypt_binding(&perm(), &bad, msg_id).is_err());
}

#[test]
fn session_binds_with_its_own_msg_id_and_session_id() {
    let mut s = Session::new(
        temp(),
        1,
        0,
        SessionConfig::default(),
        Box::new(StdRng::seed_from_u64(8)),
    );
    s.enqueue(vec![1, 0, 0, 0]);
    s.bind_temp_auth_key(perm(), 1_700_086_400);
    let now = UnixTime::from_secs(1_700_000_000);
    let p = open(&temp(), &s.poll_outgoing(now).unwrap()).unwrap();
    let msgs = split_container(&p).unwrap();
    assert_eq!(msgs.len(), 1, "bind goes alone");
    let (msg_id, _, body) = &msgs[0];
    let mut r = Reader::new(body);
    assert_eq!(
        r.u32().unwrap(),
        AUTH_BIND_TEMP_AUTH_KEY,
        "not wrapped in initConnection"
    );
    assert_eq!(r.i64().unwrap(), perm().key_id() as i64);
    let nonce = r.i64().unwrap();
    assert_eq!(r.i32().unwrap(), 1_700_086_400);
    let enc = r.bytes().unwrap();
    let inner = decrypt_binding(&perm(), enc, *msg_id).unwrap();
    assert_eq!(inner.nonce, nonce);
    assert_eq!(inner.temp_session_id, s.session_id());
    assert_eq!(inner.temp_auth_key_id, temp().key_id() as i64);
    // the next request is the wrapped one
    let p = open(&temp(), &s.poll_outgoing(now).unwrap()).unwrap();
    assert_eq!(
        Reader::new(&p.body).u32().unwrap(),
        crate::session::ids::INVOKE_WITH_LAYER
    );
}
