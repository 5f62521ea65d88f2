//! The accounts' IPC types: what the UI receives for each login step,
//! session and account, and the checks on what it sends.

use hearth_app::accounts::types::{
    initials, network_options, AccountEvent, AccountNetwork, AccountView, ApiCredentials,
    CodeDelivery, ConnectionState, LoginStep,
};
use serde_json::json;

#[test]
fn initials_take_the_first_letter_of_two_words() {
    assert_eq!(initials("ada lovelace"), "AL");
    assert_eq!(initials("Grace Brewster Hopper"), "GB");
    assert_eq!(initials("Alerts"), "A");
    assert_eq!(initials("  (Work)  phone "), "WP");
    assert_eq!(initials("ñandú"), "Ñ");
    assert_eq!(initials("🔥 !!"), "?");
    assert_eq!(initials(""), "?");
}

#[test]
fn local_is_preselected_only_while_no_account_exists() {
    let demo = hearth_app::accounts::demo::builtin_demo_accounts();
    let first = network_options(false, |_| false, demo.clone());
    let ids: Vec<AccountNetwork> = first.iter().map(|o| o.id).collect();
    assert_eq!(
        ids,
        [
            AccountNetwork::Local,
            AccountNetwork::Production,
            AccountNetwork::Test
        ]
    );
    assert!(first[0].preselected && !first[1].preselected && !first[2].preselected);
    assert!(!first[0].needs_api_credentials);
    assert!(first[1].needs_api_credentials && first[2].needs_api_credentials);

    let later = network_options(true, |n| n == AccountNetwork::Production, demo);
    assert!(later.iter().all(|o| !o.preselected));
    assert!(
        !later[1].needs_api_credentials,
        "saved once, not asked again"
    );
    assert!(later[2].needs_api_credentials);
    assert!(
        !later[0].demo.is_empty(),
        "the local network lists its demo accounts"
    );
    assert!(later[1].demo.is_empty() && later[2].demo.is_empty());
}

#[test]
fn the_demo_world_lists_numbers_with_their_codes_passwords_and_the_bot_token() {
    let demo = hearth_app::accounts::demo::builtin_demo_accounts();
    let alice = demo
        .iter()
        .find(|d| d.name == "Alice Liddell")
        .expect("alice");
    assert_eq!(alice.phone.as_deref(), Some("+9996621234"));
    assert_eq!(
        alice.code.as_deref(),
        Some("22222"),
        "99966XYYYY gets X five times"
    );
    let carol = demo
        .iter()
        .find(|d| d.name == "Carol Secure")
        .expect("carol");
    assert_eq!(carol.password_hint.as_deref(), Some("xkcd 936"));
    assert!(carol.password.is_some());
    let bot = demo.iter().find(|d| d.bot_token.is_some()).expect("a bot");
    assert!(bot.name.contains("@hearth_helper_bot"), "{}", bot.name);
    assert_eq!(
        hearth_app::accounts::demo::test_code("+9996641111").as_deref(),
        Some("44444")
    );
    assert_eq!(hearth_app::accounts::demo::test_code("+441234567890"), None);
}

#[test]
fn api_credentials_are_checked_on_their_field() {
    let ok = ApiCredentials {
        api_id: 12345,
        api_hash: "0123456789abcdef0123456789ABCDEF".into(),
    };
    assert_eq!(ok.validate(), Ok(()));
    let bad_id = ApiCredentials {
        api_id: 0,
        ..ok.clone()
    }
    .validate()
    .unwrap_err();
    assert_eq!(
        (bad_id.code.as_str(), bad_id.field.as_deref()),
        ("INVALID_INPUT", Some("api_id"))
    );
    let bad_hash = ApiCredentials {
        api_hash: "not-a-hash".into(),
        ..ok
    }
    .validate()
    .unwrap_err();
    assert_eq!(bad_hash.field.as_deref(), Some("api_hash"));
    assert!(bad_hash.message.contains("my.telegram.org"));
}

fn sample_account() -> AccountView {
    AccountView {
        id: 3,
        label: "Work".into(),
        display_name: "Ada Lovelace".into(),
        initials: "AL".into(),
        user_id: Some(1_000_001),
        username: Some("ada".into()),
        phone: Some("+999661234".into()),
        is_bot: false,
        dc_id: 2,
        network: AccountNetwork::Local,
        proxy_id: None,
        state: ConnectionState::Online,
        position: 0,
    }
}

#[test]
fn login_steps_are_tagged_for_the_ui() {
    let code = LoginStep::Code {
        code_type: CodeDelivery::App,
        next_type: Some(CodeDelivery::Sms),
        timeout_secs: Some(60),
        phone: "+999661234".into(),
        length: Some(5),
        detail: None,
    };
    assert_eq!(
        serde_json::to_value(&code).unwrap(),
        json!({"step": "code", "code_type": "app", "next_type": "sms", "timeout_secs": 60,
               "phone": "+999661234", "length": 5, "detail": null})
    );
    assert_eq!(
        serde_json::to_value(LoginStep::Phone).unwrap(),
        json!({"step": "phone"})
    );
    let done = serde_json::to_value(LoginStep::Done {
        account: sample_account(),
    })
    .unwrap();
    assert_eq!(done["step"], "done");
    assert_eq!(done["account"]["network"], "local");
    assert_eq!(done["account"]["state"], "online");
    let qr = LoginStep::Qr {
        url: "tg://login?token=AQID".into(),
        expires_at: 1_700_000_030,
    };
    assert_eq!(
        serde_json::to_value(qr).unwrap()["expires_at"],
        1_700_000_030
    );
}

#[test]
fn account_events_are_tagged_by_kind() {
    let event = AccountEvent::Connection {
        account_id: 3,
        state: ConnectionState::Unreachable,
        detail: Some("DC 2 (127.0.0.1:40002) did not answer".into()),
    };
    assert_eq!(
        serde_json::to_value(event).unwrap(),
        json!({"kind": "connection", "account_id": 3, "state": "unreachable",
               "detail": "DC 2 (127.0.0.1:40002) did not answer"})
    );
    assert_eq!(
        serde_json::to_value(AccountEvent::ListChanged).unwrap(),
        json!({"kind": "list_changed"})
    );
}
