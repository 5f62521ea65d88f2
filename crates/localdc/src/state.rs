//! Everything the DCs of one localdc share: keys, sessions, users, pending codes.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::{Mutex, MutexGuard};

use crate::keys::ServerKey;
use crate::session::salts::Salts;
use crate::session::SessionState;
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
    srp: Mutex<crate::rpc::password::SrpState>,
    counter: Mutex<u64>,
}

impl ServerState {
    pub fn new(
        key: ServerKey,
        world: World,
        store: Store,
        endpoints: Vec<DcEndpoint>,
        seed: Option<u64>,
    ) -> Self {
        let secret = match seed {
            Some(s) => sha256(&[b"localdc seed", &s.to_le_bytes()]),
            None => rand::random(),
        };
        let salts = Salts::new(
            sha256(&[b"salts", &secret]),
            world.server.salt_rotation_secs,
        );
        let users = Users::from_world(&world, &secret);
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
            counter: Mutex::new(0),
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
    pub fn srp(&self) -> MutexGuard<'_, crate::rpc::password::SrpState> {
        lock(&self.srp)
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

/// Seconds since the Unix epoch.
pub fn unix_now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}
