//! `updates.getChannelDifference` (core.telegram.org/method/updates.getChannelDifference,
//! core.telegram.org/api/updates#channel-pts): what happened in a channel's
//! own update box after the client's `pts`.

use hearth_tl::{enums, functions as f, types, Serializable};

use crate::channels::{ChannelMessage, Event};
use crate::rpc::ctx::{RpcCtx, RpcError};
use crate::rpc::tl::{
    input_channel, message_users, met_users, tl_channel, tl_channel_message, tl_dialog, with, Need,
};

/// How long (seconds) a client waits before polling the channel again,
/// sent as `timeout` of every channel difference.
pub const DIFFERENCE_TIMEOUT: i32 = 30;

/// The most updates one `getChannelDifference` returns to users (bots may
/// ask for up to 100000), as on Telegram.
const USER_DIFFERENCE_LIMIT: i32 = 100;

/// `updates.getChannelDifference`: what happened in the channel's box after
/// the client's `pts`. `channelDifferenceEmpty` when it is current,
/// `channelDifferenceTooLong` (with the dialog and the newest messages) when
/// the gap exceeds `limit`, else `channelDifference` with the new messages
/// and `updateEditChannelMessage`/`updateDeleteChannelMessages` for edits
/// and deletions in `other_updates`; all `final`.
pub fn get_channel_difference(
    ctx: &mut RpcCtx<'_>,
    req: f::updates::GetChannelDifference,
) -> Result<Vec<u8>, RpcError> {
    let me = ctx.require_user()?;
    let id = input_channel(ctx, me, &req.channel, Need::Read)?;
    if req.pts <= 0 {
        return Err(RpcError::bad_request("PERSISTENT_TIMESTAMP_EMPTY"));
    }
    let bot = ctx.state.users().get(me).is_some_and(|u| u.bot);
    let max = if bot { 100_000 } else { USER_DIFFERENCE_LIMIT };
    let limit = req.limit.clamp(1, max);
    let timeout = Some(DIFFERENCE_TIMEOUT);
    use enums::updates::ChannelDifference as D;
    let (mut diff, senders) = with(ctx, id, |ch| {
        if req.pts > ch.pts {
            return Err(RpcError::bad_request("PERSISTENT_TIMESTAMP_INVALID"));
        }
        if req.pts == ch.pts {
            let empty = types::updates::ChannelDifferenceEmpty {
                final_: true,
                pts: ch.pts,
                timeout,
            };
            return Ok((D::ChannelDifferenceEmpty(empty), Vec::new()));
        }
        if ch.pts - req.pts > limit {
            let newest: Vec<&ChannelMessage> =
                ch.messages.values().rev().take(limit as usize).collect();
            let too_long = types::updates::ChannelDifferenceTooLong {
                final_: true,
                timeout,
                dialog: tl_dialog(ch, me),
                messages: newest
                    .iter()
                    .map(|m| tl_channel_message(ctx, ch, m, me))
                    .collect(),
                chats: vec![tl_channel(ch, me)],
                users: Vec::new(),
            };
            return Ok((D::ChannelDifferenceTooLong(too_long), message_users(newest)));
        }
        let mut new_messages = Vec::new();
        let mut other_updates = Vec::new();
        let mut senders = Vec::new();
        for e in ch.since(req.pts) {
            match &e.event {
                Event::New { id } => {
                    if let Some(m) = ch.messages.get(id) {
                        senders.extend(message_users([m]));
                        new_messages.push(tl_channel_message(ctx, ch, m, me));
                    }
                }
                Event::Edit { id } => {
                    if let Some(m) = ch.messages.get(id) {
                        senders.extend(message_users([m]));
                        other_updates.push(enums::Update::UpdateEditChannelMessage(
                            types::UpdateEditChannelMessage {
                                message: Box::new(tl_channel_message(ctx, ch, m, me)),
                                pts: e.pts,
                                pts_count: e.pts_count,
                            },
                        ));
                    }
                }
                Event::Delete { ids } => {
                    other_updates.push(enums::Update::UpdateDeleteChannelMessages(
                        types::UpdateDeleteChannelMessages {
                            channel_id: ch.id,
                            messages: ids.clone(),
                            pts: e.pts,
                            pts_count: e.pts_count,
                        },
                    ))
                }
            }
        }
        let diff = types::updates::ChannelDifference {
            final_: true,
            pts: ch.pts,
            timeout,
            new_messages,
            other_updates,
            chats: vec![tl_channel(ch, me)],
            users: Vec::new(),
        };
        Ok((D::ChannelDifference(diff), senders))
    })??;
    let users = met_users(ctx, me, senders);
    match &mut diff {
        D::ChannelDifferenceEmpty(_) => {}
        D::ChannelDifferenceTooLong(d) => d.users = users,
        D::ChannelDifference(d) => d.users = users,
    }
    Ok(diff.to_bytes())
}
