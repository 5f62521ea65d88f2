//! Signing in (core.telegram.org/api/auth): a login code sent to the phone
//! (with the code type, the next type and the timeout the server gives),
//! sign-up of a new number, two-step verification ([`password`]), bot
//! tokens, QR login ([`qr`]) and log-out.
//!
//! The phone's home DC is found by the retry policy: `auth.sendCode` on
//! the wrong DC answers `303 PHONE_MIGRATE_X`, the client moves home there
//! (and saves it) and asks again, so the code, the sign-in and the account
//! all live on DC X.

pub mod fresh;
pub mod password;
pub mod qr;

use std::time::Duration;

use hearth_tl::{enums, functions, types};

pub use fresh::{FreshAuthorization, FreshMethod};
pub use password::PasswordToken;
pub use qr::{QrLogin, QrWait};

use crate::client::{Client, Me};
use crate::error::ClientError;

/// The signed-in user as Telegram describes it.
pub type User = types::User;

/// How the login code was sent (`auth.SentCodeType`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CodeKind {
    /// In a Telegram app already signed in to the account.
    App,
    Sms,
    Call,
    FlashCall,
    MissedCall,
    Email,
    FragmentSms,
    /// A kind this client does not show specially; the TL name.
    Other(&'static str),
}

/// How a resent code would arrive (`auth.CodeType`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NextCodeKind {
    Sms,
    Call,
    FlashCall,
    MissedCall,
    FragmentSms,
}

/// A login code on its way: what [`Client::sign_in`] needs, and what to
/// tell the user about the code.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LoginToken {
    pub phone: String,
    pub phone_code_hash: String,
    pub kind: CodeKind,
    /// Digits in the code, when the server says.
    pub length: Option<i32>,
    /// What helps find the code: a flash call's number pattern, a missed
    /// call's number prefix, the masked login email (`e***@g***.com`), the
    /// Fragment URL, or the first letters of an SMS word or phrase.
    pub hint: Option<String>,
    /// How [`Client::resend_code`] would send it.
    pub next: Option<NextCodeKind>,
    /// Wait this long before resending.
    pub timeout: Option<Duration>,
}

/// The outcome of [`Client::sign_in`].
// Made once per login: the size of `User` costs nothing here.
#[allow(clippy::large_enum_variant)]
#[derive(Clone, Debug)]
pub enum SignIn {
    Done(User),
    /// The account has two-step verification: finish with
    /// [`Client::check_password`].
    PasswordRequired(PasswordToken),
    /// No account uses the number yet: finish with [`Client::sign_up`].
    /// `terms` is the terms of service text to show, if the server sent one.
    SignUpRequired {
        terms: Option<String>,
    },
}

/// The kind, length and hint of a sent code (core.telegram.org/api/auth#sending-the-verification-code):
/// the hint is the flash call's number pattern, the missed call's number prefix, the
/// masked login email, the Fragment URL, or the first letters of an SMS word or phrase.
pub(crate) fn code_kind(t: &enums::auth::SentCodeType) -> (CodeKind, Option<i32>, Option<String>) {
    use enums::auth::SentCodeType as T;
    let hint = |s: &str| Some(s.trim().to_owned()).filter(|s| !s.is_empty());
    match t {
        T::SentCodeTypeApp(c) => (CodeKind::App, Some(c.length), None),
        T::SentCodeTypeSms(c) => (CodeKind::Sms, Some(c.length), None),
        T::SentCodeTypeCall(c) => (CodeKind::Call, Some(c.length), None),
        T::SentCodeTypeFlashCall(c) => (CodeKind::FlashCall, None, hint(&c.pattern)),
        T::SentCodeTypeMissedCall(c) => (CodeKind::MissedCall, Some(c.length), hint(&c.prefix)),
        T::SentCodeTypeEmailCode(c) => (CodeKind::Email, Some(c.length), hint(&c.email_pattern)),
        T::SentCodeTypeFragmentSms(c) => (CodeKind::FragmentSms, Some(c.length), hint(&c.url)),
        T::SentCodeTypeSetUpEmailRequired(_) => (CodeKind::Other("setUpEmailRequired"), None, None),
        T::SentCodeTypeFirebaseSms(c) => (CodeKind::Other("firebaseSms"), Some(c.length), None),
        T::SentCodeTypeSmsWord(c) => (
            CodeKind::Other("smsWord"),
            None,
            c.beginning.as_deref().and_then(hint),
        ),
        T::SentCodeTypeSmsPhrase(c) => (
            CodeKind::Other("smsPhrase"),
            None,
            c.beginning.as_deref().and_then(hint),
        ),
    }
}

fn next_kind(t: &enums::auth::CodeType) -> NextCodeKind {
    use enums::auth::CodeType as T;
    match t {
        T::CodeTypeSms => NextCodeKind::Sms,
        T::CodeTypeCall => NextCodeKind::Call,
        T::CodeTypeFlashCall => NextCodeKind::FlashCall,
        T::CodeTypeMissedCall => NextCodeKind::MissedCall,
        T::CodeTypeFragmentSms => NextCodeKind::FragmentSms,
    }
}

fn login_token(phone: &str, sent: enums::auth::SentCode) -> Result<LoginToken, ClientError> {
    match sent {
        enums::auth::SentCode::SentCode(s) => {
            let (kind, length, hint) = code_kind(&s.type_);
            Ok(LoginToken {
                phone: phone.to_owned(),
                phone_code_hash: s.phone_code_hash,
                kind,
                length,
                hint,
                next: s.next_type.as_ref().map(next_kind),
                timeout: s.timeout.map(|t| Duration::from_secs(t.max(0) as u64)),
            })
        }
        enums::auth::SentCode::SentCodeSuccess(_) => Err(ClientError::Unsupported(
            "Telegram signed the number in without a code (a future auth token); this client does not send those, so this is unexpected — try again".into(),
        )),
        enums::auth::SentCode::SentCodePaymentRequired(_) => Err(ClientError::Unsupported(
            "Telegram asks for a payment before it sends a login code to this number; sign in from an official app first".into(),
        )),
    }
}

/// The phone as Telegram expects it: digits only (a leading `+` and
/// spaces, dashes and brackets dropped).
pub fn normalize_phone(phone: &str) -> String {
    phone.chars().filter(char::is_ascii_digit).collect()
}

impl Client {
    /// Asks Telegram to send a login code to `phone` (moving to the
    /// number's DC if it lives elsewhere).
    pub async fn request_login_code(&self, phone: &str) -> Result<LoginToken, ClientError> {
        let phone = normalize_phone(phone);
        let req = functions::auth::SendCode {
            phone_number: phone.clone(),
            api_id: self.inner.init.api_id,
            api_hash: self.inner.init.api_hash.clone(),
            settings: enums::CodeSettings::CodeSettings(types::CodeSettings {
                allow_flashcall: false,
                current_number: false,
                allow_app_hash: false,
                allow_missed_call: false,
                allow_firebase: false,
                unknown_number: false,
                logout_tokens: None,
                token: None,
                app_sandbox: None,
            }),
        };
        login_token(&phone, self.invoke(&req).await?)
    }

    /// Asks for the code again, by [`LoginToken::next`] when the server
    /// named one.
    pub async fn resend_code(&self, token: &LoginToken) -> Result<LoginToken, ClientError> {
        let req = functions::auth::ResendCode {
            phone_number: token.phone.clone(),
            phone_code_hash: token.phone_code_hash.clone(),
            reason: None,
        };
        login_token(&token.phone, self.invoke(&req).await?)
    }

    /// Signs in with the code the user received.
    pub async fn sign_in(&self, token: &LoginToken, code: &str) -> Result<SignIn, ClientError> {
        let req = functions::auth::SignIn {
            phone_number: token.phone.clone(),
            phone_code_hash: token.phone_code_hash.clone(),
            phone_code: Some(code.trim().to_owned()),
            email_verification: None,
        };
        match self.invoke(&req).await {
            Ok(enums::auth::Authorization::AuthorizationSignUpRequired(s)) => {
                Ok(SignIn::SignUpRequired {
                    terms: s.terms_of_service.map(|t| {
                        let enums::help::TermsOfService::TermsOfService(t) = t;
                        t.text
                    }),
                })
            }
            Ok(auth) => Ok(SignIn::Done(self.authorized(auth)?)),
            Err(e) if e.is_rpc("SESSION_PASSWORD_NEEDED") => {
                Ok(SignIn::PasswordRequired(self.password_token().await?))
            }
            Err(e) => Err(e),
        }
    }

    /// Registers a new account for the number of `token` (after
    /// [`SignIn::SignUpRequired`]).
    pub async fn sign_up(
        &self,
        token: &LoginToken,
        first_name: &str,
        last_name: &str,
    ) -> Result<User, ClientError> {
        let req = functions::auth::SignUp {
            no_joined_notifications: false,
            phone_number: token.phone.clone(),
            phone_code_hash: token.phone_code_hash.clone(),
            first_name: first_name.trim().to_owned(),
            last_name: last_name.trim().to_owned(),
        };
        let auth = self.invoke(&req).await?;
        self.authorized(auth)
    }

    /// Signs a bot in with its token from @BotFather.
    pub async fn bot_sign_in(&self, bot_token: &str) -> Result<User, ClientError> {
        let req = functions::auth::ImportBotAuthorization {
            flags: 0,
            api_id: self.inner.init.api_id,
            api_hash: self.inner.init.api_hash.clone(),
            bot_auth_token: bot_token.trim().to_owned(),
        };
        let auth = self.invoke(&req).await?;
        self.authorized(auth)
    }

    /// Ends this session on Telegram's side (`auth.logOut`), deletes
    /// everything stored for it (its auth keys included) and shuts the
    /// client down. A session the server already ended is cleared all the
    /// same. Safe to call from an update handler.
    pub async fn log_out(&self) -> Result<(), ClientError> {
        match self.invoke(&functions::auth::LogOut {}).await {
            Ok(_) | Err(ClientError::Unauthorized { .. }) => {}
            Err(e) => return Err(e),
        }
        self.inner.clear_me();
        self.shutdown();
        // The update task may be saving a state: clear after it ended, so
        // nothing of the session is written back. It ends at once on
        // shutdown and never waits for the app, so this cannot deadlock.
        self.inner.updates.task_ended().await;
        self.inner.storage.clear()?;
        tracing::info!("logged out; session cleared");
        Ok(())
    }

    /// Records the account an `auth.Authorization` signed in.
    pub(crate) fn authorized(&self, auth: enums::auth::Authorization) -> Result<User, ClientError> {
        let enums::auth::Authorization::Authorization(a) = auth else {
            return Err(ClientError::Unsupported(
                "Telegram asks to sign up where a sign-in was expected".into(),
            ));
        };
        let enums::User::User(user) = *a.user else {
            return Err(ClientError::Protocol {
                dc: self.home_dc(),
                detail: "the authorization names an empty user".into(),
            });
        };
        self.record_sign_in(user)
    }

    /// Adopts an authorization made elsewhere (the key of an imported session):
    /// asks the server whom the key is signed in as (`users.getUsers` with
    /// `inputUserSelf`, core.telegram.org/method/users.getUsers) and records
    /// that account as a sign-in would. A key the server does not know, or
    /// whose authorization was ended, fails with [`ClientError::Unauthorized`]
    /// and records nothing.
    pub async fn resume_authorization(&self) -> Result<User, ClientError> {
        let users = self
            .invoke(&functions::users::GetUsers {
                id: vec![enums::InputUser::InputUserSelf],
            })
            .await?;
        let user = users.into_iter().find_map(|u| match u {
            enums::User::User(u) if u.self_ => Some(u),
            _ => None,
        });
        let Some(user) = user else {
            return Err(ClientError::Protocol {
                dc: self.home_dc(),
                detail: "users.getUsers(self) named no user of this session".into(),
            });
        };
        self.record_sign_in(user)
    }

    fn record_sign_in(&self, user: User) -> Result<User, ClientError> {
        self.inner.set_me(Me {
            user_id: user.id,
            bot: user.bot,
        })?;
        self.inner.peers().set_self(user.id);
        self.inner.publish_profile();
        self.inner.mark_imported(self.home_dc());
        self.inner.updates.signed_in();
        tracing::info!(
            user = user.id,
            dc = self.home_dc(),
            bot = user.bot,
            "signed in"
        );
        Ok(user)
    }
}

#[cfg(test)]
mod tests;
