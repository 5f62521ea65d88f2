//! Quitting on a termination signal: a desktop session that ends (log out,
//! shutdown) or `kill <pid>` sends SIGTERM, a terminal's Ctrl+C SIGINT, a
//! closed terminal SIGHUP. The first asks the app to exit the way closing its
//! window does, so the exit path runs: the accounts' connections close and
//! the built-in local test network saves its state and removes its
//! announcement. A second signal while that runs ends the process at once.

/// Exit status after a second signal (128 + SIGTERM, as a shell reports it).
#[cfg(unix)]
const EXIT_SIGNALLED_TWICE: i32 = 143;

/// Starts listening; on the first signal calls `quit`. Does nothing on
/// platforms without Unix signals.
pub fn quit_on_signal(quit: impl FnOnce() + Send + 'static) {
    #[cfg(unix)]
    tauri::async_runtime::spawn(async move {
        use tokio::signal::unix::{signal, SignalKind};
        let mut term = signal(SignalKind::terminate());
        let mut interrupt = signal(SignalKind::interrupt());
        let mut hangup = signal(SignalKind::hangup());
        for failed in [&term, &interrupt, &hangup]
            .into_iter()
            .filter_map(|s| s.as_ref().err())
        {
            eprintln!("hearth: cannot listen for a termination signal: {failed}");
        }
        any_of(&mut term, &mut interrupt, &mut hangup).await;
        quit();
        any_of(&mut term, &mut interrupt, &mut hangup).await;
        std::process::exit(EXIT_SIGNALLED_TWICE);
    });
    #[cfg(not(unix))]
    let _ = quit;
}

/// Resolves when any of the signals arrives (never, for one that could not be
/// listened for).
#[cfg(unix)]
async fn any_of(
    a: &mut std::io::Result<tokio::signal::unix::Signal>,
    b: &mut std::io::Result<tokio::signal::unix::Signal>,
    c: &mut std::io::Result<tokio::signal::unix::Signal>,
) {
    async fn one(s: &mut std::io::Result<tokio::signal::unix::Signal>) {
        match s {
            Ok(s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending().await,
        }
    }
    tokio::select! {
        _ = one(a) => {}
        _ = one(b) => {}
        _ = one(c) => {}
    }
}
