//! API methods: unwrapping of invoke wrappers and dispatch to the method handlers.
//!
//! Unknown constructors are answered as Telegram does: `rpc_error` 400
//! `INPUT_METHOD_INVALID`; methods that need a signed-in user answer 401
//! `AUTH_KEY_UNREGISTERED` on a key that has none.

pub mod auth;
pub mod bind;
pub mod help;
pub mod users;

use crate::state::ServerState;
use crate::tl::{Reader, TlError};

const INVOKE_WITH_LAYER: u32 = 0xda9b0d0d;
const INIT_CONNECTION: u32 = 0xc1cd5ea9;
const INVOKE_WITHOUT_UPDATES: u32 = 0xbf9459b7;
const INVOKE_AFTER_MSG: u32 = 0xcb9f372d;
const INVOKE_AFTER_MSGS: u32 = 0x3dc4b4f0;

/// An `rpc_error` to answer with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RpcError {
    pub code: i32,
    pub message: String,
}

impl RpcError {
    pub fn new(code: i32, message: impl Into<String>) -> Self {
        Self {
            code,
            message: message.into(),
        }
    }
    pub fn bad_request(message: impl Into<String>) -> Self {
        Self::new(400, message)
    }
    pub fn internal(what: impl std::fmt::Display) -> Self {
        tracing::error!("internal error: {what}");
        Self::new(500, "INTERNAL_SERVER_ERROR")
    }
}

impl From<TlError> for RpcError {
    fn from(e: TlError) -> Self {
        tracing::debug!("undecodable request: {e}");
        RpcError::bad_request("INPUT_REQUEST_INVALID")
    }
}

impl From<crate::store::StoreError> for RpcError {
    fn from(e: crate::store::StoreError) -> Self {
        RpcError::internal(e)
    }
}

/// What a method handler knows about the request.
pub struct RpcCtx<'a> {
    pub state: &'a ServerState,
    pub dc_id: i32,
    pub media_only: bool,
    pub key_id: u64,
    pub session_id: i64,
    pub msg_id: i64,
}

impl RpcCtx<'_> {
    /// The permanent key this request's key stands for (itself unless bound).
    pub fn perm_key_id(&self) -> u64 {
        let now = crate::state::unix_now();
        self.state
            .auth_key(self.key_id, now)
            .and_then(|k| k.perm_key_id)
            .unwrap_or(self.key_id)
    }

    /// The signed-in user of this key, if any.
    pub fn user_id(&self) -> Option<i64> {
        let now = crate::state::unix_now();
        self.state.auth_key(self.perm_key_id(), now)?.user_id
    }

    pub fn require_user(&self) -> Result<i64, RpcError> {
        self.user_id()
            .ok_or_else(|| RpcError::new(401, "AUTH_KEY_UNREGISTERED"))
    }
}

/// Skips one `JSONValue` (initConnection's `params`).
fn skip_json(r: &mut Reader<'_>, depth: u32) -> Result<(), RpcError> {
    if depth > 32 {
        return Err(RpcError::bad_request("INPUT_REQUEST_INVALID"));
    }
    match r.id()? {
        0x3f6d7b68 => {}
        0xc7345e6a => {
            r.bool()?;
        }
        0x2be0dfa4 => {
            r.long()?;
        }
        0xb71e767a => {
            r.bytes()?;
        }
        0xf7444763 => {
            r.expect(0x1cb5c415, "Vector")?;
            for _ in 0..r.int()?.max(0) {
                skip_json(r, depth + 1)?;
            }
        }
        0x99c1d49d => {
            r.expect(0x1cb5c415, "Vector")?;
            for _ in 0..r.int()?.max(0) {
                r.expect(0xc0de1bd9, "jsonObjectValue")?;
                r.bytes()?;
                skip_json(r, depth + 1)?;
            }
        }
        _ => return Err(RpcError::bad_request("INPUT_REQUEST_INVALID")),
    }
    Ok(())
}

/// Answers one query (the body of a content-related message).
pub fn call(ctx: &mut RpcCtx<'_>, body: &[u8]) -> Result<Vec<u8>, RpcError> {
    let mut r = Reader::new(body);
    let id = r.id()?;
    match id {
        INVOKE_WITH_LAYER => {
            let layer = r.int()?;
            ctx.state.store().set_layer(ctx.key_id, layer)?;
            call(ctx, r.remaining())
        }
        INIT_CONNECTION => {
            let flags = r.int()?;
            let api_id = r.int()?;
            let device = r.string()?;
            let system = r.string()?;
            let app = r.string()?;
            for _ in 0..3 {
                r.bytes()?;
            }
            if flags & 1 != 0 {
                r.expect(0x75588b3f, "inputClientProxy")?;
                r.bytes()?;
                r.int()?;
            }
            if flags & 2 != 0 {
                skip_json(&mut r, 0)?;
            }
            tracing::info!(api_id, device, system, app, "initConnection");
            call(ctx, r.remaining())
        }
        INVOKE_WITHOUT_UPDATES => call(ctx, r.remaining()),
        INVOKE_AFTER_MSG => {
            r.long()?;
            call(ctx, r.remaining())
        }
        INVOKE_AFTER_MSGS => {
            r.vec_long()?;
            call(ctx, r.remaining())
        }
        help::GET_CONFIG => help::get_config(ctx),
        help::GET_NEAREST_DC => help::get_nearest_dc(ctx),
        auth::SEND_CODE => auth::send_code(ctx, &mut r),
        auth::SIGN_IN => auth::sign_in(ctx, &mut r),
        auth::SIGN_UP => auth::sign_up(ctx, &mut r),
        auth::LOG_OUT => auth::log_out(ctx),
        bind::BIND_TEMP_AUTH_KEY => bind::bind_temp_auth_key(ctx, &mut r),
        users::GET_USERS => users::get_users(ctx, &mut r),
        users::GET_STATE => users::get_state(ctx),
        users::GET_DIFFERENCE => users::get_difference(ctx, &mut r),
        other => {
            tracing::debug!("unknown method {other:#010x}");
            Err(RpcError::bad_request("INPUT_METHOD_INVALID"))
        }
    }
}
