//! hearth-sender: the only I/O layer of the Hearth MTProto engine.
//!
//! * [`connect`] opens the byte stream: direct TCP, SOCKS5, HTTP `CONNECT`,
//!   or MTProxy (TCP, optionally through a proxy, plus obfuscated2).
//! * [`sender`] runs one tokio task per connection driving the sans-IO
//!   MTProto session: pipelined requests, timeouts, cancellation,
//!   reconnection with resend, keepalive pings and clean shutdown.
//! * `test_support` (feature `test-support`): loopback SOCKS5/HTTP proxies
//!   and misbehaving peers for the tests of this crate and of its users.

pub mod connect;
pub mod sender;
#[cfg(feature = "test-support")]
pub mod test_support;

pub use sender::{InvocationError, Migrate, RemoteCall, RpcError, Sender};
