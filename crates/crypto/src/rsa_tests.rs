use super::*;
use rand::SeedableRng;
use std::sync::OnceLock;

const PRODUCTION: &str = include_str!("../../../schema/rsa-production.pem");
const TEST: &str = include_str!("../../../schema/rsa-test.pem");

fn rng(seed: u64) -> rand::rngs::StdRng {
    rand::rngs::StdRng::seed_from_u64(seed)
}

/// One generated key for the whole test binary: generation is the slow part.
fn server_key() -> &'static RsaPrivateKey {
    static KEY: OnceLock<RsaPrivateKey> = OnceLock::new();
    KEY.get_or_init(|| RsaPrivateKey::generate(&mut rng(1)).unwrap())
}

#[test]
fn telegram_key_fingerprints() {
    let prod = RsaPublicKey::from_pkcs1_pem(PRODUCTION).unwrap();
    assert_eq!(prod.fingerprint(), 0xd09d1d85de64fd85);
    let test = RsaPublicKey::from_pkcs1_pem(TEST).unwrap();
    assert_eq!(test.fingerprint(), 0xb25898df208d2603);
    assert_eq!(prod.e_bytes(), vec![1, 0, 1]);
    assert_eq!(prod.n_bytes().len(), 256);
    assert_eq!(
        RsaPublicKey::parse_all(&format!("{PRODUCTION}\n{TEST}"))
            .unwrap()
            .len(),
        2
    );
}

#[test]
fn tl_bytes_encoding() {
    let mut out = Vec::new();
    tl_bytes(&mut out, &[1, 0, 1]);
    assert_eq!(out, [3, 1, 0, 1]);
    out.clear();
    tl_bytes(&mut out, &[9; 256]);
    assert_eq!(out[..4], [254, 0, 1, 0]);
    assert_eq!(out.len(), 260);
    out.clear();
    tl_bytes(&mut out, &[9; 4]);
    assert_eq!(out, [4, 9, 9, 9, 9, 0, 0, 0]);
}

#[test]
fn malformed_pem_is_an_error() {
    assert!(matches!(
        RsaPublicKey::from_pkcs1_pem(""),
        Err(RsaError::Pem(_))
    ));
    assert!(matches!(
        RsaPublicKey::from_pkcs1_pem(
            "-----BEGIN RSA PUBLIC KEY-----\nAAAA\n-----END RSA PUBLIC KEY-----"
        ),
        Err(RsaError::Pem(_))
    ));
    let truncated = &PRODUCTION[..PRODUCTION.len() / 2];
    assert!(RsaPublicKey::from_pkcs1_pem(truncated).is_err());
    assert!(RsaPublicKey::parse_all("no keys here").is_err());
}

#[test]
fn pem_export_round_trips() {
    let prod = RsaPublicKey::from_pkcs1_pem(PRODUCTION).unwrap();
    let pem = prod.to_pkcs1_pem().unwrap();
    assert!(pem.starts_with("-----BEGIN RSA PUBLIC KEY-----"));
    assert_eq!(RsaPublicKey::from_pkcs1_pem(&pem).unwrap(), prod);
    let generated = server_key().public_key();
    let pem = generated.to_pkcs1_pem().unwrap();
    let parsed = RsaPublicKey::from_pkcs1_pem(&pem).unwrap();
    assert_eq!(parsed.fingerprint(), generated.fingerprint());
}

#[test]
fn rsa_pad_round_trip_through_server_key() {
    let key = server_key();
    let data: Vec<u8> = (0..144u8).collect();
    let mut r = rng(2);
    let encrypted = key.public_key().encrypt_pad(&data, &mut r).unwrap();
    let other = key.public_key().encrypt_pad(&data, &mut r).unwrap();
    assert_ne!(encrypted, other, "RSA_PAD must be randomised");
    let padded = key.decrypt_pad(&encrypted, &mut r).unwrap();
    assert_eq!(&padded[..144], &data[..]);
    let padded = key.decrypt_pad(&other, &mut r).unwrap();
    assert_eq!(&padded[..144], &data[..]);
    // Shorter data: the rest of the 192 bytes is random padding.
    let encrypted = key
        .public_key()
        .encrypt_pad(b"p_q_inner_data", &mut r)
        .unwrap();
    let padded = key.decrypt_pad(&encrypted, &mut r).unwrap();
    assert_eq!(&padded[..14], b"p_q_inner_data");
}

#[test]
fn rsa_pad_output_matches_manual_decryption() {
    // Decrypt with the private exponent by hand and undo each step, checking
    // the layout the spec describes rather than our own inverse.
    let key = server_key();
    let data = [0x5au8; 100];
    let encrypted = key.public_key().encrypt_pad(&data, &mut rng(3)).unwrap();
    let n = num_bigint::BigUint::from_bytes_be(&key.public_key().n_bytes());
    let d = num_bigint::BigUint::from_bytes_be(
        &::rsa::traits::PrivateKeyParts::d(&key.inner).to_be_bytes(),
    );
    let m = num_bigint::BigUint::from_bytes_be(&encrypted).modpow(&d, &n);
    let block = to_fixed(&m.to_bytes_be());
    let (temp_key_xor, aes_encrypted) = block.split_at(32);
    let h = sha256(&[aes_encrypted]);
    let temp_key: [u8; 32] = core::array::from_fn(|i| temp_key_xor[i] ^ h[i]);
    let mut data_with_hash = aes_encrypted.to_vec();
    decrypt_ige(&mut data_with_hash, &temp_key, &[0; 32]).unwrap();
    let mut with_padding = data_with_hash[..192].to_vec();
    with_padding.reverse();
    assert_eq!(&with_padding[..100], &data[..]);
    assert_eq!(data_with_hash[192..], sha256(&[&temp_key, &with_padding]));
}

#[test]
fn encrypt_pad_with_telegram_key_is_below_modulus() {
    let prod = RsaPublicKey::from_pkcs1_pem(PRODUCTION).unwrap();
    let mut r = rng(4);
    for _ in 0..4 {
        let c = prod.encrypt_pad(&[1; 144], &mut r).unwrap();
        assert!(prod.below_modulus(&c));
    }
    assert_eq!(
        prod.encrypt_pad(&[1; 145], &mut r),
        Err(RsaError::DataTooLong { len: 145 })
    );
}

#[test]
fn server_rejects_tampered_or_malformed_input() {
    let key = server_key();
    let mut r = rng(5);
    let encrypted = key.public_key().encrypt_pad(&[7; 50], &mut r).unwrap();
    let mut tampered = encrypted;
    tampered[200] ^= 0x01;
    assert_eq!(
        key.decrypt_pad(&tampered, &mut r),
        Err(RsaError::PaddingHash)
    );
    assert_eq!(
        key.decrypt_pad(&[0xff; 256], &mut r),
        Err(RsaError::CiphertextNotBelowModulus)
    );
    assert_eq!(
        key.decrypt_pad(&[1; 257], &mut r),
        Err(RsaError::CiphertextLength { len: 257 })
    );
    assert!(key.decrypt_pad(&[], &mut r).is_err());
    assert!(key.decrypt_pad(&[3; 100], &mut r).is_err());
    // Encrypted for a different key.
    let prod = RsaPublicKey::from_pkcs1_pem(PRODUCTION).unwrap();
    let foreign = prod.encrypt_pad(&[7; 50], &mut r).unwrap();
    assert!(key.decrypt_pad(&foreign, &mut r).is_err());
}

#[test]
fn private_key_pem_round_trips() {
    let key = server_key();
    let pem = key.to_pkcs1_pem().unwrap();
    assert!(pem.starts_with("-----BEGIN RSA PRIVATE KEY-----"));
    let parsed = RsaPrivateKey::from_pkcs1_pem(&pem).unwrap();
    assert_eq!(
        parsed.public_key().fingerprint(),
        key.public_key().fingerprint()
    );
    assert!(RsaPrivateKey::from_pkcs1_pem("-----BEGIN RSA PRIVATE KEY-----\nAAAA\n").is_err());
}

#[test]
fn legacy_sha1_scheme_decrypts_and_verifies() {
    let key = server_key();
    let data = b"p_q_inner_data stand-in for the sha1 scheme".to_vec();
    let mut block = [0x5au8; MODULUS_LEN];
    block[0] = 0;
    block[1..21].copy_from_slice(&sha1(&[&data]));
    block[21..21 + data.len()].copy_from_slice(&data);
    let c = key.public_key().raw_encrypt(&block).unwrap();
    let out = key.decrypt_legacy(&c, &mut rng(5)).unwrap();
    assert_eq!(&out.data()[..data.len()], &data[..]);
    assert!(out.verify(data.len()));
    assert!(!out.verify(data.len() - 1));
    assert!(!out.verify(10_000));
    // An RSA_PAD block is not mistaken for the legacy scheme.
    let pad = key.public_key().encrypt_pad(&data, &mut rng(6)).unwrap();
    let legacy = key.decrypt_legacy(&pad, &mut rng(7));
    assert!(legacy.map_or(true, |l| !l.verify(data.len())));
}
