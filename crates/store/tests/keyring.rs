//! Secrets against a real Secret Service. Ignored by default: `tests/keyring/run.sh` starts a
//! private D-Bus session with an unlocked gnome-keyring and runs them.
//!
//! Every test uses its own keyring service name, so a run on a developer's desktop cannot touch
//! the real "Hearth" entries.

use std::process::Command;

use hearth_store::secrets::{auth_key_kind, SecretError, SecretStore};
use hearth_store::AccountId;

/// A store under a service name unique to this test and process.
fn store(test: &str) -> SecretStore {
    SecretStore::with_service(format!("Hearth-test-{}-{test}", std::process::id()))
}

#[test]
#[ignore = "needs a Secret Service (gnome-keyring); run by tests/keyring/run.sh"]
fn binary_round_trip_with_every_byte_value() {
    let s = store("roundtrip");
    s.probe().unwrap();
    let secret: Vec<u8> = (0..=255u8).chain((0..=255u8).rev()).collect();
    let kind = auth_key_kind(2);
    s.put(AccountId(7), &kind, &secret).unwrap();
    let got = s
        .get(AccountId(7), &kind)
        .unwrap()
        .expect("stored secret missing");
    assert_eq!(got.expose(), &secret[..]);
    // A 2048-bit auth key, the real payload size.
    let auth_key: Vec<u8> = (0..256u32).map(|i| (i * 7 + 3) as u8).collect();
    s.put(AccountId(7), "auth_key/dc4", &auth_key).unwrap();
    assert_eq!(
        s.get(AccountId(7), "auth_key/dc4")
            .unwrap()
            .unwrap()
            .expose(),
        &auth_key[..]
    );
    s.delete(AccountId(7), &kind).unwrap();
    s.delete(AccountId(7), "auth_key/dc4").unwrap();
}

#[test]
#[ignore = "needs a Secret Service (gnome-keyring); run by tests/keyring/run.sh"]
fn overwrite_replaces_the_value() {
    let s = store("overwrite");
    s.put(AccountId(1), "auth_key/dc1", b"first value").unwrap();
    s.put(AccountId(1), "auth_key/dc1", &[0u8, 1, 2]).unwrap();
    assert_eq!(
        s.get(AccountId(1), "auth_key/dc1")
            .unwrap()
            .unwrap()
            .expose(),
        &[0u8, 1, 2]
    );
    s.delete(AccountId(1), "auth_key/dc1").unwrap();
}

#[test]
#[ignore = "needs a Secret Service (gnome-keyring); run by tests/keyring/run.sh"]
fn delete_is_idempotent() {
    let s = store("delete");
    assert!(s.get(AccountId(3), "session").unwrap().is_none());
    s.delete(AccountId(3), "session").unwrap();
    s.put(AccountId(3), "session", b"x").unwrap();
    assert!(s.get(AccountId(3), "session").unwrap().is_some());
    s.delete(AccountId(3), "session").unwrap();
    assert!(s.get(AccountId(3), "session").unwrap().is_none());
    s.delete(AccountId(3), "session").unwrap();
}

#[test]
#[ignore = "needs a Secret Service (gnome-keyring); run by tests/keyring/run.sh"]
fn accounts_and_services_are_isolated() {
    let s = store("isolated");
    let kind = auth_key_kind(2);
    s.put(AccountId(1), &kind, b"account one").unwrap();
    s.put(AccountId(2), &kind, b"account two").unwrap();
    assert_eq!(
        s.get(AccountId(1), &kind).unwrap().unwrap().expose(),
        b"account one"
    );
    assert_eq!(
        s.get(AccountId(2), &kind).unwrap().unwrap().expose(),
        b"account two"
    );
    // Same kind on another DC is another entry.
    assert!(s.get(AccountId(1), &auth_key_kind(3)).unwrap().is_none());
    // Another service (profile) does not see these entries.
    assert!(store("isolated-other")
        .get(AccountId(1), &kind)
        .unwrap()
        .is_none());
    s.delete(AccountId(1), &kind).unwrap();
    assert!(s.get(AccountId(1), &kind).unwrap().is_none());
    assert_eq!(
        s.get(AccountId(2), &kind).unwrap().unwrap().expose(),
        b"account two"
    );
    s.delete(AccountId(2), &kind).unwrap();
}

/// Env var that makes the test below act as the child that runs without a bus.
const NO_BUS_CHILD: &str = "HEARTH_KEYRING_TEST_NO_BUS_CHILD";

#[test]
#[ignore = "needs a Secret Service (gnome-keyring); run by tests/keyring/run.sh"]
fn missing_secret_service_is_a_clear_error() {
    if std::env::var_os(NO_BUS_CHILD).is_some() {
        // Child: the session bus address points at a socket that does not exist.
        let s = store("nobus");
        for err in [
            s.probe().unwrap_err(),
            s.put(AccountId(1), "auth_key/dc2", b"never stored")
                .unwrap_err(),
            s.get(AccountId(1), "auth_key/dc2").unwrap_err(),
            s.delete(AccountId(1), "auth_key/dc2").unwrap_err(),
        ] {
            let text = err.to_string();
            assert!(
                matches!(err, SecretError::NoSecretService { .. }),
                "{err:?}"
            );
            assert!(text.starts_with("No Secret Service on D-Bus"), "{text}");
            assert!(text.contains("gnome-keyring or KeePassXC"), "{text}");
            assert!(text.contains("restart Hearth"), "{text}");
            assert!(!text.contains("never stored"));
            println!("no bus: {text}");
        }
        println!("NO_BUS_CHILD_OK");
        return;
    }
    // Parent: the real keyring works here, and the child without a bus must fail clearly.
    store("nobus").probe().unwrap();
    let missing = std::env::temp_dir().join(format!("hearth-no-bus-{}", std::process::id()));
    let out = Command::new(std::env::current_exe().unwrap())
        .args([
            "missing_secret_service_is_a_clear_error",
            "--exact",
            "--nocapture",
            "--ignored",
        ])
        .env(NO_BUS_CHILD, "1")
        .env(
            "DBUS_SESSION_BUS_ADDRESS",
            format!("unix:path={}", missing.display()),
        )
        .env_remove("DISPLAY")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success() && stdout.contains("NO_BUS_CHILD_OK"),
        "child failed:\n{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
#[ignore = "needs a Secret Service (gnome-keyring); run by tests/keyring/run.sh"]
fn bus_without_a_secret_service_is_a_clear_error() {
    // A private bus with nothing on it (started by run.sh and passed in).
    let Some(empty_bus) = std::env::var_os("HEARTH_EMPTY_BUS_ADDRESS") else {
        panic!("HEARTH_EMPTY_BUS_ADDRESS is not set; run this test through tests/keyring/run.sh");
    };
    if std::env::var_os(NO_BUS_CHILD).is_some() {
        let err = store("emptybus")
            .get(AccountId(1), "auth_key/dc2")
            .unwrap_err();
        assert!(
            matches!(err, SecretError::NoSecretService { .. }),
            "{err:?}"
        );
        assert!(err.to_string().contains("org.freedesktop.secrets"), "{err}");
        println!("empty bus: {err}");
        println!("NO_BUS_CHILD_OK");
        return;
    }
    let out = Command::new(std::env::current_exe().unwrap())
        .args([
            "bus_without_a_secret_service_is_a_clear_error",
            "--exact",
            "--nocapture",
            "--ignored",
        ])
        .env(NO_BUS_CHILD, "1")
        .env("DBUS_SESSION_BUS_ADDRESS", &empty_bus)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success() && stdout.contains("NO_BUS_CHILD_OK"),
        "child failed:\n{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Run alone by run.sh after it has stored `1/auth_key/dc2` under service
/// `Hearth-test-locked` and locked the default collection (a locked keyring cannot be unlocked
/// without a prompt in the headless session).
#[test]
#[ignore = "needs a locked Secret Service collection; run by tests/keyring/run.sh"]
fn locked_keyring_is_a_clear_error() {
    let s = SecretStore::with_service("Hearth-test-locked");
    let read = s.get(AccountId(1), "auth_key/dc2").unwrap_err();
    let write = s.put(AccountId(1), "auth_key/dc3", b"x").unwrap_err();
    for err in [read, write] {
        println!("locked: {err}");
        assert!(
            matches!(
                err,
                SecretError::Locked { .. } | SecretError::PromptDismissed
            ),
            "{err:?}"
        );
        assert!(err.to_string().contains("unlock it"), "{err}");
    }
}
