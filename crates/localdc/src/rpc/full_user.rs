//! `users.getFullUser` → `users.userFull` for oneself or a user the account
//! has met (the access-hash rule of [`crate::mailbox`]); anything else is
//! `USER_ID_INVALID`. A bot's `userFull` carries its `botInfo`
//! (core.telegram.org/constructor/userFull: "For bots, info about the bot"),
//! here with its user id and no description or commands, which worlds do
//! not give bots.

use hearth_tl::{enums, functions, types, Serializable};

use super::ctx::{RpcCtx, RpcError};
use crate::rpc::tl::{default_notify_settings, tl_users};

fn peer_settings() -> Box<enums::PeerSettings> {
    Box::new(enums::PeerSettings::PeerSettings(types::PeerSettings {
        report_spam: false,
        add_contact: false,
        block_contact: false,
        share_contact: false,
        need_contacts_exception: false,
        report_geo: false,
        autoarchived: false,
        invite_members: false,
        request_chat_broadcast: false,
        business_bot_paused: false,
        business_bot_can_reply: false,
        geo_distance: None,
        request_chat_title: None,
        request_chat_date: None,
        business_bot_id: None,
        business_bot_manage_url: None,
        charge_paid_message_stars: None,
        registration_month: None,
        phone_country: None,
        name_change_date: None,
        photo_change_date: None,
    }))
}

pub fn get_full_user(
    ctx: &mut RpcCtx<'_>,
    req: functions::users::GetFullUser,
) -> Result<Vec<u8>, RpcError> {
    let me = ctx.require_user()?;
    let invalid = || RpcError::bad_request("USER_ID_INVALID");
    let id = match req.id {
        enums::InputUser::InputUserSelf => me,
        enums::InputUser::InputUser(u) => {
            let peer = enums::InputPeer::InputPeerUser(types::InputPeerUser {
                user_id: u.user_id,
                access_hash: u.access_hash,
            });
            crate::rpc::tl::resolve_peer(ctx, me, &peer).map_err(|_| invalid())?
        }
        _ => return Err(invalid()),
    };
    let is_bot = ctx.state.users().get(id).is_some_and(|u| u.bot);
    let bot_info = is_bot.then(|| {
        Box::new(enums::BotInfo::BotInfo(types::BotInfo {
            has_preview_medias: false,
            user_id: Some(id),
            description: None,
            description_photo: None,
            description_document: None,
            commands: Some(Vec::new()),
            menu_button: None,
            privacy_policy_url: None,
            app_settings: None,
            verifier_settings: None,
        }))
    });
    let full = types::UserFull {
        blocked: false,
        phone_calls_available: false,
        phone_calls_private: false,
        can_pin_message: true,
        has_scheduled: false,
        video_calls_available: false,
        voice_messages_forbidden: false,
        translations_disabled: false,
        stories_pinned_available: false,
        blocked_my_stories_from: false,
        wallpaper_overridden: false,
        contact_require_premium: false,
        read_dates_private: false,
        sponsored_enabled: false,
        can_view_revenue: false,
        bot_can_manage_emoji_status: false,
        display_gifts_button: false,
        noforwards_my_enabled: false,
        noforwards_peer_enabled: false,
        unofficial_security_risk: false,
        id,
        about: ctx
            .state
            .users()
            .get(id)
            .map(|u| u.about.clone())
            .filter(|a| !a.is_empty()),
        settings: peer_settings(),
        personal_photo: None,
        profile_photo: None,
        fallback_photo: None,
        notify_settings: default_notify_settings(),
        bot_info,
        pinned_msg_id: None,
        common_chats_count: 0,
        folder_id: None,
        ttl_period: None,
        theme: None,
        private_forward_name: None,
        bot_group_admin_rights: None,
        bot_broadcast_admin_rights: None,
        wallpaper: None,
        stories: None,
        business_work_hours: None,
        business_location: None,
        business_greeting_message: None,
        business_away_message: None,
        business_intro: None,
        birthday: None,
        personal_channel_id: None,
        personal_channel_message: None,
        stargifts_count: None,
        starref_program: None,
        bot_verification: None,
        send_paid_messages_stars: None,
        disallowed_gifts: None,
        stars_rating: None,
        stars_my_pending_rating: None,
        stars_my_pending_rating_date: None,
        main_tab: None,
        saved_music: None,
        note: None,
        bot_manager_id: None,
    };
    Ok(types::users::UserFull {
        full_user: Box::new(enums::UserFull::UserFull(full)),
        chats: Vec::new(),
        users: tl_users(ctx, me, [id]),
    }
    .to_bytes())
}
