//! Start-up time as the user sees it: from the start of `main` to the moment
//! the UI reports, once, that the window is painted and the account list is
//! interactive (the `ui_ready` command, sent after the accounts store loaded
//! and a frame was painted). The app prints one line on stderr,
//! `hearth: window interactive after N ms with K accounts`, which
//! `scripts/bench-startup.sh` (issue 10's targets: under 1 s with three
//! accounts) waits for; the script times the launch itself, so the line's
//! own figure (which leaves out process creation and dynamic linking) is
//! only a cross-check.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{LazyLock, OnceLock};
use std::time::{Duration, Instant};

use tokio::sync::watch;

static STARTED: OnceLock<Instant> = OnceLock::new();
static REPORTED: AtomicBool = AtomicBool::new(false);
/// Becomes `true` at the first report; [`interactive`] waits for it.
static INTERACTIVE: LazyLock<watch::Sender<bool>> = LazyLock::new(|| watch::channel(false).0);

/// Records the start of the process; `main` calls it first. Later calls keep
/// the first instant.
pub fn mark_process_start() {
    STARTED.get_or_init(Instant::now);
}

/// Time since [`mark_process_start`] (zero if it was never called).
pub fn since_start() -> Duration {
    STARTED.get().map_or(Duration::ZERO, Instant::elapsed)
}

/// The log line for an interactive window after `elapsed` with `accounts`.
pub fn interactive_line(elapsed: Duration, accounts: u32) -> String {
    let noun = if accounts == 1 { "account" } else { "accounts" };
    format!(
        "window interactive after {} ms with {accounts} {noun}",
        elapsed.as_millis()
    )
}

/// The first report of an interactive window: its line, printed on stderr.
/// Later reports (a reloaded page) return `None` and print nothing.
pub fn report_interactive(accounts: u32) -> Option<String> {
    if REPORTED.swap(true, Ordering::SeqCst) {
        return None;
    }
    let line = interactive_line(since_start(), accounts);
    eprintln!("hearth: {line}");
    INTERACTIVE.send_replace(true);
    Some(line)
}

/// Resolves once the window has been reported interactive (at once if it
/// already was). Work that can wait for the window (connecting the accounts)
/// waits for this, so it does not compete with the first paint for the CPU.
pub async fn interactive() {
    let mut reported = INTERACTIVE.subscribe();
    // The sender lives in a static, so the channel never closes.
    let _ = reported.wait_for(|done| *done).await;
}
