//! Every framing codec, both roles, on arbitrary bytes: unpacking never
//! panics, never claims more bytes than given, and always makes progress.
#![no_main]

use hearth_transport::framing::{FramingKind, Role};
use libfuzzer_sys::fuzz_target;
use rand::rngs::StdRng;
use rand::SeedableRng;

const KINDS: [FramingKind; 4] = [
    FramingKind::Abridged,
    FramingKind::Intermediate,
    FramingKind::PaddedIntermediate,
    FramingKind::Full,
];

fuzz_target!(|data: &[u8]| {
    let Some((&selector, mut rest)) = data.split_first() else {
        return;
    };
    let kind = KINDS[usize::from(selector & 3)];
    let role = if selector & 4 == 0 { Role::Client } else { Role::Server };
    let mut codec = kind
        .build(role, Box::new(StdRng::seed_from_u64(0)))
        ;
    while let Ok(Some((_, used))) = codec.unpack(rest) {
        assert!(used > 0 && used <= rest.len());
        rest = &rest[used..];
    }
});
