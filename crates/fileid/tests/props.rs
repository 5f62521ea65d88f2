//! Property tests: every encodable id decodes to itself, its flat form converts back to it,
//! and no string, however mangled, makes the decoders panic.

mod common;

use hearth_fileid::fields::{FileIdFields, UniqueFields};
use hearth_fileid::{FileId, FileUniqueId};
use proptest::prelude::*;

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1000))]

    #[test]
    fn file_ids_round_trip(id in common::file_ids(false)) {
        let s = id.encode().unwrap();
        prop_assert!(!s.contains('='));
        prop_assert_eq!(FileId::decode(&s).unwrap(), id.clone());
        let u = id.unique_id();
        prop_assert_eq!(FileUniqueId::decode(&u.encode().unwrap()).unwrap(), u);
    }

    /// The flat form keeps one volume pair, so it round-trips the ids whose pairs agree.
    #[test]
    fn pyrogram_shaped_ids_round_trip_through_fields(id in common::file_ids(true)) {
        prop_assert_eq!(FileId::try_from(&FileIdFields::from(&id)).unwrap(), id);
    }

    #[test]
    fn unique_ids_round_trip(u in common::unique_ids()) {
        prop_assert_eq!(FileUniqueId::decode(&u.encode().unwrap()).unwrap(), u.clone());
        prop_assert_eq!(FileUniqueId::try_from(&UniqueFields::from(&u)).unwrap(), u);
    }

    #[test]
    fn mangled_ids_are_errors_not_panics(id in common::file_ids(false), cut in any::<prop::sample::Index>(), byte in any::<u8>()) {
        let s = id.encode().unwrap();
        let mut b = s.into_bytes();
        let at = cut.index(b.len());
        b[at] = b"ABCabc-_09"[usize::from(byte) % 10];
        let mangled = String::from_utf8(b).unwrap();
        let _ = FileId::decode(&mangled);
        let _ = FileUniqueId::decode(&mangled);
        let _ = FileId::decode(&mangled[..at]);
    }

    #[test]
    fn arbitrary_strings_are_errors_not_panics(s in "[A-Za-z0-9_=-]{0,120}|\\PC{0,60}") {
        let _ = FileId::decode(&s);
        let _ = FileUniqueId::decode(&s);
    }
}
