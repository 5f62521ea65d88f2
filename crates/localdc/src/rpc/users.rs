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
                .filter(|u| hash.is_none_or(|h| h == u.access_hash))
        })
        .map(|u| tl_user(u, Some(me)))
        .collect();
    Ok(found.to_bytes())
}

/// `updates.getState`: a fresh account's state (no updates have happened yet).
pub fn get_state(ctx: &mut RpcCtx<'_>) -> Result<Vec<u8>, RpcError> {
    ctx.require_user()?;
    Ok(types::updates::State {
        pts: 1,
        qts: 0,
        date: crate::state::unix_now() as i32,
        seq: 1,
        unread_count: 0,
    }
    .to_bytes())
}

/// `updates.getDifference` → `updates.differenceEmpty`: nothing has happened yet
/// (the world's messages are history, not updates).
pub fn get_difference(
    ctx: &mut RpcCtx<'_>,
    req: functions::updates::GetDifference,
) -> Result<Vec<u8>, RpcError> {
    ctx.require_user()?;
    if req.pts <= 0 {
        return Err(RpcError::bad_request("PERSISTENT_TIMESTAMP_EMPTY"));
    }
    Ok(types::updates::DifferenceEmpty {
        date: crate::state::unix_now() as i32,
        seq: 1,
    }
    .to_bytes())
}
