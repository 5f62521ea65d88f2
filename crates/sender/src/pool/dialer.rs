//! How the pool gets a new connection: a [`Dialer`] supplied by the layer
//! above (`hearth-client`), which knows the DC addresses and the auth keys.

use std::future::Future;
use std::pin::Pin;

use super::ConnKind;
use crate::connect::Route;
use crate::Sender;

/// What to open: one connection to `dc` of `kind`, along the pool's route.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DialTarget {
    pub dc: i32,
    pub kind: ConnKind,
    /// The account's route (direct or its proxy); every connection of a
    /// pool uses the same one.
    pub route: Route,
}

/// Why dialing failed: any error of the dialer (usually a
/// [`ConnectError`](crate::connect::ConnectError), or a storage error while
/// loading the auth key). Its message should name the DC and what to do.
pub type DialError = Box<dyn std::error::Error + Send + Sync>;

/// The future a [`Dialer`] returns.
pub type DialFuture = Pin<Box<dyn Future<Output = Result<Sender, DialError>> + Send>>;

/// Opens connections for a [`Pool`](super::Pool).
///
/// Given a [`DialTarget`] the dialer picks the address (for
/// [`ConnKind::Media`] the DC's media-only address when it has one), loads
/// or creates the DC's auth key, and connects a [`Sender`]. The pool calls
/// it at most once at a time per `(dc, kind)` and runs it on a task of its
/// own, so a caller giving up does not abandon a half-made connection.
///
/// Closures `Fn(DialTarget) -> impl Future<Output = Result<Sender,
/// DialError>>` are dialers.
pub trait Dialer: Send + Sync + 'static {
    fn dial(&self, target: DialTarget) -> DialFuture;
}

impl<F, Fut> Dialer for F
where
    F: Fn(DialTarget) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = Result<Sender, DialError>> + Send + 'static,
{
    fn dial(&self, target: DialTarget) -> DialFuture {
        Box::pin(self(target))
    }
}
