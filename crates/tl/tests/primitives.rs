//! Built-in types of core.telegram.org/mtproto/serialize.

use hearth_tl::{
    deserialize_bare_vec, serialize_bare_vec, Cursor, Deserializable, DeserializeError,
    Serializable,
};
use proptest::prelude::*;

fn string_bytes(len: usize) -> Vec<u8> {
    "x".repeat(len).to_bytes()
}

#[test]
fn string_length_prefixes_and_padding() {
    // (length, expected header bytes, expected total)
    let cases: [(usize, &[u8], usize); 7] = [
        (0, &[0], 4),
        (1, &[1], 4),
        (3, &[3], 4),
        (253, &[253], 256),
        (254, &[254, 254, 0, 0], 260),
        (255, &[254, 255, 0, 0], 260),
        (300, &[254, 0x2c, 0x01, 0], 304),
    ];
    for (len, header, total) in cases {
        let bytes = string_bytes(len);
        assert_eq!(&bytes[..header.len()], header, "length {len}");
        assert_eq!(bytes.len(), total, "length {len}");
        assert_eq!(bytes.len() % 4, 0);
        assert!(
            bytes[header.len() + len..].iter().all(|b| *b == 0),
            "padding is zero"
        );
        assert_eq!(String::from_bytes(&bytes), Ok("x".repeat(len)));
    }
    let long = string_bytes(70000);
    assert_eq!(&long[..4], &[254, 0x70, 0x11, 0x01]);
    assert_eq!(long.len(), 70004);
    assert_eq!(String::from_bytes(&long).map(|s| s.len()), Ok(70000));
}

#[test]
fn bytes_padding_and_consumption() {
    let data = vec![0xaau8; 5];
    let mut buf = data.to_bytes();
    assert_eq!(buf, [5, 0xaa, 0xaa, 0xaa, 0xaa, 0xaa, 0, 0]);
    buf.extend_from_slice(&7i32.to_le_bytes());
    let mut cursor = Cursor::new(&buf);
    assert_eq!(Vec::<u8>::deserialize(&mut cursor), Ok(data));
    assert_eq!(cursor.position(), 8, "padding consumed");
    assert_eq!(i32::deserialize(&mut cursor), Ok(7));
}

#[test]
fn invalid_utf8_is_decoded_lossily() {
    let bytes = vec![0xffu8, b'a'].to_bytes();
    assert_eq!(String::from_bytes(&bytes), Ok("\u{fffd}a".to_owned()));
}

#[test]
fn truncated_strings_are_errors() {
    let bytes = string_bytes(300);
    for cut in [0, 1, 3, 4, 100, 303] {
        assert_eq!(
            String::from_bytes(&bytes[..cut]),
            Err(DeserializeError::UnexpectedEof),
            "cut {cut}"
        );
    }
    // Missing padding is truncation too.
    assert_eq!(
        String::from_bytes(&[1, b'a']),
        Err(DeserializeError::UnexpectedEof)
    );
}

#[test]
fn numbers_are_little_endian() {
    assert_eq!(0x01020304i32.to_bytes(), [4, 3, 2, 1]);
    assert_eq!(
        (-2i64).to_bytes(),
        [0xfe, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]
    );
    assert_eq!(1.5f64.to_bytes(), 1.5f64.to_le_bytes());
    let int128: [u8; 16] = core::array::from_fn(|i| i as u8);
    assert_eq!(int128.to_bytes(), int128);
    assert_eq!(<[u8; 32]>::from_bytes(&[9; 32]), Ok([9; 32]));
    assert_eq!(
        <[u8; 32]>::from_bytes(&[9; 31]),
        Err(DeserializeError::UnexpectedEof)
    );
    assert_eq!(
        i64::from_bytes(&[1, 2, 3]),
        Err(DeserializeError::UnexpectedEof)
    );
}

#[test]
fn bool_is_boxed() {
    assert_eq!(true.to_bytes(), 0x997275b5u32.to_le_bytes());
    assert_eq!(false.to_bytes(), 0xbc799737u32.to_le_bytes());
    assert_eq!(bool::from_bytes(&0x997275b5u32.to_le_bytes()), Ok(true));
    assert_eq!(
        bool::from_bytes(&0x3fedd339u32.to_le_bytes()),
        Err(DeserializeError::UnexpectedConstructor {
            id: 0x3fedd339,
            expected: "Bool"
        })
    );
}

#[test]
fn boxed_and_bare_vectors() {
    let items = vec![1i64, -1];
    let boxed = items.to_bytes();
    assert_eq!(&boxed[..4], &0x1cb5c415u32.to_le_bytes());
    assert_eq!(&boxed[4..8], &2i32.to_le_bytes());
    assert_eq!(boxed.len(), 8 + 16);
    assert_eq!(Vec::<i64>::from_bytes(&boxed), Ok(items.clone()));

    let mut bare = Vec::new();
    serialize_bare_vec(&items, &mut bare);
    assert_eq!(bare, boxed[4..]);
    assert_eq!(
        deserialize_bare_vec::<i64>(&mut Cursor::new(&bare)),
        Ok(items)
    );

    // Vector<bytes> is a vector of strings, not a string.
    let nested = vec![vec![1u8, 2], vec![]];
    assert_eq!(Vec::<Vec<u8>>::from_bytes(&nested.to_bytes()), Ok(nested));
}

#[test]
fn length_prefix_0xff_is_refused() {
    // Read as the long form today it would be a 3-byte length like 254's.
    let mut bytes = vec![0xff, 4, 0, 0];
    bytes.extend_from_slice(b"abcd");
    assert_eq!(
        Vec::<u8>::from_bytes(&bytes),
        Err(DeserializeError::BadLengthPrefix)
    );
    assert_eq!(
        String::from_bytes(&bytes),
        Err(DeserializeError::BadLengthPrefix)
    );
    assert!(DeserializeError::BadLengthPrefix
        .to_string()
        .contains("0xff"));
    bytes[0] = 0xfe;
    assert_eq!(Vec::<u8>::from_bytes(&bytes), Ok(b"abcd".to_vec()));
}

#[test]
fn vector_errors() {
    let mut wrong = 0x12345678u32.to_le_bytes().to_vec();
    wrong.extend_from_slice(&0i32.to_le_bytes());
    assert_eq!(
        Vec::<i32>::from_bytes(&wrong),
        Err(DeserializeError::UnexpectedConstructor {
            id: 0x12345678,
            expected: "Vector"
        })
    );
    // A huge claimed count fails fast instead of allocating.
    let mut huge = 0x1cb5c415u32.to_le_bytes().to_vec();
    huge.extend_from_slice(&u32::MAX.to_le_bytes());
    assert_eq!(
        Vec::<i64>::from_bytes(&huge),
        Err(DeserializeError::UnexpectedEof)
    );
    let mut short = vec![1i32, 2, 3].to_bytes();
    short.truncate(short.len() - 1);
    assert_eq!(
        Vec::<i32>::from_bytes(&short),
        Err(DeserializeError::UnexpectedEof)
    );
}

proptest! {
    #[test]
    fn int_round_trip(v: i32) { prop_assert_eq!(i32::from_bytes(&v.to_bytes()), Ok(v)); }

    #[test]
    fn long_round_trip(v: i64) { prop_assert_eq!(i64::from_bytes(&v.to_bytes()), Ok(v)); }

    #[test]
    fn double_round_trip(v in any::<f64>().prop_filter("NaN != NaN", |v| !v.is_nan())) {
        prop_assert_eq!(f64::from_bytes(&v.to_bytes()), Ok(v));
    }

    #[test]
    fn int128_round_trip(v: [u8; 16]) { prop_assert_eq!(<[u8; 16]>::from_bytes(&v.to_bytes()), Ok(v)); }

    #[test]
    fn int256_round_trip(v: [u8; 32]) { prop_assert_eq!(<[u8; 32]>::from_bytes(&v.to_bytes()), Ok(v)); }

    #[test]
    fn bytes_round_trip(v in proptest::collection::vec(any::<u8>(), 0..1200)) {
        let bytes = v.to_bytes();
        prop_assert_eq!(bytes.len() % 4, 0);
        let mut cursor = Cursor::new(&bytes);
        prop_assert_eq!(Vec::<u8>::deserialize(&mut cursor), Ok(v));
        prop_assert_eq!(cursor.remaining(), 0);
    }

    #[test]
    fn string_round_trip(v in ".{0,400}") { prop_assert_eq!(String::from_bytes(&v.to_bytes()), Ok(v)); }

    #[test]
    fn bool_round_trip(v: bool) { prop_assert_eq!(bool::from_bytes(&v.to_bytes()), Ok(v)); }

    #[test]
    fn vector_round_trip(v in proptest::collection::vec(".{0,20}", 0..20)) {
        prop_assert_eq!(Vec::<String>::from_bytes(&v.to_bytes()), Ok(v));
    }

    #[test]
    fn truncation_never_panics(v in proptest::collection::vec(".{0,300}", 0..4), cut in 0usize..2000) {
        let bytes = v.to_bytes();
        let cut = cut.min(bytes.len());
        let result = Vec::<String>::from_bytes(&bytes[..cut]);
        if cut < bytes.len() {
            prop_assert_eq!(result, Err(DeserializeError::UnexpectedEof));
        } else {
            prop_assert_eq!(result, Ok(v));
        }
    }
}
