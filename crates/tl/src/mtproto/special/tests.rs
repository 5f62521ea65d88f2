use super::*;

#[test]
fn rpc_result_keeps_the_raw_answer() {
    let value = RpcResult {
        req_msg_id: 0x0102030405060708,
        result: vec![0x15, 0xc4, 0xb5, 0x1c, 0, 0, 0, 0],
    };
    let bytes = value.to_bytes();
    assert_eq!(&bytes[..4], &0xf35c6d01u32.to_le_bytes());
    assert_eq!(&bytes[4..12], &0x0102030405060708i64.to_le_bytes());
    assert_eq!(RpcResult::from_bytes(&bytes), Ok(value));
}

#[test]
fn container_is_a_bare_vector_of_bare_messages() {
    let container = MsgContainer {
        messages: vec![
            Message {
                msg_id: 10,
                seqno: 1,
                body: vec![1, 2, 3, 4],
            },
            Message {
                msg_id: 11,
                seqno: 3,
                body: vec![5, 6, 7, 8, 9, 10, 11, 12],
            },
        ],
    };
    let bytes = container.to_bytes();
    let mut expected = 0x73f1f8dcu32.to_le_bytes().to_vec();
    expected.extend_from_slice(&2i32.to_le_bytes());
    expected.extend_from_slice(&10i64.to_le_bytes());
    expected.extend_from_slice(&1i32.to_le_bytes());
    expected.extend_from_slice(&4i32.to_le_bytes());
    expected.extend_from_slice(&[1, 2, 3, 4]);
    expected.extend_from_slice(&11i64.to_le_bytes());
    expected.extend_from_slice(&3i32.to_le_bytes());
    expected.extend_from_slice(&8i32.to_le_bytes());
    expected.extend_from_slice(&[5, 6, 7, 8, 9, 10, 11, 12]);
    assert_eq!(bytes, expected);
    assert_eq!(MsgContainer::from_bytes(&bytes), Ok(container));
}

#[test]
fn container_message_length_is_checked() {
    let mut bytes = 0x73f1f8dcu32.to_le_bytes().to_vec();
    bytes.extend_from_slice(&1i32.to_le_bytes());
    bytes.extend_from_slice(&10i64.to_le_bytes());
    bytes.extend_from_slice(&1i32.to_le_bytes());
    bytes.extend_from_slice(&400i32.to_le_bytes());
    bytes.extend_from_slice(&[0; 8]);
    assert_eq!(
        MsgContainer::from_bytes(&bytes),
        Err(DeserializeError::BadMessageLength {
            declared: 400,
            available: 8
        })
    );
    let last = bytes.len() - 12;
    bytes[last..last + 4].copy_from_slice(&(-4i32).to_le_bytes());
    assert!(matches!(
        MsgContainer::from_bytes(&bytes),
        Err(DeserializeError::BadMessageLength { declared: -4, .. })
    ));
}

#[test]
fn msg_copy_round_trips() {
    let copy = MsgCopy {
        orig_message: Message {
            msg_id: 5,
            seqno: 2,
            body: vec![0; 4],
        },
    };
    assert_eq!(MsgCopy::from_bytes(&copy.to_bytes()), Ok(copy));
}

#[test]
fn future_salts_use_bare_salts() {
    let salts = FutureSalts {
        req_msg_id: 7,
        now: 100,
        salts: vec![
            FutureSalt {
                valid_since: 1,
                valid_until: 2,
                salt: 3,
            },
            FutureSalt {
                valid_since: 4,
                valid_until: 5,
                salt: -6,
            },
        ],
    };
    let bytes = salts.to_bytes();
    // id, req_msg_id, now, count, 2 * (int, int, long) with no ids.
    assert_eq!(bytes.len(), 4 + 8 + 4 + 4 + 2 * 16);
    assert_eq!(FutureSalts::from_bytes(&bytes), Ok(salts));
    let salt = FutureSalt {
        valid_since: 1,
        valid_until: 2,
        salt: 3,
    };
    assert_eq!(&salt.to_bytes()[..4], &0x0949d9dcu32.to_le_bytes());
    assert_eq!(FutureSalt::from_bytes(&salt.to_bytes()), Ok(salt));
}

#[test]
fn gzip_round_trip_and_explicit_unpack() {
    let pong = crate::mtproto::types::Pong {
        msg_id: 1,
        ping_id: 2,
    };
    let packed = GzipPacked::pack(&pong.to_bytes());
    assert_eq!(packed.unpack(), Ok(pong.to_bytes()));
    let wire = packed.to_bytes();
    assert_eq!(&wire[..4], &GZIP_PACKED_ID.to_le_bytes());
    assert_eq!(
        unpack_object(&wire).map(|c| c.into_owned()),
        Ok(pong.to_bytes())
    );
    assert_eq!(
        unpack_object(&pong.to_bytes()).map(|c| c.into_owned()),
        Ok(pong.to_bytes())
    );
}

#[test]
fn generated_decoders_refuse_gzip_packed_in_place_of_a_value() {
    let pong = crate::mtproto::types::Pong {
        msg_id: 1,
        ping_id: 2,
    };
    let wire = GzipPacked::pack(&pong.to_bytes()).to_bytes();
    let err = crate::mtproto::enums::Pong::from_bytes(&wire).unwrap_err();
    assert_eq!(err, DeserializeError::GzipNotAllowed { expected: "Pong" });
    assert!(err.to_string().contains("gzip_packed found where Pong"));
    // Key exchange answers are never unpacked, at the top or inside.
    let res_pq = crate::mtproto::types::ResPq {
        nonce: [1; 16],
        server_nonce: [2; 16],
        pq: vec![1, 2, 3],
        server_public_key_fingerprints: vec![7],
    };
    let wire = GzipPacked::pack(&res_pq.to_bytes()).to_bytes();
    assert_eq!(
        crate::mtproto::enums::ResPq::from_bytes(&wire),
        Err(DeserializeError::GzipNotAllowed { expected: "ResPQ" })
    );
    // A gzip_packed item inside a vector of a boxed type.
    let mut vector = crate::primitives::VECTOR_ID.to_le_bytes().to_vec();
    vector.extend_from_slice(&1i32.to_le_bytes());
    vector.extend_from_slice(&GzipPacked::pack(&[0; 64]).to_bytes());
    assert!(matches!(
        Vec::<crate::mtproto::enums::Pong>::from_bytes(&vector),
        Err(DeserializeError::GzipNotAllowed { .. })
    ));
}

#[test]
fn gzip_content_that_is_gzip_again_is_refused() {
    let inner = GzipPacked::pack(&[0u8; 1000]).to_bytes();
    let outer = GzipPacked::pack(&inner);
    assert_eq!(outer.unpack(), Err(DeserializeError::NestedGzip));
    assert_eq!(
        unpack_object(&outer.to_bytes()).map(|c| c.into_owned()),
        Err(DeserializeError::NestedGzip)
    );
    // Trailing bytes after the inner object do not hide it.
    let mut padded = inner.clone();
    padded.extend_from_slice(&[0u8; 4096]);
    assert_eq!(
        GzipPacked::pack(&padded).unpack(),
        Err(DeserializeError::NestedGzip)
    );
}

#[test]
fn unpacking_keeps_within_the_budget_given() {
    let data = vec![7u8; 100_000];
    let packed = GzipPacked::pack(&data);
    assert_eq!(
        packed.unpack_within(99_999),
        Err(DeserializeError::GzipTooLarge { limit: 99_999 })
    );
    let out = packed.unpack_within(100_000).expect("exactly the budget");
    assert_eq!(out, data);
    // The buffer never grows past the budget (plus the byte that detects
    // an overflow), whatever the doubling would have asked for.
    assert!(out.capacity() <= 100_001, "capacity {}", out.capacity());
    assert_eq!(
        packed.unpack_within(0),
        Err(DeserializeError::GzipTooLarge { limit: 0 })
    );
}

#[test]
fn gzip_bombs_and_garbage_are_typed_errors() {
    let bomb = GzipPacked::pack(&vec![0u8; MAX_UNPACKED_SIZE + 1]);
    assert!(bomb.packed_data.len() < 100_000);
    assert_eq!(
        bomb.unpack(),
        Err(DeserializeError::GzipTooLarge {
            limit: MAX_UNPACKED_SIZE
        })
    );
    let garbage = GzipPacked {
        packed_data: vec![1, 2, 3, 4, 5],
    };
    assert!(matches!(
        garbage.unpack(),
        Err(DeserializeError::BadGzip(_))
    ));
    assert!(matches!(
        unpack_object(&garbage.to_bytes()),
        Err(DeserializeError::BadGzip(_))
    ));
}
