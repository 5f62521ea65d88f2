//! `users.getUsers`, `updates.getState` and `updates.getDifference`.

use hearth_tl::{enums, functions, types, Serializable};

use super::{RpcCtx, RpcError};
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

/// The account's `updates.state`: its box's `pts` and its `seq`
/// ([`crate::seq`]).
fn state_of(ctx: &RpcCtx<'_>, me: i64) -> types::updates::State {
    let pts = ctx.state.mailboxes().get(me).map_or(1, |b| b.pts);
    types::updates::State {
        pts,
        qts: 0,
        date: crate::state::unix_now() as i32,
        seq: ctx.state.seqs().current(me),
        unread_count: 0,
    }
}

/// `updates.getState`.
pub fn get_state(ctx: &mut RpcCtx<'_>) -> Result<Vec<u8>, RpcError> {
    let me = ctx.require_user()?;
    Ok(state_of(ctx, me).to_bytes())
}

/// `updates.getDifference`: the messages whose `pts` is above the client's,
/// with the new state, or `updates.differenceEmpty` when it is current;
/// sliced or too long as [`super::difference`] decides.
pub fn get_difference(
    ctx: &mut RpcCtx<'_>,
    req: functions::updates::GetDifference,
) -> Result<Vec<u8>, RpcError> {
    let me = ctx.require_user()?;
    if req.pts <= 0 {
        return Err(RpcError::bad_request("PERSISTENT_TIMESTAMP_EMPTY"));
    }
    let state = state_of(ctx, me);
    let server = &ctx.state.world.server;
    let limits = super::difference::Limits {
        slice: server.difference_limit,
        too_long: server.difference_too_long,
    }
    .narrowed(req.pts_limit, req.pts_total_limit);
    let limit = match super::difference::plan(req.pts, state.pts, limits) {
        super::difference::Plan::Empty => {
            return Ok(types::updates::DifferenceEmpty {
                date: state.date,
                seq: state.seq,
            }
            .to_bytes())
        }
        super::difference::Plan::TooLong => {
            return Ok(types::updates::DifferenceTooLong { pts: state.pts }.to_bytes())
        }
        super::difference::Plan::Events { limit } => limit,
    };
    let mut new = ctx
        .state
        .mailboxes()
        .get(me)
        .map(|b| b.since(req.pts))
        .unwrap_or_default();
    let sliced_at = super::difference::cut(&mut new, limit, |m| m.pts);
    let users = super::messages::tl_users(
        ctx,
        me,
        std::iter::once(me).chain(new.iter().flat_map(|m| [m.peer, m.from])),
    );
    let new_messages = new
        .iter()
        .map(|m| super::messages::tl_message_with(ctx, m))
        .collect();
    if let Some(pts) = sliced_at {
        let date = new.last().map_or(state.date, |m| m.date);
        return Ok(types::updates::DifferenceSlice {
            new_messages,
            new_encrypted_messages: Vec::new(),
            other_updates: Vec::new(),
            chats: Vec::new(),
            users,
            intermediate_state: enums::updates::State::State(types::updates::State {
                pts,
                date,
                ..state
            }),
        }
        .to_bytes());
    }
    Ok(types::updates::Difference {
        new_messages,
        new_encrypted_messages: Vec::new(),
        other_updates: Vec::new(),
        chats: Vec::new(),
        users,
        state: enums::updates::State::State(state),
    }
    .to_bytes())
}
