//! What tests send requests through ([`Conn`]): a raw `hearth-sender`
//! [`Sender`], or (in [`super::account`]) an account's hearth-client or a
//! wire session; and their failures as the server's RPC error
//! ([`RpcFailure`]), (code, message) exactly as sent.
#![allow(dead_code)]

use std::any::Any;

use hearth_client::ClientError;
use hearth_sender::{InvocationError, Sender};
use hearth_tl::RemoteCall;

/// Something a test sends requests through: an
/// [`super::account::Account`]'s client, a [`super::account::Wire`] or a
/// plain [`Sender`]. Failures turn into (code, message) with
/// [`super::engine::rpc_err`].
#[allow(async_fn_in_trait)]
pub trait Conn {
    type Error: RpcFailure + std::fmt::Debug;
    async fn invoke<R>(&self, req: &R) -> Result<R::Return, Self::Error>
    where
        R: RemoteCall,
        R::Return: Any;
}

impl Conn for Sender {
    type Error = InvocationError;
    async fn invoke<R>(&self, req: &R) -> Result<R::Return, InvocationError>
    where
        R: RemoteCall,
        R::Return: Any,
    {
        Sender::invoke(self, req).await
    }
}

/// An error that should be an RPC error of the server.
pub trait RpcFailure {
    /// (code, message exactly as the server sent it).
    fn rpc(self) -> (i32, String);
}

impl RpcFailure for InvocationError {
    fn rpc(self) -> (i32, String) {
        match self {
            InvocationError::Rpc(e) => (e.code, e.message),
            other => panic!("expected rpc_error, got {other}"),
        }
    }
}

impl RpcFailure for ClientError {
    /// The client keeps `rpc_error`s it does not handle as they came, and
    /// turns the ones meaning "not signed in" into `Unauthorized` with the
    /// server's message as the reason.
    fn rpc(self) -> (i32, String) {
        match self {
            ClientError::Rpc(e) => (e.code, e.message),
            ClientError::Unauthorized { reason, .. } if reason == "AUTH_KEY_DUPLICATED" => {
                (406, reason)
            }
            ClientError::Unauthorized { reason, .. } => (401, reason),
            other => panic!("expected rpc_error, got {other}"),
        }
    }
}
