//! `406 AUTH_KEY_DUPLICATED`: Telegram invalidates an auth key used
//! concurrently from two different IP addresses ("the authorization key was
//! used under two different IP addresses simultaneously, and can no longer be
//! used", core.telegram.org/api/errors#406-not-acceptable).
//!
//! Every connection registers each auth key it sends packets with, and
//! releases it when it closes. When a key is registered from one IP while a
//! live connection uses it from another, the key dies: the connections that
//! held it at that moment (both sides) get `406 AUTH_KEY_DUPLICATED` for every
//! query they send until they close, and any other connection presenting the
//! key gets the transport error -404 (the server no longer knows it), so the
//! client must create a new key. Once the last of those connections closes,
//! the key (with the temporary keys bound to it) is deleted from the store.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::atomic::Ordering;

use serde::{Deserialize, Serialize};

use super::{lock, Injector};

/// What a connection may do with a key it presents.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyVerdict {
    /// Serve it.
    Live,
    /// It was invalidated while this connection held it: answer its
    /// queries with `406 AUTH_KEY_DUPLICATED`.
    Duplicated,
    /// Invalidated earlier: answer -404 and close.
    Dead,
}

/// Which connections use which keys, from where; which keys died.
#[derive(Debug, Default, Clone, Serialize, Deserialize)]
pub struct KeyUse {
    live: HashMap<u64, Vec<(u64, IpAddr)>>,
    /// Dead key → the connections that still get 406 for it.
    dead: HashMap<u64, Vec<u64>>,
}

impl KeyUse {
    /// Registers `key` on connection `conn` from `ip`.
    pub fn register(&mut self, conn: u64, ip: IpAddr, key: u64, enforce: bool) -> KeyVerdict {
        if let Some(involved) = self.dead.get(&key) {
            return if involved.contains(&conn) {
                KeyVerdict::Duplicated
            } else {
                KeyVerdict::Dead
            };
        }
        let users = self.live.entry(key).or_default();
        if enforce && users.iter().any(|(_, other)| *other != ip) {
            let mut involved: Vec<u64> = users.iter().map(|(c, _)| *c).collect();
            involved.push(conn);
            self.live.remove(&key);
            self.dead.insert(key, involved);
            return KeyVerdict::Duplicated;
        }
        if !users.iter().any(|(c, _)| *c == conn) {
            users.push((conn, ip));
        }
        KeyVerdict::Live
    }

    /// Forgets connection `conn` (closed) for `keys`; returns the dead keys
    /// no connection holds any more, for the caller to delete for good.
    pub fn release(&mut self, conn: u64, keys: &[u64]) -> Vec<u64> {
        let mut gone = Vec::new();
        for key in keys {
            if let Some(users) = self.live.get_mut(key) {
                users.retain(|(c, _)| *c != conn);
                if users.is_empty() {
                    self.live.remove(key);
                }
            }
            if let Some(involved) = self.dead.get_mut(key) {
                let held = !involved.is_empty();
                involved.retain(|c| *c != conn);
                if held && involved.is_empty() {
                    gone.push(*key);
                }
            }
        }
        gone
    }

    pub fn is_dead(&self, key: u64) -> bool {
        self.dead.contains_key(&key)
    }
}

impl Injector {
    /// Registers a key a connection presents (see [`KeyUse::register`]).
    pub fn register_key(&self, conn: u64, ip: IpAddr, key: u64) -> KeyVerdict {
        let enforce = self.duplicated_enabled.load(Ordering::Relaxed);
        let verdict = lock(&self.keys).register(conn, ip, key, enforce);
        if verdict == KeyVerdict::Duplicated {
            self.deaths.fetch_add(1, Ordering::AcqRel);
        }
        verdict
    }

    /// How many keys were invalidated so far.
    pub fn deaths(&self) -> u64 {
        self.deaths.load(Ordering::Acquire)
    }

    /// A closed connection stops using `keys`; returns the invalidated keys
    /// that no connection holds any more (to delete from the store).
    pub fn release_keys(&self, conn: u64, keys: &[u64]) -> Vec<u64> {
        if keys.is_empty() {
            return Vec::new();
        }
        lock(&self.keys).release(conn, keys)
    }

    /// Whether `key` (or the permanent key it is bound to, computed only
    /// when some key died) was invalidated.
    pub fn is_invalidated(&self, key: u64, perm: impl FnOnce() -> u64) -> bool {
        if self.deaths() == 0 {
            return false;
        }
        let dead_key = lock(&self.keys).is_dead(key);
        dead_key || {
            let perm = perm();
            perm != key && lock(&self.keys).is_dead(perm)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const A: IpAddr = IpAddr::V4(std::net::Ipv4Addr::new(127, 0, 0, 1));
    const B: IpAddr = IpAddr::V4(std::net::Ipv4Addr::new(127, 0, 0, 2));

    #[test]
    fn same_ip_connections_share_a_key() {
        let mut k = KeyUse::default();
        assert_eq!(k.register(1, A, 9, true), KeyVerdict::Live);
        assert_eq!(k.register(2, A, 9, true), KeyVerdict::Live);
        assert!(!k.is_dead(9));
    }

    #[test]
    fn a_second_ip_kills_the_key_for_both_then_for_everyone() {
        let mut k = KeyUse::default();
        assert_eq!(k.register(1, A, 9, true), KeyVerdict::Live);
        assert_eq!(k.register(2, B, 9, true), KeyVerdict::Duplicated);
        assert!(k.is_dead(9));
        assert_eq!(k.register(1, A, 9, true), KeyVerdict::Duplicated);
        assert_eq!(k.register(3, A, 9, true), KeyVerdict::Dead);
        assert!(k.release(1, &[9]).is_empty(), "connection 2 still holds it");
        assert_eq!(k.register(1, A, 9, true), KeyVerdict::Dead);
        assert_eq!(k.release(2, &[9]), [9], "now it can be deleted");
        assert!(k.release(2, &[9]).is_empty());
        assert_eq!(
            k.register(4, A, 8, true),
            KeyVerdict::Live,
            "other keys live on"
        );
    }

    #[test]
    fn sequential_use_from_two_ips_is_fine_and_the_rule_can_be_off() {
        let mut k = KeyUse::default();
        k.register(1, A, 9, true);
        k.release(1, &[9]);
        assert_eq!(k.register(2, B, 9, true), KeyVerdict::Live);
        assert_eq!(k.register(3, A, 9, false), KeyVerdict::Live);
    }
}
