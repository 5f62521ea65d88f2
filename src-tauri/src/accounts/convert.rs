//! From the account service's types to the IPC types in [`super::types`].
//!
//! Invariants: the service's error code, field and flood wait pass through
//! unchanged (the UI branches on them); phone numbers gain their `+`;
//! authorization hashes become decimal strings.

use std::time::{SystemTime, UNIX_EPOCH};

use hearth_accounts::{AccountsError, AuthorizationInfo, CodeKind, CodeSent, NextCodeKind, QrCode};

use super::types::{
    initials, AccountEvent, AccountNetwork, AccountView, CodeDelivery, ConnectionState, LoginStep,
    SessionView,
};
use crate::error::CommandError;

impl From<AccountsError> for CommandError {
    fn from(error: AccountsError) -> Self {
        CommandError {
            code: error.code().to_owned(),
            message: error.to_string(),
            field: error.field().map(str::to_owned),
            retry_after_secs: error.retry_after_secs(),
        }
    }
}

fn unix_secs(t: SystemTime) -> i64 {
    match t.duration_since(UNIX_EPOCH) {
        Ok(d) => i64::try_from(d.as_secs()).unwrap_or(i64::MAX),
        Err(_) => 0,
    }
}

/// `+` and the digits, as people write an international number.
pub fn international(phone: &str) -> String {
    let digits: String = phone.chars().filter(char::is_ascii_digit).collect();
    format!("+{digits}")
}

pub fn connection_state(state: hearth_accounts::ConnectionState) -> ConnectionState {
    use hearth_accounts::ConnectionState as S;
    match state {
        S::Offline => ConnectionState::Offline,
        S::Connecting => ConnectionState::Connecting,
        S::Online => ConnectionState::Online,
        S::Unreachable => ConnectionState::Unreachable,
        S::SignedOut => ConnectionState::SignedOut,
    }
}

pub fn account_view(v: &hearth_accounts::AccountView) -> AccountView {
    let display_name = v.display_name().to_owned();
    AccountView {
        id: v.id.0,
        label: v.label.clone(),
        initials: initials(&display_name),
        display_name,
        user_id: v.user_id,
        username: v.username.clone().filter(|u| !u.is_empty()),
        phone: v
            .phone
            .as_deref()
            .filter(|p| !p.is_empty())
            .map(international),
        is_bot: v.is_bot,
        dc_id: v.dc,
        network: AccountNetwork::from(v.network),
        proxy_id: v.proxy_id,
        state: connection_state(v.state),
        position: u32::try_from(v.position).unwrap_or(u32::MAX),
    }
}

fn delivery(kind: &CodeKind) -> CodeDelivery {
    match kind {
        CodeKind::App => CodeDelivery::App,
        CodeKind::Sms => CodeDelivery::Sms,
        CodeKind::Call => CodeDelivery::Call,
        CodeKind::FlashCall => CodeDelivery::FlashCall,
        CodeKind::MissedCall => CodeDelivery::MissedCall,
        CodeKind::Email => CodeDelivery::Email,
        CodeKind::FragmentSms => CodeDelivery::Fragment,
        CodeKind::Other("setUpEmailRequired") => CodeDelivery::SetUpEmail,
        CodeKind::Other("firebaseSms") => CodeDelivery::FirebaseSms,
        CodeKind::Other("smsWord") => CodeDelivery::SmsWord,
        CodeKind::Other("smsPhrase") => CodeDelivery::SmsPhrase,
        // A kind added to the schema later: an SMS is the closest description.
        CodeKind::Other(_) => CodeDelivery::Sms,
    }
}

fn next_delivery(next: NextCodeKind) -> CodeDelivery {
    match next {
        NextCodeKind::Sms => CodeDelivery::Sms,
        NextCodeKind::Call => CodeDelivery::Call,
        NextCodeKind::FlashCall => CodeDelivery::FlashCall,
        NextCodeKind::MissedCall => CodeDelivery::MissedCall,
        NextCodeKind::FragmentSms => CodeDelivery::Fragment,
    }
}

pub fn code_step(sent: &CodeSent) -> LoginStep {
    LoginStep::Code {
        code_type: delivery(&sent.kind),
        next_type: sent.next.map(next_delivery),
        timeout_secs: sent
            .timeout
            .map(|t| u32::try_from(t.as_secs()).unwrap_or(u32::MAX)),
        phone: international(&sent.phone),
        length: sent
            .length
            .and_then(|n| u32::try_from(n).ok())
            .filter(|n| *n > 0),
        detail: sent.hint.clone(),
    }
}

pub fn qr_step(code: &QrCode) -> LoginStep {
    LoginStep::Qr {
        url: code.url.clone(),
        expires_at: unix_secs(code.expires),
    }
}

pub fn login_step(step: hearth_accounts::LoginStep) -> LoginStep {
    match step {
        hearth_accounts::LoginStep::Done(view) => LoginStep::Done {
            account: account_view(&view),
        },
        hearth_accounts::LoginStep::PasswordRequired { hint } => LoginStep::Password { hint },
        hearth_accounts::LoginStep::SignUpRequired { terms } => LoginStep::SignUp { terms },
    }
}

fn joined(parts: &[&str], separator: &str) -> String {
    parts
        .iter()
        .map(|s| s.trim())
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(separator)
}

pub fn session_view(a: &AuthorizationInfo) -> SessionView {
    SessionView {
        hash: a.hash.to_string(),
        device: a.device.trim().to_owned(),
        platform: joined(&[&a.platform, &a.system_version], " "),
        app: joined(&[&a.app_name, &a.app_version], " "),
        official_app: a.official_app,
        ip: a.ip.clone(),
        country: joined(&[&a.country, &a.region], ", "),
        date_active: unix_secs(a.date_active),
        date_created: unix_secs(a.date_created),
        dc: a.dc,
        current: a.current,
    }
}

pub fn event(e: hearth_accounts::AccountEvent) -> AccountEvent {
    match e {
        hearth_accounts::AccountEvent::ListChanged => AccountEvent::ListChanged,
        hearth_accounts::AccountEvent::State { id, state } => AccountEvent::Connection {
            account_id: id.0,
            state: connection_state(state),
            detail: None,
        },
    }
}
