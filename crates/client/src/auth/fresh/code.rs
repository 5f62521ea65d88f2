//! A fresh session by login code, the code read by the signed-in session.
//!
//! Telegram sends the code of `auth.sendCode` for an account signed in
//! elsewhere "through the Telegram app" (`auth.sentCodeTypeApp`,
//! core.telegram.org/api/auth): a message from its service account 777000 in
//! the account's chat with it, "Login code: 12345. Do not give this code to
//! anyone…". The signed-in client notes the newest message of that chat
//! before asking, then reads newer ones until one carries a code. The text is
//! localised on Telegram's side, so the code is taken as the first run of 5 or
//! more digits, not after fixed words.
//!
//! Invariant: only a message from 777000, newer than the request, is read;
//! the code is never logged.

use std::time::Duration;

use hearth_session::PeerId;
use hearth_tl::{enums, functions};

use crate::auth::SignIn;
use crate::client::Client;
use crate::error::ClientError;

/// Telegram's service account, the sender of login codes.
const SERVICE: PeerId = PeerId::User(777_000);
/// How long the code may take to arrive.
const CODE_WITHIN: Duration = Duration::from_secs(30);
/// How often the chat with 777000 is read meanwhile.
const POLL_EVERY: Duration = Duration::from_millis(250);

impl Client {
    /// Signs `fresh` in as this account (`me`) with a login code for `phone`,
    /// read here from the message Telegram sends to signed-in sessions.
    pub(super) async fn code_sign_in(
        &self,
        fresh: &Client,
        me: i64,
        phone: &str,
        password: Option<&str>,
    ) -> Result<i64, ClientError> {
        // 777000 may be unmet yet (no chat with it): then every message is new.
        let before = self
            .messages()
            .older_than(SERVICE, 0, 1)
            .await
            .ok()
            .and_then(|l| l.first().map(|m| m.id))
            .unwrap_or(0);
        let token = fresh.request_login_code(phone).await?;
        let code = self.read_code(before).await?;
        let user =
            match fresh.sign_in(&token, &code).await? {
                SignIn::Done(user) => user,
                SignIn::PasswordRequired(p) => match password {
                    Some(pw) => fresh.check_password(p, pw).await?,
                    None => return Err(ClientError::Unsupported(
                        "this account has two-step verification: give its password to sign the \
                         new session in"
                            .into(),
                    )),
                },
                SignIn::SignUpRequired { .. } => {
                    return Err(ClientError::Unsupported(format!(
                    "Telegram knows no account with the number {phone}: check the account's phone \
                     number, or use QR login instead"
                )))
                }
            };
        if user.id != me {
            return Err(ClientError::Unsupported(format!(
                "the number {phone} signed in as another account (user {}), not this one \
                 (user {me}): use QR login instead",
                user.id
            )));
        }
        tracing::info!(
            user = me,
            dc = fresh.home_dc(),
            "a new session signed in with a login code"
        );
        Ok(me)
    }

    /// The code of the first message from 777000 newer than `before`.
    async fn read_code(&self, before: i32) -> Result<String, ClientError> {
        let deadline = tokio::time::Instant::now() + CODE_WITHIN;
        loop {
            // Errors (777000 not met yet, a lost connection) are retried until the deadline.
            match self.messages().newer_than(SERVICE, before, 10).await {
                Ok(list) => {
                    let code = list
                        .iter()
                        .filter(|m| m.id > before && m.sender == Some(SERVICE) && !m.out)
                        .min_by_key(|m| m.id)
                        .and_then(|m| code_in(&m.text));
                    if let Some(code) = code {
                        return Ok(code);
                    }
                }
                // A client without the update loop has not met 777000 through the pushed
                // message: the newest dialogs introduce it (their users reach the peer cache).
                Err(ClientError::PeerNotMet(_)) => {
                    let _ = self
                        .invoke(&functions::messages::GetDialogs {
                            exclude_pinned: false,
                            folder_id: None,
                            offset_date: 0,
                            offset_id: 0,
                            offset_peer: enums::InputPeer::InputPeerEmpty,
                            limit: 10,
                            hash: 0,
                        })
                        .await;
                }
                Err(_) => {}
            }
            if tokio::time::Instant::now() >= deadline {
                return Err(ClientError::Unsupported(format!(
                    "no login code arrived from Telegram (user 777000) within {}s; try again, or \
                     use QR login instead",
                    CODE_WITHIN.as_secs()
                )));
            }
            tokio::time::sleep(POLL_EVERY).await;
        }
    }
}

/// The first run of 5 to 8 digits in `text` (Telegram's codes are 5 or 6).
fn code_in(text: &str) -> Option<String> {
    text.split(|c: char| !c.is_ascii_digit())
        .find(|run| (5..=8).contains(&run.len()))
        .map(str::to_owned)
}

#[cfg(test)]
mod tests {
    use super::code_in;

    #[test]
    fn the_code_is_the_first_run_of_five_or_more_digits() {
        assert_eq!(
            code_in("Login code: 12345. Do not give this code to anyone").as_deref(),
            Some("12345")
        );
        assert_eq!(code_in("Код для входа: 654321.").as_deref(), Some("654321"));
        assert_eq!(
            code_in("On 2024 at 10:15 your code is 88888").as_deref(),
            Some("88888")
        );
        assert_eq!(code_in("no code here, 1234 is too short"), None);
    }
}
