//! Everything the DCs of one localdc share: keys, sessions, users, pending
//! codes, and the data modules' tables ([`ServerState`], with its lock order).

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::{Mutex, MutexGuard};

use crate::keys::ServerKey;
use crate::salts::Salts;
use crate::session_state::SessionState;
use crate::store::{Store, StoredKey};
use crate::users::Users;
use crate::world::World;
use hearth_crypto::hash::sha256;

/// One listening endpoint of an emulated DC.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct DcEndpoint {
    pub id: i32,
    #[serde(skip)]
    pub addr: SocketAddr,
    pub media_only: bool,
}

/// A connection that can receive pushed updates.
#[derive(Debug, Clone)]
pub struct Online {
    pub key_id: u64,
    pub session_id: i64,
    /// (session_id, body) to seal and send on the connection.
    pub tx: tokio::sync::mpsc::UnboundedSender<(i64, Vec<u8>)>,
}

/// A login code sent by `auth.sendCode`.
#[derive(Debug, Clone)]
pub struct PendingCode {
    pub phone_code_hash: String,
    pub code: String,
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    // A panic while holding a lock leaves consistent data here (every update is a
    // single insert or field write), so recover the guard instead of cascading.
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// Everything the DCs of one localdc share, each table behind its own mutex
/// (one accessor each, returning the guard).
///
/// # Lock order
///
/// Code takes one of these mutexes at a time wherever it can: it copies
/// what it needs out of a guard and drops it before taking the next (the
/// store is read for `perm_key_id()` before the fault rules, the mailboxes
/// are met before `users` is read, `push_to_user` copies the online table
/// before it reads keys). Two are held together only in this order, and
/// never the other way:
///
/// 1. `seqs` before `online` and `store`: [`crate::seq::push_updates`]
///    numbers an object and queues it under the counter, so the sessions of
///    an account receive their `seq` values in order; queueing reads the
///    online table, then each target's key (one after the other).
/// 2. `channels` before `files`: a channel message rendered while its
///    channel is borrowed (`rpc::tl::with`, the channel dialogs and
///    search) builds its media (`rpc::media::tl_media`).
///
/// Every other mutex (`sessions`, `first_salts`, `users`, `codes`, `srp`,
/// `mailboxes`, `chats`, `random_ids`, `counter`, `login_tokens`,
/// `phone_book`) and `files`, `online` and `store` themselves are leaves:
/// nothing else is taken while one is held. The fault injector's own
/// mutexes ([`crate::faults`]) are leaves too, and the snapshot writer
/// ([`crate::persist`]) holds its own mutex while it takes the tables one
/// by one.
#[derive(Debug)]
pub struct ServerState {
    pub key: ServerKey,
    pub world: World,
    pub test_mode: bool,
    pub salts: Salts,
    pub endpoints: Vec<DcEndpoint>,
    /// Derives deterministic values (access hashes, code hashes) from `--seed`.
    secret: [u8; 32],
    store: Mutex<Store>,
    sessions: Mutex<HashMap<(u64, i64), SessionState>>,
    first_salts: Mutex<HashMap<u64, (i64, i64)>>,
    users: Mutex<Users>,
    codes: Mutex<HashMap<String, PendingCode>>,
    srp: Mutex<crate::srp::SrpState>,
    mailboxes: Mutex<crate::mailbox::Mailboxes>,
    chats: Mutex<crate::chats::Chats>,
    channels: Mutex<crate::channels::Channels>,
    files: Mutex<crate::files::Files>,
    seqs: Mutex<crate::seq::Seqs>,
    faults: crate::faults::Injector,
    online: Mutex<HashMap<u64, Online>>,
    random_ids: Mutex<crate::random_ids::RandomIds>,
    counter: Mutex<u64>,
    login_tokens: Mutex<crate::login_tokens::LoginTokens>,
    phone_book: Mutex<crate::contacts::PhoneBook>,
}

impl ServerState {
    pub fn new(
        key: ServerKey,
        world: World,
        store: Store,
        endpoints: Vec<DcEndpoint>,
        seed: Option<u64>,
    ) -> Self {
        Self::with_secret(key, world, store, endpoints, secret_from_seed(seed))
    }

    /// Like [`ServerState::new`] with the secret given (one restored from
    /// the state dir, see [`crate::persist`]).
    pub fn with_secret(
        key: ServerKey,
        world: World,
        store: Store,
        endpoints: Vec<DcEndpoint>,
        secret: [u8; 32],
    ) -> Self {
        let salts = Salts::new(
            sha256(&[b"salts", &secret]),
            world.server.salt_rotation_secs,
        );
        let users = Users::from_world(&world, &secret);
        // World history is dated once, so its order does not hang on a
        // clock tick between the tables.
        let started = unix_now() as i32;
        let channels = crate::channels::Channels::from_world(&world, &secret, started);
        let chats = crate::chats::Chats::from_world(&world, started);
        let mut mailboxes = crate::mailbox::Mailboxes::from_world(&world, started);
        // Saved contacts are met: their access hashes are usable.
        for (id, u) in users.iter() {
            for c in &u.contacts {
                mailboxes.meet(id, *c);
            }
        }
        let files = world_files(&world, &secret);
        let faults = crate::faults::Injector::new(secret, &world.faults, world.server.faults());
        Self {
            key,
            test_mode: world.server.test_mode,
            world,
            salts,
            endpoints,
            secret,
            store: Mutex::new(store),
            sessions: Mutex::new(HashMap::new()),
            first_salts: Mutex::new(HashMap::new()),
            users: Mutex::new(users),
            codes: Mutex::new(HashMap::new()),
            srp: Mutex::new(Default::default()),
            mailboxes: Mutex::new(mailboxes),
            channels: Mutex::new(channels),
            chats: Mutex::new(chats),
            files: Mutex::new(files),
            seqs: Mutex::new(Default::default()),
            faults,
            online: Mutex::new(HashMap::new()),
            random_ids: Mutex::new(Default::default()),
            counter: Mutex::new(0),
            login_tokens: Mutex::new(Default::default()),
            phone_book: Mutex::new(Default::default()),
        }
    }

    pub fn lock_sessions(&self) -> MutexGuard<'_, HashMap<(u64, i64), SessionState>> {
        lock(&self.sessions)
    }
    pub fn store(&self) -> MutexGuard<'_, Store> {
        lock(&self.store)
    }
    pub fn users(&self) -> MutexGuard<'_, Users> {
        lock(&self.users)
    }
    pub fn codes(&self) -> MutexGuard<'_, HashMap<String, PendingCode>> {
        lock(&self.codes)
    }
    pub fn srp(&self) -> MutexGuard<'_, crate::srp::SrpState> {
        lock(&self.srp)
    }
    pub fn mailboxes(&self) -> MutexGuard<'_, crate::mailbox::Mailboxes> {
        lock(&self.mailboxes)
    }
    pub fn chats(&self) -> MutexGuard<'_, crate::chats::Chats> {
        lock(&self.chats)
    }
    pub fn channels(&self) -> MutexGuard<'_, crate::channels::Channels> {
        lock(&self.channels)
    }
    pub fn files(&self) -> MutexGuard<'_, crate::files::Files> {
        lock(&self.files)
    }
    pub fn random_ids(&self) -> MutexGuard<'_, crate::random_ids::RandomIds> {
        lock(&self.random_ids)
    }
    pub fn seqs(&self) -> MutexGuard<'_, crate::seq::Seqs> {
        lock(&self.seqs)
    }
    pub fn faults(&self) -> &crate::faults::Injector {
        &self.faults
    }
    pub fn login_tokens(&self) -> MutexGuard<'_, crate::login_tokens::LoginTokens> {
        lock(&self.login_tokens)
    }
    pub fn phone_book(&self) -> MutexGuard<'_, crate::contacts::PhoneBook> {
        lock(&self.phone_book)
    }

    /// Queues `body` (an `Updates` object) for the online session
    /// `(key_id, session_id)` only; false when it is not online.
    pub fn push_to_session(&self, key_id: u64, session_id: i64, body: &[u8]) -> bool {
        let targets: Vec<Online> = lock(&self.online)
            .values()
            .filter(|o| o.key_id == key_id && o.session_id == session_id)
            .cloned()
            .collect();
        let mut sent = false;
        for o in targets {
            // A closed receiver only means the connection is going away.
            sent |= o.tx.send((o.session_id, body.to_vec())).is_ok();
        }
        sent
    }

    /// Registers (or updates) connection `conn` as serving `(key_id, session_id)`.
    pub fn set_online(&self, conn: u64, online: Online) {
        lock(&self.online).insert(conn, online);
    }

    /// The (key_id, session_id) connection `conn` last served.
    pub fn online_key(&self, conn: u64) -> Option<(u64, i64)> {
        lock(&self.online)
            .get(&conn)
            .map(|o| (o.key_id, o.session_id))
    }

    /// A fresh connection number.
    pub fn next_conn_id(&self) -> u64 {
        let mut c = lock(&self.counter);
        *c += 1;
        *c
    }

    /// Forgets a closed connection.
    pub fn set_offline(&self, conn: u64) {
        lock(&self.online).remove(&conn);
    }

    /// Queues `body` (an `Updates` object) for every online session whose
    /// key is signed in as `user`, except the session `(key_id, session_id)`
    /// the change came from.
    pub fn push_to_user(&self, user: i64, except: (u64, i64), body: &[u8]) {
        let now = unix_now();
        let targets: Vec<Online> = lock(&self.online).values().cloned().collect();
        for o in targets {
            if (o.key_id, o.session_id) == except {
                continue;
            }
            let perm = self
                .auth_key(o.key_id, now)
                .and_then(|k| k.perm_key_id)
                .unwrap_or(o.key_id);
            if self.auth_key(perm, now).and_then(|k| k.user_id) == Some(user) {
                // A closed receiver only means the connection is going away.
                let _ = o.tx.send((o.session_id, body.to_vec()));
            }
        }
    }

    /// A fresh `file_reference` for a photo or document, as fetching its
    /// message would hand out ([`crate::file_ref`]).
    pub fn file_reference(&self, kind: crate::file_ref::Kind, id: i64) -> Vec<u8> {
        crate::file_ref::issue(&self.secret, kind, id, crate::file_ref::now_ms())
    }

    pub(crate) fn secret(&self) -> &[u8; 32] {
        &self.secret
    }

    /// 8 bytes derived from the server secret, a label and a running counter.
    pub fn derive(&self, label: &str) -> [u8; 8] {
        let n = {
            let mut c = lock(&self.counter);
            *c += 1;
            *c
        };
        let h = sha256(&[&self.secret, label.as_bytes(), &n.to_le_bytes()]);
        let mut out = [0u8; 8];
        out.copy_from_slice(&h[..8]);
        out
    }

    /// Records the first salt of a new key, valid until `until` (Unix time).
    pub fn set_first_salt(&self, key_id: u64, salt: i64, until: i64) {
        lock(&self.first_salts).insert(key_id, (salt, until));
    }

    /// Retires the current server salt now (and every key's first salt):
    /// the next message with an old salt gets `bad_server_salt`.
    pub fn force_salt_change(&self) {
        self.salts.force_change();
        lock(&self.first_salts).clear();
    }

    pub fn salt_valid(&self, key_id: u64, salt: i64, now: i64) -> bool {
        if self.salts.is_valid(salt, now) {
            return true;
        }
        matches!(lock(&self.first_salts).get(&key_id), Some((s, until)) if *s == salt && now < *until)
    }

    /// The key with this id, if known and not expired.
    pub fn auth_key(&self, id: u64, now: i64) -> Option<StoredKey> {
        let key = match self.store().key(id) {
            Ok(k) => k?,
            Err(e) => {
                tracing::error!("{e}");
                return None;
            }
        };
        match key.expires_at {
            Some(t) if t <= now => None,
            _ => Some(key),
        }
    }

    /// The endpoint of a DC (not media-only).
    pub fn endpoint(&self, dc: i32) -> Option<&DcEndpoint> {
        self.endpoints.iter().find(|e| e.id == dc && !e.media_only)
    }
}

impl crate::seq::Outbox for ServerState {
    fn seqs(&self) -> MutexGuard<'_, crate::seq::Seqs> {
        ServerState::seqs(self)
    }
    fn push_to_user(&self, user: i64, except: (u64, i64), body: &[u8]) {
        ServerState::push_to_user(self, user, except, body)
    }
}

/// The world's photos and documents, registered to be made on first use.
fn world_files(world: &World, secret: &[u8; 32]) -> crate::files::Files {
    let mut files = crate::files::Files::default();
    let home = |name: &str| {
        let account = world.accounts.iter().find(|a| a.name == name);
        let bot = world.bots.iter().find(|b| b.name == name);
        account
            .map(|a| a.home_dc())
            .or(bot.map(|b| b.dc))
            .unwrap_or(2)
    };
    let histories = world.private_chats.iter().map(|c| &c.messages);
    let histories = histories
        .chain(world.groups.iter().map(|g| &g.messages))
        .chain(world.channels.iter().map(|c| &c.messages));
    for m in histories.flatten() {
        let dc = home(&m.from);
        if let Some((id, media)) =
            crate::world_media::media_of(m.photo.as_ref(), m.document.as_ref(), dc)
        {
            let h = sha256(&[secret, b"world media", &id.to_le_bytes()]);
            let hash = i64::from_le_bytes([h[0], h[1], h[2], h[3], h[4], h[5], h[6], h[7]]);
            files.add_world_media(id, hash, unix_now() as i32, media);
        }
    }
    files
}

/// The server secret for `--seed` (random without one).
pub fn secret_from_seed(seed: Option<u64>) -> [u8; 32] {
    match seed {
        Some(s) => sha256(&[b"localdc seed", &s.to_le_bytes()]),
        None => rand::random(),
    }
}

/// Seconds since the Unix epoch.
pub fn unix_now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}
