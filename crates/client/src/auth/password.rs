//! Two-step verification: proving the password with SRP without sending it
//! (core.telegram.org/api/srp). `account.getPassword` gives the algorithm's
//! salts and group, a server value `srp_B` and its `srp_id`;
//! `hearth_crypto::srp` computes `A` and `M1`; `auth.checkPassword` signs in.

use hearth_crypto::srp::{compute_check, PasswordAlgo};
use hearth_tl::{enums, functions, types};

use super::User;
use crate::client::Client;
use crate::error::ClientError;

/// What [`Client::check_password`] needs: the account's current SRP
/// parameters (and the hint to show).
#[derive(Clone)]
pub struct PasswordToken {
    password: types::account::Password,
}

impl std::fmt::Debug for PasswordToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PasswordToken")
            .field("hint", &self.hint())
            .finish_non_exhaustive()
    }
}

impl PasswordToken {
    /// The hint the user set with the password.
    pub fn hint(&self) -> Option<&str> {
        self.password.hint.as_deref().filter(|h| !h.is_empty())
    }

    /// Whether a recovery e-mail is set.
    pub fn has_recovery(&self) -> bool {
        self.password.has_recovery
    }

    /// The `inputCheckPasswordSRP` proving `password`.
    fn proof(&self, password: &str) -> Result<enums::InputCheckPasswordSrp, ClientError> {
        let p = &self.password;
        let Some(
            enums::PasswordKdfAlgo::PasswordKdfAlgoSha256sha256pbkdf2hmacsha512iter100000Sha256ModPow(
                a,
            ),
        ) = &p.current_algo
        else {
            return Err(ClientError::Password(
                "the account announces no password algorithm this client knows".into(),
            ));
        };
        let (Some(srp_id), Some(srp_b)) = (p.srp_id, p.srp_b.as_deref()) else {
            return Err(ClientError::Password("srp_id or srp_B is missing".into()));
        };
        let algo = PasswordAlgo {
            salt1: a.salt1.clone(),
            salt2: a.salt2.clone(),
            g: a.g as u32,
            p: a.p.clone(),
        };
        let answer = compute_check(&algo, srp_id, srp_b, password.as_bytes(), &mut rand::rng())
            .map_err(|e| ClientError::Password(e.to_string()))?;
        Ok(enums::InputCheckPasswordSrp::InputCheckPasswordSrp(
            types::InputCheckPasswordSrp {
                srp_id: answer.srp_id,
                a: answer.a.to_vec(),
                m1: answer.m1.to_vec(),
            },
        ))
    }
}

impl Client {
    /// The account's current SRP parameters (`account.getPassword`).
    pub(crate) async fn password_token(&self) -> Result<PasswordToken, ClientError> {
        let enums::account::Password::Password(password) =
            self.invoke(&functions::account::GetPassword {}).await?;
        Ok(PasswordToken { password })
    }

    /// Finishes a sign-in that needs the two-step verification password.
    /// A wrong password is `PASSWORD_HASH_INVALID`; the token may be used
    /// again. When the server's SRP parameters went stale (`SRP_ID_INVALID`)
    /// fresh ones are fetched and the check repeated once.
    pub async fn check_password(
        &self,
        token: PasswordToken,
        password: &str,
    ) -> Result<User, ClientError> {
        let mut token = token;
        for attempt in 0..2 {
            // PBKDF2 with 100 000 iterations: off the async threads.
            let t = token.clone();
            let pw = zeroize::Zeroizing::new(password.to_owned());
            let proof = tokio::task::spawn_blocking(move || t.proof(&pw))
                .await
                .map_err(|e| ClientError::Password(format!("the SRP computation failed: {e}")))??;
            match self
                .invoke(&functions::auth::CheckPassword { password: proof })
                .await
            {
                Ok(auth) => return self.authorized(auth),
                Err(e) if attempt == 0 && e.is_rpc("SRP_ID_INVALID") => {
                    token = self.password_token().await?;
                }
                Err(e) => return Err(e),
            }
        }
        Err(ClientError::Password(
            "the server kept refusing the SRP parameters it gave".into(),
        ))
    }
}
