//! `invokeWithLayer(LAYER, initConnection(...))` wrapping of a session's first
//! request (core.telegram.org/api/invoking#layers).

use super::ids::{INIT_CONNECTION, INVOKE_WITH_LAYER};
use crate::wire::Writer;

/// The API layer of `schema/api.tl`.
pub const LAYER: i32 = 229;

/// Application information sent in `initConnection`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AppInfo {
    pub api_id: i32,
    pub device_model: String,
    pub system_version: String,
    pub app_version: String,
    pub system_lang_code: String,
    pub lang_pack: String,
    pub lang_code: String,
}

impl Default for AppInfo {
    fn default() -> Self {
        Self {
            api_id: 0,
            device_model: "Hearth".into(),
            system_version: std::env::consts::OS.into(),
            app_version: env!("CARGO_PKG_VERSION").into(),
            system_lang_code: "en".into(),
            lang_pack: String::new(),
            lang_code: "en".into(),
        }
    }
}

impl AppInfo {
    /// `invokeWithLayer#da9b0d0d layer initConnection#c1cd5ea9 flags=0 ... query`.
    pub fn wrap(&self, layer: i32, query: &[u8]) -> Vec<u8> {
        let mut b = Vec::with_capacity(query.len() + 128);
        b.put_u32(INVOKE_WITH_LAYER);
        b.put_i32(layer);
        b.put_u32(INIT_CONNECTION);
        b.put_u32(0); // flags: no proxy, no params
        b.put_i32(self.api_id);
        for s in [
            &self.device_model,
            &self.system_version,
            &self.app_version,
            &self.system_lang_code,
            &self.lang_pack,
            &self.lang_code,
        ] {
            b.put_bytes(s.as_bytes());
        }
        b.extend_from_slice(query);
        b
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::Reader;

    #[test]
    fn wrap_layout_matches_schema() {
        let app = AppInfo {
            api_id: 42,
            device_model: "dev".into(),
            ..AppInfo::default()
        };
        let q = [1u8, 2, 3, 4];
        let w = app.wrap(LAYER, &q);
        let mut r = Reader::new(&w);
        assert_eq!(r.u32().unwrap(), INVOKE_WITH_LAYER);
        assert_eq!(r.i32().unwrap(), 229);
        assert_eq!(r.u32().unwrap(), INIT_CONNECTION);
        assert_eq!(r.u32().unwrap(), 0);
        assert_eq!(r.i32().unwrap(), 42);
        assert_eq!(r.bytes().unwrap(), b"dev");
        for _ in 0..5 {
            r.bytes().unwrap();
        }
        assert_eq!(r.rest(), &q);
    }
}
