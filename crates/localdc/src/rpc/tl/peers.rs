//! Input peers read with Telegram's access rules
//! (core.telegram.org/api/peers#access-hash): a user or channel the account
//! has not met, or a wrong `access_hash`, is `PEER_ID_INVALID` /
//! `CHANNEL_INVALID`; a basic group it never was in is `CHAT_ID_INVALID`; a
//! private channel it is no member of is `CHANNEL_PRIVATE`.

use hearth_tl::enums;

use crate::channels::Channel;
use crate::chats::Membership;
use crate::mailbox::Peer;
use crate::rpc::ctx::{RpcCtx, RpcError};

/// The user behind an input peer, if `me` may address it: itself, or a user
/// it has met with the right access_hash; anything else is `PEER_ID_INVALID`.
pub fn resolve_peer(ctx: &RpcCtx<'_>, me: i64, peer: &enums::InputPeer) -> Result<i64, RpcError> {
    let invalid = || RpcError::bad_request("PEER_ID_INVALID");
    match peer {
        enums::InputPeer::InputPeerSelf => Ok(me),
        enums::InputPeer::InputPeerUser(p) => {
            let known = ctx
                .state
                .users()
                .get(p.user_id)
                .is_some_and(|u| u.access_hash_for(me) == p.access_hash);
            if known && ctx.state.mailboxes().has_met(me, p.user_id) {
                Ok(p.user_id)
            } else {
                Err(invalid())
            }
        }
        _ => Err(invalid()),
    }
}

/// The dialog behind an input peer, if `me` may address it: users as in
/// [`resolve_peer`], a basic group `me` is or was in; a group it never was
/// in is `CHAT_ID_INVALID`.
pub fn resolve_input_peer(
    ctx: &RpcCtx<'_>,
    me: i64,
    peer: &enums::InputPeer,
) -> Result<Peer, RpcError> {
    match peer {
        enums::InputPeer::InputPeerChat(c) => {
            let chats = ctx.state.chats();
            match chats.get(c.chat_id).map(|chat| chat.membership(me)) {
                None | Some(Membership::Stranger) => Err(RpcError::bad_request("CHAT_ID_INVALID")),
                Some(_) => Ok(Peer::Chat(c.chat_id)),
            }
        }
        other => resolve_peer(ctx, me, other).map(Peer::User),
    }
}

/// The signed-in user, if it is not a bot: methods "only users can use"
/// answer `BOT_METHOD_INVALID` to bots.
pub fn require_person(ctx: &RpcCtx<'_>) -> Result<i64, RpcError> {
    let me = ctx.require_user()?;
    if ctx.state.users().get(me).is_some_and(|u| u.bot) {
        return Err(RpcError::bad_request("BOT_METHOD_INVALID"));
    }
    Ok(me)
}

/// What a request needs of the channel beyond having met it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Need {
    /// Only the right `access_hash` (join, leave).
    Met,
    /// The right `access_hash`, even of a deleted channel (getChannels,
    /// which shows it as `channelForbidden`).
    Seen,
    /// Reading: members, or anyone for a public channel.
    Read,
}

/// Checks `(id, access_hash)` for `me`; see the module docs for the errors.
pub fn check(
    ctx: &RpcCtx<'_>,
    me: i64,
    id: i64,
    access_hash: i64,
    need: Need,
) -> Result<(), RpcError> {
    let all = ctx.state.channels();
    let ch = all
        .get(id)
        .filter(|c| c.access_hash_for(me) == access_hash && all.has_met(me, id))
        .ok_or_else(|| RpcError::bad_request("CHANNEL_INVALID"))?;
    if need != Need::Seen && ch.deleted {
        return Err(RpcError::bad_request("CHANNEL_INVALID"));
    }
    if need == Need::Read && !ch.is_member(me) && !ch.is_public() {
        return Err(RpcError::bad_request("CHANNEL_PRIVATE"));
    }
    Ok(())
}

/// The channel id behind an `InputChannel`, checked with [`check`].
pub fn input_channel(
    ctx: &RpcCtx<'_>,
    me: i64,
    input: &enums::InputChannel,
    need: Need,
) -> Result<i64, RpcError> {
    match input {
        enums::InputChannel::InputChannel(c) => {
            check(ctx, me, c.channel_id, c.access_hash, need)?;
            Ok(c.channel_id)
        }
        _ => Err(RpcError::bad_request("CHANNEL_INVALID")),
    }
}

/// Runs `f` on the channel `id` (which a check found to exist).
pub fn with<T>(
    ctx: &RpcCtx<'_>,
    id: i64,
    f: impl FnOnce(&mut Channel) -> T,
) -> Result<T, RpcError> {
    let mut all = ctx.state.channels();
    let ch = all
        .get_mut(id)
        .ok_or_else(|| RpcError::bad_request("CHANNEL_INVALID"))?;
    Ok(f(ch))
}
