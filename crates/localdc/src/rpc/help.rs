//! `help.*` methods.

use hearth_tl::{enums, types, Serializable};

use super::ctx::{RpcCtx, RpcError};

/// `help.getConfig` → `config#cc1a241e` listing this localdc's own endpoints.
///
/// `this_dc` is the DC answering; media-only endpoints carry their flag. Limits
/// are the values Telegram's production config announces.
pub fn get_config(ctx: &RpcCtx<'_>) -> Result<Vec<u8>, RpcError> {
    let now = crate::state::unix_now() as i32;
    let dc_options = ctx
        .state
        .endpoints
        .iter()
        .map(|e| {
            enums::DcOption::DcOption(types::DcOption {
                ipv6: e.addr.is_ipv6(),
                media_only: e.media_only,
                tcpo_only: false,
                cdn: false,
                static_: false,
                this_port_only: false,
                id: e.id,
                ip_address: e.addr.ip().to_string(),
                port: i32::from(e.addr.port()),
                secret: None,
            })
        })
        .collect();
    let config = types::Config {
        default_p2p_contacts: false,
        preload_featured_stickers: false,
        revoke_pm_inbox: false,
        blocked_mode: false,
        force_try_ipv6: false,
        date: now,
        expires: now + 3600,
        test_mode: ctx.state.test_mode,
        this_dc: ctx.dc_id,
        dc_options,
        dc_txt_domain_name: "localdc.invalid".into(),
        chat_size_max: 200,
        megagroup_size_max: 200000,
        forwarded_count_max: 100,
        online_update_period_ms: 210000,
        offline_blur_timeout_ms: 5000,
        offline_idle_timeout_ms: 30000,
        online_cloud_timeout_ms: 300000,
        notify_cloud_delay_ms: 30000,
        notify_default_delay_ms: 1500,
        push_chat_period_ms: 60000,
        push_chat_limit: 2,
        edit_time_limit: 172800,
        revoke_time_limit: i32::MAX,
        revoke_pm_time_limit: i32::MAX,
        rating_e_decay: 2419200,
        stickers_recent_limit: 200,
        channels_read_media_period: 604800,
        tmp_sessions: None,
        call_receive_timeout_ms: 20000,
        call_ring_timeout_ms: 90000,
        call_connect_timeout_ms: 30000,
        call_packet_timeout_ms: 10000,
        me_url_prefix: "https://t.me/".into(),
        autoupdate_url_prefix: None,
        gif_search_username: None,
        venue_search_username: None,
        img_search_username: None,
        static_maps_provider: None,
        caption_length_max: 1024,
        message_length_max: 4096,
        webfile_dc_id: 4,
        suggested_lang_code: None,
        lang_pack_version: None,
        base_lang_pack_version: None,
        reactions_default: None,
        autologin_token: None,
    };
    Ok(config.to_bytes())
}

/// `help.getNearestDc` → `nearestDc`: the answering DC is always the nearest.
pub fn get_nearest_dc(ctx: &RpcCtx<'_>) -> Result<Vec<u8>, RpcError> {
    Ok(types::NearestDc {
        country: "ZZ".into(),
        this_dc: ctx.dc_id,
        nearest_dc: ctx.dc_id,
    }
    .to_bytes())
}
