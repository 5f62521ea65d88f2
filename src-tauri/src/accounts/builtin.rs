//! The app's built-in Local test network as the account service sees it:
//! the diagnostics' in-process localdc, started on first use, announced by
//! the JSON line it would print. Accounts on it keep working across app
//! runs: the state directory stays, the ports are read anew each time.

use std::sync::Arc;

use hearth_accounts::{AnnouncementFuture, BuiltinLocalNetwork};

use crate::diagnostics::Diagnostics;

/// [`BuiltinLocalNetwork`] over the app's [`Diagnostics`].
pub struct AppLocalNetwork(pub Arc<Diagnostics>);

impl BuiltinLocalNetwork for AppLocalNetwork {
    fn announcement(&self) -> AnnouncementFuture<'_> {
        Box::pin(async move { self.0.local_announcement().await.map_err(|e| e.message) })
    }
}
