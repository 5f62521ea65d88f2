//! Every `auth.SentCodeType` maps to its kind, length and the hint that helps find the
//! code (core.telegram.org/api/auth#sending-the-verification-code).

use hearth_tl::types::auth as t;

use super::{code_kind, CodeKind};

fn kind(
    x: impl Into<hearth_tl::enums::auth::SentCodeType>,
) -> (CodeKind, Option<i32>, Option<String>) {
    code_kind(&x.into())
}

#[test]
fn each_sent_code_type_keeps_its_hint() {
    let s = |v: &str| Some(v.to_owned());
    assert_eq!(
        kind(t::SentCodeTypeApp { length: 5 }),
        (CodeKind::App, Some(5), None)
    );
    assert_eq!(
        kind(t::SentCodeTypeSms { length: 6 }),
        (CodeKind::Sms, Some(6), None)
    );
    assert_eq!(
        kind(t::SentCodeTypeCall { length: 5 }),
        (CodeKind::Call, Some(5), None)
    );
    assert_eq!(
        kind(t::SentCodeTypeFlashCall {
            pattern: "+7 900 12*".into()
        }),
        (CodeKind::FlashCall, None, s("+7 900 12*"))
    );
    assert_eq!(
        kind(t::SentCodeTypeMissedCall {
            prefix: "+7 900 12".into(),
            length: 4
        }),
        (CodeKind::MissedCall, Some(4), s("+7 900 12"))
    );
    assert_eq!(
        kind(t::SentCodeTypeEmailCode {
            apple_signin_allowed: false,
            google_signin_allowed: false,
            email_pattern: "e***@g***.com".into(),
            length: 6,
            reset_available_period: None,
            reset_pending_date: None,
        }),
        (CodeKind::Email, Some(6), s("e***@g***.com"))
    );
    assert_eq!(
        kind(t::SentCodeTypeSetUpEmailRequired {
            apple_signin_allowed: false,
            google_signin_allowed: true,
        }),
        (CodeKind::Other("setUpEmailRequired"), None, None)
    );
    assert_eq!(
        kind(t::SentCodeTypeFragmentSms {
            url: "https://fragment.com/numbers".into(),
            length: 5
        }),
        (
            CodeKind::FragmentSms,
            Some(5),
            s("https://fragment.com/numbers")
        )
    );
    assert_eq!(
        kind(t::SentCodeTypeFirebaseSms {
            nonce: None,
            play_integrity_project_id: None,
            play_integrity_nonce: None,
            receipt: None,
            push_timeout: None,
            length: 6,
        }),
        (CodeKind::Other("firebaseSms"), Some(6), None)
    );
    assert_eq!(
        kind(t::SentCodeTypeSmsWord { beginning: s("ki") }),
        (CodeKind::Other("smsWord"), None, s("ki"))
    );
    assert_eq!(
        kind(t::SentCodeTypeSmsPhrase {
            beginning: Some("  ".into())
        }),
        (CodeKind::Other("smsPhrase"), None, None),
        "a blank hint is no hint"
    );
}
