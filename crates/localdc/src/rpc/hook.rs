//! The fault hook: before a query's handler runs, the media-only endpoints'
//! refusal and the fault rules of [`crate::faults`] may answer it instead.

use crate::faults::calls::{is_wrapper, media_allowed};
use crate::faults::ARMED_CALLS;
use crate::rpc::ctx::{RpcCtx, RpcError};

/// Whether `name` (world account/bot name or phone) is the user `user`.
fn is_account(ctx: &RpcCtx<'_>, user: Option<i64>, name: &str) -> bool {
    let Some(user) = user else { return false };
    let world = &ctx.state.world;
    let by_phone = world
        .accounts
        .iter()
        .position(|a| a.phone == name)
        .map(|i| 1_000_001 + i as i64);
    world.user_id(name).or(by_phone) == Some(user)
}

/// Decides whether query `id` is refused before its handler runs, in this
/// order: media-only refusal (`400 INPUT_METHOD_INVALID`; Telegram documents
/// no dedicated error, and this is what it answers a method an endpoint does
/// not serve), `406 AUTH_KEY_DUPLICATED` for an invalidated key, then for
/// non-wrapper queries `303 NETWORK_MIGRATE_X`, injected `500` errors and
/// `420 FLOOD_WAIT_X`.
pub fn before_call(ctx: &RpcCtx<'_>, id: u32) -> Result<(), RpcError> {
    if ctx.media_only && !media_allowed(id) {
        tracing::debug!("method {id:#010x} refused on a media-only DC");
        return Err(RpcError::bad_request("INPUT_METHOD_INVALID"));
    }
    let faults = ctx.state.faults();
    if faults.is_invalidated(ctx.key_id, || ctx.perm_key_id()) {
        return Err(RpcError::new(406, "AUTH_KEY_DUPLICATED"));
    }
    if is_wrapper(id) || !faults.armed(ARMED_CALLS) {
        return Ok(());
    }
    // Store lookups happen outside the rules' lock.
    let key = ctx.perm_key_id();
    let needs_user = faults
        .rules()
        .calls
        .migrates
        .iter()
        .any(|r| r.account.is_some());
    let user = if needs_user { ctx.user_id() } else { None };
    let now_ms = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as i64);
    let mut rules = faults.rules();
    if let Some(to) = rules
        .calls
        .migrate_for(id, ctx.dc_id, |name| is_account(ctx, user, name))
    {
        return Err(RpcError::new(303, format!("NETWORK_MIGRATE_{to}")));
    }
    if let Some(error) = rules.calls.error_for(id, faults.secret()) {
        return Err(RpcError::new(500, error));
    }
    if let Some(wait) = rules.floods.check(id, key, now_ms, faults.secret()) {
        return Err(RpcError::new(420, format!("FLOOD_WAIT_{wait}")));
    }
    Ok(())
}
