use super::*;

fn key() -> ServerKey {
    ServerKey::from_pem(
        include_str!("../../tests/fixtures/test_rsa_private_key.pem"),
        "fixture",
    )
    .unwrap()
}

fn challenge(hs: &mut Handshake, k: &ServerKey, nonce: [u8; 16]) -> ([u8; 16], Vec<u8>) {
    let mut w = Writer::new();
    w.id(REQ_PQ_MULTI).raw(&nonce);
    let Step::Reply(body) = hs.step(&w.finish(), k, &|_| false, 0).unwrap() else {
        panic!("resPQ expected");
    };
    let mut r = Reader::new(&body);
    r.expect(RES_PQ, "resPQ").unwrap();
    assert_eq!(r.array::<16>().unwrap(), nonce);
    (r.array::<16>().unwrap(), r.bytes().unwrap().to_vec())
}

/// `req_DH_params` claiming p = q = 1, which never factor `pq`.
fn req_dh(nonce: [u8; 16], server_nonce: [u8; 16], pq: &[u8], fingerprint: i64) -> Vec<u8> {
    assert_eq!(pq.len(), 8);
    let mut w = Writer::new();
    w.id(REQ_DH_PARAMS)
        .raw(&nonce)
        .raw(&server_nonce)
        .bytes(&[1])
        .bytes(&[1])
        .long(fingerprint)
        .bytes(&[0; 256]);
    w.finish()
}

#[test]
fn steps_out_of_order_are_refused() {
    let k = key();
    let mut hs = Handshake::new(2);
    let mut w = Writer::new();
    w.id(SET_CLIENT_DH_PARAMS).raw(&[0; 32]).bytes(&[0; 16]);
    assert!(matches!(
        hs.step(&w.finish(), &k, &|_| false, 0),
        Err(HandshakeError::Unexpected(SET_CLIENT_DH_PARAMS))
    ));
}

#[test]
fn wrong_nonce_or_fingerprint_is_refused() {
    let k = key();
    let mut hs = Handshake::new(2);
    let (server_nonce, _pq) = challenge(&mut hs, &k, [1; 16]);
    let mut w = Writer::new();
    w.id(REQ_DH_PARAMS).raw(&[9; 16]).raw(&server_nonce);
    assert!(matches!(
        hs.step(&w.finish(), &k, &|_| false, 0),
        Err(HandshakeError::Nonce)
    ));
    let mut hs = Handshake::new(2);
    let (server_nonce, _pq) = challenge(&mut hs, &k, [1; 16]);
    let mut w = Writer::new();
    w.id(REQ_DH_PARAMS)
        .raw(&[1; 16])
        .raw(&server_nonce)
        .bytes(&[1])
        .bytes(&[1])
        .long(k.fingerprint() ^ 1)
        .bytes(&[0; 256]);
    assert!(matches!(
        hs.step(&w.finish(), &k, &|_| false, 0),
        Err(HandshakeError::Fingerprint(_))
    ));
}

#[test]
fn wrong_factors_are_refused() {
    let k = key();
    let mut hs = Handshake::new(2);
    let (server_nonce, pq) = challenge(&mut hs, &k, [3; 16]);
    let body = req_dh([3; 16], server_nonce, &pq, k.fingerprint());
    assert!(matches!(
        hs.step(&body, &k, &|_| false, 0),
        Err(HandshakeError::Factors)
    ));
}

#[test]
fn dc_field_forms_match() {
    let hs = Handshake::new(2);
    assert!(hs.dc_matches(2) && hs.dc_matches(-2) && hs.dc_matches(10002) && hs.dc_matches(-10002));
    assert!(!hs.dc_matches(3));
}
