//! Pinned dialogs (core.telegram.org/method/messages.toggleDialogPin,
//! /api/folders is not emulated: every dialog is in the main list).
//!
//! A pin is per account: the last pinned dialog comes first, pinned
//! dialogs come before all others in `messages.getDialogs` (see
//! [`super::dialogs`]). The account's other sessions get
//! `updateDialogPinned` (no `pts`, as on Telegram).

use hearth_tl::{enums, functions, types, Identifiable, Serializable};

use super::ctx::{run, RpcCtx, RpcError};
use crate::mailbox::{DialogPeer, Peer};
use crate::rpc::tl::{check, resolve_input_peer, short, Need};
use crate::state::unix_now;

/// Answers `messages.toggleDialogPin`; `None` for any other method.
pub fn dispatch(ctx: &mut RpcCtx<'_>, id: u32, body: &[u8]) -> Option<Result<Vec<u8>, RpcError>> {
    match id {
        functions::messages::ToggleDialogPin::CONSTRUCTOR_ID => {
            Some(run(ctx, body, toggle_dialog_pin))
        }
        _ => None,
    }
}

/// The TL peer of a dialog peer.
pub fn tl_dialog_peer(p: DialogPeer) -> enums::Peer {
    match p {
        DialogPeer::User(user_id) => enums::Peer::PeerUser(types::PeerUser { user_id }),
        DialogPeer::Chat(chat_id) => enums::Peer::PeerChat(types::PeerChat { chat_id }),
        DialogPeer::Channel(channel_id) => {
            enums::Peer::PeerChannel(types::PeerChannel { channel_id })
        }
    }
}

/// `me`'s pinned dialogs as TL peers, the last pinned first.
pub fn pinned_peers(ctx: &RpcCtx<'_>, me: i64) -> Vec<enums::Peer> {
    ctx.state
        .mailboxes()
        .get(me)
        .map(|b| b.pinned.iter().copied().map(tl_dialog_peer).collect())
        .unwrap_or_default()
}

/// `messages.toggleDialogPin` → `boolTrue`; unknown peers are refused as
/// the other methods refuse them (`PEER_ID_INVALID`, `CHANNEL_INVALID`).
fn toggle_dialog_pin(
    ctx: &mut RpcCtx<'_>,
    req: functions::messages::ToggleDialogPin,
) -> Result<Vec<u8>, RpcError> {
    let me = ctx.require_user()?;
    let enums::InputDialogPeer::InputDialogPeer(p) = &req.peer else {
        return Err(RpcError::bad_request("PEER_ID_INVALID"));
    };
    let peer = match &p.peer {
        enums::InputPeer::InputPeerChannel(c) => {
            check(ctx, me, c.channel_id, c.access_hash, Need::Read)?;
            DialogPeer::Channel(c.channel_id)
        }
        other => match resolve_input_peer(ctx, me, other)? {
            Peer::User(u) => DialogPeer::User(u),
            Peer::Chat(c) => DialogPeer::Chat(c),
        },
    };
    {
        let mut boxes = ctx.state.mailboxes();
        let pinned = &mut boxes.get_mut(me).pinned;
        pinned.retain(|x| *x != peer);
        if req.pinned {
            pinned.insert(0, peer);
        }
    }
    let update = enums::Update::UpdateDialogPinned(types::UpdateDialogPinned {
        pinned: req.pinned,
        folder_id: None,
        peer: enums::DialogPeer::DialogPeer(types::DialogPeer {
            peer: tl_dialog_peer(peer),
        }),
    });
    let body = short(update, unix_now() as i32).to_bytes();
    ctx.state
        .push_to_user(me, (ctx.key_id, ctx.session_id), &body);
    Ok(true.to_bytes())
}
