use super::*;
use crate::hash::sha256;
use rand::SeedableRng;

fn rng(seed: u64) -> rand::rngs::StdRng {
    rand::rngs::StdRng::seed_from_u64(seed)
}

fn key() -> AuthKey {
    AuthKey::from_bytes(core::array::from_fn(|i| (i * 3 + 1) as u8))
}

fn plaintext(body: &[u8]) -> Vec<u8> {
    let mut p = Vec::new();
    p.extend_from_slice(&0x1122334455667788i64.to_le_bytes());
    p.extend_from_slice(&(-42i64).to_le_bytes());
    p.extend_from_slice(&0x6000_0000_0000_0004i64.to_le_bytes());
    p.extend_from_slice(&7i32.to_le_bytes());
    p.extend_from_slice(&(body.len() as u32).to_le_bytes());
    p.extend_from_slice(body);
    p
}

#[test]
fn client_to_server_round_trip() {
    let k = key();
    let body = vec![0xabu8; 1000];
    let data = encrypt(Side::Client, &k, &plaintext(&body), &mut rng(1));
    assert_eq!(data[..8], k.key_id_bytes());
    assert_eq!((data.len() - HEADER_LEN) % 16, 0);
    let plain = decrypt(Side::Server, &k, &data).unwrap();
    let msg = PlainMessage::parse(&plain).unwrap();
    assert_eq!(msg.salt, 0x1122334455667788);
    assert_eq!(msg.session_id, -42);
    assert_eq!(msg.msg_id, 0x6000_0000_0000_0004);
    assert_eq!(msg.seq_no, 7);
    assert_eq!(msg.body, &body[..]);
}

#[test]
fn server_to_client_round_trip_and_direction_matters() {
    let k = key();
    let data = encrypt(Side::Server, &k, &plaintext(b"pong"), &mut rng(2));
    assert!(decrypt(Side::Client, &k, &data).is_ok());
    // The same side cannot read its own outgoing message: x differs.
    assert_eq!(
        decrypt(Side::Server, &k, &data),
        Err(MessageError::MsgKeyMismatch)
    );
}

#[test]
fn padding_is_12_to_1024_and_aligned() {
    let k = key();
    let mut r = rng(3);
    for len in 0..64usize {
        let body = vec![1u8; len * 4];
        let p = plaintext(&body);
        let data = encrypt(Side::Client, &k, &p, &mut r);
        let pad = data.len() - HEADER_LEN - p.len();
        assert!((12..=1024).contains(&pad), "padding {pad}");
        assert_eq!((p.len() + pad) % 16, 0);
        let plain = decrypt(Side::Server, &k, &data).unwrap();
        assert_eq!(PlainMessage::parse(&plain).unwrap().body, &body[..]);
    }
}

/// Recomputes the whole MTProto 2.0 derivation from the spec text, as a
/// check independent of the module's helpers.
#[test]
fn matches_spec_derivation() {
    let k = key();
    let kb = k.as_bytes();
    let data = encrypt(Side::Client, &k, &plaintext(b"abcd"), &mut rng(4));
    let msg_key: [u8; 16] = data[8..24].try_into().unwrap();
    let x = 0;
    let a = sha256(&[&msg_key, &kb[x..x + 36]]);
    let b = sha256(&[&kb[40 + x..40 + x + 36], &msg_key]);
    let aes_key: Vec<u8> = [&a[..8], &b[8..24], &a[24..32]].concat();
    let aes_iv: Vec<u8> = [&b[..8], &a[8..24], &b[24..32]].concat();
    let mut plain = data[24..].to_vec();
    decrypt_ige(
        &mut plain,
        &aes_key.try_into().unwrap(),
        &aes_iv.try_into().unwrap(),
    )
    .unwrap();
    assert_eq!(plain[..36], plaintext(b"abcd")[..]);
    let large = sha256(&[&kb[88 + x..88 + x + 32], &plain]);
    assert_eq!(large[8..24], msg_key);
}

#[test]
fn rejects_wrong_key_id_length_and_tampering() {
    let k = key();
    let data = encrypt(Side::Client, &k, &plaintext(&[5; 64]), &mut rng(5));
    let other = AuthKey::from_bytes([9; 256]);
    assert!(matches!(
        decrypt(Side::Server, &other, &data),
        Err(MessageError::WrongAuthKeyId { .. })
    ));
    assert!(matches!(
        decrypt(Side::Server, &k, &data[..data.len() - 1]),
        Err(MessageError::NotBlockAligned { .. })
    ));
    assert!(matches!(
        decrypt(Side::Server, &k, &data[..HEADER_LEN + 32]),
        Err(MessageError::TooShort { .. })
    ));
    assert!(matches!(
        decrypt(Side::Server, &k, &[]),
        Err(MessageError::TooShort { .. })
    ));
    for at in [8, 23, 24, data.len() - 1] {
        let mut bad = data.clone();
        bad[at] ^= 0x80;
        assert_eq!(
            decrypt(Side::Server, &k, &bad),
            Err(MessageError::MsgKeyMismatch),
            "byte {at}"
        );
    }
    assert_eq!(peek_auth_key_id(&data), Some(k.key_id()));
    assert_eq!(peek_auth_key_id(&data[..7]), None);
}

#[test]
fn parse_checks_declared_length() {
    let mut p = plaintext(&[0; 16]);
    p.extend_from_slice(&[0; 12]);
    assert!(PlainMessage::parse(&p).is_ok());
    let set_len = |p: &mut Vec<u8>, v: u32| p[28..32].copy_from_slice(&v.to_le_bytes());
    for bad in [17u32, 20, 24, 28, u32::MAX, 0x8000_0000] {
        let mut q = p.clone();
        set_len(&mut q, bad);
        assert!(
            matches!(
                PlainMessage::parse(&q),
                Err(MessageError::BadDataLength { .. })
            ),
            "{bad}"
        );
    }
    // Padding over 1024 bytes is rejected.
    let mut big = plaintext(&[]);
    big.extend_from_slice(&[0; 1040]);
    assert!(PlainMessage::parse(&big).is_err());
    assert!(PlainMessage::parse(&[0; 10]).is_err());
}
