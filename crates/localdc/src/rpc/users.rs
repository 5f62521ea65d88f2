//! `users.getUsers`, `updates.getState` and `updates.getDifference`.

use super::{RpcCtx, RpcError};
use crate::tl::{Reader, Writer};
use crate::users::write_user;

pub const GET_USERS: u32 = 0x0d91a548;
pub const GET_STATE: u32 = 0xedd4882a;
pub const GET_DIFFERENCE: u32 = 0x19c2f763;

/// `users.getUsers`: `inputUserSelf` and `inputUser` with a matching access hash;
/// others are left out of the answer, as Telegram does.
pub fn get_users(ctx: &mut RpcCtx<'_>, r: &mut Reader<'_>) -> Result<Vec<u8>, RpcError> {
    let me = ctx.require_user()?;
    r.expect(0x1cb5c415, "Vector")?;
    let n = r.int()?;
    if !(0..=200).contains(&n) {
        return Err(RpcError::bad_request("LIMIT_INVALID"));
    }
    let mut ids = Vec::new();
    for _ in 0..n {
        match r.id()? {
            0xf7c1b13f => ids.push((me, None)),
            0xf21158c6 => {
                let id = r.long()?;
                let hash = r.long()?;
                ids.push((id, Some(hash)));
            }
            0xb98886cf => {}
            _ => return Err(RpcError::bad_request("USER_ID_INVALID")),
        }
    }
    let users = ctx.state.users();
    let found: Vec<_> = ids
        .iter()
        .filter_map(|(id, hash)| {
            users
                .get(*id)
                .filter(|u| hash.is_none_or(|h| h == u.access_hash))
        })
        .collect();
    let mut w = Writer::new();
    w.id(0x1cb5c415).int(found.len() as i32);
    for u in found {
        write_user(&mut w, u, Some(me));
    }
    Ok(w.finish())
}

/// `updates.getState`: a fresh account's state (no updates have happened yet).
pub fn get_state(ctx: &mut RpcCtx<'_>) -> Result<Vec<u8>, RpcError> {
    ctx.require_user()?;
    let mut w = Writer::new();
    w.id(0xa56c2a3e)
        .int(1)
        .int(0)
        .int(crate::state::unix_now() as i32)
        .int(1)
        .int(0);
    Ok(w.finish())
}

/// `updates.getDifference` → `updates.differenceEmpty`: nothing has happened yet
/// (the world's messages are history, not updates).
pub fn get_difference(ctx: &mut RpcCtx<'_>, r: &mut Reader<'_>) -> Result<Vec<u8>, RpcError> {
    ctx.require_user()?;
    let flags = r.int()?;
    let pts = r.int()?;
    if flags & 2 != 0 {
        r.int()?;
    }
    if flags & 1 != 0 {
        r.int()?;
    }
    let _date = r.int()?;
    let _qts = r.int()?;
    if pts <= 0 {
        return Err(RpcError::bad_request("PERSISTENT_TIMESTAMP_EMPTY"));
    }
    let mut w = Writer::new();
    w.id(0x5d75a138).int(crate::state::unix_now() as i32).int(1);
    Ok(w.finish())
}
