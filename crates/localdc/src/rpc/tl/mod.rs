//! What the method handlers share, below all of them: the TL objects they
//! build from the data modules (users, chats, channels, messages, peers,
//! authorizations, the answers that carry them) and the TL inputs they read
//! with Telegram's rules (input peers with their access hashes, search
//! filters). Handlers import from here and never from one another's
//! modules for these; nothing here imports a handler. Photos and documents
//! are built by [`crate::rpc::media`], which sits at this level too.
//!
//! The submodules import each other by name; the flat names below are for
//! the handlers.

pub mod authorization;
pub mod channel;
pub mod entities;
pub mod filter;
pub mod message;
pub mod message_extra;
pub mod peers;

pub use authorization::{
    authorization, authorization_with_hash, new_hash, require_human, sign_in_key, tl_authorization,
};
pub use channel::{
    admin_rights, channel_dialogs, channel_messages_answer, creator_rights, full_channel,
    message_users, met_users, peer_channel, tl_channel, tl_channel_message, tl_dialog,
    ChannelDialog,
};
pub use entities::{
    chats_of, entities_of, short, tl_chat, tl_participants, tl_peer, tl_service, tl_users,
    updates_for, users_met, users_of,
};
pub use filter::{filter_flags, limit_of, MediaKind};
pub use message::{
    check_text, default_notify_settings, deleted_update, messages_page, peer_user, short_sent,
    text_message, tl_message, tl_message_for, tl_message_with, EDIT_TIME_LIMIT,
};
pub use message_extra::{
    annotate, apply, entities, fwd_header, replace_entities, reply_header, reply_to_id, Sent,
};
pub use peers::{check, input_channel, resolve_input_peer, resolve_peer, with, Need};
