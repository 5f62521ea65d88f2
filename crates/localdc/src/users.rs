//! Users known to the server: the world's accounts and bots, plus sign-ups.

use std::collections::{BTreeMap, BTreeSet};

use crate::world::World;
use hearth_crypto::hash::sha256;
use hearth_tl::{enums, types};

#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct User {
    pub id: i64,
    /// Per-user secret the viewer-specific access hashes derive from.
    pub access_hash: i64,
    pub first_name: String,
    pub last_name: String,
    pub username: Option<String>,
    pub phone: Option<String>,
    pub bot: bool,
    pub dc: i32,
    pub password: Option<String>,
    pub password_hint: Option<String>,
    /// The profile's bio (`userFull.about`, set by `account.updateProfile`).
    #[serde(default)]
    pub about: String,
    /// Users this user saved as contacts (core.telegram.org/api/contacts).
    pub contacts: BTreeSet<i64>,
    /// Users who saved this user as a contact, with the name each saved.
    pub contact_of: BTreeMap<i64, SavedName>,
}

/// The name a user saved a contact under (`inputPhoneContact.first_name`/
/// `last_name`); Telegram shows contacts to their saver under this name.
/// An empty `first_name` means the contact's own name.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct SavedName {
    pub first_name: String,
    pub last_name: String,
}

impl User {
    /// The `access_hash` `viewer` sees for this user. As on Telegram, it is
    /// specific to the account looking (core.telegram.org/api/peers#access-hash):
    /// a hash one account learnt is no good to another.
    pub fn access_hash_for(&self, viewer: i64) -> i64 {
        let h = sha256(&[
            &self.access_hash.to_le_bytes(),
            b"viewer",
            &viewer.to_le_bytes(),
        ]);
        i64::from_le_bytes([h[0], h[1], h[2], h[3], h[4], h[5], h[6], h[7]])
    }
}

/// Telegram's service account, the sender of login codes.
pub const SERVICE_USER_ID: i64 = 777_000;

#[derive(Debug, Default, serde::Serialize, serde::Deserialize)]
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
                    about: String::new(),
                    contacts: BTreeSet::new(),
                    contact_of: BTreeMap::new(),
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
                    about: String::new(),
                    contacts: BTreeSet::new(),
                    contact_of: BTreeMap::new(),
                },
            );
        }
        for a in &world.accounts {
            let Some(owner) = world.user_id(&a.name) else {
                continue;
            };
            for c in &a.contacts {
                if let Some(whom) = world.user_id(c) {
                    users.add_contact(owner, whom, SavedName::default());
                }
            }
        }
        users.next_id = 1_000_001 + world.accounts.len() as i64 + 1000;
        users
    }

    pub fn get(&self, id: i64) -> Option<&User> {
        self.by_id.get(&id)
    }

    /// Every user, by id.
    pub fn iter(&self) -> impl Iterator<Item = (i64, &User)> {
        self.by_id.iter().map(|(id, u)| (*id, u))
    }

    pub fn by_phone(&self, phone: &str) -> Option<&User> {
        self.by_id
            .values()
            .find(|u| u.phone.as_deref() == Some(phone))
    }

    /// The user with this username (compared case-insensitively).
    pub fn find_username(&self, lowercase: &str) -> Option<&User> {
        self.by_id.values().find(|u| {
            u.username
                .as_deref()
                .is_some_and(|n| n.eq_ignore_ascii_case(lowercase))
        })
    }

    /// The user `id` to change (`account.updateProfile`/`updateUsername`).
    pub fn get_mut(&mut self, id: i64) -> Option<&mut User> {
        self.by_id.get_mut(&id)
    }

    /// `owner` saves `whom` as a contact under `name`; false if either is unknown.
    pub fn add_contact(&mut self, owner: i64, whom: i64, name: SavedName) -> bool {
        if !self.by_id.contains_key(&owner) || !self.by_id.contains_key(&whom) {
            return false;
        }
        if let Some(o) = self.by_id.get_mut(&owner) {
            o.contacts.insert(whom);
        }
        if let Some(w) = self.by_id.get_mut(&whom) {
            w.contact_of.insert(owner, name);
        }
        true
    }

    /// `owner` removes `whom` from its contacts; true if it was one.
    pub fn remove_contact(&mut self, owner: i64, whom: i64) -> bool {
        let was = self
            .by_id
            .get_mut(&owner)
            .is_some_and(|o| o.contacts.remove(&whom));
        if let Some(w) = self.by_id.get_mut(&whom) {
            w.contact_of.remove(&owner);
        }
        was
    }

    /// The service account "Telegram" (user 777000, which sends login codes
    /// and service notices; core.telegram.org/api/auth#we-are-not-a-bot), made
    /// on first use so worlds need not list it. Returns its id.
    pub fn service_account(&mut self, secret: &[u8; 32]) -> i64 {
        self.by_id
            .entry(SERVICE_USER_ID)
            .or_insert_with(|| User {
                id: SERVICE_USER_ID,
                access_hash: access_hash(secret, SERVICE_USER_ID),
                first_name: "Telegram".into(),
                last_name: String::new(),
                username: None,
                phone: Some("42777".into()),
                bot: false,
                dc: 1,
                password: None,
                password_hint: None,
                about: String::new(),
                contacts: BTreeSet::new(),
                contact_of: BTreeMap::new(),
            })
            .id
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
            about: String::new(),
            contacts: BTreeSet::new(),
            contact_of: BTreeMap::new(),
        };
        self.by_id.insert(id, user.clone());
        user
    }
}

/// `user#b1b8cc83` as seen by `viewer`: `self` flag and the phone for
/// oneself only, `userStatusRecently`, `bot_info_version` for bots;
/// `contact` when the viewer saved the user (shown under the name the viewer
/// saved, if any), `mutual_contact` when the user saved the viewer too.
pub fn tl_user(u: &User, viewer: Option<i64>) -> enums::User {
    let is_self = viewer == Some(u.id);
    let saved = viewer.and_then(|v| u.contact_of.get(&v));
    let contact = saved.is_some();
    let mutual = contact && viewer.is_some_and(|v| u.contacts.contains(&v));
    let (first_name, last_name) = match saved {
        Some(n) if !n.first_name.is_empty() => (&n.first_name, &n.last_name),
        _ => (&u.first_name, &u.last_name),
    };
    enums::User::User(types::User {
        self_: is_self,
        contact,
        mutual_contact: mutual,
        deleted: false,
        bot: u.bot,
        bot_chat_history: false,
        bot_nochats: false,
        verified: false,
        restricted: false,
        min: false,
        bot_inline_geo: false,
        support: false,
        scam: false,
        apply_min_photo: false,
        fake: false,
        bot_attach_menu: false,
        premium: false,
        attach_menu_enabled: false,
        bot_can_edit: false,
        close_friend: false,
        stories_hidden: false,
        stories_unavailable: false,
        contact_require_premium: false,
        bot_business: false,
        bot_has_main_app: false,
        bot_forum_view: false,
        bot_forum_can_manage_topics: false,
        bot_can_manage_bots: false,
        bot_guestchat: false,
        bot_guard: false,
        id: u.id,
        access_hash: Some(viewer.map_or(u.access_hash, |v| u.access_hash_for(v))),
        first_name: Some(first_name.clone()),
        last_name: (!last_name.is_empty()).then(|| last_name.clone()),
        username: u.username.clone(),
        phone: if is_self { u.phone.clone() } else { None },
        photo: None,
        status: Some(enums::UserStatus::UserStatusRecently(
            types::UserStatusRecently { by_me: false },
        )),
        bot_info_version: u.bot.then_some(1),
        restriction_reason: None,
        bot_inline_placeholder: None,
        lang_code: None,
        emoji_status: None,
        usernames: None,
        stories_max_id: None,
        color: None,
        profile_color: None,
        bot_active_users: None,
        bot_verification_icon: None,
        send_paid_messages_stars: None,
        linked_community_id: None,
    })
}
