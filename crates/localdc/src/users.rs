//! Users known to the server: the world's accounts and bots, plus sign-ups.

use std::collections::BTreeMap;

use crate::tl::Writer;
use crate::world::World;
use hearth_crypto::hash::sha256;

#[derive(Debug, Clone)]
pub struct User {
    pub id: i64,
    pub access_hash: i64,
    pub first_name: String,
    pub last_name: String,
    pub username: Option<String>,
    pub phone: Option<String>,
    pub bot: bool,
    pub dc: i32,
    pub password: Option<String>,
    pub password_hint: Option<String>,
}

#[derive(Debug, Default)]
pub struct Users {
    by_id: BTreeMap<i64, User>,
    next_id: i64,
}

fn access_hash(secret: &[u8; 32], id: i64) -> i64 {
    let h = sha256(&[secret, b"access_hash", &id.to_le_bytes()]);
    let mut b = [0u8; 8];
    b.copy_from_slice(&h[..8]);
    i64::from_le_bytes(b)
}

impl Users {
    pub fn from_world(world: &World, secret: &[u8; 32]) -> Self {
        let mut users = Users::default();
        for a in &world.accounts {
            let id = world.user_id(&a.name).unwrap_or_default();
            users.by_id.insert(
                id,
                User {
                    id,
                    access_hash: access_hash(secret, id),
                    first_name: a.first_name.clone(),
                    last_name: a.last_name.clone(),
                    username: a.username.clone(),
                    phone: Some(a.phone.clone()),
                    bot: false,
                    dc: a.home_dc(),
                    password: a.password.clone(),
                    password_hint: a.password_hint.clone(),
                },
            );
        }
        for b in &world.bots {
            let id = b.user_id().unwrap_or_default();
            users.by_id.insert(
                id,
                User {
                    id,
                    access_hash: access_hash(secret, id),
                    first_name: b.first_name.clone(),
                    last_name: String::new(),
                    username: Some(b.username.clone()),
                    phone: None,
                    bot: true,
                    dc: b.dc,
                    password: None,
                    password_hint: None,
                },
            );
        }
        users.next_id = 1_000_001 + world.accounts.len() as i64 + 1000;
        users
    }

    pub fn get(&self, id: i64) -> Option<&User> {
        self.by_id.get(&id)
    }

    pub fn by_phone(&self, phone: &str) -> Option<&User> {
        self.by_id
            .values()
            .find(|u| u.phone.as_deref() == Some(phone))
    }

    /// Registers a new account (auth.signUp) and returns it.
    pub fn sign_up(
        &mut self,
        secret: &[u8; 32],
        phone: &str,
        first: &str,
        last: &str,
        dc: i32,
    ) -> User {
        let id = self.next_id;
        self.next_id += 1;
        let user = User {
            id,
            access_hash: access_hash(secret, id),
            first_name: first.into(),
            last_name: last.into(),
            username: None,
            phone: Some(phone.into()),
            bot: false,
            dc,
            password: None,
            password_hint: None,
        };
        self.by_id.insert(id, user.clone());
        user
    }
}

/// Serializes `user#b1b8cc83` as seen by `viewer` (`self` flag, phone visibility).
pub fn write_user(w: &mut Writer, u: &User, viewer: Option<i64>) {
    let is_self = viewer == Some(u.id);
    let mut flags: u32 = 1 | 2; // access_hash, first_name
    if !u.last_name.is_empty() {
        flags |= 1 << 2;
    }
    if u.username.is_some() {
        flags |= 1 << 3;
    }
    let show_phone = is_self && u.phone.is_some();
    if show_phone {
        flags |= 1 << 4;
    }
    flags |= 1 << 6; // status
    if is_self {
        flags |= 1 << 10;
    }
    if u.bot {
        flags |= 1 << 14;
    }
    w.id(0xb1b8cc83)
        .int(flags as i32)
        .int(0)
        .long(u.id)
        .long(u.access_hash)
        .string(&u.first_name);
    if !u.last_name.is_empty() {
        w.string(&u.last_name);
    }
    if let Some(name) = &u.username {
        w.string(name);
    }
    if show_phone {
        w.string(u.phone.as_deref().unwrap_or_default());
    }
    // userStatusRecently#7b197dc8 flags:# by_me:flags.0?true
    w.id(0x7b197dc8).int(0);
    if u.bot {
        w.int(1); // bot_info_version
    }
}
