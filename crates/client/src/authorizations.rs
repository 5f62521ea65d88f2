//! The account's sessions ("authorizations",
//! core.telegram.org/method/account.getAuthorizations): list them, end one
//! (`account.resetAuthorization`), end all others
//! (`auth.resetAuthorizations`).

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use hearth_tl::{enums, functions, types};

use crate::client::Client;
use crate::error::ClientError;

/// One session of the account.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AuthorizationInfo {
    /// What [`Client::terminate_authorization`] takes; 0 for the current one.
    pub hash: i64,
    pub device: String,
    pub platform: String,
    pub system_version: String,
    pub app_name: String,
    pub app_version: String,
    pub api_id: i32,
    pub official_app: bool,
    pub ip: String,
    pub country: String,
    pub region: String,
    pub date_created: SystemTime,
    pub date_active: SystemTime,
    /// The DC of the session, when known (the API does not say; known for
    /// the current session: its home DC).
    pub dc: Option<i32>,
    /// This very session.
    pub current: bool,
    /// Signed in by QR code but the 2FA password is not entered yet.
    pub password_pending: bool,
}

fn time(secs: i32) -> SystemTime {
    UNIX_EPOCH + Duration::from_secs(secs.max(0) as u64)
}

impl AuthorizationInfo {
    pub(crate) fn from_tl(a: types::Authorization, home_dc: Option<i32>) -> Self {
        Self {
            hash: a.hash,
            device: a.device_model,
            platform: a.platform,
            system_version: a.system_version,
            app_name: a.app_name,
            app_version: a.app_version,
            api_id: a.api_id,
            official_app: a.official_app,
            ip: a.ip,
            country: a.country,
            region: a.region,
            date_created: time(a.date_created),
            date_active: time(a.date_active),
            dc: if a.current { home_dc } else { None },
            current: a.current,
            password_pending: a.password_pending,
        }
    }
}

impl Client {
    /// Every session of the account, the current one first.
    pub async fn authorizations(&self) -> Result<Vec<AuthorizationInfo>, ClientError> {
        let enums::account::Authorizations::Authorizations(list) = self
            .invoke(&functions::account::GetAuthorizations {})
            .await?;
        let home = Some(self.home_dc());
        let mut out: Vec<AuthorizationInfo> = list
            .authorizations
            .into_iter()
            .map(|enums::Authorization::Authorization(a)| AuthorizationInfo::from_tl(a, home))
            .collect();
        out.sort_by_key(|a| (!a.current, std::cmp::Reverse(a.date_active)));
        Ok(out)
    }

    /// Ends the session `hash` (from [`Client::authorizations`]).
    pub async fn terminate_authorization(&self, hash: i64) -> Result<(), ClientError> {
        self.invoke(&functions::account::ResetAuthorization { hash })
            .await?;
        Ok(())
    }

    /// Ends every session but this one. Telegram allows it only from a
    /// session at least a day old (`FRESH_RESET_AUTHORISATION_FORBIDDEN`).
    pub async fn terminate_other_authorizations(&self) -> Result<(), ClientError> {
        self.invoke(&functions::auth::ResetAuthorizations {})
            .await?;
        Ok(())
    }
}
