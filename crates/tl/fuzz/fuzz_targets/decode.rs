//! Decodes arbitrary bytes as the top-level objects a client or server reads
//! from the network. Decoding must never panic, and whatever decodes must
//! re-encode stably: encode(decode(encode(v))) == encode(v).
#![no_main]

use hearth_tl::mtproto::{enums as mt_enums, functions as mt_functions, special};
use hearth_tl::{enums, functions, Deserializable, RawQuery, Serializable};
use libfuzzer_sys::fuzz_target;

fn check<T: Deserializable + Serializable>(data: &[u8]) {
    if let Ok(value) = T::from_bytes(data) {
        let once = value.to_bytes();
        let again = T::from_bytes(&once).map(|v| v.to_bytes());
        assert_eq!(again.as_deref(), Ok(once.as_slice()), "re-encoding is not stable");
    }
}

fuzz_target!(|data: &[u8]| {
    // The first byte picks the type so the fuzzer explores each decoder deeply.
    let Some((selector, data)) = data.split_first() else { return };
    match selector % 12 {
        0 => check::<enums::Updates>(data),
        1 => check::<enums::messages::Messages>(data),
        2 => check::<enums::Update>(data),
        3 => check::<enums::User>(data),
        4 => check::<enums::RichText>(data),
        5 => check::<special::MsgContainer>(data),
        6 => check::<special::RpcResult>(data),
        7 => check::<special::FutureSalts>(data),
        8 => check::<special::GzipPacked>(data),
        9 => check::<mt_enums::ServerDhParams>(data),
        10 => check::<functions::InvokeWithLayer<functions::InitConnection<RawQuery>>>(data),
        _ => check::<mt_functions::ReqDhParams>(data),
    }
});
