use std::time::{Duration, SystemTime};

use hearth_mtproto::RpcError;

use super::*;

const LIMITS: Limits = Limits {
    flood_sleep_threshold: Duration::from_secs(10),
    max_retries: 3,
    retry_delay: Duration::from_millis(500),
};

const HOME: Attempted = Attempted {
    dc: 2,
    home: true,
    home_dc: 2,
    may_import: true,
};

fn rpc(dc: i32, code: i32, message: &str) -> Failure {
    Failure::Rpc {
        dc,
        error: RpcError::new(code, message),
    }
}

fn now() -> SystemTime {
    SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000)
}

#[test]
fn home_migrations_move_home_and_stop_after_three() {
    let mut h = History::default();
    for name in ["PHONE_MIGRATE_4", "USER_MIGRATE_1", "NETWORK_MIGRATE_5"] {
        match decide(rpc(2, 303, name), HOME, &mut h, &LIMITS, now()) {
            Action::MoveHome(dc) => assert!([4, 1, 5].contains(&dc)),
            other => panic!("{name}: {other:?}"),
        }
    }
    match decide(rpc(5, 303, "PHONE_MIGRATE_2"), HOME, &mut h, &LIMITS, now()) {
        Action::Fail(e) => assert_eq!(e.code(), "PHONE_MIGRATE"),
        other => panic!("a fourth move must fail: {other:?}"),
    }
}

#[test]
fn a_migration_of_a_request_for_a_chosen_dc_keeps_home() {
    let at = Attempted {
        dc: 3,
        home: false,
        home_dc: 2,
        may_import: true,
    };
    let mut h = History::default();
    assert!(matches!(
        decide(rpc(3, 303, "NETWORK_MIGRATE_4"), at, &mut h, &LIMITS, now()),
        Action::UseDc(4)
    ));
    assert!(matches!(
        decide(rpc(2, 303, "FILE_MIGRATE_4"), HOME, &mut h, &LIMITS, now()),
        Action::UseMedia(4)
    ));
}

#[test]
fn flood_waits_below_the_threshold_are_slept_once() {
    let mut h = History::default();
    match decide(rpc(2, 420, "FLOOD_WAIT_3"), HOME, &mut h, &LIMITS, now()) {
        Action::Sleep(d) => assert_eq!(d, Duration::from_secs(3)),
        other => panic!("{other:?}"),
    }
    match decide(rpc(2, 420, "FLOOD_WAIT_3"), HOME, &mut h, &LIMITS, now()) {
        Action::Fail(ClientError::FloodWait { seconds, until, dc }) => {
            assert_eq!((seconds, dc), (3, 2));
            assert_eq!(until, now() + Duration::from_secs(3));
        }
        other => panic!("a second flood wait must be returned: {other:?}"),
    }
}

#[test]
fn flood_waits_above_the_threshold_return_the_deadline() {
    let mut h = History::default();
    for name in ["FLOOD_WAIT_30", "FLOOD_PREMIUM_WAIT_11", "SLOWMODE_WAIT_60"] {
        match decide(rpc(4, 420, name), HOME, &mut h, &LIMITS, now()) {
            Action::Fail(e @ ClientError::FloodWait { .. }) => {
                assert_eq!(e.code(), "FLOOD_WAIT");
                let ClientError::FloodWait { until, .. } = e else {
                    unreachable!()
                };
                assert!(until > now() + LIMITS.flood_sleep_threshold);
            }
            other => panic!("{name}: {other:?}"),
        }
    }
    assert!(!h.flood_slept);
}

#[test]
fn internal_errors_and_lost_connections_are_retried_with_growing_pauses() {
    let mut h = History::default();
    let mut pauses = Vec::new();
    for _ in 0..2 {
        match decide(
            rpc(2, 500, "INTERNAL_SERVER_ERROR"),
            HOME,
            &mut h,
            &LIMITS,
            now(),
        ) {
            Action::Sleep(d) => pauses.push(d),
            other => panic!("{other:?}"),
        }
    }
    let lost = Failure::Connection {
        dc: 2,
        detail: "reset".into(),
    };
    match decide(lost, HOME, &mut h, &LIMITS, now()) {
        Action::Reconnect(d) => pauses.push(d),
        other => panic!("{other:?}"),
    }
    assert_eq!(
        pauses,
        [500, 1000, 2000].map(Duration::from_millis),
        "doubling pauses"
    );
    match decide(rpc(2, 500, "RPC_CALL_FAIL"), HOME, &mut h, &LIMITS, now()) {
        Action::Fail(e) => assert_eq!(e.code(), "RPC_CALL_FAIL"),
        other => panic!("retries are bounded: {other:?}"),
    }
    let mut fresh = History::default();
    assert!(matches!(
        decide(
            rpc(2, 500, "RANDOM_ID_DUPLICATE"),
            HOME,
            &mut fresh,
            &LIMITS,
            now()
        ),
        Action::Fail(_)
    ));
}

#[test]
fn unregistered_keys_elsewhere_import_the_authorization_once() {
    let at = Attempted {
        dc: 4,
        home: false,
        home_dc: 2,
        may_import: true,
    };
    let mut h = History::default();
    assert!(matches!(
        decide(
            rpc(4, 401, "AUTH_KEY_UNREGISTERED"),
            at,
            &mut h,
            &LIMITS,
            now()
        ),
        Action::Import(4)
    ));
    match decide(
        rpc(4, 401, "AUTH_KEY_UNREGISTERED"),
        at,
        &mut h,
        &LIMITS,
        now(),
    ) {
        Action::Fail(e) => assert_eq!(e.code(), "UNAUTHORIZED"),
        other => panic!("{other:?}"),
    }
    let mut h = History::default();
    match decide(
        rpc(2, 401, "AUTH_KEY_UNREGISTERED"),
        HOME,
        &mut h,
        &LIMITS,
        now(),
    ) {
        Action::Fail(e) => {
            assert_eq!(e.code(), "UNAUTHORIZED");
            assert!(e.to_string().contains("DC 2"), "{e}");
        }
        other => panic!("home DC signed out: {other:?}"),
    }
}

#[test]
fn other_errors_and_timeouts_are_returned_at_once() {
    let mut h = History::default();
    match decide(
        rpc(2, 400, "PHONE_CODE_INVALID"),
        HOME,
        &mut h,
        &LIMITS,
        now(),
    ) {
        Action::Fail(e) => assert_eq!(e.code(), "PHONE_CODE_INVALID"),
        other => panic!("{other:?}"),
    }
    let t = Failure::Timeout {
        dc: 2,
        after: Duration::from_secs(30),
    };
    match decide(t, HOME, &mut h, &LIMITS, now()) {
        Action::Fail(e) => assert_eq!(e.code(), "TIMEOUT"),
        other => panic!("{other:?}"),
    }
    assert_eq!(h, History::default());
}
