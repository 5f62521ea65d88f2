//! Keeps an open account's [`ConnectionState`] current while its client runs, from the
//! status hearth-client pushes ([`Client::connection_status`]) the moment the home DC's
//! main connection connects, drops or schedules a retry, or the server refuses the
//! sign-in. Nothing is sampled: each change is forwarded as it happens, as an
//! [`crate::AccountEvent::State`] when the sidebar's state changes.

use std::sync::Weak;

use hearth_client::{Client, ConnectionStatus};
use hearth_store::AccountId;

use super::{Accounts, Inner};
use crate::view::ConnectionState;

/// The sidebar's state for a client's status; `None` once the client closed.
pub(crate) fn state_of(status: &ConnectionStatus) -> Option<ConnectionState> {
    Some(match status {
        ConnectionStatus::Connecting | ConnectionStatus::Reconnecting { .. } => {
            ConnectionState::Connecting
        }
        ConnectionStatus::Online => ConnectionState::Online,
        ConnectionStatus::Unreachable { .. } => ConnectionState::Unreachable,
        ConnectionStatus::SignedOut { .. } => ConnectionState::SignedOut,
        ConnectionStatus::Closed => return None,
    })
}

/// Follows `client` of account `id` until it stops or the service is gone. Only clients
/// with an update loop keep a connection open, so the CLI's one-shot clients are not
/// followed.
pub(crate) fn follow(accounts: &Accounts, id: AccountId, client: Client) {
    if !accounts.options().catch_up {
        return;
    }
    super::profile::follow(accounts, id, &client);
    let service: Weak<Inner> = std::sync::Arc::downgrade(&accounts.inner);
    let mut status = client.connection_status();
    tokio::spawn(async move {
        loop {
            let current = status.borrow_and_update().clone();
            if let ConnectionStatus::Reconnecting {
                attempt,
                last_error,
                ..
            } = &current
            {
                tracing::info!(account = %id, attempt, error = %last_error, "reconnecting");
            }
            let Some(state) = state_of(&current) else {
                return;
            };
            let Some(inner) = service.upgrade() else {
                return;
            };
            let accounts = Accounts { inner };
            if !accounts.set_state_while_open(id, &client, state) {
                return;
            }
            drop(accounts);
            if status.changed().await.is_err() {
                return;
            }
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::SystemTime;

    #[test]
    fn each_client_status_maps_to_the_sidebar_state() {
        let cases = [
            (
                ConnectionStatus::Connecting,
                Some(ConnectionState::Connecting),
            ),
            (ConnectionStatus::Online, Some(ConnectionState::Online)),
            (
                ConnectionStatus::Reconnecting {
                    attempt: 2,
                    since: SystemTime::now(),
                    last_error: "eof".into(),
                    next_retry: None,
                },
                Some(ConnectionState::Connecting),
            ),
            (
                ConnectionStatus::Unreachable {
                    error: "refused".into(),
                    next_retry: Some(SystemTime::now()),
                },
                Some(ConnectionState::Unreachable),
            ),
            (
                ConnectionStatus::SignedOut {
                    reason: "AUTH_KEY_UNREGISTERED".into(),
                },
                Some(ConnectionState::SignedOut),
            ),
            (ConnectionStatus::Closed, None),
        ];
        for (status, state) in cases {
            assert_eq!(state_of(&status), state, "{status:?}");
        }
    }
}
