//! The update task: one per client, driving `hearth_session`'s
//! [`MessageBox`] with real time and real requests. It holds only a weak
//! reference to the client, so a dropped client ends it, and it stops at
//! once on shutdown, whatever it waits for.
//!
//! Loop: fetch the state after sign-in (`updates.getState`); fetch every
//! difference the box asks for (`getDifference`, `getChannelDifference`);
//! then wait for a push, an `Updates` answer, a sign-in, or the box's next
//! deadline. Failed differences are retried after a pause; a signed-out
//! session waits for the next sign-in.

use std::sync::{Arc, Weak};
use std::time::{Duration, Instant};

use hearth_sender::sender::UpdateEvent;
use hearth_session::updates::{Applied, ChannelDiffEnd, MessageBox};
use hearth_session::UpdateState;
use hearth_tl::{enums, functions, Deserializable};
use tokio::sync::{mpsc, watch};

use super::{Delivery, Update};
use crate::client::Inner;
use crate::conn::ConnKind;
use crate::error::ClientError;
use crate::invoke::Target;

/// Pause before a failed difference is asked for again.
const RETRY_PAUSE: Duration = Duration::from_secs(2);

/// What woke the loop.
enum Wake {
    Stop,
    Push(UpdateEvent),
    Answer(Box<enums::Updates>),
    SignedIn,
    Deadline,
    Keepalive,
}

pub(super) struct Task {
    client: Weak<Inner>,
    pushes: mpsc::Receiver<UpdateEvent>,
    answered: mpsc::UnboundedReceiver<enums::Updates>,
    delivered: mpsc::UnboundedSender<Delivery>,
    stop: watch::Receiver<bool>,
    signed_in: Arc<tokio::sync::Notify>,
    mbox: MessageBox,
    catch_up: bool,
    /// Fetching paused until the next sign-in (the session is signed out).
    paused: bool,
    /// When a failed fetch may be tried again.
    retry_at: Option<Instant>,
    /// When the home DC's main connection is touched next.
    keepalive_at: tokio::time::Instant,
}

impl Task {
    #[allow(clippy::too_many_arguments)]
    pub(super) fn new(
        client: Weak<Inner>,
        pushes: mpsc::Receiver<UpdateEvent>,
        answered: mpsc::UnboundedReceiver<enums::Updates>,
        delivered: mpsc::UnboundedSender<Delivery>,
        stop: watch::Receiver<bool>,
        signed_in: Arc<tokio::sync::Notify>,
        state: Option<UpdateState>,
        catch_up: bool,
    ) -> Self {
        let mbox = match state {
            Some(s) if catch_up => MessageBox::load(s, Instant::now()),
            _ => MessageBox::new(),
        };
        Self {
            client,
            pushes,
            answered,
            delivered,
            stop,
            signed_in,
            mbox,
            catch_up,
            paused: false,
            retry_at: None,
            keepalive_at: tokio::time::Instant::now(),
        }
    }

    pub(super) async fn run(mut self) {
        loop {
            if self.catch_up && !self.paused && self.retry_at.is_none_or(|t| t <= Instant::now()) {
                self.retry_at = None;
                match self.fetch().await {
                    Ok(()) => {}
                    Err(ClientError::Shutdown) => return,
                    Err(ClientError::Unauthorized { .. }) => {
                        tracing::info!("updates paused: the session is signed out");
                        self.paused = true;
                    }
                    Err(e) => {
                        tracing::warn!("fetching updates failed, retrying in {RETRY_PAUSE:?}: {e}");
                        self.retry_at = Some(Instant::now() + RETRY_PAUSE);
                    }
                }
            }
            match self.wait().await {
                Wake::Stop => return,
                Wake::Push(UpdateEvent::Update(bytes)) => {
                    match enums::Updates::from_bytes(&bytes) {
                        Ok(u) => self.process(u),
                        Err(e) => tracing::warn!("undecodable update push dropped: {e}"),
                    }
                }
                Wake::Push(UpdateEvent::NewSession) => self.mbox.request_difference(),
                Wake::Answer(u) => self.process(*u),
                Wake::SignedIn => {
                    self.paused = false;
                    self.retry_at = None;
                }
                Wake::Deadline => self.mbox.check_deadlines(Instant::now()),
                Wake::Keepalive => {
                    if self.keep_home_open().await.is_err() {
                        return;
                    }
                }
            }
        }
    }

    async fn wait(&mut self) -> Wake {
        let now = Instant::now();
        let mut deadline = self.mbox.next_deadline(now);
        if let Some(t) = self.retry_at {
            deadline = deadline.min(t);
        }
        let sleep = tokio::time::sleep_until(tokio::time::Instant::from_std(deadline));
        let keepalive = tokio::time::sleep_until(self.keepalive_at);
        tokio::select! {
            _ = keepalive => Wake::Keepalive,
            _ = self.stop.wait_for(|s| *s) => Wake::Stop,
            push = self.pushes.recv() => push.map_or(Wake::Stop, Wake::Push),
            answer = self.answered.recv() => answer.map_or(Wake::Stop, |a| Wake::Answer(Box::new(a))),
            _ = self.signed_in.notified() => Wake::SignedIn,
            _ = sleep => Wake::Deadline,
        }
    }

    /// Touches (or reopens) the home DC's main connection of a signed-in
    /// client, so pushes keep arriving; `Err` when the client is gone.
    async fn keep_home_open(&mut self) -> Result<(), ClientError> {
        let inner = self.inner()?;
        self.keepalive_at = tokio::time::Instant::now() + inner.keepalive;
        if !self.catch_up || !inner.is_signed_in() {
            return Ok(());
        }
        let home = inner.home_dc();
        tokio::select! {
            r = inner.conns.get(home, ConnKind::Main) => match r {
                Err(ClientError::Shutdown) => Err(ClientError::Shutdown),
                Err(e) => {
                    tracing::warn!("reopening the connection to DC {home} failed: {e}");
                    Ok(())
                }
                Ok(_) => Ok(()),
            },
            _ = self.stop.wait_for(|s| *s) => Err(ClientError::Shutdown),
        }
    }

    fn inner(&self) -> Result<Arc<Inner>, ClientError> {
        self.client.upgrade().ok_or(ClientError::Shutdown)
    }

    /// Takes out `updateLoginToken`, then feeds the box and delivers what it
    /// made ready.
    fn process(&mut self, updates: enums::Updates) {
        let Ok(inner) = self.inner() else {
            return;
        };
        if let enums::Updates::UpdateShort(s) = &updates {
            if matches!(*s.update, enums::Update::UpdateLoginToken) {
                inner.updates.login_token_arrived();
                return;
            }
        }
        if !self.catch_up {
            return;
        }
        match self.mbox.process_updates(updates, Instant::now()) {
            Ok(applied) => self.deliver(&inner, applied),
            // A difference is needed: the loop fetches it next.
            Err(gap) => tracing::debug!("{gap}"),
        }
    }

    /// Gets the state after sign-in and every difference the box asks for.
    async fn fetch(&mut self) -> Result<(), ClientError> {
        let inner = self.inner()?;
        if !inner.is_signed_in() {
            return Ok(());
        }
        if let Some(me) = inner.me() {
            self.mbox.set_bot(me.bot);
        }
        if self.mbox.is_empty() {
            let enums::updates::State::State(s) = inner
                .call(Target::Home, &functions::updates::GetState {}, true)
                .await?;
            self.mbox.set_state(s, Instant::now());
            let ready = self.mbox.take_ready();
            self.deliver(&inner, ready);
            inner
                .updates
                .save_or_defer(&*inner.storage, self.mbox.state());
        }
        while let Some(req) = self.mbox.get_difference(Instant::now()) {
            let d = inner.call(Target::Home, &req, true).await?;
            let applied = self.mbox.apply_difference(d, Instant::now());
            self.deliver_and_save(&inner, applied);
        }
        loop {
            let req = {
                let peers = inner.peers();
                self.mbox.get_channel_difference(&peers, Instant::now())
            };
            let Some(req) = req else { break };
            let channel_id = match &req.channel {
                enums::InputChannel::InputChannel(c) => c.channel_id,
                _ => break,
            };
            match inner.call(Target::Home, &req, true).await {
                Ok(d) => {
                    let applied = self
                        .mbox
                        .apply_channel_difference(channel_id, d, Instant::now());
                    self.deliver_and_save(&inner, applied);
                }
                Err(ClientError::Rpc(e)) => match ChannelDiffEnd::from_rpc_error(&e.name) {
                    Some(end) => self
                        .mbox
                        .end_channel_difference(channel_id, end, Instant::now()),
                    None => return Err(ClientError::Rpc(e)),
                },
                Err(e) => return Err(e),
            }
        }
        for note in self.mbox.take_notes() {
            tracing::warn!("{note}");
        }
        Ok(())
    }

    fn deliver_and_save(&mut self, inner: &Arc<Inner>, applied: Applied) {
        let delivered = !applied.updates.is_empty();
        self.deliver(inner, applied);
        if !delivered {
            inner
                .updates
                .save_or_defer(&*inner.storage, self.mbox.state());
        }
    }

    /// Hands `applied` to the app (entities to the peer cache first); the
    /// last update carries the state to save once it is taken.
    fn deliver(&mut self, inner: &Arc<Inner>, applied: Applied) {
        inner.absorb_entities(&applied.users, &applied.chats);
        if applied.updates.is_empty() {
            return;
        }
        let users = Arc::new(applied.users);
        let chats = Arc::new(applied.chats);
        let last = applied.updates.len() - 1;
        let state = self.mbox.state();
        for (i, update) in applied.updates.into_iter().enumerate() {
            inner.apply_peer_update(&update);
            if let enums::Update::UpdateUser(u) = &update {
                if inner.me().is_some_and(|me| me.user_id == u.user_id) {
                    refetch_self(inner);
                }
            }
            let delivery = Delivery {
                update: Update {
                    update,
                    users: users.clone(),
                    chats: chats.clone(),
                },
                state_after: (i == last).then(|| state.clone()),
            };
            inner.updates.queued();
            if self.delivered.send(delivery).is_err() {
                return;
            }
        }
    }
}

/// `updateUser` for the account itself: its profile changed; ask for it
/// (the answer feeds the peer cache and [`crate::Client::profile`]).
fn refetch_self(inner: &Arc<Inner>) {
    let weak = Arc::downgrade(inner);
    tokio::spawn(async move {
        let Some(inner) = weak.upgrade() else { return };
        let req = functions::users::GetUsers {
            id: vec![enums::InputUser::InputUserSelf],
        };
        if let Err(e) = inner.call(Target::Home, &req, true).await {
            tracing::info!("refreshing the account's own profile failed: {e}");
        }
    });
}
