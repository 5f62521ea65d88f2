//! Why a request did not get its answer.

use std::sync::Arc;
use std::time::Duration;

use crate::connect::ConnectError;

#[derive(Debug, Clone, thiserror::Error)]
pub enum InvocationError {
    /// The server answered with `rpc_error`.
    #[error("the server returned error {code}: {message}")]
    Rpc { code: i32, message: String },

    /// No answer arrived within the request's timeout.
    #[error("no answer within {} s; the request was abandoned", .0.as_secs_f32())]
    Timeout(Duration),

    /// The sender was shut down before the answer arrived.
    #[error("the connection was shut down before the answer arrived")]
    Shutdown,

    /// Reconnecting failed for good.
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
