//! `messages.sendMedia` to a basic group (core.telegram.org/method/messages.sendMedia,
//! core.telegram.org/api/updates): the photo or document lands in every
//! member's box with that box's id and `pts`, like a text message
//! ([`super::chats`]). Unlike text, a media message is never pushed as
//! `updateShortChatMessage` (it has no room for media): every member gets
//! `updates` with the `updateNewMessage`, and the sender's answer is
//! `updates` with `updateMessageID` first and the sender's next `seq`.

use hearth_tl::{enums, types, Serializable};

use super::ctx::{RpcCtx, RpcError};
use crate::state::unix_now;

/// The members of basic group `chat` if `me` may write to it: a group that
/// does not exist is `CHAT_ID_INVALID`, one `me` left is 403
/// `CHAT_WRITE_FORBIDDEN`.
pub fn writable_members(ctx: &RpcCtx<'_>, me: i64, chat: i64) -> Result<Vec<i64>, RpcError> {
    let chats = ctx.state.chats();
    let c = chats
        .get(chat)
        .ok_or_else(|| RpcError::bad_request("CHAT_ID_INVALID"))?;
    if !c.is_member(me) {
        return Err(RpcError::new(403, "CHAT_WRITE_FORBIDDEN"));
    }
    Ok(c.member_ids())
}

/// Posts stored photo or document `media` with `caption` from `me` to
/// `chat` and answers as the module docs say.
pub fn send_media_to_chat(
    ctx: &RpcCtx<'_>,
    me: i64,
    chat: i64,
    caption: &str,
    media: i64,
    random_id: i64,
) -> Result<Vec<u8>, RpcError> {
    let members = writable_members(ctx, me, chat)?;
    let date = unix_now() as i32;
    let copies = ctx.state.mailboxes().post_media_to_chat(
        me,
        chat,
        &members,
        (caption, None, Some(media)),
        date,
        true,
    );
    let sent = copies
        .iter()
        .find(|(u, _)| *u == me)
        .map(|(_, m)| m.id)
        .ok_or_else(|| RpcError::internal("a member's message has no copy in its box"))?;
    let mut answer = super::chats::deliver(ctx, me, &copies, date, true);
    answer.updates.insert(
        0,
        enums::Update::UpdateMessageId(types::UpdateMessageId {
            id: sent,
            random_id,
        }),
    );
    Ok(answer.to_bytes())
}
