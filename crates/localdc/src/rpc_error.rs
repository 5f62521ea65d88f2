//! The `rpc_error` a request is answered with (core.telegram.org/api/errors):
//! an HTTP-like code and a `SCREAMING_CASE` message. It lives below the
//! method handlers because data modules decide some answers themselves (a
//! repeated `random_id`, [`crate::random_ids`]); `rpc` re-exports it.

use hearth_tl::DeserializeError;

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

impl From<DeserializeError> for RpcError {
    fn from(e: DeserializeError) -> Self {
        tracing::debug!("undecodable request: {e}");
        RpcError::bad_request("INPUT_REQUEST_INVALID")
    }
}

impl From<crate::store::StoreError> for RpcError {
    fn from(e: crate::store::StoreError) -> Self {
        RpcError::internal(e)
    }
}
