//! Proxy links and secrets from arbitrary text: parsing never panics, and
//! whatever parses formats back to a link that parses to the same value.
#![no_main]

use hearth_transport::{MtProxySecret, ProxyLink};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let _ = MtProxySecret::parse(text);
    if let Ok(link) = ProxyLink::parse(text) {
        let again = ProxyLink::parse(&link.to_tg_link());
        assert_eq!(again.as_ref(), Ok(&link), "{}", link.to_tg_link());
    }
});
