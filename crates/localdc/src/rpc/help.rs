//! `help.*` methods.

use super::{RpcCtx, RpcError};
use crate::tl::Writer;

pub const GET_CONFIG: u32 = 0xc4f9186b;
pub const GET_NEAREST_DC: u32 = 0x1fb33026;

/// `help.getConfig` → `config#cc1a241e` listing this localdc's own endpoints.
///
/// `this_dc` is the DC answering; media-only endpoints carry flag 1. Limits are
/// the values Telegram's production config announces.
pub fn get_config(ctx: &RpcCtx<'_>) -> Result<Vec<u8>, RpcError> {
    let now = crate::state::unix_now() as i32;
    let mut w = Writer::new();
    w.id(0xcc1a241e)
        .int(0)
        .int(now)
        .int(now + 3600)
        .bool(ctx.state.test_mode);
    w.int(ctx.dc_id);
    w.id(0x1cb5c415).int(ctx.state.endpoints.len() as i32);
    for e in &ctx.state.endpoints {
        let mut flags = 0;
        if e.addr.is_ipv6() {
            flags |= 1;
        }
        if e.media_only {
            flags |= 2;
        }
        w.id(0x18b7a10d)
            .int(flags)
            .int(e.id)
            .string(&e.addr.ip().to_string())
            .int(i32::from(e.addr.port()));
    }
    w.string("localdc.invalid"); // dc_txt_domain_name
    for v in [
        200, 200000, 100, 210000, 5000, 30000, 300000, 30000, 1500, 60000, 2, 172800, 2147483647,
        2147483647, 2419200, 200, 604800,
    ] {
        // chat_size_max .. channels_read_media_period, in schema order.
        w.int(v);
    }
    for v in [20000, 90000, 30000, 10000] {
        w.int(v); // call_* timeouts
    }
    w.string("https://t.me/");
    w.int(1024).int(4096).int(4); // caption_length_max, message_length_max, webfile_dc_id
    Ok(w.finish())
}

/// `help.getNearestDc` → `nearestDc`: the answering DC is always the nearest.
pub fn get_nearest_dc(ctx: &RpcCtx<'_>) -> Result<Vec<u8>, RpcError> {
    let mut w = Writer::new();
    w.id(0x8e1a1775).string("ZZ").int(ctx.dc_id).int(ctx.dc_id);
    Ok(w.finish())
}
