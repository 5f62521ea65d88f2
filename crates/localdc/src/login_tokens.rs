//! Sign-in handed from one place to another: QR login tokens
//! (core.telegram.org/api/qr-login) and exported authorizations
//! (core.telegram.org/method/auth.exportAuthorization).
//!
//! Invariants:
//! * a QR token is valid for [`QR_TOKEN_TTL_SECS`] from its export, is
//!   accepted at most once, and every new export on a key replaces that
//!   key's tokens still waiting;
//! * an accepted token is consumed by the exporting key's next
//!   `auth.exportLoginToken`, which either signs the key in or hands over to
//!   a migration token for the user's home DC, usable once by
//!   `auth.importLoginToken` there;
//! * a used token is remembered (as [`QrState::Done`]) until it would have
//!   expired plus a grace period, so reuse is `AUTH_TOKEN_ALREADY_ACCEPTED`
//!   rather than unknown;
//! * exported authorization bytes are single use, bound to one user and one
//!   target DC, and expire after [`EXPORTED_AUTH_TTL_SECS`].
//!
//! Tokens are keyed by their hex form so the state serialises to any format.

use std::collections::BTreeMap;

/// Lifetime of a QR login token, as Telegram's `auth.loginToken.expires` (30 s).
pub const QR_TOKEN_TTL_SECS: i64 = 30;
/// Lifetime of `auth.exportedAuthorization.bytes`.
pub const EXPORTED_AUTH_TTL_SECS: i64 = 60;
/// Expired tokens are remembered this long, to answer `AUTH_TOKEN_EXPIRED`.
const REMEMBER_EXPIRED_SECS: i64 = 600;

/// Why a login token was refused; `rpc_error` messages as Telegram's.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum TokenError {
    #[error("AUTH_TOKEN_INVALID")]
    Invalid,
    #[error("AUTH_TOKEN_EXPIRED")]
    Expired,
    #[error("AUTH_TOKEN_ALREADY_ACCEPTED")]
    AlreadyAccepted,
}

/// Where a QR token stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum QrState {
    /// Shown as a QR code, waiting for `auth.acceptLoginToken`.
    Waiting,
    /// Accepted by `user_id`; the exporting key's next export completes it
    /// as the authorization named `hash`.
    Accepted { user_id: i64, hash: i64 },
    /// Handed to the user's home DC `dc` for `auth.importLoginToken`.
    MigrateTo { user_id: i64, dc: i32, hash: i64 },
    /// Used up: signed a key in or handed over to a migration token.
    Done,
}

/// One QR login token.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct QrToken {
    /// The permanent key of the exporting client.
    pub perm_key: u64,
    /// The key and session the export arrived on: `updateLoginToken` goes there.
    pub key_id: u64,
    pub session_id: i64,
    pub expires: i64,
    pub state: QrState,
}

/// Exported authorization bytes waiting for `auth.importAuthorization`.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Exported {
    pub user_id: i64,
    pub dc: i32,
    pub expires: i64,
}

/// Every pending token of the server.
#[derive(Debug, Default, Clone, serde::Serialize, serde::Deserialize)]
pub struct LoginTokens {
    qr: BTreeMap<String, QrToken>,
    exported: BTreeMap<String, Exported>,
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

impl LoginTokens {
    fn purge(&mut self, now: i64) {
        self.qr
            .retain(|_, t| t.expires + REMEMBER_EXPIRED_SECS > now);
        self.exported.retain(|_, e| e.expires > now);
    }

    /// A new QR token for `perm_key`; the key's waiting tokens are dropped.
    pub fn export_qr(&mut self, token: &[u8], mut t: QrToken, now: i64) -> i64 {
        self.purge(now);
        self.qr
            .retain(|_, old| !(old.perm_key == t.perm_key && old.state == QrState::Waiting));
        t.expires = now + QR_TOKEN_TTL_SECS;
        let expires = t.expires;
        self.qr.insert(hex(token), t);
        expires
    }

    /// The accepted (not yet completed) token of `perm_key`, as it was;
    /// it is marked [`QrState::Done`].
    pub fn take_accepted(&mut self, perm_key: u64) -> Option<(String, QrToken)> {
        let (name, t) = self
            .qr
            .iter_mut()
            .find(|(_, t)| t.perm_key == perm_key && matches!(t.state, QrState::Accepted { .. }))?;
        let taken = (name.clone(), t.clone());
        t.state = QrState::Done;
        Some(taken)
    }

    /// `user_id` accepts `token`; returns the token to notify its exporter.
    pub fn accept(
        &mut self,
        token: &[u8],
        user_id: i64,
        hash: i64,
        now: i64,
    ) -> Result<QrToken, TokenError> {
        let t = self.qr.get_mut(&hex(token)).ok_or(TokenError::Invalid)?;
        if t.state != QrState::Waiting {
            return Err(TokenError::AlreadyAccepted);
        }
        if t.expires <= now {
            return Err(TokenError::Expired);
        }
        t.state = QrState::Accepted { user_id, hash };
        Ok(t.clone())
    }

    /// Stores a migration token for `user_id` on `dc`.
    pub fn migrate(&mut self, token: &[u8], perm_key: u64, state: QrState, now: i64) {
        self.qr.insert(
            hex(token),
            QrToken {
                perm_key,
                key_id: perm_key,
                session_id: 0,
                expires: now + QR_TOKEN_TTL_SECS,
                state,
            },
        );
    }

    /// `auth.importLoginToken`: a migration token, consumed when `dc` is its DC.
    /// Returns the token's `MigrateTo` state: when its DC is not `dc` the
    /// token stays for that DC.
    pub fn import(&mut self, token: &[u8], dc: i32, now: i64) -> Result<QrState, TokenError> {
        let name = hex(token);
        let t = self.qr.get_mut(&name).ok_or(TokenError::Invalid)?;
        let home = match t.state {
            QrState::MigrateTo { dc, .. } => dc,
            QrState::Done => return Err(TokenError::AlreadyAccepted),
            _ => return Err(TokenError::Invalid),
        };
        if t.expires <= now {
            return Err(TokenError::Expired);
        }
        let state = t.state;
        if home == dc {
            t.state = QrState::Done;
        }
        Ok(state)
    }

    /// Records exported authorization `bytes` of `user_id` for DC `dc`.
    pub fn export_auth(&mut self, bytes: &[u8], user_id: i64, dc: i32, now: i64) {
        self.purge(now);
        self.exported.insert(
            hex(bytes),
            Exported {
                user_id,
                dc,
                expires: now + EXPORTED_AUTH_TTL_SECS,
            },
        );
    }

    /// Consumes exported `bytes` presented on DC `dc` for user `id`; `None`
    /// (nothing consumed) when they are unknown, used, expired or not for here.
    pub fn import_auth(&mut self, bytes: &[u8], id: i64, dc: i32, now: i64) -> Option<i64> {
        let name = hex(bytes);
        let e = self.exported.get(&name)?;
        if e.user_id != id || e.dc != dc || e.expires <= now {
            return None;
        }
        self.exported.remove(&name).map(|e| e.user_id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn waiting(perm_key: u64) -> QrToken {
        QrToken {
            perm_key,
            key_id: perm_key,
            session_id: 9,
            expires: 0,
            state: QrState::Waiting,
        }
    }

    #[test]
    fn qr_token_is_accepted_once_and_expires() {
        let mut t = LoginTokens::default();
        assert_eq!(t.export_qr(b"one", waiting(1), 100), 130);
        assert_eq!(t.accept(b"nope", 5, 1, 101), Err(TokenError::Invalid));
        assert_eq!(t.accept(b"one", 5, 1, 101).unwrap().session_id, 9);
        assert_eq!(
            t.accept(b"one", 6, 1, 102),
            Err(TokenError::AlreadyAccepted)
        );
        let (_, done) = t.take_accepted(1).expect("accepted token");
        assert_eq!(
            done.state,
            QrState::Accepted {
                user_id: 5,
                hash: 1
            }
        );
        assert!(t.take_accepted(1).is_none(), "completed once");
        assert_eq!(
            t.accept(b"one", 6, 1, 103),
            Err(TokenError::AlreadyAccepted)
        );
        t.export_qr(b"two", waiting(2), 200);
        assert_eq!(t.accept(b"two", 5, 1, 230), Err(TokenError::Expired));
    }

    #[test]
    fn a_new_export_replaces_the_keys_waiting_token() {
        let mut t = LoginTokens::default();
        t.export_qr(b"first", waiting(1), 100);
        t.export_qr(b"other key", waiting(2), 100);
        t.export_qr(b"second", waiting(1), 101);
        assert_eq!(t.accept(b"first", 5, 1, 102), Err(TokenError::Invalid));
        assert!(t.accept(b"other key", 5, 1, 102).is_ok());
        assert!(t.accept(b"second", 5, 1, 102).is_ok());
    }

    #[test]
    fn migration_token_is_consumed_only_on_its_dc() {
        let mut t = LoginTokens::default();
        let to2 = QrState::MigrateTo {
            user_id: 5,
            dc: 2,
            hash: 3,
        };
        t.migrate(b"m", 1, to2, 100);
        assert_eq!(t.import(b"m", 4, 101), Ok(to2));
        assert_eq!(t.import(b"m", 2, 101), Ok(to2));
        assert_eq!(t.import(b"m", 2, 101), Err(TokenError::AlreadyAccepted));
        t.export_qr(b"plain", waiting(1), 100);
        assert_eq!(t.import(b"plain", 2, 101), Err(TokenError::Invalid));
        t.migrate(b"late", 1, to2, 100);
        assert_eq!(t.import(b"late", 2, 131), Err(TokenError::Expired));
    }

    #[test]
    fn exported_authorization_is_single_use_and_bound() {
        let mut t = LoginTokens::default();
        t.export_auth(b"bytes", 5, 4, 100);
        assert_eq!(t.import_auth(b"bytes", 6, 4, 101), None, "other user");
        assert_eq!(t.import_auth(b"bytes", 5, 2, 101), None, "other DC");
        assert_eq!(t.import_auth(b"bytes", 5, 4, 101), Some(5));
        assert_eq!(t.import_auth(b"bytes", 5, 4, 101), None, "single use");
        t.export_auth(b"old", 5, 4, 100);
        assert_eq!(t.import_auth(b"old", 5, 4, 160), None, "expired");
    }

    #[test]
    fn state_serialises() {
        let mut t = LoginTokens::default();
        t.export_qr(b"q", waiting(1), 100);
        t.export_auth(b"e", 5, 4, 100);
        let json = serde_json::to_string(&t).unwrap();
        let back: LoginTokens = serde_json::from_str(&json).unwrap();
        assert_eq!(back.qr, t.qr);
        assert_eq!(back.exported, t.exported);
    }
}
