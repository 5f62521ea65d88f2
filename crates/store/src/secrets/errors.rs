//! Turning `keyring` failures into messages a user can act on.

/// Why a secret could not be stored, read or deleted.
#[derive(Debug, thiserror::Error)]
pub enum SecretError {
    /// No Secret Service is reachable: no D-Bus session bus, or nothing on it provides
    /// `org.freedesktop.secrets`.
    #[error(
        "No Secret Service on D-Bus ({reason}): install and unlock gnome-keyring or KeePassXC \
         (with its Secret Service integration enabled), then restart Hearth. \
         Hearth never stores login keys unencrypted on disk"
    )]
    NoSecretService { reason: String },

    /// The keyring is locked and could not be unlocked.
    #[error(
        "The keyring is locked ({detail}): unlock it (in GNOME \"Passwords and Keys\", KeePassXC, \
         or your desktop's keyring tool) and try again"
    )]
    Locked { detail: String },

    /// The keyring's unlock prompt was dismissed, or could not be shown (no display).
    #[error(
        "The keyring is locked and its unlock prompt was dismissed or could not be shown: \
         unlock it (in GNOME \"Passwords and Keys\", KeePassXC, or your desktop's keyring tool) \
         and try again"
    )]
    PromptDismissed,

    /// The Secret Service has no default collection to store secrets in.
    #[error(
        "The Secret Service has no default keyring ({detail}): create a keyring and make it the \
         default (e.g. in GNOME \"Passwords and Keys\" or KeePassXC), then try again"
    )]
    NoDefaultKeyring { detail: String },

    /// The platform refused access (macOS Keychain / Windows Credential Manager).
    #[error("The OS keyring refused access ({detail}): allow Hearth to use the keychain, then try again")]
    AccessDenied { detail: String },

    /// Several keyring items match one entry (created by another tool).
    #[error("Several keyring items match {name}: remove the duplicates from the \"{name}\" entries in your keyring tool")]
    Ambiguous { name: String },

    /// The entry name is not acceptable (to Hearth or to the platform).
    #[error("invalid keyring entry name {name:?}: {reason}")]
    InvalidName { name: String, reason: String },

    /// Any other failure of the keyring.
    #[error("The OS keyring failed for entry {name}: {detail}")]
    Platform { name: String, detail: String },
}

/// Maps a `keyring` error on entry `name`. Never includes secret bytes: `BadEncoding` (the only
/// variant carrying them) cannot come from the binary calls this crate makes, and its bytes are
/// dropped unread.
pub(crate) fn from_keyring(err: keyring::Error, name: &str) -> SecretError {
    match err {
        keyring::Error::NoStorageAccess(inner) => no_access(inner),
        keyring::Error::PlatformFailure(inner) => platform_failure(inner, name),
        keyring::Error::Ambiguous(_) => SecretError::Ambiguous {
            name: name.to_owned(),
        },
        keyring::Error::TooLong(attr, limit) => SecretError::InvalidName {
            name: name.to_owned(),
            reason: format!("the {attr} is longer than the platform's limit of {limit}"),
        },
        keyring::Error::Invalid(attr, reason) => SecretError::InvalidName {
            name: name.to_owned(),
            reason: format!("{attr} {reason}"),
        },
        keyring::Error::BadEncoding(bytes) => {
            drop(zeroize::Zeroizing::new(bytes));
            SecretError::Platform {
                name: name.to_owned(),
                detail: "the stored value has an unexpected encoding".to_owned(),
            }
        }
        // NoEntry is handled by the callers; anything newer is reported as is.
        other => SecretError::Platform {
            name: name.to_owned(),
            detail: other.to_string(),
        },
    }
}

type Inner = Box<dyn std::error::Error + Send + Sync>;

#[cfg(any(target_os = "linux", target_os = "freebsd", target_os = "openbsd"))]
fn no_access(inner: Inner) -> SecretError {
    use dbus_secret_service::Error as Ss;
    match inner.downcast_ref::<Ss>() {
        Some(Ss::Locked) => SecretError::Locked {
            detail: "the Secret Service reports the collection as locked".to_owned(),
        },
        Some(Ss::Prompt) => SecretError::PromptDismissed,
        Some(Ss::NoResult) => SecretError::NoDefaultKeyring {
            detail: "the Secret Service returned no collection".to_owned(),
        },
        _ => SecretError::Locked {
            detail: inner.to_string(),
        },
    }
}

#[cfg(not(any(target_os = "linux", target_os = "freebsd", target_os = "openbsd")))]
fn no_access(inner: Inner) -> SecretError {
    SecretError::AccessDenied {
        detail: inner.to_string(),
    }
}

/// D-Bus error names meaning the session bus itself cannot be reached.
#[cfg(any(target_os = "linux", target_os = "freebsd", target_os = "openbsd"))]
const NO_BUS: &[&str] = &[
    "org.freedesktop.DBus.Error.FileNotFound",
    "org.freedesktop.DBus.Error.NoServer",
    "org.freedesktop.DBus.Error.NoNetwork",
    "org.freedesktop.DBus.Error.BadAddress",
    "org.freedesktop.DBus.Error.NotSupported",
    "org.freedesktop.DBus.Error.Disconnected",
    "org.freedesktop.DBus.Error.AuthFailed",
    "org.freedesktop.DBus.Error.Spawn.ExecFailed",
];

/// D-Bus error names meaning the bus is there but nobody serves `org.freedesktop.secrets`.
#[cfg(any(target_os = "linux", target_os = "freebsd", target_os = "openbsd"))]
fn no_provider(name: &str) -> bool {
    matches!(
        name,
        "org.freedesktop.DBus.Error.ServiceUnknown"
            | "org.freedesktop.DBus.Error.NameHasNoOwner"
            | "org.freedesktop.DBus.Error.UnknownObject"
            | "org.freedesktop.DBus.Error.UnknownMethod"
    ) || name.starts_with("org.freedesktop.DBus.Error.Spawn.")
}

#[cfg(any(target_os = "linux", target_os = "freebsd", target_os = "openbsd"))]
fn platform_failure(inner: Inner, name: &str) -> SecretError {
    use dbus_secret_service::Error as Ss;
    match inner.downcast_ref::<Ss>() {
        Some(Ss::Unavailable) => SecretError::NoSecretService {
            reason: "no session bus or no Secret Service provider found".to_owned(),
        },
        Some(Ss::Dbus(e)) => {
            let dbus_name = e.name().unwrap_or("");
            let message = e.message().unwrap_or("no details");
            if dbus_name == "org.freedesktop.Secret.Error.IsLocked" {
                SecretError::Locked {
                    detail: message.to_owned(),
                }
            } else if NO_BUS.contains(&dbus_name) {
                SecretError::NoSecretService {
                    reason: format!(
                        "cannot connect to the D-Bus session bus: {message}; \
                         check DBUS_SESSION_BUS_ADDRESS"
                    ),
                }
            } else if no_provider(dbus_name) {
                SecretError::NoSecretService {
                    reason: format!(
                        "nothing on the session bus provides org.freedesktop.secrets: {message}"
                    ),
                }
            } else {
                SecretError::Platform {
                    name: name.to_owned(),
                    detail: format!("{dbus_name}: {message}"),
                }
            }
        }
        _ => SecretError::Platform {
            name: name.to_owned(),
            detail: inner.to_string(),
        },
    }
}

#[cfg(not(any(target_os = "linux", target_os = "freebsd", target_os = "openbsd")))]
fn platform_failure(inner: Inner, name: &str) -> SecretError {
    SecretError::Platform {
        name: name.to_owned(),
        detail: inner.to_string(),
    }
}

#[cfg(all(
    test,
    any(target_os = "linux", target_os = "freebsd", target_os = "openbsd")
))]
mod tests {
    use super::*;
    use dbus_secret_service::Error as Ss;

    fn platform(e: Ss) -> SecretError {
        from_keyring(
            keyring::Error::PlatformFailure(Box::new(e)),
            "7/auth_key/dc2",
        )
    }

    fn dbus(name: &str) -> Ss {
        Ss::Dbus(dbus::Error::new_custom(name, "test message"))
    }

    #[test]
    fn missing_bus_names_the_fix() {
        let err = platform(dbus("org.freedesktop.DBus.Error.FileNotFound"));
        let text = err.to_string();
        assert!(matches!(err, SecretError::NoSecretService { .. }));
        assert!(text.starts_with("No Secret Service on D-Bus"), "{text}");
        assert!(text.contains("DBUS_SESSION_BUS_ADDRESS"), "{text}");
        assert!(text.contains("gnome-keyring or KeePassXC"), "{text}");
    }

    #[test]
    fn missing_provider_is_no_secret_service() {
        let err = platform(dbus("org.freedesktop.DBus.Error.ServiceUnknown"));
        assert!(err.to_string().contains("org.freedesktop.secrets"), "{err}");
        assert!(matches!(
            platform(Ss::Unavailable),
            SecretError::NoSecretService { .. }
        ));
    }

    #[test]
    fn is_locked_from_the_service_is_locked() {
        let err = platform(dbus("org.freedesktop.Secret.Error.IsLocked"));
        assert!(matches!(err, SecretError::Locked { .. }), "{err:?}");
        assert!(err.to_string().contains("test message"), "{err}");
    }

    #[test]
    fn other_dbus_errors_stay_platform_failures() {
        let err = platform(dbus("org.example.Weird"));
        assert!(matches!(err, SecretError::Platform { .. }));
        assert!(err.to_string().contains("7/auth_key/dc2"));
        assert!(err.to_string().contains("org.example.Weird"));
    }

    #[test]
    fn storage_access_errors_are_distinct() {
        let access = |e: Ss| from_keyring(keyring::Error::NoStorageAccess(Box::new(e)), "x/y");
        assert!(matches!(access(Ss::Locked), SecretError::Locked { .. }));
        assert!(matches!(access(Ss::Prompt), SecretError::PromptDismissed));
        assert!(matches!(
            access(Ss::NoResult),
            SecretError::NoDefaultKeyring { .. }
        ));
        assert!(access(Ss::Locked).to_string().contains("unlock it"));
    }

    #[test]
    fn bad_encoding_does_not_leak_bytes() {
        let err = from_keyring(keyring::Error::BadEncoding(b"SECRETBYTES".to_vec()), "x/y");
        assert!(!format!("{err} {err:?}").contains("SECRETBYTES"));
    }
}
