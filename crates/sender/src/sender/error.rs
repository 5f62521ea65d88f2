//! Why a request did not get its answer.

use std::sync::Arc;
use std::time::Duration;

pub use hearth_mtproto::{Migrate, RpcError};

use crate::connect::ConnectError;

#[derive(Debug, Clone, thiserror::Error)]
pub enum InvocationError {
    /// The server answered with `rpc_error` (parsed once in
    /// `hearth-mtproto`: see [`RpcError::flood_wait`] and
    /// [`RpcError::migrate`]).
    #[error("the server returned error {}: {}", .0.code, .0.message)]
    Rpc(RpcError),

    /// The server rejected the request's message with
    /// `bad_msg_notification` and the session could not correct it
    /// (core.telegram.org/mtproto/service_messages_about_messages).
    #[error("the server rejected the request's message (bad_msg_notification {code}); repeating it unchanged will not help")]
    BadMessage { code: i32 },

    /// No answer arrived within the request's timeout.
    #[error("no answer within {} s; the request was abandoned", .0.as_secs_f32())]
    Timeout(Duration),

    /// The sender was shut down before the answer arrived.
    #[error("the connection was shut down before the answer arrived")]
    Shutdown,

    /// Reconnecting failed for good, or new connections were rejected
    /// again and again: [`ConnectError::AuthKeyUnknown`] (the server forgot
    /// the key, sign in again) or a repeated transport error.
    #[error("the connection was lost and could not be re-established: {0}")]
    Connect(Arc<ConnectError>),

    /// The server or protocol rejected the connection in a way reconnecting
    /// cannot fix.
    #[error("the connection failed: {0}")]
    Protocol(String),

    /// The answer arrived but could not be read as the expected type.
    #[error("the answer could not be decoded: {0}")]
    Decode(String),
}

impl InvocationError {
    /// The `rpc_error`, if the server answered with one.
    pub fn rpc(&self) -> Option<&RpcError> {
        match self {
            InvocationError::Rpc(e) => Some(e),
            _ => None,
        }
    }

    /// Whether this is `rpc_error` named `name` (e.g. `"FLOOD_WAIT"`).
    pub fn is_rpc(&self, name: &str) -> bool {
        self.rpc().is_some_and(|e| e.is(name))
    }
}
