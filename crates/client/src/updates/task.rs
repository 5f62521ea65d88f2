//! The update task: one per client, holding only a weak reference to it so
//! a dropped client ends the task, and stopping at once on shutdown.

use std::sync::{Arc, Weak};

use hearth_sender::sender::UpdateEvent;
use hearth_session::UpdateState;
use hearth_tl::{enums, Deserializable};
use tokio::sync::{mpsc, watch};

use super::{Delivery, Update};
use crate::client::Inner;

pub(super) async fn run(
    client: Weak<Inner>,
    mut pushes: mpsc::Receiver<UpdateEvent>,
    mut answered: mpsc::UnboundedReceiver<enums::Updates>,
    delivered: mpsc::UnboundedSender<Delivery>,
    mut stop: watch::Receiver<bool>,
    _state: Option<UpdateState>,
    catch_up: bool,
) {
    loop {
        let updates = tokio::select! {
            _ = stop.wait_for(|s| *s) => return,
            push = pushes.recv() => match push {
                Some(UpdateEvent::Update(bytes)) => match enums::Updates::from_bytes(&bytes) {
                    Ok(u) => u,
                    Err(e) => {
                        tracing::warn!("undecodable update push dropped: {e}");
                        continue;
                    }
                },
                Some(UpdateEvent::NewSession) => continue,
                None => return,
            },
            answer = answered.recv() => match answer {
                Some(u) => u,
                None => return,
            },
        };
        let Some(inner) = client.upgrade() else {
            return;
        };
        if take_login_token(&inner, &updates) || !catch_up {
            continue;
        }
        deliver_unordered(&inner, updates, &delivered);
    }
}

/// Whether `updates` is `updateShort { updateLoginToken }` (QR login).
fn take_login_token(inner: &Arc<Inner>, updates: &enums::Updates) -> bool {
    match updates {
        enums::Updates::UpdateShort(s) if matches!(*s.update, enums::Update::UpdateLoginToken) => {
            inner.updates.login_token_arrived();
            true
        }
        _ => false,
    }
}

fn deliver_unordered(
    inner: &Arc<Inner>,
    updates: enums::Updates,
    delivered: &mpsc::UnboundedSender<Delivery>,
) {
    let (list, users, chats) = match updates {
        enums::Updates::Updates(u) => (u.updates, u.users, u.chats),
        enums::Updates::UpdatesCombined(u) => (u.updates, u.users, u.chats),
        enums::Updates::UpdateShort(s) => (vec![*s.update], Vec::new(), Vec::new()),
        _ => return,
    };
    inner.absorb_entities(&users, &chats);
    let users = Arc::new(users);
    let chats = Arc::new(chats);
    for update in list {
        let _ = delivered.send(Delivery {
            update: Update {
                update,
                users: users.clone(),
                chats: chats.clone(),
            },
            state_after: None,
        });
    }
}
