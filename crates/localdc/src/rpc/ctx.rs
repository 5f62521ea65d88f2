//! What every method handler shares: the request's context ([`RpcCtx`]) and
//! decoding a request into its generated function type. Handlers import
//! these from here, never from [`crate::rpc`], whose dispatch imports them.

use hearth_tl::Deserializable;

pub use crate::rpc_error::RpcError;
use crate::state::ServerState;

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

/// Decodes `body` as `T` and answers it with `f` (for the `dispatch`
/// functions of the method modules).
pub fn run<T: Deserializable>(
    ctx: &mut RpcCtx<'_>,
    body: &[u8],
    f: fn(&mut RpcCtx<'_>, T) -> Result<Vec<u8>, RpcError>,
) -> Result<Vec<u8>, RpcError> {
    f(ctx, T::from_bytes(body)?)
}

/// Decodes a request as the generated function type `T`.
pub fn decode<T: Deserializable>(body: &[u8]) -> Result<T, RpcError> {
    Ok(T::from_bytes(body)?)
}
