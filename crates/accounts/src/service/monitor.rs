//! Keeps an open account's [`ConnectionState`] current while its client runs: online while
//! the home DC's main connection is open, connecting while the client is re-establishing it,
//! signed out once the client no longer holds a signed-in user, offline when it stopped.
//!
//! hearth-client has no connection-state notification, so this samples the client's own
//! view (`is_connected`, `me`, `is_shut_down`) every [`PERIOD`]; the sample costs three
//! lock reads, and only changes are announced.

use std::sync::Weak;
use std::time::Duration;

use hearth_client::{Client, ConnKind};
use hearth_store::AccountId;

use super::{Accounts, Inner};
use crate::view::ConnectionState;

/// How often the state is sampled.
pub(crate) const PERIOD: Duration = Duration::from_millis(500);

/// The state the client's own view shows.
fn sample(client: &Client) -> Option<ConnectionState> {
    if client.is_shut_down() {
        return None;
    }
    Some(if client.me().is_none() {
        ConnectionState::SignedOut
    } else if client.is_connected(client.home_dc(), ConnKind::Main) {
        ConnectionState::Online
    } else {
        ConnectionState::Connecting
    })
}

/// Follows `client` of account `id` until it stops or the service is gone. Only clients
/// with an update loop keep a connection open, so the CLI's one-shot clients are not
/// followed.
pub(crate) fn follow(accounts: &Accounts, id: AccountId, client: Client) {
    if !accounts.options().catch_up {
        return;
    }
    let service: Weak<Inner> = std::sync::Arc::downgrade(&accounts.inner);
    tokio::spawn(async move {
        loop {
            tokio::select! {
                _ = tokio::time::sleep(PERIOD) => {}
                _ = client.closed() => return,
            }
            let Some(inner) = service.upgrade() else {
                return;
            };
            let accounts = Accounts { inner };
            let Some(state) = sample(&client) else { return };
            if !accounts.set_state_while_open(id, &client, state) {
                return;
            }
        }
    });
}
