//! Exit codes of `hearth-cli`, shared with the app where they mean the same (2, 3, 4, 5 are
//! the app's start-up codes: `src-tauri/src/startup.rs`), and the failure every command ends
//! with.

use hearth_accounts::AccountsError;

/// The command did what was asked.
pub const OK: u8 = 0;
/// The command failed: Telegram refused, the network failed (diagnose: no DC answered).
pub const FAILED: u8 = 1;
/// Bad arguments, or the data directory cannot be found or created.
pub const USAGE: u8 = 2;
/// Another Hearth (the app or hearth-cli) is using the data directory.
pub const ALREADY_RUNNING: u8 = 3;
/// The data directory's lock could not be taken for another reason.
pub const LOCK: u8 = 4;
/// The database cannot be opened or upgraded.
pub const DATABASE: u8 = 5;
/// The OS keyring is unreachable or locked.
pub const KEYRING: u8 = 6;
/// No account has the given id.
pub const NO_SUCH_ACCOUNT: u8 = 7;
/// The account's session is no longer accepted (ended elsewhere); it must sign in again.
pub const SIGNED_OUT: u8 = 8;

/// The exit codes as `--help` lists them.
pub const HELP: &str = "\
Exit codes:
  0  success
  1  the command failed (Telegram refused, the network failed; diagnose: no DC answered)
  2  bad arguments, or the data directory cannot be found or created
  3  another Hearth (the app or hearth-cli) is using the data directory; its PID is printed
  4  the data directory's lock could not be taken
  5  the database cannot be opened or upgraded
  6  the OS keyring is unreachable or locked
  7  no account has the given id
  8  the account is signed out (its session was ended elsewhere); sign in again

The data directory is --data-dir, else $HEARTH_DATA_DIR, else the platform default; the app
and hearth-cli share it and its lock. With --json every result, and an error, is one JSON
object per line on stdout.";

/// Why a command stopped: the exit code, a stable machine-readable code, the field of the
/// input it concerns, and a message that says what to do.
#[derive(Debug)]
pub struct Failure {
    pub exit: u8,
    pub code: String,
    pub field: Option<&'static str>,
    pub message: String,
}

impl Failure {
    pub fn new(exit: u8, code: impl Into<String>, message: impl Into<String>) -> Self {
        Failure {
            exit,
            code: code.into(),
            field: None,
            message: message.into(),
        }
    }

    /// Bad arguments.
    pub fn usage(message: impl Into<String>) -> Self {
        Failure::new(USAGE, "USAGE", message)
    }

    pub fn on_field(mut self, field: &'static str) -> Self {
        self.field = Some(field);
        self
    }
}

impl From<AccountsError> for Failure {
    fn from(e: AccountsError) -> Self {
        let exit = match e.code() {
            "NO_SUCH_ACCOUNT" => NO_SUCH_ACCOUNT,
            "KEYRING" => KEYRING,
            "DATABASE" => DATABASE,
            "INVALID_INPUT" | "API_CREDENTIALS_MISSING" | "LOCAL_NETWORK" => USAGE,
            "NOT_SIGNED_IN" | "UNAUTHORIZED" | "AUTH_KEY_UNREGISTERED" | "SESSION_REVOKED" => {
                SIGNED_OUT
            }
            _ => FAILED,
        };
        Failure {
            exit,
            code: e.code().to_owned(),
            field: e.field(),
            message: e.to_string(),
        }
    }
}
