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

#[test]
fn bind_is_rebuilt_with_the_new_msg_id_when_resent() {
    use crate::server::message::{rpc_result, seal};
    use crate::wire::Writer;
    let mut s = Session::new(
        temp(),
        1,
        0,
        SessionConfig::default(),
        Box::new(StdRng::seed_from_u64(8)),
    );
    s.bind_temp_auth_key(perm(), 1_700_086_400);
    let now = UnixTime::from_secs(1_700_000_000);
    let first = open(&temp(), &s.poll_outgoing(now).unwrap()).unwrap();
    // bad_server_salt for the bind message
    let mut b = Vec::new();
    b.put_u32(0xedab447b);
    b.put_i64(first.msg_id);
    b.put_i32(first.seqno);
    b.put_i32(48);
    b.put_i64(77);
    let server_id = (1_700_000_000i64 << 32) | 0x101;
    let p = seal(
        &temp(),
        1,
        s.session_id(),
        server_id,
        0,
        &b,
        &mut StdRng::seed_from_u64(1),
    );
    s.handle_incoming(now, &p).unwrap();
    let second = open(&temp(), &s.poll_outgoing(now).unwrap()).unwrap();
    assert!(second.msg_id > first.msg_id);
    let mut r = Reader::new(&second.body);
    assert_eq!(r.u32().unwrap(), AUTH_BIND_TEMP_AUTH_KEY);
    r.i64().unwrap();
    r.i64().unwrap();
    r.i32().unwrap();
    let inner = decrypt_binding(&perm(), r.bytes().unwrap(), second.msg_id).unwrap();
    assert_eq!(inner.temp_session_id, s.session_id());
    // the answer (boolTrue) completes the bind request
    let ok = rpc_result(second.msg_id, &0x997275b5u32.to_le_bytes());
    let p = seal(
        &temp(),
        1,
        s.session_id(),
        server_id + 4,
        1,
        &ok,
        &mut StdRng::seed_from_u64(2),
    );
    let ev = s.handle_incoming(now, &p).unwrap();
    assert!(matches!(ev.as_slice(), [crate::Event::RpcResult { .. }]));
}

#[test]
fn temporary_key_from_the_exchange_binds_end_to_end() {
    use crate::auth::{Authenticator, KeyParams, KeyTable, Step};
    use crate::server::auth::{ServerAuth, ServerStep};
    use hearth_crypto::dh::DhParams;
    use hearth_crypto::rsa::RsaPrivateKey;
    let mut rng = StdRng::seed_from_u64(21);
    let server_key = RsaPrivateKey::generate(&mut rng).unwrap();
    let mut table = KeyTable::empty();
    table.add(server_key.public_key().clone());
    let now = UnixTime::from_secs(1_700_000_000);
    let mut server = ServerAuth::new(server_key, DhParams::telegram());
    let (mut client, mut out) =
        Authenticator::start(now, KeyParams::temporary(2, 86_400), table, &mut rng);
    let (temp_result, server_side) = loop {
        match server.handle(now, &out, &mut rng).unwrap() {
            ServerStep::Reply(r) => match client.handle(now, &r, &mut rng).unwrap() {
                Step::Send(next) => out = next,
                Step::Done(_) => panic!("early"),
            },
            ServerStep::Done { reply, key } => {
                match client.handle(now, &reply, &mut rng).unwrap() {
                    Step::Done(res) => break (res, key),
                    Step::Send(_) => panic!("late"),
                }
            }
        }
    };
    assert_eq!(server_side.expires_in, Some(86_400));
    let expires_at = temp_result.expires_at.unwrap();
    assert_eq!(expires_at, 1_700_000_000 + 86_400);
    let temp_key = temp_result.auth_key;
    let mut s = Session::new(
        temp_key.clone(),
        temp_result.salt,
        temp_result.time_offset,
        SessionConfig::default(),
        Box::new(StdRng::seed_from_u64(3)),
    );
    s.bind_temp_auth_key(perm(), expires_at);
    // The server decrypts with the temp key it created, then the binding with
    // the perm key, and checks every field against the request.
    let p = open(&server_side.auth_key, &s.poll_outgoing(now).unwrap()).unwrap();
    assert_eq!(p.salt, server_side.salt);
    let mut r = Reader::new(&p.body);
    assert_eq!(r.u32().unwrap(), AUTH_BIND_TEMP_AUTH_KEY);
    let perm_id = r.i64().unwrap();
    let nonce = r.i64().unwrap();
    let exp = r.i32().unwrap();
    let inner = decrypt_binding(&perm(), r.bytes().unwrap(), p.msg_id).unwrap();
    assert_eq!(
        inner,
        BindAuthKeyInner {
            nonce,
            temp_auth_key_id: temp_key.key_id() as i64,
            perm_auth_key_id: perm_id,
            temp_session_id: p.session_id,
            expires_at: exp,
        }
    );
    assert_eq!(perm_id, perm().key_id() as i64);
}
