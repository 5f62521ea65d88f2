//! The account service's answers as the UI receives them: code steps,
//! sessions, accounts and errors (code, field, flood wait kept).

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use hearth_accounts::{
    AccountsError, AuthorizationInfo, ClientError, CodeKind, CodeSent, NextCodeKind,
};
use hearth_app::accounts::convert::{code_step, international, session_view};
use hearth_app::accounts::types::{CodeDelivery, LoginStep};
use hearth_app::error::CommandError;

#[test]
fn a_sent_code_says_how_it_came_and_how_a_resend_would() {
    let step = code_step(&CodeSent {
        phone: "9996621234".into(),
        kind: CodeKind::Other("smsWord"),
        length: Some(0),
        hint: Some("kit".into()),
        next: Some(NextCodeKind::Call),
        timeout: Some(Duration::from_secs(60)),
    });
    assert_eq!(
        step,
        LoginStep::Code {
            code_type: CodeDelivery::SmsWord,
            next_type: Some(CodeDelivery::Call),
            timeout_secs: Some(60),
            phone: "+9996621234".into(),
            length: None,
            detail: Some("kit".into()),
        }
    );
    let app = code_step(&CodeSent {
        phone: "9996621234".into(),
        kind: CodeKind::App,
        length: Some(5),
        hint: None,
        next: None,
        timeout: None,
    });
    assert!(matches!(
        app,
        LoginStep::Code {
            code_type: CodeDelivery::App,
            length: Some(5),
            next_type: None,
            ..
        }
    ));
    assert_eq!(international("999 66-21234"), "+9996621234");
    let missed = code_step(&CodeSent {
        phone: "79001234567".into(),
        kind: CodeKind::MissedCall,
        length: Some(4),
        hint: Some("+7 900 12".into()),
        next: Some(NextCodeKind::Sms),
        timeout: Some(Duration::from_secs(120)),
    });
    assert!(matches!(
        missed,
        LoginStep::Code {
            code_type: CodeDelivery::MissedCall,
            length: Some(4),
            detail: Some(ref d),
            timeout_secs: Some(120),
            ..
        } if d == "+7 900 12"
    ));
}

#[test]
fn sessions_carry_hashes_as_strings_and_join_their_parts() {
    let info = AuthorizationInfo {
        hash: -7_000_000_000_000_000_123,
        device: "Pixel 8".into(),
        platform: "android".into(),
        system_version: "14".into(),
        app_name: "Telegram Android".into(),
        app_version: "11.2".into(),
        api_id: 6,
        official_app: true,
        ip: "203.0.113.7".into(),
        country: "Portugal".into(),
        region: "".into(),
        date_created: UNIX_EPOCH + Duration::from_secs(1_700_000_000),
        date_active: UNIX_EPOCH + Duration::from_secs(1_700_000_500),
        dc: None,
        current: false,
        password_pending: false,
    };
    let view = session_view(&info);
    assert_eq!(view.hash, "-7000000000000000123");
    assert_eq!(view.platform, "android 14");
    assert_eq!(view.app, "Telegram Android 11.2");
    assert_eq!(view.country, "Portugal");
    assert_eq!(
        (view.date_created, view.date_active),
        (1_700_000_000, 1_700_000_500)
    );
    assert_eq!(view.dc, None);
    assert!(serde_json::to_value(&view).unwrap()["hash"].is_string());
}

#[test]
fn service_errors_keep_their_code_field_and_flood_wait() {
    let flood = CommandError::from(AccountsError::Client {
        source: ClientError::FloodWait {
            seconds: 42,
            until: SystemTime::now() + Duration::from_secs(42),
            dc: 2,
        },
        field: Some("phone"),
    });
    assert_eq!(flood.code, "FLOOD_WAIT");
    assert_eq!(flood.retry_after_secs, Some(42));
    assert_eq!(flood.field.as_deref(), Some("phone"));
    assert!(flood.message.contains("42"), "{}", flood.message);

    let invalid = CommandError::from(AccountsError::InvalidInput {
        field: "api_hash",
        message: "the api_hash is 32 hex digits".into(),
    });
    assert_eq!(
        (
            invalid.code.as_str(),
            invalid.field.as_deref(),
            invalid.retry_after_secs
        ),
        ("INVALID_INPUT", Some("api_hash"), None)
    );
}
