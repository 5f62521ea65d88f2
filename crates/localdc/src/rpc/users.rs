//! `users.getUsers`, `updates.getState` and `updates.getDifference`.

use hearth_tl::{enums, functions, types, Serializable};

use super::ctx::{RpcCtx, RpcError};
use crate::mailbox::{Change, StoredMessage};
use crate::rpc::tl::tl_peer;
use crate::users::tl_user;

/// `users.getUsers`: `inputUserSelf` and `inputUser` with a matching access hash;
/// others are left out of the answer, as Telegram does.
pub fn get_users(
    ctx: &mut RpcCtx<'_>,
    req: functions::users::GetUsers,
) -> Result<Vec<u8>, RpcError> {
    let me = ctx.require_user()?;
    if req.id.len() > 200 {
        return Err(RpcError::bad_request("LIMIT_INVALID"));
    }
    let mut ids = Vec::new();
    for input in req.id {
        match input {
            enums::InputUser::InputUserSelf => ids.push((me, None)),
            enums::InputUser::InputUser(u) => ids.push((u.user_id, Some(u.access_hash))),
            enums::InputUser::InputUserEmpty => {}
            _ => return Err(RpcError::bad_request("USER_ID_INVALID")),
        }
    }
    let users = ctx.state.users();
    let found: Vec<enums::User> = ids
        .iter()
        .filter_map(|(id, hash)| {
            users
                .get(*id)
                .filter(|u| hash.is_none_or(|h| h == u.access_hash_for(me)))
        })
        .map(|u| tl_user(u, Some(me)))
        .collect();
    Ok(found.to_bytes())
}

/// The account's `updates.state`: its box's `pts` and unread count, and its
/// `seq` ([`crate::seq`]).
fn state_of(ctx: &RpcCtx<'_>, me: i64) -> types::updates::State {
    let (pts, unread_count) = ctx
        .state
        .mailboxes()
        .get(me)
        .map_or((1, 0), |b| (b.pts, b.total_unread()));
    types::updates::State {
        pts,
        qts: 0,
        date: crate::state::unix_now() as i32,
        seq: ctx.state.seqs().current(me),
        unread_count,
    }
}

/// `updates.getState`.
pub fn get_state(ctx: &mut RpcCtx<'_>) -> Result<Vec<u8>, RpcError> {
    let me = ctx.require_user()?;
    Ok(state_of(ctx, me).to_bytes())
}

/// `updates.getDifference` (core.telegram.org/api/updates#fetching-the-difference):
/// the box's events with `pts` above the client's, in `pts` order — new
/// messages (still in the box) as `new_messages`, edits, deletions and read
/// marks as `other_updates` — with the new state, or
/// `updates.differenceEmpty` when the client is current. How much one answer
/// covers is [`super::difference`]'s decision: at most the world's
/// `difference_limit` events (fewer with `pts_limit`) per answer, the rest
/// left for the next call after an `updates.differenceSlice` whose
/// `intermediate_state` has the `pts` reached; a gap above
/// `difference_too_long` (or `pts_total_limit`) is
/// `updates.differenceTooLong`.
pub fn get_difference(
    ctx: &mut RpcCtx<'_>,
    req: functions::updates::GetDifference,
) -> Result<Vec<u8>, RpcError> {
    use super::difference::{plan, Limits, Plan};
    let me = ctx.require_user()?;
    if req.pts <= 0 {
        return Err(RpcError::bad_request("PERSISTENT_TIMESTAMP_EMPTY"));
    }
    let state = state_of(ctx, me);
    let server = &ctx.state.world.server;
    let limits = Limits {
        slice: server.difference_limit,
        too_long: server.difference_too_long,
    }
    .narrowed(req.pts_limit, req.pts_total_limit);
    let cap = match plan(req.pts, state.pts, limits) {
        Plan::Empty => {
            return Ok(types::updates::DifferenceEmpty {
                date: state.date,
                seq: state.seq,
            }
            .to_bytes())
        }
        Plan::TooLong => return Ok(types::updates::DifferenceTooLong { pts: state.pts }.to_bytes()),
        Plan::Events { limit } => limit.max(1),
    };
    let (new, other, reached) = replay(ctx, me, req.pts, cap);
    let (users, chats) = crate::rpc::tl::entities_of(ctx, me, &new);
    let new_messages = new
        .iter()
        .map(|m| crate::rpc::tl::tl_message_with(ctx, m))
        .collect();
    if let Some(pts) = reached.filter(|p| *p < state.pts) {
        return Ok(types::updates::DifferenceSlice {
            new_messages,
            new_encrypted_messages: Vec::new(),
            other_updates: other,
            chats,
            users,
            intermediate_state: enums::updates::State::State(types::updates::State {
                pts,
                ..state
            }),
        }
        .to_bytes());
    }
    Ok(types::updates::Difference {
        new_messages,
        new_encrypted_messages: Vec::new(),
        other_updates: other,
        chats,
        users,
        state: enums::updates::State::State(state),
    }
    .to_bytes())
}

/// Up to `cap` of the box's changes after `after`: the new messages still
/// stored, the other changes as updates carrying their `pts`, and the `pts`
/// of the last change taken.
fn replay(
    ctx: &RpcCtx<'_>,
    me: i64,
    after: i32,
    cap: usize,
) -> (Vec<StoredMessage>, Vec<enums::Update>, Option<i32>) {
    let boxes = ctx.state.mailboxes();
    let Some(b) = boxes.get(me) else {
        return (Vec::new(), Vec::new(), None);
    };
    let mut new = Vec::new();
    let mut other = Vec::new();
    let mut reached = None;
    for e in b.since(after).take(cap) {
        reached = Some(e.pts);
        match &e.change {
            Change::NewMessage { id } => new.extend(b.message(*id).cloned()),
            Change::Edit { id } => {
                if let Some(m) = b.message(*id) {
                    other.push(enums::Update::UpdateEditMessage(types::UpdateEditMessage {
                        message: Box::new(crate::rpc::tl::tl_message(m)),
                        pts: e.pts,
                        pts_count: e.pts_count,
                    }));
                }
            }
            Change::Delete { ids } => other.push(enums::Update::UpdateDeleteMessages(
                types::UpdateDeleteMessages {
                    messages: ids.clone(),
                    pts: e.pts,
                    pts_count: e.pts_count,
                },
            )),
            Change::ReadInbox {
                peer,
                max_id,
                still_unread,
            } => other.push(enums::Update::UpdateReadHistoryInbox(
                types::UpdateReadHistoryInbox {
                    folder_id: None,
                    peer: tl_peer(*peer),
                    top_msg_id: None,
                    max_id: *max_id,
                    still_unread_count: *still_unread,
                    pts: e.pts,
                    pts_count: e.pts_count,
                },
            )),
            Change::ReadOutbox { peer, max_id } => other.push(
                enums::Update::UpdateReadHistoryOutbox(types::UpdateReadHistoryOutbox {
                    peer: tl_peer(*peer),
                    max_id: *max_id,
                    pts: e.pts,
                    pts_count: e.pts_count,
                }),
            ),
        }
    }
    (new, other, reached)
}
