//! hearth-sender: the only I/O layer of the Hearth MTProto engine.
//!
//! * [`connect`] opens the byte stream: direct TCP, SOCKS5, HTTP `CONNECT`,
//!   or MTProxy (TCP, optionally through a proxy, plus obfuscated2).
//! * [`sender`] runs one tokio task per connection driving the sans-IO
//!   MTProto session over `hearth-transport`'s pipeline: pipelined
//!   requests, timeouts, cancellation, reconnection with resend, keepalive
//!   pings and clean shutdown. Errors are typed: [`InvocationError::Rpc`]
//!   carries the [`RpcError`] parsed once in `hearth-mtproto` (with
//!   [`RpcError::flood_wait`] and [`RpcError::migrate`]).
//! * [`pool`] keeps one account's connections: at most one per DC and
//!   [`ConnKind`] (main or media), opened lazily, shared by concurrent
//!   callers, closed when idle and replaced when dead, all along the
//!   account's route. Connections are opened by a [`Dialer`] from the layer
//!   above, which owns addresses and auth keys.
//! * `test_support` (feature `test-support`): loopback SOCKS5/HTTP proxies
//!   and misbehaving peers for the tests of this crate and of its users.

pub mod connect;
pub mod pool;
pub mod sender;
#[cfg(feature = "test-support")]
pub mod test_support;

pub use pool::{ConnKind, ConnState, DialTarget, Dialer, Pool, PoolConfig, PoolError};
pub use sender::{InvocationError, LinkState, Migrate, RemoteCall, RpcError, Sender};
