//! Two-step verification state (core.telegram.org/api/srp): each 2FA
//! account's verifier `g^x mod p`, made once, and the open SRP round of each
//! permanent key. `account.getPassword` opens a round (its `srp_B` and
//! `srp_id`), replacing the key's earlier one; `auth.checkPassword` must
//! answer the latest round and closes it (`rpc::password`).

use std::collections::HashMap;

use hearth_crypto::srp::{PasswordAlgo, SrpServer};

/// One open SRP round on a key.
#[derive(Debug)]
pub struct Round {
    pub srp_id: i64,
    pub user_id: i64,
    pub server: SrpServer,
}

/// Verifiers per account and open rounds per permanent key.
#[derive(Debug, Default)]
pub struct SrpState {
    verifiers: HashMap<i64, (PasswordAlgo, [u8; 256])>,
    rounds: HashMap<u64, Round>,
    /// Keys whose `auth.signIn` was answered `SESSION_PASSWORD_NEEDED`.
    pending: HashMap<u64, i64>,
}

impl SrpState {
    /// Records that `user_id` passed the code on `key` and needs its password.
    pub fn password_needed(&mut self, key: u64, user_id: i64) {
        self.pending.insert(key, user_id);
    }

    /// The account whose password `key` was asked for after `auth.signIn`.
    pub fn pending(&self, key: u64) -> Option<i64> {
        self.pending.get(&key).copied()
    }

    /// The KDF parameters and verifier of `user_id`, made by `make` the
    /// first time.
    pub fn verifier(
        &mut self,
        user_id: i64,
        make: impl FnOnce() -> (PasswordAlgo, [u8; 256]),
    ) -> (PasswordAlgo, [u8; 256]) {
        self.verifiers.entry(user_id).or_insert_with(make).clone()
    }

    /// Opens a round on `key`, replacing its earlier one.
    pub fn open_round(&mut self, key: u64, round: Round) {
        self.rounds.insert(key, round);
    }

    /// The open round of `key` if its id is `srp_id`.
    pub fn round(&self, key: u64, srp_id: i64) -> Option<&Round> {
        self.rounds.get(&key).filter(|r| r.srp_id == srp_id)
    }

    /// Closes `key`'s round and its pending sign-in (the password was right).
    pub fn close(&mut self, key: u64) {
        self.rounds.remove(&key);
        self.pending.remove(&key);
    }
}
