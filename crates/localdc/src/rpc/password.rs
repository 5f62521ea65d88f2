//! Two-step verification (core.telegram.org/api/srp): `account.getPassword`
//! and `auth.checkPassword`, with `hearth-crypto`'s SRP server half.
//!
//! Each 2FA account has salts derived from the server secret (stable for a
//! given `--seed`) and a verifier `g^x mod p` computed once from its world
//! password with the `passwordKdfAlgoSHA256SHA256PBKDF2HMACSHA512iter100000
//! SHA256ModPow` KDF over Telegram's 2048-bit prime, g = 3. Every
//! `account.getPassword` starts a new SRP round (fresh `srp_B` and `srp_id`)
//! for the key; `auth.checkPassword` must answer the latest round.

use hearth_crypto::dh::{TELEGRAM_DH_G, TELEGRAM_DH_PRIME};
use hearth_crypto::hash::sha256;
use hearth_crypto::srp::{self, PasswordAlgo, SrpServer};
use hearth_tl::{enums, functions, types, Serializable};

use super::ctx::{RpcCtx, RpcError};
use crate::srp::Round;
pub use crate::srp::SrpState;

/// The KDF parameters of `user_id` (salt1 40 bytes, salt2 16 bytes).
fn algo(secret: &[u8; 32], user_id: i64) -> PasswordAlgo {
    let id = user_id.to_le_bytes();
    let a = sha256(&[secret, b"srp salt1", &id]);
    let b = sha256(&[secret, b"srp salt1 tail", &id]);
    let c = sha256(&[secret, b"srp salt2", &id]);
    let mut salt1 = a.to_vec();
    salt1.extend_from_slice(&b[..8]);
    PasswordAlgo {
        salt1,
        salt2: c[..16].to_vec(),
        g: TELEGRAM_DH_G,
        p: TELEGRAM_DH_PRIME.to_vec(),
    }
}

fn tl_algo(a: &PasswordAlgo) -> enums::PasswordKdfAlgo {
    enums::PasswordKdfAlgo::PasswordKdfAlgoSha256sha256pbkdf2hmacsha512iter100000Sha256ModPow(
        types::PasswordKdfAlgoSha256sha256pbkdf2hmacsha512iter100000Sha256ModPow {
            salt1: a.salt1.clone(),
            salt2: a.salt2.clone(),
            g: a.g as i32,
            p: a.p.clone(),
        },
    )
}

/// The account whose password this key is asked for: the one pending after
/// `auth.signIn`, else the signed-in user.
fn subject(ctx: &RpcCtx<'_>, perm: u64) -> Option<i64> {
    let pending = ctx.state.srp().pending(perm);
    pending.or_else(|| ctx.user_id())
}

/// `account.getPassword` → `account.password`.
pub fn get_password(ctx: &mut RpcCtx<'_>) -> Result<Vec<u8>, RpcError> {
    let perm = ctx.perm_key_id();
    let secret = *ctx.state.secret();
    let user = subject(ctx, perm).and_then(|id| {
        let users = ctx.state.users();
        let u = users.get(id)?;
        Some((id, u.password.clone()?, u.password_hint.clone()))
    });
    let fresh_salt = ctx.state.derive("new password salt1");
    let new_algo = PasswordAlgo {
        salt1: fresh_salt.to_vec(),
        ..algo(&secret, 0)
    };
    let mut answer = types::account::Password {
        has_recovery: false,
        has_secure_values: false,
        has_password: false,
        current_algo: None,
        srp_b: None,
        srp_id: None,
        hint: None,
        email_unconfirmed_pattern: None,
        new_algo: tl_algo(&new_algo),
        new_secure_algo:
            enums::SecurePasswordKdfAlgo::SecurePasswordKdfAlgoPbkdf2hmacsha512iter100000(
                types::SecurePasswordKdfAlgoPbkdf2hmacsha512iter100000 {
                    salt: ctx.state.derive("secure salt").to_vec(),
                },
            ),
        secure_random: sha256(&[&secret, b"secure_random", &ctx.state.derive("secure")]).to_vec(),
        pending_reset_date: None,
        login_email_pattern: None,
    };
    if let Some((user_id, password, hint)) = user {
        let mut srp = ctx.state.srp();
        let (algo, verifier) = srp.verifier(user_id, || {
            let a = algo(&secret, user_id);
            // The world's password is valid UTF-8 and the algo uses Telegram's prime.
            let v = srp::verifier(&a, password.as_bytes()).unwrap_or([0u8; 256]);
            (a, v)
        });
        let server =
            SrpServer::new(&algo, &verifier, &mut rand::rng()).map_err(RpcError::internal)?;
        let srp_id = i64::from_le_bytes(ctx.state.derive("srp_id"));
        answer.has_password = true;
        answer.current_algo = Some(tl_algo(&algo));
        answer.srp_b = Some(server.srp_b().to_vec());
        answer.srp_id = Some(srp_id);
        answer.hint = hint;
        srp.open_round(
            perm,
            Round {
                srp_id,
                user_id,
                server,
            },
        );
    }
    Ok(answer.to_bytes())
}

/// `auth.checkPassword`: verifies the SRP proof of the latest round and
/// signs the account in; `PASSWORD_HASH_INVALID` on a wrong password,
/// `SRP_ID_INVALID` for a stale or unknown round.
pub fn check_password(
    ctx: &mut RpcCtx<'_>,
    req: functions::auth::CheckPassword,
) -> Result<Vec<u8>, RpcError> {
    let perm = ctx.perm_key_id();
    let enums::InputCheckPasswordSrp::InputCheckPasswordSrp(input) = req.password else {
        return Err(RpcError::bad_request("PASSWORD_HASH_INVALID"));
    };
    let user_id = {
        let mut srp = ctx.state.srp();
        let round = srp
            .round(perm, input.srp_id)
            .ok_or_else(|| RpcError::bad_request("SRP_ID_INVALID"))?;
        match round.server.verify(&input.a, &input.m1) {
            Ok(()) => {}
            Err(srp::SrpError::WrongPassword) => {
                return Err(RpcError::bad_request("PASSWORD_HASH_INVALID"))
            }
            Err(_) => return Err(RpcError::bad_request("SRP_A_INVALID")),
        }
        let user_id = round.user_id;
        srp.close(perm);
        user_id
    };
    crate::rpc::tl::authorization(ctx, user_id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn salts_are_per_account_and_stable() {
        let secret = [7u8; 32];
        let a = algo(&secret, 1);
        assert_eq!(a, algo(&secret, 1));
        assert_ne!(a.salt1, algo(&secret, 2).salt1);
        assert_eq!((a.salt1.len(), a.salt2.len(), a.g), (40, 16, 3));
        assert_eq!(a.p, TELEGRAM_DH_PRIME.to_vec());
    }
}
