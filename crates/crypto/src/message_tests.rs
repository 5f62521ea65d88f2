use super::*;
use crate::hash::sha256;
use crate::ige::decrypt_ige;
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

/// rand_core generator that yields only zero bytes, to pin the padding.
struct ZeroRng;

impl rand_core::TryRng for ZeroRng {
    type Error = core::convert::Infallible;
    fn try_next_u32(&mut self) -> Result<u32, Self::Error> {
        Ok(0)
    }
    fn try_next_u64(&mut self) -> Result<u64, Self::Error> {
        Ok(0)
    }
    fn try_fill_bytes(&mut self, dst: &mut [u8]) -> Result<(), Self::Error> {
        dst.fill(0);
        Ok(())
    }
}

impl rand_core::TryCryptoRng for ZeroRng {}

fn counting_key() -> AuthKey {
    AuthKey::from_bytes(core::array::from_fn(|i| i as u8))
}

/// Published vector from grammers' `encrypt_client_data_v2` test: auth key
/// 00 01 .. ff, a 45-byte plaintext and 19 zero padding bytes.
#[test]
fn published_client_encryption_vector() {
    let data = encrypt(
        Side::Client,
        &counting_key(),
        b"Hello, world! This data should remain secure!",
        &mut ZeroRng,
    );
    let expected = hex::decode(concat!(
        "32d1586ea457dfc8a81729d46db54019a2bfd7f744f9b96c4f716cfdc4477db2",
        "a2c15f6ddb85235fb9552f1d8407c6aaea00cc844c5a1bf6ac44b79b5edc2a23",
        "868b3d6073a590992c0f2975243d563ea180d218ee757c9a",
    ))
    .unwrap();
    assert_eq!(data, expected);
    let plain = decrypt(Side::Server, &counting_key(), &data).unwrap();
    assert_eq!(
        &plain[..45],
        b"Hello, world! This data should remain secure!"
    );
}

/// Published vector from grammers' `decrypt_server_data_v2` test: a
/// server→client message (a msg_container with two messages).
#[test]
fn published_server_message_vector() {
    let key: [u8; 256] = hex::decode(concat!(
        "5d2e7d65f49ec28bd029a88761ea27b8a4c79f12226525443e7d7c596ef33035",
        "30db2107e89aa997c7a0164ab694187adeff156bd6ef7118a1962347753c0e7e",
        "89a0354b8ec364f9997e71bc6923fb86e8e43491e010606a6ce845e2fa019409",
        "77ef0aa32adf5a97dbf6d428ec0434d717a2d3ad19622cc05887642113c7965f",
        "fb862a3e3ccb0ab95addda57f89245dbd76b492348f8e94bd5a7c0e0b8480852",
        "3cfd1ea80b32fe9ad198bc2e103fceb7d52492ecc0273a28674bc923eee59265",
        "ab17a002df1f4aa2c59b819a5e5e1d105ec117336f5c76c6b187037d4b4270ce",
        "e9cc21071d97e9bca220c6d7b01b998cf2e5cdb9a50ecda1852a36e635690c8e",
    ))
    .unwrap()
    .try_into()
    .unwrap();
    let data = hex::decode(concat!(
        "7a7183c2c10e4f4df945fa9a9abd35e7c3840b61f045304f39674c19c0e20978",
        "4f50f6226a073529d675c92cbf0bfa8c99a79b3f39c72a5d9a026d431ab7407c",
        "a04ecc55187d6c45f17871524edd90cea02ed728e14d7cb18aea2a636158f094",
        "59a9437710d894c79f368c4e8164b7647ea98612aefe942c5d92121acb8db02d",
        "ccceb66d0f8720ac12a06db0582bfd955be34f365118e3bab8cd080ce6b45b28",
        "eac56dcd2a29374e",
    ))
    .unwrap();
    let expected = hex::decode(concat!(
        "fc826a02248b28fd60f2c4822443ad6801f0c1c2918b305e0200000058000000",
        "dcf8f1730200000001a8c1c2918b305e010000001c0000000809c29ec4fd33ad",
        "918b305e18a88ea607ee5816fc826a02248b28fd01ccc1c2918b305e02000000",
        "14000000c5737734c4fd33ad918b305e6408300000000000fce66704a3cd8ee9",
        "d0ae6fab672c60c04a3f1fd4490e51f6",
    ))
    .unwrap();
    let key = AuthKey::from_bytes(key);
    let plain = decrypt(Side::Client, &key, &data).unwrap();
    assert_eq!(plain, expected);
    let msg = PlainMessage::parse(&plain).unwrap();
    assert_eq!(msg.body.len(), 88);
    assert_eq!(
        decrypt(Side::Server, &key, &data),
        Err(MessageError::MsgKeyMismatch)
    );
}

#[test]
fn decrypting_in_place_gives_the_same_plaintext_and_errors() {
    let k = key();
    let data = encrypt(Side::Server, &k, &plaintext(&[7; 4096]), &mut rng(9));
    let copied = decrypt(Side::Client, &k, &data).unwrap();
    let mut buf = data.clone();
    assert_eq!(
        decrypt_in_place(Side::Client, &k, &mut buf).unwrap(),
        &copied[..]
    );
    assert_eq!(&buf[HEADER_LEN..], &copied[..]);
    let cases: Vec<Vec<u8>> = vec![
        data[..data.len() - 1].to_vec(),
        data[..HEADER_LEN + 32].to_vec(),
        Vec::new(),
        {
            let mut bad = data.clone();
            bad[30] ^= 1;
            bad
        },
        {
            let mut bad = data.clone();
            bad[10] ^= 1;
            bad
        },
    ];
    for case in cases {
        let expected = decrypt(Side::Client, &k, &case).unwrap_err();
        let mut buf = case.clone();
        assert_eq!(
            decrypt_in_place(Side::Client, &k, &mut buf).unwrap_err(),
            expected
        );
    }
    let other = AuthKey::from_bytes([9; 256]);
    let mut buf = data.clone();
    assert!(matches!(
        decrypt_in_place(Side::Client, &other, &mut buf),
        Err(MessageError::WrongAuthKeyId { .. })
    ));
    // Decrypted as the wrong side: the msg_key check fails.
    let mut buf = data.clone();
    assert_eq!(
        decrypt_in_place(Side::Server, &k, &mut buf),
        Err(MessageError::MsgKeyMismatch)
    );
}

/// The separate-pass decryption the fused one replaced: IGE over the whole
/// ciphertext, then msg_key over the plaintext, compared in constant time.
fn decrypt_two_passes(side: Side, k: &AuthKey, data: &[u8]) -> Result<Vec<u8>, MessageError> {
    check_envelope(k, data)?;
    let x = side.x_recv();
    let mut mk = [0u8; 16];
    mk.copy_from_slice(&data[8..HEADER_LEN]);
    let (aes_key, aes_iv) = aes_key_iv(k, x, &mk);
    let mut plain = data[HEADER_LEN..].to_vec();
    decrypt_ige(&mut plain, &aes_key, &aes_iv).unwrap();
    if bool::from(msg_key(k, x, &plain).ct_eq(&mk)) {
        Ok(plain)
    } else {
        Err(MessageError::MsgKeyMismatch)
    }
}

#[test]
fn fused_decryption_equals_two_passes_for_many_lengths_and_keys() {
    use rand::RngExt;
    let mut r = rng(21);
    for len in (0..2048usize).step_by(4).chain([65_536, 1 << 20]) {
        let k = AuthKey::from_bytes(core::array::from_fn(|_| r.random()));
        let mut body = vec![0u8; len];
        r.fill(&mut body[..]);
        let data = encrypt(Side::Server, &k, &plaintext(&body), &mut r);
        let expected = decrypt_two_passes(Side::Client, &k, &data).unwrap();
        assert_eq!(decrypt(Side::Client, &k, &data).unwrap(), expected, "{len}");
        let mut buf = data.clone();
        assert_eq!(
            decrypt_in_place(Side::Client, &k, &mut buf).unwrap(),
            &expected[..]
        );
        assert_eq!(PlainMessage::parse(&expected).unwrap().body, &body[..]);
        // Any flipped bit after the auth_key_id fails the msg_key check in
        // both, whichever 64-byte stretch of the hash it lands in.
        let at = 8 + r.random_range(0..data.len() - 8);
        let mut bad = data.clone();
        bad[at] ^= 1 << r.random_range(0..8);
        assert_eq!(
            decrypt_two_passes(Side::Client, &k, &bad),
            Err(MessageError::MsgKeyMismatch)
        );
        assert_eq!(
            decrypt(Side::Client, &k, &bad),
            Err(MessageError::MsgKeyMismatch),
            "{len}, byte {at}"
        );
    }
}

#[test]
fn decrypting_a_pair_gives_what_two_calls_give_for_every_mix_of_good_and_bad() {
    use rand::RngExt;
    let mut r = rng(22);
    let k = key();
    let other = AuthKey::from_bytes([9; 256]);
    let message = |r: &mut rand::rngs::StdRng, len: usize| {
        let mut body = vec![0u8; len];
        r.fill(&mut body[..]);
        encrypt(Side::Server, &k, &plaintext(&body), r)
    };
    // Good ones of several lengths, then each way a message is refused:
    // short, unaligned, another key, a flipped bit (msg_key), sent by the
    // client side.
    let mut cases: Vec<Vec<u8>> = [0usize, 4, 400, 4096, 65_536, (1 << 20) + 4]
        .iter()
        .map(|&len| message(&mut r, len))
        .collect();
    let good = message(&mut r, 2048);
    cases.push(good[..HEADER_LEN + 16].to_vec());
    cases.push(good[..good.len() - 4].to_vec());
    cases.push(encrypt(Side::Server, &other, &plaintext(&[1; 64]), &mut r));
    let mut flipped = good.clone();
    flipped[HEADER_LEN + 700] ^= 0x10;
    cases.push(flipped);
    cases.push(encrypt(Side::Client, &k, &plaintext(&[2; 64]), &mut r));
    let one = |data: &[u8]| {
        let mut buf = data.to_vec();
        decrypt_in_place(Side::Client, &k, &mut buf).map(<[u8]>::to_vec)
    };
    for a in &cases {
        for b in &cases {
            let (mut x, mut y) = (a.clone(), b.clone());
            let (ra, rb) = decrypt_in_place_pair(Side::Client, &k, &mut x, &mut y);
            let got = (ra.map(<[u8]>::to_vec), rb.map(<[u8]>::to_vec));
            assert_eq!(got, (one(a), one(b)), "{} + {} bytes", a.len(), b.len());
        }
    }
}

#[test]
fn encrypting_a_pair_gives_what_two_calls_give() {
    use rand::RngExt;
    let mut r = rng(23);
    let k = key();
    for (la, lb) in [
        (0, 0),
        (1, 1000),
        (4096, 3),
        (65_536, 70_000),
        ((1 << 20) + 4, 1 << 20),
    ] {
        let mut body_a = vec![0u8; la];
        let mut body_b = vec![0u8; lb];
        r.fill(&mut body_a[..]);
        r.fill(&mut body_b[..]);
        let (pa, pb) = (plaintext(&body_a), plaintext(&body_b));
        let (head_a, tail_a) = pa.split_at(32.min(pa.len()));
        let seed: u64 = r.random();
        let (got_a, got_b) =
            encrypt_parts_pair(Side::Server, &k, &[head_a, tail_a], &[&pb], &mut rng(seed));
        let mut again = rng(seed);
        let want_a = encrypt(Side::Server, &k, &pa, &mut again);
        let want_b = encrypt(Side::Server, &k, &pb, &mut again);
        assert!(got_a == want_a && got_b == want_b, "{la}+{lb} bytes");
        assert_eq!(
            decrypt(Side::Client, &k, &got_b).unwrap()[..pb.len()],
            pb[..]
        );
    }
}
