use super::*;

fn rule(json: serde_json::Value) -> Result<FaultRule, String> {
    FaultRule::from_value(json)
}

#[test]
fn rules_without_kind_are_flood_rules_and_others_are_tagged() {
    let r = rule(serde_json::json!({"method": "messages.sendMessage", "wait_secs": 3})).unwrap();
    assert!(matches!(&r, FaultRule::Flood(f) if f.wait_secs == 3 && f.window_secs == 60));
    let r = rule(serde_json::json!({"kind": "drop", "probability": 0.2, "stage": "before_answer"}))
        .unwrap();
    assert_eq!(
        r,
        FaultRule::Drop(DropRule {
            dc: None,
            after_messages: None,
            probability: Some(0.2),
            stage: DropStage::BeforeAnswer
        })
    );
    let r =
        rule(serde_json::json!({"kind": "error", "method": "help.getConfig", "every": 2})).unwrap();
    assert!(matches!(&r, FaultRule::Error(e) if e.error == "INTERNAL_SERVER_ERROR"));
    let err = rule(serde_json::json!({"kind": "drop", "probability": 0.2, "typo": 1})).unwrap_err();
    assert!(err.contains("typo"), "{err}");
    let err = rule(serde_json::json!({"kind": "quake"})).unwrap_err();
    assert!(err.contains("kinds:"), "{err}");
    let err = rule(serde_json::json!({"method": "no.such", "wait_secs": 1})).unwrap_err();
    assert!(err.contains("unknown TL method"), "{err}");
}

#[test]
fn config_lists_rules_and_clear_removes_them_by_kind() {
    let settings = Settings {
        clock_skew_secs: -120,
        auth_key_duplicated: false,
    };
    let rules = [
        rule(serde_json::json!({"method": "messages.sendMessage", "wait_secs": 3})).unwrap(),
        rule(serde_json::json!({"kind": "latency", "fixed_ms": 5})).unwrap(),
        rule(serde_json::json!({"kind": "migrate", "to": 4, "dc": 2})).unwrap(),
    ];
    let inj = Injector::new([1; 32], &rules, settings);
    let config = inj.config();
    assert_eq!(config.rules.len(), 3);
    assert_eq!(
        (config.clock_skew_secs, config.auth_key_duplicated),
        (-120, false)
    );
    assert!(inj.armed(ARMED_CALLS) && inj.armed(ARMED_LINK));
    assert_eq!(inj.clear(Some("latency")), Ok(1));
    assert!(!inj.armed(ARMED_LINK));
    assert!(inj.clear(Some("nonsense")).is_err());
    assert_eq!(inj.clear(None), Ok(2));
    assert!(!inj.armed(ARMED_CALLS));
    assert!(inj.config().rules.is_empty());
}

#[test]
fn the_server_clock_follows_the_skew() {
    let inj = Injector::new([1; 32], &[], Settings::default());
    let real = UnixTime::now().secs();
    assert!((inj.now_secs() - real).abs() <= 1);
    inj.set_skew_secs(120);
    assert!((inj.now_secs() - real - 120).abs() <= 1);
    inj.set_skew_secs(-120);
    assert!((inj.now_secs() - real + 120).abs() <= 1);
}
